import type { RunDocument, SweepSpecInput, SystemInfo, WorkbenchEvent } from '../api';
import { environmentOf } from '../bench/run-trial';
import { sweepEstimateContext } from '../bench/sweep-estimates';
import { planSweep, type SweepPlan } from '../bench/sweep-planner';
import { newRunDocument, runSweep, storeSink } from '../bench/sweep-runner';
import type { TrialProcessLauncher } from '../bench/trial-host';
import { existsSync } from 'node:fs';
import type { RunStore } from '../store/run-store';
import { readRunFile } from '../store/run-parse';
import { RunStoreError } from '../store/store-error';

export interface SweepServiceDeps {
  dataDir: string;
  store: RunStore;
  launcher: TrialProcessLauncher;
  system: () => Promise<SystemInfo>;
  emit: (event: WorkbenchEvent) => void;
}

/**
 * A sweep to run here: a new one (its spec and name), or a run's missing trials — `resume` names a stored
 * run by id, or the run file `sweep --out` wrote (the store's copy of that run where it has one, else the
 * file imported first).
 */
export type SweepRequest = { spec: SweepSpecInput; name?: string } | { resume: string };

/** What a sweep is about to do, told before anything is saved or measured. */
export interface SweepStart {
  /** a copy of the run document as the sweep starts: planned, or as stored when resumed */
  doc: RunDocument;
  resumed: boolean;
  /** configurations the planner dropped because they contradict themselves; none when resumed */
  contradictions: SweepPlan['contradictions'];
  /** where the document is saved after every trial */
  runsDir: string;
}

export interface SweepHooks {
  /** throwing here refuses the sweep: a new run is then not saved, a resumed one is left as it was */
  onStart?: (start: SweepStart) => void;
}

/**
 * Sweeps here, one at a time (trials measured side by side would disturb each other): plan, run in the
 * background (startSweep, resumeSweep) or to the end (run), cancel. Progress reaches every door as
 * WorkbenchEvents, whichever way the sweep was started.
 */
export function createSweepService(deps: SweepServiceDeps) {
  let running: { runId: string; controller: AbortController } | undefined;

  async function plan(spec: SweepSpecInput): Promise<SweepPlan> {
    const environment = environmentOf(await deps.system());
    return planSweep(spec, await sweepEstimateContext(spec, environment, deps.dataDir));
  }

  /** The run a --resume names: a run id, or a run file (.json) that exists. */
  async function resumedDocument(runIdOrFile: string): Promise<RunDocument> {
    if (!(runIdOrFile.endsWith('.json') && existsSync(runIdOrFile))) return deps.store.load(runIdOrFile);
    const fromFile = (await readRunFile(runIdOrFile)).doc;
    try {
      // the store's copy is saved after every trial: it is at least as far along as the file
      return await deps.store.load(fromFile.id);
    } catch (error) {
      if (!(error instanceof RunStoreError && error.code === 'not-found')) throw error;
      return (await deps.store.importDocument(fromFile)).run;
    }
  }

  function refuseSecond(): void {
    if (running)
      throw new Error(`A sweep is already running (${running.runId}): cancel it or wait for it to finish.`);
  }

  /** The run document a request starts from: planned and new, or the stored one to resume. */
  async function prepare(request: SweepRequest): Promise<SweepStart> {
    if ('resume' in request) {
      const doc = await resumedDocument(request.resume);
      return { doc, resumed: true, contradictions: [], runsDir: deps.store.runsDir };
    }
    const name = request.name ?? 'sweep';
    const system = await deps.system();
    const planned = await plan(request.spec);
    const doc = newRunDocument(deps.store.newRunId(name), name, planned, environmentOf(system));
    return { doc, resumed: false, contradictions: planned.contradictions, runsDir: deps.store.runsDir };
  }

  /**
   * Saves the document and starts its missing trials; resolves once saved, with the promise of the
   * finished document (completed or cancelled; it rejects when the sweep itself fails).
   */
  async function launch(doc: RunDocument): Promise<{ finished: Promise<RunDocument> }> {
    refuseSecond();
    const controller = new AbortController();
    running = { runId: doc.id, controller };
    let system: SystemInfo;
    try {
      system = await deps.system();
      await deps.store.save(doc);
    } catch (error) {
      running = undefined;
      throw error;
    }
    const finished = runSweep(doc, {
      sink: storeSink(deps.store),
      trial: { launcher: deps.launcher, dataDir: deps.dataDir, system: async () => system },
      signal: controller.signal,
      onEvent: (event) => deps.emit({ kind: 'sweep', runId: doc.id, event }),
    })
      .catch((error: unknown) => {
        deps.emit({ kind: 'sweep', runId: doc.id, event: { type: 'done', status: 'interrupted' } });
        throw error;
      })
      .finally(() => (running = undefined));
    return { finished };
  }

  /** In the background: resolves once the document is saved, while the trials go on. */
  async function inBackground(request: SweepRequest): Promise<{ runId: string; trials: number }> {
    refuseSecond();
    const { doc } = await prepare(request);
    const { finished } = await launch(doc);
    // the sweep goes on after this call returns; its progress reaches the doors as events
    finished.catch((error: unknown) => console.error(`[engine] sweep ${doc.id} stopped:`, error));
    return { runId: doc.id, trials: doc.plan.length };
  }

  return {
    plan,

    /** the id of the sweep running now, if any */
    running: (): string | undefined => running?.runId,

    start: (spec: SweepSpecInput, name?: string) =>
      inBackground(name === undefined ? { spec } : { spec, name }),

    resume: (runId: string) => inBackground({ resume: runId }),

    /** The sweep here to its end, in this process: resolves with the finished run document. */
    async run(request: SweepRequest, hooks: SweepHooks = {}): Promise<RunDocument> {
      refuseSecond();
      const start = await prepare(request);
      hooks.onStart?.({ ...start, doc: structuredClone(start.doc) });
      return (await launch(start.doc)).finished;
    },

    cancel(runId: string): { cancelled: boolean } {
      if (running?.runId !== runId) return { cancelled: false };
      running.controller.abort();
      return { cancelled: true };
    },
  };
}
