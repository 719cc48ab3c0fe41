import { z } from 'zod';
import { SystemInfoSchema } from './system-info';

/**
 * Remote agents: `edge-workbench serve` running on a board (Raspberry Pi, Jetson, any Linux arm64/x64
 * with Node 20+), added to a workbench by URL + token. The engine that added it (the desktop app or a
 * serve the browser UI came from) holds the connection, so the page never talks to a board directly.
 */
export const AgentStateSchema = z.enum([
  /** connecting, or reconnecting after a drop */
  'connecting',
  'online',
  /** unreachable now; retried with backoff */
  'offline',
  /** the agent refused the token: retried only when the user edits it */
  'refused',
]);
export type AgentState = z.infer<typeof AgentStateSchema>;

export const AgentInfoSchema = z.object({
  /** stable id in this workbench (not the agent's own) */
  id: z.string(),
  /** what people call it: the agent's device name unless the user named it */
  name: z.string(),
  /** the agent's origin, e.g. "http://192.168.1.40:7420" (the token is never sent back) */
  url: z.string(),
  state: AgentStateSchema,
  /** why it is offline or refused; null when online */
  message: z.string().nullable(),
  /** ms until the next reconnect attempt, when one is scheduled */
  retryInMs: z.number().nullable(),
  /** the agent's System facts, as of its last connection */
  system: SystemInfoSchema.nullable(),
  /** the sweep running on it now, if any */
  runningRunId: z.string().nullable(),
  /** runs copied from it into this workbench's history */
  copiedRuns: z.number().int(),
  /** ISO time of the last message from it */
  lastSeenAt: z.string().nullable(),
});
export type AgentInfo = z.infer<typeof AgentInfoSchema>;

export const AddAgentRequestSchema = z.object({
  /** http(s)://host:port, as `edge-workbench serve` printed it (a ?token=… in it is taken as the token) */
  url: z.string().min(1).max(2000),
  token: z.string().max(500).optional(),
  name: z.string().max(100).optional(),
});
export type AddAgentRequest = z.infer<typeof AddAgentRequestSchema>;

/** Where a run was measured, when it came from an agent (the run's environment names the device). */
export const RunSourceSchema = z.object({
  agentName: z.string(),
  agentUrl: z.string(),
  /** the run's id on the agent */
  remoteRunId: z.string(),
  /** ISO time it was copied here */
  copiedAt: z.string(),
});
export type RunSource = z.infer<typeof RunSourceSchema>;
