import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType } from './data-type';
import { node, valueInfo } from './graph-builder';
import { createModelWriter } from './model-writer';
import { seededFloats, useTempDir } from './test/fixtures';

const dir = useTempDir();

/** Row-major (rows × inner) · (inner × cols), in float64 for a reference. */
function matMul(a: Float32Array, b: Float32Array, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += (a[r * inner + k] ?? 0) * (b[k * cols + c] ?? 0);
      out[r * cols + c] = sum;
    }
  }
  return out;
}

describe('onnxruntime-node and the writer', () => {
  it('loads a model with aligned external data and computes Y = (X·W1 + B)·W2', async () => {
    const [batch, inputs, hidden, outputs] = [3, 60, 30, 20];
    const w1 = seededFloats(inputs * hidden, 11); // 7200 bytes: external at 0
    const bias = seededFloats(hidden, 12); // 120 bytes: inline
    const w2 = seededFloats(hidden * outputs, 13); // 2400 bytes: external at 8192
    const x = seededFloats(batch * inputs, 14);

    const writer = createModelWriter({ dir: dir.path });
    await writer.addInitializer('W1', DataType.FLOAT, [inputs, hidden], w1);
    await writer.addInitializer('B', DataType.FLOAT, [hidden], bias);
    await writer.addInitializer('W2', DataType.FLOAT, [hidden, outputs], w2);
    const written = await writer.finish({
      nodes: [
        node('MatMul', ['X', 'W1'], ['XW1']),
        node('Add', ['XW1', 'B'], ['H']),
        node('MatMul', ['H', 'W2'], ['Y']),
      ],
      inputs: [valueInfo('X', DataType.FLOAT, ['batch', inputs])],
      outputs: [valueInfo('Y', DataType.FLOAT, ['batch', outputs])],
    });
    expect(written.externalDataBytes).toBe(8192 + 2400);

    const session = await ort.InferenceSession.create(written.modelPath);
    try {
      expect(session.inputNames).toEqual(['X']);
      const result = await session.run({ X: new ort.Tensor('float32', x, [batch, inputs]) });
      const y = result.Y;
      expect(y?.dims).toEqual([batch, outputs]);

      const h = matMul(x, w1, batch, inputs, hidden).map((v, i) => v + (bias[i % hidden] ?? 0));
      const expected = matMul(Float32Array.from(h), w2, batch, hidden, outputs);
      const actual = y?.data as Float32Array;
      expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 4));
    } finally {
      await session.release();
    }
  });

  it('loads the same model from memory when the data file is handed over', async () => {
    const writer = createModelWriter({ dir: dir.path, modelFileName: 'scale.onnx' });
    const w = seededFloats(512, 21); // 2048 bytes: external
    await writer.addInitializer('W', DataType.FLOAT, [512], w);
    const written = await writer.finish({
      nodes: [node('Mul', ['X', 'W'], ['Y'])],
      inputs: [valueInfo('X', DataType.FLOAT, [512])],
      outputs: [valueInfo('Y', DataType.FLOAT, [512])],
    });
    const session = await ort.InferenceSession.create(await readFile(written.modelPath), {
      externalData: [{ path: 'scale.onnx_data', data: await readFile(written.dataPath ?? '') }],
    });
    try {
      const x = new Float32Array(512).fill(2);
      const y = (await session.run({ X: new ort.Tensor('float32', x, [512]) })).Y?.data as Float32Array;
      expect(Array.from(y)).toEqual(Array.from(w, (v) => Math.fround(v * 2)));
    } finally {
      await session.release();
    }
  });
});
