import type {
  DeviceTarget,
  KvPressureReport,
  LatencyGoal,
  RunAnalysis,
  RunDocument,
  TrialResult,
  TrialVerdicts,
} from '../schemas';
import { modelKey, variantLabel, trialLabel, trialTitle } from '../labels';
import { formatGBps } from '../units';
import { STANDARD_CONTEXTS_TOKENS } from '../contexts';
import { fitVerdict } from './fit-verdict';
import { decodeSlowdownByConfiguration, kvModelFromTrial, kvPressure, type KvModel } from './kv-pressure';
import { tradeoffAnalysis } from './tradeoff';

/**
 * A run judged against device targets, in one piece: KV pressure of each model variant it measured,
 * decode slowdown with depth, a fit verdict for every ok trial on every target, and the speed / memory
 * / quality trade-off. Pure: the caller picks the targets (and measures this machine's bandwidth); the
 * result is plain data (RunAnalysisSchema) that the exporters, the CLI and the screens render.
 */

export interface RunAnalysisOptions {
  targets: readonly DeviceTarget[];
  goal?: LatencyGoal;
}

type OkTrial = { key: string; result: TrialResult };

function okTrials(doc: RunDocument): OkTrial[] {
  return doc.trials.filter(({ result }) => result.status === 'ok');
}

/** tokens: the standard contexts and every context the run planned or measured, ascending */
function contextsOf(doc: RunDocument): number[] {
  const own = [...doc.sweep.contexts, ...doc.trials.map(({ result }) => result.spec.contextTokens)];
  return [...new Set([...STANDARD_CONTEXTS_TOKENS, ...own])].sort((a, b) => a - b);
}

/**
 * The KV model of each distinct variant (model, quant, KV dtype) the run measured. The quant is part of
 * the identity because it sets the weights, hence how long a context fits. Where several trials ran
 * one variant, the largest overhead they measured is kept: a fit should not rest on the luckiest trial.
 */
function kvModels(trials: readonly OkTrial[]): KvModel[] {
  const byVariant = new Map<string, KvModel>();
  for (const { result } of trials) {
    const facts = result.model;
    // failed before the model opened, or a cache dtype the KV arithmetic does not cover
    if (!facts || (facts.kvDtype !== 'float32' && facts.kvDtype !== 'float16')) continue;
    // each runtime its own variant: a GGUF's weights and llama.cpp's overhead are not the ONNX model's
    const variant = JSON.stringify([
      modelKey(result.spec.model),
      result.spec.quant,
      facts.kvDtype,
      ...(result.spec.runtime === 'llama.cpp' ? ['llama.cpp'] : []),
    ]);
    // the KV dtype is the report's own column: the label names model and preset
    const model = {
      ...kvModelFromTrial(result),
      label: variantLabel({ ...result.spec, kvDtype: undefined }),
    };
    const known = byVariant.get(variant);
    if (!known || model.overheadBytes > known.overheadBytes) byVariant.set(variant, model);
  }
  return [...byVariant.values()];
}

function projectionBasis(hereBandwidthsBytesPerSecond: readonly number[]): string {
  const here =
    hereBandwidthsBytesPerSecond.length === 0
      ? 'no bandwidth was measured where the run ran, so decode speed cannot be projected'
      : `${hereBandwidthsBytesPerSecond.map(formatGBps).join(', ')} measured where the run ran`;
  return (
    'Projected numbers assume the same runtime (the same onnxruntime or llama.cpp build), execution provider ' +
    'and threads on the target; each runtime is projected from its own measurement. ' +
    'Decode tok/s: decode is memory-bound (every step reads all weights and the KV cache once), so the ' +
    `median measured here is scaled by the target's bandwidth ÷ the bandwidth here (${here}); compute, ` +
    'caches and EP differences are ignored, and nominal (theoretical peak) target bandwidths make it lean ' +
    "optimistic. Memory: the trial's peak RSS measured here plus the KV cache of the context it did not " +
    "fill, assumed the same on the target; over 80% of the target's budget is tight, over 100% does not " +
    'fit. TTFT is never projected: prefill is compute-bound, so a TTFT goal can only be met or missed on ' +
    'the machine that measured it.'
  );
}

/** The analysis of `doc` against `options.targets` (in that order), with the latency goal if given. */
export function analyzeRun(doc: RunDocument, options: RunAnalysisOptions): RunAnalysis {
  const goal = options.goal ?? {};
  const trials = okTrials(doc);
  const contextsTokens = contextsOf(doc);
  const kvReports: KvPressureReport[] = kvModels(trials).map((model) =>
    // the standard contexts are kvPressure's own; the run's are added
    kvPressure(model, options.targets, contextsTokens),
  );
  const verdicts: TrialVerdicts[] = trials.map(({ key, result }) => {
    const estimate = doc.plan.find((planned) => planned.key === key)?.estimate;
    return {
      key,
      label: trialLabel(result.spec),
      title: trialTitle(result.spec),
      verdicts: options.targets.map((target) =>
        fitVerdict(result, target, { goal, ...(estimate ? { estimate } : {}) }),
      ),
    };
  });
  const hereBandwidthsBytesPerSecond = [
    ...new Set(
      trials.flatMap(({ result }) => (result.roofline ? [result.roofline.bandwidthBytesPerSecond] : [])),
    ),
  ].sort((a, b) => a - b);
  return {
    runId: doc.id,
    targets: [...options.targets],
    goal,
    contextsTokens,
    kvPressure: kvReports,
    decodeSlowdown: decodeSlowdownByConfiguration(trials.map(({ result }) => result)),
    verdicts,
    tradeoff: tradeoffAnalysis(doc),
    hereBandwidthsBytesPerSecond,
    projectionBasis: projectionBasis(hereBandwidthsBytesPerSecond),
  };
}
