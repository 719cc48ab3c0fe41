import { z } from 'zod';
import { AgentInfoSchema } from './agents';
import { ImportEventSchema } from './model-import';
import { RunStatusSchema } from './run-document';
import { TrialProgressSchema, TrialResultSchema } from './trial';

/** What a running sweep tells whoever watches it (CLI progress, the UI's live view). */
export const SweepEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('trial-start'),
    index: z.number().int(),
    total: z.number().int(),
    key: z.string(),
    label: z.string(),
    /** s, the rest of the sweep including this trial */
    etaSeconds: z.number(),
  }),
  z.object({ type: z.literal('trial-progress'), key: z.string(), progress: TrialProgressSchema }),
  z.object({
    type: z.literal('trial-done'),
    index: z.number().int(),
    total: z.number().int(),
    key: z.string(),
    label: z.string(),
    result: TrialResultSchema,
    etaSeconds: z.number(),
  }),
  z.object({ type: z.literal('trial-skipped'), key: z.string(), label: z.string(), reason: z.string() }),
  z.object({
    type: z.literal('quality'),
    modelKey: z.string(),
    quant: z.string(),
    error: z.string().optional(),
  }),
  z.object({ type: z.literal('done'), status: RunStatusSchema }),
]);
export type SweepEvent = z.infer<typeof SweepEventSchema>;

/** Events the engine pushes to every door (IPC `workbench:event`, the WebSocket's event messages). */
export const WorkbenchEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sweep'),
    runId: z.string(),
    event: SweepEventSchema,
    /** set when the sweep runs on a remote agent */
    agent: z.object({ id: z.string(), name: z.string() }).optional(),
  }),
  /** an agent connected, dropped, started or finished a sweep: the whole list, as listAgents answers */
  z.object({ kind: z.literal('agents'), agents: z.array(AgentInfoSchema) }),
  /** a real-weights import's progress (download, then the graph written), and its end */
  ImportEventSchema,
]);
export type WorkbenchEvent = z.infer<typeof WorkbenchEventSchema>;
/** A sweep's event as the doors carry it. */
export type SweepWorkbenchEvent = Extract<WorkbenchEvent, { kind: 'sweep' }>;
