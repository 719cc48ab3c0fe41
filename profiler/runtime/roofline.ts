import type { Roofline } from '../api';

export interface RooflineInput {
  /** bytes/s, from measureMemoryBandwidth */
  bandwidthBytesPerSecond: number;
  /** MemoryBandwidth.method */
  method: string;
  /** bytes of weights the session reads, i.e. all initializers */
  weightsBytes: number;
  /** KV-cache bytes one token adds (2 · layers · kv_heads · head_dim · bytes per element) */
  kvBytesPerToken: number;
  /** tokens in the KV cache while decoding; for a whole decode phase, the mean over its steps */
  kvTokens: number;
  /** measured decode tok/s */
  measuredDecodeTokensPerSecond: number;
}

/**
 * The best decode speed memory allows. Decoding one token reads every weight once (each MatMul is a
 * GEMV over its whole matrix) and the whole KV cache once (attention over every cached token), so
 * bytes per token = weights + KV bytes per token × cached tokens; activations are small and ignored.
 * bound = bandwidth ÷ bytes per token (tok/s); efficiency = measured ÷ bound.
 */
export function roofline(input: RooflineInput): Roofline {
  const { bandwidthBytesPerSecond, weightsBytes, kvBytesPerToken, kvTokens, measuredDecodeTokensPerSecond } =
    input;
  if (!(bandwidthBytesPerSecond > 0) || !Number.isFinite(bandwidthBytesPerSecond)) {
    throw new RangeError(`roofline: bandwidth must be positive bytes/s, got ${bandwidthBytesPerSecond}`);
  }
  for (const [name, value] of Object.entries({
    weightsBytes,
    kvBytesPerToken,
    kvTokens,
    measuredDecodeTokensPerSecond,
  })) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`roofline: ${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  const bytesPerDecodeToken = weightsBytes + kvBytesPerToken * kvTokens;
  if (bytesPerDecodeToken === 0) {
    throw new RangeError('roofline: the model reads no bytes per decode token (weights and KV are 0)');
  }
  const boundTokensPerSecond = bandwidthBytesPerSecond / bytesPerDecodeToken;
  return {
    bandwidthBytesPerSecond,
    bandwidthMethod: input.method,
    bytesPerDecodeToken,
    boundTokensPerSecond,
    efficiency: measuredDecodeTokensPerSecond / boundTokensPerSecond,
  };
}
