import { describe, expect, it, vi } from 'vitest';
import { desktopBridge, type DesktopBridge } from './desktop-bridge';

function exposed(overrides: Partial<Record<keyof DesktopBridge, unknown>> = {}) {
  return {
    openModelFolder: vi.fn(async () => '/models/qwen'),
    openModelFile: vi.fn(async () => null),
    importRunFile: vi.fn(async () => ({ id: 'r1', originalId: 'r1' })),
    exportRun: vi.fn(async () => '/home/me/run.csv'),
    saveReportPdf: vi.fn(async () => '/home/me/run.pdf'),
    onMenuCommand: vi.fn(() => () => undefined),
    ...overrides,
  };
}

describe('desktopBridge', () => {
  it('is null in a browser, and for a preload that lacks any of the functions', () => {
    expect(desktopBridge({})).toBeNull();
    expect(desktopBridge({ workbenchDesktop: 'nope' })).toBeNull();
    expect(desktopBridge({ workbenchDesktop: { saveReportPdf: vi.fn() } })).toBeNull();
    expect(desktopBridge({ workbenchDesktop: exposed({ exportRun: undefined }) })).toBeNull();
  });

  it('reads window.workbenchDesktop by default', () => {
    expect(desktopBridge()).toBeNull(); // no preload in a test
  });

  it('forwards each call with its arguments', async () => {
    const preload = exposed();
    const bridge = desktopBridge({ workbenchDesktop: preload })!;
    await expect(bridge.openModelFolder()).resolves.toBe('/models/qwen');
    await expect(bridge.exportRun('run-1', 'csv')).resolves.toBe('/home/me/run.csv');
    expect(preload.exportRun).toHaveBeenCalledWith('run-1', 'csv');
    const listener = vi.fn();
    bridge.onMenuCommand(listener);
    expect(preload.onMenuCommand).toHaveBeenCalledWith(listener);
  });

  it("gives back the desktop app's own error message, without Electron's IPC wrapping", async () => {
    const bridge = desktopBridge({
      workbenchDesktop: exposed({
        importRunFile: vi.fn(async () => {
          throw new Error(
            "Error invoking remote method 'workbench-desktop:importRunFile': Error: Could not import “bad.json”: not a run document",
          );
        }),
      }),
    })!;
    await expect(bridge.importRunFile()).rejects.toThrow(
      /^Could not import “bad\.json”: not a run document$/,
    );
  });
});
