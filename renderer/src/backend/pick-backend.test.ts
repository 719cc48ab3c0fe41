import { describe, expect, it } from 'vitest';
import { createFakeBackend } from '../../test/fake-backend';
import { systemInfo } from '../../test/system-info';
import { pickBackend } from './pick-backend';

const location = { origin: 'http://127.0.0.1:7420', search: '' };

describe('pickBackend', () => {
  it('uses the Electron bridge when the preload exposed one', async () => {
    // the preload's bridge has the backend's methods and onEvent
    const bridge = createFakeBackend({ system: async () => systemInfo() }, { kind: 'electron' });
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
    const bridge = createFakeBackend(
      {
        system: async () => {
          throw new Error(
            "Error invoking remote method 'workbench:system': Error: Invalid arguments for system",
          );
        },
      },
      { kind: 'electron' },
    );
    await expect(pickBackend({ workbench: bridge, location }).system()).rejects.toThrow(
      /^Invalid arguments for system$/,
    );
  });
});
