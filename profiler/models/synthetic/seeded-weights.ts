import type { WeightTensor } from '../../../common/catalog/tensor-breakdown';

/**
 * Seeded synthetic weights. Speed and memory do not depend on weight values, but numerics tests and
 * greedy-decode comparisons need the *same* values wherever a tensor is generated (either ONNX graph
 * style, the TypeScript reference), so each tensor's values depend only on (seed, name).
 *
 * Values are defined in the ONNX layout the graphs store: projections as MatMul weights [in, out]
 * (PyTorch's [out, in] transposed), everything else in its PyTorch shape. A builder can then stream a
 * tensor to disk in order, chunk by chunk, without ever transposing or holding it whole.
 */

/** FNV-1a over the name, mixed with the seed: the per-tensor stream seed (32-bit, non-zero). */
function tensorSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 0x9e3779b9; // xorshift needs a non-zero state
}

/**
 * HF's initializer_range (0.02) as the std of projections and embeddings keeps activations, and so
 * logits, in the range real checkpoints have. uniform(−a, a) has std a/√3.
 */
const projectionHalfWidth = 0.02 * Math.sqrt(3);

/** Norm weights sit near 1, as trained ones do, but not at 1, so a test notices a dropped norm weight. */
function isNormWeight(name: string): boolean {
  return /norm\.weight$/.test(name);
}

/** Projections are stored as MatMul weights. */
export function isProjectionWeight(name: string): boolean {
  return /_proj\.weight$/.test(name);
}

/** The tensor's shape as the ONNX graphs store it: [in, out] for projections. */
export function onnxLayoutShape(tensor: Pick<WeightTensor, 'name' | 'shape'>): number[] {
  const [out, inWidth] = tensor.shape;
  return isProjectionWeight(tensor.name) && out !== undefined && inWidth !== undefined
    ? [inWidth, out]
    : [...tensor.shape];
}

/** A resumable xorshift32 stream of uniform values: chunk after chunk gives the same values as one fill. */
export class SeededUniformStream {
  private state: number;
  private readonly low: number;
  private readonly step: number;

  constructor(seed: number, center: number, halfWidth: number) {
    this.state = seed;
    this.low = center - halfWidth;
    this.step = (2 * halfWidth) / 4294967296; // maps uint32 onto [0, 2·halfWidth)
  }

  fill(out: Float32Array): Float32Array {
    let x = this.state;
    const { low, step } = this;
    for (let i = 0; i < out.length; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = low + (x >>> 0) * step;
    }
    this.state = x;
    return out;
  }
}

/** The value stream of one stored tensor (shared tensors take their source's name, so their values). */
export function seededStream(
  seed: number,
  tensor: Pick<WeightTensor, 'name' | 'sharedFrom'>,
): SeededUniformStream {
  const name = tensor.sharedFrom ?? tensor.name;
  return isNormWeight(name)
    ? new SeededUniformStream(tensorSeed(seed, name), 1, 0.1)
    : new SeededUniformStream(tensorSeed(seed, name), 0, projectionHalfWidth);
}

/** All values of one tensor, in ONNX layout (fp32). For small tensors and tests. */
export function seededTensorValues(
  seed: number,
  tensor: Pick<WeightTensor, 'name' | 'parameters' | 'sharedFrom'>,
): Float32Array {
  return seededStream(seed, tensor).fill(new Float32Array(tensor.parameters));
}

/**
 * The values of one tensor in chunks of at most `chunkElements`, in order: a 197M-element embedding
 * never sits in memory whole. The yielded array is reused: consume it before asking for the next.
 */
export function* seededTensorChunks(
  seed: number,
  tensor: Pick<WeightTensor, 'name' | 'parameters' | 'sharedFrom'>,
  chunkElements = 4 * 1024 * 1024,
): Generator<Float32Array> {
  const stream = seededStream(seed, tensor);
  const buffer = new Float32Array(Math.min(chunkElements, tensor.parameters));
  for (let done = 0; done < tensor.parameters; done += buffer.length) {
    const size = Math.min(buffer.length, tensor.parameters - done);
    yield stream.fill(size === buffer.length ? buffer : buffer.subarray(0, size));
  }
}
