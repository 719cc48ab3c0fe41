import type {
  BrowserWindow,
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
} from 'electron';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { WorkbenchApi } from '../../profiler/api';
import { formatBytes } from '../../common/units';
import { writeFileAtomic } from '../../profiler/engine/host-files';
import type { DesktopMethodArgs, ImportedRunFile } from './desktop-schemas';

/** Electron's dialog module, with the parent window optional (tests pass a fake). */
export interface DialogHost {
  showOpenDialog(parent: BrowserWindow | null, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(parent: BrowserWindow | null, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export interface DesktopDialogDeps {
  api: Pick<WorkbenchApi, 'importRun' | 'exportRun'>;
  dialogs: DialogHost;
  /** let the engine open models under `dir` from now on, and remember it for the next start */
  allowModelFolder(dir: string): Promise<void>;
  /** where save dialogs start (the user's Documents folder) */
  documentsDir: string;
}

/** bytes; the largest run file importRun takes (its schema's limit on the text) */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

type ExportFormat = DesktopMethodArgs<'exportRun'>[1];

const EXPORT_FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  html: { name: 'HTML report', extensions: ['html'] },
  md: { name: 'Markdown', extensions: ['md'] },
  csv: { name: 'CSV', extensions: ['csv'] },
  json: { name: 'Run document (JSON)', extensions: ['json'] },
  jsonl: { name: "llama-bench's records (JSON lines)", extensions: ['jsonl'] },
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one path picked, or null when the dialog was cancelled. */
async function pickOne(deps: DesktopDialogDeps, parent: BrowserWindow | null, options: OpenDialogOptions) {
  const choice = await deps.dialogs.showOpenDialog(parent, options);
  return choice.canceled ? null : (choice.filePaths[0] ?? null);
}

/**
 * Open model folder…: a folder picked in the system dialog is allowed to the engine (its model-path
 * policy refuses folders the user did not choose) and remembered. Resolves to the folder, or null.
 */
export async function openModelFolder(
  deps: DesktopDialogDeps,
  parent: BrowserWindow | null,
): Promise<string | null> {
  const dir = await pickOne(deps, parent, {
    title: 'Open model folder',
    buttonLabel: 'Open folder',
    properties: ['openDirectory', 'dontAddToRecent'],
  });
  if (dir) await deps.allowModelFolder(dir);
  return dir;
}

/** A single .onnx file (next to its config.json): its folder is allowed. Resolves to the file, or null. */
export async function openModelFile(
  deps: DesktopDialogDeps,
  parent: BrowserWindow | null,
): Promise<string | null> {
  const file = await pickOne(deps, parent, {
    title: 'Open an ONNX model file',
    properties: ['openFile', 'dontAddToRecent'],
    filters: [{ name: 'ONNX model', extensions: ['onnx'] }],
  });
  if (file) await deps.allowModelFolder(path.dirname(file));
  return file;
}

/**
 * Import run…: a run file (JSON) picked in the dialog, read here and handed to the engine's importRun
 * (which validates it and never overwrites). Resolves to the stored run's ids, or null when cancelled.
 */
export async function importRunFile(
  deps: DesktopDialogDeps,
  parent: BrowserWindow | null,
): Promise<ImportedRunFile | null> {
  const file = await pickOne(deps, parent, {
    title: 'Import a run file',
    properties: ['openFile'],
    filters: [
      { name: 'Run document (JSON)', extensions: ['json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (!file) return null;
  const name = path.basename(file);
  try {
    const { size } = await stat(file);
    if (size > MAX_RUN_FILE_BYTES) {
      throw new Error(
        `it is ${formatBytes(size)}; a run file is at most ${formatBytes(MAX_RUN_FILE_BYTES)}. Is it a run document?`,
      );
    }
    return await deps.api.importRun(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Could not import “${name}”: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Export… Save as: the engine's export of the run (its file name as the suggestion), written where
 * the user chose atomically (a temp file renamed over the target: a crash never leaves half a report).
 * Resolves to the saved path, or null when cancelled.
 */
export async function exportRunToFile(
  deps: DesktopDialogDeps,
  parent: BrowserWindow | null,
  runId: string,
  format: ExportFormat,
): Promise<string | null> {
  const exported = await deps.api.exportRun(runId, format);
  const choice = await deps.dialogs.showSaveDialog(parent, {
    title: 'Save the run as',
    defaultPath: path.join(deps.documentsDir, exported.fileName),
    filters: [EXPORT_FILTERS[format]],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (choice.canceled || !choice.filePath) return null;
  try {
    await writeFileAtomic(choice.filePath, exported.text);
  } catch (error) {
    throw new Error(`Could not save ${choice.filePath}: ${messageOf(error)}`, { cause: error });
  }
  return choice.filePath;
}

/** Electron's dialog as a DialogHost: modal to the asking window when there is one. */
export function dialogHostOf(dialog: Electron.Dialog): DialogHost {
  return {
    showOpenDialog: (parent, options) =>
      parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options),
    showSaveDialog: (parent, options) =>
      parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options),
  };
}
