import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { catalogEntries } from '../../common/catalog';
import { wholeNumber } from '../../common/number-format';
import { formatBytes } from '../../common/units';
import { importCheckpoint } from '../models/checkpoint/import-checkpoint';
import type { GraphStyle, LogitsPositions } from '../models/synthetic/model-config-files';
import { listCachedModels } from '../models/hub/cached-models';
import { isRepoId } from '../models/hub/hub-cache';
import { downloadCheckpoint } from '../models/hub/hub-download';
import { parseLogits, parseStyle } from './model-options';
import { createByteProgress } from './progress-bar';
import { formatTable } from './text-table';

interface ImportCommandOptions {
  style: GraphStyle;
  revision: string;
  logits: LogitsPositions;
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** A catalog id names its repo ("mobilellm-r1-140m" → facebook/MobileLLM-R1-140M). */
function repoOfSource(source: string): string | null {
  const entry = catalogEntries.find((candidate) => candidate.id === source.toLowerCase());
  if (entry) return entry.hfRepo;
  return isRepoId(source) && !existsSync(source) ? source : null;
}

/** Ctrl+C stops a download or an import between chunks; what was written is resumable or removed. */
async function interruptible<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  const onInterrupt = (): void => interrupt.abort(new Error(`Interrupted: ${what}`));
  process.once('SIGINT', onInterrupt);
  try {
    return await work(interrupt.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** The checkpoint folder behind a source: itself, or the hub snapshot (downloaded, or from the cache). */
export async function sourceFolder(
  source: string,
  revision: string,
): Promise<{ dir: string; origin?: { repo: string; revision: string } }> {
  const repo = repoOfSource(source);
  if (!repo) {
    if (!existsSync(source)) {
      throw new Error(
        `${source} is neither a folder nor a hub repo id (org/name) nor a catalog id: give the checkpoint folder, ` +
          'e.g. ~/.cache/huggingface/hub/models--facebook--MobileLLM-R1-140M/snapshots/<commit>, or its repo id.',
      );
    }
    return { dir: source };
  }
  const progress = createByteProgress(`Downloading ${repo}@${revision}`);
  try {
    const snapshot = await interruptible('run the same command again to resume the download.', (signal) =>
      downloadCheckpoint({
        repo,
        revision,
        signal,
        onProgress: ({ doneBytes, totalBytes, file }) => progress.update(doneBytes, totalBytes, file),
      }),
    );
    progress.stop();
    process.stderr.write(
      snapshot.offline
        ? `Offline: using the cached snapshot ${snapshot.dir}\n`
        : `${snapshot.downloadedBytes > 0 ? `Downloaded ${formatBytes(snapshot.downloadedBytes)}` : 'Already cached'}: ${snapshot.dir}\n`,
    );
    return { dir: snapshot.dir, origin: { repo, revision: snapshot.commit } };
  } finally {
    progress.stop();
  }
}

function defaultOutDir(dataDir: string, name: string, style: GraphStyle, logits: LogitsPositions): string {
  const slug = name.replace(/[^a-zA-Z0-9.-]+/g, '_');
  return path.join(dataDir, 'models', 'imported', `${slug}-${style}${logits === 'all' ? '-all-logits' : ''}`);
}

export function registerImport(models: Command, dataDirOf: () => string): void {
  models
    .command('import <source>')
    .description(
      'import real weights: a Hugging Face checkpoint folder, a hub repo id or a catalog id, into the same ONNX graphs the synthetic builds use',
    )
    .option(
      '--style <style>',
      'fused (onnxruntime contrib ops, as onnxruntime-genai) or standard (plain ONNX, Optimum layout)',
      parseStyle,
      'fused',
    )
    .option('--revision <rev>', 'hub branch, tag or commit', 'main')
    .option(
      '--logits <positions>',
      "'last' (as deployments compute) or 'all' (every position's)",
      parseLogits,
      'last',
    )
    .option('--out <dir>', 'folder to create (default: under the data folder, models/imported/)')
    .option('--force', 'replace the --out folder if it exists')
    .option('--json', 'print the import record as JSON')
    .action(async (source: string, options: ImportCommandOptions) => {
      const { dir, origin } = await sourceFolder(source, options.revision);
      const name = origin?.repo ?? path.basename(path.resolve(dir));
      const outDir = options.out ?? defaultOutDir(dataDirOf(), name, options.style, options.logits);
      const progress = createByteProgress(`Importing ${name} (${options.style})`);
      const startedMs = performance.now();
      let imported;
      try {
        imported = await interruptible('the partial model was removed.', (signal) =>
          importCheckpoint({
            sourceDir: dir,
            ...(origin ? { origin } : {}),
            style: options.style,
            logits: options.logits,
            outDir,
            overwrite: options.force ?? false,
            signal,
            onProgress: ({ writtenBytes, totalBytes, tensor }) =>
              progress.update(writtenBytes, totalBytes, tensor),
          }),
        );
      } finally {
        progress.stop();
      }
      const { record } = imported;
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ dir: imported.dir, modelPath: imported.modelPath, record }, null, 2)}\n`,
        );
        return;
      }
      const seconds = (performance.now() - startedMs) / 1000;
      const dtypes = Object.entries(record.checkpointDtypes)
        .map(([dtype, count]) => `${count} ${dtype}`)
        .join(', ');
      process.stdout.write(
        [
          `Imported ${name} (${record.family}, ${options.style}) in ${seconds.toFixed(1)} s — real weights`,
          `  folder      ${imported.dir}`,
          `  model       ${imported.modelPath} (${formatBytes(imported.modelBytes)})`,
          `  weights     ${formatBytes(imported.externalDataBytes)} external data, fp32 (checkpoint: ${dtypes} tensors)`,
          `  parameters  ${wholeNumber(record.parameters)}` +
            (record.publishedParameters === null
              ? record.catalogId
                ? ''
                : ' (shapes of no catalog model)'
              : ` (= published, ${record.catalogId})`),
        ].join('\n') + '\n',
      );
    });

  models
    .command('cached')
    .description('checkpoints and ONNX exports already in the Hugging Face cache (HF_HUB_CACHE / HF_HOME)')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const { cacheDir, snapshots } = await listCachedModels();
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ cacheDir, snapshots }, null, 2)}\n`);
        return;
      }
      if (snapshots.length === 0) {
        process.stdout.write(
          `Nothing in ${cacheDir} yet: edge-workbench models import <org/name> downloads there.\n`,
        );
        return;
      }
      const rows = snapshots.map((s) => [
        s.repo,
        s.refs.join(',') || '-',
        s.commit.slice(0, 10),
        s.kind,
        formatBytes(s.bytes),
      ]);
      process.stdout.write(
        `${formatTable(['repo', 'refs', 'commit', 'kind', 'size'], rows)}\n\nCache: ${cacheDir}. ` +
          'Import a checkpoint with: edge-workbench models import <repo> (no download when cached).\n',
      );
    });
}
