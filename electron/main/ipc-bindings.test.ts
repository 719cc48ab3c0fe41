import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  workbenchMethodNames,
  type SystemInfo,
  type WorkbenchApi,
  type WorkbenchEvent,
} from '../../profiler/api';
import { desktopMethodNames } from '../../common/desktop-channels';
import {
  bindDesktopIpc,
  bindWorkbenchIpc,
  forwardWorkbenchEvents,
  type DesktopHandlers,
  type IpcHandlerRegistry,
} from './ipc-bindings';
import type { IpcSenderEvent } from './sender-check';

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
const isOwn = (event: IpcSenderEvent): boolean => event.senderFrame?.url === 'file:///app/index.html';

describe('bindWorkbenchIpc', () => {
  // only system() is called here; the rest of the API is not needed
  const api = {
    system: vi.fn(async () => ({ app: { name: 'x' } }) as unknown as SystemInfo),
  } as unknown as WorkbenchApi;

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
      /Refused system: the request did not come from the workbench window/,
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

describe('bindDesktopIpc', () => {
  function bound() {
    const handlers = {
      openModelFolder: vi.fn(async () => '/models/qwen'),
      openModelFile: vi.fn(async () => null),
      importRunFile: vi.fn(async () => ({ id: 'r1', originalId: 'r1' })),
      exportRun: vi.fn(async () => '/home/me/run.csv'),
      saveReportPdf: vi.fn(async () => '/home/me/run.pdf'),
    } satisfies DesktopHandlers;
    const ipc = fakeIpc();
    const unbind = bindDesktopIpc(ipc, handlers, isOwn);
    const call = (channel: string, event: IpcMainInvokeEvent, ...args: unknown[]) =>
      ipc.handlers.get(`workbench-desktop:${channel}`)!(event, ...args);
    return { handlers, ipc, unbind, call };
  }

  it('registers one channel per desktop ability, and removes them', () => {
    const { ipc, unbind } = bound();
    expect([...ipc.handlers.keys()]).toEqual(
      desktopMethodNames.map((method) => `workbench-desktop:${method}`),
    );
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes checked arguments and the asking event to the handler', async () => {
    const { handlers, call } = bound();
    await expect(call('exportRun', ownEvent, 'run-1', 'csv')).resolves.toBe('/home/me/run.csv');
    expect(handlers.exportRun).toHaveBeenCalledWith(ownEvent, 'run-1', 'csv');
    await expect(call('openModelFolder', ownEvent)).resolves.toBe('/models/qwen');
  });

  it('refuses strangers before anything opens a dialog', () => {
    const { handlers, call } = bound();
    expect(() => call('openModelFolder', strangerEvent)).toThrow(/Refused openModelFolder/);
    expect(handlers.openModelFolder).not.toHaveBeenCalled();
  });

  it("checks payloads with the API's schemas: a run id and a known format", () => {
    const { handlers, call } = bound();
    expect(() => call('exportRun', ownEvent, 'run-1', 'exe')).toThrow(
      /Invalid arguments for exportRun: args\[1\]/,
    );
    expect(() => call('saveReportPdf', ownEvent, '')).toThrow(/Invalid arguments for saveReportPdf/);
    expect(() => call('saveReportPdf', ownEvent, 42)).toThrow(/Invalid arguments for saveReportPdf/);
    expect(() => call('openModelFolder', ownEvent, '/etc')).toThrow(/Invalid arguments for openModelFolder/);
    expect(handlers.exportRun).not.toHaveBeenCalled();
    expect(handlers.saveReportPdf).not.toHaveBeenCalled();
    expect(handlers.openModelFolder).not.toHaveBeenCalled();
  });
});

describe('forwardWorkbenchEvents', () => {
  it("publishes each engine event to the windows' outbox, until unsubscribed", () => {
    let emit: (event: WorkbenchEvent) => void = () => undefined;
    const api = {
      onEvent: (listener: (event: WorkbenchEvent) => void) => (
        (emit = listener),
        () => (emit = () => undefined)
      ),
    };
    const outbox = { publish: vi.fn() };
    const stop = forwardWorkbenchEvents(api, outbox);
    const done: WorkbenchEvent = { kind: 'sweep', runId: 'r1', event: { type: 'done', status: 'completed' } };
    emit(done);
    expect(outbox.publish).toHaveBeenCalledWith(done);
    stop();
    emit(done);
    expect(outbox.publish).toHaveBeenCalledOnce();
  });
});
