import { spawnSync } from 'node:child_process';
import { writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { QualityReportSchema } from '../api';
import { tinyCharTokenizer, writeTinyCheckpoint } from '../models/checkpoint/test/tiny-checkpoints';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-quantize-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const tiny = 'num_hidden_layers=2,hidden_size=64,intermediate_size=96,vocab_size=256,max_context_tokens=128';

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

describe('edge-workbench quantize / quality', { timeout: 180_000 }, () => {
  it('quantizes a catalog model, says what it did; quality refuses its synthetic weights, quoting the published scores', () => {
    const out = path.join(dataDir, 'r1-int4');
    const quantized = cli(
      'quantize',
      'mobilellm-r1-140m',
      '--override',
      tiny,
      '--preset',
      'int4',
      '--out',
      out,
    );
    expect(quantized.stderr).toBe('');
    expect(quantized.status).toBe(0);
    expect(quantized.stdout).toMatch(
      /preset\s+int4: weights nbits 4-bit, block 32, symmetric, accuracy level 4/,
    );
    expect(quantized.stdout).toMatch(/weights\s+.+ → .+ \(\d+\.\d+× smaller\)/);
    expect(existsSync(path.join(out, 'quantization.json'))).toBe(true);

    const quality = cli(
      'quality',
      out,
      '--positions',
      '16',
      '--sequences',
      '2',
      '--continuation',
      '4',
      '--json',
    );
    expect(quality.status).toBe(1);
    expect(quality.stderr).toMatch(
      /has synthetic \(seeded\) weights .*quality needs real weights.*models import mobilellm-r1-140m.*Published scores of MobileLLM-R1-140M: MATH500 6\.2%, GSM8K 4\.1%/,
    );
    expect(quality.stdout).toBe('');
  });

  it('quality of an imported checkpoint’s int8 variant on a text: self-sampled KL, perplexity with window and stride', async () => {
    const checkpoint = await writeTinyCheckpoint(path.join(dataDir, 'ckpt'), 'smollm2', {
      dtype: 'BF16',
      tokenizerJson: tinyCharTokenizer(),
    });
    const fp32 = path.join(dataDir, 'imported');
    expect(cli('models', 'import', checkpoint.dir, '--style', 'standard', '--out', fp32).status).toBe(0);
    const int8 = path.join(dataDir, 'imported-int8');
    expect(cli('quantize', fp32, '--preset', 'int8', '--out', int8).status).toBe(0);
    const textFile = path.join(dataDir, 'text.txt');
    writeFileSync(textFile, 'Every number is measured and means exactly what its label says. '.repeat(3));
    const quality = cli(
      'quality',
      int8,
      '--text',
      textFile,
      '--positions',
      '32',
      '--sequences',
      '2',
      '--continuation',
      '4',
      '--window',
      '64',
    );
    expect(quality.stderr).toBe('');
    expect(quality.stdout).toMatch(/tokens +2 sequences of .*text\.txt \(192 tokens\) × 32 positions/);
    expect(quality.stdout).toMatch(
      /perplexity +reference [\d.]+, variant [\d.]+, difference [+-][\d.]+ \([+-]?[\d.]+%\)/,
    );
    expect(quality.stdout).toMatch(/191 tokens scored of 192; window 64, stride 32/);
    const json = cli(
      'quality',
      int8,
      '--positions',
      '16',
      '--sequences',
      '2',
      '--continuation',
      '4',
      '--json',
    );
    const report = QualityReportSchema.parse(JSON.parse(json.stdout));
    expect(report).toMatchObject({
      tokenSource: 'self-sampled',
      sampling: { temperature: 1, seed: 0 },
      perplexity: null,
    });
    expect(report.bytes.compression).toBeGreaterThan(2);
  });

  it('run --quant measures the quantized variant', () => {
    const { status, stdout } = cli(
      'run',
      '--model',
      'smollm2-135m',
      '--override',
      tiny,
      '--quant',
      'q4f16',
      '--context',
      '64',
      '--prompt',
      '8',
      '--gen',
      '4',
      '--reps',
      '1',
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/ · q4f16 · ctx 64 · pp8\+tg4 @ d52 · cpu/);
  });

  it.each([
    [
      ['quantize', 'smollm2-135m', '--override', tiny, '--preset', 'int3'],
      /Unknown quantization preset "int3"/,
    ],
    [['quantize', 'smollm2-135m', '--override', tiny, '--preset', 'int4', '--block-size', '24'], /blockSize/],
    [['quality', dataDir], /has no quantization\.json: say which fp32 model to compare with, --against/],
    [
      [
        'run',
        '--model',
        'smollm2-135m',
        '--override',
        tiny,
        '--quant',
        'int2',
        '--context',
        '64',
        '--prompt',
        '8',
        '--gen',
        '4',
      ],
      /Unknown quantization preset "int2"/,
    ],
  ])('%j fails with one clear line', (args, message) => {
    const { status, stderr } = cli(...args);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
