import type { RunDocument, Stats, TrialResult } from '../api';
import { getCatalogEntry, NEEDS_REAL_WEIGHTS, publishedScoresText } from '../../common/catalog';
import { modelKey, modelNameOfKey } from '../../common/labels';
import { METRIC_GLOSSARY, METRIC_IDS } from '../../common/metric-glossary';
import { formatBytes } from '../../common/units';
import { formatMeanSd, formatPercent, NO_VALUE, NOT_MEASURED } from '../../common/number-format';
import { kvDtypeOf, modelLabel, threadsOf, trialEntries, type TrialEntry } from './report-metrics';
import {
  bandwidthText,
  depthText,
  fillText,
  kvBufferText,
  peakRssSourceText,
  resultNotes,
  spreadNote,
} from '../../common/trial-setup';
import type { ReportTable } from '../../common/report-blocks';

/**
 * The report's tables as plain text cells, built once for the Markdown and the HTML exporters, so both
 * show the same figures with the same rounding (REPORT_CONVENTIONS).
 */

interface Column<T> {
  header: string;
  numeric?: boolean;
  cell: (item: T) => string;
}

function table<T>(columns: readonly Column<T>[], items: readonly T[]): ReportTable {
  return {
    headers: columns.map((column) => column.header),
    rows: items.map((item) => columns.map((column) => column.cell(item))),
    numeric: columns.map((column) => column.numeric ?? false),
  };
}

/** tok/s and ms: 2 decimals, as llama-bench prints `t/s ± sd`. */
export function fixed2(value: number): string {
  return value.toFixed(2);
}

/**
 * "1234.56 ± 12.34": mean ± sample sd over the repetitions; "1234.56 (n = 1)" for a single one; "not
 * measured" where the trial has no such figure.
 */
export function meanSd(stats: Stats | undefined): string {
  return stats ? formatMeanSd(stats, fixed2) : NOT_MEASURED;
}

const none = '—';
/** an environment fact the source did not record (an imported llama-bench run has no OS or RAM) */
const NOT_RECORDED = 'not recorded';
const milliseconds = (value: number | undefined): string => (value === undefined ? none : fixed2(value));
const measuredMs = (value: number | undefined): string =>
  value === undefined ? NOT_MEASURED : fixed2(value);
/** the figure every measured trial has: repetitions of whichever phase it timed */
const repetitionsOf = (summary: MeasuredTrial['summary']): number | undefined =>
  (summary.decodeTokensPerSecond ?? summary.prefillTokensPerSecond)?.n;
const bytes = (value: number | undefined): string => (value === undefined ? none : formatBytes(value));
const threads = (entry: TrialEntry): string => String(threadsOf(entry) ?? 'default');

const configurationColumns: Column<TrialEntry>[] = [
  { header: 'model', cell: modelLabel },
  // llama-bench's `backend` column names the compute backend; this names what ran the model
  { header: 'runtime', cell: (entry) => entry.spec.runtime ?? 'onnxruntime' },
  { header: 'kv', cell: kvDtypeOf },
  { header: 'ep', cell: (entry) => entry.spec.ep },
  { header: 'threads', numeric: true, cell: threads },
  { header: 'ctx', numeric: true, cell: (entry) => String(entry.spec.contextTokens) },
  { header: 'depth', numeric: true, cell: (entry) => depthText(entry.spec, entry.result) },
  { header: 'pp', numeric: true, cell: (entry) => String(entry.spec.promptTokens) },
  { header: 'tg', numeric: true, cell: (entry) => String(entry.spec.generateTokens) },
];

/** An ok trial with its summary: what the results tables and the charts show. */
export interface MeasuredTrial extends TrialEntry {
  result: TrialResult;
  summary: NonNullable<TrialResult['summary']>;
}

export function measuredTrials(doc: RunDocument): MeasuredTrial[] {
  return trialEntries(doc).flatMap((entry) =>
    entry.status === 'ok' && entry.result?.summary
      ? [{ ...entry, result: entry.result, summary: entry.result.summary }]
      : [],
  );
}

/**
 * The llama-bench-style table: configuration, then `t/s ± sd`, TTFT, per-token, sampling apart, peak
 * RSS, KV, and what a reader must know beside the numbers (noisy or n = 1, an all-positions logits cost).
 */
