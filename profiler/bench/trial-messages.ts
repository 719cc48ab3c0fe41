import type {
  DecoderSignature,
  OpBreakdown,
  Repetition,
  TrialFailure,
  TrialProgress,
  TrialSpec,
} from '../api';
import type { DepthFill, KvBuffer } from '../runtime/decoder-runner';
import type { PeakRss } from '../runtime/peak-rss';

/** What the parent sends the trial process: everything resolved, nothing left to look up. */
export interface TrialRequest {
  spec: TrialSpec;
  modelFile: string;
  signature: DecoderSignature;
  vocabSize: number;
  promptIds: number[];
  /** what fills the cache to its depth before each timed sequence (untimed) */
  fill: DepthFill;
  /** how the cache is held, resolved ('auto' is decided by the parent from the graph) */
  kvBuffer: KvBuffer;
  /** where onnxruntime writes its profile when spec.profileOps */
  profileDir: string;
}

/** What the trial process measured; the parent adds the environment, memory timeline and summary. */
export interface TrialMeasurement {
  /** ms, InferenceSession.create */
  loadMs: number;
  rssBeforeLoadBytes: number;
  rssAfterLoadBytes: number;
  /** the process's own peak resident set after the timed repetitions (read before the op profile) */
  peakRss: PeakRss;
  repetitions: Repetition[];
  kvCache: { tokens: number; exactBytes: number };
  /** the logits the last timed prefill returned */
  prefillLogits: { bytes: number; rows: number };
  opBreakdown?: OpBreakdown;
}

export type TrialChildMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'measured'; measurement: TrialMeasurement }
  | { type: 'failed'; failure: TrialFailure };

export type TrialParentMessage = { type: 'run'; request: TrialRequest };
