import { describe, expect, it } from 'vitest';
import {
  configurationKeyWithoutDepth,
  modelKey,
  modelName,
  modelTitle,
  testName,
  trialIdentity,
  trialLabel,
  trialTitle,
} from './labels';
import { TrialSpecSchema, type TrialSpecInput } from './schemas';

const spec = (input: Partial<TrialSpecInput> = {}) =>
  TrialSpecSchema.parse({ model: { kind: 'catalog', id: 'ui-tiny' }, ...input });

describe('model names', () => {
  it('show a folder by its name, with the whole path for a hover title', () => {
    const folder = { kind: 'folder' as const, path: '/models/onnx-community/MobileLLM-R1-140M-ONNX/' };
    expect(modelName(folder)).toBe('MobileLLM-R1-140M-ONNX');
    expect(modelTitle(folder)).toBe('/models/onnx-community/MobileLLM-R1-140M-ONNX/');
    expect(modelName({ kind: 'folder', path: 'C:\\models\\smol', variant: 'q4' })).toBe('smol (q4)');
  });

  it('show a catalog model by its id, with what-if overrides and a non-default graph style', () => {
    const model = spec({
      model: {
        kind: 'catalog',
        id: 'mobilellm-r1-140m',
        overrides: { num_hidden_layers: 4 },
        style: 'standard',
      },
    }).model;
    expect(modelName(model)).toBe('mobilellm-r1-140m [num_hidden_layers=4] (standard graph)');
    expect(modelName(spec().model)).toBe('ui-tiny');
  });

  it('file quality under the engine’s model key, as stored runs do', () => {
    expect(
      modelKey({ kind: 'catalog', id: 'mobilellm-r1-140m', overrides: {}, style: 'fused', seed: 0 }),
    ).toBe('mobilellm-r1-140m fused');
    expect(
      modelKey({
        kind: 'catalog',
        id: 'mobilellm-r1-140m',
        overrides: { num_hidden_layers: 4 },
        style: 'standard',
        seed: 0,
      }),
    ).toBe('mobilellm-r1-140m[num_hidden_layers=4] standard');
    expect(modelKey({ kind: 'folder', path: '/models/smol' })).toBe('/models/smol');
  });
});

describe('test names, in llama-bench’s words', () => {
  it('name prompt and generation, and the depth when the cache held any', () => {
    expect(testName({ promptTokens: 128, generateTokens: 64, depthTokens: 4096 })).toBe('pp128+tg64 @ d4096');
    expect(testName({ promptTokens: 512, generateTokens: 128, depthTokens: 0 })).toBe('pp512+tg128');
    expect(testName({ promptTokens: 512, generateTokens: 128 })).toBe('pp512+tg128');
    // an imported llama-bench record timed one phase: its own name
    expect(testName({ promptTokens: 512, generateTokens: 0, depthTokens: 0 })).toBe('pp512');
    expect(testName({ promptTokens: 0, generateTokens: 128, depthTokens: 512 })).toBe('tg128 @ d512');
  });
});

describe('trial labels', () => {
  it('put one configuration on one line', () => {
    expect(trialLabel(spec({ quant: 'int4', contextTokens: 4096, threads: 2 }))).toBe(
      'ui-tiny · int4 · ctx 4096 · pp128+tg64 @ d3904 · cpu 2t',
    );
    expect(trialLabel(spec({ contextTokens: 192 }))).toBe('ui-tiny · fp32 · ctx 192 · pp128+tg64 · cpu');
  });

  it('name a KV dtype, a chosen KV buffer and a model fill', () => {
    expect(
      trialLabel(
        spec({ quant: 'fp16', kvDtype: 'float32', kvBuffer: 'shared', fillText: 'hello', depthTokens: 512 }),
      ),
    ).toBe(
      'ui-tiny · fp16 · KV float32 · ctx 2048 · pp128+tg64 @ d512 · shared KV buffer · model fill · cpu',
    );
  });

  it('show a folder by its name, and by its whole path in the hover title', () => {
    const folder = spec({
      model: { kind: 'folder', path: '/models/onnx-community/smol' },
      contextTokens: 1024,
    });
    expect(trialLabel(folder)).toBe('smol · fp32 · ctx 1024 · pp128+tg64 @ d832 · cpu');
    expect(trialTitle(folder)).toBe(
      '/models/onnx-community/smol · fp32 · ctx 1024 · pp128+tg64 @ d832 · cpu',
    );
  });

  it('leave context and depth out for a line across them', () => {
    expect(trialLabel(spec({ quant: 'int4', threads: 8 }), { context: false })).toBe(
      'ui-tiny · int4 · pp128+tg64 · cpu 8t',
    );
  });
});

describe('configuration identities', () => {
  it('keep the trial keys of stored runs: the identity is the one the planner always hashed', () => {
    const a = spec({
      model: { kind: 'catalog', id: 'mobilellm-r1-140m' },
      quant: 'int4',
      contextTokens: 4096,
      threads: 2,
    });
    expect(trialIdentity(a)).toBe(
      JSON.stringify([a.model, 'int4', 'preset', 4096, 3904, 128, 64, 'cpu', 2, 'auto', 'synthetic']),
    );
  });

  it('put trials that differ only in context and depth under one key without depth', () => {
    const end4096 = spec({ contextTokens: 4096 });
    const given = spec({ contextTokens: 8192, depthTokens: 100 });
    expect(configurationKeyWithoutDepth(end4096)).toBe(configurationKeyWithoutDepth(given));
    expect(configurationKeyWithoutDepth(end4096)).not.toBe(
      configurationKeyWithoutDepth(spec({ contextTokens: 4096, promptTokens: 256 })),
    );
    expect(trialIdentity(end4096)).not.toBe(trialIdentity(given));
  });
});
