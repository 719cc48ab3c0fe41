import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a cache file of the data folder (`cache/…json`) whole or not at all: a temporary file beside
 * it, then a rename, so a reader never sees half a file. `what` names the cache in the error.
 */
export async function writeJsonAtomically(file: string, value: unknown, what: string): Promise<void> {
  const tempFile = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tempFile, `${JSON.stringify(value, null, 2)}\n`);
    await rename(tempFile, file);
  } catch (error) {
    await rm(tempFile, { force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not write the ${what} ${file}: ${detail}`, { cause: error });
  }
}
