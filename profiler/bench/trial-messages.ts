import type {
  DecoderSignature,
  LlamaCppSetup,
  OpBreakdown,
  Repetition,
  TrialFailure,
  TrialProgress,
  TrialSpec,
} from '../api';
import type { DepthFill, KvBuffer } from '../runtime/decoder-runner';
import type { PeakRss } from '../runtime/peak-rss';

/** What the parent sends the trial process: everything resolved, nothing left to look up. */
export type TrialRequest = OnnxTrialRequest | LlamaTrialRequest;

/** An onnxruntime trial. */
export interface OnnxTrialRequest {
  runtime?: 'onnxruntime';
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

/** A llama.cpp trial: a GGUF file and the context settings, resolved by the parent. */
export interface LlamaTrialRequest {
  runtime: 'llama.cpp';
  spec: TrialSpec;
  /** the .gguf */
  modelFile: string;
  vocabSize: number;
  promptIds: number[];
  /** the model over seeded ids (llama.cpp's cache cannot be written directly), or nothing */
  fill: Extract<DepthFill, { kind: 'none' | 'model' }>;
  backend: 'cpu' | 'cuda' | 'vulkan' | 'metal';
  /** compute threads, explicit */
  threads: number;
  /** tokens per llama_decode call */
  batchTokens: number;
  gpuLayers: number;
  flashAttention: boolean;
  /** bytes per KV cell (2 · layers · kv_heads · head_dim · 2 bytes of f16), for the exact cache size */
  kvBytesPerToken: number;
  /** the GGUF's tensor types by count, recorded with the result */
  tensorTypes: Record<string, number>;
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
  /** llama.cpp trials: the build and the context as they ran */
  llamaCpp?: LlamaCppSetup;
}

export type TrialChildMessage =
  | { type: 'progress'; progress: TrialProgress }
  | { type: 'measured'; measurement: TrialMeasurement }
  | { type: 'failed'; failure: TrialFailure };

export type TrialParentMessage = { type: 'run'; request: TrialRequest };
