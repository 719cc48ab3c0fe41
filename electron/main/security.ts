import { app, session, shell, type WebContents } from 'electron';
import type { RendererLocation } from './renderer-location';

/**
 * Hardening beyond the window's webPreferences (Electron security checklist): no navigation away from
 * our page, no new windows (https links open in the system browser instead), no <webview>, and no
 * permission prompts (camera, geolocation…) since the workbench needs none.
 */
export function hardenWebContents(location: RendererLocation): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!location.isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
