import type {
  DecoderSignature,
  OpBreakdown,
  Repetition,
  TrialFailure,
  TrialProgress,
  TrialSpec,
} from '../api';

/** What the parent sends the trial process: everything resolved, nothing left to look up. */
export interface TrialRequest {
  spec: TrialSpec;
  modelFile: string;
  signature: DecoderSignature;
  vocabSize: number;
  promptIds: number[];
  /** ids filling the cache before the timed part (depth); empty for depth 0 */
  depthIds: number[];
  /** where onnxruntime writes its profile when spec.profileOps */
  profileDir: string;
}

/** What the trial process measured; the parent adds the environment, memory timeline and summary. */
export interface TrialMeasurement {
  /** ms, InferenceSession.create */
  loadMs: number;
  rssBeforeLoadBytes: number;
  rssAfterLoadBytes: number;
  /** the process's maximum resident set after the timed repetitions, bytes */
  peakRssBytes: number;
  repetitions: Repetition[];
  kvCache: { tokens: number; exactBytes: number };
  opBreakdown?: OpBreakdown;
}

export type TrialChildMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'measured'; measurement: TrialMeasurement }
  | { type: 'failed'; failure: TrialFailure };

export type TrialParentMessage = { type: 'run'; request: TrialRequest };
