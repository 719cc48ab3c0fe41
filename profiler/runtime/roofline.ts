import type { Roofline, RooflineBandwidth } from '../api';

export interface RooflineInput {
  /** the bound's bandwidth, as measured (how, when; for the CPU with onnxruntime's GEMV beside it) */
  bandwidth: Extract<RooflineBandwidth, { status: 'measured' }>;
  /**
   * weight bytes one decode step reads: every weight a MatMul / norm reads, one row of each gathered
   * table (ModelInspection.bytes.readPerDecodeToken)
   */
  weightBytesPerDecodeToken: number;
  /** KV-cache bytes one token adds (2 · layers · kv_heads · head_dim · bytes per element) */
  kvBytesPerToken: number;
  /** tokens in the KV cache while decoding; for a whole decode phase, the mean over its steps */
  kvTokens: number;
  /** measured decode tok/s */
  measuredDecodeTokensPerSecond: number;
}

/**
 * The best decode speed memory allows. One decode step reads the weights its matmuls and norms use
 * (each MatMul is a GEMV over its whole matrix), one row of each gathered table, and the whole KV cache
 * once (attention over every cached token); activations are small and ignored. bound = bandwidth ÷
 * bytes per token (tok/s); efficiency = measured ÷ bound, which cannot pass 1 when the bandwidth is
 * what the memory allows.
 */
export function roofline(input: RooflineInput): Roofline {
  const { bandwidth, weightBytesPerDecodeToken, kvBytesPerToken, kvTokens, measuredDecodeTokensPerSecond } =
    input;
  const bandwidthBytesPerSecond = bandwidth.bytesPerSecond;
  if (!(bandwidthBytesPerSecond > 0) || !Number.isFinite(bandwidthBytesPerSecond)) {
    throw new RangeError(`roofline: bandwidth must be positive bytes/s, got ${bandwidthBytesPerSecond}`);
  }
  for (const [name, value] of Object.entries({
    weightBytesPerDecodeToken,
    kvBytesPerToken,
    kvTokens,
    measuredDecodeTokensPerSecond,
  })) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`roofline: ${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  const kvBytesPerDecodeToken = kvBytesPerToken * kvTokens;
  const bytesPerDecodeToken = weightBytesPerDecodeToken + kvBytesPerDecodeToken;
  if (bytesPerDecodeToken === 0) {
    throw new RangeError('roofline: the model reads no bytes per decode token (weights and KV are 0)');
  }
  const boundTokensPerSecond = bandwidthBytesPerSecond / bytesPerDecodeToken;
  return {
    bandwidthBytesPerSecond,
    bandwidthMethod: bandwidth.method,
    bandwidthMeasuredAt: bandwidth.measuredAt,
    ...(bandwidth.kernel
      ? {
          kernelBandwidthBytesPerSecond: bandwidth.kernel.bytesPerSecond,
          kernelBandwidthMethod: bandwidth.kernel.method,
        }
      : {}),
    bytesPerDecodeToken,
    weightBytesPerDecodeToken,
    kvBytesPerDecodeToken,
    boundTokensPerSecond,
    efficiency: measuredDecodeTokensPerSecond / boundTokensPerSecond,
  };
}
