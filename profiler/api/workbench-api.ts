import { z } from 'zod';
import type { WorkbenchMethodName } from './channels';
import { SystemInfoSchema } from './system-info';

interface MethodSpec {
  args: z.ZodTuple;
  result: z.ZodType;
}

/**
 * The one contract between the engine and every front door (desktop IPC, serve/agent WebSocket, CLI).
 * Each method is spelled once here: its argument tuple and its result, as zod schemas, so each door
 * validates what crosses it and the types flow from the schemas.
 */
export const workbenchMethods = {
  system: { args: z.tuple([]), result: SystemInfoSchema },
} satisfies Record<WorkbenchMethodName, MethodSpec>;

export type WorkbenchMethodArgs<M extends WorkbenchMethodName> = z.infer<
  (typeof workbenchMethods)[M]['args']
>;
export type WorkbenchMethodResult<M extends WorkbenchMethodName> = z.infer<
  (typeof workbenchMethods)[M]['result']
>;

/** The engine's surface: one async function per method. */
export type WorkbenchApi = {
  [M in WorkbenchMethodName]: (...args: WorkbenchMethodArgs<M>) => Promise<WorkbenchMethodResult<M>>;
};
