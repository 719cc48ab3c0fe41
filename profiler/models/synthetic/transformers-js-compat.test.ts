import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../../../common/catalog';
import { tensorBreakdown } from '../../../common/catalog/tensor-breakdown';
import { ReferenceDecoder } from './reference-decoder';
import { seededTensorValues } from './seeded-weights';
import { buildSyntheticModel } from './synthetic-builder';

/**
 * The standard style's promise: a folder @huggingface/transformers (transformers.js) opens and generates
 * with, as it would an Optimum export — and generates what the network computes.
 */
const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-tjs-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const overrides = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 64,
};
const seed = 5;
const prompt = [5, 17, 99, 3];
const newTokens = 12;

function referenceGreedy(id: string): number[] {
  const { spec } = resolveModel(id, overrides);
  const tensors = new Map(tensorBreakdown(spec).map((tensor) => [tensor.name, tensor]));
  const reference = new ReferenceDecoder(spec, (name) => seededTensorValues(seed, tensors.get(name)!));
  const argmaxOfLast = (logits: Float32Array): number => {
    const row = logits.subarray(logits.length - spec.vocabSize);
    return row.reduce((best, value, index) => (value > row[best]! ? index : best), 0);
  };
  const generated: number[] = [];
  let next = argmaxOfLast(reference.forward(prompt));
  for (let i = 0; i < newTokens; i += 1) {
    generated.push(next);
    if (i < newTokens - 1) next = argmaxOfLast(reference.forward([next]));
  }
  return generated;
}

describe('standard-style folders in transformers.js', () => {
  it.each(['mobilellm-r1-140m', 'qwen3-0.6b', 'smollm2-135m', 'olmo-2-0425-1b'])(
    '%s: loads, and greedy generate gives the reference ids',
    async (id) => {
      const outDir = path.join(workDir, id);
      await buildSyntheticModel({ model: resolveModel(id, overrides), style: 'standard', seed, outDir });
      env.allowRemoteModels = false;
      env.localModelPath = `${workDir}/`;
      const model = await AutoModelForCausalLM.from_pretrained(id, { dtype: 'fp32', device: 'cpu' });
      const inputIds = new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]);
      const attentionMask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [
        1,
        prompt.length,
      ]);
      const output = (await model.generate({
        input_ids: inputIds,
        attention_mask: attentionMask,
        max_new_tokens: newTokens,
        do_sample: false,
      })) as Tensor;
      const ids = Array.from(output.data as BigInt64Array, Number);
      await model.dispose();
      expect(ids.slice(0, prompt.length)).toEqual(prompt);
      expect(ids.slice(prompt.length)).toEqual(referenceGreedy(id));
    },
  );
});
