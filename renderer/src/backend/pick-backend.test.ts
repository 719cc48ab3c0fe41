import { describe, expect, it, vi } from 'vitest';
import type { SystemInfo, WorkbenchApi, WorkbenchEvents } from '../../../profiler/api';

/** A preload bridge with only what a test calls. */
type Bridge = WorkbenchApi & WorkbenchEvents;
import { pickBackend } from './pick-backend';

const location = { origin: 'http://127.0.0.1:7420', search: '' };

describe('pickBackend', () => {
  it('uses the Electron bridge when the preload exposed one', async () => {
    const bridge = { system: vi.fn(async () => ({}) as SystemInfo), onEvent: vi.fn() } as unknown as Bridge;
    const backend = pickBackend({ workbench: bridge, location });
    expect(backend.kind).toBe('electron');
    await backend.system();
    expect(bridge.system).toHaveBeenCalledOnce();
  });

  it('uses the serve WebSocket in a plain browser', () => {
    const backend = pickBackend({ location });
    expect(backend.kind).toBe('socket');
    expect(backend.location).toBe('127.0.0.1:7420');
  });

  it("turns Electron's IPC error wrapper back into the engine's own message", async () => {
    const bridge = {
      system: vi.fn(async () => {
        throw new Error(
          "Error invoking remote method 'workbench:system': Error: Invalid arguments for system",
        );
      }),
    } as unknown as Bridge;
    await expect(pickBackend({ workbench: bridge, location }).system()).rejects.toThrow(
      /^Invalid arguments for system$/,
    );
  });
});
