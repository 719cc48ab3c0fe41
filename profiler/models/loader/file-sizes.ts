import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExternalFile } from '../../../common/schemas/model-inspection';

/** Sizes of files in one folder (one stat each: a multi-GB data file is never opened). */
export async function sizedFiles(dir: string, names: readonly string[]): Promise<ExternalFile[]> {
  return Promise.all(names.map(async (name) => ({ name, bytes: (await stat(path.join(dir, name))).size })));
}
