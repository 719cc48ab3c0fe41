import type {
  DeviceTarget,
  FitVerdict,
  GoalStatus,
  LatencyGoal,
  MemoryFit,
  TrialEstimate,
  TrialResult,
} from '../schemas';
import { trialLabel } from '../labels';
import { formatPercent } from '../number-format';
import { formatBytes, formatGBps } from '../units';
import { kvModelFromTrial } from './kv-pressure';

/**
 * Does a measured configuration fit a device, and how fast would it decode there? Memory comes from the
 * trial's peak RSS; decode speed is projected with the roofline (decode reads every weight and the KV
 * cache once per token, so it runs at a speed proportional to memory bandwidth); TTFT is not projected.
 */

export interface FitVerdictOptions {
  goal?: LatencyGoal;
  /** bytes/s measured where the trial ran; default: the trial's roofline bandwidth */
  hereBandwidthBytesPerSecond?: number;
  /** the planner's estimate for the trial, used for memory when the trial has neither RSS nor model facts */
  estimate?: TrialEstimate;
}

/** A share of the budget above which a configuration is "tight": other apps and the OS need room too. */
export const TIGHT_SHARE = 0.8;

/** need ÷ budget: up to TIGHT_SHARE (80%) fits, up to 100% is tight, beyond does not fit. */
export function memoryFit(needBytes: number, budgetBytes: number): MemoryFit {
  const share = needBytes / budgetBytes;
  if (share > 1) return 'does-not-fit';
  return share > TIGHT_SHARE ? 'tight' : 'fits';
}

/** The trial measured this very target: this machine, the same bandwidth figure, the same RAM. */
function ranOn(trial: TrialResult, target: DeviceTarget, hereBandwidth: number | undefined): boolean {
  return (
    target.kind === 'this-machine' &&
    hereBandwidth === target.bandwidthBytesPerSecond &&
    trial.environment.totalMemoryBytes === target.totalMemoryBytes
  );
}

/** bytes the configuration needs at its full context (spec.contextTokens), with how it was obtained. */
function memoryNeed(
  trial: TrialResult,
  estimate: TrialEstimate | undefined,
): { needBytes: number | null; source: FitVerdict['memory']['source']; basis: string } {
  const contextTokens = trial.spec.contextTokens;
  if (trial.status === 'ok' && trial.peakRssBytes !== undefined) {
    const kv = trial.kvCache;
    const missingTokens = kv ? Math.max(0, contextTokens - kv.tokens) : 0;
    const growthBytes = kv ? missingTokens * kv.bytesPerToken : 0;
    return {
      needBytes: trial.peakRssBytes + growthBytes,
      source: 'peak-rss',
      basis: kv
        ? `peak RSS measured here (${formatBytes(trial.peakRssBytes)}) plus the KV cache of the ` +
          `${missingTokens} context tokens the trial did not fill (${formatBytes(growthBytes)})`
        : `peak RSS measured here (${formatBytes(trial.peakRssBytes)}); KV growth to the full context unknown`,
    };
  }
  const why =
    trial.status === 'failed' ? `the trial failed (${trial.failure?.kind ?? 'error'})` : 'no peak RSS';
  if (trial.model) {
    const model = kvModelFromTrial(trial);
    return {
      needBytes: model.weightsBytes + model.overheadBytes + model.bytesPerToken * contextTokens,
      source: 'estimate',
      basis:
        `estimated, as ${why}: weights ${formatBytes(model.weightsBytes)} + KV at ${contextTokens} tokens + ` +
        `overhead ${formatBytes(model.overheadBytes)} (${model.basis})`,
    };
  }
  if (estimate) {
    const plannedTokens = trial.spec.depthTokens + trial.spec.promptTokens + trial.spec.generateTokens;
    const kvBytes = (estimate.kvBytes / plannedTokens) * contextTokens;
    return {
      needBytes: estimate.weightsBytes + estimate.overheadBytes + kvBytes,
      source: 'estimate',
      basis: `estimated, as ${why}: the plan's weights and overhead plus its KV per token × ${contextTokens} tokens`,
    };
  }
  return { needBytes: null, source: 'none', basis: `unknown: ${why} and nothing else says what it needs` };
}

function goalStatus(value: number | null, goal: number | undefined, meets: (value: number) => boolean) {
  if (goal === undefined) return 'no-goal' as const;
  if (value === null) return 'unknown' as const;
  return meets(value) ? ('meets' as const) : ('misses' as const);
}

