import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrialSpecSchema, type TrialSpecInput } from '../api';
import { runtimeOverheadBytes } from '../../common/analysis/kv-pressure';
import { estimateTrial, planSweep, SweepSpecError, trialKey } from './sweep-planner';
import { folderKey } from './trial-estimate';

const estimates = { bandwidthBytesPerSecond: 10e9, bandwidthSource: 'a fixed 10 GB/s for tests' };
const r1 = {
  kind: 'catalog' as const,
  id: 'mobilellm-r1-950m',
  overrides: {},
  style: 'fused' as const,
  seed: 0,
};

describe('planSweep', () => {
  it('expands the cartesian product, each trial with a stable key and an estimate', () => {
    const plan = planSweep(
      { models: [r1], quants: ['fp32', 'int4'], contexts: [512, 2048], prompts: [128], gens: [64] },
      estimates,
    );
    expect(plan.trials).toHaveLength(4);
    expect(new Set(plan.trials.map((t) => t.key)).size).toBe(4);
    const again = planSweep({ models: [r1], quants: ['fp32', 'int4'], contexts: [512, 2048] }, estimates);
    expect(again.trials.map((t) => t.key)).toEqual(plan.trials.map((t) => t.key));
  });

  it('estimates weights, KV at the full length and overhead before running', () => {
    const plan = planSweep(
      {
        models: [r1],
        quants: ['fp32', 'int4'],
        contexts: [32768],
        prompts: [128],
        gens: [64],
        kvDtypes: ['float16'],
      },
      estimates,
    );
    const [fp32, int4] = plan.trials;
    expect(fp32!.estimate.weightsBytes).toBe(949_685_760 * 4);
    expect(int4!.estimate.weightsBytes).toBeCloseTo(949_685_760 * 0.625, 0); // 4-bit + an fp32 scale per 32
    // fp16 KV: 2·22·6·64·2 bytes per token; the depth is the end of the window, so the whole context
    expect(fp32!.estimate.kvBytes).toBe(33_792 * 32768);
    expect(fp32!.spec.depthTokens).toBe(32768 - 128 - 64);
    expect(fp32!.estimate.peakBytes).toBe(
      fp32!.estimate.weightsBytes + fp32!.estimate.kvBytes + fp32!.estimate.overheadBytes,
    );
    // onnxruntime-node copies the cache out each step: the shared buffer and the last copy are held
    expect(fp32!.estimate.overheadBytes).toBe(
      runtimeOverheadBytes(fp32!.estimate.weightsBytes, 'fp32') + fp32!.estimate.kvBytes,
    );
    expect(int4!.estimate.peakBytes).toBeLessThan(fp32!.estimate.peakBytes);
  });

  it('marks what will not fit a budget, and what is tight', () => {
    const plan = planSweep(
      { models: [r1], quants: ['fp32', 'int4'], contexts: [2048], memoryBudgetBytes: 4e9 },
      estimates,
    );
    expect(plan.trials.map((t) => t.estimate.fit)).toEqual(['will-not-fit', 'fits']);
    const peak = plan.trials[1]!.estimate.peakBytes;
    const tight = estimateTrial(plan.trials[1]!.spec, estimates, peak / 0.9);
    expect(tight.fit).toBe('tight');
  });

  it('drops contradictory combinations and refuses a sweep with nothing runnable', () => {
    const plan = planSweep({ models: [r1], contexts: [256, 4096], prompts: [200], gens: [100] }, estimates);
    expect(plan.trials).toHaveLength(1);
    expect(plan.contradictions[0]!.reason).toMatch(/exceed the 256-token context/);
    expect(() => planSweep({ models: [r1], contexts: [128], prompts: [200] }, estimates)).toThrow(
      /no runnable trial/,
    );
  });

  it.each([
    [{ models: [] }, /sweep\.models/],
    [{ models: [r1], quants: ['int3'] }, /Unknown quantization preset "int3"/],
    [{ models: [{ ...r1, id: 'gpt-9' }] }, /Unknown model "gpt-9"/],
    [{ models: [r1], contexts: [] }, /sweep\.contexts/],
  ])('refuses %j with the reason', (spec, message) => {
    expect(() => planSweep(spec as Parameters<typeof planSweep>[0], estimates)).toThrow(SweepSpecError);
    expect(() => planSweep(spec as Parameters<typeof planSweep>[0], estimates)).toThrow(message);
  });

  it('plans depths at the end of each context window by default, and explicit ones beside', () => {
    const plan = planSweep(
      { models: [r1], contexts: [512, 4096], depths: ['end', 0], prompts: [128], gens: [64] },
      estimates,
    );
    expect(plan.trials.map((t) => [t.spec.contextTokens, t.spec.depthTokens, t.spec.depthSource])).toEqual([
      [512, 320, 'context'],
      [512, 0, 'given'],
      [4096, 3904, 'context'],
      [4096, 0, 'given'],
    ]);
    const tooShort = planSweep({ models: [r1], contexts: [128, 512], prompts: [128], gens: [64] }, estimates);
    expect(tooShort.trials).toHaveLength(1);
    expect(tooShort.contradictions[0]!.reason).toBe('prompt 128 + generate 64 exceed the 128-token context');
  });

  it('a KV buffer list is a dimension: grow and shared are two configurations, estimated apart', () => {
    const plan = planSweep(
      { models: [r1], contexts: [4096], depths: [0], kvBuffers: ['grow', 'shared'] },
      estimates,
    );
    const [grow, shared] = plan.trials;
    expect(grow!.key).not.toBe(shared!.key);
    // both hold the tokens the sequence reaches; a growing cache is held once more (onnxruntime's own
    // present beside the next past), so it needs more
    expect(shared!.estimate.kvBytes).toBe(67_584 * (128 + 64));
    expect(grow!.estimate.kvBytes).toBe(67_584 * (128 + 64));
    expect(grow!.estimate.peakBytes - shared!.estimate.peakBytes).toBe(67_584 * (128 + 64));
  });

  it('int8-dyn keeps the fp32 embedding table beside its int8 head', () => {
    const [int8, dyn] = planSweep({ models: [r1], quants: ['int8', 'int8-dyn'] }, estimates).trials;
    const table = 128_256 * 1536 * 4; // vocab × hidden, fp32
    expect(dyn!.estimate.weightsBytes).toBeCloseTo(949_685_760 * (1 + 4 / 1024) + table, 0);
    expect(int8!.estimate.weightsBytes).toBeCloseTo(949_685_760 * (1 + 4 / 32), 0);
  });

  it('a folder model is estimated from the variant it opens, at that variant’s real dtype', () => {
    const folder = { kind: 'folder' as const, path: '/models/r1', variant: 'fp16' };
    const facts = {
      parameters: 1_000_000,
      weightsBytes: 2_000_000, // the fp16 variant as stored
      kvBytesPerToken: 1000, // at fp16
      kvElementBytes: 2,
      vocabSize: 1000,
      hiddenSize: 100,
      tiedEmbeddings: true,
      canShareKvBuffer: false,
    };
    const context = { ...estimates, folders: new Map([[folderKey(folder), facts]]) };
    const [asIs, int4] = planSweep(
      { models: [folder], quants: ['fp32', 'int4'], contexts: [1024], depths: [0] },
      context,
    ).trials;
    expect(asIs!.estimate.weightsBytes).toBe(2_000_000); // not 4 × parameters
    expect(asIs!.estimate.kvBytes).toBe(1000 * 192);
    expect(int4!.estimate.weightsBytes).toBeCloseTo(1_000_000 * 0.625, 0);
    expect(int4!.estimate.kvBytes).toBe(2000 * 192); // int4's fp32 KV: twice the fp16 variant's
  });

  it('gives every trial the sweep’s prompt text, whose real length is set when it is encoded', () => {
    const plan = planSweep(
      {
        models: [r1],
        quants: ['fp32', 'int4'],
        contexts: [512],
        prompts: [16],
        gens: [8],
        promptText: 'Hello there',
      },
      estimates,
    );
    expect(plan.trials.map((t) => t.spec.promptText)).toEqual(['Hello there', 'Hello there']);
    // the depth follows the encoded prompt at run time, not the planning estimate's 16 tokens
    expect(plan.trials.map((t) => t.spec.depthSource)).toEqual(['context', 'context']);
  });

  it('keys ignore what does not define the configuration (reps, warmups)', () => {
    const [a] = planSweep({ models: [r1], repetitions: 3 }, estimates).trials;
    const [b] = planSweep({ models: [r1], repetitions: 7 }, estimates).trials;
    expect(trialKey(a!.spec)).toBe(trialKey(b!.spec));
  });

  it('keys stay what they were, so a stored run resumes', () => {
    const spec = (input: TrialSpecInput) => TrialSpecSchema.parse(input);
    expect(
      trialKey(
        spec({
          model: { kind: 'catalog', id: 'mobilellm-r1-140m' },
          quant: 'int4',
          contextTokens: 4096,
          threads: 2,
        }),
      ),
    ).toBe('55551d1d96599bb5');
    expect(
      trialKey(
        spec({
          model: { kind: 'folder', path: '/models/smol', variant: 'q4' },
          quant: 'fp16',
          kvDtype: 'float16',
          contextTokens: 2048,
          depthTokens: 512,
          kvBuffer: 'shared',
          fill: 'model',
          ep: 'cuda',
        }),
      ),
    ).toBe('2e6c8d704eac9aff');
  });
});

