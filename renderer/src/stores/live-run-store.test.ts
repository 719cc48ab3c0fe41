import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isReactive, watch } from 'vue';
import type { SweepEvent, TrialProgress } from '../../../profiler/api';
import { createFakeBackend } from '../../test/fake-backend';
import { plannedTrial } from '../../test/planned-trial';
import { runDocument } from '../../../common/test/run-document';
import { measuredTrial } from '../../../common/test/trial-result';
import { provideBackend } from '../backend/workbench-backend';
import { PUBLISH_INTERVAL_MS, useLiveRunStore } from './live-run-store';

function send(store: ReturnType<typeof useLiveRunStore>, event: SweepEvent, runId = 'run-1'): void {
  store.apply({ kind: 'sweep', runId, event });
}

function progress(p: TrialProgress): SweepEvent {
  return { type: 'trial-progress', key: 't1', progress: p };
}

const start: SweepEvent = { type: 'trial-start', index: 0, total: 2, key: 't1', label: 'a', etaSeconds: 10 };

describe('live run store: streamed text', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("accumulates the decoded text of repetition 0's decode steps, and resets on the next trial", () => {
    const store = useLiveRunStore();
    store.runId = 'run-1';
    send(store, start);
    send(store, progress({ phase: 'decode', repetition: 0, step: 0, stepMs: 20, tokenId: 1, text: 'Hello' }));
    send(
      store,
      progress({ phase: 'decode', repetition: 0, step: 1, stepMs: 22, tokenId: 2, text: ', world' }),
    );
    // other repetitions, tokens without text, and other runs do not add to it
    send(store, progress({ phase: 'decode', repetition: 1, step: 0, stepMs: 21, text: 'Hello' }));
    send(store, progress({ phase: 'decode', repetition: 0, step: 2, stepMs: 21, tokenId: 3 }));
    send(store, progress({ phase: 'decode', repetition: 0, step: 3, stepMs: 21, text: '!' }), 'other-run');
    expect(store.streamedText).toBe('Hello, world');
    expect(store.stepMs).toEqual([20, 22, 21, 21]);

    send(store, { ...start, key: 't2', index: 1 });
    expect(store.streamedText).toBe('');
    expect(store.stepMs).toEqual([]);
  });
});

describe('live run store: status', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('counts a run as running once its trials report, even if it was read while still planned', () => {
    const store = useLiveRunStore();
    store.runId = 'run-1';
    store.status = 'planned';
    send(store, start);
    expect(store.status).toBe('running');
    send(store, { type: 'done', status: 'cancelled' });
    expect(store.status).toBe('cancelled');
  });
});

describe('live run store: memory timeline', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const memory = (elapsedMs: number, rssBytes: number): SweepEvent =>
    progress({ phase: 'memory', elapsedMs, rssBytes });

  it("collects the running trial's samples, tagged with the latest phase, and resets on the next trial", () => {
    const store = useLiveRunStore();
    store.runId = 'run-1';
    send(store, start);
    send(store, memory(10, 50e6));
    send(store, progress({ phase: 'load', elapsedMs: 40 }));
    send(store, memory(260, 400e6));
    send(store, progress({ phase: 'prefill', repetition: 0, elapsedMs: 400 }));
    send(store, progress({ phase: 'decode', repetition: 0, step: 0, stepMs: 20, elapsedMs: 450 }));
    send(store, progress({ phase: 'decode', repetition: 0, step: 1, stepMs: 21, elapsedMs: 470 }));
    send(store, memory(510, 420e6));

    expect(store.liveMemory).toEqual([
      { tMs: 10, rssBytes: 50e6, phase: null },
      { tMs: 260, rssBytes: 400e6, phase: 'load' },
      { tMs: 510, rssBytes: 420e6, phase: 'decode' },
    ]);
    // one mark per phase change, on the supervisor's clock
    expect(store.livePhaseMarks).toEqual([
      { tMs: 40, phase: 'load' },
      { tMs: 400, phase: 'prefill' },
      { tMs: 450, phase: 'decode' },
    ]);
    // memory samples neither change the phase line nor count as decode steps
    expect(store.phase).toBe('decode (repetition 1)');
    expect(store.stepMs).toEqual([20, 21]);

    send(store, { ...start, key: 't2', index: 1 });
    expect(store.liveMemory).toEqual([]);
    expect(store.livePhaseMarks).toEqual([]);
    expect(store.liveMemoryKey).toBe('t2');
  });
});

describe('live run store: a fast stream', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('tells the screen about streamed samples at most every PUBLISH_INTERVAL_MS, not once per event', async () => {
    const store = useLiveRunStore();
    store.runId = 'run-1';
    send(store, start);
    const seen: number[] = [];
    watch(
      () => store.stepMs,
      (steps) => seen.push(steps.length),
      { flush: 'sync' },
    );
    for (let step = 0; step < 200; step += 1)
      send(store, progress({ phase: 'decode', repetition: 0, step, stepMs: 2, elapsedMs: 500 + step * 2 }));
    // the store itself is always current
    expect(store.stepMs).toHaveLength(200);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
    expect(seen).toEqual([200]);
  });

  it('keeps finished results raw: thousands of memory samples are not proxied', () => {
    const store = useLiveRunStore();
    store.runId = 'run-1';
    store.trials = [{ key: 't1', label: 'a', status: 'pending' }];
    const result = measuredTrial({
      extra: {
        memoryTimeline: Array.from({ length: 5000 }, (_, index) => ({ tMs: index * 20, rssBytes: 1e8 })),
      },
    });
    send(store, { type: 'trial-done', index: 0, total: 1, key: 't1', label: 'a', result, etaSeconds: 0 });
    expect(store.trials[0]!.status).toBe('done');
    expect(isReactive(store.trials[0]!.result)).toBe(false);
  });
});

describe('live run store: catching up after a dropped connection', () => {
  beforeEach(() => setActivePinia(createPinia()));

  function backendWith(trialsDone: string[]) {
    const plan = [plannedTrial({ key: 't1' }), plannedTrial({ key: 't2', quant: 'int4' })];
    const backend = createFakeBackend({
      loadRun: async () =>
        runDocument({
          id: 'run-1',
          status: trialsDone.length === 2 ? 'completed' : 'running',
          plan,
          trials: trialsDone.map((key) => ({ key, result: measuredTrial() })),
        }),
    });
    provideBackend(backend);
    return backend;
  }

  it('reads the stored run again once the connection is back, for the trials that ended meanwhile', async () => {
    const done: string[] = [];
    const backend = backendWith(done);
    const store = useLiveRunStore();
    await store.follow('run-1');
    expect(store.trials.map((trial) => trial.status)).toEqual(['pending', 'pending']);
    backend.emitConnection({
      state: 'closed',
      reason: 'Lost the connection',
      retryInMs: 1000,
      httpStatus: null,
    });
    done.push('t1', 't2'); // both finished while nobody listened
    backend.emitConnection({ state: 'open' });
    await vi.waitFor(() => expect(store.trials.map((trial) => trial.status)).toEqual(['done', 'done']));
    expect(store.status).toBe('completed');
    expect(store.progress).toBe(1);
  });

  it("fills in trials whose events never came when the run's end is announced", async () => {
    const done: string[] = [];
    backendWith(done);
    const store = useLiveRunStore();
    await store.follow('run-1');
    done.push('t1', 't2');
    send(store, { type: 'done', status: 'completed' });
    await vi.waitFor(() => expect(store.progress).toBe(1));
  });
});
