import { startServe } from '../serve-command';

/**
 * `edge-workbench serve` as its own process, for tests that need to see whether a client can end it:
 * the same startServe the CLI runs (engine, agent hub, signal handling), with the renderer folder given
 * (a stub page) instead of the build. Arguments: <data folder> <renderer folder>.
 */
const [dataDir, rendererDir] = process.argv.slice(2);
if (!dataDir || !rendererDir) throw new Error('usage: serve-child.ts <data folder> <renderer folder>');
await startServe({ host: '127.0.0.1', port: 0, allowRemote: false, dataDir, rendererDir });
