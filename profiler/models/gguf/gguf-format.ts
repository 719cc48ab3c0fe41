/**
 * GGUF, llama.cpp's model file (ggml's gguf.h / docs/gguf.md), version 3, little-endian:
 * magic "GGUF", u32 version, u64 tensor count, u64 metadata count, the metadata pairs, the tensor
 * infos, padding to `general.alignment`, then the data section with each tensor at its (aligned) offset.
 * This file holds the constants both the writer and the reader use.
 */

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
/** bytes; the data section and every tensor in it start at a multiple of this unless the file says otherwise */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Metadata value types (gguf_type). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueTypeCode = (typeof GgufValueType)[keyof typeof GgufValueType];

/** Bytes of one scalar of each fixed-size value type. */
export const GGUF_SCALAR_BYTES: Partial<Record<GgufValueTypeCode, number>> = {
  [GgufValueType.UINT8]: 1,
  [GgufValueType.INT8]: 1,
  [GgufValueType.UINT16]: 2,
  [GgufValueType.INT16]: 2,
  [GgufValueType.UINT32]: 4,
  [GgufValueType.INT32]: 4,
  [GgufValueType.FLOAT32]: 4,
  [GgufValueType.BOOL]: 1,
  [GgufValueType.UINT64]: 8,
  [GgufValueType.INT64]: 8,
  [GgufValueType.FLOAT64]: 8,
};

/** The tensor types the workbench writes. */
export const GGUF_WRITE_TYPES = ['F32', 'F16', 'Q8_0', 'Q4_0'] as const;
export type GgufWriteType = (typeof GGUF_WRITE_TYPES)[number];

interface GgmlTypeInfo {
  name: string;
  /** elements per block along ne[0] */
  blockElements: number;
  /** bytes per block */
  blockBytes: number;
}

/**
 * ggml_type codes with their block layout (ggml.c's type_traits), for the types a reader may meet.
 * Codes 4, 5 (Q4_2, Q4_3) and 31–33 (Q4_0_4_4 …) were removed from ggml and are not listed.
 */
export const GGML_TYPES: Readonly<Record<number, GgmlTypeInfo>> = {
  0: { name: 'F32', blockElements: 1, blockBytes: 4 },
  1: { name: 'F16', blockElements: 1, blockBytes: 2 },
  2: { name: 'Q4_0', blockElements: 32, blockBytes: 18 },
  3: { name: 'Q4_1', blockElements: 32, blockBytes: 20 },
  6: { name: 'Q5_0', blockElements: 32, blockBytes: 22 },
  7: { name: 'Q5_1', blockElements: 32, blockBytes: 24 },
  8: { name: 'Q8_0', blockElements: 32, blockBytes: 34 },
  9: { name: 'Q8_1', blockElements: 32, blockBytes: 36 },
  10: { name: 'Q2_K', blockElements: 256, blockBytes: 84 },
  11: { name: 'Q3_K', blockElements: 256, blockBytes: 110 },
  12: { name: 'Q4_K', blockElements: 256, blockBytes: 144 },
  13: { name: 'Q5_K', blockElements: 256, blockBytes: 176 },
  14: { name: 'Q6_K', blockElements: 256, blockBytes: 210 },
  15: { name: 'Q8_K', blockElements: 256, blockBytes: 292 },
  16: { name: 'IQ2_XXS', blockElements: 256, blockBytes: 66 },
  17: { name: 'IQ2_XS', blockElements: 256, blockBytes: 74 },
  18: { name: 'IQ3_XXS', blockElements: 256, blockBytes: 98 },
  19: { name: 'IQ1_S', blockElements: 256, blockBytes: 50 },
  20: { name: 'IQ4_NL', blockElements: 32, blockBytes: 18 },
  21: { name: 'IQ3_S', blockElements: 256, blockBytes: 110 },
  22: { name: 'IQ2_S', blockElements: 256, blockBytes: 82 },
  23: { name: 'IQ4_XS', blockElements: 256, blockBytes: 136 },
  24: { name: 'I8', blockElements: 1, blockBytes: 1 },
  25: { name: 'I16', blockElements: 1, blockBytes: 2 },
  26: { name: 'I32', blockElements: 1, blockBytes: 4 },
  27: { name: 'I64', blockElements: 1, blockBytes: 8 },
  28: { name: 'F64', blockElements: 1, blockBytes: 8 },
  29: { name: 'IQ1_M', blockElements: 256, blockBytes: 56 },
  30: { name: 'BF16', blockElements: 1, blockBytes: 2 },
  34: { name: 'TQ1_0', blockElements: 256, blockBytes: 54 },
  35: { name: 'TQ2_0', blockElements: 256, blockBytes: 66 },
  39: { name: 'MXFP4', blockElements: 32, blockBytes: 17 },
};

export const GGML_TYPE_CODE: Readonly<Record<GgufWriteType, number>> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 };

/** llama_ftype: what `general.file_type` says of the file's main weights ("mostly Q4_0"). */
export const LLAMA_FILE_TYPE: Readonly<Record<GgufWriteType, number>> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

/** Bytes of a tensor of `elements` elements whose rows are `rowElements` long, in ggml type `code`. */
export function ggmlTensorBytes(code: number, rowElements: number, elements: number): number {
  const info = GGML_TYPES[code];
  if (!info) throw new Error(`unknown ggml type ${code}`);
  if (rowElements % info.blockElements !== 0) {
    throw new Error(
      `a ${info.name} row holds whole blocks of ${info.blockElements} elements; this one has ${rowElements}`,
    );
  }
  return (elements / info.blockElements) * info.blockBytes;
}

export function alignTo(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}
