import type { TrialFailure, TrialProgress } from '../api';
import { forgetSampledProcesses, processRssBytes } from '../runtime/process-rss';
import type { TrialChildMessage, TrialMeasurement, TrialParentMessage, TrialRequest } from './trial-messages';

/**
 * How a trial process is supervised, whatever started it (child_process.fork here, Electron's
 * utilityProcess in the desktop app): one small handle interface, one supervisor.
 */
export interface TrialProcessHandle {
  readonly pid: number | undefined;
  send(message: TrialParentMessage): void;
  onMessage(handler: (message: TrialChildMessage) => void): void;
  /** signal is null for a normal exit */
  onExit(handler: (code: number | null, signal: string | null) => void): void;
  /** the process's stderr text as it arrives (crash reasons live there) */
  onStderr(handler: (text: string) => void): void;
  kill(): void;
}

/** Starts one trial process. */
export type TrialProcessLauncher = () => TrialProcessHandle;

export interface TrialRunOptions {
  onProgress?: (progress: TrialProgress) => void;
  signal?: AbortSignal;
  /** ms; past it the process is killed and the trial recorded as failed */
  timeLimitMs: number;
  /** ms between RSS samples of the trial process */
  sampleIntervalMs?: number;
  /** ms between the `memory` progress events reporting the latest sample (the live chart redraws at ~4 Hz) */
  memoryReportIntervalMs?: number;
}

/** A phase the trial process entered, and when: ms since it started. */
export interface PhaseMark {
  tMs: number;
  phase: TrialProgress['phase'];
}

export interface TrialProcessOutcome {
  measurement?: TrialMeasurement;
  failure?: TrialFailure;
  /** the trial process's RSS over time, ms since it started */
  memoryTimeline: { tMs: number; rssBytes: number }[];
  /** where each phase began on that timeline, in order; the same phase repeated is one mark */
  phaseMarks: PhaseMark[];
}

const STDERR_TAIL_CHARS = 4000;

/** Why a process died without a word, in terms a person can act on. */
export function classifyExit(code: number | null, signal: string | null, stderrTail: string): TrialFailure {
  if (/heap out of memory|Allocation failed|bad_alloc|out of memory/i.test(stderrTail)) {
    return {
      kind: 'out-of-memory',
      message: `The trial ran out of memory: ${stderrTail.trim().split('\n').at(-1)}`,
    };
  }
  if (signal === 'SIGKILL') {
    return {
      kind: 'out-of-memory',
      message: 'The trial process was killed by the system (SIGKILL), most likely for running out of memory.',
    };
  }
  const last = stderrTail.trim().split('\n').at(-1);
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return { kind: 'crash', message: `The trial process ${how} before reporting${last ? `: ${last}` : '.'}` };
}

/** Run one trial in a process from `launch`, sampling its RSS, enforcing the time limit and cancel. */
export function superviseTrial(
  launch: TrialProcessLauncher,
  request: TrialRequest,
  options: TrialRunOptions,
): Promise<TrialProcessOutcome> {
  return new Promise((resolve) => {
    const child = launch();
    const startedMs = performance.now();
    const memoryTimeline: TrialProcessOutcome['memoryTimeline'] = [];
    const phaseMarks: PhaseMark[] = [];
    const elapsedMs = (): number => performance.now() - startedMs;
    const memoryReportIntervalMs = options.memoryReportIntervalMs ?? 250;
    let lastReportMs = -Infinity; // elapsed ms of the last memory event
    let stderrTail = '';
    let outcome: Omit<TrialProcessOutcome, 'memoryTimeline' | 'phaseMarks'> | undefined;
    let stopReason: TrialFailure | undefined;
    let sampling = false;
    let exited = false; // a sample read in flight at exit must not report after the outcome

    const sample = (): void => {
      if (sampling || child.pid === undefined) return;
      sampling = true; // one read at a time
      processRssBytes(child.pid)
        .then((rssBytes) => {
          const tMs = elapsedMs();
          memoryTimeline.push({ tMs, rssBytes });
          // every sample is kept; the parent hears of one per interval, enough for a live chart
          if (exited || tMs - lastReportMs < memoryReportIntervalMs) return;
          lastReportMs = tMs;
          options.onProgress?.({ phase: 'memory', rssBytes, elapsedMs: tMs });
        })
        .catch(() => undefined) // the process may be gone between two samples
        .finally(() => (sampling = false));
    };
    const sampler = setInterval(sample, options.sampleIntervalMs ?? 20);
    const stop = (failure: TrialFailure): void => {
      stopReason ??= failure;
      child.kill();
    };
    const timer = setTimeout(
      () =>
        stop({
          kind: 'timeout',
          message: `The trial passed its time limit of ${options.timeLimitMs / 1000} s and was stopped.`,
        }),
      options.timeLimitMs,
    );
    const onAbort = (): void => stop({ kind: 'cancelled', message: 'The trial was cancelled.' });
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.onStderr((text) => (stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS)));
    child.onMessage((message) => {
      if (message.type === 'progress') {
        const tMs = elapsedMs();
        const { phase } = message.progress;
        if (phaseMarks.at(-1)?.phase !== phase) phaseMarks.push({ tMs, phase });
        // stamped so a live chart can place the phase change on the memory timeline's clock
        options.onProgress?.({ ...message.progress, elapsedMs: tMs });
      } else if (message.type === 'measured') outcome = { measurement: message.measurement };
      else outcome = { failure: message.failure };
    });
    child.onExit((code, signal) => {
      exited = true;
      clearInterval(sampler);
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (child.pid !== undefined) forgetSampledProcesses();
      const failure = stopReason ?? (outcome ? undefined : classifyExit(code, signal, stderrTail));
      resolve({ ...(failure ? { failure } : outcome), memoryTimeline, phaseMarks });
    });
    if (options.signal?.aborted) onAbort();
    else child.send({ type: 'run', request });
  });
}
