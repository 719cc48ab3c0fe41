import { describe, expect, it } from 'vitest';
import { TrialSpecSchema, type TrialResult } from '../schemas';
import { runtimePairs } from './runtime-pairs';

function result(
  runtime: 'onnxruntime' | 'llama.cpp',
  quant: 'int4' | 'int8',
  decode: number,
  prefill: number,
): TrialResult {
  const stats = (median: number) => ({ n: 3, mean: median, std: 0, median, min: median, max: median, cv: 0 });
  return {
    schemaVersion: 2,
    status: 'ok',
    spec: TrialSpecSchema.parse({
      model: { kind: 'catalog', id: 'mobilellm-r1-950m' },
      quant,
      runtime,
      contextTokens: 4096,
      promptTokens: 128,
      generateTokens: 32,
      ...(runtime === 'llama.cpp' ? {} : { threads: 2 }),
    }),
    environment: {
      cpu: 'test cpu',
      physicalCores: 2,
      logicalCores: 2,
      totalMemoryBytes: 1,
      os: 'linux',
      gpus: [],
      onnxruntimeVersion: '1.30',
      nodeVersion: '20',
      appVersion: '0',
    },
    startedAt: '',
    finishedAt: '',
    memoryTimeline: [],
    promptTokenIds: [],
    generatedTokenIds: [],
    warmupRuns: 1,
    repetitions: [],
    peakRssBytes: runtime === 'llama.cpp' ? 1500 : 1000,
    summary: {
      ttftMs: stats(1000 / prefill),
      prefillTokensPerSecond: stats(prefill),
      decodeTokensPerSecond: stats(decode),
      perTokenMs: { p50: 1, p90: 1, p99: 1, mean: 1 },
      noisy: false,
    },
    ...(runtime === 'llama.cpp'
      ? {
          llamaCpp: {
            bindingVersion: '3.21.1',
            release: 'v0.4.0',
            commit: 'abc',
            buildNumber: 1,
            backend: 'cpu',
            threads: 2,
            batchTokens: 512,
            contextCells: 4096,
            flashAttention: false,
            gpuLayers: 0,
            uvThreadpoolSize: 1,
            tensorTypes: {},
          },
        }
      : {
          session: {
            ep: 'cpu',
            intraOpThreads: 2,
            graphOptimizationLevel: 'all',
            enableCpuMemArena: true,
            enableMemPattern: true,
            sessionConfig: {},
          },
        }),
  } as TrialResult;
}

describe('runtime pairs: the same configuration on onnxruntime and llama.cpp', () => {
  it('pairs int4 with Q4_0 and int8 with Q8_0, never across presets, with llama.cpp ÷ onnxruntime', () => {
    const pairs = runtimePairs([
      result('onnxruntime', 'int4', 20, 80),
      result('llama.cpp', 'int4', 60, 280),
      result('onnxruntime', 'int8', 15, 75),
      result('llama.cpp', 'int8', 30, 150),
    ]);
    expect(pairs.map((pair) => [pair.label, pair.decodeRatio, pair.prefillRatio, pair.peakRssRatio])).toEqual(
      [
        ['mobilellm-r1-950m · int4 / Q4_0 · ctx 4096 · pp128+tg32 @ d3936 · cpu 2t', 3, 3.5, 1.5],
        ['mobilellm-r1-950m · int8 / Q8_0 · ctx 4096 · pp128+tg32 @ d3936 · cpu 2t', 2, 2, 1.5],
      ],
    );
  });

  it('leaves a configuration measured on one runtime only unpaired', () => {
    expect(
      runtimePairs([result('onnxruntime', 'int4', 20, 80), result('llama.cpp', 'int8', 30, 150)]),
    ).toEqual([]);
  });
});
