import { appFactsFromPackage, createEngine, type Engine } from '../engine';

/**
 * The engine for one CLI command, on the data folder the command names. What the engine waits for
 * without being asked (measuring this machine's bandwidth for a target) is said on stderr.
 */
export function cliEngine(dataDir: string): Engine {
  return createEngine(appFactsFromPackage('cli', dataDir), {
    notice: (message) => process.stderr.write(`${message}\n`),
  });
}

/** How a command gets its engine: when it runs, after the global --data-dir is parsed. */
export type EngineOf = () => Engine;
