import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { float32ToFloat16Bit } from '../../onnx';
import { GgufFileError, readGgufHeader } from './gguf-reader';
import { writeGguf, type GgufTensorPlan } from './gguf-writer';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'ew-gguf-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function plan(
  name: string,
  shape: number[],
  type: GgufTensorPlan['type'],
  values: Float32Array,
): GgufTensorPlan {
  return { name, shape, type, chunks: () => [values] };
}

/** 2 rows of 64: one Q4_0 / Q8_0 block per 32 values */
const rows = Float32Array.from({ length: 128 }, (_, i) => ((i * 37) % 29) / 10 - 1.4);

async function writeSample(file: string): Promise<void> {
  await writeGguf(file, {
    metadata: [
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['llama.block_count', { type: 'u32', value: 7 }],
      ['llama.rope.freq_base', { type: 'f32', value: 8_000_000 }],
      ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: ['<unk>', 'é', 'b'] }],
    ],
    tensors: [
      plan('norm.weight', [5], 'F32', Float32Array.from([1, 2, 3, 4, 5])), // 20 bytes: padding follows
      plan('w.f16', [2, 64], 'F16', rows),
      plan('w.q8', [2, 64], 'Q8_0', rows),
      plan('w.q4', [2, 64], 'Q4_0', rows),
    ],
  });
}

/** An independent walk over the bytes, as gguf.md documents them (not through the reader). */
function walk(bytes: Buffer) {
  let at = 0;
  const u32 = () => ((at += 4), bytes.readUInt32LE(at - 4));
  const u64 = () => ((at += 8), Number(bytes.readBigUInt64LE(at - 8)));
  const str = () => {
    const n = u64();
    at += n;
    return bytes.subarray(at - n, at).toString('utf8');
  };
  const magic = bytes.subarray(0, 4).toString('latin1');
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const kv: Record<string, unknown> = {};
  for (let i = 0; i < kvCount; i += 1) {
    const key = str();
    const type = u32();
    if (type === 8) kv[key] = str();
    else if (type === 4) kv[key] = u32();
    else if (type === 6) kv[key] = ((at += 4), bytes.readFloatLE(at - 4));
    else if (type === 9) {
      expect(u32()).toBe(8); // array of strings
      kv[key] = Array.from({ length: u64() }, str);
    } else throw new Error(`unexpected type ${type}`);
  }
  const tensors = Array.from({ length: tensorCount }, () => {
    const name = str();
    const dims = Array.from({ length: u32() }, u64);
    return { name, dims, type: u32(), offset: u64() };
  });
  return { magic, version, kv, tensors, headerEnd: at };
}

