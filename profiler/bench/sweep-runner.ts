import {
  RUN_DOCUMENT_KIND,
  RUN_DOCUMENT_VERSION,
  TRIAL_RESULT_VERSION,
  type RunDocument,
  type SweepEvent,
  type TrialEnvironment,
  type TrialResult,
  type TrialSpec,
} from '../api';
import { resolvePreset } from '../../common/quant-presets';
import type { RunStore } from '../store/run-store';
import { RunStoreError } from '../store/store-error';
import { measureQuality } from '../../quantization/quality';
import { quantizeVariant } from '../../quantization/quantize-variant';
import { modelKey, trialLabel } from '../../common/labels';
import type { SweepPlan } from './sweep-planner';
import { runTrial, type RunTrialDeps } from './run-trial';
import { TrialInputError } from './trial-validation';
import { prepareCatalogVariant } from './variant-cache';

/** Where a sweep keeps its document: the run store (atomic write after every trial). */
export interface RunSink {
  save(doc: RunDocument): Promise<unknown>;
}

/**
 * The run store as a sweep's sink. A rename or tag made while the sweep runs (from the UI or another
 * command) is read back before each save, so the sweep's own copy does not undo it.
 */
export function storeSink(store: RunStore): RunSink {
  return {
    async save(doc) {
      try {
        const current = await store.load(doc.id);
        doc.name = current.name;
        doc.tags = current.tags;
      } catch (error) {
        if (!(error instanceof RunStoreError && error.code === 'not-found')) throw error;
      }
      return store.save(doc);
    },
  };
}

export interface SweepDeps {
  sink: RunSink;
  trial: Omit<RunTrialDeps, 'onProgress' | 'signal'>;
  onEvent?: (event: SweepEvent) => void;
  /** cancel: the running trial is stopped and not recorded; finished ones are kept */
  signal?: AbortSignal;
}

/** A new run document for a plan: nothing measured yet. */
export function newRunDocument(
  id: string,
  name: string,
  plan: SweepPlan,
  environment: TrialEnvironment,
): RunDocument {
  const now = new Date().toISOString();
  return {
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: RUN_DOCUMENT_VERSION,
    id,
    name,
    tags: [],
    createdAt: now,
    updatedAt: now,
    status: 'planned',
    sweep: plan.sweep,
    environment,
    plan: plan.trials,
    trials: [],
    skipped: [],
    quality: [],
  };
}

/** A trial that could not start (bad input for this model, a build that failed) as a failed result. */
function failedResult(
  spec: TrialSpec,
  environment: TrialEnvironment,
  startedAt: string,
  error: unknown,
): TrialResult {
  return {
    schemaVersion: TRIAL_RESULT_VERSION,
    status: 'failed',
    failure: {
      kind: error instanceof TrialInputError ? 'invalid' : 'error',
      message: error instanceof Error ? error.message : String(error),
    },
    spec,
    environment,
    startedAt,
    finishedAt: new Date().toISOString(),
    memoryTimeline: [],
    promptTokenIds: [],
    generatedTokenIds: [],
    warmupRuns: spec.warmupRuns,
    repetitions: [],
  };
}

/**
 * Runs the plan's missing trials one at a time (measurements must not compete), each in its own process,
 * saving the document after every trial. Resuming is running it again: finished keys are skipped.
 */
export async function runSweep(doc: RunDocument, deps: SweepDeps): Promise<RunDocument> {
  const done = new Set([...doc.trials.map((entry) => entry.key), ...doc.skipped.map((entry) => entry.key)]);
  const todo = doc.plan.filter((planned) => !done.has(planned.key));
  const total = doc.plan.length;
  doc.status = 'running';
  await deps.sink.save(doc);
  const measuredSeconds: number[] = [];

  const eta = (remaining: typeof todo): number => {
    const mean = measuredSeconds.length
      ? measuredSeconds.reduce((a, b) => a + b, 0) / measuredSeconds.length
      : undefined;
    return remaining.reduce((sum, planned) => sum + (mean ?? planned.estimate.seconds), 0);
  };

  for (const [position, planned] of todo.entries()) {
    const label = trialLabel(planned.spec);
    const index = total - todo.length + position;
    if (planned.estimate.fit === 'will-not-fit') {
      const reason = `will not fit: estimated peak ${(planned.estimate.peakBytes / 2 ** 30).toFixed(2)} GiB exceeds the memory budget`;
      doc.skipped.push({ key: planned.key, reason });
      deps.onEvent?.({ type: 'trial-skipped', key: planned.key, label, reason });
      await deps.sink.save(doc);
      continue;
    }
    if (deps.signal?.aborted) break;
    // llama-bench's --delay: a cool-down between trials, for boards that throttle when hot
    if (doc.sweep.delaySeconds > 0 && measuredSeconds.length > 0) {
      await coolDown(doc.sweep.delaySeconds * 1000, deps.signal);
      if (deps.signal?.aborted) break;
    }
    deps.onEvent?.({
      type: 'trial-start',
      index,
      total,
      key: planned.key,
      label,
      etaSeconds: eta(todo.slice(position)),
    });
    const startedAt = new Date().toISOString();
    const startedMs = performance.now();
    let result: TrialResult;
    try {
      result = await runTrial(planned.spec, {
        ...deps.trial,
        onProgress: (progress) => deps.onEvent?.({ type: 'trial-progress', key: planned.key, progress }),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } catch (error) {
      if (deps.signal?.aborted) break;
      result = failedResult(planned.spec, doc.environment, startedAt, error);
    }
    if (result.failure?.kind === 'cancelled' || deps.signal?.aborted) break; // not recorded: resume runs it again
    measuredSeconds.push((performance.now() - startedMs) / 1000);
    doc.trials.push({ key: planned.key, result });
    await deps.sink.save(doc);
    deps.onEvent?.({
      type: 'trial-done',
      index: index + 1,
      total,
      key: planned.key,
      label,
      result,
      etaSeconds: eta(todo.slice(position + 1)),
    });
  }

  if (!deps.signal?.aborted && doc.sweep.measureQuality) await measureSweepQuality(doc, deps);
  doc.status = deps.signal?.aborted ? 'cancelled' : 'completed';
  await deps.sink.save(doc);
  deps.onEvent?.({ type: 'done', status: doc.status });
  return doc;
}

/** Waits `ms`, or less when the sweep is cancelled meanwhile. */
function coolDown(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Each quantized variant of the sweep against its fp32 source, once per (model, preset). */
async function measureSweepQuality(doc: RunDocument, deps: SweepDeps): Promise<void> {
  const { dataDir } = deps.trial;
  for (const model of doc.sweep.models) {
    const key = modelKey(model);
    for (const quant of doc.sweep.quants) {
      if (quant === 'fp32' || doc.quality.some((entry) => entry.modelKey === key && entry.quant === quant))
        continue;
      if (deps.signal?.aborted) return;
      deps.onEvent?.({ type: 'quality', modelKey: key, quant });
      try {
        const source =
          model.kind === 'catalog' ? (await prepareCatalogVariant(model, dataDir)).dir : model.path;
        const variant = await quantizeVariant(source, {
          preset: quant,
          options: resolvePreset(quant),
          dataDir,
        });
        const report = await measureQuality(source, variant.dir);
        doc.quality.push({ modelKey: key, quant, report });
        await deps.sink.save(doc);
      } catch (error) {
        // quality is an extra: a pair it cannot compare (e.g. different vocabularies) is reported, not fatal
        deps.onEvent?.({
          type: 'quality',
          modelKey: key,
          quant,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