export function resultsTable(trials: readonly MeasuredTrial[]): ReportTable {
  return table<MeasuredTrial>(
    [
      ...configurationColumns,
      {
        header: 'prefill t/s',
        numeric: true,
        cell: (entry) => meanSd(entry.summary.prefillTokensPerSecond),
      },
      {
        header: 'decode t/s',
        numeric: true,
        cell: (entry) => meanSd(entry.summary.decodeTokensPerSecond),
      },
      { header: 'TTFT ms', numeric: true, cell: (entry) => meanSd(entry.summary.ttftMs) },
      { header: 'p50 ms', numeric: true, cell: (entry) => measuredMs(entry.summary.perTokenMs?.p50) },
      { header: 'p99 ms', numeric: true, cell: (entry) => measuredMs(entry.summary.perTokenMs?.p99) },
      { header: 'peak RSS', numeric: true, cell: (entry) => bytes(entry.result.peakRssBytes) },
      { header: 'KV cache', numeric: true, cell: (entry) => bytes(entry.result.kvCache?.exactBytes) },
      {
        header: 'n',
        numeric: true,
        cell: (entry) => {
          const n = repetitionsOf(entry.summary);
          return n === undefined ? none : n === 0 ? NOT_RECORDED : String(n);
        },
      },
      { header: 'note', cell: (entry) => spreadNote(entry.summary) },
    ],
    trials,
  );
}

/**
 * What each trial ran and how it was measured, beside the results (a table of its own, so that both fit
 * a printed page): the depth and its fill, the KV buffer, sampling timed apart, where peak RSS came
 * from, and what a reader must know (an all-positions logits cost, a cache copied back to the host).
 */
export function setupTable(trials: readonly MeasuredTrial[]): ReportTable {
  return table<MeasuredTrial>(
    [
      { header: 'model', cell: modelLabel },
      { header: 'ctx', numeric: true, cell: (entry) => String(entry.spec.contextTokens) },
      { header: 'depth', numeric: true, cell: (entry) => depthText(entry.spec, entry.result) },
      { header: 'fill', cell: (entry) => fillText(entry.spec, entry.result) },
      { header: 'KV buffer', cell: (entry) => kvBufferText(entry.spec, entry.result) },
      {
        header: 'sampling ms p50 / max',
        numeric: true,
        cell: (entry) => {
          const sampling = entry.summary.samplingMs;
          // schema 1 timed the argmax inside each step: there is no separate figure
          return sampling ? `${fixed2(sampling.p50)} / ${fixed2(sampling.max)}` : none;
        },
      },
      { header: 'peak RSS source', cell: (entry) => peakRssSourceText(entry.result) ?? none },
      { header: 'notes', cell: (entry) => resultNotes(entry.result).join('; ') },
    ],
    trials,
  );
}

/**
 * Load, memory detail and the roofline: the second table. Peak RSS says how it was read; the roofline
 * shows the bandwidth it divides by with onnxruntime's GEMV beside it, or why it was not measured.
 */
export function memoryTable(trials: readonly MeasuredTrial[]): ReportTable {
  return table<MeasuredTrial>(
    [
      { header: 'model', cell: modelLabel },
      { header: 'load ms', numeric: true, cell: (entry) => milliseconds(entry.result.loadMs) },
      { header: 'RSS before load', numeric: true, cell: (entry) => bytes(entry.result.rssBeforeLoadBytes) },
      { header: 'RSS after load', numeric: true, cell: (entry) => bytes(entry.result.rssAfterLoadBytes) },
      { header: 'weights', numeric: true, cell: (entry) => bytes(entry.result.model?.weightsBytes) },
      { header: 'on disk', numeric: true, cell: (entry) => bytes(entry.result.model?.fileBytes) },
      {
        header: 'KV exact / analytic',
        numeric: true,
        cell: (entry) => {
          const kv = entry.result.kvCache;
          return kv ? `${formatBytes(kv.exactBytes)} / ${formatBytes(kv.analyticBytes)}` : none;
        },
      },
      {
        header: 'KV per token',
        numeric: true,
        cell: (entry) => bytes(entry.result.kvCache?.bytesPerToken),
      },
      { header: 'bandwidth', cell: (entry) => bandwidthText(entry.result) },
      {
        header: 'bytes read per decode step',
        numeric: true,
        cell: (entry) => {
          const roofline = entry.result.roofline;
          if (!roofline) return none;
          const { weightBytesPerDecodeToken: weights, kvBytesPerDecodeToken: kv } = roofline;
          const total = formatBytes(roofline.bytesPerDecodeToken);
          return weights === undefined || kv === undefined
            ? total
            : `${total} (weights ${formatBytes(weights)} + KV ${formatBytes(kv)})`;
        },
      },
      {
        header: 'roofline bound t/s',
        numeric: true,
        cell: (entry) => {
          const roofline = entry.result.roofline;
          return roofline ? fixed2(roofline.boundTokensPerSecond) : 'not measured';
        },
      },
      {
        header: 'efficiency',
        numeric: true,
        cell: (entry) => {
          const roofline = entry.result.roofline;
          return roofline ? formatPercent(roofline.efficiency) : 'not measured';
        },
      },
    ],
    trials,
  );
}