describe('GGUF writer: the bytes are the layout gguf.md documents', () => {
  it('writes header, metadata, tensor infos (ne[0] first), 32-byte aligned offsets and data', async () => {
    const file = path.join(workDir, 'layout.gguf');
    await writeSample(file);
    const bytes = readFileSync(file);
    const { magic, version, kv, tensors, headerEnd } = walk(bytes);
    expect(magic).toBe('GGUF');
    expect(version).toBe(3);
    expect(kv).toEqual({
      'general.architecture': 'llama',
      'llama.block_count': 7,
      'llama.rope.freq_base': 8_000_000,
      'tokenizer.ggml.tokens': ['<unk>', 'é', 'b'],
    });
    // shapes reversed (ne[0] = the row), ggml type codes F32 0, F16 1, Q8_0 8, Q4_0 2
    expect(tensors.map((t) => [t.name, t.dims, t.type])).toEqual([
      ['norm.weight', [5], 0],
      ['w.f16', [64, 2], 1],
      ['w.q8', [64, 2], 8],
      ['w.q4', [64, 2], 2],
    ]);
    // offsets: each tensor starts at a multiple of 32 after the previous one's bytes
    expect(tensors.map((t) => t.offset)).toEqual([0, 32, 32 + 256, 32 + 256 + 160]); // 20→32, 256, 4×34=136→160
    const dataStart = Math.ceil(headerEnd / 32) * 32;
    expect(bytes.subarray(headerEnd, dataStart).every((b) => b === 0)).toBe(true);
    expect(bytes.length).toBe(dataStart + 448 + 96); // 4×18 = 72 → padded to 96
    const data = bytes.subarray(dataStart);
    expect(data.readFloatLE(4 * 4)).toBe(5);
    expect(data.readUInt16LE(32)).toBe(float32ToFloat16Bit(rows[0]!));

    // Q8_0: per 32 values, fp16 d = max|x| / 127, then 32 int8 round(x / d)
    const q8 = data.subarray(32 + 256);
    for (let block = 0; block < 4; block += 1) {
      const values = rows.subarray(block * 32, block * 32 + 32);
      const amax = Math.max(...values.map(Math.abs));
      const d = Math.fround(amax / 127);
      expect(q8.readUInt16LE(block * 34)).toBe(float32ToFloat16Bit(d));
      for (let j = 0; j < 32; j += 1) {
        expect(Math.abs(q8.readInt8(block * 34 + 2 + j) - values[j]! / d)).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
    // Q4_0: fp16 d = (the value of largest magnitude) / −8; byte j = q[j] | q[j+16] << 4, value = (q − 8)·d
    const q4 = data.subarray(32 + 256 + 160);
    for (let block = 0; block < 4; block += 1) {
      const values = rows.subarray(block * 32, block * 32 + 32);
      const max = values.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      const d = Math.fround(max / -8);
      expect(q4.readUInt16LE(block * 18)).toBe(float32ToFloat16Bit(d));
      for (let j = 0; j < 16; j += 1) {
        const byte = q4[block * 18 + 2 + j]!;
        for (const [q, v] of [
          [byte & 15, values[j]!],
          [byte >> 4, values[j + 16]!],
        ] as const) {
          // q = 15 is also where values up to −max (q = 16) are clamped: they read back within d
          const tolerance = q === 15 ? Math.abs(d) : Math.abs(d) / 2;
          expect(Math.abs((q - 8) * d - v)).toBeLessThanOrEqual(tolerance + 1e-6);
        }
      }
    }
  });

  it('the largest-magnitude value of a Q4_0 block decodes exactly (q = 0) and nibbles pair j with j+16', async () => {
    const file = path.join(workDir, 'q4-exact.gguf');
    // value j = j − 16 for j < 16 and j − 16 for the upper half: −16 is the extreme, d = 2
    const values = Float32Array.from({ length: 32 }, (_, j) => j - 16);
    await writeGguf(file, { metadata: [], tensors: [plan('q', [32], 'Q4_0', values)] });
    const bytes = readFileSync(file);
    const { headerEnd } = walk(bytes);
    const block = bytes.subarray(Math.ceil(headerEnd / 32) * 32);
    expect(block.readUInt16LE(0)).toBe(float32ToFloat16Bit(2));
    expect(block[2]! & 15).toBe(0); // −16 / 2 + 8 = 0
    expect(block[2]! >> 4).toBe(8); // value 16 is 0: 0 / 2 + 8 = 8
    expect(block[2 + 15]! >> 4).toBe(15); // value 31 is 15: 15 / 2 + 8.5 = 16 → clamped to 15
  });

  it('leaves no file behind when a chunk fails, and refuses rows that are not whole blocks', async () => {
    const file = path.join(workDir, 'fails.gguf');
    const failing: GgufTensorPlan = {
      name: 'x',
      shape: [2, 32],
      type: 'F32',
      chunks: function* () {
        yield new Float32Array(32);
        throw new Error('stopped');
      },
    };
    await expect(writeGguf(file, { metadata: [], tensors: [failing] })).rejects.toThrow('stopped');
    await expect(
      writeGguf(file, { metadata: [], tensors: [plan('q', [2, 48], 'Q8_0', new Float32Array(96))] }),
    ).rejects.toThrow(/whole blocks of 32/);
    expect(readdirSync(workDir).filter((name) => name.includes('fails'))).toEqual([]);
  });
});

describe('GGUF reader: header and metadata without the tensors', () => {
  it('reads back what the writer wrote, with each tensor’s type, offset, bytes and elements', async () => {
    const file = path.join(workDir, 'read.gguf');
    await writeSample(file);
    const header = await readGgufHeader(file);
    expect(header.version).toBe(3);
    expect(header.metadata.get('general.architecture')).toBe('llama');
    expect(header.metadata.get('llama.block_count')).toBe(7);
    expect(header.metadata.get('tokenizer.ggml.tokens')).toEqual({
      itemType: 'string',
      length: 3,
      head: ['<unk>', 'é', 'b'],
    });
    expect(
      header.tensors.map(({ name, type, offset, bytes, elements }) => [name, type, offset, bytes, elements]),
    ).toEqual([
      ['norm.weight', 'F32', 0, 20, 5],
      ['w.f16', 'F16', 32, 256, 128],
      ['w.q8', 'Q8_0', 288, 136, 128],
      ['w.q4', 'Q4_0', 448, 72, 128],
    ]);
    expect(header.dataOffset % 32).toBe(0);
    expect(header.fileBytes).toBe(readFileSync(file).length);
  });

  it('refuses a file that is not GGUF, or is cut short, naming the file and what to do', async () => {
    const notGguf = path.join(workDir, 'model.onnx');
    writeFileSync(notGguf, Buffer.alloc(64, 7));
    await expect(readGgufHeader(notGguf)).rejects.toThrow(`${notGguf} is not a GGUF file`);
    const cut = path.join(workDir, 'cut.gguf');
    await writeSample(cut);
    truncateSync(cut, readFileSync(cut).length - 40);
    const error = await readGgufHeader(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufFileError);
    expect((error as Error).message).toMatch(/w\.q4 .* runs past the end of the file .* cut short/);
    truncateSync(cut, 60);
    await expect(readGgufHeader(cut)).rejects.toThrow(/inside its header .* cut short/);
  });
});
