import type { WebContents, WebFrameMain } from 'electron';
import type { RendererLocation } from './renderer-location';

/** The part of an IPC event (invoke or send) that says who sent it. */
export interface IpcSenderEvent {
  sender: WebContents;
  senderFrame: WebFrameMain | null;
}

export type SenderCheck = (event: IpcSenderEvent) => boolean;

/**
 * Whether an IPC message comes from one of our workbench windows (Electron security checklist §17,
 * "validate the sender of all IPC messages"): the top frame of a window we created, showing our page.
 * A subframe, a page navigated elsewhere, another window (the hidden PDF window, a devtools page) or a
 * frame gone in the meantime is not the workbench, whatever it sends.
 */
export function createSenderCheck(
  location: Pick<RendererLocation, 'isOwnPage'>,
  isOurContents: (contents: WebContents) => boolean,
): SenderCheck {
  return (event) => {
    try {
      const frame = event.senderFrame;
      if (frame === null || frame.detached || frame.parent !== null) return false;
      return location.isOwnPage(frame.url) && isOurContents(event.sender);
    } catch {
      // Electron throws on reading a frame disposed while the message was in flight: not ours any more
      return false;
    }
  };
}
