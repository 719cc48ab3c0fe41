import { readdir, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attr, nodeAttributes } from './attributes';
import { DataType } from './data-type';
import { externalDataEntries, externalDataRef } from './external-data';
import { node, opsetImport, tensor, valueInfo } from './graph-builder';
import { readModel } from './model-reader';
import { createModelWriter } from './model-writer';
import { encodeModel } from './onnx-proto';
import { OnnxFileError } from './onnx-file-error';
import type { ModelProto } from './onnx-types';
import { seededFloats, useTempDir } from './test/fixtures';

const dir = useTempDir();

/** A model that uses every attribute kind and a com.microsoft node; it is read back, not run. */
async function writeSampleModel(modelDir: string) {
  const writer = createModelWriter({ dir: modelDir });
  const weight = seededFloats(300 * 7, 1); // 8400 bytes: external
  const bias = seededFloats(7, 2); // 28 bytes: inline
  const packedInt4 = Uint8Array.from({ length: 2048 }, (_, i) => i % 256); // 4096 int4 values
  const half = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]); // 1, -2, 65504, smallest subnormal
  // not awaited one by one: the writer must still keep call order and offsets
  const added = await Promise.all([
    writer.addInitializer('W', DataType.FLOAT, [300, 7], weight),
    writer.addInitializer('B', DataType.FLOAT, [7], bias),
    writer.addInitializer('Q', DataType.INT4, [64, 64], packedInt4),
    writer.addInitializer('H', DataType.FLOAT16, [4], half),
  ]);
  const shapeConstant = tensor('shape', DataType.INT64, [2], new BigInt64Array([-1n, 7n]));
  const nodes = [
    node('MatMul', ['X', 'W'], ['XW']),
    node('Add', ['XW', 'B'], ['Y'], {}, '', 'add_bias'),
    node('Constant', [], ['shape_const'], { value: attr.tensor(shapeConstant) }),
    node('Softmax', ['Y'], ['P'], { axis: attr.int(-1) }),
    node('LayerNormalization', ['Y', 'B'], ['N'], { epsilon: attr.float(1e-5), axis: attr.int(-1) }),
    node('Resize', ['Y'], ['R'], {
      mode: attr.string('linear'),
      scales_hint: attr.floats([1, 2.5]),
      axes: attr.ints([0, 1]),
    }),
    node('FastGelu', ['Y'], ['G'], {}, 'com.microsoft'),
  ];
  const written = await writer.finish({
    nodes,
    inputs: [valueInfo('X', DataType.FLOAT, ['batch_size', 'sequence_length', 300])],
    outputs: [
      valueInfo('P', DataType.FLOAT, ['batch_size', 'sequence_length', 7]),
      valueInfo('G', DataType.FLOAT),
    ],
    metadata: { variant: 'fp32' },
  });
  return { written, added, nodes, weight, bias, packedInt4, half };
}

const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

