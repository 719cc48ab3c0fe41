/**
 * Desktop entry: one instance, hardened web contents, the engine bound to IPC, the menu, then the
 * window. The engine is the same one the CLI and serve use; this file only wires Electron to it.
 */
import { app, BrowserWindow, dialog, ipcMain, screen } from 'electron';
import path from 'node:path';
import { EVENT_CHANNEL, type WorkbenchEvent } from '../../profiler/api';
import { buildCommit, createEngine, createModelRoots, resolveDataDir } from '../../profiler/engine';
import {
  MENU_CHANNEL,
  MENU_READY_CHANNEL,
  RENDERER_READY_CHANNEL,
  type MenuCommand,
} from '../../common/desktop-channels';
import { installAppMenu } from './app-menu';
import {
  dialogHostOf,
  exportRunToFile,
  importRunFile,
  openModelFile,
  openModelFolder,
  type DesktopDialogDeps,
} from './desktop-dialogs';
import { MenuCommandSchema } from './desktop-schemas';
import { openExternalLink } from './external-links';
import { bindDesktopIpc, bindWorkbenchIpc, forwardWorkbenchEvents } from './ipc-bindings';
import { createJsonStateWriter, readJsonState } from './json-state-file';
import { createMainWindow } from './main-window';
import { allowedDirsFromArgs, loadPickedModelFolders } from './model-folders';
import { createOurWindows } from './our-windows';
import {
  bindReadySignal,
  createRendererOutbox,
  watchWindowContents,
  workbenchEventCoalesceKey,
  workbenchEventPriority,
} from './renderer-outbox';
import { rendererLocation } from './renderer-location';
import { saveReportPdf } from './report-pdf';
import { hardenWebContents } from './security';
import { createSenderCheck } from './sender-check';
import { utilityTrialLauncher } from './utility-trial-host';
import { keepWindowState, placeWindow, WindowStateSchema, type WindowState } from './window-state';

/** engine events held per window while its page is not listening (progress is dropped first) */
const MAX_QUEUED_EVENTS = 2000;
const MAX_QUEUED_MENU_COMMANDS = 20;
/** ms a quit waits for the window placement to reach the disk */
const QUIT_FLUSH_LIMIT_MS = 2000;
const HOW_TO_ALLOW_MODEL_FOLDER =
  'Choose File › Open Model Folder… (or Open model folder… in the Run builder) to allow its folder.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function bringToFront(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.focus();
}

