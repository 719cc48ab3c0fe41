import { trialRuntime, type RunDocument, type Stats, type TrialResult, type TrialSpec } from '../api';
import { modelName, testName, variantLabel } from '../../common/labels';
import { kvDtypeOf as kvDtypeRan, threadsOf as threadsRan } from '../../common/trial-dimensions';
import { hasSyntheticWeights, kvBufferOf as kvBufferRan } from '../../common/trial-setup';

/**
 * What every export says about its numbers, and the one place a run document becomes per-trial rows.
 * The CSV, Markdown and HTML exporters all read from here, so a metric means the same in each.
 */

export {
  CONTEXT_SECTION_TEXT,
  REPORT_CONVENTIONS,
  SYNTHETIC_QUALITY_NOTE,
  resultsIntro,
} from './report-definitions';

/** ok and failed trials ran; skipped ones were planned but would not fit; not-run ones the run never reached. */
export type TrialEntryStatus = 'ok' | 'failed' | 'skipped' | 'not-run';

/** One planned or finished trial of a run, whatever became of it. */
export interface TrialEntry {
  key: string;
  status: TrialEntryStatus;
  spec: TrialSpec;
  /** absent for skipped and not-run trials */
  result?: TrialResult;
  /** failure kind (crash, out-of-memory, …), 'skipped' or 'not-run'; absent for ok trials */
  reasonKind?: string;
  /** why it failed or was not run, for people; absent for ok trials */
  reason?: string;
}

function notRunReason(doc: RunDocument): string {
  return doc.status === 'running' || doc.status === 'planned'
    ? `not run yet: the run is ${doc.status}`
    : `not run: the run was ${doc.status} before this trial`;
}

function fromResult(key: string, result: TrialResult): TrialEntry {
  if (result.status === 'ok') return { key, status: 'ok', spec: result.spec, result };
  return {
    key,
    status: 'failed',
    spec: result.spec,
    result,
    reasonKind: result.failure?.kind ?? 'unknown',
    reason: result.failure?.message ?? 'no reason recorded',
  };
}

/**
 * Every trial of the run in plan order: each finished result (a re-run key gives several), a skipped
 * entry or a not-run entry per planned key, then any finished trial the plan does not list.
 */
export function trialEntries(doc: RunDocument): TrialEntry[] {
  const resultsByKey = new Map<string, TrialResult[]>();
  for (const { key, result } of doc.trials) {
    resultsByKey.set(key, [...(resultsByKey.get(key) ?? []), result]);
  }
  const skippedByKey = new Map(doc.skipped.map((skip) => [skip.key, skip.reason]));
  const planKeys = new Set(doc.plan.map((planned) => planned.key));
  // A skipped trial is known only by its plan entry: without one there is no configuration to report.
  for (const skip of doc.skipped) {
    if (!planKeys.has(skip.key)) {
      throw new Error(
        `Run "${doc.id}" lists skipped trial "${skip.key}" that is not in its plan; the document is inconsistent — re-save it from the workbench or remove that entry.`,
      );
    }
  }
  const entries: TrialEntry[] = [];
  for (const planned of doc.plan) {
    const results = resultsByKey.get(planned.key);
    const skipReason = skippedByKey.get(planned.key);
    if (results) entries.push(...results.map((result) => fromResult(planned.key, result)));
    else if (skipReason !== undefined) {
      entries.push({
        key: planned.key,
        status: 'skipped',
        spec: planned.spec,
        reasonKind: 'skipped',
        reason: skipReason,
      });
    } else {
      entries.push({
        key: planned.key,
        status: 'not-run',
        spec: planned.spec,
        reasonKind: 'not-run',
        reason: notRunReason(doc),
      });
    }
  }
  for (const { key, result } of doc.trials) {
    if (!planKeys.has(key)) entries.push(fromResult(key, result));
  }
  return entries;
}

/** The measured variant's label; for trials that never loaded a model, the spec's (labels.ts). */
export function modelLabel(entry: TrialEntry): string {
  return entry.result?.model?.label ?? variantLabel(entry.spec);
}

/** The KV dtype that ran, else the one asked for, else the preset's own. */
export function kvDtypeOf(entry: TrialEntry): string {
  return kvDtypeRan(entry.spec, entry.result);
}

/** Intra-op threads that ran, else asked for; null = onnxruntime's default. */
export function threadsOf(entry: TrialEntry): number | null {
  return threadsRan(entry.spec, entry.result);
}

/** How the cache was held: what ran, else what was asked for ('auto' for a trial not run). */
export function kvBufferOf(entry: TrialEntry): string {
  return kvBufferRan(entry.spec, entry.result);
}

