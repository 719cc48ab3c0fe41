import { describe, expect, it, vi } from 'vitest';
import { dispatchWorkbenchCall, WorkbenchCallError } from './dispatch';
import type { SystemInfo } from '../../common/schemas/system-info';
import type { WorkbenchApi } from './workbench-api';

function fakeApi(): WorkbenchApi & { system: ReturnType<typeof vi.fn> } {
  // only system() is called here; the rest of the API is not needed
  return {
    system: vi.fn(async () => ({ app: { name: 'x' } }) as unknown as SystemInfo),
  } as unknown as WorkbenchApi & {
    system: ReturnType<typeof vi.fn>;
  };
}

describe('dispatchWorkbenchCall', () => {
  it('calls the engine method with validated arguments', async () => {
    const api = fakeApi();
    await expect(dispatchWorkbenchCall(api, 'system', [])).resolves.toEqual({ app: { name: 'x' } });
    expect(api.system).toHaveBeenCalledOnce();
  });

  it('refuses an unknown method by name, without calling anything', async () => {
    const api = fakeApi();
    const call = dispatchWorkbenchCall(api, 'deleteEverything', []);
    await expect(call).rejects.toThrow(WorkbenchCallError);
    await expect(call).rejects.toThrow('Unknown WorkbenchApi method "deleteEverything"');
    expect(api.system).not.toHaveBeenCalled();
  });

  it('refuses arguments that do not match the schema, saying which', async () => {
    const api = fakeApi();
    const call = dispatchWorkbenchCall(api, 'system', ['surprise']);
    await expect(call).rejects.toMatchObject({ code: 'invalid-arguments' });
    await expect(call).rejects.toThrow(/Invalid arguments for system: args/);
    expect(api.system).not.toHaveBeenCalled();
  });

  it('refuses a prototype key posing as a method', async () => {
    await expect(dispatchWorkbenchCall(fakeApi(), 'toString', [])).rejects.toMatchObject({
      code: 'unknown-method',
    });
  });
});
