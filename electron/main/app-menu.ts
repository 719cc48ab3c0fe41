import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../common/desktop-channels';

export interface AppMenuContext {
  appName: string;
  platform: NodeJS.Platform;
  /** a packaged app has no reload or devtools in its menu (nor their shortcuts) */
  isPackaged: boolean;
  /** carry out a File-menu command in the workbench window (the renderer does the work) */
  command(command: MenuCommand): void;
  /** open a Help link in the system browser */
  openLink(url: string): void;
}

/** Help-menu links: the references behind what the workbench measures. */
export const HELP_LINKS = [
  { label: 'ONNX Runtime Documentation', url: 'https://onnxruntime.ai/docs/' },
  {
    label: 'ONNX Runtime Execution Providers',
    url: 'https://onnxruntime.ai/docs/execution-providers/',
  },
  { label: 'MobileLLM-R1 on Hugging Face', url: 'https://huggingface.co/facebook/MobileLLM-R1-950M' },
] as const;

const separator: MenuItemConstructorOptions = { type: 'separator' };

/**
 * The application menu as a template (a pure function, so it is tested without Electron): the
 * platform's usual menus and shortcuts through Electron's roles, plus File commands that the workbench
 * window carries out — New Sweep (builder), Open Model Folder… / Open ONNX Model File…, Import Run…,
 * and the Compare and History screens.
 */
export function buildMenuTemplate(context: AppMenuContext): MenuItemConstructorOptions[] {
  const mac = context.platform === 'darwin';
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => context.command(name),
  });

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: context.appName,
          submenu: [
            { role: 'about' },
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      command('New Sweep', 'new-sweep', 'CmdOrCtrl+N'),
      command('Open Model Folder…', 'open-model-folder', 'CmdOrCtrl+O'),
      command('Open ONNX Model File…', 'open-model-file', 'CmdOrCtrl+Shift+O'),
      command('Import Run…', 'import-run', 'CmdOrCtrl+I'),
      separator,
      command('Compare', 'compare', 'CmdOrCtrl+3'),
      command('History', 'history', 'CmdOrCtrl+4'),
      separator,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  };

  const developer: MenuItemConstructorOptions[] = context.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator];
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const window: MenuItemConstructorOptions = {
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: HELP_LINKS.map((link) => ({ label: link.label, click: () => context.openLink(link.url) })),
  };

  return [...appMenu, file, edit, view, window, help];
}

export function installAppMenu(context: AppMenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(context)));
}
