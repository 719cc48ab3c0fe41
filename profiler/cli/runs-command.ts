import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import type { LatencyGoal, RunDocument } from '../api';
import { formatBytes } from '../../common/units';
import { analyzeRun } from '../../common/analysis/run-analysis';
import { writeFileAtomic } from '../store/atomic-write';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../store/exporters';
import { readRunFile } from '../store/run-parse';
import { createRunStore } from '../store/run-store';
import { goalOption, resolveTargets, targetOption } from './analysis-command-options';
import { formatTable } from './text-table';

/** A run by id from the store, or a run file given by path (a colleague's). */
export async function openRun(dataDir: string, idOrFile: string): Promise<RunDocument> {
  if (idOrFile.endsWith('.json') && existsSync(idOrFile)) return (await readRunFile(idOrFile)).doc;
  return createRunStore(dataDir).load(idOrFile);
}

export function registerRunsCommands(program: Command, dataDirOf: () => string): void {
  const runs = program
    .command('runs')
    .description('the run store: list, show, rename, tag, delete, restore, import');

  runs
    .command('list')
    .description('runs in the data folder, newest first')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const { runs: list, problems } = await createRunStore(dataDirOf()).list();
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
    .description('a run as Markdown tables (or its document with --json)')
    .option('--json', 'print the run document')
    .action(async (run: string, options: { json?: boolean }) => {
      const doc = await openRun(dataDirOf(), run);
      process.stdout.write(options.json ? exportRun(doc, 'json') : exportRun(doc, 'md'));
    });

  runs
    .command('rename <run> <name>')
    .description('rename a run')
    .action(async (run: string, name: string) => {
      const doc = await createRunStore(dataDirOf()).rename(run, name);
      process.stdout.write(`${doc.id} is now "${doc.name}".\n`);
    });

  runs
    .command('tag <run> <tags...>')
    .description('add tags to a run (--remove to take them off)')
    .option('--remove', 'remove these tags instead')
    .action(async (run: string, tags: string[], options: { remove?: boolean }) => {
      const store = createRunStore(dataDirOf());
      const doc = options.remove ? await store.untag(run, tags) : await store.tag(run, tags);
      process.stdout.write(`${doc.id} tags: ${doc.tags.join(', ') || '(none)'}\n`);
    });

  runs
    .command('delete <run>')
    .description('move a run to the trash (runs restore brings it back)')
    .action(async (run: string) => {
      await createRunStore(dataDirOf()).delete(run);
      process.stdout.write(`Deleted ${run} (undo: edge-workbench runs restore ${run}).\n`);
    });

  runs
    .command('restore <run>')
    .description('bring a deleted run back')
    .action(async (run: string) => {
      const doc = await createRunStore(dataDirOf()).restore(run);
      process.stdout.write(`Restored ${doc.id}.\n`);
    });

  runs
    .command('import <file>')
    .description('store a run file from another machine (validated first)')
    .action(async (file: string) => {
      const { run, originalId } = await createRunStore(dataDirOf()).importFile(file);
      process.stdout.write(
        `Imported ${file} as ${run.id}${run.id === originalId ? '' : ` (its id ${originalId} was taken)`}.\n`,
      );
    });

  program
    .command('report <run>')
    .description(
      'export a run (id, or a run .json file) as a self-contained HTML report, Markdown, CSV or JSON',
    )
    .addOption(
      new Option('--format <format>', 'html, md, csv or json').choices([...EXPORT_FORMATS]).default('html'),
    )
    .option('--out <file>', 'write here (default: print to stdout)')
    .addOption(targetOption('html and md: '))
    .addOption(goalOption())
    .action(
      async (
        run: string,
        options: { format: ExportFormat; out?: string; target: string[]; goal?: LatencyGoal },
      ) => {
        const dataDir = dataDirOf();
        const doc = await openRun(dataDir, run);
        // html and md judge the run on device targets; csv and json stay the run's own data
        const judged = options.format === 'html' || options.format === 'md';
        if (!judged && (options.target.length > 0 || options.goal)) {
          process.stderr.write(
            `--target and --goal apply to html and md only; ${options.format} ignores them.\n`,
          );
        }
        const analysis = judged
          ? analyzeRun(doc, {
              targets: await resolveTargets(options.target, dataDir),
              ...(options.goal ? { goal: options.goal } : {}),
            })
          : undefined;
        const text = exportRun(doc, options.format, analysis ? { analysis } : {});
        if (options.out) {
          await writeFileAtomic(options.out, text);
          process.stderr.write(`Wrote ${options.out}\n`);
        } else process.stdout.write(text);
      },
    );
}
