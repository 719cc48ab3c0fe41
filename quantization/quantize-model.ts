import path from 'node:path';
import {
  attr,
  createModelWriter,
  DataType,
  float32ToFloat16Bits,
  node,
  readModel,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
  type WrittenModel,
} from '../profiler/onnx';
import type { DecoderSignature } from '../profiler/api';
import { quantizeMatMulNBits, quantizePerColumnInt8, unpackZeroPoints, withoutBlockPadding } from './pack';
import type { QuantOptions } from './presets';
import { quantizedGatherNodes, type QuantizedTable } from './quantized-gather';
import { analyzeWeightUses, type WeightPlan } from './weight-uses';

/** What happened to one weight (or node), for the user's summary and quantization.json. */
export interface QuantizeDecision {
  tensor: string;
  action: 'quantized' | 'converted' | 'kept' | 'skipped';
  /** what it became, e.g. "MatMulNBits 4-bit ×22", "GatherBlockQuantized" */
  detail: string;
}

export interface QuantizeProgress {
  doneTensors: number;
  totalTensors: number;
  tensor: string;
}

export interface QuantizeModelOptions {
  options: QuantOptions;
  /** roles of the decoder's KV inputs and outputs, for the KV-cache dtype */
  signature: DecoderSignature;
  onProgress?: (progress: QuantizeProgress) => void;
  signal?: AbortSignal;
}

const FLOAT16_MAX = 65504;

/** Tensor bytes as float32 values; copies when the bytes are not 4-byte aligned. */
function asFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(bytes.slice().buffer);
}

/** fp32 → fp16, clamping finite values to ±65504: a float32-min mask constant must stay finite, not −inf. */
function toFloat16(values: Float32Array): Uint16Array {
  const clamped = values.map((v) =>
    Number.isFinite(v) ? Math.max(-FLOAT16_MAX, Math.min(FLOAT16_MAX, v)) : v,
  );
  return float32ToFloat16Bits(clamped);
}

const MS = 'com.microsoft';

/**
 * Rewrites one decoder .onnx into a quantized copy, one weight at a time: read, quantize, write,
 * release (peak memory ≈ the largest weight). The source is only read.
 */
