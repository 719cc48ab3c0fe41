import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A local stand-in for the Hugging Face hub's HTTP API, serving one repo from a folder the test wrote:
 * model info (`/api/models/{repo}/revision/{rev}`), and file bytes (`HEAD|GET /{repo}/resolve/{rev}/{path}`)
 * through a redirect for large files, as the hub sends LFS files to its CDN, with `Range`, `ETag`,
 * `X-Linked-Etag`, `X-Linked-Size` and `X-Repo-Commit`. It can require a token (a gated repo) and cut a
 * transfer short once (an interrupted download).
 */
export interface HubStandIn {
  endpoint: string;
  commit: string;
  /** every request, "METHOD path [range]" */
  log: string[];
  /** answer 401 without `Authorization: Bearer <token>` */
  requireToken: string | null;
  /** the next GET of this file stops after this many bytes */
  cutNext: { file: string; afterBytes: number } | null;
  close(): Promise<void>;
}

export async function startHubStandIn(repo: string, folder: string): Promise<HubStandIn> {
  const files = new Map(readdirSync(folder).map((name) => [name, readFileSync(path.join(folder, name))]));
  const commit = createHash('sha1').update(repo).digest('hex');
  const etagOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
  const state: Omit<HubStandIn, 'endpoint' | 'close'> = {
    commit,
    log: [],
    requireToken: null,
    cutNext: null,
  };

  const authorized = (request: IncomingMessage): boolean =>
    state.requireToken === null || request.headers.authorization === `Bearer ${state.requireToken}`;

  const server: Server = createServer((request, response) => {
    const url = decodeURIComponent(request.url ?? '');
    state.log.push(`${request.method} ${url}${request.headers.range ? ` ${request.headers.range}` : ''}`);
    if (!authorized(request)) {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":"Access to this repo is restricted"}');
      return;
    }
    if (url === `/api/models/${repo}/revision/main` || url === `/api/models/${repo}/revision/${commit}`) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: repo,
          sha: commit,
          siblings: [...files.keys(), 'README.md'].map((rfilename) => ({ rfilename })),
        }),
      );
      return;
    }
    const resolve = new RegExp(`^/${repo}/resolve/(main|${commit})/(.+)$`).exec(url);
    const cdn = /^\/cdn\/(.+)$/.exec(url);
    const name = resolve?.[2] ?? cdn?.[1];
    const bytes = name ? files.get(name) : undefined;
    if (!name || !bytes) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    const large = name.endsWith('.safetensors');
    if (resolve && large) {
      // as the hub does for LFS files: a redirect whose own headers name the blob
      response.writeHead(302, {
        location: `/cdn/${name}`,
        'x-linked-etag': `"${etagOf(bytes)}"`,
        'x-linked-size': String(bytes.length),
        'x-repo-commit': commit,
      });
      response.end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = bytes.subarray(start);
    response.writeHead(range ? 206 : 200, {
      etag: `"${etagOf(bytes)}"`,
      'x-repo-commit': commit,
      'content-length': String(body.length),
      ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    if (state.cutNext && state.cutNext.file === name) {
      const cut = state.cutNext.afterBytes;
      state.cutNext = null;
      // the bytes reach the client, then the connection drops, as a network failure mid-file does
      response.write(body.subarray(0, cut), () => setTimeout(() => response.destroy(), 100));
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
