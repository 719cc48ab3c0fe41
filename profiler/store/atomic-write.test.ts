import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from './atomic-write';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'atomic-write-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

describe('writeFileAtomic', () => {
  it('creates and then replaces the file, leaving no temp file', async () => {
    const file = path.join(dir, 'run.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second, longer');
    expect(await fsp.readFile(file, 'utf8')).toBe('second, longer');
    expect(await fsp.readdir(dir)).toEqual(['run.json']);
  });

  it('keeps the previous file and removes the temp file when the process "crashes" before the rename', async () => {
    const file = path.join(dir, 'run.json');
    await writeFileAtomic(file, 'previous');
    let tempSeen = '';
    const crashingFs: AtomicWriteFs = {
      ...fsp,
      rename: async (from) => {
        tempSeen = await fsp.readFile(from, 'utf8');
        throw errno('EIO', 'simulated crash between write and rename');
      },
    };
    await expect(writeFileAtomic(file, 'next', crashingFs)).rejects.toThrow(/simulated crash/);
    expect(tempSeen).toBe('next'); // the temp file was complete: the crash really fell between the two
    expect(await fsp.readFile(file, 'utf8')).toBe('previous');
    expect(await fsp.readdir(dir)).toEqual(['run.json']);
  });

  it('keeps the previous file when the write itself fails part-way', async () => {
    const file = path.join(dir, 'run.json');
    await writeFileAtomic(file, 'previous');
    const fullDiskFs: AtomicWriteFs = {
      ...fsp,
      open: async (...args: Parameters<typeof fsp.open>) => {
        const handle = await fsp.open(...args);
        if (args[1] === 'wx') {
          handle.writeFile = async () => {
            await handle.write('nex'); // a partial write, then the disk is full
            throw errno('ENOSPC', 'no space left on device');
          };
        }
        return handle;
      },
    };
    await expect(writeFileAtomic(file, 'next', fullDiskFs)).rejects.toThrow(/ENOSPC/);
    expect(await fsp.readFile(file, 'utf8')).toBe('previous');
    expect(await fsp.readdir(dir)).toEqual(['run.json']);
  });

  it('still succeeds where the platform cannot open a folder to fsync it (Windows)', async () => {
    const file = path.join(dir, 'run.json');
    const noDirSyncFs: AtomicWriteFs = {
      ...fsp,
      open: async (...args: Parameters<typeof fsp.open>) => {
        if (args[0] === dir) throw errno('EISDIR', 'illegal operation on a directory');
        return fsp.open(...args);
      },
    };
    await writeFileAtomic(file, 'content', noDirSyncFs);
    expect(await fsp.readFile(file, 'utf8')).toBe('content');
  });

  it('reports a folder that does not exist, creating nothing', async () => {
    const file = path.join(dir, 'missing', 'run.json');
    await expect(writeFileAtomic(file, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsp.readdir(dir)).toEqual([]);
  });
});
