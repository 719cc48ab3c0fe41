import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OpBreakdownSchema } from '../api';
import { createModelWriter, DataType, node, valueInfo } from '../onnx';
import { seededFloats, useTempDir } from '../onnx/test/fixtures';
import { findProfileFile, opBreakdownFromEvents, parseOrtProfile, type ProfilePhase } from './ort-profile';

const dir = useTempDir('ort-profile-test-');

/** A Chrome-trace "complete" event as onnxruntime writes it (µs). */
function event(cat: string, name: string, ts: number, dur: number, opName?: string) {
  return {
    cat,
    pid: 1,
    tid: 1,
    dur,
    ts,
    ph: 'X',
    name,
    args: opName === undefined ? {} : { op_name: opName, provider: 'CPUExecutionProvider' },
  };
}

/** Three runs at 100, 200 and 300 µs; node events are listed before their model_run, as onnxruntime does. */
const syntheticProfile = [
  event('Session', 'model_loading_uri', 0, 50),
  event('Session', 'session_initialization', 50, 40),
  // run 1 (ignored)
  event('Node', 'mm_kernel_time', 105, 30, 'MatMul'),
  event('Session', 'model_run', 100, 50),
  // run 2 (prefill): a fence event, a contrib op, a Loop whose time is its body's
  event('Node', 'mm_fence_before', 201, 2, 'MatMul'),
  event('Node', 'mm_kernel_time', 203, 40, 'MatMul'),
  event('Node', 'gqa_kernel_time', 244, 20, 'GroupQueryAttention'),
  event('Node', 'loop_kernel_time', 265, 9, 'Loop'),
  event('Node', 'add_kernel_time', 266, 8, 'Add'),
  event('Session', 'model_run', 200, 80),
  // run 3 (decode): two MatMul nodes and a norm that is ONNX-domain in onnxruntime
  event('Node', 'mm_kernel_time', 301, 6, 'MatMul'),
  event('Node', 'mm2_kernel_time', 308, 2, 'MatMul'),
  event('Node', 'norm_kernel_time', 311, 2, 'SimplifiedLayerNormalization'),
  event('Node', 'custom_kernel_time', 314, 4, 'MyOp'),
  event('Session', 'model_run', 300, 20),
  // outside every run: not counted
  event('Node', 'mm_kernel_time', 500, 99, 'MatMul'),
];

describe('op breakdown from a synthetic profile', () => {
  const phases: ProfilePhase[] = ['ignore', 'prefill', 'decode'];

  it('assigns node events to the run whose window holds them and strips the name suffixes', () => {
    const breakdown = opBreakdownFromEvents(syntheticProfile, 'synthetic.json', {
      phases,
      nodeDomains: new Map([['custom', 'org.example']]),
    });
    expect(OpBreakdownSchema.parse(breakdown)).toEqual(breakdown);
    expect(breakdown.prefill).toEqual([
      // 2 µs of fence + 40 µs of kernel, one invocation
      { opType: 'MatMul', totalMs: 0.042, share: 42 / 70, count: 1 },
      { opType: 'com.microsoft.GroupQueryAttention', totalMs: 0.02, share: 20 / 70, count: 1 },
      { opType: 'Add', totalMs: 0.008, share: 8 / 70, count: 1 },
    ]);
    expect(breakdown.prefillNodes).toEqual([
      { node: 'mm', opType: 'MatMul', totalMs: 0.042 },
      { node: 'gqa', opType: 'com.microsoft.GroupQueryAttention', totalMs: 0.02 },
      { node: 'add', opType: 'Add', totalMs: 0.008 },
    ]);
    expect(breakdown.decode).toEqual([
      { opType: 'MatMul', totalMs: 0.008, share: 8 / 14, count: 2 },
      { opType: 'org.example.MyOp', totalMs: 0.004, share: 4 / 14, count: 1 },
      { opType: 'SimplifiedLayerNormalization', totalMs: 0.002, share: 2 / 14, count: 1 },
    ]);
    expect(breakdown.decodeNodes.map((n) => n.node)).toEqual(['mm', 'custom', 'mm2', 'norm']);
    expect(breakdown.profileFile).toBe('synthetic.json');
  });

  it('keeps only the slowest nodes asked for', () => {
    const breakdown = opBreakdownFromEvents(syntheticProfile, 'synthetic.json', { phases, topNodes: 1 });
    expect(breakdown.decodeNodes).toEqual([{ node: 'mm', opType: 'MatMul', totalMs: 0.006 }]);
  });

  it('refuses phases that do not match the runs in the profile', () => {
    expect(() =>
      opBreakdownFromEvents(syntheticProfile, 'synthetic.json', { phases: ['prefill', 'decode'] }),
    ).toThrow(/synthetic\.json holds 3 session runs .* but 2 phases/);
  });

  it('names the file when it is missing, not JSON, or not a trace', async () => {
    const options = { phases };
    const missing = path.join(dir.path, 'missing.json');
    await expect(parseOrtProfile(missing, options)).rejects.toThrow(missing);
    const partial = path.join(dir.path, 'partial.json');
    await writeFile(partial, '[\n{"cat" : "Session", "name" : "model_run",');
    await expect(parseOrtProfile(partial, options)).rejects.toThrow(
      `${partial} is not a complete onnxruntime profile`,
    );
    const notTrace = path.join(dir.path, 'object.json');
    await writeFile(notTrace, '{"traceEvents": []}');
    await expect(parseOrtProfile(notTrace, options)).rejects.toThrow(`${notTrace} is not an onnxruntime`);
    await writeFile(notTrace, '[{"cat": "Node"}]');
    await expect(parseOrtProfile(notTrace, options)).rejects.toThrow(`${notTrace}: trace event 0`);
  });
});

