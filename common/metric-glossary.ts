/**
 * What each measured number means, written once: the Compare screen's tooltips and table, the HTML,
 * Markdown and CSV reports and the CLI all read these words. The text follows
 * shared/design/ARCHITECTURE.md's "Metric definitions" table and says exactly what the engine measures
 * (trial schema 2). Definitions mark code as `code`: the reports render it as such, screens show
 * metricDefinition()'s plain text.
 */

export interface MetricEntry {
  /** how people name the metric, e.g. "TTFT" */
  name: string;
  /** what its numbers count: 'ms', 'tok/s', 'bytes', 'tokens', 'count', 'share', 'nats'; null for a setting */
  unit: 'ms' | 'tok/s' | 'bytes' | 'tokens' | 'count' | 'share' | 'nats' | null;
  /** the definition, with `code` marks */
  definition: string;
}

export const METRIC_GLOSSARY = {
  loadTime: {
    name: 'load time',
    unit: 'ms',
    definition:
      "`InferenceSession.create` wall time (llama.cpp: the model load and the context's creation), the first in the trial's process, ms; the model file was usually in the OS page cache (just built, quantized or read), so this is not a cold-disk load",
  },
  ttft: {
    name: 'TTFT',
    unit: 'ms',
    definition:
      'time from the prefill `run()` call to the first generated token id (llama.cpp: from its `llama_decode` of the prompt): the prefill plus sampling (the argmax over its logits), ms — what a user waits for',
  },
  prefillTokensPerSecond: {
    name: 'prefill tok/s',
    unit: 'tok/s',
    definition:
      'P (prompt tokens) ÷ seconds of the prefill `run()` alone, sampling excluded (`pp{P}` in llama-bench terms)',
  },
  perTokenLatency: {
    name: 'per-token latency',
    unit: 'ms',
    definition:
      "each decode step's `run()` (llama.cpp: `llama_decode`) with one token + the past KV cache, sampling excluded, ms; p50 / p90 / p99 over every step of every repetition",
  },
  samplingTime: {
    name: 'sampling time',
    unit: 'ms',
    definition:
      "the argmax over each step's logits, ms per step (p50, mean, max), reported apart: part of TTFT, not of per-token latency or decode tok/s",
  },
  decodeTokensPerSecond: {
    name: 'decode tok/s',
    unit: 'tok/s',
    definition:
      "G (generated tokens) ÷ the sum of the decode steps' `run()` seconds, sampling excluded (`tg{G} @ d{d+P}` in llama-bench terms)",
  },
  peakRss: {
    name: 'peak RSS',
    unit: 'bytes',
    definition:
      "the trial process's own high-water mark, bytes: `VmHWM` from `/proc/self/status` on Linux (it resets at exec, so the launching process's memory is not counted), getrusage's `maxRSS` on macOS and Windows; cross-checked with the memory timeline's largest sample (where the timeline is higher, its top is reported); also the RSS before and after load",
  },
  memoryTimeline: {
    name: 'memory timeline',
    unit: 'bytes',
    definition:
      "the parent process samples the trial process's RSS at the interval stated with each result: every 20 ms on Linux, every 250 ms on macOS and Windows",
  },
  contextDepth: {
    name: 'context / depth',
    unit: 'tokens',
    definition:
      'context C: the token window a trial measures. Before the timed part the KV cache holds the depth d: by default C − P − G (the end of the window), so it holds C tokens after the last decode step; a depth given explicitly (llama-bench `-d`) is used as given',
  },
  fill: {
    name: 'fill',
    unit: null,
    definition:
      'how the depth got into the KV cache, untimed. synthetic: seeded values written straight into the cache, not run through the model (valid for speed and memory: attention costs the same whatever the values, and the memory is really held); model: the model run over seeded ids or the given text',
  },
  kvBuffer: {
    name: 'KV buffer',
    unit: null,
    definition:
      "how the KV cache is held. grow: the present tensors come back one token longer each step and are fed back as past (Optimum layout); shared: one preallocated buffer per layer, as long as the sequence gets (depth + P + G: the context at the default depth), written in place (onnxruntime-genai's `past_present_share_buffer`)",
  },
  parameters: {
    name: 'parameters',
    unit: 'count',
    definition:
      'learned parameters (quantized tensors at their logical size); no shape constants, scalars or rotary caches',
  },
  weightsBytes: {
    name: 'weights bytes',
    unit: 'bytes',
    definition: 'bytes of the initializers the session loads, as stored; model files on disk',
  },
  kvCacheBytes: {
    name: 'KV-cache bytes',
    unit: 'bytes',
    definition:
      "exact, from the present tensors' shapes × dtype after the last step (a shared buffer: its preallocated size); and the analytic 2 · layers · kv_heads · head_dim · bytes per element, per token",
  },
  kvPressure: {
    name: 'KV pressure',
    unit: 'share',
    definition:
      'KV bytes ÷ a device memory budget; KV share of bytes read per decode step; decode slowdown per 1K tokens already in the KV cache',
  },
  rooflineBound: {
    name: 'roofline bound',
    unit: 'tok/s',
    definition:
      "memory read bandwidth from a streaming read on every core ÷ bytes one decode step reads (every weight its matmuls and norms read, one row of each gathered table, the KV cache at that depth) → the best decode tok/s the memory allows; efficiency = measured ÷ bound. onnxruntime's own GEMV bandwidth is shown beside it; not measured, with the reason, where no bandwidth was measured for the provider (a GPU is never divided by the CPU's)",
  },
  logitsCost: {
    name: 'logits cost',
    unit: 'bytes',
    definition:
      "bytes of logits one prefill returns: an export that computes every position's logits returns P rows of the vocabulary where generation needs only the last position's; the difference is memory a deployment (llama.cpp, onnxruntime-genai) does not spend",
  },
  opBreakdown: {
    name: 'op breakdown',
    unit: 'ms',
    definition:
      "per-operator time from onnxruntime's own profile (prefill and decode separately, both warm, on a profiling session of their own)",
  },
  quality: {
    name: 'quality (quantized)',
    unit: 'nats',
    definition:
      'real weights only, against the fp32 variant on the same tokens (sequences the reference samples itself at temperature 1 from a recorded seed, or the user\'s text): KL divergence of next-token distributions, top-1 agreement, max / mean abs logit error, greedy continuation agreement, and perplexity on the user\'s text (sliding window, stated stride). Synthetic (seeded) models show "needs real weights" and their published benchmark scores instead',
  },
} as const satisfies Record<string, MetricEntry>;

export type MetricId = keyof typeof METRIC_GLOSSARY;

/** Every metric id, in the glossary's order (the order the reports list them in). */
export const METRIC_IDS = Object.keys(METRIC_GLOSSARY) as MetricId[];

/** A definition as plain text, without the `code` marks: for a title attribute or a tooltip. */
export function metricDefinition(id: MetricId): string {
  return METRIC_GLOSSARY[id].definition.replaceAll('`', '');
}

/** "TTFT: time from the prefill run() call …", for a title attribute or a tooltip. */
export function metricTitle(id: MetricId): string {
  return `${METRIC_GLOSSARY[id].name}: ${metricDefinition(id)}`;
}

/** The glossary as screens show it: every definition in plain text (metricDefinition). */
export const METRIC_GLOSSARY_PLAIN = Object.fromEntries(
  METRIC_IDS.map((id) => [id, { ...METRIC_GLOSSARY[id], definition: metricDefinition(id) }]),
) as Record<MetricId, MetricEntry>;
