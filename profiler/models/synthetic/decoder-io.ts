import { DataType, valueInfo } from '../../onnx';
import type { ValueInfoProto } from '../../onnx';
import type { ModelSpec } from '../../../common/catalog/model-spec';
import type { LogitsPositions } from './model-config-files';

/**
 * The decoder signature both graph styles share: Optimum / onnxruntime-genai names, KV cache in BNSH
 * ([batch, kv_heads, sequence, head_dim]).
 */
export const inputIdsName = 'input_ids';
export const attentionMaskName = 'attention_mask';
export const positionIdsName = 'position_ids';
export const logitsName = 'logits';
export const pastKeyName = (layer: number): string => `past_key_values.${layer}.key`;
export const pastValueName = (layer: number): string => `past_key_values.${layer}.value`;
export const presentKeyName = (layer: number): string => `present.${layer}.key`;
export const presentValueName = (layer: number): string => `present.${layer}.value`;

export function decoderInputs(spec: ModelSpec, withPositionIds: boolean): ValueInfoProto[] {
  const kv = ['batch_size', spec.numKeyValueHeads, 'past_sequence_length', spec.headDim];
  const inputs = [
    valueInfo(inputIdsName, DataType.INT64, ['batch_size', 'sequence_length']),
    valueInfo(attentionMaskName, DataType.INT64, ['batch_size', 'total_sequence_length']),
  ];
  if (withPositionIds)
    inputs.push(valueInfo(positionIdsName, DataType.INT64, ['batch_size', 'sequence_length']));
  for (let layer = 0; layer < spec.numHiddenLayers; layer += 1) {
    inputs.push(
      valueInfo(pastKeyName(layer), DataType.FLOAT, kv),
      valueInfo(pastValueName(layer), DataType.FLOAT, kv),
    );
  }
  return inputs;
}

export function decoderOutputs(spec: ModelSpec, logits: LogitsPositions): ValueInfoProto[] {
  const kv = ['batch_size', spec.numKeyValueHeads, 'total_sequence_length', spec.headDim];
  const positions = logits === 'last' ? 1 : 'sequence_length';
  const outputs = [valueInfo(logitsName, DataType.FLOAT, ['batch_size', positions, spec.vocabSize])];
  for (let layer = 0; layer < spec.numHiddenLayers; layer += 1) {
    outputs.push(
      valueInfo(presentKeyName(layer), DataType.FLOAT, kv),
      valueInfo(presentValueName(layer), DataType.FLOAT, kv),
    );
  }
  return outputs;
}

/**
 * RoPE tables [maxContext, headDim/2]: cos and sin of position · theta^(−2i/headDim), computed in double
 * and stored as float32. Both graph styles look angles up here, so they rotate identically.
 */
export function ropeCaches(spec: ModelSpec): { cos: Float32Array; sin: Float32Array } {
  const half = spec.headDim / 2;
  const cos = new Float32Array(spec.maxContextTokens * half);
  const sin = new Float32Array(spec.maxContextTokens * half);
  for (let i = 0; i < half; i += 1) {
    const inverseFrequency = spec.ropeTheta ** ((-2 * i) / spec.headDim); // radians per position
    for (let position = 0; position < spec.maxContextTokens; position += 1) {
      const angle = position * inverseFrequency;
      cos[position * half + i] = Math.cos(angle);
      sin[position * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}
