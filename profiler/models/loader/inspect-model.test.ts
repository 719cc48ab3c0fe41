import { copyFile, mkdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelInspectionSchema, type ModelInspection } from '../../../common/schemas/model-inspection';
import { resolveModel } from '../../../common/catalog';
import { inspectModel } from './inspect-model';
import { SEED, TINY, TINY_MODEL_ID, useLoaderFixtures } from './test/loader-fixtures';
import { buildSyntheticModel } from '../synthetic/synthetic-builder';
import { ModelFolderError } from './model-folder-error';
import { variantDtype } from './optimum-variants';

const fixtures = useLoaderFixtures();
const { spec } = resolveModel(TINY_MODEL_ID, TINY);
const layers = spec.numHiddenLayers;
/** the RoPE cos and sin tables, [max_context, head_dim / 2] each */
const ropeParameters = 2 * spec.maxContextTokens * (spec.headDim / 2);
const kvDims = ['batch_size', spec.numKeyValueHeads, 'past_sequence_length', spec.headDim];

async function inspectChecked(target: string, variant?: string): Promise<ModelInspection> {
  const inspection = await inspectModel(target, variant === undefined ? {} : { variant });
  // the result is what the contract promises, including the integer / non-negative refinements
  expect(ModelInspectionSchema.parse(inspection)).toEqual(inspection);
  return inspection;
}

describe.each(['fused', 'standard'] as const)('a synthetic %s model', (style) => {
  it('is found in its layout, with config, workbench.json and a signature read from the graph', async () => {
    const built = fixtures.built[style];
    const inspection = await inspectChecked(built.dir);
    expect(inspection.layout).toBe(style === 'fused' ? 'genai' : 'optimum');
    expect(inspection.path).toBe(built.dir);
    expect(inspection.modelFile).toBe(built.modelPath);
    expect(inspection.config).toEqual({
      model_type: 'llama4_text',
      architectures: ['Llama4ForCausalLM'],
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: spec.numAttentionHeads,
      num_key_value_heads: spec.numKeyValueHeads,
      head_dim: spec.headDim,
      vocab_size: 256,
      max_position_embeddings: 64,
      tie_word_embeddings: spec.tieWordEmbeddings,
    });
    expect(inspection.synthetic).toMatchObject({
      kind: 'synthetic',
      catalogId: TINY_MODEL_ID,
      style,
      seed: SEED,
      storedParameters: built.record.storedParameters,
    });

    const { signature } = inspection;
    expect(signature.roles).toEqual({
      inputIds: 'input_ids',
      attentionMask: 'attention_mask',
      // only the standard graph takes positions; the fused one derives them from the mask, as genai does
      positionIds: style === 'standard' ? 'position_ids' : null,
      pastKeys: ['past_key_values.0.key', 'past_key_values.1.key'],
      pastValues: ['past_key_values.0.value', 'past_key_values.1.value'],
      presentKeys: ['present.0.key', 'present.1.key'],
      presentValues: ['present.0.value', 'present.1.value'],
      logits: 'logits',
    });
    expect(signature.inputs[0]).toEqual({
      name: 'input_ids',
      dtype: 'int64',
      dims: ['batch_size', 'sequence_length'],
    });
    expect(signature.inputs.find((input) => input.name === 'past_key_values.1.value')).toEqual({
      name: 'past_key_values.1.value',
      dtype: 'float32',
      dims: kvDims,
    });
    expect(signature.outputs[0]).toEqual({
      name: 'logits',
      dtype: 'float32',
      dims: ['batch_size', 1, 256], // the last position's logits (the builder's default)
    });
    // weights are initializers, never feeds
    expect(signature.inputs).toHaveLength(2 + (style === 'standard' ? 1 : 0) + 2 * layers);
    expect(signature).toMatchObject({
      kvLayout: 'BNSH',
      kvDtype: 'float32',
      numLayers: layers,
      kvHeads: spec.numKeyValueHeads,
      headDim: spec.headDim,
      logitsPositions: 'last',
      // GroupQueryAttention reads the past alone in the fused style; the standard one Concats it
      canShareKvBuffer: style === 'fused',
    });
    expect(inspection.kvBytesPerToken).toBe(2 * layers * spec.numKeyValueHeads * spec.headDim * 4);
  });

  it('counts operators, parameters and bytes from the protobuf', async () => {
    const built = fixtures.built[style];
    const inspection = await inspectChecked(built.dir);
    const { operators, parameters, bytes } = inspection;
    if (style === 'fused') {
      expect(operators['com.microsoft.GroupQueryAttention']).toBe(layers);
      expect(operators.MatMul).toBeGreaterThan(0);
    } else {
      expect(Object.keys(operators).filter((op) => op.startsWith('com.microsoft.'))).toEqual([]);
      expect(operators.MatMul).toBeGreaterThanOrEqual(7 * layers); // q, k, v, o, gate, up, down
    }
    // learned: exactly the weights the catalog counts; stored: with both RoPE tables, a few shape / eps
    // constants and (fused) the all-ones QK-norm scale
    expect(parameters.learned).toBe(built.record.parameters);
    const constants = parameters.initializerElements - built.record.storedParameters - ropeParameters;
    expect(constants).toBeGreaterThanOrEqual(0);
    expect(constants).toBeLessThan(200 + spec.headDim);
    expect(parameters.byDtype.float32).toBeGreaterThanOrEqual(built.record.storedParameters + ropeParameters);
    expect(Object.values(parameters.byDtype).reduce((a, b) => a + b, 0)).toBe(parameters.initializerElements);

    const dataFile = path.join(path.dirname(built.modelPath), 'model.onnx_data');
    expect(inspection.externalFiles).toEqual([
      { name: 'model.onnx_data', bytes: (await stat(dataFile)).size },
    ]);
    expect(bytes.externalData).toBe(built.externalDataBytes);
    expect(bytes.onnxFile).toBe((await stat(built.modelPath)).size);
    expect(bytes.onnxFile + bytes.externalData).toBe(built.modelBytes + built.externalDataBytes);
    expect(bytes.byDtype.float32).toBe(parameters.byDtype.float32! * 4);
    expect(bytes.weights).toBe(Object.values(bytes.byDtype).reduce((a, b) => a + b, 0));
    // weights fit in their data file plus the few inline constants kept in the .onnx
    expect(bytes.weights).toBeLessThanOrEqual(bytes.externalData + bytes.onnxFile);
  });
});

