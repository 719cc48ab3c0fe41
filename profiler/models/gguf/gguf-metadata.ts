import { GgufValueType, GGUF_SCALAR_BYTES, type GgufValueTypeCode } from './gguf-format';

/**
 * A GGUF metadata value with its type. Numbers keep the width the key needs (llama.cpp checks the
 * type of each key it reads: `llama.block_count` must be a u32, `llama.rope.freq_base` an f32).
 */
export type GgufScalar =
  | { type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64'; value: number }
  | { type: 'u64' | 'i64'; value: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string };

export type GgufValue =
  | GgufScalar
  | { type: 'array'; itemType: 'string'; values: readonly string[] }
  | { type: 'array'; itemType: 'f32' | 'i32' | 'u32'; values: ArrayLike<number> };

export const u32 = (value: number): GgufValue => ({ type: 'u32', value });
export const f32 = (value: number): GgufValue => ({ type: 'f32', value });
export const str = (value: string): GgufValue => ({ type: 'string', value });

const TYPE_CODES: Record<GgufValue['type'], GgufValueTypeCode> = {
  u8: GgufValueType.UINT8,
  i8: GgufValueType.INT8,
  u16: GgufValueType.UINT16,
  i16: GgufValueType.INT16,
  u32: GgufValueType.UINT32,
  i32: GgufValueType.INT32,
  f32: GgufValueType.FLOAT32,
  bool: GgufValueType.BOOL,
  string: GgufValueType.STRING,
  array: GgufValueType.ARRAY,
  u64: GgufValueType.UINT64,
  i64: GgufValueType.INT64,
  f64: GgufValueType.FLOAT64,
};

/** Appends little-endian values to a growing buffer: the header (metadata + tensor infos) is built whole. */
export class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(bytes: number): number {
    const at = this.length;
    if (at + bytes > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, at + bytes));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += bytes;
    return at;
  }

  u8(value: number): void {
    const at = this.reserve(1); // before reading this.view: reserve may replace the buffer
    this.view.setUint8(at, value);
  }
  u32(value: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, value, true);
  }
  u64(value: number | bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(value), true);
  }
  bytes(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }
  /** u64 byte length, then UTF-8 bytes (no terminator) */
  string(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.u64(encoded.length);
    this.bytes(encoded);
  }
  zeros(count: number): void {
    this.reserve(count); // the buffer starts zeroed and only grows, so reserved bytes are 0
  }

  scalar(type: GgufValue['type'], value: number | bigint | boolean | string): void {
    const code = TYPE_CODES[type];
    const at = this.length;
    switch (type) {
      case 'string':
        this.string(value as string);
        return;
      case 'bool':
        this.u8(value ? 1 : 0);
        return;
      default:
        this.reserve(GGUF_SCALAR_BYTES[code]!);
    }
    const v = this.view;
    if (type === 'u8') v.setUint8(at, value as number);
    else if (type === 'i8') v.setInt8(at, value as number);
    else if (type === 'u16') v.setUint16(at, value as number, true);
    else if (type === 'i16') v.setInt16(at, value as number, true);
    else if (type === 'u32') v.setUint32(at, value as number, true);
    else if (type === 'i32') v.setInt32(at, value as number, true);
    else if (type === 'f32') v.setFloat32(at, value as number, true);
    else if (type === 'f64') v.setFloat64(at, value as number, true);
    else if (type === 'u64') v.setBigUint64(at, value as bigint, true);
    else v.setBigInt64(at, value as bigint, true);
  }

  /** u32 type, then the value (arrays: u32 item type, u64 count, items) */
  value(value: GgufValue): void {
    this.u32(TYPE_CODES[value.type]);
    if (value.type !== 'array') {
      this.scalar(value.type, value.value);
      return;
    }
    this.u32(TYPE_CODES[value.itemType]);
    this.u64(value.values.length);
    for (let i = 0; i < value.values.length; i += 1) this.scalar(value.itemType, value.values[i]!);
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