export async function quantizeModelFile(
  sourceModelFile: string,
  target: { dir: string; modelFileName: string },
  { options, signature, onProgress, signal }: QuantizeModelOptions,
): Promise<{ written: WrittenModel; decisions: QuantizeDecision[] }> {
  const source = await readModel(sourceModelFile);
  const graph = source.graph;
  const uses = analyzeWeightUses(graph, signature.roles);
  const decisions: QuantizeDecision[] = [];
  const half = options.activations === 'float16';
  const floatType = half ? DataType.FLOAT16 : DataType.FLOAT;
  const writer = createModelWriter({ dir: target.dir, modelFileName: target.modelFileName });
  /** node → its replacement(s); nodes mapped to [] are dropped */
  const replacements = new Map<NodeProto, NodeProto[]>();

  for (const { node: n, input } of uses.nonConstant) {
    decisions.push({
      tensor: input,
      action: 'skipped',
      detail: `${n.op_type} ${n.name ?? ''}: its weight is not a constant initializer`,
    });
  }
  if (uses.alreadyQuantized.length > 0) {
    decisions.push({
      tensor: '(graph)',
      action: 'skipped',
      detail: `${uses.alreadyQuantized.length} nodes are already quantized (${[...new Set(uses.alreadyQuantized.map((n) => n.op_type))].join(', ')}); left as they are`,
    });
  }

  const writeFloat = (name: string, dims: readonly number[], values: Float32Array): Promise<TensorProto> =>
    half
      ? writer.addInitializer(name, DataType.FLOAT16, dims, toFloat16(values))
      : writer.addInitializer(name, DataType.FLOAT, dims, values);

  async function quantizeNBits(plan: WeightPlan, values: Float32Array): Promise<string> {
    const name = plan.tensor.name ?? '';
    const [rows, cols] = plan.tensor.dims as [number, number];
    const layout = plan.uses[0]!.layout;
    const [K, N] = layout === 'KN' ? [rows, cols] : [cols, rows];
    const { bits, blockSize } = options;
    const q = quantizeMatMulNBits(values, K, N, {
      bits,
      blockSize,
      symmetric: options.symmetric,
      transposed: layout === 'NK',
    });
    const matmuls = plan.uses.filter((use) => use.kind === 'matmul');
    const gathers = plan.uses.filter((use) => use.kind === 'gather');
    const qName = `${name}_Q${bits}`;
    const scalesName = `${name}_scales`;
    const zpName = `${name}_zero_points`;
    // A table only gathered (an untied embedding) is stored without B's padding of K to whole blocks:
    // GatherBlockQuantized reads a short last block, so none is stored or counted as weights. A table
    // a tied lm_head also reads stays B, one copy for both ops.
    const unpadded = matmuls.length === 0 ? withoutBlockPadding(q, N, K, bits) : undefined;
    if (unpadded) await writer.addInitializer(qName, DataType.UINT8, unpadded.dataDims, unpadded.packed);
    else await writer.addInitializer(qName, DataType.UINT8, [N, q.kBlocks, q.blobSize], q.packed);
    await writeFloat(scalesName, [N, q.kBlocks], q.scales);
    if (q.zeroPoints)
      await writer.addInitializer(zpName, DataType.UINT8, [N, q.zeroPoints.length / N], q.zeroPoints);
    // GatherBlockQuantized on the 3-D B wants one zero point per [row, block] (its packed axis, the
    // last, has length 1): MatMulNBits' two-per-byte zero points unpacked into their own small tensor
    const gatherZpName = `${name}_gather_zero_points`;
    if (q.zeroPoints && gathers.length > 0 && !unpadded) {
      const unpacked = unpackZeroPoints(q.zeroPoints, N, q.kBlocks, bits);
      await writer.addInitializer(gatherZpName, DataType.UINT8, [N, q.kBlocks, 1], unpacked);
    }
    for (const use of matmuls) {
      const inputs = [use.node.input[0]!, qName, scalesName, ...(q.zeroPoints ? [zpName] : [])];
      const attributes = {
        K: attr.int(K),
        N: attr.int(N),
        bits: attr.int(bits),
        block_size: attr.int(blockSize),
        ...(options.accuracyLevel > 0 ? { accuracy_level: attr.int(options.accuracyLevel) } : {}),
      };
      const nodeName = `${use.node.name ?? use.node.output[0]}_Q${bits}`;
      replacements.set(use.node, [node('MatMulNBits', inputs, use.node.output, attributes, MS, nodeName)]);
      if (use.transpose) replacements.set(use.transpose, []);
    }
    const table: QuantizedTable = {
      data: qName,
      scales: scalesName,
      ...(q.zeroPoints ? { zeroPoints: unpadded ? zpName : gatherZpName } : {}),
      layout: unpadded ? 'rows' : 'shared',
      K,
      kBlocks: q.kBlocks,
      gatheredCols: unpadded?.gatheredCols ?? q.kBlocks * blockSize,
      bits,
      blockSize,
    };
    for (const use of gathers)
      replacements.set(use.node, quantizedGatherNodes(use.node, table, int64Constant));
    const parts = [
      matmuls.length ? `MatMulNBits ${bits}-bit ×${matmuls.length}` : '',
      gathers.length ? `GatherBlockQuantized ×${gathers.length}` : '',
    ].filter(Boolean);
    return `${parts.join(' + ')} (block ${blockSize}, ${options.symmetric ? 'symmetric' : 'asymmetric'})`;
  }

  const constants: { name: string; values: number[] }[] = [];
  function int64Constant(name: string, values: number[]): string {
    constants.push({ name, values });
    return name;
  }

  async function quantizeDynamicInt8(plan: WeightPlan, values: Float32Array): Promise<string> {
    const name = plan.tensor.name ?? '';
    const [rows, cols] = plan.tensor.dims as [number, number];
    const layout = plan.uses[0]!.layout;
    const [K, N] = layout === 'KN' ? [rows, cols] : [cols, rows];
    const q = quantizePerColumnInt8(values, K, N, { transposed: layout === 'NK' });
    await writer.addInitializer(`${name}_int8`, DataType.INT8, [K, N], q.data);
    await writer.addInitializer(`${name}_scale`, DataType.FLOAT, [N], q.scales);
    for (const use of plan.uses) {
      replacements.set(use.node, [
        node(
          'DynamicQuantizeMatMul',
          [use.node.input[0]!, `${name}_int8`, `${name}_scale`],
          use.node.output,
          {},
          MS,
          `${use.node.name ?? use.node.output[0]}_int8`,
        ),
      ]);
      if (use.transpose) replacements.set(use.transpose, []);
    }
    return `DynamicQuantizeMatMul int8 per column ×${plan.uses.length}`;
  }

  const total = graph.initializer.length;
  for (const [index, tensor] of graph.initializer.entries()) {
    signal?.throwIfAborted();
    const name = tensor.name ?? '';
    onProgress?.({ doneTensors: index, totalTensors: total, tensor: name });
    const plan = uses.plans.get(name);
    const isFloat = tensor.data_type === DataType.FLOAT;
    const matmulUses = plan?.uses.filter((use) => use.kind === 'matmul') ?? [];
    const gatherUses = plan?.uses.filter((use) => use.kind === 'gather') ?? [];
    let handled = false;
    if (plan && !plan.blocker && (options.weights === 'nbits' || options.weights === 'dynamic-int8')) {
      const [rows, cols] = tensor.dims as [number, number];
      const K = plan.uses[0]!.layout === 'KN' ? rows : cols;
      // an embedding is quantized only when asked, and the dynamic path has no quantized Gather
      const wantGather = gatherUses.length > 0 && options.quantizeEmbeddings && options.weights === 'nbits';
      if (gatherUses.length > 0 && !wantGather && matmulUses.length > 0 && options.weights === 'nbits') {
        plan.blocker = 'the table is also gathered as an embedding, which this preset keeps in float';
      } else if (K < options.blockSize && options.weights === 'nbits') {
        plan.blocker = `K = ${K} is smaller than the block size ${options.blockSize}`;
      } else if (wantGather || matmulUses.length > 0) {
        const values = asFloat32(await source.tensorBytes(tensor));
        if (options.weights === 'nbits') {
          decisions.push({ tensor: name, action: 'quantized', detail: await quantizeNBits(plan, values) });
        } else {
          // int8-dyn rewrites the MatMuls; a gathered table stays float beside its int8 copy
          const dynamicPlan = { ...plan, uses: matmulUses };
          decisions.push({
            tensor: name,
            action: 'quantized',
            detail: await quantizeDynamicInt8(dynamicPlan, values),
          });
          if (gatherUses.length > 0) await writeFloat(name, tensor.dims, values);
        }
        handled = true;
      }
    }
    if (!handled) {
      if (plan?.blocker && options.weights !== 'float32' && options.weights !== 'float16') {
        decisions.push({ tensor: name, action: 'skipped', detail: plan.blocker });
      }
      const bytes = await source.tensorBytes(tensor);
      if (isFloat && half) {
        await writer.addInitializer(name, DataType.FLOAT16, tensor.dims, toFloat16(asFloat32(bytes)));
        if (plan) decisions.push({ tensor: name, action: 'converted', detail: 'float16' });
      } else {
        await writer.addInitializer(name, tensor.data_type ?? DataType.UNDEFINED, tensor.dims, bytes);
      }
    }
  }
  for (const constant of constants) {
    await writer.addInitializer(
      constant.name,
      DataType.INT64,
      [constant.values.length],
      BigInt64Array.from(constant.values, BigInt),
    );
  }

  let nodes = graph.node.flatMap((n) => replacements.get(n) ?? [n]);
  let inputs: ValueInfoProto[] = graph.input.filter((input) => !source.initializers.has(input.name ?? ''));
  let outputs: ValueInfoProto[] = [...graph.output];
  if (half) ({ nodes, inputs, outputs } = toFloat16Graph(nodes, inputs, outputs));
  ({ nodes, inputs, outputs } = castKvCache(
    nodes,
    inputs,
    outputs,
    signature,
    options.kvDtype === 'float16' ? DataType.FLOAT16 : DataType.FLOAT,
    floatType,
  ));

  const written = await writer.finish({
    nodes,
    inputs,
    outputs,
    opsetImports: source.model.opset_import.some((o) => o.domain === MS)
      ? source.model.opset_import
      : [...source.model.opset_import, { domain: MS, version: 1 }],
    irVersion: source.model.ir_version ?? 10,
    graphName: graph.name ?? 'main',
    metadata: Object.fromEntries(
      (source.model.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? '']),
    ),
  });
  onProgress?.({ doneTensors: total, totalTensors: total, tensor: path.basename(written.modelPath) });
  return { written, decisions };
}

