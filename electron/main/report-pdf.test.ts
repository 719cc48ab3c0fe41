import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The hidden report window: records how it was made and what it loaded; "prints" fixed bytes. */
const windows: FakeWindow[] = [];
class FakeWindow {
  loaded = '';
  destroyed = false;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    windows.push(this);
  }
  webContents = {
    executeJavaScript: vi.fn(async () => true),
    printToPDF: vi.fn(async () => Buffer.from('%PDF-1.7 report')),
  };
  async loadFile(file: string) {
    this.loaded = file;
  }
  destroy() {
    this.destroyed = true;
  }
}
vi.mock('electron', () => ({ BrowserWindow: FakeWindow }));
const { saveReportPdf } = await import('./report-pdf');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ew-pdf-'));
  windows.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function deps(savePath: string | null) {
  return {
    api: {
      exportRun: vi.fn(async () => ({
        fileName: 'run-1.html',
        mimeType: 'text/html',
        text: '<html></html>',
      })),
    },
    dialogs: {
      showOpenDialog: vi.fn(),
      showSaveDialog: vi.fn(async () =>
        savePath ? { canceled: false, filePath: savePath } : { canceled: true, filePath: '' },
      ),
    },
    documentsDir: '/home/me/Documents',
  };
}

describe('saving a report as PDF (desktop)', () => {
  it('prints the HTML report in a hidden sandboxed window and saves the PDF where the user chose', async () => {
    const target = path.join(dir, 'report.pdf');
    const d = deps(target);
    await expect(saveReportPdf(d, 'run-1', null)).resolves.toBe(target);
    expect(d.api.exportRun).toHaveBeenCalledWith('run-1', 'html');
    expect(await readFile(target, 'utf8')).toBe('%PDF-1.7 report');
    const [window] = windows;
    expect(window!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(window!.options.webPreferences).not.toHaveProperty('preload');
    expect(d.dialogs.showSaveDialog).toHaveBeenCalledWith(
      null,
      expect.objectContaining({ defaultPath: path.join('/home/me/Documents', 'run-1.pdf') }),
    );
    // the window and the temporary HTML are gone
    expect(window!.destroyed).toBe(true);
    expect(existsSync(path.dirname(window!.loaded))).toBe(false);
  });

  it('saves nothing when the dialog is cancelled, and still cleans up', async () => {
    await expect(saveReportPdf(deps(null), 'run-1', null)).resolves.toBeNull();
    expect(windows[0]!.destroyed).toBe(true);
  });
});