/** A CSV / table cell before formatting; null = no value (not measured). */
export type Cell = string | number | boolean | null;

export interface TrialColumn {
  /** snake_case, with the unit as suffix: `_ms`, `_tok_s`, `_bytes`, `_tokens` */
  name: string;
  value: (entry: TrialEntry) => Cell;
}

const statFields = ['mean', 'std', 'median', 'min', 'max', 'cv'] as const;

function statsColumns(prefix: string, stats: (entry: TrialEntry) => Stats | undefined): TrialColumn[] {
  return statFields.map((field) => ({
    name: `${prefix}_${field}`,
    value: (entry: TrialEntry) => stats(entry)?.[field] ?? null,
  }));
}

const fromResultValue =
  <T extends Cell>(pick: (result: TrialResult) => T | undefined) =>
  (entry: TrialEntry): Cell =>
    entry.result ? (pick(entry.result) ?? null) : null;

/** What ran (depth, fill, buffer), how it was measured (sampling, peak RSS, logits, roofline). */
const SETUP_COLUMNS: readonly TrialColumn[] = [
  { name: 'result_schema_version', value: fromResultValue((result) => result.schemaVersion) },
  { name: 'depth_source', value: (entry) => entry.spec.depthSource },
  { name: 'fill', value: (entry) => entry.result?.kvSetup?.fill ?? entry.spec.fill },
  { name: 'fill_source', value: fromResultValue((result) => result.kvSetup?.fillSource) },
  { name: 'fill_chunk_tokens', value: fromResultValue((result) => result.kvSetup?.fillChunkTokens) },
  { name: 'kv_buffer', value: kvBufferOf },
  { name: 'kv_buffer_tokens', value: fromResultValue((result) => result.kvSetup?.bufferTokens) },
  { name: 'synthetic_weights', value: (entry) => hasSyntheticWeights(entry.spec) },
  { name: 'sampling_ms_p50', value: fromResultValue((result) => result.summary?.samplingMs?.p50) },
  { name: 'sampling_ms_mean', value: fromResultValue((result) => result.summary?.samplingMs?.mean) },
  { name: 'sampling_ms_max', value: fromResultValue((result) => result.summary?.samplingMs?.max) },
  { name: 'peak_rss_source', value: fromResultValue((result) => result.peakRss?.source) },
  {
    name: 'peak_rss_timeline_max_bytes',
    value: fromResultValue((result) => result.peakRss?.timelineMaxBytes),
  },
  { name: 'peak_rss_consistent', value: fromResultValue((result) => result.peakRss?.consistent) },
  {
    name: 'memory_sample_interval_ms',
    value: fromResultValue((result) => result.peakRss?.sampleIntervalMs),
  },
  { name: 'logits_positions', value: fromResultValue((result) => result.logits?.positions) },
  { name: 'logits_prefill_bytes', value: fromResultValue((result) => result.logits?.prefillBytes) },
  {
    name: 'logits_last_position_bytes',
    value: fromResultValue((result) => result.logits?.lastPositionBytes),
  },
  { name: 'bandwidth_method', value: fromResultValue((result) => result.roofline?.bandwidthMethod) },
  { name: 'bandwidth_measured_at', value: fromResultValue((result) => result.roofline?.bandwidthMeasuredAt) },
  {
    name: 'kernel_bandwidth_bytes_s',
    value: fromResultValue((result) => result.roofline?.kernelBandwidthBytesPerSecond),
  },
  {
    name: 'kernel_bandwidth_method',
    value: fromResultValue((result) => result.roofline?.kernelBandwidthMethod),
  },
  {
    name: 'weight_bytes_per_decode_token',
    value: fromResultValue((result) => result.roofline?.weightBytesPerDecodeToken),
  },
  {
    name: 'kv_bytes_per_decode_token',
    value: fromResultValue((result) => result.roofline?.kvBytesPerDecodeToken),
  },
  { name: 'roofline_unavailable', value: fromResultValue((result) => result.rooflineUnavailable) },
  { name: 'present_on_host', value: fromResultValue((result) => result.presentOnHost) },
];

