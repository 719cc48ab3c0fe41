import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualityReportSchema } from '../../profiler/api';
import { importCheckpoint } from '../../profiler/models/checkpoint/import-checkpoint';
import {
  tinyCharTokenizer,
  TINY_VOCAB,
  writeTinyCheckpoint,
  type TinyCheckpoint,
} from '../../profiler/models/checkpoint/test/tiny-checkpoints';
import { ReferenceDecoder } from '../../profiler/models/synthetic/reference-decoder';
import { isProjectionWeight } from '../../profiler/models/synthetic/seeded-weights';
import { resolvePreset } from '../presets';
import { quantizeVariant } from '../quantize-variant';
import { measureQuality } from './measure-quality';
import { perplexityWindows } from './perplexity';

/**
 * Quality on real weights, as the product measures it: an imported checkpoint against its int8 variant,
 * on sequences the reference samples itself and on the user's text, with perplexity.
 */
const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-quality-real-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let checkpoint: TinyCheckpoint;
let reference = '';
let variant = '';
const textFile = path.join(workDir, 'text.txt');
const text =
  'The quick brown fox jumps over the lazy dog. A small model reads this text, token by token, twice.';

beforeAll(async () => {
  checkpoint = await writeTinyCheckpoint(path.join(workDir, 'ckpt'), 'qwen3', {
    dtype: 'BF16',
    tokenizerJson: tinyCharTokenizer(),
  });
  reference = (
    await importCheckpoint({
      sourceDir: checkpoint.dir,
      style: 'standard',
      logits: 'all',
      outDir: path.join(workDir, 'fp32'),
    })
  ).dir;
  variant = (
    await quantizeVariant(reference, {
      preset: 'int8',
      options: resolvePreset('int8'),
      dataDir: workDir,
      outDir: path.join(workDir, 'int8'),
    })
  ).dir;
  writeFileSync(textFile, text);
}, 120_000);

/** The reference forward pass's perplexity over the same windows, computed from the safetensors values. */
function referencePerplexity(ids: readonly number[], windowTokens: number, strideTokens: number): number {
  const spec = {
    numHiddenLayers: 2,
    hiddenSize: 64,
    intermediateSize: 96,
    numAttentionHeads: 4,
    numKeyValueHeads: 2,
    headDim: 16,
    vocabSize: TINY_VOCAB,
    tieWordEmbeddings: true,
    rmsNormEps: 1e-5,
    ropeTheta: 1_000_000,
    ropeStyle: 'half',
    qkNorm: 'learned-per-head-before-rope',
    normPlacement: 'pre',
    attentionBias: false,
    maxContextTokens: 128,
    blockWeightSharing: 'none',
    ffnModuleName: 'mlp',
  } as const;
  const lookup = (name: string): Float32Array => {
    const values = checkpoint.values.get(name)!;
    if (!isProjectionWeight(name)) return values;
    const [rows, columns] = checkpoint.shapes.get(name) as [number, number];
    const out = new Float32Array(values.length);
    for (let r = 0; r < rows; r += 1)
      for (let c = 0; c < columns; c += 1) out[c * rows + r] = values[r * columns + c]!;
    return out;
  };
  let nll = 0;
  let scored = 0;
  for (const window of perplexityWindows(ids.length, { windowTokens, strideTokens })) {
    const logits = new ReferenceDecoder(spec, lookup).forward(ids.slice(window.begin, window.end));
    for (let t = window.scoreFrom; t < window.end; t += 1) {
      const row = logits.subarray((t - 1 - window.begin) * TINY_VOCAB, (t - window.begin) * TINY_VOCAB);
      const max = Math.max(...row);
      const logSum = max + Math.log(row.reduce((sum, value) => sum + Math.exp(value - max), 0));
      nll += logSum - row[ids[t]!]!;
      scored += 1;
    }
  }
  return Math.exp(nll / scored);
}

describe(
  'quality on real weights (an imported checkpoint against its int8 variant)',
  { timeout: 180_000 },
  () => {
    it('by default reads sequences the reference sampled itself (temperature 1, seeded, recorded from BOS)', async () => {
      const report = await measureQuality(reference, variant, {
        sequences: 2,
        positions: 24,
        continuationTokens: 8,
        seed: 3,
      });
      expect(QualityReportSchema.parse(report)).toEqual(report);
      expect(report).toMatchObject({
        tokenSource: 'self-sampled',
        seed: 3,
        sampling: { temperature: 1, seed: 3, startTokenIds: [1, 1] }, // the config's bos_token_id
        perplexity: null,
        text: null,
      });
      expect(report.overall.klMean).toBeGreaterThan(0);
      const same = await measureQuality(reference, variant, {
        sequences: 2,
        positions: 24,
        continuationTokens: 8,
        seed: 3,
      });
      expect(same.overall).toEqual(report.overall);
      const other = await measureQuality(reference, variant, {
        sequences: 2,
        positions: 24,
        continuationTokens: 8,
        seed: 4,
      });
      expect(other.overall.klMean).not.toBe(report.overall.klMean);
    });

    it('--text: sequences and greedy prompts from the text, and sliding-window perplexity equal to the reference forward pass', async () => {
      const ids = [...text].map((character) => character.charCodeAt(0));
      const report = await measureQuality(reference, variant, {
        textFile,
        sequences: 3,
        positions: 32,
        continuationTokens: 8,
        windowTokens: 40,
        strideTokens: 16,
      });
      expect(report).toMatchObject({
        tokenSource: 'text',
        seed: null,
        sampling: null,
        sequences: 3,
        text: { file: textFile, tokens: ids.length },
      });
      const perplexity = report.perplexity!;
      expect(perplexity).toMatchObject({
        windowTokens: 40,
        strideTokens: 16,
        textTokens: ids.length,
        scoredTokens: ids.length - 1,
      });
      expect(perplexity.reference.perplexity).toBeCloseTo(referencePerplexity(ids, 40, 16), 3);
      expect(perplexity.difference).toBeCloseTo(
        perplexity.variant.perplexity - perplexity.reference.perplexity,
        12,
      );
      expect(perplexity.variant.perplexity).not.toBe(perplexity.reference.perplexity);

      const itself = await measureQuality(reference, reference, {
        textFile,
        positions: 32,
        continuationTokens: 4,
        windowTokens: 40,
        strideTokens: 16,
      });
      expect(itself.perplexity!.difference).toBe(0);
    });

    it('refuses a text shorter than one sequence, and a stride past the window', async () => {
      await expect(measureQuality(reference, variant, { textFile, positions: 120 })).rejects.toThrow(
        new RegExp(`--text .*text\\.txt is ${text.length} tokens, fewer than one sequence of 120`),
      );
      await expect(
        measureQuality(reference, variant, { textFile, windowTokens: 16, strideTokens: 32 }),
      ).rejects.toThrow(/stride \(32\) is longer than the window \(16\)/);
    });
  },
);

describe('perplexityWindows', () => {
  it('scores every token but the first exactly once, each with its window’s earlier tokens as context', () => {
    const windows = perplexityWindows(100, { windowTokens: 40, strideTokens: 16 });
    expect(windows[0]).toEqual({ begin: 0, end: 40, scoreFrom: 1 });
    expect(windows[1]).toEqual({ begin: 16, end: 56, scoreFrom: 40 });
    expect(windows.at(-1)!.end).toBe(100);
    const scored = windows.flatMap((w) =>
      Array.from({ length: w.end - w.scoreFrom }, (_, i) => w.scoreFrom + i),
    );
    expect(scored).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
  });
});
