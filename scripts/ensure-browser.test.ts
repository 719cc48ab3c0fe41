import { describe, expect, it } from 'vitest';
import { findChromium, PACKAGED_CHROMIUM } from './browser-finder';
import { ensureBrowser, type EnsureBrowserDeps } from './ensure-browser';

const only =
  (...files: string[]) =>
  (file: string): boolean =>
    files.includes(file);

describe('finding a browser for the e2e tests', () => {
  it('takes CHROMIUM_PATH, then the distribution package, then Playwright, then Chrome', () => {
    const playwrightChromium = (): string => '/root/.cache/ms-playwright/chromium-1200/chrome';
    expect(
      findChromium({ env: { CHROMIUM_PATH: '/opt/c' }, exists: only('/opt/c', PACKAGED_CHROMIUM[0]!) }),
    ).toEqual({ executablePath: '/opt/c', source: 'CHROMIUM_PATH' });
    expect(findChromium({ env: {}, exists: only('/usr/bin/chromium-browser'), playwrightChromium })).toEqual({
      executablePath: '/usr/bin/chromium-browser',
      source: 'Debian/Ubuntu package',
    });
    expect(findChromium({ env: {}, exists: only(playwrightChromium()), playwrightChromium })).toEqual({
      executablePath: undefined,
      source: "Playwright's cache",
    });
    expect(findChromium({ env: {}, exists: only('/opt/google/chrome/chrome'), playwrightChromium })).toEqual({
      executablePath: '/opt/google/chrome/chrome',
      source: 'Google Chrome',
    });
    expect(findChromium({ env: {}, exists: only(), playwrightChromium })).toBeUndefined();
  });

  it('refuses a CHROMIUM_PATH that names nothing instead of picking another browser', () => {
    expect(() => findChromium({ env: { CHROMIUM_PATH: '/nope' }, exists: only() })).toThrow(
      /CHROMIUM_PATH is \/nope, which does not exist/,
    );
  });
});

describe('npm test before Playwright', () => {
  function deps(
    overrides: Partial<EnsureBrowserDeps>,
  ): EnsureBrowserDeps & { lines: string[]; runs: string[] } {
    const lines: string[] = [];
    const runs: string[] = [];
    return {
      find: () => undefined,
      downloadReachable: async () => false,
      run: (command, args) => {
        runs.push([command, ...args].join(' '));
        return true;
      },
      isRoot: false,
      hasApt: true,
      platform: 'linux',
      log: (line) => lines.push(line),
      error: (line) => lines.push(line),
      lines,
      runs,
      ...overrides,
    };
  }

  it('stops at once with one line naming the command when nothing is found or can be installed', async () => {
    const offline = deps({});
    expect(await ensureBrowser(offline)).toBe(1);
    expect(offline.runs).toEqual([]);
    expect(offline.lines).toEqual([expect.stringContaining('run `sudo apt-get install -y chromium`')]);
  });

  it("installs Playwright's Chromium where its download answers", async () => {
    let installed = false;
    const online = deps({
      downloadReachable: async () => true,
      run: (command, args) => {
        installed = args.join(' ') === 'playwright install chromium';
        return true;
      },
      find: () => (installed ? { executablePath: undefined, source: "Playwright's cache" } : undefined),
    });
    expect(await ensureBrowser(online)).toBe(0);
    expect(online.lines.at(-1)).toBe("e2e browser: Playwright Chromium (Playwright's cache)");
  });

  it("installs the distribution's package as root when the download is not reachable", async () => {
    let installed = false;
    const root = deps({
      isRoot: true,
      run: (command, args) => {
        if (args.includes('chromium')) installed = true;
        return true;
      },
      find: () =>
        installed ? { executablePath: '/usr/bin/chromium', source: 'Debian/Ubuntu package' } : undefined,
    });
    expect(await ensureBrowser(root)).toBe(0);
    expect(root.lines.at(-1)).toBe('e2e browser: /usr/bin/chromium (Debian/Ubuntu package)');
  });
});
