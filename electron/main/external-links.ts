import { shell } from 'electron';

/** Only these leave the app for the system's handler: web pages over TLS, and e-mail addresses. */
const EXTERNAL_PROTOCOLS = new Set(['https:', 'mailto:']);

/**
 * Whether a URL may be handed to the operating system. `shell.openExternal` runs whatever handler the
 * OS has for a scheme (file:, smb:, custom app schemes can start programs), so anything but https and
 * mailto stays closed (Electron security checklist §15).
 */
export function isExternalLinkAllowed(url: string): boolean {
  return URL.canParse(url) && EXTERNAL_PROTOCOLS.has(new URL(url).protocol);
}

/**
 * Open a link in the system browser (or mail client) if it is allowed; says whether it was. The one
 * place the app calls shell.openExternal.
 */
export function openExternalLink(
  url: string,
  open: (url: string) => Promise<void> = (checked) => shell.openExternal(checked),
): boolean {
  if (!isExternalLinkAllowed(url)) {
    console.warn(`Did not open ${url}: only https and mailto links open outside the workbench.`);
    return false;
  }
  const checked = new URL(url).toString();
  open(checked).catch((error: unknown) => {
    console.warn(`Could not open ${checked}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return true;
}
