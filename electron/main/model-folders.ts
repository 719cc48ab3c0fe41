import path from 'node:path';
import { z } from 'zod';
import { createJsonStateWriter, readJsonState } from './json-state-file';

const ModelFoldersFileSchema = z.object({
  version: z.literal(1),
  /** absolute folders the user picked in Open model folder… (or the folders of picked .onnx files) */
  folders: z.array(z.string().refine((dir) => path.isAbsolute(dir), 'expected an absolute path')),
});

/** The folders picked in earlier sessions, so their models stay openable after a restart. */
export interface PickedModelFolders {
  /** as read at start, plus those remembered since */
  list(): readonly string[];
  /** add one and save the list (atomically); resolves once saved, rejects with why not */
  remember(dir: string): Promise<void>;
}

export async function loadPickedModelFolders(file: string): Promise<PickedModelFolders> {
  const saved = await readJsonState(file, ModelFoldersFileSchema, 'list of model folders picked before');
  const folders = [...new Set(saved?.folders ?? [])];
  const writer = createJsonStateWriter<z.infer<typeof ModelFoldersFileSchema>>(file);
  return {
    list: () => [...folders],
    async remember(dir) {
      if (folders.includes(dir)) return;
      folders.push(dir);
      await writer.write({ version: 1, folders: [...folders] });
    },
  };
}

/**
 * Folders allowed on the command line, as `edge-workbench serve --allow-dir` does:
 * `--allow-dir=DIR` or `--allow-dir DIR`, repeatable (scripted runs and the e2e tests, which cannot
 * click through a system dialog). Made absolute against the working folder.
 */
export function allowedDirsFromArgs(argv: readonly string[], cwd = process.cwd()): string[] {
  const dirs: string[] = [];
  argv.forEach((arg, index) => {
    const value = arg.startsWith('--allow-dir=')
      ? arg.slice('--allow-dir='.length)
      : arg === '--allow-dir'
        ? argv[index + 1]
        : undefined;
    if (value) dirs.push(path.resolve(cwd, value));
  });
  return dirs;
}
