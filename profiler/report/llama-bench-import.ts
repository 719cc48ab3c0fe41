import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import {
  RUN_DOCUMENT_KIND,
  RUN_DOCUMENT_VERSION,
  TRIAL_RESULT_VERSION,
  TrialSpecSchema,
  type LlamaBenchRecord,
  type RunDocument,
  type Stats,
  type TrialEnvironment,
  type TrialResult,
} from '../api';
import { decodeTestName, prefillTestName } from '../../common/labels';
import { GgufTypeSchema } from '../../common/quant-presets';
import { NOISY_CV, summarize } from '../../common/statistics';

/**
 * llama-bench's own output (`-o json`, `-o jsonl`, `-o csv`) read as a run whose runtime is llama.cpp, so
 * a GGUF result measured on a board sits beside onnxruntime's in Compare, History and the reports. What
 * llama-bench does not record (TTFT, peak RSS, KV bytes, cores, RAM, OS) stays absent: "not measured".
 */

export class LlamaBenchImportError extends Error {
  override name = 'LlamaBenchImportError';
}

/** What llama-bench writes, as far as the import reads it: CSV gives strings, JSON numbers and booleans. */
const count = z.coerce.number().int().nonnegative();
const optionalNumber = z
  .union([z.number(), z.string()])
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : Number(value)))
  .refine((value) => value === undefined || Number.isFinite(value), 'expected a number');
const samples = z
  .union([z.array(z.coerce.number()), z.string()])
  .optional()
  .transform((value) =>
    typeof value === 'string'
      ? value.trim()
        ? value
            .trim()
            .split(/[\s,]+/)
            .map(Number)
        : []
      : (value ?? []),
  );
const text = z
  .union([z.string(), z.number()])
  .optional()
  .transform((value) => (value === undefined ? '' : String(value)));

const InputRecordSchema = z.object({
  build_commit: text,
  build_number: text,
  cpu_info: text,
  gpu_info: text,
  backends: text,
  model_filename: text,
  model_type: z.string().min(1),
  model_size: optionalNumber,
  model_n_params: optionalNumber,
  n_threads: optionalNumber,
  type_k: text,
  type_v: text,
  n_prompt: count,
  n_gen: count,
  n_depth: count.optional().default(0),
  test_time: text,
  avg_ns: optionalNumber,
  stddev_ns: optionalNumber,
  avg_ts: z.coerce.number().positive(),
  stddev_ts: z.coerce.number().nonnegative(),
  samples_ns: samples,
  samples_ts: samples,
});
type InputRecord = z.infer<typeof InputRecordSchema>;

/** Whether a file's text looks like llama-bench's output rather than a run document. */
export function isLlamaBenchOutput(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('[')) return /"avg_ts"\s*:/.test(head.slice(0, 20_000));
  if (head.startsWith('{'))
    return (
      !/"kind"\s*:\s*"edge-llm-workbench-run"/.test(head.slice(0, 2000)) &&
      /"avg_ts"\s*:/.test(head.slice(0, 20_000))
    );
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  return /(^|,)"?avg_ts"?(,|$)/.test(firstLine) && /(^|,)"?model_type"?(,|$)/.test(firstLine);
}

