import { existsSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { RunDocumentSchema, type RunDocument, type RunSummary } from '../api';
import { describeZodError } from '../../common/zod-errors';
import { writeFileAtomic, type AtomicWriteFs } from './atomic-write';
import { assertRunId, isRunId, newRunId, runIdProblem } from './run-id';
import { readRunFile } from './run-parse';
import { RunStoreError, errnoCode, messageOf } from './store-error';

/** A run file the list could not read, and why (for people; the file is named beside it). */
export interface RunListProblem {
  file: string;
  reason: string;
}

export interface RunList {
  /** newest first (by createdAt) */
  runs: RunSummary[];
  problems: RunListProblem[];
}

export interface ImportedRun {
  /** as stored: `run.id` differs from `originalId` when that id was taken or not a safe file name */
  run: RunDocument;
  originalId: string;
}

/** The runs of one data folder, as `runs/<id>.json` documents; deleted runs wait in `runs/.trash/`. */
export interface RunStore {
  readonly runsDir: string;
  /** an id no run in this store (or its trash) has */
  newRunId(name?: string): string;
  /** validates, sets updatedAt, writes atomically; returns what was written */
  save(doc: RunDocument): Promise<RunDocument>;
  load(id: string): Promise<RunDocument>;
  list(): Promise<RunList>;
  /** moves the run to the trash, where `restore` finds it */
  delete(id: string): Promise<void>;
  restore(id: string): Promise<RunDocument>;
  rename(id: string, name: string): Promise<RunDocument>;
  /** adds tags (trimmed, without repeats) */
  tag(id: string, tags: readonly string[]): Promise<RunDocument>;
  untag(id: string, tags: readonly string[]): Promise<RunDocument>;
  /** stores a run file from elsewhere, never overwriting: a taken id gets a fresh one */
  importFile(filePath: string): Promise<ImportedRun>;
  /** the same for a document already read and validated (a run copied from an agent) */
  importDocument(doc: RunDocument): Promise<ImportedRun>;
}

export interface RunStoreOptions {
  /** for tests that make a write fail part-way */
  fs?: AtomicWriteFs;
  /** the clock behind updatedAt */
  now?: () => Date;
}

export const RUNS_FOLDER = 'runs';
export const TRASH_FOLDER = '.trash';
/** list() parses this many documents at once: enough to overlap disk reads, few enough to cap memory */
const LIST_CONCURRENCY = 8;

export function createRunStore(dataDir: string, options: RunStoreOptions = {}): RunStore {
  const runsDir = path.join(path.resolve(dataDir), RUNS_FOLDER);
  const trashDir = path.join(runsDir, TRASH_FOLDER);
  const now = options.now ?? (() => new Date());
  const fileOf = (id: string): string => path.join(runsDir, `${id}.json`);
  const trashFileOf = (id: string): string => path.join(trashDir, `${id}.json`);
  const taken = (id: string): boolean => existsSync(fileOf(id)) || existsSync(trashFileOf(id));
  function freshId(name?: string): string {
    for (;;) {
      const id = newRunId(name, now());
      if (!taken(id)) return id;
    }
  }

  // Read-modify-write operations (rename during a sweep's save) must not interleave within a process.
  const locks = new Map<string, Promise<unknown>>();
  function serialize<T>(id: string, task: () => Promise<T>): Promise<T> {
    const result = (locks.get(id) ?? Promise.resolve()).then(task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    locks.set(id, settled);
    void settled.then(() => {
      if (locks.get(id) === settled) locks.delete(id);
    });
    return result;
  }

  async function write(doc: RunDocument): Promise<void> {
    const file = fileOf(doc.id);
    try {
      await fsp.mkdir(runsDir, { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(doc)}\n`, options.fs);
    } catch (error) {
      throw new RunStoreError('io', `Could not save run "${doc.id}" to ${file} (${messageOf(error)})`, file, {
        cause: error,
      });
    }
  }

  async function saveNow(doc: RunDocument): Promise<RunDocument> {
    const file = fileOf(doc.id);
    const parsed = RunDocumentSchema.safeParse({ ...doc, updatedAt: now().toISOString() });
    if (!parsed.success) {
      throw new RunStoreError(
        'invalid',
        `Run "${doc.id}" was not saved to ${file}: ${describeZodError(parsed.error, 'run')}`,
        file,
        { cause: parsed.error },
      );
    }
    await write(parsed.data);
    return parsed.data;
  }

  /** The file name is where a run lives, so it wins over an `id` edited inside the file. */
  async function read(id: string): Promise<{ doc: RunDocument; sizeBytes: number }> {
    const stored = await readRunFile(fileOf(id));
    return { doc: { ...stored.doc, id }, sizeBytes: stored.sizeBytes };
  }

  async function update(id: string, change: (doc: RunDocument) => RunDocument): Promise<RunDocument> {
    assertRunId(id);
    return serialize(id, async () => saveNow(change((await read(id)).doc)));
  }

  async function summarize(fileName: string): Promise<RunSummary> {
    const id = fileName.slice(0, -'.json'.length);
    const problem = runIdProblem(id);
    if (problem !== undefined) {
      throw new RunStoreError('bad-id', `its name is not a run id (${problem}): rename it, or import it`);
    }
    const { doc, sizeBytes } = await read(id);
    return {
      id,
      name: doc.name,
      tags: doc.tags,
      status: doc.status,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      trials: doc.trials.length,
      planned: doc.plan.length,
      failed: doc.trials.filter((trial) => trial.result.status === 'failed').length,
      sizeBytes,
      ...(doc.environment.device ? { device: doc.environment.device } : {}),
      ...(doc.source ? { agentUrl: doc.source.agentUrl } : {}),
    };
  }

  async function importDocument(doc: RunDocument): Promise<ImportedRun> {
    let id = isRunId(doc.id) ? doc.id : freshId(doc.name);
    for (;;) {
      const candidate = id;
      const stored = await serialize(candidate, async () => {
        if (taken(candidate)) return undefined;
        const run = { ...doc, id: candidate };
        // not save(): importing keeps the document's own updatedAt
        await write(run);
        return run;
      });
      if (stored) return { run: stored, originalId: doc.id };
      id = freshId(doc.name);
    }
  }

  return {
    runsDir,

    newRunId: freshId,

    async save(doc) {
      assertRunId(doc.id);
      return serialize(doc.id, () => saveNow(doc));
    },

    async load(id) {
      assertRunId(id);
      return (await read(id)).doc;
    },

    async list() {
      let fileNames: string[];
      try {
        const entries = await fsp.readdir(runsDir, { withFileTypes: true });
        // dot files are temp files of writes in flight and the trash
        fileNames = entries
          .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
          .map((entry) => entry.name);
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') return { runs: [], problems: [] };
        throw new RunStoreError('io', `Could not list ${runsDir} (${messageOf(error)})`, runsDir, {
          cause: error,
        });
      }
      const runs: RunSummary[] = [];
      const problems: RunListProblem[] = [];
      for (let start = 0; start < fileNames.length; start += LIST_CONCURRENCY) {
        const batch = fileNames.slice(start, start + LIST_CONCURRENCY);
        const results = await Promise.allSettled(batch.map(summarize));
        results.forEach((result, index) => {
          if (result.status === 'fulfilled') runs.push(result.value);
          else {
            const reason: unknown = result.reason;
            problems.push({
              file: path.join(runsDir, batch[index] ?? ''),
              reason: reason instanceof RunStoreError ? reason.detail : messageOf(reason),
            });
          }
        });
      }
      runs.sort(newestFirst);
      problems.sort((a, b) => a.file.localeCompare(b.file));
      return { runs, problems };
    },

    async delete(id) {
      assertRunId(id);
      return serialize(id, async () => {
        try {
          await fsp.mkdir(trashDir, { recursive: true });
          // same folder tree, so one atomic rename; a run deleted before is replaced by this one
          await fsp.rename(fileOf(id), trashFileOf(id));
        } catch (error) {
          if (errnoCode(error) === 'ENOENT') {
            throw new RunStoreError(
              'not-found',
              `There is no run "${id}" to delete in ${runsDir}`,
              fileOf(id),
              {
                cause: error,
              },
            );
          }
          throw new RunStoreError(
            'io',
            `Could not move run "${id}" to ${trashDir} (${messageOf(error)})`,
            fileOf(id),
            {
              cause: error,
            },
          );
        }
      });
    },

    async restore(id) {
      assertRunId(id);
      return serialize(id, async () => {
        if (!existsSync(trashFileOf(id))) {
          throw new RunStoreError(
            'not-found',
            `Run "${id}" is not in the trash (${trashDir}): nothing to restore`,
            trashFileOf(id),
          );
        }
        if (existsSync(fileOf(id))) {
          throw new RunStoreError(
            'exists',
            `Run "${id}" cannot be restored: ${fileOf(id)} was saved since it was deleted; rename or delete that run first`,
            fileOf(id),
          );
        }
        try {
          await fsp.rename(trashFileOf(id), fileOf(id));
        } catch (error) {
          throw new RunStoreError(
            'io',
            `Could not restore run "${id}" from ${trashDir} (${messageOf(error)})`,
            trashFileOf(id),
            {
              cause: error,
            },
          );
        }
        return (await read(id)).doc;
      });
    },

    async rename(id, name) {
      const trimmed = name.trim();
      if (trimmed === '') {
        throw new RunStoreError('invalid', `Run "${id}" was not renamed: a name cannot be empty`);
      }
      return update(id, (doc) => ({ ...doc, name: trimmed }));
    },

    tag(id, tags) {
      return update(id, (doc) => ({ ...doc, tags: cleanTags([...doc.tags, ...tags]) }));
    },

    untag(id, tags) {
      const removed = new Set(cleanTags(tags));
      return update(id, (doc) => ({ ...doc, tags: doc.tags.filter((tag) => !removed.has(tag)) }));
    },

    async importFile(filePath) {
      const { doc } = await readRunFile(path.resolve(filePath));
      return importDocument(doc);
    },

    importDocument,
  };
}

function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  return (
    time(b.createdAt) - time(a.createdAt) || time(b.updatedAt) - time(a.updatedAt) || b.id.localeCompare(a.id)
  );
}

/** ms since the epoch; an unreadable date sorts last */
function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? -Infinity : ms;
}
