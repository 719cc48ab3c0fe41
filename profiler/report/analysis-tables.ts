import type {
  DecodeSlowdown,
  DeviceTarget,
  FitVerdict,
  KvPressureReport,
  LatencyGoal,
  RunAnalysis,
  TradeoffAnalysis,
} from '../api';
import { kvVariantLabel, maxContextText, MEMORY_FIT_WORDS } from '../../common/labels';
import { formatContext, formatFixed, formatPercent, NO_VALUE, wholeNumber } from '../../common/number-format';
import { formatBytes, formatBytesPrecise, formatGBps } from '../../common/units';
import { NEEDS_REAL_WEIGHTS } from '../../common/catalog/published-scores';
import type { ReportTable } from '../../common/report-blocks';

/**
 * A run's analysis (device targets, KV pressure, trade-offs) as plain text tables, for the Markdown and
 * HTML reports and the CLI's `analyze` and `kv`: one wording and one rounding everywhere.
 */

const none = NO_VALUE;

/** "decode ≥ 10 tok/s on the target; TTFT ≤ 1000 ms at a 1024-token prompt", or null for no goal */
export function goalText(goal: LatencyGoal): string | null {
  const parts: string[] = [];
  if (goal.minDecodeTokensPerSecond !== undefined) {
    parts.push(`decode ≥ ${goal.minDecodeTokensPerSecond} tok/s on the target`);
  }
  if (goal.maxTtftMs !== undefined) {
    parts.push(
      `TTFT ≤ ${goal.maxTtftMs} ms ` +
        (goal.ttftPromptTokens === undefined
          ? "at each trial's own prompt length"
          : `at a ${goal.ttftPromptTokens}-token prompt`),
    );
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

const goalWords = { meets: 'meets goal', misses: 'misses goal', unknown: 'goal unknown' } as const;

/**
 * One cell of the verdict matrix: memory fit with its share of the budget, decode tok/s, the goal.
 * Every number not measured on the target says "projected" right beside it. Projected tok/s get 1
 * decimal: a projection is no more precise than that.
 */
export function verdictCell(verdict: FitVerdict): string {
  const { memory, decode, latency } = verdict;
  const share =
    memory.shareOfBudget === null
      ? ''
      : ` (${formatPercent(memory.shareOfBudget, 0)} of budget${memory.projected ? ', projected' : ''})`;
  let speed = 'decode unknown';
  if (decode.tokensPerSecond !== null) {
    speed = decode.projected
      ? `${decode.tokensPerSecond.toFixed(1)} tok/s projected`
      : `${decode.tokensPerSecond.toFixed(2)} tok/s measured`;
  }
  const goal = latency.status === 'no-goal' ? '' : ` · ${goalWords[latency.status]}`;
  return `${MEMORY_FIT_WORDS[memory.fit]}${share} · ${speed}${goal}`;
}

/** Configuration rows × target columns. */
export function verdictTable(analysis: RunAnalysis): ReportTable {
  return {
    headers: ['configuration', ...analysis.targets.map((target) => target.name)],
    rows: analysis.verdicts.map((row) => [row.label, ...row.verdicts.map(verdictCell)]),
    numeric: [false, ...analysis.targets.map(() => false)],
    cellClasses: analysis.verdicts.map((row) => [
      undefined,
      ...row.verdicts.map((verdict) => `verdict fit-${verdict.memory.fit}`),
    ]),
  };
}

/** The targets' memory budgets and bandwidths, with where the bandwidth comes from. */
export function targetsTable(targets: readonly DeviceTarget[]): ReportTable {
  return {
    headers: ['target', 'id', 'RAM', 'model budget', 'bandwidth', 'bandwidth basis'],
    rows: targets.map((target) => [
      target.name,
      target.id,
      formatBytes(target.totalMemoryBytes),
      formatBytes(target.memoryBytes),
      formatGBps(target.bandwidthBytesPerSecond),
      target.bandwidthBasis,
    ]),
    numeric: [false, false, true, true, true, false],
  };
}

/** text ending in a full stop, so notes of different origins join into sentences */
const sentence = (text: string): string => (/[.!?:]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** One line per target: where its figures come from and how its budget was set. */
export function targetNotes(targets: readonly DeviceTarget[]): string[] {
  return targets.map((target) =>
    [`${target.name}:`, sentence(target.source), sentence(target.memoryNote), target.notes.trim()]
      .filter(Boolean)
      .join(' '),
  );
}

/** Bytes per token and the KV cache at each context, per model variant. † marks contexts past the model. */
export function kvBytesTable(
  reports: readonly KvPressureReport[],
  contextsTokens: readonly number[],
): ReportTable {
  return {
    headers: [
      'model',
      'KV dtype',
      'KV bytes/token',
      'weights',
      'overhead',
      'model max context',
      ...contextsTokens.map((tokens) => `KV @ ${formatContext(tokens)}`),
    ],
    rows: reports.map((report) => [
      report.label,
      report.kvDtype,
      `${wholeNumber(report.bytesPerToken)} B`,
      formatBytesPrecise(report.weightsBytes),
      formatBytesPrecise(report.overheadBytes),
      report.modelMaxContextTokens === null ? none : wholeNumber(report.modelMaxContextTokens),
      ...contextsTokens.map((tokens) => {
        const at = report.contexts.find((context) => context.contextTokens === tokens);
        if (!at) return none;
        return `${formatBytesPrecise(at.kvBytes)}${at.beyondModelMax ? ' †' : ''}`;
      }),
    ]),
    numeric: [false, false, true, true, true, true, ...contextsTokens.map(() => true)],
  };
}

/** Per model variant, the largest context that fits each target (KvPressureReport.targets order). */
export function kvFitTable(
  reports: readonly KvPressureReport[],
  targets: readonly DeviceTarget[],
): ReportTable {
  return {
    headers: ['model', ...targets.map((target) => target.name)],
    rows: reports.map((report) => [
      kvVariantLabel(report),
      ...targets.map((target) => {
        const fit = report.targets.find((candidate) => candidate.targetId === target.id);
        return fit ? maxContextText(fit) : none;
      }),
    ]),
    numeric: [false, ...targets.map(() => true)],
  };
}

const fixed = (digits: number) => (value: number | null) => formatFixed(value, digits);

/** Per configuration that ran at several depths: how much each 1K tokens of depth slows decode. */
export function decodeSlowdownTable(slowdowns: readonly DecodeSlowdown[]): ReportTable {
  return {
    headers: [
      'configuration',
      'depths (tokens)',
      'per-token ms at depth 0 (fit)',
      'ms per 1K tokens of depth',
      '% per 1K tokens',
      'R²',
    ],
    rows: slowdowns.map((slowdown) => [
      slowdown.label,
      slowdown.depths.map(wholeNumber).join(', '),
      fixed(2)(slowdown.perTokenMsAtDepth0),
      fixed(3)(slowdown.msPer1KTokens),
      slowdown.percentPer1KTokens === null ? none : `${slowdown.percentPer1KTokens.toFixed(1)}%`,
      fixed(3)(slowdown.rSquared),
    ]),
    numeric: [false, false, true, true, true, true],
  };
}

/** Every measured point, numbered; Pareto-optimal ones marked ★, dominated ones say by which. */
export function tradeoffTable(tradeoff: TradeoffAnalysis): ReportTable {
  const numberOf = new Map(tradeoff.points.map((point, index) => [point.key, `#${index + 1}`]));
  return {
    headers: [
      '#',
      'configuration',
      'workload',
      'decode t/s (median)',
      'peak RSS',
      'KL vs fp32 (nats)',
      'top-1 agreement',
      'quality source',
      'Pareto',
    ],
    rows: tradeoff.points.map((point, index) => [
      `#${index + 1}`,
      point.label,
      point.workload,
      point.decodeTokensPerSecond.toFixed(2),
      formatBytes(point.memoryBytes),
      point.quality ? point.quality.klMean.toFixed(4) : point.syntheticWeights ? NEEDS_REAL_WEIGHTS : none,
      point.quality
        ? formatPercent(point.quality.top1Agreement)
        : point.syntheticWeights
          ? NEEDS_REAL_WEIGHTS
          : none,
      point.quality?.source ?? (point.syntheticWeights ? NEEDS_REAL_WEIGHTS : 'not measured'),
      point.paretoOptimal
        ? '★ optimal'
        : `dominated by ${point.dominatedBy.map((key) => numberOf.get(key) ?? key).join(', ')}`,
    ]),
    numeric: [true, false, false, true, true, true, true, false, false],
    cellClasses: tradeoff.points.map((point) =>
      Array.from({ length: 9 }, (_, column) => (column === 8 && point.paretoOptimal ? 'pareto' : undefined)),
    ),
  };
}

/** Published scores beside the cost measured here: one row per model, quant and benchmark. */
export function accuracyTable(tradeoff: TradeoffAnalysis): ReportTable {
  return {
    headers: [
      'model',
      'quant',
      'weights',
      'p50 ms/token',
      'benchmark',
      'score % (published)',
      '% per weights GiB',
      '% per ms/token',
      'score source',
    ],
    rows: tradeoff.accuracy.flatMap((model) =>
      model.scores.map((score) => [
        model.displayName,
        model.quant,
        formatBytes(model.weightsBytes),
        model.perTokenP50Ms.toFixed(2),
        score.benchmark,
        score.percent.toFixed(1),
        score.percentPerWeightsGiB.toFixed(1),
        score.percentPerTokenMs.toFixed(2),
        score.source,
      ]),
    ),
    numeric: [false, false, true, true, false, true, true, true, false],
  };
}
