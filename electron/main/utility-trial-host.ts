import { utilityProcess } from 'electron';
import { fileURLToPath } from 'node:url';
import type { TrialProcessHandle, TrialProcessLauncher } from '../../profiler/bench/trial-host';
import type { TrialChildMessage, TrialParentMessage } from '../../profiler/bench/trial-messages';

/** electron-vite builds profiler/bench/trial-child.ts next to main (see electron.vite.config.ts). */
const defaultEntry = fileURLToPath(new URL('./trial-child.js', import.meta.url));

/**
 * Trial processes in the desktop app: Electron's utilityProcess, a Node child that Electron manages
 * (it dies with the app, and needs no separate Node install). Same supervisor as the CLI's fork host.
 */
export function utilityTrialLauncher(entry = defaultEntry): TrialProcessLauncher {
  return (): TrialProcessHandle => {
    const child = utilityProcess.fork(entry, [], { stdio: 'pipe', serviceName: 'Edge LLM Workbench trial' });
    // messages posted before the process is up would be lost: hold them until 'spawn'
    const spawned = new Promise<void>((resolve) => child.once('spawn', () => resolve()));
    return {
      get pid() {
        return child.pid;
      },
      send: (message: TrialParentMessage) => void spawned.then(() => child.postMessage(message)),
      onMessage: (handler) =>
        child.on('message', (message: unknown) => handler(message as TrialChildMessage)),
      onExit: (handler) => child.on('exit', (code) => handler(code, null)),
      onStderr: (handler) => child.stderr?.on('data', (chunk: Buffer) => handler(chunk.toString())),
      kill: () => void child.kill(),
    };
  };
}
