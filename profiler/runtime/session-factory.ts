import * as ort from 'onnxruntime-node';
import type { ExecutionProvider, TrialSpec } from '../api';
import { listBackends } from './onnxruntime-backends';

/** What a trial may set on its onnxruntime session; all of it is recorded in the result. */
export type SessionSettings = Pick<
  TrialSpec,
  'ep' | 'threads' | 'graphOptimizationLevel' | 'enableCpuMemArena' | 'enableMemPattern' | 'sessionConfig'
> & {
  /** turns onnxruntime's profiler on; the profile lands at `<prefix>_<timestamp>.json` */
  profileFilePrefix?: string;
};

export class SessionError extends Error {
  override name = 'SessionError';
}

/** Refuse an EP this build or machine cannot run, before any model is touched. */
export function assertProviderUsable(ep: ExecutionProvider): void {
  const backends = listBackends();
  const backend = backends.find((b) => b.name === ep);
  if (!backend) {
    throw new SessionError(
      `The ${ep} execution provider is not part of this onnxruntime-node build on ${process.platform}/${process.arch}. ` +
        `Available here: ${backends.map((b) => b.name).join(', ')}.`,
    );
  }
  if (!backend.installed)
    throw new SessionError(`The ${ep} execution provider is not usable yet. ${backend.hint ?? ''}`.trim());
}

/**
 * "session.intra_op.allow_spinning": "0" → { session: { intra_op: { allow_spinning: "0" } } }: the
 * binding flattens `extra` with dots again, so dotted keys must be nested to arrive intact.
 */
function nestConfig(entries: Readonly<Record<string, string>>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return root;
}

/** onnxruntime's session options for these settings; never an `undefined` value (the binding rejects them). */
export function sessionOptions(settings: SessionSettings): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [settings.ep],
    graphOptimizationLevel: settings.graphOptimizationLevel,
    enableCpuMemArena: settings.enableCpuMemArena,
    enableMemPattern: settings.enableMemPattern,
    logSeverityLevel: 3, // errors only: onnxruntime's warnings would land in the middle of progress output
  };
  if (settings.threads !== undefined) options.intraOpNumThreads = settings.threads;
  if (Object.keys(settings.sessionConfig).length > 0) options.extra = nestConfig(settings.sessionConfig);
  if (settings.profileFilePrefix !== undefined) {
    options.enableProfiling = true;
    options.profileFilePrefix = settings.profileFilePrefix;
  }
  return options;
}

/** Create the session and time it (ms, wall clock): the "load time" metric. */
export async function createSession(
  modelPath: string,
  settings: SessionSettings,
): Promise<{ session: ort.InferenceSession; loadMs: number }> {
  assertProviderUsable(settings.ep);
  const options = sessionOptions(settings);
  const startedMs = performance.now();
  try {
    const session = await ort.InferenceSession.create(modelPath, options);
    return { session, loadMs: performance.now() - startedMs };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const kernel = /Could not find an implementation|NOT_IMPLEMENTED|no kernel/i.test(detail)
      ? ` A node has no ${settings.ep} kernel for its type: try --ep cpu, or another quantization.`
      : '';
    throw new SessionError(`onnxruntime could not load ${modelPath} on ${settings.ep}: ${detail}${kernel}`);
  }
}
