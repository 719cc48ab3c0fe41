import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AgentInfo } from '../../../profiler/api';
import { useBackend } from '../backend/workbench-backend';

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Remote agents (boards running `edge-workbench serve`) that the engine behind this UI drives: their
 * connection state and System facts, kept current by the engine's `agents` events.
 */
export const useAgentsStore = defineStore('agents', () => {
  const agents = ref<AgentInfo[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const adding = ref(false);
  const addError = ref<string | null>(null);
  /** the agent whose Remove waits for a second click */
  const confirmingRemove = ref<string | null>(null);
  let unsubscribe: (() => void) | null = null;

  const online = computed(() => agents.value.filter((agent) => agent.state === 'online'));

  function byId(id: string | null): AgentInfo | undefined {
    return id === null ? undefined : agents.value.find((agent) => agent.id === id);
  }

  /** Read the list once and follow its changes. */
  async function load(): Promise<void> {
    try {
      const backend = useBackend();
      unsubscribe ??= backend.onEvent((message) => {
        if (message.kind === 'agents') {
          agents.value = message.agents;
          loaded.value = true;
        }
      });
      agents.value = await backend.listAgents();
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      error.value = messageOf(cause);
    }
  }

  /** Add an agent by the URL its serve printed (token inside or given apart); true when added. */
  async function add(url: string, token: string, name: string): Promise<boolean> {
    adding.value = true;
    addError.value = null;
    try {
      const added = await useBackend().addAgent({
        url: url.trim(),
        ...(token.trim() ? { token: token.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      agents.value = [...agents.value.filter((agent) => agent.id !== added.id), added];
      return true;
    } catch (cause) {
      addError.value = messageOf(cause);
      return false;
    } finally {
      adding.value = false;
    }
  }

  /** First click asks, second removes (its copied runs stay in History). */
  async function remove(id: string): Promise<void> {
    if (confirmingRemove.value !== id) {
      confirmingRemove.value = id;
      return;
    }
    confirmingRemove.value = null;
    try {
      await useBackend().removeAgent(id);
      agents.value = agents.value.filter((agent) => agent.id !== id);
    } catch (cause) {
      error.value = messageOf(cause);
    }
  }

  return { agents, loaded, error, adding, addError, confirmingRemove, online, byId, load, add, remove };
});
