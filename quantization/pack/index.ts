/**
 * quantization/pack: pure packing kernels on typed arrays (no graph logic), each producing the exact
 * byte layout one onnxruntime op reads: MatMulNBits, GatherBlockQuantized, DynamicQuantizeMatMul,
 * plus float16 bits.
 */
export * from './blockwise-nbits';
export * from './float16';
export * from './gather-block-quantized';
export * from './per-column-int8';
export * from './rounding';
