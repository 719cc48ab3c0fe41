import cliProgress from 'cli-progress';
import { formatBytes } from '../api';

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
