import type { WorkbenchMethodResult } from '../../profiler/api';
import { catalogCard } from './catalog-summary';
import { createFakeBackend, type FakeBackend } from './fake-backend';
import { budgetPlan } from './planned-trial';
import { runDocument } from '../../common/test/run-document';
import { systemInfo } from './system-info';

/**
 * The engine as the run builder uses it: the catalog, this machine, a plan (by default `budgetPlan`),
 * no agents, and a sweep that starts as run-1 and reads back as running.
 */
export function builderBackend(plan: WorkbenchMethodResult<'planSweep'> = budgetPlan): FakeBackend {
  return createFakeBackend({
    catalog: async () => [catalogCard],
    system: async () => systemInfo(),
    planSweep: async () => plan,
    startSweep: async () => ({ runId: 'run-1', trials: plan.trials.length }),
    loadRun: async () => runDocument({ id: 'run-1', status: 'running', plan: plan.trials }),
    listAgents: async () => [],
  });
}
