import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAME, resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('prefers --data-dir, then EDGE_WORKBENCH_HOME', () => {
    expect(resolveDataDir('rel/dir', { EDGE_WORKBENCH_HOME: '/env' })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { EDGE_WORKBENCH_HOME: '/env/home' })).toBe('/env/home');
  });

  it("defaults to the per-user app-data folder Electron's userData uses", () => {
    const dir = resolveDataDir(undefined, {});
    expect(path.basename(dir)).toBe(PRODUCT_NAME);
    expect(dir.startsWith(os.homedir()) || dir.includes('AppData')).toBe(true);
  });
});
