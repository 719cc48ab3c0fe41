/**
 * The engine as the front doors (profiler/cli, profiler/serve) and the desktop shell (electron/) see it:
 * createEngine, what a door hands it, and what it hands back. Doors import from here, profiler/api and
 * common — never from the layers below the engine (eslint.config.js holds them to it).
 */
export {
  createEngine,
  type Engine,
  type EngineOptions,
  type LocalEngine,
  type RunSource,
  type TargetsReport,
} from './create-engine';
export type { AnalysisReport } from './run-reports';
export type { SweepHooks, SweepRequest, SweepStart } from './sweep-service';
export { appFactsFromPackage, buildCommit, versionText } from './app-facts';
export { createModelRoots, type ModelRoots, type ModelRootsOptions } from './model-roots';
export type { HostFacts } from '../runtime/system-probe';
export { resolveDataDir, writeFileAtomic } from './host-files';
export type {
  TrialChildMessage,
  TrialParentMessage,
  TrialProcessHandle,
  TrialProcessLauncher,
} from './trial-launcher';
