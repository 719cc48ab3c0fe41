import type { RunAnalysis } from '../api';
import { kvVariantLabel } from '../../common/labels';
import { ANALYSIS_CHART_IDS } from './analysis-charts';
import {
  accuracyTable,
  decodeSlowdownTable,
  goalText,
  kvBytesTable,
  kvFitTable,
  targetNotes,
  targetsTable,
  tradeoffTable,
  verdictTable,
} from './analysis-tables';
import { SYNTHETIC_QUALITY_NOTE } from './report-definitions';
import type { ReportBlock, ReportSection, ReportTable } from '../../common/report-blocks';

/**
 * The analysis sections of a report ("Device targets and fit", "KV-cache pressure", "Trade-offs") as
 * format-neutral blocks: the Markdown and HTML exporters and the CLI each render the same blocks, so
 * every format says the same thing in the same order.
 */

const text = (value: string): ReportBlock => ({ kind: 'text', text: value });
const note = (value: string): ReportBlock => ({ kind: 'note', text: value });
const heading = (value: string): ReportBlock => ({ kind: 'heading', text: value });
const tableBlock = (table: ReportTable): ReportBlock => ({ kind: 'table', table });

const nothingMeasured = text('No trial finished successfully: there is nothing to judge.');

function fitSection(analysis: RunAnalysis): ReportSection {
  const goal = goalText(analysis.goal);
  const measured = analysis.verdicts.length > 0;
  return {
    id: 'fit',
    title: 'Device targets and fit',
    blocks: [
      text(
        'Each measured configuration (rows) on each device target (columns): whether it fits the ' +
          "target's model budget (fits ≤ 80% of it, tight ≤ 100%, does not fit beyond), and its decode " +
          'speed there. Numbers marked "projected" were not measured on that target; "measured" ones were.',
      ),
      text(
        goal
          ? `Latency goal: ${goal}. "meets goal": every part is met; "misses goal": a part is missed; ` +
              '"goal unknown": a part cannot be judged there (TTFT is measured only where the run ran).'
          : 'No latency goal was given.',
      ),
      ...(measured
        ? [tableBlock(verdictTable(analysis)), note(analysis.projectionBasis)]
        : [nothingMeasured]),
      heading('Targets'),
      tableBlock(targetsTable(analysis.targets)),
      { kind: 'list', items: targetNotes(analysis.targets) },
    ],
  };
}

function kvSection(analysis: RunAnalysis): ReportSection {
  const reports = analysis.kvPressure;
  if (reports.length === 0)
    return { id: 'kv-pressure', title: 'KV-cache pressure', blocks: [nothingMeasured] };
  const beyond = reports.some((report) => report.contexts.some((context) => context.beyondModelMax));
  const slowdown = analysis.decodeSlowdown;
  return {
    id: 'kv-pressure',
    title: 'KV-cache pressure',
    blocks: [
      text(
        'Bytes of KV cache per token of context (2 · layers · KV heads · head dim · bytes per element) ' +
          'and at each context, per model variant the run measured (model, quantization, KV dtype).',
      ),
      tableBlock(kvBytesTable(reports, analysis.contextsTokens)),
      ...(beyond
        ? [note("† past the model's own maximum context: shown for scale, not runnable as published.")]
        : []),
      { kind: 'charts', ids: [ANALYSIS_CHART_IDS.kv] },
      heading('Largest context that fits each target'),
      tableBlock(kvFitTable(reports, analysis.targets)),
      note(
        "The longest context whose KV cache fits beside the weights and the runtime overhead in the target's " +
          'whole model budget, capped at the model’s maximum context. Weights and overhead per variant:',
      ),
      {
        kind: 'list',
        items: reports.map((report) => `${kvVariantLabel(report)}: ${report.basis}`),
      },
      ...(slowdown.length > 0
        ? [
            heading('Decode slowdown with depth'),
            text(
              'A least-squares line through the mean per-token decode ms of each configuration at every ' +
                'depth it ran: how much each 1,000 tokens already in the KV cache slow a decode step.',
            ),
            tableBlock(decodeSlowdownTable(slowdown)),
          ]
        : []),
    ],
  };
}

/** What the sections cannot tell from the analysis alone. */
export interface AnalysisSectionOptions {
  /** some quality entry was measured on synthetic (seeded) weights: its KL says nothing of quality */
  syntheticQuality?: boolean;
}

function tradeoffSection(analysis: RunAnalysis, options: AnalysisSectionOptions): ReportSection {
  const { tradeoff } = analysis;
  if (tradeoff.points.length === 0)
    return { id: 'tradeoffs', title: 'Trade-offs', blocks: [nothingMeasured] };
  const hasKl = tradeoff.points.some((point) => point.quality?.source === 'measured');
  const notes = [...new Set(tradeoff.accuracy.map((model) => model.note))];
  return {
    id: 'tradeoffs',
    title: 'Trade-offs',
    blocks: [
      text(
        'Speed, memory and quality of every measured configuration. ★ marks the Pareto-optimal ones: no ' +
          'other configuration of the same workload is at least as good in every objective and better in one.',
      ),
      tableBlock(tradeoffTable(tradeoff)),
      note(tradeoff.basis),
      ...(options.syntheticQuality ? [note(SYNTHETIC_QUALITY_NOTE)] : []),
      {
        kind: 'charts',
        ids: [ANALYSIS_CHART_IDS.tradeoffMemory, ...(hasKl ? [ANALYSIS_CHART_IDS.tradeoffKl] : [])],
      },
      heading('Accuracy per cost'),
      ...(tradeoff.accuracy.length > 0
        ? [tableBlock(accuracyTable(tradeoff)), ...notes.map(note)]
        : [
            text(
              'No published scores apply: accuracy per cost is shown for catalog models without what-if ' +
                'overrides only.',
            ),
          ]),
    ],
  };
}

/** The three analysis sections, in report order. */
export function analysisSections(
  analysis: RunAnalysis,
  options: AnalysisSectionOptions = {},
): ReportSection[] {
  return [fitSection(analysis), kvSection(analysis), tradeoffSection(analysis, options)];
}