/** Failed, skipped and not-run trials with their reasons; empty rows when every trial ran. */
export function problemsTable(doc: RunDocument): ReportTable {
  return table<TrialEntry>(
    [
      ...configurationColumns,
      { header: 'status', cell: (entry) => entry.status },
      { header: 'kind', cell: (entry) => entry.reasonKind ?? '' },
      { header: 'reason', cell: (entry) => entry.reason ?? '' },
    ],
    trialEntries(doc).filter((entry) => entry.status !== 'ok'),
  );
}

type Row = [string, string];

function pairs(rows: readonly Row[], headers: [string, string]): ReportTable {
  return { headers, rows: rows.map((row) => [...row]), numeric: [false, false] };
}

/** The machine the run was measured on. */
export function environmentTable(doc: RunDocument): ReportTable {
  const environment = doc.environment;
  return pairs(
    [
      ['CPU', environment.cpu],
      [
        'cores',
        environment.physicalCores === undefined
          ? NOT_RECORDED
          : `${environment.physicalCores} physical, ${environment.logicalCores ?? '?'} logical`,
      ],
      [
        'RAM',
        environment.totalMemoryBytes === undefined ? NOT_RECORDED : formatBytes(environment.totalMemoryBytes),
      ],
      ['OS', environment.os ?? NOT_RECORDED],
      ['GPU', environment.gpus.length > 0 ? environment.gpus.join('; ') : 'none reported'],
      ['onnxruntime', environment.onnxruntimeVersion ?? NOT_RECORDED],
      ['Node.js', environment.nodeVersion ?? NOT_RECORDED],
      ['app version', environment.appVersion],
      ...(environment.buildCommit ? [['build commit', environment.buildCommit] as [string, string]] : []),
    ],
    ['field', 'value'],
  );
}

const list = (values: readonly unknown[]): string => values.map((value) => String(value)).join(', ');

/** The sweep exactly as it was asked for. */
export function settingsTable(doc: RunDocument): ReportTable {
  const sweep = doc.sweep;
  const models = sweep.models.map((model) =>
    model.kind === 'catalog'
      ? `${model.id} (${model.style}, seed ${model.seed}${
          Object.keys(model.overrides).length > 0 ? `, overrides ${JSON.stringify(model.overrides)}` : ''
        })`
      : `${model.path}${model.variant !== undefined ? ` (variant "${model.variant}")` : ''}`,
  );
  return pairs(
    [
      ['models', models.join('; ')],
      ['quantization presets', list(sweep.quants)],
      ['KV dtypes', list(sweep.kvDtypes)],
      ['context tokens', list(sweep.contexts)],
      [
        'depth tokens (d)',
        list(sweep.depths.map((depth) => (depth === 'end' ? 'end of window (C − P − G)' : depth))),
      ],
      ['depth fill', sweep.fill ?? (sweep.fillText === undefined ? 'synthetic' : 'model')],
      ...(sweep.fillText === undefined
        ? []
        : ([['fill text', `${sweep.fillText.length} characters, repeated to the depth`]] as Row[])),
      ['KV buffers', list(sweep.kvBuffers)],
      ['prompt tokens (P)', list(sweep.prompts)],
      ['generated tokens (G)', list(sweep.gens)],
      ['execution providers', list(sweep.eps)],
      ['runtimes', list(sweep.runtimes ?? ['onnxruntime'])],
      ['intra-op threads', list(sweep.threads.map((value) => value ?? 'default'))],
      ['warmup runs', String(sweep.warmupRuns)],
      ['repetitions (R)', String(sweep.repetitions)],
      ['operator profile', sweep.profileOps ? 'yes' : 'no'],
      ['time limit per trial', `${sweep.timeLimitSeconds} s`],
      ['prompt seed', String(sweep.promptSeed)],
      [
        'memory budget',
        sweep.memoryBudgetBytes === undefined ? 'none' : formatBytes(sweep.memoryBudgetBytes),
      ],
      ['quality vs fp32', sweep.measureQuality ? 'yes' : 'no'],
    ],
    ['setting', 'value'],
  );
}

/** The run's identity and progress, for the report's header. */
export function runFactsTable(doc: RunDocument): ReportTable {
  const entries = trialEntries(doc);
  const count = (status: TrialEntry['status']): number =>
    entries.filter((entry) => entry.status === status).length;
  return pairs(
    [
      ['run id', doc.id],
      ['status', doc.status],
      ['created', doc.createdAt],
      ['updated', doc.updatedAt],
      ['tags', doc.tags.length > 0 ? doc.tags.join(', ') : 'none'],
      [
        'trials',
        `${doc.plan.length} planned: ${count('ok')} ok, ${count('failed')} failed, ` +
          `${count('skipped')} skipped, ${count('not-run')} not run`,
      ],
    ],
    ['field', 'value'],
  );
}

