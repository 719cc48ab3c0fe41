import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataType } from './data-type';
import { externalDataEntries } from './external-data';
import { node, opsetImport, valueInfo } from './graph-builder';
import { readModel } from './model-reader';
import { createModelWriter } from './model-writer';
import { encodeModel } from './onnx-proto';
import { OnnxFileError } from './onnx-file-error';
import type { TensorProto } from './onnx-types';
import { tensorBytes } from './tensor-data';
import { useTempDir } from './test/fixtures';

const dir = useTempDir();

/** model.onnx + model.onnx_data holding "W" (4096 floats at offset 0) and "V" (1024 floats at 16384). */
async function writeExternalModel() {
  const writer = createModelWriter({ dir: dir.path });
  await writer.addInitializer('W', DataType.FLOAT, [64, 64], new Float32Array(4096));
  await writer.addInitializer('V', DataType.FLOAT, [1024], new Float32Array(1024));
  return writer.finish({
    nodes: [node('Add', ['W', 'W'], ['Y'])],
    inputs: [],
    outputs: [valueInfo('Y', DataType.FLOAT, [64, 64])],
  });
}

async function modelWithLocation(location: string): Promise<string> {
  const external: TensorProto = {
    name: 'W',
    data_type: DataType.FLOAT,
    dims: [4],
    data_location: 1,
    external_data: externalDataEntries(location, 0, 16),
  };
  const modelPath = path.join(dir.path, 'model.onnx');
  await writeFile(
    modelPath,
    encodeModel({
      ir_version: 10,
      opset_import: [opsetImport('', 21)],
      graph: { node: [], initializer: [external], input: [], output: [] },
    }),
  );
  return modelPath;
}

describe('errors for people', () => {
  it('names a truncated .onnx as not a valid ONNX model', async () => {
    const { modelPath } = await writeExternalModel();
    const bytes = await readFile(modelPath);
    await writeFile(modelPath, bytes.subarray(0, Math.floor(bytes.byteLength * 0.6)));
    const reading = readModel(modelPath);
    await expect(reading).rejects.toThrow(OnnxFileError);
    await expect(reading).rejects.toThrow(`${modelPath} is not a valid ONNX model: `);
    await expect(reading).rejects.toThrow(/probably truncated/);
    await expect(reading).rejects.toMatchObject({ filePath: modelPath, reason: 'invalid-model' });
  });

  it('names empty, foreign and missing files', async () => {
    const empty = path.join(dir.path, 'empty.onnx');
    await writeFile(empty, '');
    await expect(readModel(empty)).rejects.toThrow(`${empty} is not a valid ONNX model: the file is empty.`);

    const text = path.join(dir.path, 'config.onnx');
    await writeFile(text, '{"model_type": "llama", "hidden_size": 576}\n');
    await expect(readModel(text)).rejects.toThrow(
      `${text} is not a valid ONNX model: it does not start like an ONNX protobuf`,
    );

    const pointer = path.join(dir.path, 'lfs.onnx');
    await writeFile(
      pointer,
      'version https://git-lfs.github.com/spec/v1\noid sha256:ab12\nsize 3800000000\n',
    );
    await expect(readModel(pointer)).rejects.toThrow(/it is a Git LFS pointer, not the model/);

    const missing = path.join(dir.path, 'nope.onnx');
    await expect(readModel(missing)).rejects.toMatchObject({ reason: 'missing-model', filePath: missing });
  });

  it('reports a missing .onnx_data when the model is opened, and when a tensor is read', async () => {
    const { modelPath, dataPath = '' } = await writeExternalModel();
    await rm(dataPath);
    await expect(readModel(modelPath)).rejects.toThrow(
      `${dataPath} is missing: ${modelPath} keeps tensor "W" there.`,
    );
    const file = await readModel(modelPath, { checkExternalData: false });
    await expect(file.tensorBytes('W')).rejects.toMatchObject({
      reason: 'missing-external-data',
      filePath: dataPath,
    });
  });

  it('reports a short .onnx_data with the byte range the tensor needs', async () => {
    const { modelPath, dataPath = '' } = await writeExternalModel();
    await truncate(dataPath, 18000);
    const expected = `${dataPath} is truncated: tensor "V" needs bytes 16384..20480 but the file has 18000 bytes`;
    await expect(readModel(modelPath)).rejects.toThrow(expected);

    const file = await readModel(modelPath, { checkExternalData: false });
    expect((await file.tensorBytes('W')).byteLength).toBe(16384); // W is whole and still readable
    await expect(file.tensorBytes('V')).rejects.toThrow(expected);
    await expect(file.tensorBytes('V')).rejects.toMatchObject({ reason: 'truncated-external-data' });
  });

  it.each([
    '../weights.bin',
    'sub/../../weights.bin',
    '/etc/passwd',
    'C:\\weights.bin',
    'C:w.bin',
    '..\\weights.bin',
  ])('refuses the external data location %s', async (location) => {
    const modelPath = await modelWithLocation(location);
    await expect(readModel(modelPath)).rejects.toMatchObject({
      reason: 'unsafe-location',
      filePath: modelPath,
    });
    await expect(readModel(modelPath)).rejects.toThrow(`has external data location "${location}"`);
    const file = await readModel(modelPath, { checkExternalData: false });
    const weight = file.initializers.get('W');
    if (!weight) throw new Error('W missing');
    await expect(tensorBytes(modelPath, weight)).rejects.toThrow(/without "\.\." or a drive\/root/);
  });

  it('refuses to write external data outside the model folder', () => {
    expect(() => createModelWriter({ dir: dir.path, dataFileName: '../shared.bin' })).toThrow(OnnxFileError);
  });

  it('accepts a location in a subfolder', async () => {
    const modelPath = await modelWithLocation('weights/model.bin');
    await expect(readModel(modelPath)).rejects.toThrow(
      `${path.join(dir.path, 'weights/model.bin')} is missing`,
    );
  });
});
