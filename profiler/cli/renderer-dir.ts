import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where `electron-vite build` puts the renderer; serve hands out these files. */
export const defaultRendererDir = path.join(repoRoot, 'out', 'renderer');

/**
 * The built renderer, building it once when a checkout has never been built (a newcomer's first
 * `npx edge-workbench serve`). Build output goes to stderr so stdout stays the URL.
 */
export function ensureRendererBuilt(rendererDir: string = defaultRendererDir): string {
  if (existsSync(path.join(rendererDir, 'index.html'))) return rendererDir;
  const builder = path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (rendererDir !== defaultRendererDir || !existsSync(builder)) {
    throw new Error(`No built renderer in ${rendererDir}: run \`npm run build\` in ${repoRoot} first.`);
  }
  process.stderr.write('The renderer has not been built yet: building it once (npm run build)…\n');
  const result = spawnSync(process.execPath, [builder, 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (result.status !== 0 || !existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`Building the renderer failed (see above); fix it and run \`npm run build\`.`);
  }
  return rendererDir;
}