/** The verdict for one trial on one target. Everything not measured on the target says `projected`. */
export function fitVerdict(
  trial: TrialResult,
  target: DeviceTarget,
  options: FitVerdictOptions = {},
): FitVerdict {
  const goal = options.goal ?? {};
  const hereBandwidth = options.hereBandwidthBytesPerSecond ?? trial.roofline?.bandwidthBytesPerSecond;
  const ranOnTarget = ranOn(trial, target, hereBandwidth);
  const summary = trial.status === 'ok' ? trial.summary : undefined;

  const need = memoryNeed(trial, options.estimate);
  const budgetBytes = target.memoryBytes;
  const memory: FitVerdict['memory'] = {
    needBytes: need.needBytes,
    budgetBytes,
    shareOfBudget: need.needBytes === null ? null : need.needBytes / budgetBytes,
    fit: need.needBytes === null ? 'unknown' : memoryFit(need.needBytes, budgetBytes),
    source: need.source,
    projected: !ranOnTarget,
    basis: ranOnTarget
      ? need.basis
      : `${need.basis}; assumed the same on ${target.name} (same onnxruntime build and EP; allocators and ` +
        'page sizes differ)',
  };

  const measuredTokensPerSecond = summary?.decodeTokensPerSecond?.median ?? null;
  let decode: FitVerdict['decode'];
  if (measuredTokensPerSecond === null) {
    decode = {
      measuredTokensPerSecond,
      tokensPerSecond: null,
      bandwidthRatio: null,
      projected: false,
      basis: 'not measured: the trial has no decode timings',
    };
  } else if (ranOnTarget) {
    decode = {
      measuredTokensPerSecond,
      tokensPerSecond: measuredTokensPerSecond,
      bandwidthRatio: 1,
      projected: false,
      basis: 'measured on this machine',
    };
  } else if (hereBandwidth === undefined || hereBandwidth <= 0) {
    decode = {
      measuredTokensPerSecond,
      tokensPerSecond: null,
      bandwidthRatio: null,
      projected: true,
      basis: 'cannot project: no memory bandwidth was measured where the trial ran',
    };
  } else {
    const ratio = target.bandwidthBytesPerSecond / hereBandwidth;
    const efficiency = trial.roofline?.efficiency;
    decode = {
      measuredTokensPerSecond,
      tokensPerSecond: measuredTokensPerSecond * ratio,
      bandwidthRatio: ratio,
      projected: true,
      basis:
        `projected: decode is memory-bound; scaled by bandwidth ratio ${ratio.toFixed(3)} ` +
        `(${target.name} ${formatGBps(target.bandwidthBytesPerSecond)} ${target.bandwidthBasis} ÷ ` +
        `${formatGBps(hereBandwidth)} measured here); compute, caches and EP differences ignored` +
        (efficiency === undefined
          ? ''
          : `; here decode reached ${formatPercent(efficiency, 0)} of its roofline bound, and the ` +
            'projection assumes the same share there') +
        (target.bandwidthBasis === 'nominal'
          ? '; the target figure is a theoretical peak and the one here is sustained, so this leans optimistic'
          : ''),
    };
  }

  const measuredTtftMs = summary?.ttftMs?.median ?? null;
  const trialPromptTokens = trial.spec.promptTokens;
  const promptTokens = goal.ttftPromptTokens ?? trialPromptTokens;
  const scaled = promptTokens !== trialPromptTokens;
  const ttftMs = measuredTtftMs === null ? null : (measuredTtftMs * promptTokens) / trialPromptTokens;
  const at = `measured here at a ${trialPromptTokens}-token prompt, depth ${trial.spec.depthTokens}`;
  const ttft: FitVerdict['ttft'] = {
    measuredMs: measuredTtftMs,
    promptTokens,
    ms: ttftMs,
    projected: false,
    basis:
      (measuredTtftMs === null ? 'not measured: the trial has no prefill timings' : at) +
      (scaled && measuredTtftMs !== null
        ? `; scaled linearly to ${promptTokens} tokens (the measured prefill rate; attention's growth ignored)`
        : '') +
      (ranOnTarget
        ? ''
        : `; not projected to ${target.name}: prefill is compute-bound (each weight read serves the whole ` +
          "prompt), so bandwidth does not predict it, and the target's compute is not modelled"),
  };

  const decodeStatus = goalStatus(decode.tokensPerSecond, goal.minDecodeTokensPerSecond, (value) => {
    return value >= goal.minDecodeTokensPerSecond!;
  });
  const ttftHere = goalStatus(ttftMs, goal.maxTtftMs, (value) => value <= goal.maxTtftMs!);
  const ttftStatus: GoalStatus = ttftHere === 'no-goal' || ranOnTarget ? ttftHere : 'unknown';
  const reasons: string[] = [];
  if (goal.minDecodeTokensPerSecond !== undefined) {
    reasons.push(
      decode.tokensPerSecond === null
        ? `decode ≥ ${goal.minDecodeTokensPerSecond} tok/s: unknown (${decode.basis})`
        : `decode ≥ ${goal.minDecodeTokensPerSecond} tok/s: ${decodeStatus}, ` +
            `${decode.tokensPerSecond.toFixed(1)} tok/s${decode.projected ? ' (projected)' : ''}`,
    );
  }
  if (goal.maxTtftMs !== undefined) {
    const value = ttftMs === null ? 'not measured' : `${ttftMs.toFixed(0)} ms here at ${promptTokens} tokens`;
    reasons.push(
      ttftStatus === 'unknown' && ttftHere !== 'unknown'
        ? `TTFT ≤ ${goal.maxTtftMs} ms: unknown on ${target.name}; ${value} would ${ttftHere === 'meets' ? 'meet' : 'miss'} it, but TTFT is not projected`
        : `TTFT ≤ ${goal.maxTtftMs} ms: ${ttftStatus}, ${value}`,
    );
  }
  const statuses = [decodeStatus, ttftStatus].filter((status) => status !== 'no-goal');
  let status: GoalStatus = 'no-goal';
  if (statuses.includes('misses')) status = 'misses';
  else if (statuses.length > 0) status = statuses.every((s) => s === 'meets') ? 'meets' : 'unknown';

  return {
    targetId: target.id,
    targetName: target.name,
    trialLabel: trialLabel(trial.spec),
    ranOnTarget,
    memory,
    decode,
    ttft,
    latency: { status, decode: decodeStatus, ttft: ttftStatus, reasons },
  };
}
