import type { WorkbenchApi } from '../api';
import { probeSystem, type HostFacts } from '../runtime/system-probe';

/**
 * The engine behind every front door. Doors validate arguments with the zod schemas in profiler/api
 * before calling it, so methods here may trust their argument types.
 */
export function createEngine(facts: HostFacts): WorkbenchApi {
  return {
    system: () => probeSystem(facts),
  };
}
