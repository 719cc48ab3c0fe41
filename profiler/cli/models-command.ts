import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import path from 'node:path';
import { formatBytes } from '../../common/units';
import {
  catalogEntries,
  kvBytesPerToken,
  parameterCount,
  parseOverrides,
  resolveModel,
} from '../../common/catalog';
import type { CatalogEntry } from '../../common/catalog';
import { buildSyntheticModel } from '../models/synthetic/synthetic-builder';
import type { GraphStyle, LogitsPositions } from '../models/synthetic/model-config-files';
import { inspectModel } from '../models/loader';
import { formatInspection } from './inspect-format';
import { registerImport } from './import-command';
import { parseLogits, parseStyle } from './model-options';
import { inspectGguf, registerGgufBuild } from './gguf-commands';
import { createByteProgress } from './progress-bar';
import { formatCount, wholeNumber } from '../../common/number-format';
import { formatTable } from './text-table';

/** One catalog row for `models list --json`: the entry plus what we compute from its spec. */
function listRow(entry: CatalogEntry) {
  return {
    ...entry,
    computedParameters: parameterCount(entry.spec),
    kvBytesPerToken: { float32: kvBytesPerToken(entry.spec, 4), float16: kvBytesPerToken(entry.spec, 2) },
  };
}

function score(value: number | null): string {
  return value === null ? '--' : value.toFixed(1);
}

function formatModelList(): string {
  const rows = catalogEntries.map((entry) => {
    const { spec } = entry;
    const context = [entry.context.baseTokens, entry.context.postTrainedTokens]
      .map((tokens) => (tokens === null ? '?' : `${tokens / 1024}K`))
      .join('/');
    return [
      entry.id,
      formatCount(parameterCount(spec)),
      String(spec.numHiddenLayers),
      String(spec.hiddenSize),
      `${spec.numAttentionHeads}/${spec.numKeyValueHeads}`,
      String(spec.headDim),
      String(spec.vocabSize),
      spec.tieWordEmbeddings ? 'yes' : 'no',
      context,
      formatBytes(kvBytesPerToken(spec, 2)),
      score(entry.scores.math500.percent),
      score(entry.scores.gsm8k.percent),
    ];
  });
  const headers = [
    'id',
    'params',
    'layers',
    'hidden',
    'heads/kv',
    'head_dim',
    'vocab',
    'tied',
    'context',
    'KV/token fp16',
    'MATH500',
    'GSM8K',
  ];
  return `${formatTable(headers, rows)}\n\nContext: base/post-trained. Scores: published, post-trained models (models list --json has every score with its source).`;
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff)
    throw new InvalidArgumentError('expected a whole number from 0 to 4294967295.');
  return Number(value);
}

/** Default folder for a built model: under the data folder, named for what makes it unique. */
function defaultOutDir(
  dataDir: string,
  id: string,
  style: GraphStyle,
  seed: number,
  overridesText: string | undefined,
  logits: LogitsPositions,
): string {
  const slug = overridesText ? `-${overridesText.replace(/[^a-zA-Z0-9.=-]+/g, '_')}` : '';
  const positions = logits === 'all' ? '-all-logits' : '';
  return path.join(dataDir, 'models', 'synthetic', `${id}-${style}-seed${seed}${slug}${positions}`);
}

export function registerInspect(models: Command): void {
  models
    .command('inspect <path>')
    .description(
      'what a model folder, .onnx or .gguf holds: layout, I/O signature, operators, parameters, bytes, KV per token',
    )
    .option('--variant <dtype>', 'Optimum folders: which onnx/model_<dtype>.onnx (fp32, fp16, q4, q4f16, …)')
    .option('--json', 'print the inspection as JSON')
    .action(async (target: string, options: { variant?: string; json?: boolean }) => {
      if (target.toLowerCase().endsWith('.gguf')) {
        process.stdout.write(await inspectGguf(target, options.json ?? false));
        return;
      }
      const inspection = await inspectModel(
        target,
        options.variant === undefined ? {} : { variant: options.variant },
      );
      process.stdout.write(
        options.json ? `${JSON.stringify(inspection, null, 2)}\n` : `${formatInspection(inspection)}\n`,
      );
    });
}

