import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import type { RunDocument, SweepEvent, SweepSpecInput, TrialModel, WorkbenchEvent } from '../api';
import { formatBytes, parseBytes } from '../../common/units';
import { qualityVariantLabel } from '../../common/labels';
import { parseOverrides } from '../../common/catalog';
import { writeFileAtomic, type SweepRequest, type SweepStart } from '../engine';
import type { EngineOf } from './cli-engine';
import { parseNumberList, parseWordList } from './number-lists';
import { readFillFile } from './run-command';

/** Above this many trials a sweep needs an explicit --yes: hours of machine time are easy to ask for. */
export const LARGE_SWEEP_TRIALS = 500;

interface SweepOptions {
  model?: string[];
  style: 'fused' | 'standard';
  override?: string;
  seed: number;
  quant: string[];
  kvDtype: string[];
  context: number[];
  depth: ('end' | number)[];
  fill?: 'synthetic' | 'model';
  fillFile?: string;
  kvBuffer: string[];
  prompt: number[];
  gen: number[];
  ep: string[];
  runtime: string[];
  threads: string[];
  reps: number;
  warmup: number;
  profileOps?: boolean;
  timeLimit: number;
  budget?: number;
  quality?: boolean;
  name?: string;
  yes?: boolean;
  out?: string;
  resume?: string;
  json?: boolean;
}

const whole =
  (flag: string) =>
  (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new InvalidArgumentError(`${flag} must be a whole number ≥ 1.`);
    return Number(value);
  };

/** --depth: numbers and ranges as the other lists, plus the word end. */
function parseDepthList(text: string): ('end' | number)[] {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.filter((part) => part !== 'end');
  return [
    ...(parts.includes('end') ? (['end'] as const) : []),
    ...(numbers.length ? parseNumberList('--depth')(numbers.join(',')) : []),
  ];
}

