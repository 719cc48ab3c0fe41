/**
 * What the reports say about their numbers: the metric definitions and how to read the tables. Plain
 * text, imported by every exporter (through report-metrics.ts) so a metric means the same in each.
 */

export interface MetricDefinition {
  metric: string;
  definition: string;
}

/**
 * ARCHITECTURE.md's metric table, in the words people see next to the numbers: exactly what the engine
 * measures (trial schema 2). The renderer's tooltips carry the same text (renderer/src/format/
 * metric-definitions.ts, without the `code` marks); scripts/ui-report-texts-agree.test.ts fails when
 * the two copies drift apart, until one module serves both.
 */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    metric: 'load time',
    definition:
      "`InferenceSession.create` wall time, the first in the trial's process, ms; the model file was usually in the OS page cache (just built, quantized or read), so this is not a cold-disk load",
  },
  {
    metric: 'TTFT',
    definition:
      'time from the prefill `run()` call to the first generated token id: the prefill `run()` plus sampling (the argmax over its logits), ms — what a user waits for',
  },
  {
    metric: 'prefill tok/s',
    definition:
      'P (prompt tokens) ÷ seconds of the prefill `run()` alone, sampling excluded (`pp{P}` in llama-bench terms)',
  },
  {
    metric: 'per-token latency',
    definition:
      "each decode step's `run()` with one token + the past KV cache, sampling excluded, ms; p50 / p90 / p99 over every step of every repetition",
  },
  {
    metric: 'sampling time',
    definition:
      "the argmax over each step's logits, ms per step (p50, mean, max), reported apart: part of TTFT, not of per-token latency or decode tok/s",
  },
  {
    metric: 'decode tok/s',
    definition:
      "G (generated tokens) ÷ the sum of the decode steps' `run()` seconds, sampling excluded (`tg{G} @ d{d+P}` in llama-bench terms)",
  },
  {
    metric: 'peak RSS',
    definition:
      "the trial process's own high-water mark, bytes: `VmHWM` from `/proc/self/status` on Linux (it resets at exec, so the launching process's memory is not counted), getrusage's `maxRSS` on macOS and Windows; cross-checked with the memory timeline's largest sample (where the timeline is higher, its top is reported); also the RSS before and after load",
  },
  {
    metric: 'memory timeline',
    definition:
      "the parent process samples the trial process's RSS at the interval stated with each result: every 20 ms on Linux, every 250 ms on macOS and Windows",
  },
  {
    metric: 'context / depth',
    definition:
      'context C: the token window a trial measures. Before the timed part the KV cache holds the depth d: by default C − P − G (the end of the window), so it holds C tokens after the last decode step; a depth given explicitly (llama-bench `-d`) is used as given',
  },
  {
    metric: 'fill',
    definition:
      'how the depth got into the KV cache, untimed. synthetic: seeded values written straight into the cache, not run through the model (valid for speed and memory: attention costs the same whatever the values, and the memory is really held); model: the model run over seeded ids or the given text',
  },
  {
    metric: 'KV buffer',
    definition:
      "how the KV cache is held. grow: the present tensors come back one token longer each step and are fed back as past (Optimum layout); shared: one preallocated buffer per layer, as long as the sequence gets (depth + P + G: the context at the default depth), written in place (onnxruntime-genai's `past_present_share_buffer`)",
  },
  {
    metric: 'parameters',
    definition:
      'learned parameters (quantized tensors at their logical size); no shape constants, scalars or rotary caches',
  },
  {
    metric: 'weights bytes',
    definition: 'bytes of the initializers the session loads, as stored; model files on disk',
  },
  {
    metric: 'KV-cache bytes',
    definition:
      "exact, from the present tensors' shapes × dtype after the last step (a shared buffer: its preallocated size); and the analytic 2 · layers · kv_heads · head_dim · bytes per element, per token",
  },
  {
    metric: 'KV pressure',
    definition:
      'KV bytes ÷ a device memory budget; KV share of bytes read per decode step; decode slowdown per 1K tokens already in the KV cache',
  },
  {
    metric: 'roofline bound',
    definition:
      "memory read bandwidth from a streaming read on every core ÷ bytes one decode step reads (every weight its matmuls and norms read, one row of each gathered table, the KV cache at that depth) → the best decode tok/s the memory allows; efficiency = measured ÷ bound. onnxruntime's own GEMV bandwidth is shown beside it; not measured, with the reason, where no bandwidth was measured for the provider (a GPU is never divided by the CPU's)",
  },
  {
    metric: 'logits cost',
    definition:
      "bytes of logits one prefill returns: an export that computes every position's logits returns P rows of the vocabulary where generation needs only the last position's; the difference is memory a deployment (llama.cpp, onnxruntime-genai) does not spend",
  },
  {
    metric: 'op breakdown',
    definition:
      "per-operator time from onnxruntime's own profile (prefill and decode separately, both warm, on a profiling session of their own)",
  },
  {
    metric: 'quality (quantized)',
    definition:
      "against the fp32 variant on the same tokens (seeded or the user's text): KL divergence of next-token distributions, top-1 agreement, max / mean abs logit error, greedy continuation agreement. Values from synthetic (seeded) weights are valid for speed and memory, never for quality",
  },
];