/** Float graph I/O, Cast targets and Constant values become float16. */
function toFloat16Graph(nodes: NodeProto[], inputs: ValueInfoProto[], outputs: ValueInfoProto[]) {
  const retype = (info: ValueInfoProto): ValueInfoProto => {
    const tensorType = info.type?.tensor_type;
    if (tensorType?.elem_type !== DataType.FLOAT) return info;
    return { ...info, type: { ...info.type, tensor_type: { ...tensorType, elem_type: DataType.FLOAT16 } } };
  };
  const converted = nodes.map((n) => {
    if (n.op_type === 'Cast') {
      return {
        ...n,
        attribute: n.attribute.map((a) =>
          a.name === 'to' && a.i === DataType.FLOAT ? { ...a, i: DataType.FLOAT16 } : a,
        ),
      };
    }
    if (n.op_type === 'Constant' || n.op_type === 'ConstantOfShape') {
      return {
        ...n,
        attribute: n.attribute.map((a) => {
          const t = a.t;
          if (!t || t.data_type !== DataType.FLOAT) return a;
          const values = t.raw_data ? asFloat32(t.raw_data) : Float32Array.from(t.float_data ?? []);
          return {
            ...a,
            t: {
              ...t,
              data_type: DataType.FLOAT16,
              float_data: [],
              raw_data: new Uint8Array(toFloat16(values).buffer),
            },
          };
        }),
      };
    }
    return n;
  });
  return { nodes: converted, inputs: inputs.map(retype), outputs: outputs.map(retype) };
}