describe('findProfileFile', () => {
  it('picks the newest file with the prefix and a timestamp, nothing else', async () => {
    const older = path.join(dir.path, 'prof_2026-01-01_10-00-00_001.json');
    const newer = path.join(dir.path, 'prof_2026-01-01_10-00-05.json');
    await writeFile(older, '[]');
    await writeFile(newer, '[]');
    await utimes(older, new Date(1_000_000), new Date(1_000_000));
    await utimes(newer, new Date(2_000_000), new Date(2_000_000));
    // another prefix that starts the same, and a non-profile file
    await writeFile(path.join(dir.path, 'prof_extra_2026-01-01_11-00-00_000.json'), '[]');
    await writeFile(path.join(dir.path, 'prof_notes.json'), '[]');
    expect(await findProfileFile(path.join(dir.path, 'prof'))).toBe(newer);
  });

  it('says what to do when there is none', async () => {
    await expect(findProfileFile(path.join(dir.path, 'none', 'prof'))).rejects.toThrow(
      /No onnxruntime profile .*prof_<timestamp>\.json.*endProfiling/,
    );
    await expect(findProfileFile(path.join(dir.path, 'prof'))).rejects.toThrow(/No onnxruntime profile/);
  });
});

describe('op breakdown from a real onnxruntime profile', () => {
  it('times MatMul and Relu once in the prefill run and once in the decode run', async () => {
    const [inputs, outputs] = [64, 32];
    const writer = createModelWriter({ dir: dir.path });
    await writer.addInitializer('W', DataType.FLOAT, [inputs, outputs], seededFloats(inputs * outputs, 1));
    const written = await writer.finish({
      nodes: [node('MatMul', ['X', 'W'], ['H']), node('Relu', ['H'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, ['batch', inputs])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['batch', outputs])],
    });
    const prefix = path.join(dir.path, 'prof');
    const session = await ort.InferenceSession.create(written.modelPath, {
      enableProfiling: true,
      profileFilePrefix: prefix,
    });
    try {
      const x = new ort.Tensor('float32', seededFloats(2 * inputs, 2), [2, inputs]);
      for (let run = 0; run < 3; run++) await session.run({ X: x });
      session.endProfiling();
    } finally {
      await session.release();
    }

    const profileFile = await findProfileFile(prefix);
    expect(path.dirname(profileFile)).toBe(dir.path);
    const { insideMs, ...breakdown } = await parseOrtProfile(profileFile, {
      phases: ['ignore', 'prefill', 'decode'],
    });
    expect(OpBreakdownSchema.parse(breakdown)).toEqual(breakdown);
    // one measured run per phase, timed inside onnxruntime
    expect(insideMs.prefill).toHaveLength(1);
    expect(insideMs.decode).toHaveLength(1);
    expect(insideMs.decode[0]).toBeGreaterThan(0);
    expect(breakdown.profileFile).toBe(profileFile);
    for (const ops of [breakdown.prefill, breakdown.decode]) {
      expect(ops.map((op) => op.opType).sort()).toEqual(['MatMul', 'Relu']);
      for (const op of ops) {
        expect(op.count).toBe(1);
        expect(op.totalMs).toBeGreaterThan(0);
      }
      expect(ops.reduce((sum, op) => sum + op.share, 0)).toBeCloseTo(1, 9);
    }
    for (const nodes of [breakdown.prefillNodes, breakdown.decodeNodes]) {
      expect(nodes.map((n) => n.node).sort()).toEqual(['MatMul_H', 'Relu_Y']);
    }
  });
});
