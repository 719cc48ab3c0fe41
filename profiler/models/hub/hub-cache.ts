import os from 'node:os';
import path from 'node:path';

/**
 * The Hugging Face cache layout the Python and JS clients share, so a checkpoint a user already
 * downloaded with either is found here and ours is found there:
 * `$HF_HUB_CACHE` (default `$HF_HOME/hub`, default `~/.cache/huggingface/hub`) /
 * `models--{org}--{name}/` with `blobs/{etag}`, `refs/{revision}` (a commit hash) and
 * `snapshots/{commit}/{path}` (relative links into blobs).
 */

export type HubEnv = Readonly<Record<string, string | undefined>>;

export function hubCacheDir(env: HubEnv = process.env): string {
  if (env.HF_HUB_CACHE) return path.resolve(env.HF_HUB_CACHE);
  const home = env.HF_HOME ? path.resolve(env.HF_HOME) : path.join(os.homedir(), '.cache', 'huggingface');
  return path.join(home, 'hub');
}

/** The hub's address: `HF_ENDPOINT` for a mirror, as the Python client honours it. */
export function hubEndpoint(env: HubEnv = process.env): string {
  return (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** `HF_TOKEN` (or the older `HUGGING_FACE_HUB_TOKEN`), sent as a Bearer token. */
export function hubToken(env: HubEnv = process.env): string | null {
  return env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || null;
}

export function hubOffline(env: HubEnv = process.env): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env.HF_HUB_OFFLINE ?? '').toLowerCase());
}

/** "org/name" → "models--org--name" */
export function repoFolderName(repo: string): string {
  return `models--${repo.split('/').join('--')}`;
}

/** "models--org--name" → "org/name" (null for datasets, spaces or anything else) */
export function repoOfFolder(folder: string): string | null {
  if (!folder.startsWith('models--')) return null;
  return folder.slice('models--'.length).split('--').join('/');
}

/** A hub repo id ("org/name"), as opposed to a folder path. */
export function isRepoId(text: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(text);
}

export const COMMIT_HASH = /^[0-9a-f]{40}$/;
