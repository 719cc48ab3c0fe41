import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuCommands } from '../../common/desktop-channels';

const setApplicationMenu = vi.fn();
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu },
}));
const { buildMenuTemplate, HELP_LINKS, installAppMenu } = await import('./app-menu');

function template(platform: NodeJS.Platform, isPackaged = true) {
  const context = {
    appName: 'Edge LLM Workbench',
    platform,
    isPackaged,
    command: vi.fn(),
    openLink: vi.fn(),
  };
  return { menu: buildMenuTemplate(context), context };
}

const submenu = (menu: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] => {
  const top = menu.find((item) => item.label === label || item.role === label);
  return (top?.submenu ?? []) as MenuItemConstructorOptions[];
};
const roles = (items: MenuItemConstructorOptions[]) => items.map((item) => item.role).filter(Boolean);
const byLabel = (items: MenuItemConstructorOptions[], label: string) =>
  items.find((item) => item.label === label)!;

describe('the application menu', () => {
  it('has the usual menus: an app menu on macOS only, then File, Edit, View, Window, Help', () => {
    expect(template('darwin').menu.map((item) => item.label ?? item.role)).toEqual([
      'Edge LLM Workbench',
      'File',
      'Edit',
      'View',
      'window',
      'help',
    ]);
    expect(template('linux').menu.map((item) => item.label ?? item.role)).toEqual([
      'File',
      'Edit',
      'View',
      'window',
      'help',
    ]);
    expect(roles(submenu(template('darwin').menu, 'Edge LLM Workbench'))).toContain('quit');
  });

  it('puts the workbench commands in File with their shortcuts, and Quit where the platform has it', () => {
    const { menu, context } = template('win32');
    const file = submenu(menu, 'File');
    expect(byLabel(file, 'Open Model Folder…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel(file, 'Import Run…').accelerator).toBe('CmdOrCtrl+I');
    expect(byLabel(file, 'New Sweep').accelerator).toBe('CmdOrCtrl+N');
    expect(roles(file)).toEqual(['quit']);
    expect(roles(submenu(template('darwin').menu, 'File'))).toEqual(['close']);

    const click = (label: string) => (byLabel(file, label).click as () => void)();
    click('Open Model Folder…');
    click('Open ONNX Model File…');
    click('Import Run…');
    click('New Sweep');
    click('Compare');
    click('History');
    // every command the page carries out, in the order of the File menu
    expect(context.command.mock.calls.map(([command]) => command)).toEqual([...menuCommands]);
  });

  it('edits text with the standard roles (and their standard shortcuts)', () => {
    expect(roles(submenu(template('linux').menu, 'Edit'))).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
  });

  it('offers reload and devtools only while developing; zoom and full screen always', () => {
    expect(roles(submenu(template('linux', true).menu, 'View'))).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    expect(roles(submenu(template('linux', false).menu, 'View'))).toEqual([
      'reload',
      'forceReload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
  });

  it('opens Help links through the external-link opener, https only', () => {
    const { menu, context } = template('linux');
    const help = submenu(menu, 'help');
    expect(help).toHaveLength(HELP_LINKS.length);
    for (const item of help) (item.click as () => void)();
    expect(context.openLink.mock.calls.map(([url]) => url)).toEqual(HELP_LINKS.map((link) => link.url));
    for (const link of HELP_LINKS) expect(link.url).toMatch(/^https:\/\//);
  });

  it('installs the template as the application menu', () => {
    installAppMenu({
      appName: 'x',
      platform: 'linux',
      isPackaged: true,
      command: vi.fn(),
      openLink: vi.fn(),
    });
    expect(setApplicationMenu).toHaveBeenCalledWith({ template: expect.any(Array) });
  });
});
