import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { ExecutionProviderSchema, type TrialModel, type TrialSpecInput } from '../api';
import { parseOverrides } from '../../common/catalog';
import { RUNTIMES, type Runtime } from '../../common/runtime-names';
import type { EngineOf } from './cli-engine';
import { formatTrialResult } from './run-format';
import { createStepProgress } from './progress-bar';
import { createRecordOutput, parseRecordFormat, type RecordOutputOptions } from './record-output';
import { plannedRecords } from '../../common/llama-bench';

/** Exit status as llama-bench users script it: 130 on Ctrl+C, 1 when a trial failed, else 0. */
export function runExitCode(outcome: { cancelled: boolean; failed: boolean }): number {
  if (outcome.cancelled) return 130;
  return outcome.failed ? 1 : 0;
}

const whole =
  (name: string, min: number) =>
  (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}.`);
    return Number(value);
  };

function parseIds(value: string): number[] {
  const ids = value.split(',').map((part) => part.trim());
  if (ids.some((id) => !/^\d+$/.test(id)))
    throw new InvalidArgumentError('expected token ids separated by commas, e.g. 1,5,9.');
  return ids.map(Number);
}

/** --depth: whole tokens, or `end` for the end of the context window (the default). */
export function parseDepth(value: string): number | undefined {
  if (value === 'end') return undefined;
  if (!/^\d+$/.test(value)) {
    throw new InvalidArgumentError(
      '--depth must be a whole number of tokens ≥ 0, or end (context − prompt − gen).',
    );
  }
  return Number(value);
}

export function readFillFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(
      `--fill-file ${file} could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

function parseConfig(value: string): Record<string, string> {
  const entries = value.split(',').map((pair) => pair.split('='));
  if (entries.some((pair) => pair.length !== 2 || !pair[0])) {
    throw new InvalidArgumentError(
      'expected key=value pairs separated by commas, e.g. session.intra_op.allow_spinning=0.',
    );
  }
  return Object.fromEntries(entries.map(([key, val]) => [key!.trim(), val!.trim()]));
}

interface RunOptions extends RecordOutputOptions {
  model: string;
  quant: string;
  style: 'fused' | 'standard';
  override?: string;
  seed: number;
  variant?: string;
  context: number;
  prompt: number;
  gen: number;
  depth?: number;
  fill?: 'synthetic' | 'model';
  fillFile?: string;
  kvBuffer: 'auto' | 'grow' | 'shared';
  runtime: Runtime;
  ep: string;
  threads?: number;
  /** untimed runs; false with --no-warmup (commander gives both flags one attribute) */
  warmup: number | false;
  reps: number;
  promptIds?: number[];
  promptText?: string;
  chat?: boolean;
  profileOps?: boolean;
  graphOpt: 'disabled' | 'basic' | 'extended' | 'all';
  memArena: boolean;
  memPattern: boolean;
  sessionConfig?: Record<string, string>;
  timeLimit: number;
  json?: boolean;
}

/** A path on disk is a model folder or file; anything else names a catalog model. */
function trialModel(options: RunOptions): TrialModel {
  if (existsSync(options.model)) {
    return { kind: 'folder', path: options.model, ...(options.variant ? { variant: options.variant } : {}) };
  }
  return {
    kind: 'catalog',
    id: options.model,
    overrides: options.override ? parseOverrides(options.override) : {},
    style: options.style,
    seed: options.seed,
  };
}

function specOf(options: RunOptions): TrialSpecInput {
  return {
    model: trialModel(options),
    // a preset name; TrialSpecSchema says which names it knows
    quant: options.quant as TrialSpecInput['quant'],
    contextTokens: options.context,
    promptTokens: options.prompt,
    generateTokens: options.gen,
    ...(options.depth === undefined ? {} : { depthTokens: options.depth }),
    ...(options.fill ? { fill: options.fill } : {}),
    ...(options.fillFile === undefined ? {} : { fillText: readFillFile(options.fillFile) }),
    kvBuffer: options.kvBuffer,
    runtime: options.runtime,
    ep: ExecutionProviderSchema.parse(options.ep),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    warmupRuns: options.warmup === false ? 0 : options.warmup,
    repetitions: options.reps,
    ...(options.promptIds ? { promptIds: options.promptIds } : {}),
    ...(options.promptText !== undefined ? { promptText: options.promptText } : {}),
    ...(options.chat ? { chat: true } : {}),
    profileOps: options.profileOps ?? false,
    graphOptimizationLevel: options.graphOpt,
    enableCpuMemArena: options.memArena,
    enableMemPattern: options.memPattern,
    sessionConfig: options.sessionConfig ?? {},
    timeLimitSeconds: options.timeLimit,
  };
}

