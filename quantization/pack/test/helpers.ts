/**
 * Test helpers: a one-node ONNX model written with profiler/onnx's writer and run on onnxruntime-node's
 * CPU provider (so each packer is checked against the op that reads its bytes), and float64 references.
 */
import * as ort from 'onnxruntime-node';
import { DataType, createModelWriter, node, valueInfo } from '../../../profiler/onnx';
import type { AttributeValue } from '../../../profiler/onnx';

export interface TestInitializer {
  name: string;
  dataType: number;
  dims: readonly number[];
  data: ArrayBufferView;
}

export interface SingleNodeModel {
  opType: string;
  /** default 'com.microsoft': every op these packers feed is a contrib op */
  domain?: string;
  attributes: Readonly<Record<string, AttributeValue>>;
  /** the node's inputs in order: names of `feeds` or `initializers` */
  nodeInputs: readonly string[];
  initializers: readonly TestInitializer[];
  feeds: Readonly<Record<string, ort.Tensor>>;
  /** element type of Y, default DataType.FLOAT */
  outputType?: number;
}

const DATA_TYPE_OF: Readonly<Record<string, number>> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  int64: DataType.INT64,
  int32: DataType.INT32,
  uint8: DataType.UINT8,
  int8: DataType.INT8,
};

/** Runs the model in `dir` and returns its single output `Y`; rejects with onnxruntime's own message. */
export async function runSingleNode(dir: string, model: SingleNodeModel): Promise<ort.Tensor> {
  const writer = createModelWriter({ dir });
  for (const { name, dataType, dims, data } of model.initializers) {
    await writer.addInitializer(name, dataType, dims, data);
  }
  const inputs = Object.entries(model.feeds).map(([name, feed]) => {
    const dataType = DATA_TYPE_OF[feed.type];
    if (dataType === undefined) throw new RangeError(`feed "${name}" has unsupported type ${feed.type}`);
    return valueInfo(name, dataType, feed.dims);
  });
  const written = await writer.finish({
    nodes: [node(model.opType, model.nodeInputs, ['Y'], model.attributes, model.domain ?? 'com.microsoft')],
    inputs,
    outputs: [valueInfo('Y', model.outputType ?? DataType.FLOAT)],
  });
  const session = await ort.InferenceSession.create(written.modelPath);
  try {
    const output = (await session.run(model.feeds)).Y;
    if (!output) throw new Error(`${model.opType} produced no output Y`);
    return output;
  } finally {
    await session.release();
  }
}

/** Row-major (rows × inner) · (inner × cols) in float64, the reference product. */
export function matMul(
  a: Float32Array,
  b: Float32Array,
  rows: number,
  inner: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < inner; k++) {
      const aValue = a[r * inner + k] as number;
      const outOffset = r * cols;
      for (let c = 0; c < cols; c++) {
        out[outOffset + c] = (out[outOffset + c] as number) + aValue * (b[k * cols + c] as number);
      }
    }
  }
  return out;
}

/** [rows, cols] row-major → [cols, rows] row-major. */
export function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  }
  return out;
}

/** max |a[i] - b[i]| over two arrays of the same length. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
