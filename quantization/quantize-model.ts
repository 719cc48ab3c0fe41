import path from 'node:path';
import type { DecoderSignature } from '../profiler/api';
import {
  createModelWriter,
  DataType,
  MICROSOFT_DOMAIN,
  readModel,
  type ModelWriter,
  type NodeProto,
  type WrittenModel,
} from '../profiler/onnx';
import { toFloat16 } from './float-values';
import { chooseFormats, pickFormat } from './formats/choose-formats';
import type { InitializerSink, Int64Constant, QuantizeDecision } from './formats/weight-format';
import { castKvCache, toFloat16Graph, type GraphParts } from './graph-dtypes';
import type { QuantOptions } from './presets';
import { analyzeWeightUses, type GraphUses } from './weight-uses';

export type { QuantizeDecision } from './formats/weight-format';

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

/**
 * Rewrites one decoder .onnx into a quantized copy, one weight at a time: read, quantize, write,
 * release (peak memory ≈ the largest weight). The source is only read.
 *
 * A pipeline: the weights' uses are analysed once, the options choose the formats once, then each
 * initializer goes to the first format that takes it (formats/). The loop knows no format by name.
 */
export async function quantizeModelFile(
  sourceModelFile: string,
  target: { dir: string; modelFileName: string },
  { options, signature, onProgress, signal }: QuantizeModelOptions,
): Promise<{ written: WrittenModel; decisions: QuantizeDecision[] }> {
  const source = await readModel(sourceModelFile);
  const graph = source.graph;
  const uses = analyzeWeightUses(graph, signature.roles);
  const formats = chooseFormats(options);
  const floatType = options.activations === 'float16' ? DataType.FLOAT16 : DataType.FLOAT;
  const writer = createModelWriter({ dir: target.dir, modelFileName: target.modelFileName });
  const sink = initializerSink(writer, floatType);
  const decisions = unquantizableNodes(uses);
  /** node → its replacement(s); nodes mapped to [] are dropped */
  const replacements = new Map<NodeProto, NodeProto[]>();
  const constants: Int64Constant[] = [];

  const total = graph.initializer.length;
  try {
    for (const [index, tensor] of graph.initializer.entries()) {
      signal?.throwIfAborted();
      const name = tensor.name ?? '';
      onProgress?.({ doneTensors: index, totalTensors: total, tensor: name });
      const plan = uses.plans.get(name);
      const { format, skipped } = pickFormat(formats, tensor, plan);
      if (skipped) decisions.push({ tensor: name, action: 'skipped', detail: skipped });
      const result = await format.write({ tensor, plan, bytes: await source.tensorBytes(tensor) }, sink);
      for (const [replaced, nodes] of result.replacements) replacements.set(replaced, nodes);
      constants.push(...result.constants);
      decisions.push(...result.decisions);
    }
    for (const { name, values } of constants) {
      await sink.add(name, DataType.INT64, [values.length], BigInt64Array.from(values, BigInt));
    }

    let parts: GraphParts = {
      nodes: graph.node.flatMap((n) => replacements.get(n) ?? [n]),
      inputs: graph.input.filter((input) => !source.initializers.has(input.name ?? '')),
      outputs: [...graph.output],
    };
    if (floatType === DataType.FLOAT16) parts = toFloat16Graph(parts);
    const kvType = options.kvDtype === 'float16' ? DataType.FLOAT16 : DataType.FLOAT;
    parts = castKvCache(parts, signature, kvType, floatType);

    const written = await writer.finish({
      ...parts,
      opsetImports: source.model.opset_import.some((o) => o.domain === MICROSOFT_DOMAIN)
        ? source.model.opset_import
        : [...source.model.opset_import, { domain: MICROSOFT_DOMAIN, version: 1 }],
      irVersion: source.model.ir_version ?? 10,
      graphName: graph.name ?? 'main',
      metadata: Object.fromEntries(
        (source.model.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? '']),
      ),
    });
    onProgress?.({ doneTensors: total, totalTensors: total, tensor: path.basename(written.modelPath) });
    return { written, decisions };
  } catch (error) {
    await writer.abort(); // closes the data file a cancelled or failed run leaves open
    throw error;
  }
}

/** Initializers straight to the writer; floats in the variant's float type. */
function initializerSink(writer: ModelWriter, floatType: number): InitializerSink {
  return {
    add: (name, dataType, dims, data) => writer.addInitializer(name, dataType, dims, data),
    addFloat: (name, dims, values) =>
      floatType === DataType.FLOAT16
        ? writer.addInitializer(name, DataType.FLOAT16, dims, toFloat16(values))
        : writer.addInitializer(name, DataType.FLOAT, dims, values),
  };
}

/** The record's first lines: nodes whose weights no format can take, whatever the options. */
function unquantizableNodes(uses: GraphUses): QuantizeDecision[] {
  const decisions: QuantizeDecision[] = uses.nonConstant.map(({ node: n, input }) => ({
    tensor: input,
    action: 'skipped',
    detail: `${n.op_type} ${n.name ?? ''}: its weight is not a constant initializer`,
  }));
  if (uses.alreadyQuantized.length > 0) {
    const ops = [...new Set(uses.alreadyQuantized.map((n) => n.op_type))].join(', ');
    decisions.push({
      tensor: '(graph)',
      action: 'skipped',
      detail: `${uses.alreadyQuantized.length} nodes are already quantized (${ops}); left as they are`,
    });
  }
  return decisions;
}
