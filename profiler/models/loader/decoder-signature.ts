import type { DecoderSignature, TensorSignature } from '../../../common/schemas/model-inspection';
import { dataTypeName, ortTensorType, type GraphProto, type ValueInfoProto } from '../../onnx';
import type { GenaiNames } from './genai-config';
import { ModelFolderError } from './model-folder-error';

/**
 * The decoder's inputs and outputs as its graph declares them, and which of them plays which part:
 * token ids, mask, positions, the per-layer past (inputs) and present (outputs) key/value tensors, logits.
 * Names are matched, never assumed: Optimum / transformers.js and onnxruntime-genai spell them
 * `past_key_values.<i>.key` → `present.<i>.key`; older exports `past.<i>.key`, `past_key_<i>`.
 */

/** onnxruntime-node's type string where it has one ('float32'), else the lower-case ONNX name. */
export function tensorDtype(elemType: number | undefined): string {
  const dataType = elemType ?? 0;
  return ortTensorType(dataType) ?? dataTypeName(dataType).toLowerCase();
}

/** A dim with neither a value nor a name is unknown to the exporter too. */
const UNNAMED_DIM = '?';

function tensorSignature(info: ValueInfoProto): TensorSignature {
  const tensorType = info.type?.tensor_type;
  const shape = tensorType?.shape;
  return {
    name: info.name ?? '',
    dtype: tensorDtype(tensorType?.elem_type),
    dims: shape
      ? shape.dim.map((dim) => dim.dim_value ?? (dim.dim_param ? dim.dim_param : UNNAMED_DIM))
      : null,
  };
}

type KvKind = 'key' | 'value';

/** A name pattern with a `layer` group, and either a `kind` group or a fixed kind. */
interface KvPattern {
  regex: RegExp;
  kind?: KvKind;
}

const PAST_PATTERNS: readonly KvPattern[] = [
  { regex: /^past(?:_key_values)?[._](?<layer>\d+)[._](?<kind>key|value)$/ },
  { regex: /^past_(?<kind>key|value)s?[._](?<layer>\d+)$/ },
];
const PRESENT_PATTERNS: readonly KvPattern[] = [
  { regex: /^present(?:_key_values)?[._](?<layer>\d+)[._](?<kind>key|value)$/ },
  { regex: /^present_(?<kind>key|value)s?[._](?<layer>\d+)$/ },
];

/** genai_config's `past_key_values.%d.key` as a pattern for one kind. */
function genaiPattern(pattern: string | undefined, kind: KvKind): KvPattern[] {
  if (!pattern?.includes('%d')) return [];
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('%d', '(?<layer>\\d+)');
  return [{ regex: new RegExp(`^${escaped}$`), kind }];
}

function matchKv(name: string, patterns: readonly KvPattern[]): { layer: number; kind: KvKind } | undefined {
  for (const pattern of patterns) {
    const groups = pattern.regex.exec(name)?.groups;
    const kind = pattern.kind ?? (groups?.kind as KvKind | undefined);
    if (groups?.layer !== undefined && kind) return { layer: Number(groups.layer), kind };
  }
  return undefined;
}

