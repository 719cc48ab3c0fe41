import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalogEntry } from '../../../common/catalog';
import { resolveCheckpoint } from './checkpoint-spec';
import { importCheckpoint } from './import-checkpoint';
import { safetensorsBytes } from './test/safetensors-writer';
import { writeTinyCheckpoint } from './test/tiny-checkpoints';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-import-errors-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let counter = 0;
const fresh = (name: string): string => path.join(workDir, `${name}-${(counter += 1)}`);
const importInto = (sourceDir: string) =>
  importCheckpoint({ sourceDir, style: 'standard', outDir: fresh('out') });

describe('models import refuses what it cannot import faithfully, naming the file and tensor', () => {
  it('a cut-short download names the tensor past the end of the file, and leaves no folder behind', async () => {
    const { dir } = await writeTinyCheckpoint(fresh('cut'), 'smollm2', { dtype: 'F32' });
    const file = path.join(dir, 'model.safetensors');
    truncateSync(file, readFileSync(file).length - 100);
    const out = fresh('out');
    await expect(importCheckpoint({ sourceDir: dir, style: 'fused', outDir: out })).rejects.toThrow(
      /model\.safetensors: tensor model\.norm\.weight ends at byte \d+, past the end of the file .*cut short/,
    );
    expect(() => readFileSync(out)).toThrow();
  });

  it('a header that is not safetensors, a tensor whose bytes do not fit its shape, overlapping tensors', async () => {
    const { dir } = await writeTinyCheckpoint(fresh('bad'), 'smollm2', { dtype: 'F32' });
    const file = path.join(dir, 'model.safetensors');
    writeFileSync(file, Buffer.from('{"not": "safetensors"}'));
    await expect(importInto(dir)).rejects.toThrow(/header claims \d+ bytes, more than the file/);

    const values = new Float32Array(6);
    const bytes = safetensorsBytes([{ name: 'model.norm.weight', shape: [2, 3], values, dtype: 'F32' }]);
    const header = JSON.stringify({
      'model.norm.weight': { dtype: 'F32', shape: [2, 4], data_offsets: [0, 24] },
    });
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    writeFileSync(file, Buffer.concat([prefix, Buffer.from(header), bytes.subarray(bytes.length - 24)]));
    await expect(importInto(dir)).rejects.toThrow(
      /tensor model\.norm\.weight holds 24 bytes, but F32 \[2, 4\] needs 32/,
    );

    const overlapping = JSON.stringify({
      a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
    });
    prefix.writeBigUInt64LE(BigInt(overlapping.length));
    writeFileSync(file, Buffer.concat([prefix, Buffer.from(overlapping), Buffer.alloc(24)]));
    await expect(importInto(dir)).rejects.toThrow(/tensors a and b overlap/);
  });

  it('a config and weights that disagree: the missing tensor, the wrong shape, the leftover tensor are named', async () => {
    const missing = await writeTinyCheckpoint(fresh('untied'), 'smollm2', {
      dtype: 'BF16',
      config: { tie_word_embeddings: false },
    });
    // the writer follows the config, so drop lm_head by rewriting with a tied config's tensors
    const tied = await writeTinyCheckpoint(fresh('tied'), 'smollm2', { dtype: 'BF16' });
    writeFileSync(
      path.join(tied.dir, 'config.json'),
      JSON.stringify({ ...tied.config, tie_word_embeddings: false }),
    );
    await expect(importInto(tied.dir)).rejects.toThrow(
      /lacks lm_head\.weight \[256, 64\].*tie_word_embeddings is false/,
    );

    writeFileSync(
      path.join(missing.dir, 'config.json'),
      JSON.stringify({ ...missing.config, intermediate_size: 128 }),
    );
    await expect(importInto(missing.dir)).rejects.toThrow(
      /tensor model\.layers\.0\.mlp\.gate_proj\.weight is \[96, 64\], but config\.json implies \[128, 64\]/,
    );

    const qwen = await writeTinyCheckpoint(fresh('qwen-as-llama'), 'qwen3', { dtype: 'BF16' });
    writeFileSync(
      path.join(qwen.dir, 'config.json'),
      JSON.stringify({ ...qwen.config, model_type: 'llama' }),
    );
    await expect(importInto(qwen.dir)).rejects.toThrow(
      /holds 4 tensor\(s\) the 2-layer graph has no place for \(model\.layers\.0\.self_attn\.q_norm\.weight/,
    );
  });

  it('architectures the graphs do not compute are refused by name', async () => {
    const r1 = await writeTinyCheckpoint(fresh('nope'), 'mobilellm-r1', {
      dtype: 'BF16',
      config: { no_rope_layers: [1, 0] },
    });
    await expect(importInto(r1.dir)).rejects.toThrow(
      /no_rope_layers = \[1,0\] is not supported: NoPE layers/,
    );
    const scaled = await writeTinyCheckpoint(fresh('scaled'), 'qwen3', {
      dtype: 'BF16',
      config: { rope_scaling: { rope_type: 'yarn', factor: 4 } },
    });
    await expect(importInto(scaled.dir)).rejects.toThrow(/rope_scaling .* is not supported/);
    const gpt2 = await writeTinyCheckpoint(fresh('gpt2'), 'smollm2', {
      dtype: 'F32',
      config: { model_type: 'gpt2' },
    });
    await expect(importInto(gpt2.dir)).rejects.toThrow(
      /model_type "gpt2" is not a supported family\. Supported: llama4_text \(MobileLLM-R1\)/,
    );
    await expect(importInto(workDir)).rejects.toThrow(/has no config\.json/);
  });

  it('a tensor that is not F32, F16 or BF16 is refused with the tensor’s name', async () => {
    const { dir } = await writeTinyCheckpoint(fresh('f64'), 'smollm2', { dtype: 'F32' });
    const file = path.join(dir, 'model.safetensors');
    const text = readFileSync(file);
    const headerLength = Number(text.readBigUInt64LE(0));
    const header = JSON.parse(text.subarray(8, 8 + headerLength).toString()) as Record<
      string,
      { dtype: string; shape: number[] }
    >;
    // relabel the final norm's 64 values as I32: the same bytes and shape, a type that is not a float weight
    header['model.norm.weight'] = { ...header['model.norm.weight']!, dtype: 'I32' };
    let json = JSON.stringify(header);
    json += ' '.repeat(Math.max(0, headerLength - json.length));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(file, Buffer.concat([prefix, Buffer.from(json), text.subarray(8 + headerLength)]));
    await expect(importInto(dir)).rejects.toThrow(
      /tensor model\.norm\.weight is I32; only F32, F16 and BF16 weights can be imported/,
    );
  });
});

describe('resolveCheckpoint', () => {
  it('a checkpoint with a published model’s shapes takes its catalog entry and published parameter count', () => {
    const entry = getCatalogEntry('mobilellm-r1-140m');
    const config = {
      model_type: 'llama4_text',
      hidden_size: 576,
      intermediate_size: 8192,
      intermediate_size_mlp: 2048,
      num_hidden_layers: 15,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      head_dim: 64,
      vocab_size: 128256,
      rms_norm_eps: 1e-5,
      rope_theta: 8_000_000,
      max_position_embeddings: 32768,
      tie_word_embeddings: true,
      use_qk_norm: true,
      no_rope_layers: Array.from({ length: 15 }, () => 1),
      moe_layers: [],
      attention_chunk_size: 32768,
    };
    const { model, matchedCatalogId } = resolveCheckpoint(
      'config.json',
      config,
      'facebook/MobileLLM-R1-140M',
    );
    expect(matchedCatalogId).toBe('mobilellm-r1-140m');
    expect(model.publishedParameters).toBe(entry.publishedParameters);
    expect(model.spec).toEqual(entry.spec);
    const pruned = resolveCheckpoint(
      'config.json',
      { ...config, num_hidden_layers: 12, no_rope_layers: [] },
      'pruned',
    );
    expect(pruned.matchedCatalogId).toBeNull();
    expect(pruned.model.publishedParameters).toBeNull();
  });
});
