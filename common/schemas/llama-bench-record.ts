import { z } from 'zod';
import { RuntimeSchema } from './runtime';

/**
 * A test as llama-bench records it: llama-bench's field names and meanings first (so its users' scripts,
 * spreadsheets and `compare-llama-bench.py` read them), then the workbench's own fields. A trial with P
 * prompt tokens and G generated at depth d is two records, as llama-bench would time it: `pp{P}` at d
 * and `tg{G}` at d + P. Every record carries the machine and the build it came from, so files from
 * several boards concatenate. null: not measured (never 0).
 */
export const LlamaBenchRecordSchema = z.object({
  /** the build that measured it: "edge-workbench 0.1.0" (+ "@<commit>"), or llama.cpp's own commit */
  build_commit: z.string(),
  cpu_info: z.string(),
  /** GPUs the OS reported, comma-separated ('' when none) */
  gpu_info: z.string(),
  /** the execution provider as llama-bench names backends: "CPU", "CUDA", "WebGPU", … */
  backends: z.string(),
  model_filename: z.string(),
  /** model and precision: "mobilellm-r1-140m int4", or llama.cpp's "llama 1B Q4_0" */
  model_type: z.string(),
  /** bytes of the weights as stored */
  model_size: z.number().nullable(),
  model_n_params: z.number().nullable(),
  /** null: the runtime's default (onnxruntime picks the physical cores) */
  n_threads: z.number().int().nullable(),
  /** the KV cache's dtypes, llama.cpp's spelling: f32, f16 */
  type_k: z.string().nullable(),
  type_v: z.string().nullable(),
  n_prompt: z.number().int().nonnegative(),
  n_gen: z.number().int().nonnegative(),
  n_depth: z.number().int().nonnegative(),
  /** when the test started, ISO 8601 to the second (UTC) */
  test_time: z.string(),
  /** ns per repetition of this test: mean and sample sd over the repetitions */
  avg_ns: z.number().nullable(),
  stddev_ns: z.number().nullable(),
  /** tokens/s per repetition (n_prompt or n_gen ÷ its seconds): mean and sample sd */
  avg_ts: z.number(),
  stddev_ts: z.number(),
  samples_ns: z.array(z.number()),
  samples_ts: z.array(z.number()),
  // ---- the workbench's own fields, after llama-bench's ----
  /** onnxruntime, or llama.cpp for a record measured by llama.cpp */
  runtime: RuntimeSchema,
  /** llama-bench's test name: "pp128 @ d3904", "tg64 @ d4032" */
  test: z.string(),
  /** the machine's name (serve --name or its hostname); null where not recorded */
  device_name: z.string().nullable(),
  /** tokens the trial's window was sized for (C); null where not recorded */
  n_context: z.number().int().nullable(),
  /** ms, prefill run() to the first token id, mean over repetitions (pp records of this app only) */
  ttft_ms: z.number().nullable(),
  /** the trial process's own peak resident set, bytes */
  peak_rss_bytes: z.number().nullable(),
  /** the KV cache after the trial's last step, bytes (Σ present tensors) */
  kv_cache_bytes: z.number().nullable(),
});
export type LlamaBenchRecord = z.infer<typeof LlamaBenchRecordSchema>;