/** When the KV cache's dtype differs from the activations', Cast at the graph boundary. */
function castKvCache(
  nodes: NodeProto[],
  inputs: ValueInfoProto[],
  outputs: ValueInfoProto[],
  signature: DecoderSignature,
  kvType: number,
  activationType: number,
) {
  if (kvType === activationType) return { nodes, inputs, outputs };
  const past = new Set([...signature.roles.pastKeys, ...signature.roles.pastValues]);
  const present = new Set([...signature.roles.presentKeys, ...signature.roles.presentValues]);
  const withType = (info: ValueInfoProto, type: number): ValueInfoProto => ({
    ...info,
    type: { ...info.type, tensor_type: { ...info.type?.tensor_type, elem_type: type } },
  });
  const rename = (name: string): string =>
    past.has(name) ? `${name}/as_activation` : present.has(name) ? `${name}/as_activation` : name;
  const rewired = nodes.map((n) => ({
    ...n,
    input: n.input.map((i) => (past.has(i) ? rename(i) : i)),
    output: n.output.map((o) => (present.has(o) ? rename(o) : o)),
  }));
  const casts = [
    ...[...past].map((name) =>
      node('Cast', [name], [rename(name)], { to: attr.int(activationType) }, '', `${name}/Cast`),
    ),
    ...[...present].map((name) =>
      node('Cast', [rename(name)], [name], { to: attr.int(kvType) }, '', `${name}/Cast`),
    ),
  ];
  return {
    nodes: [...casts.slice(0, past.size), ...rewired, ...casts.slice(past.size)],
    inputs: inputs.map((info) => (past.has(info.name ?? '') ? withType(info, kvType) : info)),
    outputs: outputs.map((info) => (present.has(info.name ?? '') ? withType(info, kvType) : info)),
  };
}
