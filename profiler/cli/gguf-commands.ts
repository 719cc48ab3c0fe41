import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import { parseOverrides, resolveModel } from '../../common/catalog';
import { wholeNumber } from '../../common/number-format';
import { formatBytes } from '../../common/units';
import { GGUF_WRITE_TYPES, type GgufWriteType } from '../models/gguf/gguf-format';
import { readGgufHeader } from '../models/gguf/gguf-reader';
import { summarizeGguf } from '../models/gguf/gguf-summary';
import { buildSyntheticGguf } from '../models/synthetic/gguf-build';
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

/** `models gguf <id>`: a catalog model as a llama.cpp GGUF with the ONNX builds' seeded weights. */
export function registerGgufBuild(models: Command, dataDirOf: () => string): void {
  models
    .command('gguf <id>')
    .description(
      "write a catalog model as llama.cpp's GGUF (llama architecture) with the same seeded weights as its ONNX builds",
    )
    .option('--type <type>', `tensor type of the weights: ${GGUF_WRITE_TYPES.join(', ')}`, parseType, 'F32')
    .option('--override <k=v,...>', 'what-if changes, e.g. num_hidden_layers=4')
    .option('--seed <n>', 'weights depend only on the seed and the tensor name', (value) => Number(value), 0)
    .option('--out <file>', 'the .gguf to write (default: under the data folder, models/gguf/)')
    .option('--force', 'replace the --out file if it exists')
    .action(
      async (
        id: string,
        options: { type: GgufWriteType; override?: string; seed: number; out?: string; force?: boolean },
      ) => {
        const model = resolveModel(id, options.override ? parseOverrides(options.override) : {});
        const outFile =
          options.out ??
          path.join(dataDirOf(), 'models', 'gguf', `${model.id}-seed${options.seed}-${options.type}.gguf`);
        const progress = createByteProgress(`Writing ${model.id} as GGUF ${options.type}`);
        const interrupt = new AbortController();
        const onInterrupt = (): void =>
          interrupt.abort(new Error('Interrupted: the partial file was removed.'));
        process.once('SIGINT', onInterrupt);
        const startedMs = performance.now();
        try {
          await buildSyntheticGguf({
            model,
            seed: options.seed,
            type: options.type,
            outFile,
            overwrite: options.force ?? false,
            onProgress: ({ writtenBytes, totalBytes, tensor }) =>
              progress.update(writtenBytes, totalBytes, tensor),
            signal: interrupt.signal,
          });
        } finally {
          process.off('SIGINT', onInterrupt);
          progress.stop();
        }
        process.stdout.write(
          `Wrote ${model.displayName} as GGUF ${options.type} in ${((performance.now() - startedMs) / 1000).toFixed(1)} s\n` +
            (await inspectGguf(outFile, false)),
        );
      },
    );
}
