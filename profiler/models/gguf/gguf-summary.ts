import type { GgufHeader, GgufReadValue } from './gguf-reader';

/**
 * What a trial, an inspection and the roofline need of a GGUF file, from its header alone: the
 * architecture's shapes, parameters, bytes, and the bytes one decode step reads.
 */
export interface GgufSummary {
  architecture: string;
  name: string | null;
  /** elements of every tensor (a tied head is the embedding: counted once) */
  parameters: number;
  /** bytes of every tensor as stored */
  weightsBytes: number;
  fileBytes: number;
  numLayers: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  maxContextTokens: number | null;
  /**
   * bytes one decode step reads of the weights: every tensor in full, except the token embedding when
   * a separate output.weight exists (then one row is gathered); a tied head reads the embedding whole
   */
  readPerDecodeTokenBytes: number;
  /** tensor count by ggml type, e.g. { Q4_0: 169, F32: 61 } */
  tensorTypes: Record<string, number>;
}

export class GgufSummaryError extends Error {
  override name = 'GgufSummaryError';
}

function numberOf(value: GgufReadValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

export function summarizeGguf(header: GgufHeader): GgufSummary {
  const architecture = header.metadata.get('general.architecture');
  if (typeof architecture !== 'string') {
    throw new GgufSummaryError(
      `${header.file} has no general.architecture: it is not a model llama.cpp can run.`,
    );
  }
  const key = (name: string): number | null => numberOf(header.metadata.get(`${architecture}.${name}`));
  const required = (name: string): number => {
    const value = key(name);
    if (value === null) {
      throw new GgufSummaryError(
        `${header.file} lacks ${architecture}.${name}, which llama.cpp needs to run it.`,
      );
    }
    return value;
  };
  const heads = required('attention.head_count');
  const embedding = required('embedding_length');
  const tokens = header.metadata.get('tokenizer.ggml.tokens');
  const embd = header.tensors.find((tensor) => tensor.name === 'token_embd.weight');
  const vocabSize =
    key('vocab_size') ?? (typeof tokens === 'object' ? tokens.length : null) ?? embd?.dims[1] ?? 0;
  const untied = header.tensors.some((tensor) => tensor.name === 'output.weight');
  const tensorTypes: Record<string, number> = {};
  let weightsBytes = 0;
  let readPerDecodeTokenBytes = 0;
  let parameters = 0;
  for (const tensor of header.tensors) {
    tensorTypes[tensor.type] = (tensorTypes[tensor.type] ?? 0) + 1;
    weightsBytes += tensor.bytes;
    parameters += tensor.elements;
    const rows = tensor.dims[1] ?? 1;
    readPerDecodeTokenBytes += tensor === embd && untied ? tensor.bytes / rows : tensor.bytes;
  }
  const name = header.metadata.get('general.name');
  return {
    architecture,
    name: typeof name === 'string' ? name : null,
    parameters,
    weightsBytes,
    fileBytes: header.fileBytes,
    numLayers: required('block_count'),
    kvHeads: key('attention.head_count_kv') ?? heads,
    headDim: key('attention.key_length') ?? embedding / heads,
    vocabSize,
    maxContextTokens: key('context_length'),
    readPerDecodeTokenBytes,
    tensorTypes,
  };
}
