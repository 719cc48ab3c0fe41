import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allowedDirsFromArgs, loadPickedModelFolders } from './model-folders';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ew-folders-'));
  file = path.join(dir, 'desktop', 'model-folders.json');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('the model folders picked before', () => {
  it('starts empty, remembers picked folders once each, and reads them back next start', async () => {
    const first = await loadPickedModelFolders(file);
    expect(first.list()).toEqual([]);
    await first.remember('/models/qwen');
    await first.remember('/models/smollm');
    await first.remember('/models/qwen');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      folders: ['/models/qwen', '/models/smollm'],
    });
    expect((await loadPickedModelFolders(file)).list()).toEqual(['/models/qwen', '/models/smollm']);
  });

  it.each([
    ['not JSON', '{"version":1,"folders":['],
    ['not the schema', '{"version":1,"folders":"/models"}'],
    ['a relative folder', '{"version":1,"folders":["models"]}'],
    ['a newer version', '{"version":2,"folders":[]}'],
  ])('starts empty with a warning naming the file when it is %s', async (_what, text) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    const folders = await loadPickedModelFolders(file);
    expect(folders.list()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(file));
    // and the next pick replaces the broken file
    await folders.remember('/models/qwen');
    expect((await loadPickedModelFolders(file)).list()).toEqual(['/models/qwen']);
  });
});

describe('folders allowed on the command line', () => {
  it('reads --allow-dir in both spellings, repeated, made absolute', () => {
    expect(
      allowedDirsFromArgs(
        [
          '/opt/electron',
          '.',
          '--allow-dir=/tmp/models',
          '--allow-dir',
          'rel/models',
          '--no-sandbox',
          '--allow-dir',
        ],
        '/home/me',
      ),
    ).toEqual(['/tmp/models', path.resolve('/home/me', 'rel/models')]);
  });
});
