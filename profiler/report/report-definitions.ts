/**
 * What the reports say about their numbers beyond the metric glossary (common/metric-glossary.ts): how
 * to read the tables. Plain text, imported by every exporter (through report-metrics.ts) so the formats
 * say the same.
 */

/** Said beside every quality number measured on a catalog (synthetic) model. */
export const SYNTHETIC_QUALITY_NOTE =
  'Values from synthetic (seeded) weights are valid for speed and memory, never for quality: catalog models ' +
  'show "needs real weights" and their published benchmark scores instead (edge-workbench models import ' +
  'brings in the real checkpoint).';

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
