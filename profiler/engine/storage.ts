import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StorageUsage } from '../api';

/** bytes under a folder (files only; links not followed); 0 when it does not exist */
async function folderBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let bytes = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) bytes += await folderBytes(full);
    else if (entry.isFile()) bytes += await fileBytes(full);
  }
  return bytes;
}

/**
 * bytes of one file; 0 when it is gone: a running sweep saves its run through a temp file that is
 * renamed away between our readdir and lstat, and that must not fail the whole count
 */
async function fileBytes(file: string): Promise<number> {
  try {
    return (await lstat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** What the data folder holds, part by part (ARCHITECTURE.md, "Where things are kept"). */
export async function storageUsage(dataDir: string): Promise<StorageUsage> {
  const [modelsBytes, runsBytes, profilesBytes, cacheBytes] = await Promise.all(
    ['models', 'runs', 'profiles', 'cache'].map((part) => folderBytes(path.join(dataDir, part))),
  );
  return {
    dataDir,
    modelsBytes: modelsBytes!,
    runsBytes: runsBytes!,
    profilesBytes: profilesBytes!,
    cacheBytes: cacheBytes!,
  };
}

/** Remove the model cache (built and quantized variants are rebuilt on demand); returns bytes freed. */
export async function clearModelCache(dataDir: string): Promise<number> {
  const models = path.join(dataDir, 'models');
  const bytes = await folderBytes(models);
  await rm(models, { recursive: true, force: true });
  return bytes;
}
