/**
 * Before the end-to-end tests (`npm test`, `npm run test:e2e`): find a browser for them, or provision one,
 * or stop at once with one line saying what to run — never a launch error per test.
 *
 * Provisioning, in order: Playwright's installer where its download host answers, else the distribution's
 * package when running as root with apt-get (a fresh Debian or Ubuntu container, CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { findChromium, type FoundBrowser } from './browser-finder';

/** Playwright's download host: an answer within a few seconds means its installer can work. */
const PLAYWRIGHT_CDN = 'https://cdn.playwright.dev/';

export interface EnsureBrowserDeps {
  find: () => FoundBrowser | undefined;
  /** whether Playwright's download host answers */
  downloadReachable: () => Promise<boolean>;
  /** runs a command, inheriting the terminal; true when it succeeded */
  run: (command: string, args: string[], env?: NodeJS.ProcessEnv) => boolean;
  isRoot: boolean;
  hasApt: boolean;
  platform: NodeJS.Platform;
  log: (line: string) => void;
  error: (line: string) => void;
}

/** The one line a user reads when nothing could be found or installed. */
function whatToRun(deps: Pick<EnsureBrowserDeps, 'hasApt' | 'platform'>): string {
  if (deps.platform === 'linux' && deps.hasApt) return 'sudo apt-get install -y chromium';
  return 'npx playwright install chromium';
}

async function provision(deps: EnsureBrowserDeps): Promise<FoundBrowser | undefined> {
  if (await deps.downloadReachable()) {
    deps.log('e2e browser: none found; installing Playwright Chromium (npx playwright install chromium)');
    const npx = deps.platform === 'win32' ? 'npx.cmd' : 'npx';
    if (deps.run(npx, ['playwright', 'install', 'chromium'])) {
      const found = deps.find();
      if (found) return found;
    }
  }
  if (deps.platform === 'linux' && deps.isRoot && deps.hasApt) {
    deps.log("e2e browser: none found; installing the distribution's Chromium (apt-get install chromium)");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (deps.run('apt-get', ['update', '-qq'], env))
      deps.run('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'], env);
    return deps.find();
  }
  return undefined;
}

/** 0 with a browser found or provisioned, else 1 after one line saying what to run. */
export async function ensureBrowser(deps: EnsureBrowserDeps): Promise<number> {
  let found: FoundBrowser | undefined;
  try {
    found = deps.find() ?? (await provision(deps));
  } catch (error) {
    deps.error(`e2e browser: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (!found) {
    deps.error(
      `e2e browser: no Chromium or Chrome here and none could be installed: run \`${whatToRun(deps)}\` ` +
        '(or set CHROMIUM_PATH), then npm test again.',
    );
    return 1;
  }
  deps.log(`e2e browser: ${found.executablePath ?? 'Playwright Chromium'} (${found.source})`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { playwrightChromium } = await import('../e2e/chromium');
  process.exitCode = await ensureBrowser({
    find: () => findChromium({ playwrightChromium }),
    downloadReachable: async () => {
      try {
        await fetch(PLAYWRIGHT_CDN, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
        return true;
      } catch {
        return false;
      }
    },
    run: (command, args, env) => spawnSync(command, args, { stdio: 'inherit', env }).status === 0,
    isRoot: process.getuid?.() === 0,
    hasApt: existsSync('/usr/bin/apt-get'),
    platform: process.platform,
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  });
}
