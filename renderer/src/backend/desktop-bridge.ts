import type { WorkbenchMethodArgs, WorkbenchMethodResult } from '../../../profiler/api';
import { desktopMethodNames, type MenuCommand } from '../../../common/desktop-channels';
import { unwrapIpcError } from './electron-backend';

/** Application-menu commands the page carries out (composables/use-desktop-menu.ts): common's list. */
export type DesktopMenuCommand = MenuCommand;

/** the formats exportRun writes */
export type ExportFormat = WorkbenchMethodArgs<'exportRun'>[1];

/**
 * What the desktop app's preload adds to the page as `window.workbenchDesktop`: native dialogs and
 * printing, which a browser does its own way (file inputs, downloads, print). Each call resolves to
 * null when the user cancels the dialog.
 */
export interface DesktopBridge {
  /** a model folder picked in the system dialog, now allowed to the engine */
  openModelFolder(): Promise<string | null>;
  /** a single .onnx file picked in the system dialog (its folder allowed to the engine) */
  openModelFile(): Promise<string | null>;
  /** a run file picked, read and imported by the desktop app */
  importRunFile(): Promise<WorkbenchMethodResult<'importRun'> | null>;
  /** the run exported in `format` and saved where the user chose: the saved path */
  exportRun(runId: string, format: ExportFormat): Promise<string | null>;
  /** the run's HTML report printed to a PDF file: the saved path */
  saveReportPdf(runId: string): Promise<string | null>;
  /** application-menu commands; returns the unsubscribe function */
  onMenuCommand(listener: (command: DesktopMenuCommand) => void): () => void;
}

/** the desktop methods, one channel each, and the menu subscription */
const BRIDGE_FUNCTIONS = [
  ...desktopMethodNames,
  'onMenuCommand',
] as const satisfies readonly (keyof DesktopBridge)[];

function unwrapped<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => call(...args).catch((error: unknown) => Promise.reject(unwrapIpcError(error)));
}

/**
 * The desktop bridge when the page runs in the desktop app (the preload exposed every function), else
 * null: the browser door, or a preload from another version. Errors come back with the desktop app's
 * own message, without Electron's IPC wrapping.
 */
export function desktopBridge(
  host: { workbenchDesktop?: unknown } = globalThis as { workbenchDesktop?: unknown },
): DesktopBridge | null {
  const exposed = host.workbenchDesktop as Partial<Record<keyof DesktopBridge, unknown>> | undefined;
  if (typeof exposed !== 'object' || exposed === null) return null;
  if (!BRIDGE_FUNCTIONS.every((name) => typeof exposed[name] === 'function')) return null;
  const bridge = exposed as DesktopBridge;
  return {
    openModelFolder: unwrapped(() => bridge.openModelFolder()),
    openModelFile: unwrapped(() => bridge.openModelFile()),
    importRunFile: unwrapped(() => bridge.importRunFile()),
    exportRun: unwrapped((runId: string, format: ExportFormat) => bridge.exportRun(runId, format)),
    saveReportPdf: unwrapped((runId: string) => bridge.saveReportPdf(runId)),
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
  };
}