/**
 * Whether a quality entry was measured on a catalog model, whose weights are seeded: entries are keyed by
 * the folder's path for a model folder, by the catalog id otherwise. Only older run documents hold such
 * entries; their numbers are never shown.
 */
export function qualityFromSyntheticWeights(doc: RunDocument, modelKey: string): boolean {
  return !doc.sweep.models.some((model) => model.kind === 'folder' && model.path === modelKey);
}

/** The catalog models of a run that asked for quality: they "need real weights". */
function syntheticQualityModels(doc: RunDocument) {
  const asked = doc.sweep.measureQuality || doc.quality.length > 0;
  return asked ? doc.sweep.models.flatMap((model) => (model.kind === 'catalog' ? [model] : [])) : [];
}

/** Whether the run's quality section has catalog (synthetic) models in it (then the reports say why). */
export function hasSyntheticQuality(doc: RunDocument): boolean {
  return syntheticQualityModels(doc).length > 0;
}

type QualityRow =
  | { kind: 'measured'; entry: RunDocument['quality'][number] }
  | { kind: 'synthetic'; modelKey: string; catalogId: string };

/**
 * Each quantized variant of real weights against its fp32 source, then each catalog model with
 * "needs real weights" and its published scores; empty when quality was not asked for.
 */
export function qualityTable(doc: RunDocument): ReportTable {
  const rows: QualityRow[] = [
    ...doc.quality
      .filter((entry) => !qualityFromSyntheticWeights(doc, entry.modelKey))
      .map((entry) => ({ kind: 'measured' as const, entry })),
    ...syntheticQualityModels(doc).map((model) => ({
      kind: 'synthetic' as const,
      modelKey: modelKey(model),
      catalogId: model.id,
    })),
  ];
  const measured =
    (value: (entry: RunDocument['quality'][number]) => string) =>
    (row: QualityRow): string =>
      row.kind === 'measured' ? value(row.entry) : NEEDS_REAL_WEIGHTS;
  return table(
    [
      {
        header: 'model',
        cell: (row) =>
          modelNameOfKey(doc.sweep.models, row.kind === 'measured' ? row.entry.modelKey : row.modelKey),
      },
      { header: 'weights', cell: (row) => (row.kind === 'measured' ? 'real' : 'synthetic (seeded)') },
      { header: 'quant', cell: (row) => (row.kind === 'measured' ? row.entry.quant : NO_VALUE) },
      {
        header: 'KL mean (nats)',
        numeric: true,
        cell: measured((entry) => entry.report.overall.klMean.toFixed(4)),
      },
      {
        header: 'KL p99 (nats)',
        numeric: true,
        cell: measured((entry) => entry.report.overall.klP99.toFixed(4)),
      },
      {
        header: 'top-1 agreement',
        numeric: true,
        cell: measured((entry) => formatPercent(entry.report.overall.top1Agreement)),
      },
      {
        header: 'perplexity Δ',
        numeric: true,
        cell: measured((entry) => {
          const p = entry.report.perplexity;
          return p
            ? `${p.difference >= 0 ? '+' : ''}${p.difference.toFixed(3)} (${p.reference.perplexity.toFixed(2)} → ${p.variant.perplexity.toFixed(2)})`
            : NO_VALUE;
        }),
      },
      {
        header: 'max abs logit error',
        numeric: true,
        cell: measured((entry) => entry.report.overall.maxAbsLogitError.toFixed(3)),
      },
      {
        header: 'mean abs logit error',
        numeric: true,
        cell: measured((entry) => entry.report.overall.meanAbsLogitError.toFixed(4)),
      },
      {
        header: 'compression',
        numeric: true,
        cell: measured((entry) => `${entry.report.bytes.compression.toFixed(2)}×`),
      },
      {
        header: 'tokens',
        cell: measured((entry) => entry.report.tokenSource),
      },
      {
        header: 'published scores (source)',
        cell: (row) => {
          if (row.kind === 'measured') return NO_VALUE;
          const entry = getCatalogEntry(row.catalogId);
          return `${publishedScoresText(entry.scores)} (${entry.scores.row}: ${entry.scores.math500.source})`;
        },
      },
    ],
    rows,
  );
}

export function definitionsTable(): ReportTable {
  return pairs(
    METRIC_IDS.map((id) => [METRIC_GLOSSARY[id].name, METRIC_GLOSSARY[id].definition]),
    ['metric', 'definition'],
  );
}
