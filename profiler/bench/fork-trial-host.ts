import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TrialProcessHandle, TrialProcessLauncher } from './trial-host';
import { TRIAL_PROCESS_ENV } from './trial-process-env';

const require = createRequire(import.meta.url);

/**
 * Trial processes through child_process.fork (CLI, serve, tests). From TypeScript sources the child
 * runs under tsx's loader; from a build, give the built trial-child.js as `entry`.
 */
export function forkTrialLauncher(
  entry = fileURLToPath(new URL('./trial-child.ts', import.meta.url)),
): TrialProcessLauncher {
  const execArgv = entry.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx/esm')).href] : [];
  return (): TrialProcessHandle => {
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, ...TRIAL_PROCESS_ENV },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    return {
      pid: child.pid,
      send: (message) => child.send(message),
      onMessage: (handler) =>
        child.on('message', (message) => handler(message as Parameters<typeof handler>[0])),
      onExit: (handler) => child.on('exit', (code, signal) => handler(code, signal)),
      onStderr: (handler) => child.stderr?.on('data', (chunk: Buffer) => handler(chunk.toString())),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