export function registerRunCommand(program: Command, engineOf: EngineOf): void {
  program
    .command('run')
    .description(
      'measure one trial: load, TTFT, prefill and decode tok/s, per-token latency, memory, KV cache, roofline',
    )
    .requiredOption('-m, --model <id|path>', 'a catalog id (built and cached) or a model folder / .onnx')
    .option('--quant <preset>', 'quantization preset', 'fp32')
    .addOption(
      new Option('--style <style>', 'catalog models: graph style')
        .choices(['fused', 'standard'])
        .default('fused'),
    )
    .option('--override <k=v,...>', 'catalog models: what-if overrides, e.g. num_hidden_layers=4')
    .option('--seed <n>', 'catalog models: weight seed', whole('--seed', 0), 0)
    .option('--variant <dtype>', 'Optimum folders: which onnx/model_<dtype>.onnx')
    .option('--context <tokens>', 'context the trial is sized for', whole('--context', 1), 2048)
    .option('-p, --prompt <tokens>', 'prompt tokens P (timed prefill)', whole('--prompt', 1), 128)
    .option('-n, --gen <tokens>', 'decode steps G (timed)', whole('--gen', 1), 64)
    .option(
      '-d, --depth <tokens|end>',
      'tokens in the KV cache before the timed part, untimed (llama-bench -d); default end: the end of the ' +
        'context window, context − prompt − gen, so the cache holds the whole context after the last step',
      parseDepth,
    )
    .addOption(
      new Option(
        '--fill <how>',
        'how the depth is filled: synthetic (seeded values written into the cache; the default) or model ' +
          '(the model run over seeded ids or --fill-file, 512 tokens a run)',
      ).choices(['synthetic', 'model']),
    )
    .option(
      '--fill-file <path>',
      'a text file to fill the depth with (its tokens, repeated to length); implies --fill model',
    )
    .addOption(
      new Option(
        '--kv-buffer <mode>',
        'how the KV cache is held: grow (present fed back as past, as Optimum), shared (one preallocated buffer ' +
          'written in place, as onnxruntime-genai; GroupQueryAttention graphs) or auto (shared where possible)',
      )
        .choices(['auto', 'grow', 'shared'])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--runtime <runtime>',
        'what runs the model: onnxruntime (ONNX) or llama.cpp (the catalog model written as GGUF with the same ' +
          'weights — int4 as Q4_0, int8 as Q8_0, fp16 as F16, fp32 as F32 — or a .gguf path)',
      )
        .choices([...RUNTIMES])
        .default('onnxruntime'),
    )
    .addOption(
      new Option('--ep <provider>', 'execution provider')
        .choices(ExecutionProviderSchema.options)
        .default('cpu'),
    )
    .option(
      '-t, --threads <n>',
      "intra-op threads (default: onnxruntime's choice; llama.cpp: the physical cores)",
      whole('--threads', 1),
    )
    .option('--warmup <n>', 'untimed full runs first', whole('--warmup', 0), 1)
    .option('--no-warmup', 'no untimed run before the timed ones (llama-bench --no-warmup)')
    .option('-r, --reps <n>', 'timed repetitions', whole('--reps', 1), 5)
    .option('--prompt-ids <ids>', 'exact prompt token ids, e.g. 1,5,9 (default: seeded ids)', parseIds)
    .option(
      '--prompt-text <text>',
      'a text prompt (model folders with a tokenizer.json); the output is decoded',
    )
    .option(
      '--chat',
      "wrap --prompt-text in the model's chat template (tokenizer_config.json's chat_template)",
    )
    .option(
      '--profile-ops',
      "add an untimed, profiled repetition: time per operator and node (onnxruntime's profiler)",
    )
    .addOption(
      new Option('--graph-opt <level>', 'graph optimization level')
        .choices(['disabled', 'basic', 'extended', 'all'])
        .default('all'),
    )
    .option('--no-mem-arena', 'disable the CPU memory arena')
    .option('--no-mem-pattern', 'disable memory pattern planning')
    .option('--session-config <k=v,...>', 'extra session config entries', parseConfig)
    .option(
      '--time-limit <s>',
      'stop and fail the trial after this many seconds',
      whole('--time-limit', 1),
      900,
    )
    .option('--json', 'print one JSON document (the TrialResult schema) instead of the table')
    .addOption(
      new Option(
        '-o, --output <format>',
        "llama-bench's records (its pp and tg tests) on stdout: md, csv, json or jsonl; the table goes to stderr",
      ).argParser(parseRecordFormat('--output')),
    )
    .addOption(
      new Option('--output-err <format>', '-oe: the same records on stderr').argParser(
        parseRecordFormat('--output-err'),
      ),
    )
    .action(async (options: RunOptions) => {
      const engine = engineOf();
      const spec = specOf(options);
      const out = createRecordOutput(options);
      const progress = createStepProgress();
      const interrupt = new AbortController();
      const onInterrupt = (): void => interrupt.abort();
      process.once('SIGINT', onInterrupt);
      let streamedText = false;
      try {
        const result = await engine.runTrial(spec, {
          signal: interrupt.signal,
          onProgress: (event) => {
            if (event.text !== undefined && !options.json) {
              progress.clear();
              out.human(event.text);
              streamedText = true;
            }
            progress.update(event);
          },
        });
        progress.stop();
        if (streamedText) out.human('\n\n');
        out.start(plannedRecords([result.spec]));
        out.trial(result);
        out.end();
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else out.human(`${formatTrialResult(result)}\n`);
        process.exitCode = runExitCode({
          cancelled: result.failure?.kind === 'cancelled',
          failed: result.status === 'failed',
        });
      } finally {
        progress.stop();
        process.off('SIGINT', onInterrupt);
      }
    });
}
