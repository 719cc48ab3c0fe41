import { chromium, type LaunchOptions } from '@playwright/test';
import { findChromium as findFrom } from '../scripts/browser-finder';

/** Playwright's own Chromium, where `npx playwright install chromium` put it. */
export function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    // this Playwright knows no Chromium build for the platform
    return undefined;
  }
}

/** The browser the e2e tests drive (scripts/browser-finder.ts says in which order it is looked for). */
export function findChromium(): ReturnType<typeof findFrom> {
  return findFrom({ playwrightChromium });
}

export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = findChromium()?.executablePath;
  return {
    ...(executablePath ? { executablePath } : {}),
    // Background networking flags: this machine's closed network refuses Chromium's own connections.
    args: [
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
