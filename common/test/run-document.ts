import { modelKey } from '../labels';
import {
  RUN_DOCUMENT_KIND,
  RunDocumentSchema,
  type PlannedTrial,
  type RunDocument,
  type RunStatus,
  type SweepSpecInput,
} from '../schemas/run-document';
import type { QualityReport } from '../schemas/quality';
import type { TrialEnvironment, TrialModel, TrialSpec } from '../schemas/trial';
import { ENVIRONMENT } from './trial-result';

/**
 * The one RunDocument builder of the repository's tests: trials (built with trial-result.ts) and plan
 * entries in a document whose sweep is what they ran, parsed by the real schema.
 */

export interface RunDocumentInput {
  id: string;
  name?: string;
  schemaVersion?: 1 | 2;
  status?: RunStatus;
  /** finished trials, in the order they finished */
  trials?: RunDocument['trials'];
  plan?: PlannedTrial[];
  quality?: RunDocument['quality'];
  /** trials the planner left out, with why (their keys are in the plan) */
  skipped?: RunDocument['skipped'];
  tags?: string[];
  /** the machine it ran on; default ENVIRONMENT */
  environment?: TrialEnvironment;
  /** what the sweep asked for beyond what its trials show */
  sweep?: Partial<SweepSpecInput>;
}

const distinct = <T>(values: T[]): T[] => [...new Set(values)];

/** One entry per model, as the sweep listed them. */
function modelsOf(specs: TrialSpec[]): TrialModel[] {
  const byKey = new Map(specs.map((spec) => [modelKey(spec.model), spec.model]));
  return [...byKey.values()];
}

export function runDocument(input: RunDocumentInput): RunDocument {
  const trials = input.trials ?? [];
  const plan = input.plan ?? [];
  const specs = [...trials.map(({ result }) => result.spec), ...plan.map(({ spec }) => spec)];
  const quality = input.quality ?? [];
  return RunDocumentSchema.parse({
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: input.schemaVersion ?? 2,
    id: input.id,
    name: input.name ?? input.id,
    tags: input.tags ?? [],
    createdAt: '2025-06-02T09:13:58.004Z',
    updatedAt: '2025-06-02T09:16:31.552Z',
    status: input.status ?? 'completed',
    sweep: {
      // a run with nothing planned yet: the schema's defaults
      ...(specs.length === 0
        ? {}
        : {
            models: modelsOf(specs),
            quants: distinct(specs.map((spec) => spec.quant)),
            contexts: distinct(specs.map((spec) => spec.contextTokens)),
            depths: distinct(specs.map((spec) => spec.depthTokens)),
            prompts: distinct(specs.map((spec) => spec.promptTokens)),
            gens: distinct(specs.map((spec) => spec.generateTokens)),
            eps: distinct(specs.map((spec) => spec.ep)),
            threads: distinct(specs.map((spec) => spec.threads ?? null)),
          }),
      measureQuality: quality.length > 0,
      ...input.sweep,
    },
    environment: input.environment ?? ENVIRONMENT,
    plan,
    trials,
    skipped: input.skipped ?? [],
    quality,
  });
}

/**
 * What the quality measurement reports for a quantized MobileLLM-R1 140M against its fp32 source:
 * the KL and top-1 agreement given, the rest shaped like an int4 variant's.
 */
export function qualityReport(klMean: number, top1Agreement: number): QualityReport {
  const model = (path: string, weightsBytes: number) => ({
    path,
    modelFile: `${path}/model.onnx`,
    weightsBytes,
    diskBytes: weightsBytes + 412_334,
    parameters: 140_248_512,
  });
  return {
    reference: model('/models/fp32', 560_994_048),
    variant: model('/models/int4', 181_043_200),
    sequences: 4,
    positionsPerSequence: 128,
    continuationTokens: 32,
    overall: {
      klMean,
      klP99: klMean * 6,
      klMax: klMean * 11,
      top1Agreement,
      maxAbsLogitError: 2.41,
      meanAbsLogitError: 0.183,
      identicalContinuations: 0.5,
      meanIdenticalPrefix: 19.5,
    },
    perPosition: [],
    bytes: {
      variantOnDisk: 181_455_534,
      referenceOnDisk: 561_406_382,
      variantWeights: 181_043_200,
      referenceWeights: 560_994_048,
      variantBytesPerParameter: 1.29,
      referenceBytesPerParameter: 4,
      compression: 3.1,
    },
    tokenSource: 'seeded',
    seed: 0,
  };
}
