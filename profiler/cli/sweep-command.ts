import cliProgress from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import type { RunDocument, SweepEvent, SweepSpecInput, TrialModel, WorkbenchEvent } from '../api';
import { formatBytes, parseBytes } from '../../common/units';
import { qualityVariantLabel } from '../../common/labels';
import { parseOverrides } from '../../common/catalog';
import { writeFileAtomic, type SweepRequest, type SweepStart } from '../engine';
import type { EngineOf } from './cli-engine';
import { accumulating, parseNumberList, parseWordList } from './number-lists';
import { createRecordOutput, parseRecordFormat, type RecordOutputOptions } from './record-output';
import { readFillFile, runExitCode } from './run-command';
import { plannedRecords } from '../../common/llama-bench';

/** Above this many trials a sweep needs an explicit --yes: hours of machine time are easy to ask for. */
export const LARGE_SWEEP_TRIALS = 500;

interface SweepOptions extends RecordOutputOptions {
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
  promptText?: string;
  chat?: boolean;
  kvBuffer: string[];
  prompt: number[];
  gen: number[];
  promptGen?: { prompt: number; gen: number }[];
  ep: string[];
  runtime: string[];
  threads: string[];
  reps: number;
  /** untimed runs; false with --no-warmup (commander gives both flags one attribute) */
  warmup: number | false;
  delay: number;
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

/** --delay: seconds ≥ 0, fractions allowed */
const seconds =
  (flag: string) =>
  (value: string): number => {
    if (!/^\d+(\.\d+)?$/.test(value))
      throw new InvalidArgumentError(`${flag} must be a number of seconds ≥ 0.`);
    return Number(value);
  };

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

/** -pg P,G pairs, given alone or with -p / -n (then their crossing runs too), as llama-bench runs them */
function lengthsOf(
  options: SweepOptions,
  given: (flag: 'prompt' | 'gen') => boolean,
): Pick<SweepSpecInput, 'prompts' | 'gens' | 'promptGens'> {
  if (!options.promptGen) return { prompts: options.prompt, gens: options.gen };
  const crossed =
    given('prompt') || given('gen')
      ? options.prompt.flatMap((prompt) => options.gen.map((gen) => ({ prompt, gen })))
      : [];
  const pairs = [...crossed, ...options.promptGen].filter(
    (pair, index, all) =>
      all.findIndex((other) => other.prompt === pair.prompt && other.gen === pair.gen) === index,
  );
  return { prompts: options.prompt, gens: options.gen, promptGens: pairs };
}

/** "512,128" → { prompt: 512, gen: 128 } (-pg); repeated, they add up */
function parsePromptGen(text: string): { prompt: number; gen: number }[] {
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
    throw new InvalidArgumentError(`-pg: "${text}" is not P,G (two whole numbers ≥ 1, e.g. -pg 512,128).`);
  return [{ prompt: Number(match[1]), gen: Number(match[2]) }];
}

function sweepSpec(options: SweepOptions, given: (flag: 'prompt' | 'gen') => boolean): SweepSpecInput {
  return {
    models: models(options),
    // preset names; SweepSpecSchema says which names it knows
    quants: options.quant as SweepSpecInput['quants'],
    kvDtypes: options.kvDtype as SweepSpecInput['kvDtypes'],
    contexts: options.context,
    depths: options.depth,
    ...(options.fill ? { fill: options.fill } : {}),
    ...(options.fillFile === undefined ? {} : { fillText: readFillFile(options.fillFile) }),
    ...(options.promptText === undefined ? {} : { promptText: options.promptText }),
    ...(options.chat ? { chat: true } : {}),
    kvBuffers: options.kvBuffer as SweepSpecInput['kvBuffers'],
    ...lengthsOf(options, given),
    eps: options.ep as SweepSpecInput['eps'],
    runtimes: options.runtime as SweepSpecInput['runtimes'],
    threads: threadsOf(options.threads),
    repetitions: options.reps,
    warmupRuns: options.warmup === false ? 0 : options.warmup,
    delaySeconds: options.delay,
    profileOps: options.profileOps ?? false,
    timeLimitSeconds: options.timeLimit,
    ...(options.budget !== undefined ? { memoryBudgetBytes: options.budget } : {}),
    measureQuality: options.quality ?? false,
  };
}

/** One line per finished trial, for people: what ran and its headline numbers. */
function trialLine(event: Extract<SweepEvent, { type: 'trial-done' }>): string {
  const { result } = event;
  const head = `[${event.index}/${event.total}] ${event.label}`;
  if (result.status === 'failed')
    return `✗ ${head}: failed (${result.failure?.kind}): ${result.failure?.message}`;
  const s = result.summary!;
  const figures = [
    s.decodeTokensPerSecond && `decode ${s.decodeTokensPerSecond.median.toFixed(1)} tok/s`,
    s.prefillTokensPerSecond && `prefill ${s.prefillTokensPerSecond.median.toFixed(0)} tok/s`,
    s.ttftMs && `TTFT ${s.ttftMs.median.toFixed(1)} ms`,
    result.peakRssBytes !== undefined && `peak ${formatBytes(result.peakRssBytes)}`,
  ].filter(Boolean);
  return `✓ ${head}: ${figures.join(', ')}${s.noisy ? ' (noisy)' : ''}`;
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

/** Each list flag's default, kept by identity so a repeated flag replaces it once and then adds (accumulating). */
const DEFAULTS = {
  quant: ['fp32'],
  kvDtype: ['preset'],
  context: [2048],
  depth: ['end'] as ('end' | number)[],
  kvBuffer: ['auto'],
  prompt: [128],
  gen: [64],
  ep: ['cpu'],
  runtime: ['onnxruntime'],
  threads: ['default'],
};

export function registerSweepCommand(program: Command, engineOf: EngineOf): void {
  const list = (flag: string, min = 0) => parseNumberList(flag, min);
  const command = program
    .command('sweep')
    .description(
      'run model × quantization × context (× EP × threads) trials one at a time, saving the run after each. ' +
        'List flags take commas, ranges (first-last, first-last+step, first-last*mult) and repeats (-p 128 -p 512)',
    )
    .option(
      '-m, --model <ids|folders>',
      'catalog ids or model folders, comma-separated',
      accumulating(parseWordList('--model')),
    )
    .addOption(
      new Option('--style <style>', 'catalog models: graph style')
        .choices(['fused', 'standard'])
        .default('fused'),
    )
    .option('--override <k=v,...>', 'catalog models: what-if overrides (all catalog models)')
    .option('--seed <n>', 'catalog models: weight seed', (v) => Number(v), 0)
    .option(
      '--quant <presets>',
      'quantization presets, e.g. int4,int8,fp32',
      accumulating(parseWordList('--quant'), DEFAULTS.quant),
      DEFAULTS.quant,
    )
    .option(
      '--kv-dtype <dtypes>',
      'KV-cache dtypes: preset, float32, float16',
      accumulating(parseWordList('--kv-dtype'), DEFAULTS.kvDtype),
      DEFAULTS.kvDtype,
    )
    .option(
      '--context <tokens>',
      'contexts: list or range (512-8192*2)',
      accumulating(list('--context', 1), DEFAULTS.context),
      DEFAULTS.context,
    )
    .option(
      '-d, --depth <tokens>',
      'KV depths before the timed part (llama-bench -d): a list or range, and/or end = the end of each ' +
        'context window (context − prompt − gen; the default)',
      accumulating(parseDepthList, DEFAULTS.depth),
      DEFAULTS.depth,
    )
    .addOption(
      new Option(
        '--fill <how>',
        'how depths are filled: synthetic (seeded values, the default) or model',
      ).choices(['synthetic', 'model']),
    )
    .option(
      '--prompt-text <text>',
      "real text as every trial's prompt (model folders with a tokenizer, e.g. models import); --prompt then only sizes the estimates",
    )
    .option('--chat', "wrap --prompt-text in the model's chat template")
    .option(
      '--fill-file <path>',
      'a text file to fill depths with (model folders with a tokenizer); implies --fill model',
    )
    .option(
      '--kv-buffer <modes>',
      'KV cache held as: auto (shared where the graph allows), grow, shared; a list compares them',
      accumulating(parseWordList('--kv-buffer'), DEFAULTS.kvBuffer),
      DEFAULTS.kvBuffer,
    )
    .option(
      '-p, --prompt <tokens>',
      'prompt lengths P',
      accumulating(list('--prompt', 1), DEFAULTS.prompt),
      DEFAULTS.prompt,
    )
    .option(
      '-n, --gen <tokens>',
      'decode steps G',
      accumulating(list('--gen', 1), DEFAULTS.gen),
      DEFAULTS.gen,
    )
    .option(
      '--prompt-gen <P,G>',
      '-pg P,G: a (prompt, gen) pair run as given, not crossed with -p / -n (llama-bench -pg); repeatable',
      accumulating(parsePromptGen),
    )
    .option(
      '--ep <providers>',
      'execution providers',
      accumulating(parseWordList('--ep'), DEFAULTS.ep),
      DEFAULTS.ep,
    )
    .option(
      '--runtime <runtimes>',
      'onnxruntime, llama.cpp, or both (onnxruntime,llama.cpp): each model × preset on each runtime ' +
        '(int4 runs as Q4_0 on llama.cpp, int8 as Q8_0, fp16 as F16, fp32 as F32)',
      accumulating(parseWordList('--runtime'), DEFAULTS.runtime),
      DEFAULTS.runtime,
    )
    .option(
      '-t, --threads <n,...>',
      'intra-op thread counts ("default" = onnxruntime\'s)',
      accumulating(parseWordList('--threads'), DEFAULTS.threads),
      DEFAULTS.threads,
    )
    .option('-r, --reps <n>', 'timed repetitions per trial', whole('--reps'), 5)
    .option('--warmup <n>', 'untimed full runs per trial', (v) => Number(v), 1)
    .option('--no-warmup', 'no untimed run before the timed ones (llama-bench --no-warmup)')
    .option(
      '--delay <s>',
      'seconds of cool-down before each trial after the first (llama-bench --delay)',
      seconds('--delay'),
      0,
    )
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
    .option(
      '--resume <run id | run file>',
      'continue an interrupted run (its id, or the file --out wrote): only its missing trials run',
    )
    .addOption(
      new Option(
        '-o, --output <format>',
        "llama-bench's records on stdout as each trial finishes: md, csv, json or jsonl (people's lines go to stderr)",
      ).argParser(parseRecordFormat('--output')),
    )
    .addOption(
      new Option('--output-err <format>', '-oe: the same records on stderr').argParser(
        parseRecordFormat('--output-err'),
      ),
    )
    .option('--json', "print the run document at the end (people's lines go to stderr)");
  command.action(async (options: SweepOptions) => {
    const engine = engineOf();
    const given = (flag: 'prompt' | 'gen'): boolean => command.getOptionValueSource(flag) === 'cli';
    const request: SweepRequest = options.resume
      ? { resume: options.resume }
      : { spec: sweepSpec(options, given), name: options.name ?? 'sweep' };
    const out = createRecordOutput(options);
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
      out.human(`${text}\n`);
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
        out.trial(event.result);
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
          out.start(plannedRecords(start.doc.plan.map((planned) => planned.spec)));
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
    out.end();
    if (options.out) await writeFileAtomic(options.out, `${JSON.stringify(doc, null, 2)}\n`);
    const failed = doc.trials.filter((t) => t.result.status === 'failed').length;
    process.stderr.write(
      `Run ${doc.id} ${doc.status}: ${doc.trials.length - failed} ok, ${failed} failed, ${doc.skipped.length} skipped of ${doc.plan.length}. ` +
        `Report: edge-workbench report ${doc.id} --format html\n`,
    );
    if (options.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    process.exitCode = runExitCode({ cancelled: doc.status === 'cancelled', failed: failed > 0 });
  });
}
