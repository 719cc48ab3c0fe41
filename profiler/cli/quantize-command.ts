import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { QualityReport } from '../api';
import { formatPercent } from '../../common/number-format';
import { formatBytes } from '../../common/units';
import { parseOverrides } from '../../common/catalog';
import { QUANT_PRESET_NAMES, resolvePreset, type QuantOptionsInput } from '../../common/quant-presets';
import { quantizeVariant, type QuantizationRecord } from '../../quantization/quantize-variant';
import { measureQuality } from '../../quantization/quality';
import type { Engine } from '../engine';
import type { EngineOf } from './cli-engine';
import { createByteProgress } from './progress-bar';

const whole =
  (name: string) =>
  (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return Number(value);
  };

interface QuantizeCommandOptions {
  preset: string;
  blockSize?: number;
  asym?: boolean;
  accuracyLevel?: number;
  kvDtype?: 'float32' | 'float16';
  embeddings: boolean;
  style: 'fused' | 'standard';
  override?: string;
  seed: number;
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** The source folder: a model folder / .onnx as given, or a catalog model's fp32 variant (built once). */
export async function sourceFolder(
  model: string,
  engine: Engine,
  catalog: { style: 'fused' | 'standard'; override?: string; seed: number },
): Promise<string> {
  if (existsSync(model)) return model;
  return engine.catalogModelFolder({
    kind: 'catalog',
    id: model,
    overrides: catalog.override ? parseOverrides(catalog.override) : {},
    style: catalog.style,
    seed: catalog.seed,
  });
}

function formatRecord(dir: string, record: QuantizationRecord, built: boolean): string {
  const counts = new Map<string, number>();
  for (const decision of record.decisions)
    counts.set(decision.action, (counts.get(decision.action) ?? 0) + 1);
  const skipped = record.decisions.filter((decision) => decision.action === 'skipped');
  const o = record.options;
  const lines = [
    `${built ? 'Quantized' : 'Reused cached'} ${record.source.path} → ${dir}`,
    `  preset      ${record.preset}: weights ${o.weights}${o.weights === 'nbits' ? ` ${o.bits}-bit, block ${o.blockSize}, ${o.symmetric ? 'symmetric' : 'asymmetric'}, accuracy level ${o.accuracyLevel}` : ''}; ` +
      `embeddings ${o.quantizeEmbeddings ? 'quantized' : 'kept'}; activations ${o.activations}; KV ${o.kvDtype}`,
    `  weights     ${formatBytes(record.sourceWeightsBytes)} → ${formatBytes(record.variantWeightsBytes)} (${(record.sourceWeightsBytes / record.variantWeightsBytes).toFixed(2)}× smaller)`,
    `  tensors     ${[...counts].map(([action, count]) => `${count} ${action}`).join(', ') || 'none changed'}`,
    ...record.decisions
      .filter((d) => d.action === 'quantized')
      .slice(0, 4)
      .map((d) => `              ${d.tensor}: ${d.detail}`),
  ];
  if (skipped.length > 0) {
    lines.push('  skipped (kept as they were):', ...skipped.map((d) => `    ${d.tensor}: ${d.detail}`));
  }
  return lines.join('\n');
}

function formatQuality(report: QualityReport): string {
  const o = report.overall;
  const b = report.bytes;
  return [
    `Quality of ${report.variant.path} against ${report.reference.path}`,
    `  tokens         ${report.sequences} ${tokenSourceText(report)} × ${report.positionsPerSequence} positions`,
    `  KL divergence  mean ${o.klMean.toExponential(3)}, p99 ${o.klP99.toExponential(3)}, max ${o.klMax.toExponential(3)} nats`,
    `  top-1 agree    ${formatPercent(o.top1Agreement)}`,
    `  logit error    max ${o.maxAbsLogitError.toExponential(3)}, mean ${o.meanAbsLogitError.toExponential(3)}`,
    `  greedy         ${formatPercent(o.identicalContinuations, 0)} of continuations identical for ${report.continuationTokens} tokens (mean identical prefix ${o.meanIdenticalPrefix.toFixed(1)})`,
    `  bytes          weights ${formatBytes(b.variantWeights)} vs ${formatBytes(b.referenceWeights)} (${b.compression.toFixed(2)}×), ` +
      `${b.variantBytesPerParameter.toFixed(3)} vs ${b.referenceBytesPerParameter.toFixed(3)} bytes/parameter; on disk ${formatBytes(b.variantOnDisk)}`,
    ...perplexityLines(report),
  ].join('\n');
}

function tokenSourceText(report: QualityReport): string {
  switch (report.tokenSource) {
    case 'self-sampled':
      return `sequences the reference sampled itself (temperature ${report.sampling?.temperature ?? 1}, seed ${report.seed}, from token ${report.sampling?.startTokenIds[0] ?? '?'})`;
    case 'text':
      return `sequences of ${report.text?.file ?? 'the text'} (${report.text?.tokens ?? '?'} tokens)`;
    case 'user':
      return 'sequences given as token ids';
    case 'seeded':
      return `seeded random-id sequences (seed ${report.seed})`;
  }
}

function perplexityLines(report: QualityReport): string[] {
  const p = report.perplexity;
  if (!p) return ['  perplexity     not measured (give --text FILE)'];
  return [
    `  perplexity     reference ${p.reference.perplexity.toFixed(3)}, variant ${p.variant.perplexity.toFixed(3)}, ` +
      `difference ${p.difference >= 0 ? '+' : ''}${p.difference.toFixed(3)} (${((p.difference / p.reference.perplexity) * 100).toFixed(2)}%)`,
    `                 ${p.scoredTokens} tokens scored of ${p.textTokens}; window ${p.windowTokens}, stride ${p.strideTokens}`,
  ];
}

export function registerQuantizeCommands(
  program: Command,
  dataDirOf: () => string,
  engineOf: EngineOf,
): void {
  program
    .command('quantize <model>')
    .description(
      'make a quantized variant (int4, int8, int8-dyn, fp16, q4f16…) of a catalog model or a model folder',
    )
    .requiredOption('--preset <name>', QUANT_PRESET_NAMES.join(', '))
    .option('--block-size <n>', 'MatMulNBits block size (16, 32, 64, 128)', whole('--block-size'))
    .option('--asym', 'asymmetric quantization (packed uint8 zero points)')
    .option(
      '--accuracy-level <n>',
      'MatMulNBits accuracy_level (0–4; 4 = int8 activations on CPU)',
      whole('--accuracy-level'),
    )
    .addOption(
      new Option('--kv-dtype <dtype>', 'KV-cache dtype at the graph boundary').choices([
        'float32',
        'float16',
      ]),
    )
    .option('--no-embeddings', 'keep the token embedding in float')
    .addOption(
      new Option('--style <style>', 'catalog models: graph style')
        .choices(['fused', 'standard'])
        .default('fused'),
    )
    .option('--override <k=v,...>', 'catalog models: what-if overrides')
    .option('--seed <n>', 'catalog models: weight seed', whole('--seed'), 0)
    .option('--out <dir>', 'output folder (default: the variant cache in the data folder)')
    .option('--force', 'replace --out if it exists')
    .option('--json', 'print quantization.json')
    .action(async (model: string, options: QuantizeCommandOptions) => {
      const overrides: Partial<QuantOptionsInput> = {
        ...(options.blockSize !== undefined
          ? { blockSize: options.blockSize as QuantOptionsInput['blockSize'] }
          : {}),
        ...(options.asym ? { symmetric: false } : {}),
        ...(options.accuracyLevel !== undefined ? { accuracyLevel: options.accuracyLevel } : {}),
        ...(options.kvDtype ? { kvDtype: options.kvDtype } : {}),
        ...(options.embeddings === false ? { quantizeEmbeddings: false } : {}),
      };
      const quantOptions = resolvePreset(options.preset, overrides);
      const dataDir = dataDirOf();
      const source = await sourceFolder(model, engineOf(), options);
      const progress = createByteProgress(`Quantizing (${options.preset})`);
      const interrupt = new AbortController();
      const onInterrupt = (): void =>
        interrupt.abort(new Error('Interrupted: the partial variant was removed.'));
      process.once('SIGINT', onInterrupt);
      try {
        const variant = await quantizeVariant(source, {
          preset: options.preset,
          options: quantOptions,
          dataDir,
          ...(options.out ? { outDir: options.out } : {}),
          overwrite: options.force ?? false,
          signal: interrupt.signal,
          onProgress: ({ doneTensors, totalTensors, tensor }) =>
            progress.update(doneTensors, totalTensors, tensor),
        });
        progress.stop();
        process.stdout.write(
          options.json
            ? `${JSON.stringify(variant.record, null, 2)}\n`
            : `${formatRecord(variant.dir, variant.record, variant.built)}\n`,
        );
      } finally {
        progress.stop();
        process.off('SIGINT', onInterrupt);
      }
    });

  program
    .command('quality <variant>')
    .description(
      'how far a quantized variant of real weights drifts from fp32: KL divergence, top-1 agreement, logit error, greedy continuations, perplexity on --text',
    )
    .option(
      '--against <fp32 folder>',
      "the reference (default: the variant's source, from its quantization.json)",
    )
    .option(
      '--sequences <n>',
      'sequences compared (self-sampled, or cut from --text)',
      whole('--sequences'),
      4,
    )
    .option('--positions <n>', 'tokens per sequence (teacher-forced)', whole('--positions'), 64)
    .option('--continuation <n>', 'greedy tokens compared after each prompt', whole('--continuation'), 16)
    .option('--seed <n>', "seed of the reference's self-sampling (temperature 1)", whole('--seed'), 0)
    .option('--text <file>', "a UTF-8 text: sequences from it (the model's tokenizer), and perplexity on it")
    .option(
      '--window <n>',
      'perplexity window, tokens (default: 512, or the context if shorter)',
      whole('--window'),
    )
    .option('--stride <n>', 'perplexity stride, tokens (default: half the window)', whole('--stride'))
    .option('--json', 'print the QualityReport as JSON')
    .action(
      async (
        variant: string,
        options: {
          against?: string;
          sequences: number;
          positions: number;
          continuation: number;
          seed: number;
          text?: string;
          window?: number;
          stride?: number;
          json?: boolean;
        },
      ) => {
        let reference = options.against;
        if (!reference) {
          const recordFile = path.join(variant, 'quantization.json');
          if (!existsSync(recordFile)) {
            throw new Error(
              `${variant} has no quantization.json: say which fp32 model to compare with, --against <folder>.`,
            );
          }
          reference = (JSON.parse(readFileSync(recordFile, 'utf8')) as QuantizationRecord).source.path;
        }
        const report = await measureQuality(reference, variant, {
          sequences: options.sequences,
          positions: options.positions,
          continuationTokens: options.continuation,
          seed: options.seed,
          ...(options.text ? { textFile: options.text } : {}),
          ...(options.window ? { windowTokens: options.window } : {}),
          ...(options.stride ? { strideTokens: options.stride } : {}),
        });
        process.stdout.write(
          options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatQuality(report)}\n`,
        );
      },
    );
}
