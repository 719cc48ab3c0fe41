import type { DesktopBridge, ExportFormat } from '../../backend/desktop-bridge';
import { importedText, useRunsStore } from '../../stores/runs-store';
import { useStorageStore } from '../../stores/storage-store';

/** A line for the History screen after a desktop save: what was saved where, or why not. */
export interface SaveNotice {
  ok: boolean;
  text: string;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Import run… in the desktop app: the system dialog picks the file and the desktop app reads it, so
 * the page never holds the file. Reports through the runs store's import state, as the browser's file
 * input does (its messages already name the file).
 */
export async function importRunWithDialog(bridge: DesktopBridge): Promise<void> {
  const runs = useRunsStore();
  if (runs.importing) return;
  runs.importing = true;
  runs.importMessage = null;
  runs.importError = null;
  let imported = false;
  try {
    const result = await bridge.importRunFile();
    if (result) {
      imported = true;
      runs.importMessage = importedText(result);
    }
  } catch (cause) {
    runs.importError = messageOf(cause);
  } finally {
    runs.importing = false;
  }
  if (imported) {
    useStorageStore().sizesChanged();
    await runs.refresh();
  }
}

/** Export… Save as in the desktop app: the run written where the user chose; null when cancelled. */
export async function saveRunWithDialog(
  bridge: DesktopBridge,
  run: { id: string; title: string },
  format: ExportFormat,
): Promise<SaveNotice | null> {
  try {
    const file = await bridge.exportRun(run.id, format);
    return file ? { ok: true, text: `Saved “${run.title}” as ${file}` } : null;
  } catch (cause) {
    return { ok: false, text: `Could not save “${run.title}”: ${messageOf(cause)}` };
  }
}
