import { describe, expect, it } from 'vitest';
import { workbenchMethodNames } from '../../profiler/api/channels';
import { createFakeBackend } from './fake-backend';

describe('createFakeBackend', () => {
  it('rejects every method the test did not stub, naming it', async () => {
    const backend = createFakeBackend({ listRuns: async () => ({ runs: [], problems: [] }) });
    await expect(backend.listRuns()).resolves.toEqual({ runs: [], problems: [] });
    for (const method of workbenchMethodNames.filter((name) => name !== 'listRuns')) {
      await expect((backend[method] as () => Promise<unknown>)()).rejects.toThrow(`not stubbed: ${method}`);
    }
    expect(backend.listRuns).toHaveBeenCalledOnce();
  });

  it('hands emitted events to subscribers until they unsubscribe', () => {
    const backend = createFakeBackend();
    const seen: string[] = [];
    const stop = backend.onEvent((event) => seen.push(event.kind));
    backend.emit({ kind: 'agents', agents: [] });
    stop();
    backend.emit({ kind: 'agents', agents: [] });
    expect(seen).toEqual(['agents']);
  });

  it('has connection changes on the socket door only, as the real backends', () => {
    const socket = createFakeBackend();
    const states: string[] = [];
    socket.onConnection?.((connection) => states.push(connection.state));
    socket.emitConnection({ state: 'open' });
    expect(states).toEqual(['open']);
    expect(createFakeBackend({}, { kind: 'electron' }).onConnection).toBeUndefined();
  });
});
