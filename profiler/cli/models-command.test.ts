import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelInspectionSchema } from '../api';
import { parameterCount, parseOverrides, resolveModel } from '../../common/catalog';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'edge-workbench.mjs');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-models-cli-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, '--data-dir', workDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

const tinyOverrides =
  'num_hidden_layers=2,hidden_size=64,intermediate_size=96,vocab_size=256,max_context_tokens=64';

describe('edge-workbench models', () => {
  it('list --json gives every catalog model, its computed count equal to the published one', () => {
    const { status, stdout } = cli('models', 'list', '--json');
    expect(status).toBe(0);
    const rows = JSON.parse(stdout) as {
      id: string;
      computedParameters: number;
      publishedParameters: number;
    }[];
    expect(rows.map((row) => row.id)).toContain('mobilellm-r1-950m');
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row.computedParameters).toBe(row.publishedParameters);
  });

  it('list prints a table a person can read', () => {
    const { stdout } = cli('models', 'list');
    expect(stdout).toMatch(/^mobilellm-r1-140m\s+140\.2M\s+15\s+576\s+9\/3/m);
  });

  it('build writes the model folder under the data folder and says what it built', () => {
    const { status, stdout, stderr } = cli(
      'models',
      'build',
      'smollm2-135m',
      '--override',
      tinyOverrides,
      '--seed',
      '3',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const folder = /folder\s+(.+)$/m.exec(stdout)?.[1];
    expect(folder).toBe(
      path.join(
        workDir,
        'models',
        'synthetic',
        `smollm2-135m-fused-seed3-${tinyOverrides.replaceAll(',', '_')}`,
      ),
    );
    expect(existsSync(path.join(folder!, 'model.onnx'))).toBe(true);
    expect(stdout).toMatch(/what-if: overrides changed the shapes/);
  });

  it('refuses to overwrite an existing folder without --force', () => {
    const out = path.join(workDir, 'taken');
    expect(cli('models', 'build', 'smollm2-135m', '--override', tinyOverrides, '--out', out).status).toBe(0);
    const again = cli('models', 'build', 'smollm2-135m', '--override', tinyOverrides, '--out', out);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(
      cli('models', 'build', 'smollm2-135m', '--override', tinyOverrides, '--out', out, '--force').status,
    ).toBe(0);
  });

  it('inspect reads a built folder: layout, layers, KV per token, operators; --json validates', () => {
    const out = path.join(workDir, 'to-inspect');
    expect(cli('models', 'build', 'qwen3-0.6b', '--override', tinyOverrides, '--out', out).status).toBe(0);
    const { status, stdout } = cli('models', 'inspect', out);
    expect(status).toBe(0);
    expect(stdout).toMatch(/layout\s+genai/);
    expect(stdout).toMatch(/decoder\s+2 layers, KV BNSH float32, 8 KV heads × head_dim 128/);
    expect(stdout).toMatch(/KV per token\s+16\.0 KiB/); // 2 · 2 layers · 8 · 128 · 4 B
    expect(stdout).toMatch(/com\.microsoft\.GroupQueryAttention\s+2/);
    // learned parameters first, what the file stores (RoPE tables, constants) on the next line
    const learned = parameterCount(resolveModel('qwen3-0.6b', parseOverrides(tinyOverrides)).spec);
    expect(stdout).toContain(`parameters    ${learned.toLocaleString('en-US')} (`);
    expect(stdout).toMatch(/learned\n\s+[\d,]+ \([^)]+\) initializer elements as stored/);
    expect(stdout).toMatch(/read \/ token\s+[\d.]+ [KM]iB of weights per decode step/);
    const json = cli('models', 'inspect', out, '--json');
    const inspection = ModelInspectionSchema.parse(JSON.parse(json.stdout));
    expect(inspection.kvBytesPerToken).toBe(16384);
    expect(inspection.parameters.learned).toBe(learned);
  });

  it('inspect of a folder with no model says where it looked', () => {
    const { status, stderr } = cli('models', 'inspect', workDir);
    expect(status).toBe(1);
    expect(stderr).toMatch(/has no decoder: looked for genai_config\.json/);
  });

  it.each([
    [['models', 'build', 'gpt-5'], /Unknown model "gpt-5"\. Known ids: mobilellm-r1-140m/],
    [['models', 'build', 'smollm2-135m', '--override', 'layers=2'], /Unknown override key "layers"/],
    [['models', 'build', 'smollm2-135m', '--override', 'num_hidden_layers=two'], /num_hidden_layers/],
    [['models', 'build', 'smollm2-135m', '--style', 'fast'], /'fused'.*'standard'/],
  ])('%j fails with one clear line', (args, message) => {
    const { status, stderr } = cli(...args);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
