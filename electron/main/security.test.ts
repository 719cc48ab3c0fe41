import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const app = new EventEmitter();
const defaultSession = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
const openExternal = vi.fn(async () => undefined);
vi.mock('electron', () => ({ app, session: { defaultSession }, shell: { openExternal } }));
const { hardenWebContents } = await import('./security');

const OUR_PAGE = 'file:///app/out/renderer/index.html';
hardenWebContents({ isOwnPage: (url) => url.split(/[?#]/)[0] === OUR_PAGE });

/** Web contents as the hardening sees them: navigation events and the window-open handler. */
function created() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      contents.openHandler = handler;
    },
  });
  app.emit('web-contents-created', {}, contents);
  return contents;
}
const preventable = (extra: object = {}) => ({ preventDefault: vi.fn(), ...extra });

describe('web contents hardening', () => {
  it('denies every permission request and check', () => {
    const request = defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (
      c: unknown,
      p: string,
      grant: (ok: boolean) => void,
    ) => void;
    const grant = vi.fn();
    request({}, 'media', grant);
    expect(grant).toHaveBeenCalledWith(false);
    const check = defaultSession.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean;
    expect(check()).toBe(false);
  });

  it('keeps the page on our page: other navigations are stopped, https ones open in the system browser', () => {
    openExternal.mockClear();
    const contents = created();
    const own = preventable();
    contents.emit('will-navigate', own, `${OUR_PAGE}#/history`);
    expect(own.preventDefault).not.toHaveBeenCalled();

    const web = preventable();
    contents.emit('will-navigate', web, 'https://onnxruntime.ai/docs/');
    expect(web.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://onnxruntime.ai/docs/');

    const file = preventable();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    contents.emit('will-navigate', file, 'file:///etc/passwd');
    expect(file.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledOnce();

    const frame = preventable({ url: 'https://evil.example/' });
    contents.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const redirect = preventable();
    contents.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
  });

  it('opens no new window: https links go to the system browser, anything else nowhere', () => {
    openExternal.mockClear();
    const contents = created();
    expect(contents.openHandler!({ url: 'https://huggingface.co/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'smb://server/share' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://huggingface.co/']]);
  });

  it('attaches no <webview>', () => {
    const contents = created();
    const attach = preventable();
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });
});