function budgetOf(text: string): number {
  try {
    return parseBytes(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function models(options: SweepOptions): TrialModel[] {
  if (!options.model?.length)
    throw new Error('Give at least one --model (catalog ids or model folders, comma-separated).');
  return options.model.map((model) =>
    existsSync(model)
      ? { kind: 'folder', path: model }
      : {
          kind: 'catalog',
          id: model,
          overrides: options.override ? parseOverrides(options.override) : {},
          style: options.style,
          seed: options.seed,
        },
  );
}

function threadsOf(values: string[]): (number | null)[] {
  return values.map((value) => {
    if (value === 'default') return null;
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new Error(`--threads: "${value}" is not a thread count (or "default").`);
    return Number(value);
  });
}

function sweepSpec(options: SweepOptions): SweepSpecInput {
  return {
    models: models(options),
    // preset names; SweepSpecSchema says which names it knows
    quants: options.quant as SweepSpecInput['quants'],
    kvDtypes: options.kvDtype as SweepSpecInput['kvDtypes'],
    contexts: options.context,
    depths: options.depth,
    ...(options.fill ? { fill: options.fill } : {}),
    ...(options.fillFile === undefined ? {} : { fillText: readFillFile(options.fillFile) }),
    kvBuffers: options.kvBuffer as SweepSpecInput['kvBuffers'],
    prompts: options.prompt,
    gens: options.gen,
    eps: options.ep as SweepSpecInput['eps'],
    runtimes: options.runtime as SweepSpecInput['runtimes'],
    threads: threadsOf(options.threads),
    repetitions: options.reps,
    warmupRuns: options.warmup,
    profileOps: options.profileOps ?? false,
    timeLimitSeconds: options.timeLimit,
    ...(options.budget !== undefined ? { memoryBudgetBytes: options.budget } : {}),
    measureQuality: options.quality ?? false,
  };
}

/** One line per finished trial on stdout: what ran and its headline numbers. */
function trialLine(event: Extract<SweepEvent, { type: 'trial-done' }>): string {
  const { result } = event;
  const head = `[${event.index}/${event.total}] ${event.label}`;
  if (result.status === 'failed')
    return `✗ ${head}: failed (${result.failure?.kind}): ${result.failure?.message}`;
  const s = result.summary!;
  return (
    `✓ ${head}: decode ${s.decodeTokensPerSecond.median.toFixed(1)} tok/s, prefill ${s.prefillTokensPerSecond.median.toFixed(0)} tok/s, ` +
    `TTFT ${s.ttftMs.median.toFixed(1)} ms, peak ${formatBytes(result.peakRssBytes ?? 0)}${s.noisy ? ' (noisy)' : ''}`
  );
}

/** What the terminal says before the first trial: what was dropped, what will run, where it is saved. */
function announce(start: SweepStart, options: SweepOptions): void {
  const { doc } = start;
  if (start.resumed) {
    process.stderr.write(
      `Resuming ${doc.id}: ${doc.trials.length + doc.skipped.length} of ${doc.plan.length} trials already done.\n`,
    );
    return;
  }
  if (doc.plan.length > LARGE_SWEEP_TRIALS && !options.yes) {
    throw new Error(
      `This sweep has ${doc.plan.length} trials (more than ${LARGE_SWEEP_TRIALS}): narrow it, or pass --yes to run it.`,
    );
  }
  for (const dropped of start.contradictions)
    process.stderr.write(`skipping ${dropped.label}: ${dropped.reason}\n`);
  const totalSeconds = doc.plan.reduce((sum, t) => sum + t.estimate.seconds, 0);
  const wontFit = doc.plan.filter((t) => t.estimate.fit === 'will-not-fit').length;
  process.stderr.write(
    `Run ${doc.id}: ${doc.plan.length} trials, about ${Math.ceil(totalSeconds / 60)} min estimated` +
      `${wontFit ? `, ${wontFit} will not fit the budget and will be skipped` : ''}. Saved to ${start.runsDir} after every trial.\n`,
  );
}

export function registerSweepCommand(program: Command, engineOf: EngineOf): void {
  const list = (flag: string, min = 0) => parseNumberList(flag, min);
  program
    .command('sweep')
    .description(
      'run model × quantization × context (× EP × threads) trials one at a time, saving the run after each',
    )
    .option(
      '--model <ids|folders>',
      'catalog ids or model folders, comma-separated',
      parseWordList('--model'),
    )
    .addOption(
      new Option('--style <style>', 'catalog models: graph style')
        .choices(['fused', 'standard'])
        .default('fused'),
    )
    .option('--override <k=v,...>', 'catalog models: what-if overrides (all catalog models)')
    .option('--seed <n>', 'catalog models: weight seed', (v) => Number(v), 0)
    .option('--quant <presets>', 'quantization presets, e.g. int4,int8,fp32', parseWordList('--quant'), [
      'fp32',
    ])
    .option('--kv-dtype <dtypes>', 'KV-cache dtypes: preset, float32, float16', parseWordList('--kv-dtype'), [
      'preset',
    ])
    .option('--context <tokens>', 'contexts: list or range (512-8192*2)', list('--context', 1), [2048])
    .option(
      '--depth <tokens>',
      'KV depths before the timed part (llama-bench -d): a list or range, and/or end = the end of each ' +
        'context window (context − prompt − gen; the default)',
      parseDepthList,
      ['end'],
    )
    .addOption(
      new Option(
        '--fill <how>',
        'how depths are filled: synthetic (seeded values, the default) or model',
      ).choices(['synthetic', 'model']),
    )
    .option(
      '--fill-file <path>',
      'a text file to fill depths with (model folders with a tokenizer); implies --fill model',
    )
    .option(
      '--kv-buffer <modes>',
      'KV cache held as: auto (shared where the graph allows), grow, shared; a list compares them',
      parseWordList('--kv-buffer'),
      ['auto'],
    )
    .option('--prompt <tokens>', 'prompt lengths P', list('--prompt', 1), [128])
    .option('--gen <tokens>', 'decode steps G', list('--gen', 1), [64])
    .option('--ep <providers>', 'execution providers', parseWordList('--ep'), ['cpu'])
    .option(
      '--runtime <runtimes>',
      'onnxruntime, llama.cpp, or both (onnxruntime,llama.cpp): each model × preset on each runtime ' +
        '(int4 runs as Q4_0 on llama.cpp, int8 as Q8_0, fp16 as F16, fp32 as F32)',
      parseWordList('--runtime'),
      ['onnxruntime'],
    )
    .option(
      '--threads <n,...>',
      'intra-op thread counts ("default" = onnxruntime\'s)',
      parseWordList('--threads'),
      ['default'],
    )
    .option('--reps <n>', 'timed repetitions per trial', whole('--reps'), 5)
    .option('--warmup <n>', 'untimed full runs per trial', (v) => Number(v), 1)
    .option('--profile-ops', 'op breakdown for every trial')
    .option('--time-limit <s>', 'per trial', whole('--time-limit'), 900)
    .option(
      '--budget <bytes>',
      'memory budget, e.g. 8GB or 6GiB: trials estimated above it are not run',
      budgetOf,
    )
    .option('--quality', 'also measure each quantized variant against fp32 (KL, top-1 agreement…)')
    .option('--name <name>', 'the run name (default: "sweep")')
    .option('--yes', `run sweeps of more than ${LARGE_SWEEP_TRIALS} trials`)
    .option('--out <file>', 'also write the finished run document here')
    .option('--resume <run id>', 'continue an interrupted run: only its missing trials run')
    .option('--json', 'print the run document at the end')
    .action(async (options: SweepOptions) => {
      const engine = engineOf();
      const request: SweepRequest = options.resume
        ? { resume: options.resume }
        : { spec: sweepSpec(options), name: options.name ?? 'sweep' };
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: 'sweep [{bar}] {value}/{total} | ETA {etaText} | {label}',
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      // set when the sweep starts: its run, its plan's size and how many trials are done
      let started: { start: SweepStart; done: number } | undefined;
      const onInterrupt = (): void => {
        process.stderr.write(
          '\nCancelling: the running trial stops; finished trials are kept (resume with --resume).\n',
        );
        if (started) void engine.cancelSweep(started.start.doc.id);
      };
      const line = (text: string): void => {
        bar?.stop();
        process.stdout.write(`${text}\n`);
        if (started) bar?.start(started.start.doc.plan.length, started.done, { etaText: '…', label: '' });
      };
      const onSweepEvent = (event: SweepEvent): void => {
        if (!started) return;
        if (event.type === 'trial-start')
          bar?.update(event.index, {
            etaText: `${Math.ceil(event.etaSeconds / 60)} min`,
            label: event.label,
          });
        else if (event.type === 'trial-done') {
          started.done += 1;
          line(trialLine(event));
          bar?.update(event.index, { etaText: `${Math.ceil(event.etaSeconds / 60)} min` });
        } else if (event.type === 'trial-skipped') {
          started.done += 1;
          line(`- ${event.label}: ${event.reason}`);
        } else if (event.type === 'quality') {
          const variant = qualityVariantLabel(started.start.doc.sweep.models, event);
          line(event.error ? `quality ${variant}: not measured: ${event.error}` : `quality ${variant}…`);
        }
      };
      // the same events the desktop app and serve's clients get
      const unsubscribe = engine.onEvent((event: WorkbenchEvent) => {
        if (event.kind === 'sweep' && event.runId === started?.start.doc.id) onSweepEvent(event.event);
      });
      let doc: RunDocument;
      try {
        doc = await engine.runSweep(request, {
          onStart: (start) => {
            announce(start, options);
            started = { start, done: start.doc.trials.length + start.doc.skipped.length };
            bar?.start(start.doc.plan.length, started.done, { etaText: '…', label: '' });
            // Ctrl+C cancels through the engine, as the desktop app's Cancel does
            process.once('SIGINT', onInterrupt);
          },
        });
      } finally {
        bar?.stop();
        unsubscribe();
        process.off('SIGINT', onInterrupt);
      }
      if (options.out) await writeFileAtomic(options.out, `${JSON.stringify(doc, null, 2)}\n`);
      const failed = doc.trials.filter((t) => t.result.status === 'failed').length;
      process.stderr.write(
        `Run ${doc.id} ${doc.status}: ${doc.trials.length - failed} ok, ${failed} failed, ${doc.skipped.length} skipped of ${doc.plan.length}. ` +
          `Report: edge-workbench report ${doc.id} --format html\n`,
      );
      if (options.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      if (doc.status === 'cancelled') process.exitCode = 130;
    });
}
