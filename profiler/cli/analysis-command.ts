import { Option, type Command } from 'commander';
import type { KvPressureReport, LatencyGoal } from '../api';
import { kvElementBytes } from '../../common/analysis/kv-pressure';
import { parseOverrides, resolveModel } from '../../common/catalog';
import { kvVariantLabel, maxContextText } from '../../common/labels';
import { formatContext, formatPercent, wholeNumber } from '../../common/number-format';
import type { ReportBlock, ReportSection, ReportTable } from '../../common/report-blocks';
import { formatBytesPrecise } from '../../common/units';
import { goalOption, targetOption } from './analysis-command-options';
import type { EngineOf } from './cli-engine';
import { parseNumberList } from './number-lists';
import { runSource } from './runs-command';
import { formatBandwidth } from './system-command';
import { formatTable } from './text-table';

/**
 * `targets`, `kv` and `analyze`: which devices a configuration is judged against, how much KV cache a
 * model needs at each context, and a run judged on those devices.
 */

/** columns a terminal line may take before a wide table is printed as one block per row instead */
const textWidth = (): number => Math.max(80, process.stdout.columns ?? 120);

/** columns of prose: a little narrower than the terminal, for reading */
const proseWidth = (): number => Math.min(textWidth(), 110);

/** Words wrapped to proseWidth(); the first line starts with `first`, the others with `indent`. */
function wrap(text: string, first = '', indent = first): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && line.length + 1 + word.length > proseWidth()) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  if (line.trim()) lines.push(line);
  return lines.join('\n');
}

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length));

/**
 * A table as aligned columns; when that is wider than the terminal, turned on its side (one column per
 * row: a KV table with a column per context); when that is still too wide (a verdict matrix with many
 * targets), one block per row: the first cell as its title, then "header: cell" lines.
 */
export function textTable(table: ReportTable): string {
  const aligned = formatTable(table.headers, table.rows);
  if (widest(aligned) <= textWidth()) return aligned;
  const transposed = formatTable(
    [table.headers[0] ?? '', ...table.rows.map((row) => row[0] ?? '')],
    table.headers.slice(1).map((header, index) => [header, ...table.rows.map((row) => row[index + 1] ?? '')]),
  );
  if (widest(transposed) <= textWidth()) return transposed;
  return table.rows
    .map((row) =>
      [
        row[0] ?? '',
        ...row.slice(1).map((cell, index) => wrap(`${table.headers[index + 1]}: ${cell}`, '  ', '    ')),
      ].join('\n'),
    )
    .join('\n\n');
}

function textBlock(block: ReportBlock): string | null {
  switch (block.kind) {
    case 'text':
    case 'note':
      return wrap(block.text);
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'table':
      return textTable(block.table);
    case 'list':
      return block.items.map((item) => wrap(item, '- ', '  ')).join('\n');
    case 'charts':
      return null; // the HTML report draws them
    default: {
      const unknown: never = block;
      throw new Error(`Unknown report block ${JSON.stringify(unknown)}`);
    }
  }
}

/** The analysis sections as terminal text: the same blocks the Markdown and HTML reports render. */
export function sectionsText(sections: readonly ReportSection[]): string {
  return sections
    .map(({ title, blocks }) =>
      [
        `${title}\n${'='.repeat(title.length)}`,
        ...blocks.map(textBlock).filter((text): text is string => text !== null),
      ].join('\n\n'),
    )
    .join('\n\n\n');
}

interface KvOptions {
  override?: string;
  quant: string;
  kvDtype?: 'float32' | 'float16';
  context?: number[];
  target: string[];
  json?: boolean;
}

