/**
 * What each measured number means, written once for every screen and tooltip. The text is
 * shared/design/ARCHITECTURE.md's "Metric definitions" table; change both together.
 */
export const METRIC_DEFINITIONS = {
  loadTime: {
    name: 'load time',
    definition: 'InferenceSession.create wall time, cold (first in the process)',
  },
  ttft: {
    name: 'TTFT',
    definition: 'time from the prefill run() call to the first generated token id (prefill + argmax)',
  },
  prefillTokensPerSecond: { name: 'prefill tok/s', definition: 'P / prefill seconds' },
  perTokenLatency: {
    name: 'per-token latency',
    definition: 'each decode step: run() with one token + past → argmax; p50 / p90 / p99',
  },
  decodeTokensPerSecond: { name: 'decode tok/s', definition: 'G / sum of decode step times' },
  peakRss: {
    name: 'peak RSS',
    definition:
      "the trial process's maximum resident set (process.resourceUsage().maxRSS); also the RSS before load",
  },
  memoryTimeline: {
    name: 'memory timeline',
    definition: "the parent samples the child's RSS every ~20 ms (pidusage)",
  },
  weightsBytes: {
    name: 'weights bytes',
    definition: 'sum of initializer bytes actually loaded; model files on disk',
  },
  kvCacheBytes: {
    name: 'KV-cache bytes',
    definition:
      "exact, from the present tensors' shapes × dtype at each step; and the analytic 2·L·kv_heads·head_dim·bytes per token",
  },
  kvPressure: {
    name: 'KV pressure',
    definition:
      'KV bytes ÷ a device memory budget; KV share of bytes read per decode step; decode slowdown per 1K tokens of depth',
  },
  rooflineBound: {
    name: 'roofline bound',
    definition:
      'measured memory bandwidth ÷ bytes read per decode token (weights + KV) → the best decode tok/s the memory allows; efficiency = measured ÷ bound',
  },
  opBreakdown: {
    name: 'op breakdown',
    definition: "per-operator time from onnxruntime's own profile (prefill and decode separately)",
  },
  quality: {
    name: 'quality (quantized)',
    definition:
      'against the fp32 variant on the same tokens: KL divergence of next-token distributions, top-1 agreement, max/mean abs logit error',
  },
} as const satisfies Record<string, { name: string; definition: string }>;

export type MetricId = keyof typeof METRIC_DEFINITIONS;

/** "TTFT: time from the prefill run() call …", for a title attribute or a tooltip. */
export function metricTitle(id: MetricId): string {
  const metric = METRIC_DEFINITIONS[id];
  return `${metric.name}: ${metric.definition}`;
}
