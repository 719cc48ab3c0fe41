import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium: Playwright's own browser download is not reachable on offline machines. */
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = process.env.CHROMIUM_PATH ?? systemChromium.find((file) => existsSync(file));
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
