import type { TrialEstimate, TrialSpec } from '../api';
import { kvBytesPerToken, parameterCount, resolveModel, uniqueParameterCount } from '../../common/catalog';
import { ggufTypeOf, type GgufTensorType } from '../../common/runtime-names';
import { budgetFit, decodeSeconds, prefillSeconds } from './estimate-rates';
import type { EstimateContext } from './trial-estimate';

/** bytes per weight of each GGUF type: block bytes ÷ block elements (Q4_0: 18 / 32) */
export const GGUF_BYTES_PER_PARAMETER: Readonly<Record<GgufTensorType, number>> = {
  F32: 4,
  F16: 2,
  Q8_0: 34 / 32,
  Q4_0: 18 / 32,
};

/** bytes: llama.cpp's compute buffers and the process around it, a floor measured on the 140M here */
const LLAMA_BASE_OVERHEAD_BYTES = 150 * 1024 * 1024;

/**
 * What a llama.cpp trial should need: the GGUF's weights (memory-mapped), the f16 KV cache for the
 * whole sequence held once, and — for Q4_0 / Q8_0 on a CPU — ggml's repacked copy of the weights
 * (its CPU backend re-lays quantized blocks for its SIMD kernels, so the mapped file pages and the
 * repacked copy are both resident: MobileLLM-R1-950M Q4_0 held 560 MiB + 509 MiB here).
 */
export function estimateLlamaTrial(
  spec: TrialSpec,
  context: EstimateContext,
  budgetBytes: number | undefined,
): TrialEstimate {
  const type = ggufTypeOf(spec.quant);
  const tokens = spec.depthTokens + spec.promptTokens + spec.generateTokens;
  let weightsBytes = 0;
  let kvPerToken = 0;
  let parameters = 0;
  if (spec.model.kind === 'catalog' && type) {
    const { spec: model } = resolveModel(spec.model.id, spec.model.overrides);
    parameters = parameterCount(model);
    weightsBytes = uniqueParameterCount(model) * GGUF_BYTES_PER_PARAMETER[type];
    kvPerToken = kvBytesPerToken(model, 2);
  }
  const repacked = spec.ep === 'cpu' && (type === 'Q4_0' || type === 'Q8_0') ? weightsBytes : 0;
  const kvBytes = kvPerToken * tokens;
  const overheadBytes = repacked + LLAMA_BASE_OVERHEAD_BYTES;
  const peakBytes = weightsBytes + kvBytes + overheadBytes;
  // time as onnxruntime's estimate reckons it: decode memory-bound at 60% of the bandwidth, prefill and
  // the model's fill of the depth at 20 GFLOP/s
  const meanKvBytes = kvPerToken * (spec.depthTokens + spec.promptTokens + spec.generateTokens / 2);
  const decodeTime = decodeSeconds(
    spec.generateTokens,
    weightsBytes + meanKvBytes,
    context.bandwidthBytesPerSecond,
  );
  const fillTime = prefillSeconds(spec.depthTokens, parameters); // once per trial
  const seconds =
    weightsBytes / 1e9 +
    fillTime +
    (spec.warmupRuns + spec.repetitions) * (decodeTime + prefillSeconds(spec.promptTokens, parameters));
  const fit = budgetFit(peakBytes, budgetBytes);
  return {
    weightsBytes,
    kvBytes,
    overheadBytes,
    peakBytes,
    seconds,
    fit,
    basis:
      spec.model.kind === 'catalog'
        ? `estimated: llama.cpp ${type ?? spec.quant} weights at ${GGUF_BYTES_PER_PARAMETER[type ?? 'F32'].toFixed(3)} B/parameter, ` +
          `an f16 KV cache of ${tokens} tokens held once, ${repacked ? "ggml's repacked copy of the weights + " : ''}150 MiB; ` +
          `time from ${context.bandwidthSource}`
        : 'weights unknown until the .gguf is read',
  };
}
