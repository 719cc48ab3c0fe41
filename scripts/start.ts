/**
 * `npm start`: build if needed, then open the desktop app. Where Electron's runtime is missing and
 * cannot be downloaded (offline), or there is no display, say so in one line and serve the same
 * workbench to a browser instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsStale } from './build-freshness';
import { displayMissing, electronArgs, findElectronRuntime, tryInstallElectron } from './electron-runtime';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function run(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

function serveInstead(why: string): Promise<number> {
  process.stderr.write(`${why}: opening the workbench in your browser instead (edge-workbench serve).\n`);
  return run(process.execPath, [path.join(repoRoot, 'bin', 'edge-workbench.mjs'), 'serve']);
}

async function start(): Promise<number> {
  if (buildIsStale(repoRoot)) {
    process.stderr.write('Building the workbench (electron-vite build)…\n');
    const builder = path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const build = spawnSync(process.execPath, [builder, 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) {
      process.stderr.write('The build failed (see above). Fix it, then run npm start again.\n');
      return 1;
    }
  }

  let runtime = findElectronRuntime(repoRoot);
  if (!runtime.installed) {
    process.stderr.write("Electron's runtime is not installed yet: trying Electron's installer once…\n");
    runtime = tryInstallElectron(repoRoot);
  }
  if (!runtime.installed) return serveInstead(`Could not install Electron's runtime (${runtime.reason})`);
  if (displayMissing(process.env)) return serveInstead('No display to open a window on (DISPLAY is not set)');
  return run(runtime.executablePath, electronArgs(repoRoot));
}

process.exitCode = await start();