/** The records of a llama-bench file, as written: a JSON array, JSON lines, or CSV (every field quoted). */
function rawRecords(textIn: string, file: string): unknown[] {
  const body = textIn.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('[')) {
    try {
      return JSON.parse(body) as unknown[];
    } catch (error) {
      throw new LlamaBenchImportError(
        `${file} looks like llama-bench's -o json but is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
  }
  if (body.startsWith('{')) {
    return body
      .split(/\r?\n/)
      .filter((line) => line.trim())
      .map((line, index) => {
        try {
          return JSON.parse(line) as unknown;
        } catch (error) {
          throw new LlamaBenchImportError(
            `${file} line ${index + 1} is not a JSON record (llama-bench -o jsonl writes one per line): ${error instanceof Error ? error.message : String(error)}.`,
          );
        }
      });
  }
  try {
    return parseCsv(body, { columns: true, skip_empty_lines: true, trim: true }) as unknown[];
  } catch (error) {
    throw new LlamaBenchImportError(
      `${file} is not valid CSV (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

/** "llama 1B Q4_0", "qwen2 7B Q4_K - Medium", "llama 7B mostly Q4_0" → the GGUF type at the end */
function ggufTypeOf(modelType: string, file: string): string | undefined {
  const fromType = /(F32|F16|BF16|I?Q\d\w*(?: - \w+)?)\s*$/.exec(modelType)?.[1];
  if (fromType && GgufTypeSchema.safeParse(fromType).success) return fromType;
  const fromFile = /[-_.](F32|F16|BF16|I?Q\d\w*)\.gguf$/i.exec(file)?.[1]?.toUpperCase();
  return fromFile && GgufTypeSchema.safeParse(fromFile).success ? fromFile : undefined;
}

/** llama.cpp's backend names → the execution providers a trial names; others cannot be told apart yet */
const EP_OF_BACKEND: Readonly<Record<string, 'cpu' | 'cuda'>> = { CPU: 'cpu', BLAS: 'cpu', CUDA: 'cuda' };

const cacheDtype = (type: string): 'float32' | 'float16' | undefined =>
  type === 'f32' ? 'float32' : type === 'f16' ? 'float16' : undefined;

/**
 * Mean ± sd as llama-bench printed them. With its per-repetition samples (json, jsonl) the median and range
 * are theirs; llama-bench's CSV has no samples, so there n is 0 (not recorded) and the median, min and max
 * are the mean — the only figure it gives.
 */
function statsOf(record: InputRecord): Stats {
  if (record.samples_ts.length > 0) return summarize(record.samples_ts);
  return {
    n: 0,
    mean: record.avg_ts,
    std: record.stddev_ts,
    median: record.avg_ts,
    min: record.avg_ts,
    max: record.avg_ts,
    cv: record.stddev_ts / record.avg_ts,
  };
}

function environmentOf(record: InputRecord): TrialEnvironment {
  return {
    cpu: record.cpu_info || 'not recorded',
    gpus: record.gpu_info ? record.gpu_info.split(/,\s*/).filter(Boolean) : [],
    appVersion: `llama.cpp${record.build_number ? ` build ${record.build_number}` : ''}`,
    ...(record.build_commit ? { buildCommit: record.build_commit } : {}),
  };
}

export interface LlamaBenchImport {
  doc: RunDocument;
  /** records left out, each with why (pp+tg tests, unknown backends or types) */
  notes: string[];
}

/**
 * A run document of llama-bench's records: one trial per pp or tg record. A pp+tg record (`-pg`) is left
 * out with a note: its t/s is (P + G) ÷ the whole time, neither a prefill nor a decode rate.
 */
export function importLlamaBench(textIn: string, filePath: string, runId: string): LlamaBenchImport {
  const file = path.basename(filePath);
  const notes: string[] = [];
  const trials: RunDocument['trials'] = [];
  const plan: RunDocument['plan'] = [];
  let environment: TrialEnvironment | undefined;
  for (const [index, raw] of rawRecords(textIn, filePath).entries()) {
    const parsed = InputRecordSchema.safeParse(raw);
    const where = `${file} record ${index + 1}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LlamaBenchImportError(
        `${where} is not a llama-bench record: ${issue?.path.join('.') || 'record'}: ${issue?.message}.`,
      );
    }
    const record = parsed.data;
    const { n_prompt: promptTokens, n_gen: generateTokens, n_depth: depthTokens } = record;
    if (promptTokens > 0 === generateTokens > 0) {
      notes.push(
        `${where} (pp${promptTokens}+tg${generateTokens}) not imported: its t/s is (P + G) ÷ the whole time, neither prefill nor decode.`,
      );
      continue;
    }
    const quant = ggufTypeOf(record.model_type, record.model_filename);
    const ep = EP_OF_BACKEND[record.backends.split(/[,+]/)[0]?.trim() || 'CPU'];
    if (!quant || !ep) {
      notes.push(
        `${where} not imported: ${!quant ? `no GGUF type in model_type "${record.model_type}"` : `backend "${record.backends}" is not one a trial names yet (CPU, BLAS, CUDA)`}.`,
      );
      continue;
    }
    const kvDtype = cacheDtype(record.type_k);
    // llama-bench sizes its context to the test: n_prompt + n_gen + n_depth
    const spec = TrialSpecSchema.parse({
      runtime: 'llama.cpp',
      model: { kind: 'folder', path: record.model_filename || record.model_type },
      quant,
      ...(kvDtype ? { kvDtype } : {}),
      contextTokens: depthTokens + promptTokens + generateTokens,
      depthTokens,
      promptTokens,
      generateTokens,
      ep,
      ...(record.n_threads !== undefined ? { threads: record.n_threads } : {}),
      repetitions: Math.max(1, record.samples_ts.length || 1),
    });
    const stats = statsOf(record);
    const test =
      promptTokens > 0
        ? prefillTestName({ promptTokens, depthTokens })
        : decodeTestName({ promptTokens: 0, generateTokens, depthTokens });
    const imported: LlamaBenchRecord = {
      build_commit: record.build_commit,
      cpu_info: record.cpu_info,
      gpu_info: record.gpu_info,
      backends: record.backends,
      model_filename: record.model_filename,
      model_type: record.model_type,
      model_size: record.model_size ?? null,
      model_n_params: record.model_n_params ?? null,
      n_threads: record.n_threads ?? null,
      type_k: record.type_k || null,
      type_v: record.type_v || null,
      n_prompt: promptTokens,
      n_gen: generateTokens,
      n_depth: depthTokens,
      test_time: record.test_time,
      avg_ns: record.avg_ns ?? null,
      stddev_ns: record.stddev_ns ?? null,
      avg_ts: record.avg_ts,
      stddev_ts: record.stddev_ts,
      samples_ns: record.samples_ns,
      samples_ts: record.samples_ts,
      runtime: 'llama.cpp',
      test,
      device_name: null,
      n_context: null,
      ttft_ms: null,
      peak_rss_bytes: null,
      kv_cache_bytes: null,
    };
    const key = `llama-bench:${index}:${test}`;
    const time = record.test_time || new Date(0).toISOString();
    environment ??= environmentOf(record);
    const result: TrialResult = {
      schemaVersion: TRIAL_RESULT_VERSION,
      status: 'ok',
      spec,
      environment: environmentOf(record),
      startedAt: time,
      finishedAt: time,
      memoryTimeline: [],
      promptTokenIds: [],
      generatedTokenIds: [],
      warmupRuns: spec.warmupRuns,
      repetitions: [],
      summary: {
        ...(promptTokens > 0 ? { prefillTokensPerSecond: stats } : { decodeTokensPerSecond: stats }),
        noisy: stats.n > 1 && stats.cv > NOISY_CV,
      },
      imported: { format: 'llama-bench', file, record: imported },
    };
    plan.push({
      key,
      spec,
      estimate: {
        weightsBytes: record.model_size ?? 0,
        kvBytes: 0,
        overheadBytes: 0,
        peakBytes: record.model_size ?? 0,
        seconds: ((record.avg_ns ?? 0) * spec.repetitions) / 1e9,
        fit: 'fits',
        basis: 'imported from llama-bench: measured there, nothing planned here',
      },
    });
    trials.push({ key, result });
  }
  if (trials.length === 0 || !environment) {
    throw new LlamaBenchImportError(
      `${file} holds no llama-bench pp or tg record to import${notes.length ? ` (${notes.join(' ')})` : ''}.`,
    );
  }
  const specs = trials.map((entry) => entry.result.spec);
  const unique = <T>(values: T[]): T[] => [...new Set(values)];
  const times = trials.map((entry) => entry.result.startedAt).sort();
  const doc: RunDocument = {
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: RUN_DOCUMENT_VERSION,
    id: runId,
    name: `llama-bench ${file}`,
    tags: ['llama.cpp', 'imported'],
    createdAt: times[0]!,
    updatedAt: times.at(-1)!,
    status: 'completed',
    sweep: {
      models: unique(specs.map((spec) => JSON.stringify(spec.model))).map(
        (model) => JSON.parse(model) as RunDocument['sweep']['models'][number],
      ),
      quants: unique(specs.map((spec) => spec.quant)),
      kvDtypes: unique(specs.map((spec) => spec.kvDtype ?? 'preset')),
      contexts: unique(specs.map((spec) => spec.contextTokens)),
      depths: unique(specs.map((spec) => spec.depthTokens)),
      kvBuffers: ['auto'],
      prompts: unique(specs.map((spec) => spec.promptTokens)),
      gens: unique(specs.map((spec) => spec.generateTokens)),
      eps: unique(specs.map((spec) => spec.ep)),
      runtimes: ['llama.cpp'],
      threads: unique(specs.map((spec) => spec.threads ?? null)),
      warmupRuns: 1,
      repetitions: Math.max(...specs.map((spec) => spec.repetitions)),
      profileOps: false,
      timeLimitSeconds: 900,
      delaySeconds: 0,
      promptSeed: 0,
      measureQuality: false,
    },
    environment,
    plan,
    trials,
    skipped: [],
    quality: [],
  };
  return { doc, notes };
}
