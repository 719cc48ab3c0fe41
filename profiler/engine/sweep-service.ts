import type { SweepSpecInput, WorkbenchEvent } from '../api';
import { environmentOf } from '../bench/run-trial';
import { sweepEstimateContext } from '../bench/sweep-estimates';
import { planSweep, type SweepPlan } from '../bench/sweep-planner';
import { newRunDocument, runSweep, storeSink } from '../bench/sweep-runner';
import type { TrialProcessLauncher } from '../bench/trial-host';
import type { SystemInfo } from '../api';
import type { RunStore } from '../store/run-store';

export interface SweepServiceDeps {
  dataDir: string;
  store: RunStore;
  launcher: TrialProcessLauncher;
  system: () => Promise<SystemInfo>;
  emit: (event: WorkbenchEvent) => void;
}

/**
 * Sweeps for the doors that stay up (desktop, serve): plan, start in the background, cancel. One sweep
 * runs at a time, since trials measured side by side would disturb each other.
 */
export function createSweepService(deps: SweepServiceDeps) {
  let running: { runId: string; controller: AbortController } | undefined;

  async function plan(spec: SweepSpecInput): Promise<SweepPlan> {
    const environment = environmentOf(await deps.system());
    return planSweep(spec, await sweepEstimateContext(spec, environment, deps.dataDir));
  }

  return {
    plan,

    /** the id of the sweep running now, if any */
    running: (): string | undefined => running?.runId,

    async start(spec: SweepSpecInput, name = 'sweep'): Promise<{ runId: string; trials: number }> {
      if (running)
        throw new Error(`A sweep is already running (${running.runId}): cancel it or wait for it to finish.`);
      const system = await deps.system();
      const environment = environmentOf(system);
      const planned = planSweep(spec, await sweepEstimateContext(spec, environment, deps.dataDir));
      const doc = newRunDocument(deps.store.newRunId(name), name, planned, environment);
      await deps.store.save(doc);
      const controller = new AbortController();
      running = { runId: doc.id, controller };
      // the sweep goes on after this call returns; its progress reaches the doors as events
      void runSweep(doc, {
        sink: storeSink(deps.store),
        trial: { launcher: deps.launcher, dataDir: deps.dataDir, system: async () => system },
        signal: controller.signal,
        onEvent: (event) => deps.emit({ kind: 'sweep', runId: doc.id, event }),
      })
        .catch((error: unknown) => {
          console.error(`[engine] sweep ${doc.id} stopped:`, error);
          deps.emit({ kind: 'sweep', runId: doc.id, event: { type: 'done', status: 'interrupted' } });
        })
        .finally(() => (running = undefined));
      return { runId: doc.id, trials: planned.trials.length };
    },

    cancel(runId: string): { cancelled: boolean } {
      if (running?.runId !== runId) return { cancelled: false };
      running.controller.abort();
      return { cancelled: true };
    },
  };
}
