import { BrowserWindow } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkbenchApi } from '../../profiler/api';
import { writeFileAtomic } from '../../profiler/engine/host-files';
import type { DesktopDialogDeps } from './desktop-dialogs';

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
 * no preload, no Node, no IPC: the sender check refuses it), print it to A4 PDF with
 * `webContents.printToPDF` and save it where the user chooses, atomically. Resolves to the saved path,
 * or null when the user cancelled the dialog.
 */
export async function saveReportPdf(
  deps: { api: Pick<WorkbenchApi, 'exportRun'> } & Pick<DesktopDialogDeps, 'dialogs' | 'documentsDir'>,
  runId: string,
  parent: BrowserWindow | null,
): Promise<string | null> {
  const report = await deps.api.exportRun(runId, 'html');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ew-report-'));
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      javascript: true,
    },
  });
  try {
    const htmlFile = path.join(dir, report.fileName);
    await writeFile(htmlFile, report.text);
    await window.loadFile(htmlFile);
    await waitForCharts(window);
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    const choice = await deps.dialogs.showSaveDialog(parent, {
      title: 'Save the report as PDF',
      defaultPath: path.join(deps.documentsDir, report.fileName.replace(/\.html$/, '.pdf')),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    if (choice.canceled || !choice.filePath) return null;
    await writeFileAtomic(choice.filePath, pdf);
    return choice.filePath;
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
