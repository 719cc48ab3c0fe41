import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OpBreakdown } from '../api';

/**
 * onnxruntime's own profile (session option `enableProfiling`) turned into the op breakdown of a trial:
 * time per operator type and per node, prefill and decode separately (ARCHITECTURE.md, "op breakdown").
 * The profile is a JSON array of Chrome-trace events (onnxruntime-facts.md §5, "Profiling"); we read
 * only the `model_run` Session events (one per `session.run()`) and the `Node` events inside them.
 */

/** What one `session.run()` of the profiled session was; 'ignore' for warm-up and KV-fill runs. */
export type ProfilePhase = 'prefill' | 'decode' | 'ignore';

export interface OrtProfileOptions {
  /** one entry per `session.run()` of the profiled session, in run order */
  phases: readonly ProfilePhase[];
  /**
   * node name → ONNX domain, from the model's graph. The profile names only `op_name`, so without this
   * a node counts as com.microsoft when its op type is in CONTRIB_OP_TYPES. Nodes that graph
   * optimization created (fusions) are not in the model file, so the list is consulted for them too.
   */
  nodeDomains?: ReadonlyMap<string, string>;
  /** slowest nodes kept per phase (default 15) */
  topNodes?: number;
}

/**
 * Operator types registered only in onnxruntime's com.microsoft domain (contrib ops), used when the
 * caller gives no domain for a node. SimplifiedLayerNormalization and LayerNormalization are not here:
 * onnxruntime registers those in the ONNX domain, and onnxruntime-genai emits them there.
 */
export const CONTRIB_OP_TYPES: ReadonlySet<string> = new Set([
  'Attention',
  'BiasAdd',
  'BiasGelu',
  'BiasSoftmax',
  'DecoderMaskedMultiHeadAttention',
  'DynamicQuantizeMatMul',
  'EmbedLayerNormalization',
  'FastGelu',
  'FusedConv',
  'FusedGemm',
  'FusedMatMul',
  'GatherBlockQuantized',
  'Gelu',
  'GemmFastGelu',
  'GemmaRotaryEmbedding',
  'GroupQueryAttention',
  'MatMulBnb4',
  'MatMulIntegerToFloat',
  'MatMulNBits',
  'MoE',
  'MultiHeadAttention',
  'PackedAttention',
  'PagedAttention',
  'QAttention',
  'QMoE',
  'QuickGelu',
  'RotaryEmbedding',
  'SkipLayerNormalization',
  'SkipSimplifiedLayerNormalization',
  'SparseAttention',
]);

const MICROSOFT_DOMAIN = 'com.microsoft';

/** Control-flow nodes: their time already includes their subgraphs' nodes, which are profiled too. */
const CONTROL_FLOW_OPS = new Set(['Scan', 'Loop', 'If']);

/** Suffixes onnxruntime appends to node names; only `_kernel_time` marks one kernel invocation. */
const KERNEL_SUFFIX = '_kernel_time';
const FENCE_SUFFIXES = ['_fence_before', '_fence_after'];

/** The fields of a Chrome-trace event this parser uses; onnxruntime writes ts and dur in µs. */
interface TraceEvent {
  cat: string;
  name: string;
  /** µs since the profiler started */
  ts: number;
  /** µs */
  dur: number;
  opName: string | undefined;
}

interface RunWindow {
  phase: ProfilePhase;
  /** µs */
  startUs: number;
  endUs: number;
}

/** The `${prefix}_<timestamp>.json` onnxruntime writes; 1.30 adds milliseconds, older versions do not. */
const PROFILE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(_\d+)?\.json$/;

/**
 * The newest profile written for `prefix` (the `profileFilePrefix` given to the session; it may include
 * a folder). `endProfiling()` returns nothing in onnxruntime-node, so the file is found by its name.
 */
