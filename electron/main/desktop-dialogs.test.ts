import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  exportRunToFile,
  importRunFile,
  MAX_RUN_FILE_BYTES,
  openModelFile,
  openModelFolder,
  type DesktopDialogDeps,
} from './desktop-dialogs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ew-dialogs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Dialog answers a test scripts: the paths picked, or a cancel. */
function deps(answer: { open?: string | null; save?: string | null }) {
  const opened: OpenDialogOptions[] = [];
  const saved: SaveDialogOptions[] = [];
  const d = {
    api: {
      importRun: vi.fn(async (text: string) => ({ id: 'r9-2', originalId: JSON.parse(text).id as string })),
      exportRun: vi.fn(async (runId: string, format: string) => ({
        fileName: `${runId}.${format}`,
        mimeType: 'text/csv',
        text: 'trial,decode tok/s\n1,31.8\n',
      })),
    },
    dialogs: {
      showOpenDialog: vi.fn(async (_parent: unknown, options: OpenDialogOptions) => {
        opened.push(options);
        return answer.open
          ? { canceled: false, filePaths: [answer.open] }
          : { canceled: true, filePaths: [] };
      }),
      showSaveDialog: vi.fn(async (_parent: unknown, options: SaveDialogOptions) => {
        saved.push(options);
        return answer.save ? { canceled: false, filePath: answer.save } : { canceled: true, filePath: '' };
      }),
    },
    allowModelFolder: vi.fn(async () => undefined),
    documentsDir: '/home/me/Documents',
  } satisfies DesktopDialogDeps;
  return { deps: d, opened, saved };
}

describe('Open model folder…', () => {
  it('allows the picked folder to the engine and answers it', async () => {
    const { deps: d, opened } = deps({ open: '/models/Qwen3-0.6B-ONNX' });
    await expect(openModelFolder(d, null)).resolves.toBe('/models/Qwen3-0.6B-ONNX');
    expect(opened[0]!.properties).toContain('openDirectory');
    expect(d.allowModelFolder).toHaveBeenCalledWith('/models/Qwen3-0.6B-ONNX');
  });

  it('allows nothing when cancelled', async () => {
    const { deps: d } = deps({ open: null });
    await expect(openModelFolder(d, null)).resolves.toBeNull();
    expect(d.allowModelFolder).not.toHaveBeenCalled();
  });

  it('for a single .onnx file, allows the folder it sits in and answers the file', async () => {
    const { deps: d, opened } = deps({ open: '/models/bare/model.onnx' });
    await expect(openModelFile(d, null)).resolves.toBe('/models/bare/model.onnx');
    expect(opened[0]!.filters).toEqual([{ name: 'ONNX model', extensions: ['onnx'] }]);
    expect(d.allowModelFolder).toHaveBeenCalledWith('/models/bare');
  });
});

describe('Import run…', () => {
  it('reads the picked file in main and hands its text to the engine', async () => {
    const file = path.join(dir, 'laptop.json');
    await writeFile(file, '{"id":"r9"}');
    const { deps: d } = deps({ open: file });
    await expect(importRunFile(d, null)).resolves.toEqual({ id: 'r9-2', originalId: 'r9' });
    expect(d.api.importRun).toHaveBeenCalledWith('{"id":"r9"}');
  });

  it('says which file could not be imported, and why', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{}');
    const { deps: d } = deps({ open: file });
    d.api.importRun.mockRejectedValueOnce(new Error('not a run document'));
    await expect(importRunFile(d, null)).rejects.toThrow('Could not import “bad.json”: not a run document');
  });

  it('refuses a file too large to be a run before reading it', async () => {
    const file = path.join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, MAX_RUN_FILE_BYTES + 1);
    const { deps: d } = deps({ open: file });
    await expect(importRunFile(d, null)).rejects.toThrow(/Could not import “huge\.json”: it is 64\.0 MiB/);
    expect(d.api.importRun).not.toHaveBeenCalled();
  });

  it('does nothing when cancelled', async () => {
    const { deps: d } = deps({ open: null });
    await expect(importRunFile(d, null)).resolves.toBeNull();
    expect(d.api.importRun).not.toHaveBeenCalled();
  });
});

describe('Export… Save as', () => {
  it("suggests the engine's file name in Documents, and writes the export where the user chose, whole", async () => {
    const target = path.join(dir, 'my-run.csv');
    const { deps: d, saved } = deps({ save: target });
    await expect(exportRunToFile(d, null, 'run-1', 'csv')).resolves.toBe(target);
    expect(d.api.exportRun).toHaveBeenCalledWith('run-1', 'csv');
    expect(saved[0]!.defaultPath).toBe(path.join('/home/me/Documents', 'run-1.csv'));
    expect(saved[0]!.filters).toEqual([{ name: 'CSV', extensions: ['csv'] }]);
    expect(await readFile(target, 'utf8')).toBe('trial,decode tok/s\n1,31.8\n');
    expect(await readdir(dir)).toEqual(['my-run.csv']); // no temp file left
  });

  it('writes nothing when cancelled', async () => {
    const { deps: d } = deps({ save: null });
    await expect(exportRunToFile(d, null, 'run-1', 'md')).resolves.toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });

  it('says where it could not write', async () => {
    const target = path.join(dir, 'missing-folder', 'run.csv');
    const { deps: d } = deps({ save: target });
    await expect(exportRunToFile(d, null, 'run-1', 'csv')).rejects.toThrow(`Could not save ${target}:`);
  });
});