/** The tidy per-trial column set: configuration, status, then every metric with its unit in the name. */
export const TRIAL_COLUMNS: readonly TrialColumn[] = [
  { name: 'trial_key', value: (entry) => entry.key },
  { name: 'status', value: (entry) => entry.status },
  { name: 'failure_kind', value: (entry) => entry.reasonKind ?? null },
  { name: 'failure_reason', value: (entry) => entry.reason ?? null },
  { name: 'model_label', value: modelLabel },
  { name: 'model_name', value: (entry) => modelName(entry.spec.model) },
  { name: 'variant_hash', value: fromResultValue((result) => result.model?.variantHash) },
  { name: 'quant', value: (entry) => entry.spec.quant },
  { name: 'kv_dtype', value: kvDtypeOf },
  { name: 'context_tokens', value: (entry) => entry.spec.contextTokens },
  { name: 'depth_tokens', value: (entry) => entry.spec.depthTokens },
  { name: 'prompt_tokens', value: (entry) => entry.spec.promptTokens },
  { name: 'gen_tokens', value: (entry) => entry.spec.generateTokens },
  // llama-bench's name of the timed work, as every table and chart names it
  { name: 'test', value: (entry) => testName(entry.spec) },
  { name: 'runtime', value: (entry) => trialRuntime(entry.spec) },
  { name: 'ep', value: (entry) => entry.spec.ep },
  { name: 'threads', value: threadsOf },
  { name: 'warmup_runs', value: (entry) => entry.spec.warmupRuns },
  { name: 'reps', value: (entry) => entry.spec.repetitions },
  {
    name: 'reps_measured',
    value: fromResultValue(
      (result) => (result.summary?.decodeTokensPerSecond ?? result.summary?.prefillTokensPerSecond)?.n,
    ),
  },
  { name: 'load_ms', value: fromResultValue((result) => result.loadMs) },
  ...statsColumns('ttft_ms', (entry) => entry.result?.summary?.ttftMs),
  ...statsColumns('prefill_tok_s', (entry) => entry.result?.summary?.prefillTokensPerSecond),
  ...statsColumns('decode_tok_s', (entry) => entry.result?.summary?.decodeTokensPerSecond),
  { name: 'per_token_ms_p50', value: fromResultValue((result) => result.summary?.perTokenMs?.p50) },
  { name: 'per_token_ms_p90', value: fromResultValue((result) => result.summary?.perTokenMs?.p90) },
  { name: 'per_token_ms_p99', value: fromResultValue((result) => result.summary?.perTokenMs?.p99) },
  { name: 'per_token_ms_mean', value: fromResultValue((result) => result.summary?.perTokenMs?.mean) },
  // one repetition has no spread: neither noisy nor quiet, so no value
  {
    name: 'noisy',
    value: fromResultValue((result) =>
      result.summary && (result.summary.decodeTokensPerSecond?.n ?? 0) > 1 ? result.summary.noisy : undefined,
    ),
  },
  { name: 'peak_rss_bytes', value: fromResultValue((result) => result.peakRssBytes) },
  { name: 'rss_before_load_bytes', value: fromResultValue((result) => result.rssBeforeLoadBytes) },
  { name: 'rss_after_load_bytes', value: fromResultValue((result) => result.rssAfterLoadBytes) },
  { name: 'parameters', value: fromResultValue((result) => result.model?.parameters) },
  { name: 'weights_bytes', value: fromResultValue((result) => result.model?.weightsBytes) },
  { name: 'file_bytes', value: fromResultValue((result) => result.model?.fileBytes) },
  { name: 'kv_tokens', value: fromResultValue((result) => result.kvCache?.tokens) },
  { name: 'kv_exact_bytes', value: fromResultValue((result) => result.kvCache?.exactBytes) },
  { name: 'kv_analytic_bytes', value: fromResultValue((result) => result.kvCache?.analyticBytes) },
  { name: 'kv_bytes_per_token', value: fromResultValue((result) => result.kvCache?.bytesPerToken) },
  {
    name: 'bandwidth_bytes_s',
    value: fromResultValue((result) => result.roofline?.bandwidthBytesPerSecond),
  },
  {
    name: 'bytes_per_decode_token',
    value: fromResultValue((result) => result.roofline?.bytesPerDecodeToken),
  },
  { name: 'roofline_bound_tok_s', value: fromResultValue((result) => result.roofline?.boundTokensPerSecond) },
  { name: 'roofline_efficiency', value: fromResultValue((result) => result.roofline?.efficiency) },
  { name: 'started_at', value: fromResultValue((result) => result.startedAt) },
  { name: 'finished_at', value: fromResultValue((result) => result.finishedAt) },
  // added with trial schema 2, after the older columns so that readers by position keep working
  ...SETUP_COLUMNS,
];

export type TrialRow = Record<string, Cell>;

/** One row per trial entry (see `trialEntries`), keyed by `TRIAL_COLUMNS` names. */
export function trialRows(doc: RunDocument): TrialRow[] {
  return trialEntries(doc).map((entry) =>
    Object.fromEntries(TRIAL_COLUMNS.map((column) => [column.name, column.value(entry)])),
  );
}
