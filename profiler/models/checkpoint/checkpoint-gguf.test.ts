import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGgufHeader } from '../gguf/gguf-reader';
import { GgufBuildError } from '../gguf/llama-gguf';
import { buildCheckpointGguf } from './checkpoint-gguf';
import { CheckpointError } from './checkpoint-error';
import { importCheckpoint } from './import-checkpoint';
import {
  TINY_VOCAB,
  tinyByteLevelTokenizer,
  tinyCharTokenizer,
  writeTinyCheckpoint,
} from './test/tiny-checkpoints';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-checkpoint-gguf-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('models gguf <checkpoint>: real weights as a llama GGUF', () => {
  it('writes the checkpoint’s tensors under llama.cpp names and its BPE vocabulary as a gpt2 tokenizer', async () => {
    const dir = path.join(workDir, 'smollm2');
    const checkpoint = await writeTinyCheckpoint(dir, 'smollm2', {
      dtype: 'F32',
      tokenizerJson: tinyByteLevelTokenizer(),
    });
    const file = path.join(workDir, 'smollm2.gguf');
    const written = await buildCheckpointGguf({ dir, type: 'F32', outFile: file });
    const header = await readGgufHeader(file);
    const meta = (key: string) => header.metadata.get(key);
    expect(meta('general.architecture')).toBe('llama');
    expect(meta('workbench.weights')).toBe('checkpoint');
    expect(meta('tokenizer.ggml.model')).toBe('gpt2');
    expect(meta('tokenizer.ggml.pre')).toBe('smollm');
    type ArrayValue = { length: number; head: unknown[] };
    const tokens = meta('tokenizer.ggml.tokens') as ArrayValue;
    expect(tokens.length).toBe(TINY_VOCAB);
    expect(tokens.head.slice(0, 4)).toEqual(['Ā', '<|im_start|>', '<|im_end|>', 'Ġt']);
    expect(tokens.head[10]).toBe('Ċ'); // newline's byte token, which llama.cpp looks up
    expect((meta('tokenizer.ggml.token_type') as ArrayValue).head.slice(0, 5)).toEqual([1, 3, 3, 1, 1]);
    expect((meta('tokenizer.ggml.merges') as ArrayValue).head).toEqual(['Ġ t']);
    expect(meta('tokenizer.ggml.bos_token_id')).toBe(1);
    expect(meta('tokenizer.ggml.eos_token_id')).toBe(2);
    // an untouched tensor (no permutation for v) is the checkpoint's values, byte for byte as F32
    const v = header.tensors.find((t) => t.name === 'blk.1.attn_v.weight')!;
    expect(v.dims).toEqual([64, 32]); // ne[0] = in
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(file);
    const start = header.dataOffset + v.offset;
    const stored = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + 64 * 32 * 4),
    );
    expect(stored).toEqual(checkpoint.values.get('model.layers.1.self_attn.v_proj.weight'));
    expect(written.tokenizer).toEqual({ kind: 'checkpoint' });
  });

  it('keeps the synthetic tokenizer section and says why when tokenizer.json is not byte-level BPE', async () => {
    const dir = path.join(workDir, 'smollm2-wordlevel');
    await writeTinyCheckpoint(dir, 'smollm2', { dtype: 'BF16', tokenizerJson: tinyCharTokenizer() });
    const written = await buildCheckpointGguf({ dir, type: 'Q8_0', outFile: path.join(workDir, 'wl.gguf') });
    expect(written.tokenizer).toEqual({
      kind: 'synthetic',
      reason: 'its tokenizer.json is not a BPE tokenizer',
    });
    const header = await readGgufHeader(written.file);
    expect(header.metadata.get('tokenizer.ggml.model')).toBe('llama');
  });

  it('refuses MobileLLM-R1 (weight-free QK-norm) and Qwen3 (learned QK-norm) with what to do, and writes nothing', async () => {
    for (const family of ['mobilellm-r1', 'qwen3'] as const) {
      const dir = path.join(workDir, family);
      await writeTinyCheckpoint(dir, family, { dtype: 'BF16' });
      const outFile = path.join(workDir, `${family}.gguf`);
      const failure = buildCheckpointGguf({ dir, type: 'F32', outFile });
      await expect(failure).rejects.toThrow(GgufBuildError);
      await expect(failure).rejects.toThrow(
        family === 'mobilellm-r1' ? /QK-norm.*different model/ : /qwen3 architecture/,
      );
      const { existsSync } = await import('node:fs');
      expect(existsSync(outFile)).toBe(false);
    }
  });

  it('an imported folder whose checkpoint is gone: names the missing folder and what to give instead', async () => {
    const dir = path.join(workDir, 'gone');
    await writeTinyCheckpoint(dir, 'smollm2', { dtype: 'F32' });
    const imported = path.join(workDir, 'gone-imported');
    await importCheckpoint({ sourceDir: dir, style: 'standard', outDir: imported });
    rmSync(dir, { recursive: true });
    const failure = buildCheckpointGguf({
      dir: imported,
      type: 'F32',
      outFile: path.join(workDir, 'x.gguf'),
    });
    await expect(failure).rejects.toThrow(CheckpointError);
    await expect(failure).rejects.toThrow(`was imported from ${dir}, which is no longer there`);
  });
});
