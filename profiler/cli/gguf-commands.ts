import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseOverrides, resolveModel } from '../../common/catalog';
import { wholeNumber } from '../../common/number-format';
import { formatBytes } from '../../common/units';
import { GGUF_WRITE_TYPES, type GgufWriteType } from '../models/gguf/gguf-format';
import { readGgufHeader } from '../models/gguf/gguf-reader';
import { summarizeGguf } from '../models/gguf/gguf-summary';
import { buildCheckpointGguf } from '../models/checkpoint/checkpoint-gguf';
import { isRepoId } from '../models/hub/hub-cache';
import { buildSyntheticGguf } from '../models/synthetic/gguf-build';
import { sourceFolder } from './import-command';
import { createByteProgress } from './progress-bar';

function parseType(value: string): GgufWriteType {
  const type = GGUF_WRITE_TYPES.find((known) => known.toLowerCase() === value.toLowerCase());
  if (!type) throw new InvalidArgumentError(`expected one of ${GGUF_WRITE_TYPES.join(', ')}.`);
  return type;
}

/** `models inspect file.gguf`: the header, metadata and tensor infos, no tensor read. */
export async function inspectGguf(file: string, json: boolean): Promise<string> {
  const header = await readGgufHeader(file);
  const summary = summarizeGguf(header);
  if (json) return `${JSON.stringify({ file, version: header.version, ...summary }, null, 2)}\n`;
  return (
    [
      `${file} (GGUF v${header.version}, ${formatBytes(summary.fileBytes)})`,
      `  architecture  ${summary.architecture}${summary.name ? ` — ${summary.name}` : ''}`,
      `  shapes        ${summary.numLayers} layers, ${summary.kvHeads} KV heads × ${summary.headDim}, vocabulary ${wholeNumber(summary.vocabSize)}, context ${summary.maxContextTokens ?? 'not stated'}`,
      `  parameters    ${wholeNumber(summary.parameters)}`,
      `  tensors       ${Object.entries(summary.tensorTypes)
        .map(([type, count]) => `${count} ${type}`)
        .join(', ')} (${formatBytes(summary.weightsBytes)})`,
      `  decode reads  ${formatBytes(summary.readPerDecodeTokenBytes)} of weights per token`,
    ].join('\n') + '\n'
  );
}

interface GgufCommandOptions {
  type: GgufWriteType;
  override?: string;
  seed: number;
  out?: string;
  force?: boolean;
  revision: string;
}

type WriteGguf = (
  outFile: string,
  onProgress: (progress: { writtenBytes: number; totalBytes: number; tensor: string }) => void,
  signal: AbortSignal,
) => Promise<string>;

/** Streams one GGUF with a progress bar; Ctrl+C stops between chunks and removes the partial file. */
async function writeWithProgress(label: string, outFile: string, write: WriteGguf): Promise<void> {
  const progress = createByteProgress(label);
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort(new Error('Interrupted: the partial file was removed.'));
  process.once('SIGINT', onInterrupt);
  const startedMs = performance.now();
  let note: string;
  try {
    note = await write(
      outFile,
      ({ writtenBytes, totalBytes, tensor }) => progress.update(writtenBytes, totalBytes, tensor),
      interrupt.signal,
    );
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.stop();
  }
  process.stdout.write(
    `${label} in ${((performance.now() - startedMs) / 1000).toFixed(1)} s\n${note}` +
      (await inspectGguf(outFile, false)),
  );
}

/** A folder, a path or a hub repo id (not a catalog id): real weights. */
function isCheckpointSource(source: string): boolean {
  return existsSync(source) || isRepoId(source) || /[\\/]|^[.~]/.test(source);
}

/**
 * `models gguf <source>`: a catalog model as a llama.cpp GGUF with the ONNX builds' seeded weights, or a
 * real checkpoint (a folder, an imported folder, a hub repo id) with its own weights and tokenizer.
 */
export function registerGgufBuild(models: Command, dataDirOf: () => string): void {
  models
    .command('gguf <source>')
    .description(
      "write llama.cpp's GGUF (llama architecture): a catalog id with the same seeded weights as its ONNX builds, " +
        'or real weights from a checkpoint folder, a folder `models import` wrote, or a hub repo id',
    )
    .option('--type <type>', `tensor type of the weights: ${GGUF_WRITE_TYPES.join(', ')}`, parseType, 'F32')
    .option('--override <k=v,...>', 'what-if changes to a catalog model, e.g. num_hidden_layers=4')
    .option('--seed <n>', 'weights depend only on the seed and the tensor name', (value) => Number(value), 0)
    .option('--revision <rev>', 'hub branch, tag or commit (a repo id source)', 'main')
    .option('--out <file>', 'the .gguf to write (default: under the data folder, models/gguf/)')
    .option('--force', 'replace the --out file if it exists')
    .action(async (source: string, options: GgufCommandOptions) => {
      const ggufDir = path.join(dataDirOf(), 'models', 'gguf');
      if (isCheckpointSource(source)) {
        if (options.override) {
          throw new InvalidArgumentError(
            '--override changes a catalog model’s shapes: real weights have the shapes they have; drop it.',
          );
        }
        const { dir, origin } = await sourceFolder(source, options.revision);
        const name = origin?.repo ?? path.basename(path.resolve(source));
        const slug = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
        const outFile = options.out ?? path.join(ggufDir, `${slug}-${options.type}.gguf`);
        await writeWithProgress(
          `Wrote ${name} as GGUF ${options.type}`,
          outFile,
          async (file, onProgress, signal) => {
            const written = await buildCheckpointGguf({
              dir,
              type: options.type,
              name,
              outFile: file,
              overwrite: options.force ?? false,
              onProgress,
              signal,
            });
            return written.tokenizer.kind === 'checkpoint'
              ? `  tokenizer     ${written.sourceDir}/tokenizer.json (gpt2 BPE: vocabulary, merges, special ids)\n`
              : `  tokenizer     placeholder vocabulary (${written.tokenizer.reason}): feed token ids, not text\n`;
          },
        );
        return;
      }
      const model = resolveModel(source, options.override ? parseOverrides(options.override) : {});
      const outFile =
        options.out ?? path.join(ggufDir, `${model.id}-seed${options.seed}-${options.type}.gguf`);
      await writeWithProgress(
        `Wrote ${model.displayName} as GGUF ${options.type}`,
        outFile,
        async (file, onProgress, signal) => {
          await buildSyntheticGguf({
            model,
            seed: options.seed,
            type: options.type,
            outFile: file,
            overwrite: options.force ?? false,
            onProgress,
            signal,
          });
          return '';
        },
      );
    });
}
