import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the end-to-end tests find a browser: one list, read by `npm test`'s check before Playwright starts
 * (scripts/ensure-browser.ts) and by the tests' own launches (e2e/chromium.ts).
 */

/** A browser the end-to-end tests can drive, and where it was found (said when `npm test` starts). */
export interface FoundBrowser {
  /** undefined: Playwright's own download, which Playwright finds itself */
  executablePath: string | undefined;
  /** "CHROMIUM_PATH", "Debian/Ubuntu package", "Playwright's cache", "Google Chrome" */
  source: string;
}

export interface BrowserSearch {
  env?: NodeJS.ProcessEnv;
  exists?: (file: string) => boolean;
  /** where Playwright's own Chromium would be (`chromium.executablePath()`), if it knows one */
  playwrightChromium?: () => string | undefined;
}

/** The distributions' Chromium packages (Debian: chromium; Ubuntu: chromium-browser, or its snap). */
export const PACKAGED_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** Google Chrome where its installers put it, on Linux, macOS and Windows. */
function installedChrome(env: NodeJS.ProcessEnv): string[] {
  const windows = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
    .filter((dir): dir is string => Boolean(dir))
    .map((dir) => path.join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  return [
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ...windows,
  ];
}

/**
 * The browser for the e2e run, in this order: CHROMIUM_PATH, the distribution's Chromium, Playwright's
 * cache, an installed Chrome. undefined: none here. A CHROMIUM_PATH that names no file is an error, not a
 * reason to pick another browser silently.
 */
export function findChromium(search: BrowserSearch = {}): FoundBrowser | undefined {
  const env = search.env ?? process.env;
  const exists = search.exists ?? existsSync;
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    if (!exists(chosen))
      throw new Error(
        `CHROMIUM_PATH is ${chosen}, which does not exist: point it at a Chromium or Chrome binary.`,
      );
    return { executablePath: chosen, source: 'CHROMIUM_PATH' };
  }
  const packaged = PACKAGED_CHROMIUM.find((file) => exists(file));
  if (packaged) return { executablePath: packaged, source: 'Debian/Ubuntu package' };
  const cached = search.playwrightChromium?.();
  if (cached !== undefined && exists(cached))
    return { executablePath: undefined, source: "Playwright's cache" };
  const chrome = installedChrome(env).find((file) => exists(file));
  return chrome ? { executablePath: chrome, source: 'Google Chrome' } : undefined;
}