describe('planSweep across runtimes', () => {
  it('runs each model × preset on both runtimes, back to back, and drops presets llama.cpp has no format for', () => {
    const plan = planSweep(
      {
        models: [r1],
        quants: ['int4', 'int8-dyn'],
        contexts: [512, 4096],
        runtimes: ['onnxruntime', 'llama.cpp'],
        fill: 'synthetic',
      },
      estimates,
    );
    expect(plan.trials.map((trial) => [trial.spec.runtime, trial.spec.quant, trial.spec.fill])).toEqual([
      ['onnxruntime', 'int4', 'synthetic'],
      ['llama.cpp', 'int4', 'model'], // llama.cpp fills its depth with the model
      ['onnxruntime', 'int4', 'synthetic'],
      ['llama.cpp', 'int4', 'model'],
      ['onnxruntime', 'int8-dyn', 'synthetic'],
      ['onnxruntime', 'int8-dyn', 'synthetic'],
    ]);
    expect(plan.contradictions.map((c) => c.reason)).toEqual([
      'int8-dyn has no llama.cpp counterpart',
      'int8-dyn has no llama.cpp counterpart',
    ]);
    // distinct identities, so resume tells the runtimes apart; onnxruntime's keys stay as they were
    expect(new Set(plan.trials.map((trial) => trial.key)).size).toBe(6);
    const onnxOnly = planSweep({ models: [r1], quants: ['int4'], contexts: [512] }, estimates);
    expect(plan.trials[0]!.key).toBe(onnxOnly.trials[0]!.key);
    // llama.cpp's Q4_0 estimate: 18 bytes per 32 weights, and the repacked copy on the cpu
    const llama = plan.trials[1]!.estimate;
    const onnx = plan.trials[0]!.estimate;
    expect(llama.weightsBytes).toBeLessThan(onnx.weightsBytes);
    expect(llama.overheadBytes).toBeGreaterThanOrEqual(llama.weightsBytes);
  });

  it('plans an imported checkpoint on llama.cpp in the presets GGUF has, and refuses other ONNX folders', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ew-planner-'));
    try {
      const imported = path.join(root, 'imported');
      const plain = path.join(root, 'plain');
      mkdirSync(imported);
      mkdirSync(plain);
      writeFileSync(path.join(imported, 'import.json'), '{}');
      const plan = planSweep(
        {
          models: [
            { kind: 'folder', path: imported },
            { kind: 'folder', path: plain },
          ],
          quants: ['fp32', 'int8-dyn'],
          contexts: [512],
          runtimes: ['llama.cpp'],
        },
        estimates,
      );
      expect(plan.trials.map((trial) => [trial.spec.model, trial.spec.quant])).toEqual([
        [{ kind: 'folder', path: imported }, 'fp32'],
      ]);
      expect(plan.contradictions.map((c) => c.reason).sort()).toEqual([
        'int8-dyn has no llama.cpp counterpart',
        'llama.cpp runs .gguf files and imported checkpoints, not other ONNX folders',
        'llama.cpp runs .gguf files and imported checkpoints, not other ONNX folders',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
