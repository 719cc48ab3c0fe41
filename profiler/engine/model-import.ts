import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportedModel, ImportEvent, ImportModelRequest } from '../api';
import { ImportModelRequestSchema } from '../api';
import { catalogEntries } from '../../common/catalog';
import {
  IMPORT_RECORD_FILE,
  importCheckpoint,
  type ImportRecord,
} from '../models/checkpoint/import-checkpoint';
import { downloadCheckpoint } from '../models/hub/hub-download';

/**
 * The engine's "Use real weights": a catalog id or repo id → the Hugging Face cache (downloaded when
 * missing) → `<data folder>/models/imported/<repo>-<style>`, reused when it already holds that commit.
 * Progress goes out as `import` events; a failure is reported as one too, then thrown.
 */
export async function importModelForEngine(
  input: ImportModelRequest,
  dataDir: string,
  emit: (event: ImportEvent) => void,
): Promise<ImportedModel> {
  const request = ImportModelRequestSchema.parse(input);
  const { source, style, revision } = request;
  const repo = catalogEntries.find((entry) => entry.id === source.toLowerCase())?.hfRepo ?? source;
  const send = (event: Omit<ImportEvent, 'kind' | 'source'>): void =>
    emit({ kind: 'import', source, ...event });
  try {
    if (!repo.includes('/')) {
      throw new Error(`"${source}" is neither a catalog id nor a hub repo id (org/name).`);
    }
    const snapshot = await downloadCheckpoint({
      repo,
      revision,
      onProgress: ({ doneBytes, totalBytes, file }) =>
        send({ stage: 'download', doneBytes, totalBytes, file }),
    });
    const outDir = path.join(
      dataDir,
      'models',
      'imported',
      `${repo.replace(/[^a-zA-Z0-9.-]+/g, '_')}-${style}`,
    );
    const recordFile = path.join(outDir, IMPORT_RECORD_FILE);
    let record: ImportRecord;
    let reused = false;
    const existing = existsSync(recordFile)
      ? (JSON.parse(readFileSync(recordFile, 'utf8')) as ImportRecord)
      : null;
    if (existing && existing.revision === snapshot.commit && existing.style === style) {
      record = existing;
      reused = true;
    } else {
      record = (
        await importCheckpoint({
          sourceDir: snapshot.dir,
          origin: { repo, revision: snapshot.commit },
          style,
          outDir,
          overwrite: true,
          onProgress: ({ writtenBytes, totalBytes, tensor }) =>
            send({ stage: 'import', doneBytes: writtenBytes, totalBytes, file: tensor }),
        })
      ).record;
    }
    send({ stage: 'done', doneBytes: 1, totalBytes: 1 });
    return {
      dir: outDir,
      repo,
      commit: snapshot.commit,
      family: record.family,
      style,
      parameters: record.parameters,
      publishedParameters: record.publishedParameters,
      downloadedBytes: snapshot.downloadedBytes,
      reused,
    };
  } catch (error) {
    send({
      stage: 'failed',
      doneBytes: 0,
      totalBytes: 0,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}