export function registerModelsCommand(program: Command, dataDirOf: () => string): void {
  const models = program
    .command('models')
    .description('the model catalog, synthetic builds, real-weight imports, and model inspection');

  registerInspect(models);
  registerImport(models, dataDirOf);
  registerGgufBuild(models, dataDirOf);

  models
    .command('list')
    .description('the catalog: MobileLLM-R1 140M/360M/950M and their peers, with shapes and published scores')
    .option('--json', 'print the catalog as JSON (every fact with its source)')
    .action((options: { json?: boolean }) => {
      process.stdout.write(
        options.json ? `${JSON.stringify(catalogEntries.map(listRow), null, 2)}\n` : `${formatModelList()}\n`,
      );
    });

  models
    .command('build <id>')
    .description('build an architecture-faithful ONNX decoder of a catalog model with seeded weights')
    .option(
      '--style <style>',
      'fused (onnxruntime contrib ops, as onnxruntime-genai) or standard (plain ONNX, Optimum layout)',
      parseStyle,
      'fused',
    )
    .option('--override <k=v,...>', 'what-if changes, e.g. num_hidden_layers=4,vocab_size=8192')
    .option('--seed <n>', 'weights depend only on the seed and the tensor name', parseSeed, 0)
    .option(
      '--logits <positions>',
      "'last': logits for the last position only, as onnxruntime-genai and llama.cpp compute them; 'all': every position's (teacher-forced comparisons)",
      parseLogits,
      'last',
    )
    .option('--out <dir>', 'folder to create (default: under the data folder, models/synthetic/)')
    .option('--force', 'replace the --out folder if it exists')
    .action(
      async (
        id: string,
        options: {
          style: GraphStyle;
          override?: string;
          seed: number;
          logits: LogitsPositions;
          out?: string;
          force?: boolean;
        },
      ) => {
        const model = resolveModel(id, options.override ? parseOverrides(options.override) : {});
        const outDir =
          options.out ??
          defaultOutDir(dataDirOf(), model.id, options.style, options.seed, options.override, options.logits);
        const progress = createByteProgress(`Building ${model.id} (${options.style})`);
        const startedMs = performance.now();
        // Ctrl+C stops the build between chunks; the builder then removes its partial folder
        const interrupt = new AbortController();
        const onInterrupt = (): void =>
          interrupt.abort(new Error('Interrupted: the partial model was removed.'));
        process.once('SIGINT', onInterrupt);
        let built;
        try {
          built = await buildSyntheticModel({
            model,
            style: options.style,
            seed: options.seed,
            logits: options.logits,
            outDir,
            overwrite: options.force ?? false,
            onProgress: ({ writtenBytes, totalBytes, tensor }) =>
              progress.update(writtenBytes, totalBytes, tensor),
            signal: interrupt.signal,
          });
        } finally {
          process.off('SIGINT', onInterrupt);
          progress.stop();
        }
        const seconds = (performance.now() - startedMs) / 1000;
        const { record } = built;
        process.stdout.write(
          [
            `Built ${model.displayName} (${options.style}, seed ${options.seed}) in ${seconds.toFixed(1)} s`,
            `  folder      ${built.dir}`,
            `  model       ${built.modelPath} (${formatBytes(built.modelBytes)})`,
            `  weights     ${formatBytes(built.externalDataBytes)} external data`,
            `  parameters  ${wholeNumber(record.parameters)}` +
              (record.storedParameters === record.parameters
                ? ''
                : ` (${wholeNumber(record.storedParameters)} stored, block sharing)`) +
              (record.publishedParameters === null
                ? ' (what-if: overrides changed the shapes)'
                : ' (= published)'),
          ].join('\n') + '\n',
        );
      },
    );
}
