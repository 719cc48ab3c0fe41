import { _electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from './chromium';
import { displayMissing, electronArgs, findElectronRuntime } from '../scripts/electron-runtime';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The one parent folder for the models e2e stories build (each spec in its own subfolder): serve only
 * opens models under folders it was allowed, and the fixture allows this one (`--allow-dir`). One per
 * worker process; created and removed by the worker fixture below.
 */
export const e2eModelsDir = path.join(os.tmpdir(), `ew-e2e-models-${process.pid}`);

/**
 * Build a tiny MobileLLM-R1-shaped model (2 layers, hidden 64, vocab 256: trials take well under a second)
 * into `modelFolder`, with the real CLI. Put it under e2eModelsDir, the folder serve is allowed to open.
 */
export function buildTinyR1(modelFolder: string): void {
  const built = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'edge-workbench.mjs'),
      'models',
      'build',
      'mobilellm-r1-140m',
      '--override',
      'num_hidden_layers=2,hidden_size=64,intermediate_size=96,vocab_size=256,max_context_tokens=4096',
      '--out',
      modelFolder,
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`building the tiny model failed:\n${built.stderr}`);
}

export interface ServeProcess {
  /** the URL serve printed, token included */
  url: string;
  origin: string;
  dataDir: string;
}

/**
 * Start `edge-workbench serve` on a free port with a throwaway data folder; read the URL it prints.
 * `extraArgs` go after `serve` (an agent's `--name`). Exported for stories that need more agents.
 */
export async function startServe(
  extraArgs: readonly string[] = [],
): Promise<{ serve: ServeProcess; child: ChildProcess }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-e2e-'));
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'edge-workbench.mjs'),
      '--data-dir',
      dataDir,
      'serve',
      '--port',
      '0',
      '--allow-dir',
      e2eModelsDir,
      ...extraArgs,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { serve: { url, origin: new URL(url).origin, dataDir }, child };
}

export interface WorkbenchApp {
  page: Page;
  door: 'browser' | 'electron';
  /** console errors and uncaught exceptions since the page opened (CSP violations land here) */
  consoleErrors: string[];
  /** the desktop app's main process, to stand in for native dialogs (electron door only) */
  electronApp?: ElectronApplication;
}

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** `app`: the workbench open at its first screen, through the door the project names. */
export const test = base.extend<{ app: WorkbenchApp }, { serve: ServeProcess; modelsDir: string }>({
  modelsDir: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      mkdirSync(e2eModelsDir, { recursive: true });
      await use(e2eModelsDir);
      rmSync(e2eModelsDir, { recursive: true, force: true });
    },
    { scope: 'worker', auto: true },
  ],
  serve: [
    // modelsDir: the folder --allow-dir names must exist when serve starts
    async ({ modelsDir: _modelsDir }, use) => {
      const { serve, child } = await startServe();
      await use(serve);
      child.kill('SIGTERM');
      rmSync(serve.dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  // Not built on Playwright's `page`: that would launch a browser for the electron project too.
  app: async ({ playwright, serve }, use, testInfo) => {
    if (testInfo.project.name === 'browser') {
      const browser = await playwright.chromium.launch(chromiumLaunchOptions());
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
        const consoleErrors = watchConsole(page);
        await page.goto(serve.url);
        await use({ page, door: 'browser', consoleErrors });
      } finally {
        await browser.close();
      }
      return;
    }
    const runtime = findElectronRuntime(repoRoot);
    if (!runtime.installed) {
      test.skip(
        true,
        `No Electron runtime here (${runtime.reason}); npm start downloads it where the network allows.`,
      );
      return;
    }
    if (displayMissing(process.env)) {
      test.skip(true, 'Electron needs a display: run the e2e under xvfb-run.');
      return;
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-e2e-electron-'));
    const electronApp = await _electron.launch({
      executablePath: runtime.executablePath,
      // the desktop app opens models only from folders it was allowed, like serve
      args: [...electronArgs(repoRoot), `--allow-dir=${e2eModelsDir}`],
      env: { ...process.env, EDGE_WORKBENCH_HOME: dataDir },
    });
    try {
      const page = await electronApp.firstWindow();
      await use({ page, door: 'electron', consoleErrors: watchConsole(page), electronApp });
    } finally {
      await electronApp.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';

/**
 * The Compare screen's roofline: its chart, or — where the engine refused to measure this machine's
 * bandwidth (a busy CI runner is "too noisy") — the note that says why. Never a bound from a guess.
 */
export async function expectRooflineOrReason(page: Page): Promise<void> {
  const card = page.getByTestId('chart-roofline');
  const note = card.getByTestId('chart-roofline-note');
  await expect(card.locator('canvas').or(note)).toBeVisible();
  if ((await note.count()) > 0) await expect(note).toContainText('not measured');
}
