import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (...args: unknown[]) => args),
  send: vi.fn(),
});
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) =>
      exposed.set(key, api),
  },
  ipcRenderer,
}));
await import('./index');
const workbench = exposed.get('workbench')!;
const desktop = exposed.get('workbenchDesktop')!;

describe('the preload', () => {
  it('exposes named functions only, each on its own channel — never ipcRenderer', async () => {
    expect(Object.keys(desktop).sort()).toEqual(
      [
        'exportRun',
        'importRunFile',
        'onMenuCommand',
        'openModelFile',
        'openModelFolder',
        'saveReportPdf',
      ].sort(),
    );
    expect(Object.values(workbench).every((value) => typeof value === 'function')).toBe(true);
    await desktop.exportRun!('run-1', 'csv');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('workbench-desktop:exportRun', 'run-1', 'csv');
    await workbench.listRuns!();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('workbench:listRuns');
  });

  it('tells main the page listens on its first event subscription only, then delivers events', () => {
    const seen: unknown[] = [];
    const stop = workbench.onEvent!((event: unknown) => seen.push(event)) as () => void;
    workbench.onEvent!(() => undefined);
    expect(
      ipcRenderer.send.mock.calls.filter(([channel]) => channel === 'workbench:renderer-ready'),
    ).toHaveLength(1);
    ipcRenderer.emit('workbench:event', {}, { kind: 'sweep', runId: 'r1' });
    stop();
    ipcRenderer.emit('workbench:event', {}, { kind: 'sweep', runId: 'r2' });
    expect(seen).toEqual([{ kind: 'sweep', runId: 'r1' }]);
  });

  it('passes on menu commands it knows, and nothing else', () => {
    const commands: unknown[] = [];
    desktop.onMenuCommand!((command: unknown) => commands.push(command));
    expect(ipcRenderer.send).toHaveBeenCalledWith('workbench-desktop:menu-ready');
    ipcRenderer.emit('workbench-desktop:menu', {}, 'import-run');
    ipcRenderer.emit('workbench-desktop:menu', {}, 'rm -rf');
    expect(commands).toEqual(['import-run']);
  });
});
