import type { ExecutionProvider, RunDocument } from '../../../profiler/api';
import { threadsLabel } from './scaling-data';
import { depthRun, KEYS } from './test-fixtures';

/**
 * A thread sweep of MobileLLM-R1 140M int4 at depth 0 (threads 1, 2, 4, 8 and onnxruntime's default on
 * the CPU, default and 4 on WebGPU) beside the depth run's other trials, which each ran once at 8 threads.
 */
export function threadsRun(): RunDocument {
  const doc = depthRun();
  const base = doc.trials.find((trial) => trial.key === KEYS.int4d0)!;
  const variant = (ep: ExecutionProvider, threads: number | undefined, decode: number, prefill: number) => {
    const result = structuredClone(base.result);
    result.spec = { ...result.spec, ep };
    if (threads === undefined) delete result.spec.threads;
    else result.spec.threads = threads;
    result.summary!.decodeTokensPerSecond.median = decode;
    result.summary!.prefillTokensPerSecond.median = prefill;
    return { key: `int4|${ep}|t${threadsLabel(threads)}`, result };
  };
  // listed out of order: the chart sorts
  doc.trials.push(
    variant('cpu', 4, 101.5, 900.1),
    variant('cpu', undefined, 117.2, 1090.4),
    variant('cpu', 1, 31.0, 260.2),
    variant('webgpu', undefined, 140.3, 2400.8),
    variant('cpu', 2, 58.8, 505.7),
    variant('webgpu', 4, 138.9, 2390.0),
  );
  return doc;
}
