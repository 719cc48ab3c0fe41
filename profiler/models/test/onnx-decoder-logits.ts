import * as ort from 'onnxruntime-node';

/**
 * Logits of `prompt` (prefill) then of each decode token fed with the cache, from onnxruntime: what the
 * builder and importer tests compare with the TypeScript reference.
 */
export async function onnxDecoderLogits(
  modelPath: string,
  shape: { layers: number; kvHeads: number; headDim: number },
  prompt: readonly number[],
  decodeTokens: readonly number[],
): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(modelPath, { logSeverityLevel: 3 });
  const feeds: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < shape.layers; layer += 1) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [
        1,
        shape.kvHeads,
        0,
        shape.headDim,
      ]);
    }
  }
  const results: Float32Array[] = [];
  let total = 0;
  for (const step of [prompt, ...decodeTokens.map((token) => [token])]) {
    total += step.length;
    feeds.input_ids = new ort.Tensor('int64', BigInt64Array.from(step, BigInt), [1, step.length]);
    feeds.attention_mask = new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]);
    if (session.inputNames.includes('position_ids')) {
      const positions = step.map((_, i) => BigInt(total - step.length + i));
      feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from(positions), [1, step.length]);
    }
    const outputs = await session.run(feeds);
    results.push(outputs.logits!.data as Float32Array);
    for (let layer = 0; layer < shape.layers; layer += 1) {
      feeds[`past_key_values.${layer}.key`] = outputs[`present.${layer}.key`]!;
      feeds[`past_key_values.${layer}.value`] = outputs[`present.${layer}.value`]!;
    }
  }
  await session.release();
  return results;
}

export function maxAbsDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let max = 0;
  a.forEach((step, i) => step.forEach((value, j) => (max = Math.max(max, Math.abs(value - b[i]![j]!)))));
  return max;
}