/** A few names for a message; a 22-layer decoder has 47 inputs. */
function sampleNames(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, … (${names.length} in all)` : shown || 'none';
}

const layerCount = (count: number): string => `${count} layer${count === 1 ? '' : 's'}`;

function signatureError(modelFile: string, problem: string): ModelFolderError {
  return new ModelFolderError(
    `${modelFile} ${problem} The workbench needs a decoder-only LLM exported with KV cache in the ` +
      'Optimum or onnxruntime-genai naming; re-export it, or give another variant.',
    modelFile,
    'unsupported-signature',
  );
}

/** The per-layer key and value names, layer 0 first; empty when no name matches. */
function collectKv(
  modelFile: string,
  what: string,
  names: readonly string[],
  patterns: readonly KvPattern[],
): { keys: string[]; values: string[] } {
  const byLayer = new Map<number, Partial<Record<KvKind, string>>>();
  for (const name of names) {
    const match = matchKv(name, patterns);
    if (!match) continue;
    const layer = byLayer.get(match.layer) ?? {};
    const earlier = layer[match.kind];
    if (earlier !== undefined) {
      throw signatureError(
        modelFile,
        `has two ${what} ${match.kind}s for layer ${match.layer}: ${earlier} and ${name}.`,
      );
    }
    layer[match.kind] = name;
    byLayer.set(match.layer, layer);
  }
  const keys: string[] = [];
  const values: string[] = [];
  for (let layer = 0; layer < byLayer.size; layer += 1) {
    const pair = byLayer.get(layer);
    if (pair?.key === undefined || pair.value === undefined) {
      const missing = pair === undefined ? 'key and value' : pair.key === undefined ? 'key' : 'value';
      throw signatureError(
        modelFile,
        `has ${what}s for ${layerCount(byLayer.size)}, but layer ${layer} has no ${missing} ` +
          `(found: ${sampleNames(names.filter((name) => matchKv(name, patterns)))}).`,
      );
    }
    keys.push(pair.key);
    values.push(pair.value);
  }
  return { keys, values };
}

/** The first candidate the graph has; genai_config's name goes first when it gives one. */
function pickName(names: readonly string[], candidates: readonly (string | undefined)[]): string | null {
  return candidates.find((candidate) => candidate !== undefined && names.includes(candidate)) ?? null;
}

const positiveOrNull = (dim: number | string | undefined): number | null =>
  typeof dim === 'number' && dim > 0 ? dim : null;

/** What config.json / genai_config.json say, used where the graph leaves a KV dim symbolic. */
export interface SignatureHints {
  genaiNames: GenaiNames | null;
  kvHeads: number | null;
  headDim: number | null;
}

/** Reads the decoder signature from the graph; throws when it is not a decoder with KV cache. */
export function decoderSignature(
  modelFile: string,
  graph: GraphProto,
  initializerNames: ReadonlySet<string>,
  hints: SignatureHints,
): DecoderSignature {
  // before IR 4, initializers were also listed as graph inputs; they are weights, not feeds
  const inputs = graph.input.filter((info) => !initializerNames.has(info.name ?? '')).map(tensorSignature);
  const outputs = graph.output.map(tensorSignature);
  const inputNames = inputs.map((input) => input.name);
  const outputNames = outputs.map((output) => output.name);
  const genai = hints.genaiNames ?? {};

  const inputIds = pickName(inputNames, [genai.input_ids, 'input_ids']);
  if (inputIds === null) {
    throw signatureError(modelFile, `has no input_ids input (its inputs: ${sampleNames(inputNames)}).`);
  }
  const logits = pickName(outputNames, [genai.logits, 'logits']);
  if (logits === null) {
    throw signatureError(modelFile, `has no logits output (its outputs: ${sampleNames(outputNames)}).`);
  }
  const past = collectKv(modelFile, 'past input', inputNames, [
    ...genaiPattern(genai.past_key_names, 'key'),
    ...genaiPattern(genai.past_value_names, 'value'),
    ...PAST_PATTERNS,
  ]);
  if (past.keys.length === 0) {
    throw new ModelFolderError(
      `${modelFile} has no past_key_values inputs: the workbench needs a decoder exported with KV cache ` +
        "(e.g. optimum's --task text-generation-with-past). Its inputs: " +
        `${sampleNames(inputNames)}.`,
      modelFile,
      'no-kv-cache',
    );
  }
  const present = collectKv(modelFile, 'present output', outputNames, [
    ...genaiPattern(genai.present_key_names, 'key'),
    ...genaiPattern(genai.present_value_names, 'value'),
    ...PRESENT_PATTERNS,
  ]);
  if (present.keys.length !== past.keys.length) {
    throw signatureError(
      modelFile,
      `has past inputs for ${layerCount(past.keys.length)} but present outputs for ` +
        `${layerCount(present.keys.length)} ` +
        `(its outputs: ${sampleNames(outputNames)}).`,
    );
  }

  const pastKey = inputs.find((input) => input.name === past.keys[0])!;
  if (pastKey.dims !== null && pastKey.dims.length !== 4) {
    throw signatureError(
      modelFile,
      `has past input ${pastKey.name} of shape [${pastKey.dims.join(', ')}], not [batch, kv_heads, ` +
        'sequence, head_dim].',
    );
  }
  return {
    inputs,
    outputs,
    roles: {
      inputIds,
      attentionMask: pickName(inputNames, [genai.attention_mask, 'attention_mask']),
      positionIds: pickName(inputNames, [genai.position_ids, 'position_ids']),
      pastKeys: past.keys,
      pastValues: past.values,
      presentKeys: present.keys,
      presentValues: present.values,
      logits,
    },
    kvLayout: 'BNSH',
    kvDtype: pastKey.dtype,
    numLayers: past.keys.length,
    kvHeads: positiveOrNull(pastKey.dims?.[1]) ?? hints.kvHeads,
    headDim: positiveOrNull(pastKey.dims?.[3]) ?? hints.headDim,
    logitsPositions: logitsPositions(
      inputs.find((input) => input.name === inputIds)!,
      outputs.find((output) => output.name === logits)!,
    ),
    canShareKvBuffer: canShareKvBuffer(
      graph,
      [...past.keys, ...past.values],
      [...present.keys, ...present.values],
    ),
  };
}

/** GroupQueryAttention's past_key / past_value inputs and present_key / present_value outputs. */
const GQA_PAST_INPUTS = [3, 4];
const GQA_PRESENT_OUTPUTS = [1, 2];

function canShareKvBuffer(graph: GraphProto, pasts: readonly string[], presents: readonly string[]): boolean {
  const gqa = graph.node.filter((n) => n.op_type === 'GroupQueryAttention');
  if (gqa.length === 0) return false;
  const pastNames = new Set(pasts);
  const fedOnlyToGqa = graph.node.every((n) =>
    n.input.every(
      (name, index) =>
        !pastNames.has(name) || (n.op_type === 'GroupQueryAttention' && GQA_PAST_INPUTS.includes(index)),
    ),
  );
  const fromGqa = new Set(gqa.flatMap((n) => GQA_PRESENT_OUTPUTS.map((index) => n.output[index])));
  return fedOnlyToGqa && presents.every((name) => fromGqa.has(name));
}

/**
 * 'last' when the logits' sequence dim is fixed at 1, 'all' when it is the input ids' own symbolic
 * sequence dim; anything else the graph does not say.
 */
function logitsPositions(ids: TensorSignature, logits: TensorSignature): DecoderSignature['logitsPositions'] {
  const positions = logits.dims?.[1];
  if (positions === 1) return 'last';
  const sequence = ids.dims?.[1];
  if (typeof positions === 'string' && positions !== UNNAMED_DIM && positions === sequence) return 'all';
  return 'unknown';
}
