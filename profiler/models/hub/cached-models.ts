import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { hubCacheDir, repoOfFolder, type HubEnv } from './hub-cache';

/**
 * What the Hugging Face cache already holds, so `models import` and the UI can open it without a
 * download: each model repo's snapshots, whether a snapshot is a checkpoint (config.json +
 * safetensors) or an ONNX export (onnx/*.onnx or *.onnx), and the bytes its blobs take.
 */
export interface CachedSnapshot {
  repo: string;
  commit: string;
  /** refs (branches, tags) pointing at this commit */
  refs: string[];
  dir: string;
  kind: 'checkpoint' | 'onnx' | 'other';
  /** bytes of the files the snapshot links to */
  bytes: number;
}

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(path.join(dir, entry.name), relative)));
    else out.push(relative);
  }
  return out;
}

function kindOf(files: readonly string[]): CachedSnapshot['kind'] {
  if (files.some((file) => file.endsWith('.onnx'))) return 'onnx';
  if (files.includes('config.json') && files.some((file) => file.endsWith('.safetensors')))
    return 'checkpoint';
  return 'other';
}

export async function listCachedModels(
  env: HubEnv = process.env,
): Promise<{ cacheDir: string; snapshots: CachedSnapshot[] }> {
  const cacheDir = hubCacheDir(env);
  if (!existsSync(cacheDir)) return { cacheDir, snapshots: [] };
  const snapshots: CachedSnapshot[] = [];
  for (const folder of (await readdir(cacheDir)).sort()) {
    const repo = repoOfFolder(folder);
    const snapshotsDir = path.join(cacheDir, folder, 'snapshots');
    if (!repo || !existsSync(snapshotsDir)) continue;
    const refs = new Map<string, string[]>();
    const refsDir = path.join(cacheDir, folder, 'refs');
    if (existsSync(refsDir)) {
      for (const ref of await filesUnder(refsDir)) {
        const commit = (await readFile(path.join(refsDir, ref), 'utf8')).trim();
        refs.set(commit, [...(refs.get(commit) ?? []), ref]);
      }
    }
    for (const commit of await readdir(snapshotsDir)) {
      const dir = path.join(snapshotsDir, commit);
      const files = await filesUnder(dir);
      let bytes = 0;
      for (const file of files) bytes += (await stat(path.join(dir, file)).catch(() => ({ size: 0 }))).size;
      snapshots.push({ repo, commit, refs: refs.get(commit) ?? [], dir, kind: kindOf(files), bytes });
    }
  }
  return { cacheDir, snapshots };
}
