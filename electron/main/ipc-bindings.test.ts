import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { workbenchMethodNames, type SystemInfo, type WorkbenchApi } from '../../profiler/api';
import { bindWorkbenchIpc, forwardWorkbenchEvents, type IpcHandlerRegistry } from './ipc-bindings';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpc(): IpcHandlerRegistry & { handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as IpcHandlerRegistry & { handlers: Map<string, Handler> };
}

const ownEvent = { senderFrame: { url: 'file:///app/index.html' } } as unknown as IpcMainInvokeEvent;
const strangerEvent = { senderFrame: { url: 'https://evil.example/' } } as unknown as IpcMainInvokeEvent;

describe('bindWorkbenchIpc', () => {
  // only system() is called here; the rest of the API is not needed
  const api = {
    system: vi.fn(async () => ({ app: { name: 'x' } }) as unknown as SystemInfo),
  } as unknown as WorkbenchApi;
  const isOwn = (event: IpcMainInvokeEvent): boolean => event.senderFrame?.url === 'file:///app/index.html';

  it('registers one channel per WorkbenchApi method, and removes them', () => {
    const ipc = fakeIpc();
    const unbind = bindWorkbenchIpc(ipc, api, isOwn);
    expect([...ipc.handlers.keys()]).toEqual(workbenchMethodNames.map((method) => `workbench:${method}`));
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers our own window', async () => {
    const ipc = fakeIpc();
    bindWorkbenchIpc(ipc, api, isOwn);
    await expect(ipc.handlers.get('workbench:system')!(ownEvent)).resolves.toEqual({ app: { name: 'x' } });
  });

  it('refuses a frame that is not our page', () => {
    const ipc = fakeIpc();
    bindWorkbenchIpc(ipc, api, isOwn);
    expect(() => ipc.handlers.get('workbench:system')!(strangerEvent)).toThrow(
      /did not come from the workbench/,
    );
  });

  it('validates arguments with the schema', async () => {
    const ipc = fakeIpc();
    bindWorkbenchIpc(ipc, api, isOwn);
    await expect(ipc.handlers.get('workbench:system')!(ownEvent, 'extra')).rejects.toThrow(
      /Invalid arguments/,
    );
  });
});

describe('forwardWorkbenchEvents', () => {
  it('sends each engine event to every live window on the event channel, until unsubscribed', () => {
    let emit: (event: unknown) => void = () => undefined;
    const api = {
      onEvent: (listener: (event: unknown) => void) => ((emit = listener), () => (emit = () => undefined)),
    };
    const live = { send: vi.fn(), isDestroyed: () => false };
    const closed = { send: vi.fn(), isDestroyed: () => true };
    const stop = forwardWorkbenchEvents(api as never, () => [live, closed]);
    emit({ kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } });
    expect(live.send).toHaveBeenCalledWith('workbench:event', {
      kind: 'sweep',
      runId: 'r1',
      event: { type: 'done', status: 'completed' },
    });
    expect(closed.send).not.toHaveBeenCalled();
    stop();
    emit({ kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } });
    expect(live.send).toHaveBeenCalledOnce();
  });
});
