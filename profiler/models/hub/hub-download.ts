import { existsSync } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import {
  COMMIT_HASH,
  hubCacheDir,
  hubEndpoint,
  hubOffline,
  hubToken,
  repoFolderName,
  type HubEnv,
} from './hub-cache';
import { HubError } from './hub-error';

/**
 * Downloads the files of a checkpoint (config, tokenizer, safetensors) from the Hugging Face hub into
 * the shared cache, resuming an interrupted file where it stopped (`Range` on `blobs/{etag}.incomplete`,
 * as the Python client does). Gated repos (MobileLLM-R1) answer 401/403 until the licence is accepted
 * and a token is given: the error says so. Offline, a snapshot already in the cache is used as it is.
 */

export interface DownloadProgress {
  /** bytes, all files of the snapshot together */
  doneBytes: number;
  totalBytes: number;
  file: string;
}

export interface DownloadOptions {
  repo: string;
  /** branch, tag or commit (default main) */
  revision?: string;
  env?: HubEnv;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface DownloadedSnapshot {
  repo: string;
  revision: string;
  commit: string;
  /** snapshots/{commit}: a checkpoint folder */
  dir: string;
  files: string[];
  /** bytes fetched now (0 when everything was cached) */
  downloadedBytes: number;
  /** true when the hub could not be asked and the cached snapshot was used */
  offline: boolean;
}

/** What an import needs from a repo: no other weights format, no README, no ONNX exports. */
export function isCheckpointFile(file: string): boolean {
  if (file.includes('/')) return false;
  return (
    file.endsWith('.safetensors') ||
    file === 'model.safetensors.index.json' ||
    file === 'config.json' ||
    file === 'generation_config.json' ||
    /^(tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|chat_template\.jinja|tokenizer\.model|vocab\.json|merges\.txt)$/.test(
      file,
    )
  );
}

interface RepoInfo {
  sha: string;
  files: string[];
}

function licenceMessage(repo: string, endpoint: string, status: number, hasToken: boolean): string {
  return (
    `${endpoint} refused ${repo} (HTTP ${status}): the repo is gated or private. ` +
    (hasToken
      ? `The token in HF_TOKEN has no access: sign in at ${endpoint}/${repo} with the account the token ` +
        'belongs to, accept the licence there, wait for access to be granted, and try again.'
      : `Accept its licence at ${endpoint}/${repo} (signed in), create a read token at ` +
        `${endpoint}/settings/tokens, and set it in HF_TOKEN.`)
  );
}

class HubClient {
  readonly endpoint: string;
  private readonly token: string | null;

