import { AgentInfoSchema, type AgentInfo } from '../../common/schemas/agents';
import { systemInfo } from './system-info';

/** A remote agent as listAgents answers: a board on the LAN, online, two runs copied here. */
export function agentInfo(overrides: Partial<AgentInfo> = {}): AgentInfo {
  return AgentInfoSchema.parse({
    id: 'agent-1',
    name: 'raspberry-pi-5',
    url: 'http://192.168.1.40:7420',
    state: 'online',
    message: null,
    retryInMs: null,
    system: null,
    runningRunId: null,
    copiedRuns: 2,
    lastSeenAt: '2026-11-29T10:00:00.000Z',
    ...overrides,
  });
}

/** An online board with 8 GiB whose onnxruntime has only the CPU provider, as the run builder lists it. */
export const boardAgent: AgentInfo = agentInfo({
  id: 'agent-pi',
  system: systemInfo({
    onnxruntime: { version: '1.30.0', backends: [{ name: 'cpu', bundled: true, installed: true }] },
    memory: { totalBytes: 8 * 2 ** 30 },
  }),
  copiedRuns: 0,
  lastSeenAt: null,
});
