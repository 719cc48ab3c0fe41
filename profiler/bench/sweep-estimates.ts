import { formatBytes, type SweepSpecInput, type TrialEnvironment } from '../api';
import { inspectModel } from '../models/loader';
import { cachedMemoryBandwidth, memoryBandwidthKey } from '../runtime/memory-bandwidth';
import type { EstimateContext } from './sweep-planner';

/**
 * What the planner's estimates rest on: this machine's memory bandwidth (measured once, cached) and,
 * for model folders, their weights and KV bytes per token (read from the graph, not the weights).
 */
export async function sweepEstimateContext(
  spec: SweepSpecInput,
  environment: TrialEnvironment,
  dataDir: string,
): Promise<EstimateContext> {
  const bandwidth = await cachedMemoryBandwidth(dataDir, memoryBandwidthKey(environment));
  const folderWeightsBytes = new Map<
    string,
    { weightsBytes: number; kvBytesPerToken: number; parameters: number }
  >();
  for (const model of spec.models) {
    if (model.kind !== 'folder') continue;
    const inspection = await inspectModel(model.path);
    folderWeightsBytes.set(model.path, {
      weightsBytes: inspection.bytes.weights,
      kvBytesPerToken: inspection.kvBytesPerToken ?? 0,
      parameters: inspection.parameters.total,
    });
  }
  return {
    bandwidthBytesPerSecond: bandwidth.bytesPerSecond,
    bandwidthSource: `this machine's measured bandwidth (${formatBytes(bandwidth.bytesPerSecond)}/s)`,
    folderWeightsBytes,
  };
}
