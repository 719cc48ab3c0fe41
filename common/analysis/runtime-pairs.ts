import { quantText } from '../runtime-names';
import { trialLabel } from '../labels';
import type { TrialResult, TrialSpec } from '../schemas';

/**
 * The same configuration measured on both runtimes — same model, same preset (int4 ↔ Q4_0, int8 ↔
 * Q8_0, fp16 ↔ F16, fp32 ↔ F32), context, depth, prompt and generation lengths, provider and threads —
 * paired, with llama.cpp ÷ onnxruntime for each metric: what Compare and the reports show to say which
 * runtime is faster for prefill and for decode on this machine, and how much memory each holds.
 */

export interface RuntimePair {
  /** the configuration without its runtime: "mobilellm-r1-950m · int4 / Q4_0 · ctx 4096 · pp128+tg32 @ d3936 · cpu 2t" */
  label: string;
  onnxruntime: TrialResult;
  llamaCpp: TrialResult;
  /** medians over the repetitions, per runtime: tok/s and ms */
  medians: Record<
    'onnxruntime' | 'llamaCpp',
    { prefillTokensPerSecond: number; decodeTokensPerSecond: number; ttftMs: number }
  >;
  /** llama.cpp ÷ onnxruntime: above 1, llama.cpp is faster (tok/s) or holds more (bytes, ms) */
  prefillRatio: number;
  decodeRatio: number;
  ttftRatio: number;
  peakRssRatio: number | null;
}

/** Everything that identifies a configuration but the runtime (and what follows from it: the fill). */
function pairingKey(spec: TrialSpec, threads: number | null | undefined): string {
  const model =
    spec.model.kind === 'catalog'
      ? [spec.model.id, Object.entries(spec.model.overrides).sort(), spec.model.seed]
      : [spec.model.path];
  return JSON.stringify([
    model,
    // int4 and Q4_0 alike (an imported llama-bench result names its GGUF type)
    quantText({ quant: spec.quant, runtime: 'llama.cpp' }),
    spec.contextTokens,
    spec.depthTokens,
    spec.promptTokens,
    spec.generateTokens,
    spec.ep,
    threads ?? null,
  ]);
}

/** the three statistics a pair compares, present on every result runtimePairs keeps */
function measured(result: TrialResult) {
  const summary = result.summary!;
  return {
    prefillTokensPerSecond: summary.prefillTokensPerSecond!,
    decodeTokensPerSecond: summary.decodeTokensPerSecond!,
    ttftMs: summary.ttftMs!,
  };
}

/** threads that ran: llama.cpp records its own; onnxruntime's null is its default (physical cores) */
function threadsRun(result: TrialResult): number | null {
  return result.llamaCpp?.threads ?? result.session?.intraOpThreads ?? null;
}

/**
 * Pairs each llama.cpp result with the onnxruntime result of the same configuration (the last of each
 * where a configuration ran more than once). Only successful trials with a summary pair. An onnxruntime
 * trial left to its default threads pairs with a llama.cpp trial on the physical cores, which is what
 * onnxruntime's default is.
 */
export function runtimePairs(results: readonly TrialResult[], physicalCores?: number): RuntimePair[] {
  const onnx = new Map<string, TrialResult>();
  const llama = new Map<string, TrialResult>();
  for (const result of results) {
    const summary = result.summary;
    // both phases measured: llama-bench's pp-only or tg-only imports have one
    if (result.status !== 'ok' || !summary?.prefillTokensPerSecond || !summary.decodeTokensPerSecond)
      continue;
    if (!summary.ttftMs) continue;
    const threads = threadsRun(result) ?? physicalCores ?? result.environment.physicalCores;
    const key = pairingKey(result.spec, threads);
    (result.spec.runtime === 'llama.cpp' ? llama : onnx).set(key, result);
  }
  const pairs: RuntimePair[] = [];
  for (const [key, llamaCpp] of llama) {
    const onnxruntime = onnx.get(key);
    if (!onnxruntime) continue;
    const o = measured(onnxruntime);
    const l = measured(llamaCpp);
    const spec = onnxruntime.spec;
    const label = trialLabel({ ...spec, threads: threadsRun(llamaCpp) ?? undefined }).replace(
      ` · ${spec.quant} · `,
      ` · ${spec.quant} / ${quantText({ ...spec, runtime: 'llama.cpp' })} · `,
    );
    const median = (side: typeof o) => ({
      prefillTokensPerSecond: side.prefillTokensPerSecond.median,
      decodeTokensPerSecond: side.decodeTokensPerSecond.median,
      ttftMs: side.ttftMs.median,
    });
    pairs.push({
      label,
      onnxruntime,
      llamaCpp,
      medians: { onnxruntime: median(o), llamaCpp: median(l) },
      prefillRatio: l.prefillTokensPerSecond.median / o.prefillTokensPerSecond.median,
      decodeRatio: l.decodeTokensPerSecond.median / o.decodeTokensPerSecond.median,
      ttftRatio: l.ttftMs.median / o.ttftMs.median,
      peakRssRatio:
        onnxruntime.peakRssBytes && llamaCpp.peakRssBytes
          ? llamaCpp.peakRssBytes / onnxruntime.peakRssBytes
          : null,
    });
  }
  return pairs;
}
