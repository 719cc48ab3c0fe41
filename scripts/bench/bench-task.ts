/**
 * One benchmark task, run in its own process so that its peak RSS is its own. Prints one JSON line:
 * { wallMs, maxRssBytes, ...task facts }. Used by run-benchmarks.ts; not a user command.
 */
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { resolveModel } from '../../common/catalog';
import { resolvePreset } from '../../common/quant-presets';
import { quantizeVariant } from '../../quantization/quantize-variant';
import { buildSyntheticModel } from '../../profiler/models/synthetic/synthetic-builder';
import { runnerVersusBareLoop, runnerVersusTransformersJs } from './runner-benchmarks';
import { llamaRunnerVersusBareLoop } from './llama-benchmarks';

/** Write `bytes` to a file in 16 MiB chunks and fsync: the disk's own speed, the baseline for builds. */
async function writeBaseline(bytes: number, dir: string): Promise<Record<string, number>> {
  const file = path.join(dir, 'write-baseline.bin');
  const chunk = new Uint8Array(16 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24); // not all zeros
  const handle = await open(file, 'w');
  try {
    for (let written = 0; written < bytes; written += chunk.length) {
      await handle.write(chunk, 0, Math.min(chunk.length, bytes - written), written);
    }
    await handle.sync();
  } finally {
    await handle.close();
    await rm(file, { force: true });
  }
  return { bytes };
}

/** Read a file once and write a copy once (16 MiB chunks, fsync): the I/O floor of a streaming rewrite. */
async function readWriteBaseline(file: string, dir: string): Promise<Record<string, number>> {
  const copy = path.join(dir, 'read-write-baseline.bin');
  const input = await open(file, 'r');
  const output = await open(copy, 'w');
  const chunk = new Uint8Array(16 * 1024 * 1024);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await input.read(chunk, 0, chunk.length, bytes);
      if (bytesRead === 0) break;
      await output.write(chunk, 0, bytesRead, bytes);
      bytes += bytesRead;
    }
    await output.sync();
  } finally {
    await input.close();
    await output.close();
    await rm(copy, { force: true });
  }
  return { bytes };
}

async function quantize(folder: string, outDir: string): Promise<Record<string, number>> {
  const variant = await quantizeVariant(folder, {
    preset: 'int4',
    options: resolvePreset('int4'),
    dataDir: outDir,
    outDir: path.join(outDir, 'int4'),
  });
  return {
    sourceWeightsBytes: variant.record.sourceWeightsBytes,
    variantWeightsBytes: variant.record.variantWeightsBytes,
  };
}

async function build(id: string, style: 'fused' | 'standard', dir: string): Promise<Record<string, number>> {
  const built = await buildSyntheticModel({
    model: resolveModel(id),
    style,
    seed: 0,
    outDir: path.join(dir, `${id}-${style}`),
    overwrite: true,
  });
  return { bytes: built.externalDataBytes + built.modelBytes };
}

async function main(): Promise<void> {
  const [task, ...args] = process.argv.slice(2);
  const startedMs = performance.now();
  let facts: Record<string, number>;
  if (task === 'write') facts = await writeBaseline(Number(args[0]), args[1]!);
  else if (task === 'build') facts = await build(args[0]!, args[1] as 'fused' | 'standard', args[2]!);
  else if (task === 'read-write') facts = await readWriteBaseline(args[0]!, args[1]!);
  else if (task === 'quantize') facts = await quantize(args[0]!, args[1]!);
  else if (task === 'runner-vs-bare') facts = await runnerVersusBareLoop(args[0]!);
  else if (task === 'runner-vs-transformers-js') facts = await runnerVersusTransformersJs(args[0]!);
  else if (task === 'llama-vs-bare')
    facts = await llamaRunnerVersusBareLoop(args[0]!, Number(args[1]), Number(args[2]));
  else throw new Error(`unknown bench task ${task}`);
  const wallMs = performance.now() - startedMs;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
  process.stdout.write(`${JSON.stringify({ wallMs, maxRssBytes, ...facts })}\n`);
}

await main();
