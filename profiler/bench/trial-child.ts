/**
 * The trial process: receives one TrialRequest, measures it, reports progress and the measurement,
 * exits. A fresh process per trial keeps peak memory the trial's own, and a crash or out-of-memory
 * kills only the trial (onnxruntime-node's run() also blocks its event loop: the parent stays free).
 * Runs under child_process.fork (CLI, serve) or Electron's utilityProcess (desktop), through `channel`.
 */
import type { TrialFailure, TrialProgress } from '../api';
import { resetPeakRss } from '../runtime/peak-rss';
import { measureTrial } from './trial-measure';
import type { TrialChildMessage, TrialParentMessage } from './trial-messages';

/** The two ways a child talks to its parent: process.send (fork) or parentPort (utilityProcess). */
interface ParentChannel {
  send(message: TrialChildMessage): void;
  /** the last message: sent, then the process exits once it is flushed */
  finish(message: TrialChildMessage): void;
  onMessage(handler: (message: TrialParentMessage) => void): void;
}

function channel(): ParentChannel {
  // Electron's utilityProcess exposes process.parentPort; fork gives process.send
  const parentPort = (
    process as NodeJS.Process & {
      parentPort?: {
        postMessage(m: unknown): void;
        on(e: 'message', h: (e: { data: unknown }) => void): void;
      };
    }
  ).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      finish: (message) => {
        parentPort.postMessage(message);
        setImmediate(() => process.exit(0));
      },
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data as TrialParentMessage)),
    };
  }
  if (!process.send) throw new Error('trial-child must be started by a trial host (fork or utilityProcess)');
  return {
    send: (message) => process.send!(message),
    finish: (message) => process.send!(message, () => process.exit(0)),
    onMessage: (handler) => process.on('message', (message) => handler(message as TrialParentMessage)),
  };
}

function failureOf(error: unknown): TrialFailure {
  const message = error instanceof Error ? error.message : String(error);
  const outOfMemory = /out of memory|bad_alloc|Failed to allocate|std::bad_alloc/i.test(message);
  return { kind: outOfMemory ? 'out-of-memory' : 'error', message };
}

// the peak counts from here: a host that forks without exec (Electron's) would otherwise pass its own on
resetPeakRss();
const parent = channel();
// A parent killed outright (kill -9) leaves this process orphaned: stop rather than measure for nobody.
process.on('disconnect', () => process.exit(1));
parent.onMessage((message) => {
  if (message.type !== 'run') return;
  const report = (progress: TrialProgress): void => parent.send({ type: 'progress', progress });
  const { request } = message;
  // llama.cpp's modules load only in its trials: an onnxruntime trial's process starts as it did
  const measured =
    request.runtime === 'llama.cpp'
      ? import('./trial-measure-llama').then(({ measureLlamaTrial }) => measureLlamaTrial(request, report))
      : measureTrial(request, report);
  measured.then(
    (measurement) => parent.finish({ type: 'measured', measurement }),
    (error: unknown) => parent.finish({ type: 'failed', failure: failureOf(error) }),
  );
});