function kvText(report: KvPressureReport, shape: string): string {
  const contexts = report.contexts.map((context) => [
    wholeNumber(context.contextTokens),
    formatBytesPrecise(context.kvBytes),
    formatPercent(context.kvShareOfDecodeBytes),
    context.beyondModelMax ? 'past the model max' : '',
  ]);
  const fits = report.targets.map((fit) => [
    fit.targetName,
    formatBytesPrecise(fit.memoryBytes),
    fit.kvRoomBytes < 0 ? 'none' : formatBytesPrecise(fit.kvRoomBytes),
    maxContextText(fit),
  ]);
  return [
    `${kvVariantLabel(report)}: ${wholeNumber(report.bytesPerToken)} B/token (${shape})`,
    `weights ${formatBytesPrecise(report.weightsBytes)}, overhead ${formatBytesPrecise(report.overheadBytes)}, model max ` +
      `context ${report.modelMaxContextTokens === null ? 'unknown' : `${wholeNumber(report.modelMaxContextTokens)} tokens`}`,
    wrap(`Weights and overhead: ${report.basis}`),
    formatTable(['context', 'KV cache', 'KV share of decode reads', ''], contexts),
    'Largest context that fits each target (budget − weights − overhead, ÷ bytes per token):',
    formatTable(['target', 'budget', 'room for KV', 'largest context'], fits),
  ].join('\n\n');
}

export function registerAnalysisCommands(program: Command, engineOf: EngineOf): void {
  program
    .command('targets')
    .description('the device targets verdicts are judged against: presets and this machine')
    .option('--json', 'print the targets as JSON (DeviceTarget[])')
    .action(async (options: { json?: boolean }) => {
      const { targets, bandwidth, table, notes } = await engineOf().targetsReport();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(targets, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          formatTable(table.headers, table.rows),
          notes.map((note) => wrap(note, '- ', '  ')).join('\n'),
          formatBandwidth(bandwidth),
          wrap(
            'Use one with --target <id> (kv, analyze, report), or describe your own: ' +
              '--target name=Board,ram=4GB,bandwidth=12GB/s[,reserve=1GB|budget=3GB].',
          ),
        ].join('\n\n') + '\n',
      );
    });

  program
    .command('kv <model>')
    .description(
      'KV-cache bytes per token and at 512…32K tokens of a catalog model, and the longest context that fits each target',
    )
    .option('--override <k=v,...>', 'what-if overrides, e.g. num_hidden_layers=12')
    .option('--quant <preset>', 'quantization preset: sets the weights (and the default KV dtype)', 'fp32')
    .addOption(
      new Option('--kv-dtype <dtype>', "KV-cache dtype (default: the preset's own)").choices([
        'float32',
        'float16',
      ]),
    )
    .option('--context <tokens>', 'more contexts to show, e.g. 3000,100000', parseNumberList('--context', 1))
    .addOption(targetOption())
    .option('--json', 'print the KV pressure report as JSON')
    .action(async (id: string, options: KvOptions) => {
      const overrides = options.override ? parseOverrides(options.override) : {};
      // the engine checks model and preset before it resolves targets: a typo does not wait for a measurement
      const report = await engineOf().kvPressure({
        model: id,
        overrides,
        quant: options.quant,
        ...(options.kvDtype ? { kvDtype: options.kvDtype } : {}),
        ...(options.context ? { contexts: options.context } : {}),
        targets: options.target,
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const { spec } = resolveModel(id, overrides);
      const shape =
        `2 (K and V) · ${spec.numHiddenLayers} layers · ${spec.numKeyValueHeads} KV heads · ` +
        `${spec.headDim} head dim · ${kvElementBytes(report.kvDtype)} B`;
      process.stdout.write(`${kvText(report, shape)}\n`);
    });

  program
    .command('analyze <run>')
    .description(
      'judge a run (id, or a run .json file) on device targets: fit and projected decode speed, KV pressure, Pareto set, accuracy per cost',
    )
    .addOption(targetOption())
    .addOption(goalOption())
    .option('--json', 'print the analysis as JSON (RunAnalysis)')
    .action(async (run: string, options: { target: string[]; goal?: LatencyGoal; json?: boolean }) => {
      const report = await engineOf().analysisReport(runSource(run), {
        targets: options.target,
        ...(options.goal ? { goal: options.goal } : {}),
      });
      const { analysis } = report;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
        return;
      }
      const ok = analysis.verdicts.length;
      process.stdout.write(
        `Run ${report.run.id} "${report.run.name}": ${ok} measured configuration${ok === 1 ? '' : 's'} on ` +
          `${analysis.targets.length} target${analysis.targets.length === 1 ? '' : 's'} ` +
          `(contexts ${analysis.contextsTokens.map(formatContext).join(', ')}).\n\n` +
          `${sectionsText(report.sections)}\n`,
      );
    });
}