describe('a 2-layer MobileLLM-R1-140M with a 2,048-token vocabulary', () => {
  const model = resolveModel(TINY_MODEL_ID, { num_hidden_layers: 2, vocab_size: 2048 });

  it.each(['fused', 'standard'] as const)(
    '%s style: 10,029,888 learned parameters, and the weight bytes a decode step reads',
    async (style) => {
      const dir = path.join(fixtures.root, `r1-2-layers-${style}`);
      await buildSyntheticModel({ model, style, seed: SEED, outDir: dir });
      const { parameters, bytes } = await inspectChecked(dir);
      // the example: 12,127,121 / 12,127,084 initializer elements counted as parameters before
      expect(parameters.learned).toBe(10_029_888);
      expect(parameters.initializerElements).toBeGreaterThan(12_000_000);

      const { hiddenSize: h, intermediateSize: i, headDim: d, vocabSize: v } = model.spec;
      const query = model.spec.numAttentionHeads * d;
      const keyValue = model.spec.numKeyValueHeads * d;
      const blockWeights = h * query + 2 * h * keyValue + query * h + 3 * h * i; // elements
      const floats =
        2 * blockWeights + // every projection, read in full
        v * h + // the tied table, read in full by the head (its Gather row is part of it)
        5 * h + // two norms per block and the final one
        2 * (d / 2) + // one row of each RoPE table
        (style === 'fused' ? d : 0); // the all-ones QK-norm scale SimplifiedLayerNormalization needs
      expect(bytes.readPerDecodeToken).toBe(4 * floats);
    },
  );
});

