import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What `electron-vite build` produces; `npm start` needs all three. */
export const buildOutputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
/** Sources that end up in those outputs. */
export const buildInputs = [
  'electron',
  'renderer',
  'profiler',
  'quantization',
  'electron.vite.config.ts',
  'package.json',
];

function newestMtimeMs(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtimeMs(path.join(entry, child)));
  return newest;
}

/** True when an output is missing or older than any source. */
export function buildIsStale(repoRoot: string): boolean {
  const outputs = buildOutputs.map((file) => path.join(repoRoot, file));
  if (outputs.some((file) => !existsSync(file))) return true;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const newestInput = Math.max(...buildInputs.map((entry) => newestMtimeMs(path.join(repoRoot, entry))));
  return newestInput > oldestOutput;
}
