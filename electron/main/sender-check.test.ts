import type { WebContents, WebFrameMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { createSenderCheck, type IpcSenderEvent } from './sender-check';

const OUR_PAGE = 'file:///app/out/renderer/index.html';
const location = { isOwnPage: (url: string) => url.split(/[?#]/)[0] === OUR_PAGE };
const ourContents = { id: 1 } as WebContents;
const otherContents = { id: 2 } as WebContents;
const check = createSenderCheck(location, (contents) => contents === ourContents);

function frame(extra: Partial<WebFrameMain> = {}): WebFrameMain {
  return { url: OUR_PAGE, parent: null, detached: false, ...extra } as WebFrameMain;
}
const event = (sender: WebContents, senderFrame: WebFrameMain | null): IpcSenderEvent => ({
  sender,
  senderFrame,
});

describe('the IPC sender check', () => {
  it('accepts our page in the top frame of one of our windows, hash and query included', () => {
    expect(check(event(ourContents, frame()))).toBe(true);
    expect(check(event(ourContents, frame({ url: `${OUR_PAGE}#/compare` })))).toBe(true);
  });

  it('refuses a subframe, even one showing our page', () => {
    expect(check(event(ourContents, frame({ parent: frame() })))).toBe(false);
  });

  it('refuses another page in our window (navigated away, injected)', () => {
    expect(check(event(ourContents, frame({ url: 'https://evil.example/' })))).toBe(false);
    expect(check(event(ourContents, frame({ url: 'file:///tmp/ew-report-1/run.html' })))).toBe(false);
  });

  it('refuses web contents that are not one of our workbench windows (the PDF window, devtools)', () => {
    expect(check(event(otherContents, frame()))).toBe(false);
  });

  it('refuses a frame that is gone: null, detached, or disposed while the message was in flight', () => {
    expect(check(event(ourContents, null))).toBe(false);
    expect(check(event(ourContents, frame({ detached: true })))).toBe(false);
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
      detached: false,
    } as unknown as WebFrameMain;
    expect(check(event(ourContents, disposed))).toBe(false);
  });
});
