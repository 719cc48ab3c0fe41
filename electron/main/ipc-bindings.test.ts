import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { SystemInfo, WorkbenchApi } from '../../profiler/api';
import { bindWorkbenchIpc, type IpcHandlerRegistry } from './ipc-bindings';

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
  const api: WorkbenchApi = { system: vi.fn(async () => ({ app: { name: 'x' } }) as unknown as SystemInfo) };
  const isOwn = (event: IpcMainInvokeEvent): boolean => event.senderFrame?.url === 'file:///app/index.html';

  it('registers one channel per WorkbenchApi method, and removes them', () => {
    const ipc = fakeIpc();
    const unbind = bindWorkbenchIpc(ipc, api, isOwn);
    expect([...ipc.handlers.keys()]).toEqual(['workbench:system']);
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
