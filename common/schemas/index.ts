/**
 * The data the workbench's knowledge works on, as zod schemas: a trial and its result, a run document,
 * device targets and their analysis, quality reports, model inspections, agents, this machine, the
 * catalog summary and the engine's events. profiler/api re-exports them as the WorkbenchApi's types.
 */
export * from './agents';
export * from './catalog-summary';
export * from './llama-bench-record';
export * from './model-inspection';
export * from './quality';
export * from './run-document';
export * from './system-info';
export * from './targets';
export * from './trial';
export * from './workbench-events';
