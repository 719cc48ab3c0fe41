import { appFactsFromPackage } from '../engine/app-facts';
import { createEngine } from '../engine/create-engine';
import { startServeServer } from '../serve/serve-server';

export interface ServeCommandOptions {
  host: string;
  port: number;
  allowRemote: boolean;
  dataDir: string;
  rendererDir: string;
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
  const api = createEngine(appFactsFromPackage('serve', options.dataDir));
  const token = tokenFromEnv();
  const server = await startServeServer({ ...options, api, ...(token ? { token } : {}) });
  // Handlers go in before the URL is printed: a script may stop us the moment it reads the URL.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.stderr.write('Stopping…\n');
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write(
    `Edge LLM Workbench is serving on ${server.url}\n` +
      `Open that URL in a browser. Data folder: ${options.dataDir}. Press Ctrl+C to stop.\n`,
  );
  await stopped;
}