describe('Optimum folders with dtype variants', () => {
  /** model.onnx plus renamed copies; their tensors still point at model.onnx_data, which is fine here */
  async function variantFolder(name: string): Promise<string> {
    const dir = await fixtures.copyOf('standard', name);
    const onnxDir = path.join(dir, 'onnx');
    for (const file of ['model_q4.onnx', 'model_fp16.onnx', 'model_quantized.onnx']) {
      await copyFile(path.join(onnxDir, 'model.onnx'), path.join(onnxDir, file));
    }
    // transformers.js chunks: <file>_data, <file>_data_1, …
    await writeFile(path.join(onnxDir, 'model_fp16.onnx_data'), new Uint8Array(1000));
    await writeFile(path.join(onnxDir, 'model_fp16.onnx_data_1'), new Uint8Array(24));
    await writeFile(path.join(onnxDir, 'README.md'), 'not a model');
    return dir;
  }

  it('lists every variant with its dtype, size and data chunks, fp32 first, and opens the one asked for', async () => {
    const dir = await variantFolder('variants');
    const inspection = await inspectChecked(dir);
    const onnxBytes = (await stat(path.join(dir, 'onnx', 'model.onnx'))).size;
    const dataBytes = (await stat(path.join(dir, 'onnx', 'model.onnx_data'))).size;
    expect(inspection.variant).toBe('fp32');
    expect(inspection.variants).toEqual([
      {
        dtype: 'fp32',
        file: 'model.onnx',
        onnxBytes,
        externalFiles: [{ name: 'model.onnx_data', bytes: dataBytes }],
      },
      {
        dtype: 'fp16',
        file: 'model_fp16.onnx',
        onnxBytes,
        externalFiles: [
          { name: 'model_fp16.onnx_data', bytes: 1000 },
          { name: 'model_fp16.onnx_data_1', bytes: 24 },
        ],
      },
      { dtype: 'q8', file: 'model_quantized.onnx', onnxBytes, externalFiles: [] },
      { dtype: 'q4', file: 'model_q4.onnx', onnxBytes, externalFiles: [] },
    ]);

    const q4 = await inspectChecked(dir, 'q4');
    expect(q4.layout).toBe('optimum');
    expect(q4.variant).toBe('q4');
    expect(q4.modelFile).toBe(path.join(dir, 'onnx', 'model_q4.onnx'));
    // the external files come from the tensors' locations, not from the file name
    expect(q4.externalFiles).toEqual([{ name: 'model.onnx_data', bytes: dataBytes }]);
    expect((await inspectChecked(dir, 'model_quantized.onnx')).variant).toBe('q8');
  });

  it('picks the most precise variant when model.onnx is absent, and names the present ones for a missing one', async () => {
    const dir = await variantFolder('variants-no-fp32');
    await rm(path.join(dir, 'onnx', 'model.onnx'));
    expect((await inspectChecked(dir)).variant).toBe('fp16');
    const missing = inspectModel(dir, { variant: 'int8' });
    await expect(missing).rejects.toThrow(ModelFolderError);
    await expect(missing).rejects.toMatchObject({ reason: 'missing-variant', path: path.join(dir, 'onnx') });
    await expect(missing).rejects.toThrow(
      `${path.join(dir, 'onnx')} has no "int8" variant; it has fp16 (model_fp16.onnx), q8 (model_quantized.onnx), q4 (model_q4.onnx).`,
    );
  });

  it('reads dtype labels from transformers.js suffixes', () => {
    expect(variantDtype('model.onnx')).toBe('fp32');
    expect(variantDtype('model_fp16.onnx')).toBe('fp16');
    expect(variantDtype('model_quantized.onnx')).toBe('q8');
    expect(variantDtype('model_q4f16.onnx')).toBe('q4f16');
    expect(variantDtype('model_bnb4.onnx')).toBe('bnb4');
    expect(variantDtype('model_q1f16.onnx')).toBe('q1f16');
    expect(variantDtype('model_custom.onnx')).toBe('custom');
    expect(variantDtype('model.onnx_data')).toBeUndefined();
    expect(variantDtype('decoder_model_merged.onnx')).toBeUndefined();
  });
});

describe('bare .onnx files', () => {
  it('takes config.json from beside the file, and a folder with one .onnx as that file', async () => {
    const built = fixtures.built.standard;
    const dir = path.join(fixtures.root, 'bare');
    await mkdir(dir);
    for (const file of ['model.onnx', 'model.onnx_data']) {
      await copyFile(path.join(built.dir, 'onnx', file), path.join(dir, file));
    }
    await copyFile(path.join(built.dir, 'config.json'), path.join(dir, 'config.json'));
    const byFile = await inspectChecked(path.join(dir, 'model.onnx'));
    expect(byFile).toMatchObject({
      layout: 'bare-onnx',
      modelFile: path.join(dir, 'model.onnx'),
      variant: null,
      variants: [],
      synthetic: null,
    });
    expect(byFile.config?.num_key_value_heads).toBe(spec.numKeyValueHeads);
    expect(byFile.signature.numLayers).toBe(layers);
    const byFolder = await inspectChecked(dir);
    expect(byFolder.modelFile).toBe(byFile.modelFile);
    expect(byFolder.layout).toBe('bare-onnx');

    await rm(path.join(dir, 'config.json'));
    expect((await inspectChecked(dir)).config).toBeNull();
  });

  it("takes an Optimum variant's metadata from the folder above onnx/", async () => {
    const built = fixtures.built.standard;
    const inspection = await inspectChecked(built.modelPath);
    expect(inspection.layout).toBe('bare-onnx');
    expect(inspection.config?.hidden_size).toBe(64);
    expect(inspection.synthetic?.style).toBe('standard');
  });
});

describe('weights are never read', () => {
  it('inspects a model whose external data file is 3.8 GB (sparse) in well under 2 s', async () => {
    const dir = await fixtures.copyOf('fused', 'huge');
    const sizeBytes = 3.8e9;
    await truncate(path.join(dir, 'model.onnx_data'), sizeBytes);
    const startMs = performance.now();
    const inspection = await inspectModel(dir);
    const elapsedMs = performance.now() - startMs; // ms, wall clock
    expect(inspection.externalFiles).toEqual([{ name: 'model.onnx_data', bytes: sizeBytes }]);
    expect(inspection.bytes.externalData).toBe(sizeBytes);
    expect(elapsedMs).toBeLessThan(2000);
  });
});
