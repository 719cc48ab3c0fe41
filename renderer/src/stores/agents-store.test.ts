// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../../profiler/api';
import { agentInfo as agent } from '../../test/agent-info';
import { createFakeBackend } from '../../test/fake-backend';
import AgentsPanel from '../components/system/AgentsPanel.vue';
import { provideBackend } from '../backend/workbench-backend';
import { useAgentsStore } from './agents-store';

function fakeBackend(list: AgentInfo[] = []) {
  const backend = createFakeBackend({
    listAgents: async () => list,
    addAgent: async (request) => agent({ id: 'agent-2', name: request.name ?? 'board', url: request.url }),
    removeAgent: async (id) => ({ id }),
  });
  provideBackend(backend);
  return backend;
}

describe('agents store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists the agents and follows their state from the engine events', async () => {
    const backend = fakeBackend([agent()]);
    const store = useAgentsStore();
    await store.load();
    expect(store.online.map((a) => a.name)).toEqual(['raspberry-pi-5']);
    backend.emit({ kind: 'agents', agents: [agent({ state: 'offline', message: 'Lost the connection.' })] });
    expect(store.agents[0]?.state).toBe('offline');
    expect(store.online).toEqual([]);
  });

  it('adds an agent by URL with the token and name only when given, and shows why one is refused', async () => {
    const backend = fakeBackend();
    const store = useAgentsStore();
    expect(await store.add(' http://10.0.0.2:7420/?token=abc ', '', '')).toBe(true);
    expect(backend.addAgent).toHaveBeenCalledWith({ url: 'http://10.0.0.2:7420/?token=abc' });
    backend.addAgent.mockRejectedValueOnce(
      new Error('The workbench engine at 10.0.0.3:7420 refused the access token (HTTP 403)'),
    );
    expect(await store.add('http://10.0.0.3:7420', 'wrong', 'Bench')).toBe(false);
    expect(backend.addAgent).toHaveBeenLastCalledWith({
      url: 'http://10.0.0.3:7420',
      token: 'wrong',
      name: 'Bench',
    });
    expect(store.addError).toMatch(/refused the access token/);
    expect(store.agents.map((a) => a.name)).toEqual(['board']);
  });

  it('removes an agent only on the second click', async () => {
    const backend = fakeBackend([agent()]);
    const store = useAgentsStore();
    await store.load();
    await store.remove('agent-1');
    expect(backend.removeAgent).not.toHaveBeenCalled();
    await store.remove('agent-1');
    expect(backend.removeAgent).toHaveBeenCalledWith('agent-1');
    expect(store.agents).toEqual([]);
  });
});

describe('agents panel', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('says what to do when there are no agents, then adds one from the form', async () => {
    const backend = fakeBackend();
    const wrapper = mount(AgentsPanel);
    await flushPromises();
    expect(wrapper.get('[data-testid="agents-empty"]').text()).toMatch(/No agents yet/);
    await wrapper.get('[data-testid="input-agent-url"]').setValue('http://10.0.0.2:7420/?token=abc');
    await wrapper.get('[data-testid="input-agent-name"]').setValue('Pi on the bench');
    await wrapper.get('[data-testid="agent-form"]').trigger('submit');
    await flushPromises();
    expect(backend.addAgent).toHaveBeenCalledWith({
      url: 'http://10.0.0.2:7420/?token=abc',
      name: 'Pi on the bench',
    });
    expect(wrapper.get('[data-testid="agent"]').attributes('data-name')).toBe('Pi on the bench');
    expect((wrapper.get('[data-testid="input-agent-url"]').element as HTMLInputElement).value).toBe('');
  });

  it('shows an offline agent with why and when it retries', async () => {
    fakeBackend([
      agent({ state: 'offline', message: 'Lost the connection to 192.168.1.40:7420.', retryInMs: 4000 }),
    ]);
    const wrapper = mount(AgentsPanel);
    await flushPromises();
    expect(wrapper.get('[data-testid="agent-state"]').text()).toBe('offline');
    expect(wrapper.text()).toContain(
      'Lost the connection to 192.168.1.40:7420. Retrying on its own, at most every 30 s.',
    );
    expect(wrapper.text()).toContain('2 runs copied here');
  });
});
