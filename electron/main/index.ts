/**
 * Desktop entry: one instance, hardened web contents, the engine bound to IPC, then the window.
 * The engine is the same one the CLI and serve use; this file only wires Electron to it.
 */
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { createEngine } from '../../profiler/engine/create-engine';
import { resolveDataDir } from '../../profiler/store/data-dir';
import { bindWorkbenchIpc, forwardWorkbenchEvents } from './ipc-bindings';
import { utilityTrialLauncher } from './utility-trial-host';
import { createMainWindow } from './main-window';
import { rendererLocation } from './renderer-location';
import { bindReportPdf } from './report-pdf';
import { hardenWebContents } from './security';

// The CLI, serve and the desktop app share one data folder (EDGE_WORKBENCH_HOME overrides it).
app.setPath('userData', resolveDataDir());

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const location = rendererLocation(process.env.ELECTRON_RENDERER_URL);

  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(async () => {
      hardenWebContents(location);
      const api = createEngine(
        {
          appName: app.getName(),
          appVersion: app.getVersion(),
          host: 'electron',
          dataDir: app.getPath('userData'),
        },
        // trials run in utilityProcess children: Node processes Electron manages, gone with the app
        { launcher: utilityTrialLauncher() },
      );
      forwardWorkbenchEvents(api, () => BrowserWindow.getAllWindows().map((window) => window.webContents));
      const isOwnSender = (event: Electron.IpcMainInvokeEvent): boolean =>
        event.senderFrame !== null && location.isOwnPage(event.senderFrame.url);
      bindWorkbenchIpc(ipcMain, api, isOwnSender);
      bindReportPdf(ipcMain, api, isOwnSender);
      await createMainWindow(location);
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) void createMainWindow(location);
      });
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Edge LLM Workbench could not start', message);
      app.exit(1);
    });
}
