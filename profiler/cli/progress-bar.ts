import cliProgress from 'cli-progress';
import type { TrialProgress } from '../api';
import { formatBytes } from '../../common/units';

/**
 * A byte-progress bar on stderr (stdout stays for results and JSON). On a terminal it redraws in place;
 * otherwise (CI logs, pipes) it prints nothing until `stop`, to keep logs readable.
 */
export interface ByteProgress {
  update(doneBytes: number, totalBytes: number, label: string): void;
  stop(): void;
}

export function createByteProgress(title: string): ByteProgress {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${title} [{bar}] {percentage}% | {done} / {total} | {rate}/s | ETA {eta_formatted} | {label}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedMs = Date.now();
  let started = false;
  return {
    update(doneBytes, totalBytes, label) {
      const seconds = Math.max((Date.now() - startedMs) / 1000, 1e-3);
      const payload = {
        done: formatBytes(doneBytes),
        total: formatBytes(totalBytes),
        rate: formatBytes(doneBytes / seconds),
        label,
      };
      if (!started) {
        bar.start(totalBytes, doneBytes, payload);
        started = true;
      } else bar.update(doneBytes, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Trial progress on stderr: phase, repetition and decode step, with the last step's time. */
export interface StepProgress {
  update(event: TrialProgress): void;
  /** give the terminal line back (streamed text is about to be written) */
  clear(): void;
  stop(): void;
}

export function createStepProgress(): StepProgress {
  if (!process.stderr.isTTY)
    return { update: () => undefined, clear: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{phase} [{bar}] {value}/{total} | {detail}',
      hideCursor: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let silenced = false;
  return {
    update(event) {
      // memory samples are not steps: redrawing the bar for them would only make it flicker
      if (silenced || event.phase === 'memory') return;
      const phase = event.repetition === undefined ? event.phase : `${event.phase} ${event.repetition + 1}`;
      const detail =
        event.stepMs !== undefined ? `${event.stepMs.toFixed(1)} ms/token` : (event.message ?? '');
      const total = event.totalSteps ?? 1;
      const value = event.step ?? 0;
      if (!started) {
        bar.start(total, value, { phase, detail });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(value, { phase, detail });
      }
    },
    clear() {
      // streamed text owns stdout from now on; a redrawn bar would interleave with it
      if (started) bar.stop();
      silenced = true;
    },
    stop() {
      if (started && !silenced) bar.stop();
      silenced = true;
    },
  };
}
