/**
 * quantization/pack: pure packing kernels on typed arrays (no graph logic), each producing the exact
 * byte layout one onnxruntime op reads: MatMulNBits, GatherBlockQuantized, DynamicQuantizeMatMul,
 * (float16 bits live in profiler/onnx, which every layer may use).
 */
export * from './blockwise-nbits';
export * from './gather-block-quantized';
export * from './per-column-int8';
export * from './rounding';
