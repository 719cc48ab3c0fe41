import fsp, { chmod, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write';

/** One remembered agent. The token is kept here (owner-only file) and never sent to a page. */
export const AgentRecordSchema = z.object({
  id: z.string().min(1),
  /** origin: scheme://host:port */
  url: z.string().min(1),
  token: z.string(),
  /** the user's name for it; else the agent's device name */
  name: z.string().optional(),
  /** the agent's own device name, as of its last answer: names it before it answers after a restart */
  deviceName: z.string().optional(),
  /** runs copied from it: never copied twice, even after the copy is deleted here */
  copied: z.array(z.object({ remoteRunId: z.string(), localId: z.string() })).default([]),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

const AgentsFileSchema = z.object({ version: z.literal(1), agents: z.array(AgentRecordSchema) });

export const AGENTS_FILE = 'agents.json';

export function agentsFilePath(dataDir: string): string {
  return path.join(dataDir, AGENTS_FILE);
}

/**
 * The remembered agents. A missing file is an empty list; an unreadable one is moved aside (so the user
 * keeps it) with a warning, and the list starts empty rather than stopping the app.
 */
export async function readAgentsFile(dataDir: string): Promise<AgentRecord[]> {
  const file = agentsFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    return AgentsFileSchema.parse(JSON.parse(text)).agents;
  } catch {
    const aside = `${file}.unreadable-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    console.warn(`[agents] ${file} could not be read; moved it to ${aside} and started with no agents.`);
    return [];
  }
}

/** Written atomically, readable by its owner only (it holds access tokens). */
export async function writeAgentsFile(dataDir: string, agents: readonly AgentRecord[]): Promise<void> {
  const file = agentsFilePath(dataDir);
  await mkdir(dataDir, { recursive: true });
  // the temp file is created owner-only, so the tokens are never readable by others, not even briefly
  const ownerOnly = { ...fsp, open: (target: string, flags: string) => fsp.open(target, flags, 0o600) };
  await writeFileAtomic(
    file,
    JSON.stringify({ version: 1, agents }, null, 2) + '\n',
    ownerOnly as typeof fsp,
  );
  await chmod(file, 0o600).catch(() => undefined); // an older file; Windows has no such bits (per-user ACLs)
}