export async function findProfileFile(prefix: string): Promise<string> {
  const dir = path.dirname(prefix);
  const base = `${path.basename(prefix)}_`;
  const notFound = (): Error =>
    new Error(
      `No onnxruntime profile ${path.join(dir, `${base}<timestamp>.json`)} was found. Create the session ` +
        `with { enableProfiling: true, profileFilePrefix: '${prefix}' } and call session.endProfiling() ` +
        'before reading it.',
    );
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound();
    throw error;
  }
  const candidates = names.filter(
    (name) => name.startsWith(base) && PROFILE_TIMESTAMP.test(name.slice(base.length)),
  );
  const dated = await Promise.all(
    candidates.map(async (name) => {
      const file = path.join(dir, name);
      return { file, name, mtimeMs: (await stat(file)).mtimeMs };
    }),
  );
  // newest by modification time; the timestamp in the name sorts too and breaks ties
  dated.sort((a, b) => b.mtimeMs - a.mtimeMs || b.name.localeCompare(a.name));
  const newest = dated[0];
  if (!newest) throw notFound();
  return newest.file;
}

/**
 * Reads a profile file and sums its node time per operator and per node, prefill and decode apart; with
 * the time each measured run spent inside onnxruntime.
 */
export async function parseOrtProfile(
  profileFile: string,
  options: OrtProfileOptions,
): Promise<OpBreakdown & { insideMs: { prefill: number[]; decode: number[] } }> {
  let text: string;
  try {
    text = await readFile(profileFile, 'utf8');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not read the onnxruntime profile ${profileFile}: ${detail}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${profileFile} is not a complete onnxruntime profile (${detail}). onnxruntime writes the file ` +
        'only when session.endProfiling() is called; a crash before that leaves none or a partial one.',
      { cause: error },
    );
  }
  return {
    ...opBreakdownFromEvents(json, profileFile, options),
    insideMs: sessionRunMs(json, profileFile, options.phases),
  };
}

/**
 * The breakdown of already-parsed profile JSON (`profileFile` only names it in errors and the result).
 * Each Node event belongs to the `model_run` whose [ts, ts + dur] holds the event's start.
 */
export function opBreakdownFromEvents(
  json: unknown,
  profileFile: string,
  options: OrtProfileOptions,
): OpBreakdown {
  const events = traceEvents(json, profileFile);
  const runs = runWindows(events, profileFile, options.phases);
  const topNodes = options.topNodes ?? 15;
  const phases = { prefill: new PhaseTotals(), decode: new PhaseTotals() };
  for (const event of events) {
    if (event.cat !== 'Node' || event.opName === undefined) continue;
    if (CONTROL_FLOW_OPS.has(event.opName)) continue;
    const phase = runAt(runs, event.ts)?.phase;
    // 'ignore' runs, and the rare event outside every run (none seen in 1.30), are not measured runs
    if (phase === undefined || phase === 'ignore') continue;
    const { nodeName, isKernel } = splitEventName(event.name);
    const opType = qualifiedOpType(nodeName, event.opName, options.nodeDomains);
    phases[phase].add(nodeName, opType, event.dur, isKernel);
  }
  return {
    prefill: phases.prefill.opTimes(),
    decode: phases.decode.opTimes(),
    prefillNodes: phases.prefill.slowestNodes(topNodes),
    decodeNodes: phases.decode.slowestNodes(topNodes),
    profileFile,
  };
}

/** ms each measured run spent inside onnxruntime (its model_run event), by phase, in run order. */
export function sessionRunMs(json: unknown, profileFile: string, phases: readonly ProfilePhase[]) {
  const runs = runWindows(traceEvents(json, profileFile), profileFile, phases);
  const of = (phase: ProfilePhase): number[] =>
    runs.filter((run) => run.phase === phase).map((run) => (run.endUs - run.startUs) / 1000);
  return { prefill: of('prefill'), decode: of('decode') };
}

/** 'com.microsoft.GroupQueryAttention' for contrib ops, the bare op type for ONNX-domain ones. */
export function qualifiedOpType(
  nodeName: string,
  opName: string,
  nodeDomains?: ReadonlyMap<string, string>,
): string {
  const domain = nodeDomains?.get(nodeName) ?? (CONTRIB_OP_TYPES.has(opName) ? MICROSOFT_DOMAIN : '');
  return domain === '' || domain === 'ai.onnx' ? opName : `${domain}.${opName}`;
}

function splitEventName(name: string): { nodeName: string; isKernel: boolean } {
  if (name.endsWith(KERNEL_SUFFIX)) return { nodeName: name.slice(0, -KERNEL_SUFFIX.length), isKernel: true };
  for (const suffix of FENCE_SUFFIXES) {
    if (name.endsWith(suffix)) return { nodeName: name.slice(0, -suffix.length), isKernel: false };
  }
  return { nodeName: name, isKernel: true };
}

/** Per-operator and per-node sums of one phase. */
class PhaseTotals {
  /** µs per operator type */
  private readonly opUs = new Map<string, { us: number; count: number }>();
  /** µs per node name */
  private readonly nodeUs = new Map<string, { opType: string; us: number }>();
  private totalUs = 0;

  add(nodeName: string, opType: string, durUs: number, isKernel: boolean): void {
    const op = this.opUs.get(opType) ?? { us: 0, count: 0 };
    op.us += durUs;
    // fence events time the wait around a kernel, not another invocation of it
    if (isKernel) op.count += 1;
    this.opUs.set(opType, op);
    const nodeTotal = this.nodeUs.get(nodeName) ?? { opType, us: 0 };
    nodeTotal.us += durUs;
    this.nodeUs.set(nodeName, nodeTotal);
    this.totalUs += durUs;
  }

  opTimes(): OpBreakdown['prefill'] {
    return [...this.opUs]
      .map(([opType, { us, count }]) => ({
        opType,
        totalMs: us / 1000,
        share: this.totalUs > 0 ? us / this.totalUs : 0,
        count,
      }))
      .sort((a, b) => b.totalMs - a.totalMs || a.opType.localeCompare(b.opType));
  }

  slowestNodes(limit: number): OpBreakdown['prefillNodes'] {
    return [...this.nodeUs]
      .map(([node, { opType, us }]) => ({ node, opType, totalMs: us / 1000 }))
      .sort((a, b) => b.totalMs - a.totalMs || a.node.localeCompare(b.node))
      .slice(0, limit);
  }
}

/** Checks the shape of every event once, so the sums below can trust ts and dur. */
function traceEvents(json: unknown, profileFile: string): TraceEvent[] {
  if (!Array.isArray(json)) {
    throw new Error(
      `${profileFile} is not an onnxruntime profile: expected a JSON array of trace events, ` +
        `found ${json === null ? 'null' : typeof json}.`,
    );
  }
  return json.map((value: unknown, index): TraceEvent => {
    const event = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const { cat, name, ts, dur, args } = event;
    if (
      typeof cat !== 'string' ||
      typeof name !== 'string' ||
      typeof ts !== 'number' ||
      typeof dur !== 'number'
    ) {
      throw new Error(
        `${profileFile}: trace event ${index} lacks cat, name, ts or dur, so this is not an onnxruntime ` +
          'profile (or it was edited).',
      );
    }
    const opName =
      typeof args === 'object' && args !== null ? (args as Record<string, unknown>).op_name : undefined;
    return { cat, name, ts, dur, opName: typeof opName === 'string' ? opName : undefined };
  });
}

/** The `model_run` events in time order, each labelled with the caller's phase for that run. */
function runWindows(events: TraceEvent[], profileFile: string, phases: readonly ProfilePhase[]): RunWindow[] {
  const runs = events
    .filter((event) => event.cat === 'Session' && event.name === 'model_run')
    .sort((a, b) => a.ts - b.ts);
  if (runs.length !== phases.length) {
    throw new Error(
      `${profileFile} holds ${runs.length} session runs (model_run events) but ${phases.length} phases ` +
        'were given, one per run, so runs cannot be matched to prefill and decode. Profile a fresh ' +
        'session and list every run() it made, warm-ups included; onnxruntime also stops recording ' +
        'after 1,000,000 events.',
    );
  }
  return runs.map((run, index) => ({
    phase: phases[index] ?? 'ignore',
    startUs: run.ts,
    endUs: run.ts + run.dur,
  }));
}

/** The run whose window holds `tsUs` (binary search: run() calls from JS never overlap). */
function runAt(runs: readonly RunWindow[], tsUs: number): RunWindow | undefined {
  let low = 0;
  let high = runs.length - 1;
  let found: RunWindow | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const run = runs[middle];
    if (!run) break;
    if (run.startUs <= tsUs) {
      found = run;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found && tsUs <= found.endUs ? found : undefined;
}
