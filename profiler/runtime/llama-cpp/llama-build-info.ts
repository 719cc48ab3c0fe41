import { readFileSync } from 'node:fs';

/**
 * The llama.cpp build inside node-llama-cpp's prebuilt library. node-llama-cpp labels every bundled
 * llama.cpp "v0.4.0"; the library itself carries llama.cpp's LLAMA_COMMIT and LLAMA_BUILD_NUMBER
 * (common/build-info.cpp), which the addon does not expose. They are read from the shared library's
 * dynamic symbol table (ELF, Linux); elsewhere they are recorded as unknown.
 */

export interface LlamaBuildInfo {
  commit: string | null;
  buildNumber: number | null;
}

interface Section {
  type: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
}

const SHT_DYNSYM = 11;

function sections(elf: Buffer): Section[] {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const entsize = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  return Array.from({ length: count }, (_, i) => {
    const at = shoff + i * entsize;
    return {
      type: elf.readUInt32LE(at + 4),
      addr: elf.readBigUInt64LE(at + 0x10),
      offset: Number(elf.readBigUInt64LE(at + 0x18)),
      size: Number(elf.readBigUInt64LE(at + 0x20)),
      link: elf.readUInt32LE(at + 0x28),
    };
  });
}

/** The file offset of a virtual address, through the allocated section holding it. */
function fileOffset(all: readonly Section[], addr: bigint): number | null {
  const section = all.find((s) => s.addr !== 0n && addr >= s.addr && addr < s.addr + BigInt(s.size));
  return section ? section.offset + Number(addr - section.addr) : null;
}

function symbolAddress(elf: Buffer, all: readonly Section[], name: string): bigint | null {
  const dynsym = all.find((s) => s.type === SHT_DYNSYM);
  const strtab = dynsym ? all[dynsym.link] : undefined;
  if (!dynsym || !strtab) return null;
  for (let at = dynsym.offset; at < dynsym.offset + dynsym.size; at += 24) {
    const nameAt = strtab.offset + elf.readUInt32LE(at);
    const end = elf.indexOf(0, nameAt);
    if (elf.toString('latin1', nameAt, end) === name) return elf.readBigUInt64LE(at + 8);
  }
  return null;
}

/** LLAMA_COMMIT and LLAMA_BUILD_NUMBER of an ELF shared library (libllama-common.so), else nulls. */
export function readLlamaBuildInfo(libraryFile: string): LlamaBuildInfo {
  try {
    const elf = readFileSync(libraryFile);
    if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return { commit: null, buildNumber: null }; // ELF64 only
    const all = sections(elf);
    const numberAt = symbolAddress(elf, all, 'LLAMA_BUILD_NUMBER');
    const numberOffset = numberAt === null ? null : fileOffset(all, numberAt);
    const commitAt = symbolAddress(elf, all, 'LLAMA_COMMIT');
    const pointerOffset = commitAt === null ? null : fileOffset(all, commitAt);
    // LLAMA_COMMIT is a char*: the linker wrote the string's address beside its relocation
    const stringOffset = pointerOffset === null ? null : fileOffset(all, elf.readBigUInt64LE(pointerOffset));
    return {
      buildNumber: numberOffset === null ? null : elf.readInt32LE(numberOffset),
      commit:
        stringOffset === null ? null : elf.toString('latin1', stringOffset, elf.indexOf(0, stringOffset)),
    };
  } catch {
    return { commit: null, buildNumber: null }; // not an ELF we can read: the build stays unknown
  }
}
