import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { ExportFormatSchema, type ExportFormat, type ExportOptions, type LatencyGoal } from '../api';
import { formatBytes } from '../../common/units';
import { writeFileAtomic, type Engine, type RunSource } from '../engine';
import { goalOption, targetOption } from './analysis-command-options';
import type { EngineOf } from './cli-engine';
import { formatTable } from './text-table';
import { parseRecordFormat } from './record-output';
import {
  compareRuns,
  DEFAULT_MATCH,
  MATCH_FIELDS,
  printComparison,
  printRecords,
  type MatchField,
  type RecordFormat,
} from '../../common/llama-bench';

/** A run argument: a run file given by path (a colleague's, not in the store), else a run id. */
export function runSource(idOrFile: string): RunSource {
  return idOrFile.endsWith('.json') && existsSync(idOrFile) ? { file: idOrFile } : { runId: idOrFile };
}

/** The engine's export of a run, from the store or from a run file: the same text either way. */
async function exportOf(
  engine: Engine,
  run: string,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<string> {
  const source = runSource(run);
  const exported =
    'file' in source
      ? await engine.exportRunFile(source.file, format, options)
      : await engine.exportRun(source.runId, format, options);
  return exported.text;
}

/** -o: llama-bench's records (its field names) in one of its formats, instead of the report */
function recordFormatOption(defaultFormat?: RecordFormat): Option {
  const option = new Option(
    '-o, --output <format>',
    "llama-bench's records, one per pp / tg test, with its field names then ours: md (its table), csv, json or jsonl",
  ).argParser(parseRecordFormat('--output'));
  return defaultFormat ? option.default(defaultFormat) : option;
}

/** --match model,threads: the fields a comparison pairs configurations on */
function parseMatch(text: string): MatchField[] {
  const fields = text
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const unknown = fields.find((field) => !(MATCH_FIELDS as readonly string[]).includes(field));
  if (unknown !== undefined)
    throw new InvalidArgumentError(`--match: "${unknown}" is not one of ${MATCH_FIELDS.join(', ')}.`);
  return fields as MatchField[];
}

export function registerRunsCommands(program: Command, engineOf: EngineOf): void {
  const runs = program
    .command('runs')
    .description('the run store: list, show, rename, tag, delete, restore, import');

  runs
    .command('list')
    .description('runs in the data folder, newest first')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const { runs: list, problems } = await engineOf().listRuns();
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ runs: list, problems }, null, 2)}\n`);
        return;
      }
      if (list.length === 0)
        process.stdout.write('No runs yet: start one with edge-workbench sweep --model … (or run).\n');
      else {
        const rows = list.map((run) => [
          run.id,
          run.name,
          run.status,
          `${run.trials}/${run.planned}${run.failed ? ` (${run.failed} failed)` : ''}`,
          run.tags.join(','),
          run.updatedAt.slice(0, 19).replace('T', ' '),
          formatBytes(run.sizeBytes),
        ]);
        process.stdout.write(
          `${formatTable(['id', 'name', 'status', 'trials', 'tags', 'updated', 'size'], rows)}\n`,
        );
      }
      for (const problem of problems)
        process.stderr.write(`unreadable: ${problem.file}: ${problem.reason}\n`);
    });

  runs
    .command('show <run>')
    .description("a run as Markdown tables (or its document with --json, or llama-bench's records with -o)")
    .option('--json', 'print the run document')
    .addOption(recordFormatOption())
    .action(async (run: string, options: { json?: boolean; output?: RecordFormat }) => {
      if (options.output) {
        const { records } = await engineOf().runRecords(runSource(run));
        process.stdout.write(printRecords(options.output, records));
        return;
      }
      // the run's own tables: `report` is the one that judges it on device targets
      process.stdout.write(
        await exportOf(engineOf(), run, options.json ? 'json' : 'md', { analysis: false }),
      );
    });

  runs
    .command('rename <run> <name>')
    .description('rename a run')
    .action(async (run: string, name: string) => {
      const renamed = await engineOf().renameRun(run, name);
      process.stdout.write(`${renamed.id} is now "${renamed.name}".\n`);
    });

  runs
    .command('tag <run> <tags...>')
    .description('add tags to a run (--remove to take them off)')
    .option('--remove', 'remove these tags instead')
    .action(async (run: string, tags: string[], options: { remove?: boolean }) => {
      const tagged = await engineOf().tagRun(run, tags, options.remove ?? false);
      process.stdout.write(`${tagged.id} tags: ${tagged.tags.join(', ') || '(none)'}\n`);
    });

  runs
    .command('delete <run>')
    .description('move a run to the trash (runs restore brings it back)')
    .action(async (run: string) => {
      await engineOf().deleteRun(run);
      process.stdout.write(`Deleted ${run} (undo: edge-workbench runs restore ${run}).\n`);
    });

  runs
    .command('restore <run>')
    .description('bring a deleted run back')
    .action(async (run: string) => {
      const restored = await engineOf().restoreRun(run);
      process.stdout.write(`Restored ${restored.id}.\n`);
    });

  runs
    .command('import <file>')
    .description(
      "store a run file from another machine (validated first), or llama-bench's output (-o json, jsonl or csv) as a llama.cpp run",
    )
    .action(async (file: string) => {
      const { id, originalId, notes } = await engineOf().importRunFile(file);
      for (const note of notes) process.stderr.write(`${note}\n`);
      process.stdout.write(
        `Imported ${file} as ${id}${id === originalId ? '' : ` (its id ${originalId} was taken)`}.\n`,
      );
    });

  program
    .command('compare <runs...>')
    .description(
      'two or more runs (ids or run files) side by side, per matching configuration: decode and prefill t/s, ' +
        "TTFT and peak RSS, with each run's speed-up against the first (as llama.cpp's compare-llama-bench.py)",
    )
    .addOption(recordFormatOption('md'))
    .option(
      '--match <fields>',
      `what a configuration is matched on besides the test: ${MATCH_FIELDS.join(', ')} (default ${DEFAULT_MATCH.join(',')}; ` +
        "e.g. --match threads to put int4 beside llama.cpp's Q4_0)",
      parseMatch,
      [...DEFAULT_MATCH],
    )
    .action(async (names: string[], options: { output: RecordFormat; match: MatchField[] }) => {
      if (names.length < 2) throw new Error('compare needs at least two runs (ids or run files).');
      const engine = engineOf();
      const loaded = await Promise.all(names.map((name) => engine.runRecords(runSource(name))));
      const repeated = (name: string): boolean =>
        loaded.filter((entry) => entry.run.name === name).length > 1;
      const runsCompared = loaded.map((entry) => ({
        label: repeated(entry.run.name) ? entry.run.id : entry.run.name,
        records: entry.records,
      }));
      const rows = compareRuns(runsCompared, options.match);
      if (rows.length === 0) {
        throw new Error(
          `No configuration of ${names.join(', ')} matches on ${[...options.match, 'test'].join(', ')}: try fewer --match fields.`,
        );
      }
      process.stdout.write(printComparison(options.output, runsCompared, rows));
    });

  program
    .command('report <run>')
    .description(
      'export a run (id, or a run .json file) as a self-contained HTML report, Markdown, CSV or JSON',
    )
    .addOption(
      new Option('--format <format>', "html, md, csv, json, or jsonl (llama-bench's records)")
        .choices([...ExportFormatSchema.options])
        .default('html'),
    )
    .option('--out <file>', 'write here (default: print to stdout)')
    .addOption(targetOption('html and md: '))
    .addOption(goalOption())
    .addOption(recordFormatOption())
    .action(
      async (
        run: string,
        options: {
          format: ExportFormat;
          out?: string;
          target: string[];
          goal?: LatencyGoal;
          output?: RecordFormat;
        },
      ) => {
        const engine = engineOf();
        const text = options.output
          ? printRecords(options.output, (await engine.runRecords(runSource(run))).records)
          : await exportOf(engine, run, options.format, {
              targets: options.target,
              ...(options.goal ? { goal: options.goal } : {}),
            });
        // html and md judge the run on device targets; csv and json stay the run's own data
        const judged = options.format === 'html' || options.format === 'md';
        if (!judged && (options.target.length > 0 || options.goal)) {
          process.stderr.write(
            `--target and --goal apply to html and md only; ${options.format} ignores them.\n`,
          );
        }
        if (options.out) {
          await writeFileAtomic(options.out, text);
          process.stderr.write(`Wrote ${options.out}\n`);
        } else process.stdout.write(text);
      },
    );
}
