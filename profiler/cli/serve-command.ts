import { statSync } from 'node:fs';
import path from 'node:path';
import { appFactsFromPackage, createEngine, createModelRoots, type ModelRoots } from '../engine';
import { reachableUrls } from '../serve/reachable-urls';
import { startServeServer } from '../serve/serve-server';

export interface ServeCommandOptions {
  host: string;
  port: number;
  allowRemote: boolean;
  dataDir: string;
  rendererDir: string;
  /** --allow-dir: more folders clients may open models from */
  allowDir?: readonly string[];
  /** --name: what other workbenches call this machine (default: its hostname) */
  name?: string;
}

const HOW_TO_ALLOW =
  'Restart serve with `--allow-dir <folder>` (repeatable) for that folder, or move the model under an ' +
  'allowed one.';

/**
 * Model folders a client of serve may open: the data folder's `models/` (where `models build` puts them)
 * and each --allow-dir, which must be an existing folder (a typo would otherwise allow nothing, silently).
 */
export function serveModelRoots(dataDir: string, allowDir: readonly string[]): ModelRoots {
  for (const dir of allowDir) {
    let isFolder = false;
    try {
      isFolder = statSync(dir).isDirectory();
    } catch {
      // reported below, as for a file
    }
    if (!isFolder) throw new Error(`--allow-dir ${dir}: no such folder. Give a folder that exists.`);
  }
  return createModelRoots([path.join(dataDir, 'models'), ...allowDir], { howToAllow: HOW_TO_ALLOW });
}

/** Token from the environment, for scripted agents that must know it in advance. */
function tokenFromEnv(): string | undefined {
  const token = process.env.EDGE_WORKBENCH_TOKEN;
  if (token === undefined || token === '') return undefined;
  if (token.length < 16) throw new Error('EDGE_WORKBENCH_TOKEN is too short: use at least 16 characters.');
  return token;
}

/** `edge-workbench serve`: runs until Ctrl+C (SIGINT) or SIGTERM, then closes cleanly. */
export async function startServe(options: ServeCommandOptions): Promise<void> {
  const modelRoots = serveModelRoots(options.dataDir, options.allowDir ?? []);
  const facts = {
    ...appFactsFromPackage('serve', options.dataDir),
    ...(options.name ? { deviceName: options.name } : {}),
  };
  // serve is both an agent (boards) and a hub: the browser UI it serves can drive other agents
  const api = createEngine(facts, { modelRoots, agents: {} });
  const token = tokenFromEnv();
  const server = await startServeServer({ ...options, api, ...(token ? { token } : {}) });
  // Handlers go in before the URL is printed: a script may stop us the moment it reads the URL.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.stderr.write('Stopping…\n');
      void server
        .close()
        .then(() => api.dispose())
        .then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const elsewhere = reachableUrls(server.host, server.port, new URL(server.url).search);
  process.stdout.write(
    `Edge LLM Workbench is serving on ${server.url}\n` +
      (elsewhere.length
        ? `From other machines (or to add this one as an agent): ${elsewhere.join('  ')}\n`
        : '') +
      `Open that URL in a browser. Data folder: ${options.dataDir}. Press Ctrl+C to stop.\n` +
      `Clients may open models only from: ${[modelRoots.list()].flat().join(', ')} ` +
      '(add folders with --allow-dir <folder>, repeatable).\n',
  );
  await stopped;
}
