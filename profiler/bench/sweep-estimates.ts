import type { SweepSpecInput, MeasuredEnvironment } from '../api';
import { formatBytes } from '../../common/units';
import { inspectModel } from '../models/loader';
import { bandwidthForRoofline } from '../runtime/memory-bandwidth';
import { folderKey, type EstimateContext, type FolderFacts } from './trial-estimate';

/** bytes/s the estimates assume when this machine's bandwidth could not be measured (noisy machine) */
const UNMEASURED_BANDWIDTH_BYTES_PER_SECOND = 10e9;

/**
 * What the planner's estimates rest on: this machine's memory bandwidth (the roofline's bound: measured
 * once, cached; a stated 10 GB/s when the machine was too noisy to measure) and, for model folders,
 * their weights and KV bytes per token (read from the graph, not the weights).
 */
export async function sweepEstimateContext(
  spec: SweepSpecInput,
  environment: MeasuredEnvironment,
  dataDir: string,
): Promise<EstimateContext> {
  // planning answers at once: a bandwidth not measured yet is assumed (and said), the first trial measures it
  const bandwidth = await bandwidthForRoofline(dataDir, environment, { cachedOnly: true });
  const folders = new Map<string, FolderFacts>();
  for (const model of spec.models) {
    if (model.kind !== 'folder') continue;
    // the variant the trial opens: its real dtype, not an fp32 assumption
    const inspection = await inspectModel(
      model.path,
      model.variant === undefined ? {} : { variant: model.variant },
    );
    folders.set(folderKey(model), {
      parameters: inspection.parameters.learned,
      weightsBytes: inspection.bytes.weights,
      kvBytesPerToken: inspection.kvBytesPerToken ?? 0,
      kvElementBytes: inspection.signature.kvDtype === 'float16' ? 2 : 4,
      vocabSize: inspection.config?.vocab_size ?? null,
      hiddenSize: inspection.config?.hidden_size ?? null,
      tiedEmbeddings: inspection.config?.tie_word_embeddings ?? false,
      canShareKvBuffer: inspection.signature.canShareKvBuffer,
    });
  }
  return {
    ...(bandwidth.status === 'measured'
      ? {
          bandwidthBytesPerSecond: bandwidth.bytesPerSecond,
          bandwidthSource: `this machine's measured bandwidth (${formatBytes(bandwidth.bytesPerSecond)}/s)`,
        }
      : {
          bandwidthBytesPerSecond: UNMEASURED_BANDWIDTH_BYTES_PER_SECOND,
          bandwidthSource: `an assumed ${formatBytes(UNMEASURED_BANDWIDTH_BYTES_PER_SECOND)}/s (this machine's bandwidth is ${bandwidth.reason})`,
        }),
    folders,
  };
}