async function start(): Promise<void> {
  const location = rendererLocation(process.env.ELECTRON_RENDERER_URL);
  const dataDir = app.getPath('userData');
  const desktopDir = path.join(dataDir, 'desktop');
  const windowStateFile = path.join(desktopDir, 'window-state.json');

  hardenWebContents(location);

  // only the data folder's models and folders the user picked in a dialog (now or in earlier sessions)
  const pickedFolders = await loadPickedModelFolders(path.join(desktopDir, 'model-folders.json'));
  const modelRoots = createModelRoots(
    [path.join(dataDir, 'models'), ...pickedFolders.list(), ...allowedDirsFromArgs(process.argv)],
    { howToAllow: HOW_TO_ALLOW_MODEL_FOLDER },
  );
  // the commit a run from a checkout was measured with (llama-bench records' build_commit); none packaged
  const commit = buildCommit(app.getAppPath());
  const api = createEngine(
    {
      appName: app.getName(),
      appVersion: app.getVersion(),
      ...(commit ? { buildCommit: commit } : {}),
      host: 'electron',
      dataDir,
    },
    // trials run in utilityProcess children: Node processes Electron manages, gone with the app
    // agents: the desktop app drives remote boards (System → Agents), kept in the data folder
    { launcher: utilityTrialLauncher(), modelRoots, agents: {} },
  );

  const ourWindows = createOurWindows();
  const isTrustedSender = createSenderCheck(location, (contents) => ourWindows.contains(contents));
  const events = createRendererOutbox<WorkbenchEvent>({
    channel: EVENT_CHANNEL,
    maxQueued: MAX_QUEUED_EVENTS,
    priorityOf: workbenchEventPriority,
    coalesceKeyOf: workbenchEventCoalesceKey,
  });
  const menuCommands = createRendererOutbox<MenuCommand>({
    channel: MENU_CHANNEL,
    maxQueued: MAX_QUEUED_MENU_COMMANDS,
  });
  const windowState = createJsonStateWriter<WindowState>(windowStateFile);

  async function openWindow(): Promise<BrowserWindow> {
    const saved = await readJsonState(windowStateFile, WindowStateSchema, 'saved window placement');
    const placement = placeWindow(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
      screen.getPrimaryDisplay().workArea,
    );
    return createMainWindow(location, {
      placement,
      onCreated: (window) => {
        ourWindows.add(window);
        watchWindowContents(window.webContents, [events, menuCommands]);
        keepWindowState(window, (state) => {
          windowState.write(state).catch((error: unknown) => {
            console.warn(`Could not save the window placement to ${windowStateFile}: ${messageOf(error)}`);
          });
        });
      },
    });
  }

  /** The workbench window to act in: the focused one, else the first, else a new one. */
  async function targetWindow(): Promise<BrowserWindow> {
    const windows = ourWindows.list();
    return windows.find((window) => window.isFocused()) ?? windows[0] ?? (await openWindow());
  }

  function runMenuCommand(command: MenuCommand): void {
    const checked = MenuCommandSchema.parse(command);
    targetWindow().then(
      (window) => {
        bringToFront(window);
        // held until the page listens for menu commands (a window just opened is still loading)
        menuCommands.sendTo(window.webContents.id, checked);
      },
      (error: unknown) =>
        dialog.showErrorBox('Edge LLM Workbench could not open its window', messageOf(error)),
    );
  }

  forwardWorkbenchEvents(api, events);
  bindReadySignal(ipcMain, RENDERER_READY_CHANNEL, events, isTrustedSender);
  bindReadySignal(ipcMain, MENU_READY_CHANNEL, menuCommands, isTrustedSender);
  bindWorkbenchIpc(ipcMain, api, isTrustedSender);

  const dialogDeps: DesktopDialogDeps = {
    api,
    dialogs: dialogHostOf(dialog),
    allowModelFolder: async (dir) => {
      modelRoots.allow(dir);
      try {
        await pickedFolders.remember(dir);
      } catch (error) {
        // allowed for this session either way; only the next start will not know it
        console.warn(`Could not remember the model folder ${dir} for the next start: ${messageOf(error)}`);
      }
    },
    documentsDir: app.getPath('documents'),
  };
  const parentOf = (event: Electron.IpcMainInvokeEvent): BrowserWindow | null =>
    BrowserWindow.fromWebContents(event.sender);
  bindDesktopIpc(
    ipcMain,
    {
      openModelFolder: (event) => openModelFolder(dialogDeps, parentOf(event)),
      openModelFile: (event) => openModelFile(dialogDeps, parentOf(event)),
      importRunFile: (event) => importRunFile(dialogDeps, parentOf(event)),
      exportRun: (event, runId, format) => exportRunToFile(dialogDeps, parentOf(event), runId, format),
      saveReportPdf: (event, runId) => saveReportPdf(dialogDeps, runId, parentOf(event)),
    },
    isTrustedSender,
  );

  installAppMenu({
    appName: app.getName(),
    platform: process.platform,
    isPackaged: app.isPackaged,
    command: runMenuCommand,
    openLink: openExternalLink,
  });

  app.on('second-instance', () => {
    const window = ourWindows.list()[0];
    if (window) bringToFront(window);
    else void openWindow();
  });
  app.on('activate', () => {
    if (ourWindows.list().length === 0) void openWindow();
  });
  // the last placement is written before the process ends (waiting at most QUIT_FLUSH_LIMIT_MS)
  let stateFlushed = false;
  app.on('will-quit', (event) => {
    if (stateFlushed) return;
    event.preventDefault();
    const limit = new Promise((resolve) => setTimeout(resolve, QUIT_FLUSH_LIMIT_MS));
    // agent connections close cleanly (their sweeps go on on the boards and are copied at next start)
    void Promise.race([Promise.all([windowState.flush(), api.dispose()]), limit]).finally(() => {
      stateFlushed = true;
      app.quit();
    });
  });

  await openWindow();
}

// The CLI, serve and the desktop app share one data folder (EDGE_WORKBENCH_HOME overrides it).
app.setPath('userData', resolveDataDir());

// One instance: a second launch focuses the window of the first (and the second quits).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Edge LLM Workbench could not start', messageOf(error));
      app.exit(1);
    });
}
