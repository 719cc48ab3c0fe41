import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { WorkbenchApi } from '../../profiler/api';

// electron's npm package is only a downloader here; the handler's checks need none of its runtime
vi.mock('electron', () => ({ BrowserWindow: { fromWebContents: () => null }, dialog: {} }));
const { bindReportPdf, SAVE_REPORT_PDF_CHANNEL } = await import('./report-pdf');

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function bound(isTrusted: boolean): Handler {
  let handler: Handler | undefined;
  const ipc = {
    handle: (channel: string, h: Handler) => void (channel === SAVE_REPORT_PDF_CHANNEL && (handler = h)),
  };
  bindReportPdf(ipc as never, {} as WorkbenchApi, () => isTrusted);
  return handler!;
}

describe('saving a report as PDF (desktop)', () => {
  const event = { sender: {} } as unknown as IpcMainInvokeEvent;
  it('refuses a sender that is not the workbench window', () => {
    expect(() => bound(false)(event, 'run-1')).toThrow(/did not come from the workbench window/);
  });
  it('refuses anything but a run id', () => {
    expect(() => bound(true)(event, 42)).toThrow(/give a run id/);
    expect(() => bound(true)(event, '')).toThrow(/give a run id/);
  });
});