describe('model writer and reader', () => {
  it('round-trips nodes, attributes, shapes and initializer bytes', async () => {
    const sample = await writeSampleModel(dir.path);
    const file = await readModel(sample.written.modelPath);

    expect(file.model.ir_version).toBe(10);
    expect(file.model.producer_name).toBe('edge-llm-workbench');
    expect(file.model.opset_import).toEqual([opsetImport('', 21), opsetImport('com.microsoft', 1)]);
    expect(file.model.metadata_props).toEqual([{ key: 'variant', value: 'fp32' }]);

    expect(file.graph.node.map((n) => [n.op_type, n.name, n.input, n.output, n.domain])).toEqual(
      sample.nodes.map((n) => [n.op_type, n.name, n.input, n.output, n.domain]),
    );
    expect(file.graph.node[0]?.name).toBe('MatMul_XW');
    const attributes = file.graph.node.map(nodeAttributes);
    expect(attributes[3]).toEqual({ axis: -1 });
    expect(attributes[4]).toEqual({ epsilon: Math.fround(1e-5), axis: -1 });
    expect(attributes[5]).toEqual({ mode: 'linear', scales_hint: [1, 2.5], axes: [0, 1] });
    const constant = file.graph.node[2]?.attribute[0]?.t;
    expect(constant?.dims).toEqual([2]);
    expect(constant && (await file.tensorBytes(constant))).toEqual(bytesOf(new BigInt64Array([-1n, 7n])));

    const inputDims = file.graph.input[0]?.type?.tensor_type?.shape?.dim;
    expect(inputDims).toEqual([
      { dim_param: 'batch_size' },
      { dim_param: 'sequence_length' },
      { dim_value: 300 },
    ]);
    expect(file.graph.output[1]?.type?.tensor_type?.shape).toBeUndefined();

    expect([...file.initializers.keys()]).toEqual(['W', 'B', 'Q', 'H']);
    expect(await file.tensorBytes('W')).toEqual(bytesOf(sample.weight));
    expect(await file.tensorBytes('B')).toEqual(bytesOf(sample.bias));
    expect(await file.tensorBytes('Q')).toEqual(sample.packedInt4);
    expect(await file.tensorBytes('H')).toEqual(bytesOf(sample.half));
    expect(file.weightBytes).toBe(8400 + 28 + 2048 + 8);
  });

  it('streams large tensors to model.onnx_data at 4096-byte offsets and keeps small ones inline', async () => {
    const { written, added } = await writeSampleModel(dir.path);
    expect(await readdir(dir.path)).toEqual(['model.onnx', 'model.onnx_data']); // no temp file left
    expect(written.dataPath).toBe(path.join(dir.path, 'model.onnx_data'));

    const file = await readModel(written.modelPath);
    expect(file.externalFiles).toEqual(['model.onnx_data']);
    const refs = file.graph.initializer.map((t) => externalDataRef(written.modelPath, t));
    expect(refs.map((ref) => ref?.offsetBytes)).toEqual([0, undefined, 12288, undefined]);
    expect(refs.map((ref) => ref?.lengthBytes)).toEqual([8400, undefined, 2048, undefined]);
    for (const ref of refs) if (ref) expect(ref.offsetBytes % 4096).toBe(0);
    expect(file.initializers.get('B')?.raw_data?.byteLength).toBe(28);
    expect(added[1]?.external_data).toBeUndefined();

    // the data file ends right after the last tensor; the gap before it is zero padding
    expect((await stat(written.dataPath ?? '')).size).toBe(12288 + 2048);
    expect(written.externalDataBytes).toBe(12288 + 2048);
    expect(written.modelBytes).toBe((await stat(written.modelPath)).size);
  });

  it('streams a tensor given in chunks, without needing it whole', async () => {
    const writer = createModelWriter({ dir: dir.path });
    await writer.addInitializer('first', DataType.FLOAT, [300], seededFloats(300, 3)); // ends at 1200
    const rows = Array.from({ length: 5 }, (_, row) => seededFloats(333, 10 + row)); // 5 × 1332 bytes
    async function* generateRows() {
      for (const row of rows) yield row;
    }
    const progressBytes: number[] = [];
    await writer.addInitializerChunks('E', DataType.FLOAT, [5, 333], generateRows(), (bytes) =>
      progressBytes.push(bytes),
    );
    await writer.addInitializerChunks(
      'S',
      DataType.FLOAT,
      [2],
      [new Float32Array([1]), new Float32Array([2])],
    );
    const written = await writer.finish({ nodes: [], inputs: [], outputs: [] });

    expect(progressBytes).toEqual([1332, 1332, 1332, 1332, 1332]);
    const file = await readModel(written.modelPath);
    expect(externalDataRef(written.modelPath, file.initializers.get('E') ?? { dims: [] })?.offsetBytes).toBe(
      4096,
    );
    const joined = new Float32Array(5 * 333);
    rows.forEach((row, i) => joined.set(row, i * 333));
    expect(await file.tensorBytes('E')).toEqual(bytesOf(joined));
    expect(await file.tensorBytes('S')).toEqual(bytesOf(new Float32Array([1, 2])));
  });

  it('rejects chunks that do not add up to the tensor, and then needs abort', async () => {
    const writer = createModelWriter({ dir: dir.path });
    const short = writer.addInitializerChunks('E', DataType.FLOAT, [1024], [new Float32Array(1000)]);
    await expect(short).rejects.toThrow('tensor "E" got 4000 bytes but its dims [1024] need 4096');
    const long = createModelWriter({ dir: dir.path, modelFileName: 'b.onnx' });
    await expect(
      long.addInitializerChunks('E', DataType.FLOAT, [1024], [new Float32Array(1000), new Float32Array(100)]),
    ).rejects.toThrow('tensor "E" got more than the 4096 bytes its dims [1024] need');
    await expect(writer.finish({ nodes: [], inputs: [], outputs: [] })).rejects.toThrow(
      /failed earlier; call abort/,
    );
    await writer.abort();
    await long.abort();
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('writes no data file when every tensor is small', async () => {
    const writer = createModelWriter({ dir: dir.path, modelFileName: 'tiny.onnx' });
    await writer.addInitializer('B', DataType.FLOAT, [4], new Float32Array([1, 2, 3, 4]));
    const written = await writer.finish({
      nodes: [node('Identity', ['B'], ['Y'])],
      inputs: [],
      outputs: [valueInfo('Y', DataType.FLOAT, [4])],
    });
    expect(written.dataPath).toBeUndefined();
    expect(await readdir(dir.path)).toEqual(['tiny.onnx']);
    expect((await readModel(written.modelPath)).externalFiles).toEqual([]);
  });

  it('reads tensors stored in float_data, int32_data and int64_data', async () => {
    const model: ModelProto = {
      ir_version: 10,
      opset_import: [opsetImport('', 21)],
      graph: {
        name: 'typed',
        node: [],
        input: [],
        output: [],
        initializer: [
          { name: 'f', data_type: DataType.FLOAT, dims: [3], float_data: [1.5, -2, 0.25] },
          { name: 'h', data_type: DataType.FLOAT16, dims: [2], int32_data: [0x3c00, 0xc000] },
          { name: 'q', data_type: DataType.INT4, dims: [3], int32_data: [0x21, 0x0f] },
          { name: 'i', data_type: DataType.INT32, dims: [2], int32_data: [-1, 7] },
          {
            name: 'l',
            data_type: DataType.INT64,
            dims: [3],
            int64_data: [-(2 ** 63), 2 ** 63, 42], // INT64_MIN, INT64_MAX (as numbers), 42
          },
        ],
      },
    };
    const modelPath = path.join(dir.path, 'typed.onnx');
    await writeFile(modelPath, encodeModel(model));
    const file = await readModel(modelPath);
    expect(await file.tensorBytes('f')).toEqual(bytesOf(new Float32Array([1.5, -2, 0.25])));
    expect(await file.tensorBytes('h')).toEqual(bytesOf(new Uint16Array([0x3c00, 0xc000])));
    expect(await file.tensorBytes('q')).toEqual(new Uint8Array([0x21, 0x0f]));
    expect(await file.tensorBytes('i')).toEqual(bytesOf(new Int32Array([-1, 7])));
    expect(await file.tensorBytes('l')).toEqual(
      bytesOf(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 42n])),
    );
  });

  it('opens a model with gigabytes of external data without reading it', async () => {
    const dataBytes = 3_800_000_000; // a sparse file: instant to create, as big as a 950M fp32 model
    const model: ModelProto = {
      ir_version: 10,
      opset_import: [opsetImport('', 21)],
      graph: {
        name: 'big',
        node: [],
        input: [],
        output: [],
        initializer: Array.from({ length: 100 }, (_, i) => ({
          name: `w${i}`,
          data_type: DataType.FLOAT,
          dims: [9_000_000],
          data_location: 1,
          external_data: externalDataEntries('model.onnx_data', i * 36_000_768, 36_000_000),
        })),
      },
    };
    const modelPath = path.join(dir.path, 'model.onnx');
    await writeFile(modelPath, encodeModel(model));
    await writeFile(path.join(dir.path, 'model.onnx_data'), '');
    await truncate(path.join(dir.path, 'model.onnx_data'), dataBytes);

    const startMs = performance.now();
    const file = await readModel(modelPath);
    expect(performance.now() - startMs).toBeLessThan(500);
    expect(file.weightBytes).toBe(3_600_000_000);
    expect(file.sizeBytes).toBeLessThan(10_000);
  });

  it('refuses to write a .onnx over the protobuf size limit, and cleans up', async () => {
    const writer = createModelWriter({ dir: dir.path, inlineThresholdBytes: 1 << 20, maxModelBytes: 4096 });
    await writer.addInitializer('big', DataType.FLOAT, [2048], new Float32Array(2048)); // 8 KiB inline
    const failure = writer.finish({ nodes: [], inputs: [], outputs: [] });
    await expect(failure).rejects.toThrow(OnnxFileError);
    await expect(failure).rejects.toThrow(/model\.onnx would be \d+ bytes, over the 4096-byte limit/);
    await expect(failure).rejects.toMatchObject({ reason: 'too-large' });
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('abort deletes what the writer wrote and refuses further adds', async () => {
    const writer = createModelWriter({ dir: dir.path });
    await writer.addInitializer('W', DataType.FLOAT, [1024], new Float32Array(1024));
    expect(await readdir(dir.path)).toEqual(['model.onnx_data']);
    await writer.abort();
    expect(await readdir(dir.path)).toEqual([]);
    await expect(writer.addInitializer('V', DataType.FLOAT, [1], new Float32Array(1))).rejects.toThrow(
      /already aborted/,
    );
  });

  it('checks initializer sizes and names when they are added', async () => {
    const writer = createModelWriter({ dir: dir.path });
    await expect(writer.addInitializer('W', DataType.FLOAT16, [3], new Uint16Array(4))).rejects.toThrow(
      'tensor "W" has 8 bytes but its dims [3] need 6',
    );
    await writer.addInitializer('W', DataType.FLOAT16, [4], new Uint16Array(4));
    await expect(writer.addInitializer('W', DataType.FLOAT16, [4], new Uint16Array(4))).rejects.toThrow(
      'initializer "W" was already added',
    );
    await writer.abort();
  });
});
