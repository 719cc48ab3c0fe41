import { describe, expect, it } from 'vitest';
import { DataType, valueInfo, type GraphProto, type ValueInfoProto } from '../../onnx';
import { decoderSignature, type SignatureHints } from './decoder-signature';
import { ModelFolderError } from './model-folder-error';

/**
 * Name and shape variants no synthetic model produces: older exporters' past/present names, genai's
 * own patterns, symbolic KV dims, and graphs with a hole in their KV cache.
 */

const noHints: SignatureHints = { genaiNames: null, kvHeads: null, headDim: null };

function graphOf(inputs: ValueInfoProto[], outputs: ValueInfoProto[]): GraphProto {
  return { node: [], initializer: [], input: inputs, output: outputs };
}

const tokens = valueInfo('input_ids', DataType.INT64, ['batch', 'sequence']);
const logits = valueInfo('logits', DataType.FLOAT16, ['batch', 'sequence', 32]);
const kv = (name: string, dims: (number | string)[] = ['batch', 2, 'past', 8]): ValueInfoProto =>
  valueInfo(name, DataType.FLOAT16, dims);

describe('decoderSignature', () => {
  it('finds past.<i>.key / present_key_values.<i>.key style names in layer order', () => {
    const graph = graphOf(
      [tokens, kv('past.1.key'), kv('past.0.key'), kv('past.0.value'), kv('past.1.value')],
      [
        logits,
        kv('present_key_values.0.key'),
        kv('present_key_values.0.value'),
        kv('present_key_values.1.key'),
        kv('present_key_values.1.value'),
      ],
    );
    const signature = decoderSignature('m.onnx', graph, new Set(), noHints);
    expect(signature.roles.pastKeys).toEqual(['past.0.key', 'past.1.key']);
    expect(signature.roles.presentValues).toEqual([
      'present_key_values.0.value',
      'present_key_values.1.value',
    ]);
    expect(signature.roles.attentionMask).toBeNull();
    expect(signature).toMatchObject({ kvDtype: 'float16', numLayers: 2, kvHeads: 2, headDim: 8 });
  });

  it("follows genai_config.json's %d patterns and falls back to config for symbolic KV dims", () => {
    const dims = ['batch', 'kv_heads', 'past', 'kv_cache_dim'];
    const graph = graphOf(
      [
        valueInfo('ids', DataType.INT32, ['batch', 'sequence']),
        kv('cache_in_k_0', dims),
        kv('cache_in_v_0', dims),
      ],
      [
        valueInfo('scores', DataType.FLOAT, ['batch', 'sequence', 32]),
        kv('cache_out_k_0', dims),
        kv('cache_out_v_0', dims),
      ],
    );
    const signature = decoderSignature('m.onnx', graph, new Set(), {
      genaiNames: {
        input_ids: 'ids',
        logits: 'scores',
        past_key_names: 'cache_in_k_%d',
        past_value_names: 'cache_in_v_%d',
        present_key_names: 'cache_out_k_%d',
        present_value_names: 'cache_out_v_%d',
      },
      kvHeads: 4,
      headDim: 16,
    });
    expect(signature.roles).toMatchObject({
      inputIds: 'ids',
      logits: 'scores',
      pastValues: ['cache_in_v_0'],
      presentKeys: ['cache_out_k_0'],
    });
    expect(signature.inputs[1]!.dims).toEqual(dims);
    expect(signature).toMatchObject({ kvHeads: 4, headDim: 16 });
  });

  it('leaves initializers listed as graph inputs (IR < 4) out of the signature', () => {
    const graph = graphOf(
      [
        tokens,
        valueInfo('embed', DataType.FLOAT, [32, 8]),
        kv('past_key_values.0.key'),
        kv('past_key_values.0.value'),
      ],
      [logits, kv('present.0.key'), kv('present.0.value')],
    );
    const signature = decoderSignature('m.onnx', graph, new Set(['embed']), noHints);
    expect(signature.inputs.map((input) => input.name)).toEqual([
      'input_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
    ]);
  });

  it('refuses a KV cache with a missing layer or fewer present outputs than past inputs', () => {
    const hole = graphOf(
      [
        tokens,
        kv('past_key_values.0.key'),
        kv('past_key_values.0.value'),
        kv('past_key_values.2.key'),
        kv('past_key_values.2.value'),
      ],
      [logits],
    );
    expect(() => decoderSignature('m.onnx', hole, new Set(), noHints)).toThrow(
      'm.onnx has past inputs for 2 layers, but layer 1 has no key and value',
    );
    const noPresent = graphOf([tokens, kv('past_key_values.0.key'), kv('past_key_values.0.value')], [logits]);
    expect(() => decoderSignature('m.onnx', noPresent, new Set(), noHints)).toThrow(
      'm.onnx has past inputs for 1 layer but present outputs for 0 layers',
    );
  });

  it('refuses a graph without input_ids or logits, naming what it has', () => {
    const embeds = graphOf([valueInfo('inputs_embeds', DataType.FLOAT, ['b', 's', 8])], [logits]);
    expect(() => decoderSignature('m.onnx', embeds, new Set(), noHints)).toThrow(ModelFolderError);
    expect(() => decoderSignature('m.onnx', embeds, new Set(), noHints)).toThrow(
      'm.onnx has no input_ids input (its inputs: inputs_embeds).',
    );
  });
});
