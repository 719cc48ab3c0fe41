import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveModelRoots } from './serve-command';

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ew-serve-roots-')));
const dataDir = path.join(base, 'data');
const extra = path.join(base, 'extra');
mkdirSync(extra);
writeFileSync(path.join(base, 'file.txt'), '');
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('serve: which folders clients may open models from', () => {
  it("allows the data folder's models/ by default (even before it exists), and each --allow-dir", () => {
    expect(serveModelRoots(dataDir, []).list()).toEqual([path.join(dataDir, 'models')]);
    expect(serveModelRoots(dataDir, [extra]).list()).toEqual([path.join(dataDir, 'models'), extra]);
  });

  it('refuses an --allow-dir that is not an existing folder, naming it', () => {
    expect(() => serveModelRoots(dataDir, [path.join(base, 'typo')])).toThrow(
      /--allow-dir .*typo: no such folder/,
    );
    expect(() => serveModelRoots(dataDir, [path.join(base, 'file.txt')])).toThrow(/no such folder/);
  });

  it('tells a refused client to restart serve with --allow-dir', async () => {
    await expect(serveModelRoots(dataDir, []).resolve(extra)).rejects.toThrow(
      /not under a folder .* Restart serve with `--allow-dir <folder>`/,
    );
  });
});
