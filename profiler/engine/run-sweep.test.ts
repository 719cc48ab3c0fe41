import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDocumentSchema, type SweepSpecInput, type SweepWorkbenchEvent } from '../api';
import { environmentOf } from '../bench/run-trial';
import { probeSystem } from '../runtime/system-probe';
import { writeBandwidthCacheStub } from '../runtime/test/bandwidth-cache-stub';
import { createEngine } from './create-engine';
import type { SweepStart } from './sweep-service';

/** The awaitable sweep in-process callers (the CLI) use: the same events and store as startSweep's. */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ew-engine-sweep-'));
const facts = { appName: 'Edge LLM Workbench', appVersion: 'test', host: 'cli' as const, dataDir };
const engine = createEngine(facts);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeAll(async () => {
  writeBandwidthCacheStub(dataDir, environmentOf(await probeSystem(facts)), { bytesPerSecond: 20e9 });
});

const tiny = {
  num_hidden_layers: 2,
  hidden_size: 64,
  intermediate_size: 96,
  vocab_size: 256,
  max_context_tokens: 128,
};
const spec: SweepSpecInput = {
  models: [{ kind: 'catalog', id: 'smollm2-135m', overrides: tiny }],
  quants: ['fp32', 'int8'],
  contexts: [64],
  prompts: [8],
  gens: [4],
  repetitions: 1,
  warmupRuns: 0,
};

/** The sweep events the engine sends every door while `run` runs, for its run only. */
async function watched<T>(
  run: () => Promise<T>,
  onEvent: (event: SweepWorkbenchEvent) => void = () => {},
): Promise<{ result: T; events: SweepWorkbenchEvent[] }> {
  const events: SweepWorkbenchEvent[] = [];
  const unsubscribe = engine.onEvent((event) => {
    if (event.kind !== 'sweep') return;
    events.push(event);
    onEvent(event);
  });
  try {
    return { result: await run(), events };
  } finally {
    unsubscribe();
  }
}

describe('engine.runSweep', () => {
  it('tells what it will run, resolves with the finished document, and sends the UI its events', async () => {
    const starts: SweepStart[] = [];
    const { result: doc, events } = await watched(() =>
      engine.runSweep({ spec, name: 'awaited' }, { onStart: (start) => starts.push(start) }),
    );
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      resumed: false,
      contradictions: [],
      runsDir: path.join(dataDir, 'runs'),
    });
    expect(starts[0]!.doc).toMatchObject({ id: doc.id, name: 'awaited', status: 'planned', trials: [] });
    expect(starts[0]!.doc.plan).toHaveLength(2);

    expect(doc).toMatchObject({ name: 'awaited', status: 'completed' });
    expect(doc.trials.map((trial) => trial.result.status)).toEqual(['ok', 'ok']);
    // the store holds what it resolved with
    expect(RunDocumentSchema.parse(await engine.loadRun(doc.id))).toMatchObject({
      status: 'completed',
      trials: doc.trials,
    });
    expect(events.every((event) => event.runId === doc.id)).toBe(true);
    const types = events.map((event) => event.event.type);
    expect(types.filter((type) => type === 'trial-done')).toHaveLength(2);
    expect(types.at(-1)).toBe('done');
  });

  it('is cancelled through cancelSweep, keeps the finished trials, and resumes only the rest', async () => {
    let runId = '';
    const { result: cancelled } = await watched(
      () => engine.runSweep({ spec, name: 'cancelled' }, { onStart: (start) => (runId = start.doc.id) }),
      (event) => {
        // Ctrl+C in the CLI: once the first trial is in, cancel as the desktop app's Cancel does
        if (event.event.type === 'trial-done') void engine.cancelSweep(runId);
      },
    );
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.trials).toHaveLength(1);
    expect(await engine.runSweep({ resume: runId }, {})).toMatchObject({ status: 'completed' });
    const done = await engine.loadRun(runId);
    expect(done.trials).toHaveLength(2);
    expect(done.trials[0]).toEqual(cancelled.trials[0]);
  });

  it('refuses to start when onStart refuses, saving nothing', async () => {
    const before = (await engine.listRuns()).runs.length;
    await expect(
      engine.runSweep(
        { spec, name: 'refused' },
        {
          onStart: () => {
            throw new Error('too large');
          },
        },
      ),
    ).rejects.toThrow('too large');
    expect((await engine.listRuns()).runs).toHaveLength(before);
  });

  it('runs one sweep at a time, whichever door started it', async () => {
    const finished = new Set<string>();
    let wake = (): void => {};
    const unsubscribe = engine.onEvent((event) => {
      if (event.kind === 'sweep' && event.event.type === 'done') {
        finished.add(event.runId);
        wake();
      }
    });
    try {
      const started = await engine.startSweep(spec, 'background');
      await expect(engine.runSweep({ spec })).rejects.toThrow(
        `A sweep is already running (${started.runId})`,
      );
      await expect(engine.resumeSweep(started.runId)).rejects.toThrow(/already running/);
      await new Promise<void>((resolve) => {
        wake = () => {
          if (finished.has(started.runId)) resolve();
        };
        wake();
      });
      expect((await engine.loadRun(started.runId)).status).toBe('completed');
    } finally {
      unsubscribe();
    }
  });

  it('measures no quality for a catalog model (seeded weights): the event says it needs real weights, with the published scores', async () => {
    const { result: doc, events } = await watched(() =>
      engine.runSweep({ spec: { ...spec, quants: ['int8'], measureQuality: true }, name: 'quality' }, {}),
    );
    expect(doc.status).toBe('completed');
    expect(doc.quality).toEqual([]);
    const quality = events.flatMap((event) => (event.event.type === 'quality' ? [event.event] : []));
    expect(quality).toHaveLength(1);
    expect(quality[0]!.error).toMatch(
      /^needs real weights: SmolLM2-135M runs with synthetic \(seeded\) weights here; import the real checkpoint \(edge-workbench models import HuggingFaceTB\/SmolLM2-135M-Instruct\).*Published: MATH500/,
    );
  });
});
