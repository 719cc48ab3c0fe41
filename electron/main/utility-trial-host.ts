import { utilityProcess } from 'electron';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  TRIAL_PROCESS_ENV,
  type TrialChildMessage,
  type TrialParentMessage,
  type TrialProcessHandle,
  type TrialProcessLauncher,
} from '../../profiler/engine/trial-launcher';

/** electron-vite builds profiler/bench/trial-child.ts next to main (see electron.vite.config.ts). */
const defaultEntry = fileURLToPath(new URL('./trial-child.js', import.meta.url));

/** ms to wait, after the process ended, for the rest of its stderr (where crash reasons are) */
const STDERR_DRAIN_MS = 250;

/**
 * POSIX signals a trial dies of, by number: the kernel's OOM killer (SIGKILL), a native crash in
 * onnxruntime (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT — V8's own out-of-memory aborts too), or being
 * stopped from outside (SIGINT, SIGTERM).
 */
const POSIX_SIGNALS: Readonly<Record<number, string>> = {
  2: 'SIGINT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  15: 'SIGTERM',
};

/**
 * A utilityProcess 'exit' as child_process reports one: (code, signal). Electron gives one number. On
 * POSIX it is waitpid's: the exit status, or the signal's number when a signal ended the process (and
 * 0 when our own kill() did). A signal number read as an exit code would tell the user "exited with
 * code 9" where "was killed by SIGKILL" (most likely out of memory) is the truth, so the numbers of the
 * signals above are read as those signals. Node exits with 4, 6, 7 or 9 of its own accord only on
 * internal failures at start-up; the supervisor reports those as a crash either way. Windows has no
 * signals: its exit codes stay codes.
 */
export function exitOf(
  code: number,
  platform: NodeJS.Platform = process.platform,
): { code: number | null; signal: string | null } {
  const signal = platform === 'win32' ? undefined : POSIX_SIGNALS[code];
  return signal ? { code: null, signal } : { code, signal: null };
}

type ExitHandler = (code: number | null, signal: string | null) => void;

/**
 * Trial processes in the desktop app: Electron's utilityProcess, a Node child that Electron manages
 * (it dies with the app, and needs no separate Node install). It keeps the TrialProcessHandle contract
 * of the CLI's child_process.fork host (profiler/bench/fork-trial-host.ts), so one supervisor serves
 * both:
 * - `send` before the process is up is held and delivered, in order, once it has spawned;
 * - `onExit` gets (code, signal) as child_process gives them (see exitOf), once, after the process's
 *   stderr has been read to its end (Electron drops stderr listeners at exit; crash reasons are there);
 * - `kill` stops the process even when it is called before the process has spawned;
 * - stdout is ignored (an unread pipe would block a chatty child), stderr arrives as UTF-8 text.
 */
export function utilityTrialLauncher(entry = defaultEntry): TrialProcessLauncher {
  return (): TrialProcessHandle => {
    const child = utilityProcess.fork(entry, [], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...TRIAL_PROCESS_ENV },
      serviceName: 'Edge LLM Workbench trial',
    });
    const held: TrialParentMessage[] = [];
    const stderrHandlers: ((text: string) => void)[] = [];
    const exitHandlers: ExitHandler[] = [];
    let spawned = false;
    let killRequested = false;
    let exit: { code: number | null; signal: string | null } | undefined;

    // a Node stream (a PassThrough in Electron's wrapper); the d.ts types it as the older interface
    const stderr = child.stderr as Readable | null;
    stderr?.setEncoding('utf8');
    const forwardStderr = (chunk: string | Buffer): void => {
      for (const handler of stderrHandlers) handler(chunk.toString());
    };
    stderr?.on('data', forwardStderr);

    child.once('spawn', () => {
      spawned = true;
      if (killRequested) {
        child.kill();
        return;
      }
      for (const message of held.splice(0)) child.postMessage(message);
    });

    // V8's fatal errors (heap limit…) come here with where they happened; stderr has the rest
    child.on('error', (type, location) => forwardStderr(`\n${type} in the trial process at ${location}\n`));

    child.once('exit', (rawCode) => {
      const ended = exitOf(rawCode);
      let reported = false;
      const report = (): void => {
        if (reported) return;
        reported = true;
        clearTimeout(timer);
        exit = ended;
        for (const handler of exitHandlers) handler(ended.code, ended.signal);
      };
      const timer = setTimeout(report, STDERR_DRAIN_MS);
      if (!stderr || stderr.readableEnded) {
        report();
        return;
      }
      // Electron removes the stream's listeners right after this event: hold what arrives meanwhile,
      // then listen again, until the stream ends
      stderr.pause();
      process.nextTick(() => {
        stderr.on('data', forwardStderr);
        stderr.once('end', report);
        stderr.resume();
      });
    });

    return {
      get pid() {
        return child.pid;
      },
      send(message: TrialParentMessage) {
        if (exit || killRequested) return;
        if (spawned) child.postMessage(message);
        else held.push(message);
      },
      onMessage: (handler) =>
        void child.on('message', (message: unknown) => handler(message as TrialChildMessage)),
      onExit(handler) {
        if (exit) handler(exit.code, exit.signal);
        else exitHandlers.push(handler);
      },
      onStderr: (handler) => void stderrHandlers.push(handler),
      kill() {
        if (exit) return;
        killRequested = true;
        held.length = 0;
        // before 'spawn' there is no process to signal yet: the spawn handler kills it
        if (spawned) child.kill();
      },
    };
  };
}
