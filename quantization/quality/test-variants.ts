import { cp } from 'node:fs/promises';
import path from 'node:path';
import {
  attr,
  createModelWriter,
  DataType,
  node,
  readModel,
  type NodeProto,
  type ValueInfoProto,
} from '../../profiler/onnx';

/**
 * Test variants of a built model folder, written with profiler/onnx: weights deliberately perturbed
 * (a stand-in for quantization error of a chosen size) or logits cast to float16 (how q4f16 and fp16
 * models return them). The folder is copied whole first, so config.json and friends come along.
 */
export interface VariantEdit {
  /** every MatMul weight w becomes w · (1 + scale · u), u uniform in [-1, 1), seeded */
  weightNoise?: { scale: number; seed: number };
  /** append Cast(to float16) to the logits output */
  float16Logits?: boolean;
  /** every quantization scale (initializers named *_scales) s becomes s · (1 + scale · u) */
  scalesNoise?: { scale: number; seed: number };
  /** the tied lm_head as Optimum exports it: Transpose(embedding) → MatMul, instead of Gemm(transB) */
  lmHeadAsTransposeMatMul?: boolean;
}

/** Gemm(h, E, transB=1) → MatMul(h, Transpose(E)): same numbers, the other export style for tied heads. */
function gemmToTransposeMatMul(nodes: NodeProto[]): NodeProto[] {
  return nodes.flatMap((n) => {
    if (n.op_type !== 'Gemm') return [n];
    const transposed = `${n.input[1]}_transposed`;
    return [
      node('Transpose', [n.input[1]!], [transposed], { perm: attr.ints([1, 0]) }, '', `${n.name}/Transpose`),
      node('MatMul', [n.input[0]!, transposed], n.output, {}, '', `${n.name}/MatMul`),
    ];
  });
}

/** xorshift32 → [-1, 1): reproducible noise without a dependency. */
function noiseSource(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 31 - 1;
  };
}

function castLogitsToFloat16(nodes: NodeProto[], outputs: ValueInfoProto[], logits: string): void {
  const widened = `${logits}_float32`;
  for (const n of nodes) n.output = n.output.map((name) => (name === logits ? widened : name));
  nodes.push(node('Cast', [widened], [logits], { to: attr.int(DataType.FLOAT16) }));
  const output = outputs.find((o) => o.name === logits)!;
  output.type!.tensor_type!.elem_type = DataType.FLOAT16;
}

/**
 * Copies `sourceDir` to `destDir` and rewrites its model (`modelFile`, relative to the folder) with the
 * edit applied. Returns the destination folder.
 */
export async function writeVariant(
  sourceDir: string,
  modelFile: string,
  destDir: string,
  edit: VariantEdit,
): Promise<string> {
  await cp(sourceDir, destDir, { recursive: true });
  const source = await readModel(path.join(sourceDir, modelFile));
  const { graph } = source;
  const matmulWeights = new Set(graph.node.filter((n) => n.op_type === 'MatMul').map((n) => n.input[1]));
  const noise = edit.weightNoise && noiseSource(edit.weightNoise.seed);
  const scalesNoise = edit.scalesNoise && noiseSource(edit.scalesNoise.seed);
  const writer = createModelWriter({ dir: path.dirname(path.join(destDir, modelFile)) });
  for (const tensor of graph.initializer) {
    const bytes = await source.tensorBytes(tensor);
    let data: ArrayBufferView = bytes;
    if (noise && tensor.data_type === DataType.FLOAT && matmulWeights.has(tensor.name)) {
      const weights = new Float32Array(bytes.slice().buffer);
      for (let i = 0; i < weights.length; i += 1) weights[i]! *= 1 + edit.weightNoise!.scale * noise();
      data = weights;
    }
    if (scalesNoise && tensor.data_type === DataType.FLOAT && tensor.name!.endsWith('_scales')) {
      const scales = new Float32Array(bytes.slice().buffer);
      for (let i = 0; i < scales.length; i += 1) scales[i]! *= 1 + edit.scalesNoise!.scale * scalesNoise();
      data = scales;
    }
    await writer.addInitializer(tensor.name!, tensor.data_type!, tensor.dims, data);
  }
  const copied = graph.node.map((n) => ({ ...n, output: [...n.output] }));
  const nodes = edit.lmHeadAsTransposeMatMul ? gemmToTransposeMatMul(copied) : copied;
  const outputs = structuredClone(graph.output);
  if (edit.float16Logits) castLogitsToFloat16(nodes, outputs, 'logits');
  await writer.finish({
    nodes,
    inputs: graph.input,
    outputs,
    valueInfo: graph.value_info ?? [],
    opsetImports: source.model.opset_import,
    irVersion: source.model.ir_version,
  });
  return destDir;
}
