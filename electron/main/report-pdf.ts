import { BrowserWindow, dialog, type IpcMain } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkbenchApi } from '../../profiler/api';
import { writeFileAtomic } from '../../profiler/store/atomic-write';

/** The desktop-only IPC channel: a run's HTML report printed to PDF (serve has no printer of its own). */
export const SAVE_REPORT_PDF_CHANNEL = 'workbench-desktop:saveReportPdf';

/** ms to wait for the report's charts before printing anyway */
const CHART_READY_TIMEOUT_MS = 15_000;

async function waitForCharts(window: BrowserWindow): Promise<void> {
  const deadline = Date.now() + CHART_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = (await window.webContents.executeJavaScript(
      "document.body?.dataset.chartReady === 'true'",
    )) as boolean;
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Render the run's self-contained HTML report in a hidden, sandboxed window (Chart.js needs scripts;
 * no preload, no Node), print it to A4 PDF and save it where the user chooses. Resolves to the saved
 * path, or null when the user cancelled the dialog.
 */
export async function saveReportPdf(
  api: WorkbenchApi,
  runId: string,
  parent: BrowserWindow | null,
): Promise<string | null> {
  const report = await api.exportRun(runId, 'html');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ew-report-'));
  const window = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: true },
  });
  try {
    const htmlFile = path.join(dir, report.fileName);
    await writeFile(htmlFile, report.text);
    await window.loadFile(htmlFile);
    await waitForCharts(window);
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    const options = {
      defaultPath: report.fileName.replace(/\.html$/, '.pdf'),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    };
    const choice = parent
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return null;
    await writeFileAtomic(choice.filePath, pdf);
    return choice.filePath;
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One handler, checked like the API's: our window only, a run id string. */
export function bindReportPdf(
  ipc: Pick<IpcMain, 'handle'>,
  api: WorkbenchApi,
  isTrustedSender: (event: Electron.IpcMainInvokeEvent) => boolean,
): void {
  ipc.handle(SAVE_REPORT_PDF_CHANNEL, (event, runId: unknown) => {
    if (!isTrustedSender(event))
      throw new Error('Refused: the request did not come from the workbench window.');
    if (typeof runId !== 'string' || runId.length === 0) throw new Error('Invalid arguments: give a run id.');
    return saveReportPdf(api, runId, BrowserWindow.fromWebContents(event.sender));
  });
}
