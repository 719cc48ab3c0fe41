import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { builderBackend } from '../../test/builder-backend';
import type { FakeBackend } from '../../test/fake-backend';
import { provideBackend } from '../backend/workbench-backend';
import { PLAN_DEBOUNCE_MS, useBuilderStore, type SweepPlanResult } from './builder-store';
import { useLiveRunStore } from './live-run-store';
import { useNavigationStore } from './navigation-store';

describe('builder store', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    setActivePinia(createPinia());
    backend = builderBackend();
    provideBackend(backend);
  });
  afterEach(() => vi.useRealTimers());

  it('starts from R1-140M, fp32 + int4, context 2048 measured at its end, P128 G64, 5 repetitions', () => {
    expect(useBuilderStore().spec).toEqual({
      models: [{ kind: 'catalog', id: 'mobilellm-r1-140m' }],
      quants: ['fp32', 'int4'],
      kvDtypes: ['preset'],
      contexts: [2048],
      // the end of the window (C − P − G), filled with seeded values, in the buffer the graph allows
      depths: ['end'],
      fill: 'synthetic',
      kvBuffers: ['auto'],
      prompts: [128],
      gens: [64],
      eps: ['cpu'],
      runtimes: ['onnxruntime'],
      threads: [null],
      warmupRuns: 1,
      repetitions: 5,
      measureQuality: false,
    });
  });

  it('runs the sweep on both runtimes when llama.cpp is picked too, and needs at least one', () => {
    const builder = useBuilderStore();
    builder.toggleRuntime('llama.cpp');
    expect(builder.spec?.runtimes).toEqual(['onnxruntime', 'llama.cpp']);
    builder.toggleRuntime('onnxruntime');
    builder.toggleRuntime('llama.cpp');
    expect(builder.missing).toBe('Pick at least one runtime.');
  });

  it('turns every selection into its sweep dimension', () => {
    const builder = useBuilderStore();
    builder.toggleModel('smollm2-135m');
    builder.addFolder('  /models/qwen3  ');
    builder.toggleQuant('int8');
    builder.toggleQuant('fp32');
    builder.toggleContext(512);
    builder.toggleContext(8192);
    builder.toggleKvDtype('float16');
    builder.toggleEp('webgpu');
    builder.text.prompts = '128, 512';
    builder.text.gens = '32';
    builder.text.depths = 'end, 0,1024';
    builder.fill = 'model';
    builder.toggleKvBuffer('shared');
    builder.toggleKvBuffer('grow');
    builder.text.threads = 'default, 4';
    builder.text.repetitions = '3';
    builder.text.budget = '8GB';
    expect(builder.spec).toMatchObject({
      models: [
        { kind: 'catalog', id: 'mobilellm-r1-140m' },
        { kind: 'catalog', id: 'smollm2-135m' },
        { kind: 'folder', path: '/models/qwen3' },
      ],
      // in preset order, whatever order they were clicked in
      quants: ['int8', 'int4'],
      kvDtypes: ['preset', 'float16'],
      contexts: [512, 2048, 8192],
      depths: ['end', 0, 1024],
      fill: 'model',
      // in the order auto, grow, shared whatever order they were clicked in
      kvBuffers: ['auto', 'grow', 'shared'],
      prompts: [128, 512],
      gens: [32],
      eps: ['cpu', 'webgpu'],
      threads: [null, 4],
      repetitions: 3,
      memoryBudgetBytes: 8e9,
    });
  });

  it('has no spec, and says why, while a dimension is empty or a field is wrong', () => {
    const builder = useBuilderStore();
    builder.toggleModel('mobilellm-r1-140m');
    expect(builder.spec).toBeNull();
    expect(builder.missing).toContain('Pick a model');
    builder.toggleModel('mobilellm-r1-140m');
    builder.text.budget = '8 gigs';
    expect(builder.spec).toBeNull();
    expect(builder.fieldErrors.budget).toContain('"8 gigs" is not a byte size');
    builder.text.budget = '';
    builder.text.depths = 'end, half';
    expect(builder.spec).toBeNull();
    expect(builder.fieldErrors.depths).toContain('"half" is neither "end"');
    builder.text.depths = 'end';
    builder.toggleKvBuffer('auto');
    expect(builder.spec).toBeNull();
    expect(builder.missing).toBe('Pick at least one KV buffer.');
  });

  it('plans again a moment after the last edit, and sums the plan', async () => {
    vi.useFakeTimers();
    const builder = useBuilderStore();
    await builder.refreshPlan();
    expect(backend.planSweep).toHaveBeenCalledTimes(1);
    expect(builder.summary).toMatchObject({
      trials: 2,
      seconds: 90,
      maxPeakBytes: 1.5 * 2 ** 30,
      willNotFit: 1,
    });

    builder.toggleQuant('fp16');
    builder.text.budget = '1GiB';
    await nextTick();
    expect(builder.planIsCurrent).toBe(false);
    await vi.advanceTimersByTimeAsync(PLAN_DEBOUNCE_MS - 50);
    expect(backend.planSweep).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    // two quick edits, one request, for the latest selections
    expect(backend.planSweep).toHaveBeenCalledTimes(2);
    expect(backend.planSweep).toHaveBeenLastCalledWith(
      expect.objectContaining({ quants: ['fp32', 'fp16', 'int4'], memoryBudgetBytes: 2 ** 30 }),
      undefined,
    );
    expect(builder.planIsCurrent).toBe(true);
  });

  it("keeps the engine's message when planning fails", async () => {
    backend.planSweep.mockRejectedValueOnce(
      new Error('The sweep has no runnable trial: depth 4096 exceeds 2048.'),
    );
    const builder = useBuilderStore();
    await builder.refreshPlan();
    expect(builder.planError).toBe('The sweep has no runnable trial: depth 4096 exceeds 2048.');
    expect(builder.plan).toBeNull();
    expect(builder.canStart).toBe(false);
  });

  it('ignores an older plan that answers after a newer one', async () => {
    let answerOld: (plan: SweepPlanResult) => void = () => {};
    backend.planSweep.mockImplementationOnce(() => new Promise((resolve) => (answerOld = resolve)));
    const builder = useBuilderStore();
    const old = builder.refreshPlan();
    builder.toggleQuant('fp32');
    await builder.refreshPlan();
    answerOld({ trials: [], contradictions: [] });
    await old;
    expect(builder.summary.trials).toBe(2);
  });

  it('starts the sweep with its name, follows it and opens the live screen', async () => {
    const builder = useBuilderStore();
    await builder.refreshPlan();
    builder.name = '  r1 sizes  ';
    await builder.start();
    expect(backend.startSweep).toHaveBeenCalledWith(builder.spec, 'r1 sizes', undefined);
    expect(useLiveRunStore().runId).toBe('run-1');
    expect(backend.loadRun).toHaveBeenCalledWith('run-1');
    expect(useNavigationStore().view).toBe('live');
    expect(builder.startError).toBeNull();
  });

  it('stays on the builder with the reason when the engine refuses to start', async () => {
    backend.startSweep.mockRejectedValueOnce(new Error('A sweep is already running (run-0).'));
    const builder = useBuilderStore();
    await builder.start();
    expect(backend.startSweep).toHaveBeenCalledWith(builder.spec, undefined, undefined);
    expect(builder.startError).toBe('A sweep is already running (run-0).');
    expect(useNavigationStore().view).not.toBe('live');
    expect(builder.starting).toBe(false);
  });
});
