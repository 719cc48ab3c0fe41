import { describe, expect, it } from 'vitest';
import { assertProviderUsable, createSession, SessionError, sessionOptions } from './session-factory';
import { listBackends } from './onnxruntime-backends';

const base = {
  ep: 'cpu' as const,
  graphOptimizationLevel: 'all' as const,
  enableCpuMemArena: true,
  enableMemPattern: false,
  sessionConfig: {},
};

describe('sessionOptions', () => {
  it('passes what was set and leaves out what was not (the binding rejects undefined values)', () => {
    const options = sessionOptions(base);
    expect(options).toEqual({
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      enableCpuMemArena: true,
      enableMemPattern: false,
      logSeverityLevel: 3,
    });
    expect(Object.values(options)).not.toContain(undefined);
    expect(sessionOptions({ ...base, threads: 2 }).intraOpNumThreads).toBe(2);
  });

  it('nests dotted session config keys so the binding flattens them back intact', () => {
    const options = sessionOptions({
      ...base,
      sessionConfig: {
        'session.qdq_matmulnbits_accuracy_level': '4',
        'session.intra_op.allow_spinning': '0',
      },
    });
    expect(options.extra).toEqual({
      session: { qdq_matmulnbits_accuracy_level: '4', intra_op: { allow_spinning: '0' } },
    });
  });

  it('turns on the profiler with its prefix', () => {
    expect(sessionOptions({ ...base, profileFilePrefix: '/tmp/p' })).toMatchObject({
      enableProfiling: true,
      profileFilePrefix: '/tmp/p',
    });
  });
});

describe('assertProviderUsable', () => {
  it('accepts the CPU provider', () => {
    expect(() => assertProviderUsable('cpu')).not.toThrow();
  });
  it('refuses a provider that is not installed or not in this build, saying what to do', () => {
    const cuda = listBackends().find((backend) => backend.name === 'cuda');
    if (cuda?.installed) return; // a machine with the CUDA opt-in installed
    expect(() => assertProviderUsable('cuda')).toThrow(
      cuda ? /not usable yet.*README/ : /not part of this onnxruntime-node build/,
    );
    expect(() => assertProviderUsable('coreml')).toThrow(SessionError);
  });
});

describe('createSession', () => {
  it('names the model and the provider when onnxruntime cannot load it', async () => {
    await expect(createSession('/nonexistent/model.onnx', base)).rejects.toThrow(
      /onnxruntime could not load \/nonexistent\/model\.onnx on cpu/,
    );
  });
});
