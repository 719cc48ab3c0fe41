import { decodeTestName, modelName, prefillTestName } from '../labels';
import { summarize } from '../statistics';
import { trialRuntime, type LlamaBenchRecord, type TrialResult } from '../schemas';
import { quantText } from '../runtime-names';

export type { LlamaBenchRecord };

/** llama-bench's field order, then ours: a CSV header and every record's key order. */
export const LLAMA_BENCH_FIELDS = [
  'build_commit',
  'cpu_info',
  'gpu_info',
  'backends',
  'model_filename',
  'model_type',
  'model_size',
  'model_n_params',
  'n_threads',
  'type_k',
  'type_v',
  'n_prompt',
  'n_gen',
  'n_depth',
  'test_time',
  'avg_ns',
  'stddev_ns',
  'avg_ts',
  'stddev_ts',
  'samples_ns',
  'samples_ts',
  'runtime',
  'test',
  'device_name',
  'n_context',
  'ttft_ms',
  'peak_rss_bytes',
  'kv_cache_bytes',
] as const satisfies readonly (keyof LlamaBenchRecord)[];

const BACKEND_NAMES: Readonly<Record<string, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  webgpu: 'WebGPU',
  dml: 'DML',
  coreml: 'CoreML',
};

/** "float16" → "f16": llama.cpp's names of cache types */
function cacheType(dtype: string | undefined): string | null {
  if (dtype === undefined) return null;
  return { float32: 'f32', float16: 'f16', bfloat16: 'bf16' }[dtype] ?? dtype;
}

/** "2026-12-05T23:04:24.512Z" → "2026-12-05T23:04:24Z", as llama-bench writes test_time */
function secondsIso(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** "edge-workbench 0.1.0@bf3f8a6": the app and, where known, its source commit */
export function buildCommitOf(environment: TrialResult['environment']): string {
  return `edge-workbench ${environment.appVersion}${environment.buildCommit ? `@${environment.buildCommit}` : ''}`;
}

type Stats = NonNullable<ReturnType<typeof summarize>>;
const nsStats = (samplesNs: readonly number[]): Stats | null =>
  samplesNs.length > 0 ? summarize(samplesNs) : null;

/** What a record of a trial measured here says of one phase: its samples as llama-bench counts them. */
function phase(samplesNs: readonly number[], samplesTs: readonly number[], stats: Stats) {
  const ns = nsStats(samplesNs);
  return {
    avg_ns: ns ? Math.round(ns.mean) : null,
    stddev_ns: ns ? Math.round(ns.std) : null,
    avg_ts: stats.mean,
    stddev_ts: stats.std,
    samples_ns: samplesNs.map(Math.round),
    samples_ts: [...samplesTs],
  };
}

/**
 * The llama-bench records of one trial: none for a failed one (llama-bench prints nothing for a test that
 * did not run), else its pp record and its tg record, each where it was measured. An imported llama-bench
 * record comes back as it was read, with our fields after.
 */
export function trialRecords(result: TrialResult): LlamaBenchRecord[] {
  if (result.status !== 'ok' || !result.summary) return [];
  if (result.imported) return [inFieldOrder(result.imported.record)];
  const { spec, environment, summary } = result;
  const common = {
    build_commit: buildCommitOf(environment),
    cpu_info: environment.cpu,
    gpu_info: environment.gpus.join(', '),
    backends: BACKEND_NAMES[spec.ep] ?? spec.ep,
    model_filename: result.model?.modelFile ?? modelName(spec.model),
    model_type: `${modelName(spec.model)} ${quantText(spec)}`,
    model_size: result.model?.weightsBytes ?? null,
    model_n_params: result.model?.parameters ?? null,
    n_threads: result.session?.intraOpThreads ?? spec.threads ?? null,
    type_k: cacheType(result.model?.kvDtype ?? spec.kvDtype),
    type_v: cacheType(result.model?.kvDtype ?? spec.kvDtype),
    test_time: secondsIso(result.startedAt),
    runtime: trialRuntime(spec),
    device_name: environment.device ?? null,
    n_context: spec.contextTokens,
    peak_rss_bytes: result.peakRssBytes ?? null,
    kv_cache_bytes: result.kvCache?.exactBytes ?? null,
  };
  const records: LlamaBenchRecord[] = [];
  const reps = result.repetitions;
  if (summary.prefillTokensPerSecond && spec.promptTokens > 0) {
    // schema-1 results have no prefill time of its own: its rate gives it back (P ÷ t/s)
    const samplesNs = reps.map((rep) =>
      rep.prefillMs !== undefined
        ? rep.prefillMs * 1e6
        : (spec.promptTokens / rep.prefillTokensPerSecond) * 1e9,
    );
    records.push({
      ...common,
      n_prompt: spec.promptTokens,
      n_gen: 0,
      n_depth: spec.depthTokens,
      ...phase(
        samplesNs,
        reps.map((rep) => rep.prefillTokensPerSecond),
        summary.prefillTokensPerSecond,
      ),
      test: prefillTestName(spec),
      ttft_ms: summary.ttftMs?.mean ?? null,
    });
  }
  if (summary.decodeTokensPerSecond && spec.generateTokens > 0) {
    const samplesNs = reps.map((rep) => rep.decodeStepMs.reduce((sum, ms) => sum + ms, 0) * 1e6);
    records.push({
      ...common,
      n_prompt: 0,
      n_gen: spec.generateTokens,
      n_depth: spec.depthTokens + spec.promptTokens,
      ...phase(
        samplesNs,
        reps.map((rep) => rep.decodeTokensPerSecond),
        summary.decodeTokensPerSecond,
      ),
      test: decodeTestName(spec),
      ttft_ms: null,
    });
  }
  return records.map(inFieldOrder);
}

/** The record with its keys in llama-bench's order, then ours (JSON output and CSV columns follow it). */
export function inFieldOrder(record: LlamaBenchRecord): LlamaBenchRecord {
  return Object.fromEntries(
    LLAMA_BENCH_FIELDS.map((field) => [field, record[field]]),
  ) as unknown as LlamaBenchRecord;
}

/** Every record of a run's finished trials, in the order they finished. */
export function runRecords(doc: { trials: readonly { result: TrialResult }[] }): LlamaBenchRecord[] {
  return doc.trials.flatMap((entry) => trialRecords(entry.result));
}

/**
 * What is known of a planned trial's records before it runs: enough for the Markdown table to choose its
 * columns (the settings that vary) before the first row.
 */
export function plannedRecords(
  specs: readonly {
    runtime?: TrialResult['spec']['runtime'];
    kvDtype?: string | undefined;
    contextTokens: number;
  }[],
): Partial<LlamaBenchRecord>[] {
  return specs.map((spec) => ({
    runtime: trialRuntime(spec),
    type_k: cacheType(spec.kvDtype),
    type_v: cacheType(spec.kvDtype),
    n_context: spec.contextTokens,
    device_name: null,
  }));
}
