import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Electron's npm package downloads its runtime in an install script, which this project's .npmrc keeps
 * off (offline machines, npm 11). These helpers find the runtime, or try Electron's own installer once.
 */
export type ElectronRuntime =
  { installed: true; executablePath: string } | { installed: false; reason: string };

export function findElectronRuntime(repoRoot: string): ElectronRuntime {
  const packageDir = path.join(repoRoot, 'node_modules', 'electron');
  if (!existsSync(path.join(packageDir, 'package.json'))) {
    return { installed: false, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile))
    return { installed: false, reason: "Electron's runtime has not been downloaded" };
  const executablePath = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executablePath)) return { installed: false, reason: `${executablePath} is missing` };
  return { installed: true, executablePath };
}

/** The line of an installer's output that says what went wrong, without the stack trace. */
export function installFailureReason(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  const line = (lines[0] ?? 'the installer printed nothing').replace(/^(\w*Error):\s*/, '').slice(0, 200);
  return /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(line)
    ? `${line}: cannot reach Electron's download host, offline?`
    : line;
}

/** Run Electron's own installer once (it downloads the runtime from Electron's release host). */
export function tryInstallElectron(repoRoot: string, timeoutMs = 5 * 60_000): ElectronRuntime {
  const installer = path.join(repoRoot, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return { installed: false, reason: 'the electron package is not installed' };
  const result = spawnSync(process.execPath, [installer], {
    cwd: path.dirname(installer),
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (result.error) return { installed: false, reason: result.error.message };
  if (result.status !== 0) {
    return { installed: false, reason: installFailureReason(`${result.stderr}\n${result.stdout}`) };
  }
  return findElectronRuntime(repoRoot);
}

/** Linux needs an X11 or Wayland display for a window. */
export function displayMissing(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): boolean {
  return platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/** Chromium refuses to start as root without --no-sandbox (Linux CI containers, some boards). */
export function electronArgs(appDir: string): string[] {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? [appDir, '--no-sandbox'] : [appDir];
}
