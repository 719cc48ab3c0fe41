import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { describeZodError } from '../../common/zod-errors';
import { writeFileAtomic } from '../../profiler/engine/host-files';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A small JSON file the desktop app keeps for itself (window placement, picked model folders), read
 * through its zod schema. Missing: null. Unreadable, not JSON or not the schema: null too, with a
 * console warning saying which file and why — a broken state file costs a default, never the start.
 */
export async function readJsonState<S extends z.ZodType>(
  file: string,
  schema: S,
  what: string,
): Promise<z.infer<S> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      console.warn(`Could not read the ${what} (${file}): ${messageOf(error)}. Starting without it.`);
    }
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    console.warn(`The ${what} (${file}) is not JSON (${messageOf(error)}). Starting without it.`);
    return null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.warn(
      `The ${what} (${file}) is not what this version writes (${describeZodError(parsed.error, 'file')}). ` +
        'Starting without it.',
    );
    return null;
  }
  return parsed.data;
}

/** Saves one JSON state file; writes run one after another, so the last one asked for lands last. */
export interface JsonStateWriter<T> {
  /** resolves once this value is on disk; rejects with why it could not be written */
  write(value: T): Promise<void>;
  /** resolves once every write asked for so far has finished, however it ended */
  flush(): Promise<void>;
}

export function createJsonStateWriter<T>(file: string): JsonStateWriter<T> {
  let tail: Promise<void> = Promise.resolve();
  return {
    write(value) {
      const text = `${JSON.stringify(value, null, 2)}\n`;
      const done = tail.then(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, text);
      });
      tail = done.catch(() => undefined); // the caller hears of the failure; the next write still runs
      return done;
    },
    flush: () => tail,
  };
}
