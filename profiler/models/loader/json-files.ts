import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { describeZodError } from '../../../common/zod-errors';
import { ModelFolderError } from './model-folder-error';

/**
 * Reads a JSON file beside a model (config.json, genai_config.json, workbench.json) and checks it
 * against a schema; undefined when the file does not exist, since each of them is optional somewhere.
 */
export async function readJsonFile<T extends z.ZodType>(
  file: string,
  schema: T,
  whatToDo: string,
): Promise<z.infer<T> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ModelFolderError(`${file} is not valid JSON (${detail}). ${whatToDo}`, file, 'invalid-json', {
      cause: error,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = describeZodError(parsed.error, path.basename(file));
    throw new ModelFolderError(
      `${file} has unexpected content: ${detail}. ${whatToDo}`,
      file,
      'invalid-json',
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}
