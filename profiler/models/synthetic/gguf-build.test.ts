import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../../../common/catalog';
import { parameterCount } from '../../../common/catalog/parameter-count';
import { readGgufHeader } from '../gguf/gguf-reader';
import { buildSyntheticGguf, GgufBuildError, permuteForAdjacentRope } from './gguf-build';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-gguf-build-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const tiny = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 128,
  vocab_size: 300,
  max_context_tokens: 64,
};

describe('synthetic GGUF: the llama architecture llama.cpp loads', () => {
  it('writes every tensor under its llama.cpp name, norms in F32, the rest in Q4_0, and the llama keys', async () => {
    const model = resolveModel('mobilellm-r1-140m', tiny);
    const file = path.join(workDir, 'r1.gguf');
    await buildSyntheticGguf({ model, seed: 0, type: 'Q4_0', outFile: file });
    const header = await readGgufHeader(file);
    const meta = (key: string) => header.metadata.get(key);
    expect(meta('general.architecture')).toBe('llama');
    expect(meta('general.file_type')).toBe(2); // MOSTLY_Q4_0
    expect(meta('llama.block_count')).toBe(2);
    expect(meta('llama.embedding_length')).toBe(64);
    expect(meta('llama.attention.head_count')).toBe(model.spec.numAttentionHeads);
    expect(meta('llama.attention.head_count_kv')).toBe(model.spec.numKeyValueHeads);
    expect(meta('llama.rope.dimension_count')).toBe(model.spec.headDim);
    expect(meta('llama.rope.freq_base')).toBe(8_000_000);
    expect(meta('tokenizer.ggml.model')).toBe('llama');
    expect(meta('tokenizer.ggml.tokens')).toMatchObject({ itemType: 'string', length: 300 });
    const byName = new Map(header.tensors.map((tensor) => [tensor.name, tensor]));
    expect(byName.get('token_embd.weight')).toMatchObject({ dims: [64, 300], type: 'Q4_0' });
    expect(byName.get('blk.1.attn_norm.weight')).toMatchObject({ dims: [64], type: 'F32' });
    expect(byName.get('blk.1.ffn_down.weight')).toMatchObject({ dims: [128, 64], type: 'Q4_0' });
    expect(byName.has('output.weight')).toBe(model.spec.tieWordEmbeddings === false);
    // the parameters llama.cpp counts are the catalog's: every tensor, once
    expect(header.tensors.reduce((sum, tensor) => sum + tensor.elements, 0)).toBe(parameterCount(model.spec));
  });

  it('permutes rotate_half q/k rows into adjacent pairs per head (HF row s·d/2 + i → row 2i + s)', () => {
    // 1 head of 4 rows, 1 column: rows [a0, a1, b0, b1] (halves a | b) → [a0, b0, a1, b1]
    expect([...permuteForAdjacentRope(Float32Array.of(10, 11, 20, 21), 1, 4)]).toEqual([10, 20, 11, 21]);
  });

  it('refuses families the llama architecture cannot hold, saying which llama.cpp architecture would', async () => {
    const qwen = resolveModel('qwen3-0.6b', tiny);
    await expect(
      buildSyntheticGguf({ model: qwen, seed: 0, type: 'F32', outFile: path.join(workDir, 'q.gguf') }),
    ).rejects.toThrow(GgufBuildError);
    await expect(
      buildSyntheticGguf({ model: qwen, seed: 0, type: 'F32', outFile: path.join(workDir, 'q.gguf') }),
    ).rejects.toThrow(/qwen3 architecture/);
  });
});
