import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModelWriter, DataType, node, OnnxFileError, valueInfo } from '../../onnx';
import { inspectModel } from './inspect-model';
import { useLoaderFixtures } from './test/loader-fixtures';
import { ModelFolderError } from './model-folder-error';

const fixtures = useLoaderFixtures();

/** Expects inspecting `target` to fail with a ModelFolderError of this reason and message parts. */
async function expectFolderError(
  target: string,
  reason: ModelFolderError['reason'],
  messageParts: readonly (string | RegExp)[],
  options: { variant?: string; path?: string } = {},
): Promise<void> {
  const error: unknown = await inspectModel(target, { variant: options.variant }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelFolderError);
  const folderError = error as ModelFolderError;
  expect(folderError.reason).toBe(reason);
  expect(folderError.path).toBe(options.path ?? target);
  for (const part of messageParts) expect(folderError.message).toMatch(part);
}

async function emptyDir(name: string): Promise<string> {
  const dir = path.join(fixtures.root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('folders and paths that hold no usable decoder', () => {
  it('says when the path does not exist', async () => {
    const target = path.join(fixtures.root, 'no-such-model');
    await expectFolderError(target, 'not-found', [`${target} does not exist`, 'genai_config.json']);
  });

  it('says which layouts were looked for in a folder with only a README', async () => {
    const dir = await emptyDir('readme-only');
    await writeFile(path.join(dir, 'README.md'), '# a model card without the model\n');
    await expectFolderError(dir, 'no-decoder', [
      `${dir} has no decoder: looked for`,
      'genai_config.json (onnxruntime-genai)',
      'onnx/model*.onnx (Optimum / transformers.js)',
      'a single .onnx file',
    ]);
  });

  it('names the .onnx files of an onnx/ folder that follow no known naming', async () => {
    const dir = await emptyDir('merged-only');
    await mkdir(path.join(dir, 'onnx'));
    await writeFile(path.join(dir, 'onnx', 'decoder_model_merged.onnx'), '');
    await expectFolderError(dir, 'no-decoder', ['onnx/ folder has decoder_model_merged.onnx']);
  });

  it('asks for the file itself when a folder holds several .onnx and no genai_config.json', async () => {
    const dir = await emptyDir('two-onnx');
    await writeFile(path.join(dir, 'encoder.onnx'), '');
    await writeFile(path.join(dir, 'decoder.onnx'), '');
    await expectFolderError(dir, 'ambiguous-decoder', ['2 .onnx files (decoder.onnx, encoder.onnx)']);
  });

  it('refuses a file that is not an .onnx', async () => {
    const file = path.join(fixtures.built.standard.dir, 'config.json');
    await expectFolderError(file, 'not-a-model', [`${file} is not an .onnx file`]);
  });

  it('refuses a variant where there is nothing to choose between', async () => {
    const dir = fixtures.built.fused.dir;
    await expectFolderError(dir, 'missing-variant', ['onnxruntime-genai folder', '"q4" cannot be chosen'], {
      variant: 'q4',
    });
  });
});

describe('broken ONNX files pass through as OnnxFileError', () => {
  it('a truncated .onnx', async () => {
    const dir = await fixtures.copyOf('fused', 'truncated-onnx');
    const modelFile = path.join(dir, 'model.onnx');
    const bytes = await readFile(modelFile);
    await writeFile(modelFile, bytes.subarray(0, Math.floor(bytes.byteLength * 0.6)));
    const inspecting = inspectModel(dir);
    await expect(inspecting).rejects.toThrow(OnnxFileError);
    await expect(inspecting).rejects.toThrow(`${modelFile} is not a valid ONNX model: `);
    await expect(inspecting).rejects.toMatchObject({ reason: 'invalid-model', filePath: modelFile });
  });

  it('missing external data', async () => {
    const dir = await fixtures.copyOf('standard', 'missing-data');
    const dataFile = path.join(dir, 'onnx', 'model.onnx_data');
    await rm(dataFile);
    const inspecting = inspectModel(dir);
    await expect(inspecting).rejects.toThrow(`${dataFile} is missing`);
    await expect(inspecting).rejects.toMatchObject({ reason: 'missing-external-data', filePath: dataFile });
  });

  it('short external data', async () => {
    const dir = await fixtures.copyOf('fused', 'short-data');
    const dataFile = path.join(dir, 'model.onnx_data');
    await truncate(dataFile, 4096);
    const inspecting = inspectModel(dir);
    await expect(inspecting).rejects.toThrow(`${dataFile} is truncated`);
    await expect(inspecting).rejects.toMatchObject({ reason: 'truncated-external-data', filePath: dataFile });
  });
});

describe('graphs the workbench cannot drive', () => {
  it('a decoder exported without KV cache', async () => {
    const dir = await emptyDir('no-past');
    const writer = createModelWriter({ dir });
    await writer.addInitializer('embed', DataType.FLOAT, [16, 4], new Float32Array(64));
    const { modelPath } = await writer.finish({
      nodes: [node('Gather', ['embed', 'input_ids'], ['logits'])],
      inputs: [
        valueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length']),
        valueInfo('attention_mask', DataType.INT64, ['batch_size', 'sequence_length']),
      ],
      outputs: [valueInfo('logits', DataType.FLOAT, ['batch_size', 'sequence_length', 4])],
    });
    await expectFolderError(
      dir,
      'no-kv-cache',
      [
        `${modelPath} has no past_key_values inputs: the workbench needs a decoder exported with KV cache ` +
          "(e.g. optimum's --task text-generation-with-past)",
        'Its inputs: input_ids, attention_mask.',
      ],
      { path: modelPath },
    );
  });
});

describe('JSON files that do not parse', () => {
  it('names a config.json that is not JSON', async () => {
    const dir = await fixtures.copyOf('standard', 'broken-config');
    const configFile = path.join(dir, 'config.json');
    await writeFile(configFile, '{ "hidden_size": 64,');
    await expectFolderError(dir, 'invalid-json', [`${configFile} is not valid JSON`, 'download it again'], {
      path: configFile,
    });
  });

  it('names the field of a config.json with a wrong value', async () => {
    const dir = await fixtures.copyOf('standard', 'wrong-config');
    const configFile = path.join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify({ hidden_size: 'sixty-four' }));
    await expectFolderError(
      dir,
      'invalid-json',
      [`${configFile} has unexpected content`, 'config.json.hidden_size'],
      {
        path: configFile,
      },
    );
  });

  it('names a broken genai_config.json, and one that points at a missing decoder', async () => {
    const dir = await fixtures.copyOf('fused', 'broken-genai');
    const genaiFile = path.join(dir, 'genai_config.json');
    const original = await readFile(genaiFile, 'utf8');
    await writeFile(genaiFile, original.slice(0, 40));
    await expectFolderError(dir, 'invalid-json', [`${genaiFile} is not valid JSON`], { path: genaiFile });

    await writeFile(genaiFile, original.replace('"filename": "model.onnx"', '"filename": "decoder.onnx"'));
    const decoderFile = path.join(dir, 'decoder.onnx');
    await expectFolderError(
      dir,
      'no-decoder',
      [`${genaiFile} names the decoder ${decoderFile}, which does not exist`],
      {
        path: decoderFile,
      },
    );
  });
});