/** Said beside every quality number measured on a catalog (synthetic) model. */
export const SYNTHETIC_QUALITY_NOTE =
  'Values from synthetic (seeded) weights are valid for speed and memory, never for quality.';

/** How the statistics and the rounding in the tables are to be read. */
export const REPORT_CONVENTIONS: readonly string[] = [
  'Each trial runs in its own process: warmup runs first (untimed), then R timed repetitions. Before each one the KV cache is filled, untimed, to the depth d (as llama-bench `-d`): by default C − P − G, the end of the context window, so the cache holds C tokens after the last step; "end of window" in the tables marks that default.',
  'mean ± sd: the mean over the R repetitions ± the sample standard deviation (n − 1). With one repetition there is no spread: "mean (n = 1)", and no error bar.',
  'Per-token p50 / p99: percentiles over every decode step of every repetition, `run()` alone; sampling (the argmax) is reported apart.',
  'noisy: the coefficient of variation (sd ÷ mean) of prefill or decode tok/s is over 5%. A trial of one repetition is neither noisy nor quiet: its spread was not measured.',
  'Results of trial schema 1 (older runs) measured differently: decode and TTFT included the argmax, the depth defaulted to 0, and peak RSS on Linux could include the launching process.',
  'Rounding in the tables: tok/s and ms to 2 decimals; bytes in binary units (KiB, MiB, GiB), 1 decimal under 100; bandwidth in GB/s (10⁹ bytes/s). The CSV and JSON exports carry the unrounded values.',
];

/** The words above the results tables: how many runs each number is over, and what each column holds. */
export function resultsIntro(sweep: { warmupRuns: number; repetitions: number }): string {
  return (
    `Each trial: ${sweep.warmupRuns} warmup run(s), then ${sweep.repetitions} timed repetitions (n). ` +
    'Prefill and decode in tokens per second, TTFT in ms: mean ± sample sd over the repetitions; ' +
    '"(n = 1)" where one repetition ran, which has no spread. p50 / p99: per-token decode latency in ms ' +
    'over every step, run() alone; sampling (the argmax) in its own column, and inside TTFT. Depth: tokens ' +
    'in the KV cache before the timed part; "end of window" is the default, C − P − G.'
  );
}

/** Above the context charts: every point a measured trial, and what the context means. */
export const CONTEXT_SECTION_TEXT =
  'Every point is a measured trial, none extrapolated: at the default depth a trial at context C fills ' +
  'the cache with C − P − G tokens before the timed prefill and decode, so it measures the end of a ' +
  'C-token window, and its peak RSS holds that KV cache. One line per configuration apart from the context.';