  constructor(
    readonly repo: string,
    env: HubEnv,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.endpoint = hubEndpoint(env);
    this.token = hubToken(env);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, signal: this.signal ?? null });
    } catch (error) {
      if (this.signal?.aborted) throw error;
      throw new HubError(
        'offline',
        `Cannot reach ${this.endpoint} (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}). ` +
          'Check the connection, set HF_ENDPOINT to a reachable mirror, or give the path of a checkpoint folder you already have.',
        { cause: error },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new HubError(
        'gated',
        licenceMessage(this.repo, this.endpoint, response.status, this.token !== null),
      );
    }
    if (response.status === 404) {
      throw new HubError(
        'not-found',
        `${this.endpoint} has no ${url.slice(this.endpoint.length + 1)} (HTTP 404): check the repo id and --revision.`,
      );
    }
    if (!response.ok && response.status !== 206 && !(response.status >= 300 && response.status < 400)) {
      throw new HubError('http', `${url} answered HTTP ${response.status} ${response.statusText}.`);
    }
    return response;
  }

  async info(revision: string): Promise<RepoInfo> {
    const response = await this.fetch(
      `${this.endpoint}/api/models/${this.repo}/revision/${encodeURIComponent(revision)}`,
    );
    const body = (await response.json()) as { sha?: unknown; siblings?: { rfilename?: unknown }[] };
    if (typeof body.sha !== 'string' || !Array.isArray(body.siblings)) {
      throw new HubError(
        'http',
        `${this.endpoint} answered the model info of ${this.repo} without sha and siblings.`,
      );
    }
    const files = body.siblings.map((s) => s.rfilename).filter((f): f is string => typeof f === 'string');
    return { sha: body.sha, files };
  }

  resolveUrl(commit: string, file: string): string {
    return `${this.endpoint}/${this.repo}/resolve/${commit}/${file.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** The blob's name and size from the first answer (before a redirect to a CDN), as the Python client reads them. */
  async metadata(commit: string, file: string): Promise<{ etag: string; size: number }> {
    const response = await this.fetch(this.resolveUrl(commit, file), { method: 'HEAD', redirect: 'manual' });
    const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '')
      .replace(/^W\//, '')
      .replace(/"/g, '');
    const size = Number(response.headers.get('x-linked-size') ?? response.headers.get('content-length'));
    // the ETag names a file in blobs/: only a plain name, never a path (a hostile mirror could send one)
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(etag) || !Number.isSafeInteger(size)) {
      throw new HubError(
        'http',
        `${this.resolveUrl(commit, file)} gave no ETag or size: is HF_ENDPOINT a Hugging Face hub?`,
      );
    }
    return { etag, size };
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** Links snapshots/{commit}/{file} → ../../blobs/{etag} (relative, as the Python client does). */
async function linkSnapshot(storage: string, commit: string, file: string, etag: string): Promise<void> {
  const pointer = path.join(storage, 'snapshots', commit, file);
  await mkdir(path.dirname(pointer), { recursive: true });
  try {
    await lstat(pointer);
    await unlink(pointer);
  } catch {
    // no pointer yet
  }
  await symlink(path.relative(path.dirname(pointer), path.join(storage, 'blobs', etag)), pointer);
}

/** The cached snapshot a revision points at, when every file of `files` (or any checkpoint) is there. */
async function cachedSnapshot(
  storage: string,
  revision: string,
): Promise<{ commit: string; files: string[] } | null> {
  let commit = revision;
  if (!COMMIT_HASH.test(revision)) {
    const ref = path.join(storage, 'refs', revision);
    if (!existsSync(ref)) return null;
    commit = (await readFile(ref, 'utf8')).trim();
  }
  const dir = path.join(storage, 'snapshots', commit);
  if (!existsSync(path.join(dir, 'config.json'))) return null;
  const files = (await readdir(dir)).filter(isCheckpointFile);
  return { commit, files };
}

export async function downloadCheckpoint(options: DownloadOptions): Promise<DownloadedSnapshot> {
  const env = options.env ?? process.env;
  const revision = options.revision ?? 'main';
  const { repo } = options;
  const storage = path.join(hubCacheDir(env), repoFolderName(repo));
  const client = new HubClient(repo, env, options.signal);
  const offlineAnswer = async (why: string, cause?: unknown): Promise<DownloadedSnapshot> => {
    const cached = await cachedSnapshot(storage, revision);
    if (!cached) {
      throw new HubError('offline', `${why} No snapshot of ${repo}@${revision} is in ${hubCacheDir(env)}.`, {
        cause,
      });
    }
    return {
      repo,
      revision,
      commit: cached.commit,
      dir: path.join(storage, 'snapshots', cached.commit),
      files: cached.files,
      downloadedBytes: 0,
      offline: true,
    };
  };
  if (hubOffline(env)) return offlineAnswer('HF_HUB_OFFLINE is set, so the hub is not asked.');

  let info: RepoInfo;
  try {
    info = await client.info(revision);
  } catch (error) {
    if (error instanceof HubError && error.reason === 'offline') return offlineAnswer(error.message, error);
    throw error;
  }
  const files = info.files.filter(isCheckpointFile);
  if (!files.includes('config.json') || !files.some((file) => file.endsWith('.safetensors'))) {
    throw new HubError(
      'not-found',
      `${repo}@${revision} has no config.json and *.safetensors at its top level (files: ${info.files.slice(0, 8).join(', ')}${info.files.length > 8 ? ', …' : ''}): it is not a checkpoint the importer reads.`,
    );
  }
  const metas = [];
  for (const file of files) metas.push({ file, ...(await client.metadata(info.sha, file)) });
  const totalBytes = metas.reduce((sum, meta) => sum + meta.size, 0);
  let doneBytes = 0;
  let downloadedBytes = 0;
  await mkdir(path.join(storage, 'blobs'), { recursive: true });
  for (const meta of metas) {
    const blob = path.join(storage, 'blobs', meta.etag);
    if ((await sizeOf(blob)) !== meta.size) {
      const incomplete = `${blob}.incomplete`;
      let have = await sizeOf(incomplete);
      if (have > meta.size) have = 0;
      const response = await client.fetch(client.resolveUrl(info.sha, meta.file), {
        headers: have > 0 ? { range: `bytes=${have}-` } : {},
      });
      if (response.status !== 206) have = 0; // the server sent the whole file: start over
      doneBytes += have;
      options.onProgress?.({ doneBytes, totalBytes, file: meta.file });
      // each chunk is on disk before the next is read: a cut transfer keeps every byte it delivered
      const handle = await open(incomplete, have > 0 ? 'a' : 'w');
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          await handle.write(chunk);
          doneBytes += chunk.length;
          downloadedBytes += chunk.length;
          options.onProgress?.({ doneBytes, totalBytes, file: meta.file });
        }
      } catch (error) {
        await handle.close();
        throw new HubError(
          'incomplete',
          `The download of ${meta.file} from ${repo} stopped after ${await sizeOf(incomplete)} of ${meta.size} bytes ` +
            `(${error instanceof Error ? error.message : String(error)}): run the same command again to resume it.`,
          { cause: error },
        );
      }
      await handle.close();
      const got = await sizeOf(incomplete);
      if (got !== meta.size) {
        throw new HubError(
          'incomplete',
          `The download of ${meta.file} from ${repo} ended at ${got} of ${meta.size} bytes: run the same command again to resume it.`,
        );
      }
      await rename(incomplete, blob);
    } else {
      doneBytes += meta.size;
      options.onProgress?.({ doneBytes, totalBytes, file: meta.file });
    }
    await linkSnapshot(storage, info.sha, meta.file, meta.etag);
  }
  if (revision !== info.sha) {
    await mkdir(path.join(storage, 'refs'), { recursive: true });
    await writeFile(path.join(storage, 'refs', revision), info.sha);
  }
  return {
    repo,
    revision,
    commit: info.sha,
    dir: path.join(storage, 'snapshots', info.sha),
    files,
    downloadedBytes,
    offline: false,
  };
}
