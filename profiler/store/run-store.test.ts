import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_DOCUMENT_KIND, RUN_DOCUMENT_VERSION } from '../api';
import type { AtomicWriteFs } from './atomic-write';
import { newRunId } from './run-id';
import { createRunStore, type RunStore } from './run-store';
import { RunStoreError } from './store-error';
import { makeRunDocument } from './test/run-document';

const SAVED_AT = new Date('2026-11-28T12:00:00.000Z');

let dataDir: string;
let store: RunStore;
beforeEach(async () => {
  dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'run-store-'));
  store = createRunStore(dataDir, { now: () => SAVED_AT });
});
afterEach(async () => {
  await fsp.rm(dataDir, { recursive: true, force: true });
});

/** Every file under the data folder, relative, sorted: what "the store is untouched" compares. */
async function listing(): Promise<string[]> {
  const entries = await fsp.readdir(dataDir, { recursive: true });
  return entries.map((entry) => entry.split(path.sep).join('/')).sort();
}

async function writeForeign(name: string, content: unknown): Promise<string> {
  const file = path.join(dataDir, name);
  await fsp.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('run store: save and load', () => {
  it('round-trips a document through runs/<id>.json and sets updatedAt', async () => {
    const doc = makeRunDocument({ trialStatuses: ['ok', 'failed'] });
    const saved = await store.save(doc);
    expect(saved.updatedAt).toBe(SAVED_AT.toISOString());
    expect(await store.load(doc.id)).toEqual({ ...doc, updatedAt: SAVED_AT.toISOString() });
    expect(await listing()).toEqual(['runs', `runs/${doc.id}.json`]);
  });

  it('refuses to save an invalid document, writing nothing', async () => {
    const doc = { ...makeRunDocument(), status: 'exploded' } as unknown as Parameters<RunStore['save']>[0];
    await expect(store.save(doc)).rejects.toThrow(/was not saved to .*run\.status/);
    expect(await listing()).toEqual([]);
  });

  it('keeps the previous document and no temp file when a save crashes before its rename', async () => {
    const doc = makeRunDocument();
    await store.save(doc);
    const crashing = createRunStore(dataDir, {
      fs: {
        ...fsp,
        rename: async () => {
          throw Object.assign(new Error('EIO: simulated crash'), { code: 'EIO' });
        },
      } satisfies AtomicWriteFs,
    });
    const error = await crashing.save({ ...doc, name: 'changed' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoreError);
    expect(error).toMatchObject({ code: 'io', message: expect.stringContaining('simulated crash') });
    expect((await store.load(doc.id)).name).toBe('test sweep');
    expect(await listing()).toEqual(['runs', `runs/${doc.id}.json`]);
  });

  it('names the file and the reason when a stored document is damaged or from a newer app', async () => {
    const doc = makeRunDocument();
    await store.save(doc);
    const file = path.join(store.runsDir, `${doc.id}.json`);
    await fsp.writeFile(file, '{"kind": "edge-llm-workbench-run", ');
    await expect(store.load(doc.id)).rejects.toThrow(`${file} is not valid JSON`);
    const newer = RUN_DOCUMENT_VERSION + 1;
    await fsp.writeFile(file, JSON.stringify({ ...doc, schemaVersion: newer }));
    await expect(store.load(doc.id)).rejects.toThrow(
      `${file} was written by a newer Edge LLM Workbench (schema ${newer}; this version reads ${RUN_DOCUMENT_VERSION}): update the app`,
    );
    await expect(store.load('no-such-run')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('serializes a rename with a concurrent save so neither is lost', async () => {
    const doc = makeRunDocument();
    await store.save(doc);
    const withTwoTrials = makeRunDocument({ trialStatuses: ['ok', 'ok'] });
    await Promise.all([store.save(withTwoTrials), store.rename(doc.id, 'renamed')]);
    const loaded = await store.load(doc.id);
    expect(loaded.name).toBe('renamed');
    expect(loaded.trials).toHaveLength(2);
  });
});

describe('run store: list', () => {
  it('lists runs newest first, skipping unreadable files and reporting them', async () => {
    const older = makeRunDocument({ id: 'older', createdAt: '2026-11-01T08:00:00.000Z' });
    const newest = makeRunDocument({
      id: 'newest',
      name: 'newest sweep',
      tags: ['laptop'],
      createdAt: '2026-11-28T09:00:00.000Z',
      trialStatuses: ['ok', 'failed', 'failed'],
    });
    const middle = makeRunDocument({
      id: 'middle',
      createdAt: '2026-11-15T08:00:00.000Z',
      trialStatuses: [],
    });
    for (const doc of [older, newest, middle]) await store.save(doc);
    await fsp.writeFile(path.join(store.runsDir, 'broken.json'), '{ not json');
    await fsp.writeFile(path.join(store.runsDir, 'other.json'), JSON.stringify({ kind: 'something-else' }));
    await fsp.writeFile(path.join(store.runsDir, 'bad name.json'), JSON.stringify(older));
    // neither a run nor a problem: a write in flight and an unrelated file
    await fsp.writeFile(path.join(store.runsDir, '.older.json.123.abcd.tmp'), '{');
    await fsp.writeFile(path.join(store.runsDir, 'notes.txt'), 'hello');

    const { runs, problems } = await store.list();
    expect(runs.map((run) => run.id)).toEqual(['newest', 'middle', 'older']);
    const newestSize = (await fsp.stat(path.join(store.runsDir, 'newest.json'))).size;
    expect(runs[0]).toEqual({
      id: 'newest',
      name: 'newest sweep',
      tags: ['laptop'],
      status: 'completed',
      createdAt: '2026-11-28T09:00:00.000Z',
      updatedAt: SAVED_AT.toISOString(),
      trials: 3,
      planned: 0,
      failed: 2,
      sizeBytes: newestSize,
    });
    expect(problems).toEqual([
      { file: path.join(store.runsDir, 'bad name.json'), reason: expect.stringContaining('not a run id') },
      { file: path.join(store.runsDir, 'broken.json'), reason: expect.stringMatching(/^is not valid JSON/) },
      {
        file: path.join(store.runsDir, 'other.json'),
        reason: `is not an Edge LLM Workbench run (its kind is "something-else"; a run's is "${RUN_DOCUMENT_KIND}")`,
      },
    ]);
  });

  it('lists an empty store before anything was saved', async () => {
    expect(await store.list()).toEqual({ runs: [], problems: [] });
  });
});

describe('run store: delete and restore', () => {
  it('moves a deleted run to the trash and restores it', async () => {
    const doc = makeRunDocument();
    await store.save(doc);
    await store.delete(doc.id);
    expect((await store.list()).runs).toEqual([]);
    await expect(store.load(doc.id)).rejects.toMatchObject({ code: 'not-found' });
    expect(await listing()).toEqual(['runs', 'runs/.trash', `runs/.trash/${doc.id}.json`]);

    const restored = await store.restore(doc.id);
    expect(restored.name).toBe(doc.name);
    expect((await store.list()).runs.map((run) => run.id)).toEqual([doc.id]);
    await expect(store.restore(doc.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses to delete a run that is not there, and to restore over a run saved since', async () => {
    await expect(store.delete('missing')).rejects.toMatchObject({ code: 'not-found' });
    const doc = makeRunDocument();
    await store.save(doc);
    await store.delete(doc.id);
    await store.save({ ...doc, name: 'saved again' });
    await expect(store.restore(doc.id)).rejects.toMatchObject({ code: 'exists' });
    expect((await store.load(doc.id)).name).toBe('saved again');
  });
});

describe('run store: rename and tags', () => {
  it('renames and tags a run, keeping tags unique', async () => {
    const doc = makeRunDocument();
    await store.save(doc);
    expect((await store.rename(doc.id, '  Pi 5, q4  ')).name).toBe('Pi 5, q4');
    await expect(store.rename(doc.id, '   ')).rejects.toMatchObject({ code: 'invalid' });
    expect((await store.tag(doc.id, ['pi5', ' q4 ', 'pi5', ''])).tags).toEqual(['pi5', 'q4']);
    expect((await store.tag(doc.id, ['q4', 'cpu'])).tags).toEqual(['pi5', 'q4', 'cpu']);
    expect((await store.untag(doc.id, ['q4', 'absent'])).tags).toEqual(['pi5', 'cpu']);
    const loaded = await store.load(doc.id);
    expect(loaded).toMatchObject({ name: 'Pi 5, q4', tags: ['pi5', 'cpu'] });
  });

  it('refuses to rename or tag a run that does not exist', async () => {
    await expect(store.rename('missing', 'x')).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.tag('missing', ['x'])).rejects.toMatchObject({ code: 'not-found' });
    expect(await listing()).toEqual([]);
  });
});

describe('run store: import', () => {
  it('imports a run file from another machine, under a fresh id when its id is taken', async () => {
    const doc = makeRunDocument({ id: 'from-the-pi', name: 'Pi sweep' });
    const file = await writeForeign('shared.json', doc);

    const first = await store.importFile(file);
    expect(first).toEqual({ run: doc, originalId: 'from-the-pi' });
    expect(await store.load('from-the-pi')).toEqual(doc); // updatedAt kept: importing is not editing

    const second = await store.importFile(file);
    expect(second.originalId).toBe('from-the-pi');
    expect(second.run.id).not.toBe('from-the-pi');
    expect(second.run.id).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-pi-sweep-[0-9a-f]{6}$/);
    expect(await store.load('from-the-pi')).toEqual(doc);
    expect((await store.list()).runs).toHaveLength(2);
  });

  it('does not take the id of a run waiting in the trash', async () => {
    const doc = makeRunDocument({ id: 'deleted-here' });
    await store.save(doc);
    await store.delete(doc.id);
    const imported = await store.importFile(await writeForeign('again.json', doc));
    expect(imported.run.id).not.toBe('deleted-here');
    await store.restore('deleted-here');
  });

  const refusals: {
    what: string;
    content: unknown;
    code: string;
    message: (file: string) => string | RegExp;
  }[] = [
    {
      what: 'bad JSON',
      content: '{"kind": "edge-llm-workbench-run",',
      code: 'bad-json',
      message: (file) => `${file} is not valid JSON (`,
    },
    {
      what: 'another kind of JSON',
      content: { kind: 'trial-result', schemaVersion: 1 },
      code: 'wrong-kind',
      message: (file) =>
        `${file} is not an Edge LLM Workbench run (its kind is "trial-result"; a run's is "${RUN_DOCUMENT_KIND}")`,
    },
    {
      what: 'a file from a newer version',
      content: {
        ...makeRunDocument(),
        schemaVersion: RUN_DOCUMENT_VERSION + 1,
        trials: 'a shape this version cannot know',
      },
      code: 'newer-version',
      message: (file) =>
        `${file} was written by a newer Edge LLM Workbench (schema ${RUN_DOCUMENT_VERSION + 1}; this version reads ${RUN_DOCUMENT_VERSION}): update the app`,
    },
    {
      what: 'a file failing the schema',
      content: { ...makeRunDocument(), status: 'exploded' },
      code: 'invalid',
      message: (file) => `${file} is not a valid run document: run.status: `,
    },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.what} with the reason, leaving the store untouched`, async () => {
      await store.save(makeRunDocument({ id: 'existing' }));
      const file = await writeForeign('incoming.json', refusal.content);
      const before = await listing();
      const error = await store.importFile(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunStoreError);
      expect(error).toMatchObject({ code: refusal.code, filePath: file });
      expect((error as Error).message).toContain(refusal.message(file));
      expect(await listing()).toEqual(before);
    });
  }

  it('says which file is missing', async () => {
    const file = path.join(dataDir, 'nowhere.json');
    await expect(store.importFile(file)).rejects.toThrow(`${file} does not exist`);
  });
});

describe('run store: ids', () => {
  it('refuses ids that could leave the runs folder', async () => {
    await store.save(makeRunDocument({ id: 'inside' }));
    await fsp.writeFile(
      path.join(dataDir, 'outside.json'),
      JSON.stringify(makeRunDocument({ id: 'outside' })),
    );
    const before = await listing();
    for (const id of [
      '../outside',
      '..',
      'a/b',
      'runs/../../x',
      '..\\outside',
      '.trash',
      'a..b',
      '',
      'CON',
    ]) {
      await expect(store.load(id), id).rejects.toMatchObject({ code: 'bad-id' });
      await expect(store.delete(id), id).rejects.toMatchObject({ code: 'bad-id' });
      await expect(store.restore(id), id).rejects.toMatchObject({ code: 'bad-id' });
      await expect(store.rename(id, 'x'), id).rejects.toMatchObject({ code: 'bad-id' });
      await expect(store.tag(id, ['x']), id).rejects.toMatchObject({ code: 'bad-id' });
    }
    const escaping = { ...makeRunDocument(), id: '../outside' };
    await expect(store.save(escaping)).rejects.toMatchObject({ code: 'bad-id' });
    expect(await listing()).toEqual(before);
  });

  it('makes readable, file-name-safe ids that sort by time', () => {
    const at = new Date('2026-11-28T23:50:12.345Z');
    expect(newRunId('Sweep', at)).toMatch(/^2026-11-28T23-50-12-sweep-[0-9a-f]{6}$/);
    expect(newRunId('../Pi 5: q4 / ctx 4K!', at)).toMatch(/^2026-11-28T23-50-12-pi-5-q4-ctx-4k-[0-9a-f]{6}$/);
    expect(newRunId('../..', at)).toMatch(/^2026-11-28T23-50-12-run-[0-9a-f]{6}$/);
    const ids = new Set(Array.from({ length: 200 }, () => store.newRunId('sweep')));
    expect(ids.size).toBe(200);
  });
});
