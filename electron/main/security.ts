import { app, session, type WebContents } from 'electron';
import { openExternalLink } from './external-links';
import type { RendererLocation } from './renderer-location';

/**
 * Hardening beyond the windows' webPreferences (Electron security checklist), for every web contents
 * the app ever creates (the workbench window, the hidden PDF window, devtools):
 * - no navigation away from our page (§13): a plain https link clicked in the page opens in the system
 *   browser instead; redirects and subframe navigations elsewhere are stopped too;
 * - no new windows (§14): `window.open` / target=_blank links to https open in the system browser;
 * - no <webview> (§12);
 * - no permission prompts (camera, geolocation, notifications…: the workbench needs none) (§5).
 */
export function hardenWebContents(location: Pick<RendererLocation, 'isOwnPage'>): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (location.isOwnPage(url)) return;
      event.preventDefault();
      openExternalLink(url);
    });
    contents.on('will-frame-navigate', (event) => {
      if (!location.isOwnPage(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!location.isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalLink(url);
      return { action: 'deny' };
    });
  });
}
