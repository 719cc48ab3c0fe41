import {
  RUN_DOCUMENT_KIND,
  RUN_DOCUMENT_VERSION,
  RunDocumentSchema,
  type RunDocument,
  type TrialResult,
} from '../api';
import { FIXTURE_ENVIRONMENT, keyOf, okResult, specOf, type Shape } from './test-fixtures';

/**
 * A context sweep for the exporters' tests: MobileLLM-R1 140M int4 at contexts 512, 4K and 32K, each at
 * the end of its window (shared KV buffer); fp32 at 512 once (n = 1); and a model folder on WebGPU
 * whose export returns every position's logits, with no bandwidth measured for its provider. Its int4
 * quality was measured on the catalog's synthetic weights.
 */

const MIB = 1024 * 1024; // bytes
const KV_BYTES_PER_TOKEN = 2 * 15 * 3 * 64 * 4; // 2 · layers · kv heads · head dim · fp32 bytes
export const FOLDER_PATH = '/models/qwen3-0.6b-onnx';
/** why the WebGPU trial has no roofline, as the engine words it */
export const NO_BANDWIDTH_REASON =
  'not measured for this provider: onnxruntime-node cannot time a GEMV on webgpu here';

const int4Shape = (peakRssBytes: number, stepMs: number): Shape => ({
  prefillMs: 117.3,
  stepMs,
  weightsBytes: 181_000_000,
  peakRssBytes,
  rssAfterLoadBytes: 214 * MIB,
  kvBytesPerToken: KV_BYTES_PER_TOKEN,
  loadMs: 188.2,
  buffer: 'shared',
});

function onWebGpu(): TrialResult {
  const spec = { ...specOf('mobilellm-r1-140m', 'fp32'), ep: 'webgpu' as const };
  const result = okResult(
    { ...spec, model: { kind: 'folder', path: FOLDER_PATH } },
    'qwen3-0.6b-onnx · fp32',
    { ...int4Shape(1210 * MIB, 9.1), weightsBytes: 2_400_000_000, buffer: 'grow' },
  );
  delete result.roofline;
  return {
    ...result,
    logits: { positions: 'all', prefillBytes: 128 * 151_936 * 4, lastPositionBytes: 151_936 * 4 },
    rooflineUnavailable: NO_BANDWIDTH_REASON,
    presentOnHost: true,
  };
}

export function contextRunDocument(): RunDocument {
  const specs = [512, 4096, 32_768].map((context) => specOf('mobilellm-r1-140m', 'int4', context));
  const once = specOf('mobilellm-r1-140m', 'fp32', 512, 1);
  const folder = onWebGpu();
  const trials = [
    ...specs.map((spec, index) => ({
      key: keyOf(spec),
      result: okResult(
        spec,
        'mobilellm-r1-140m · int4',
        int4Shape([262, 361, 1001][index]! * MIB, 6 + index * 5),
      ),
    })),
    {
      key: keyOf(once),
      result: okResult(once, 'mobilellm-r1-140m · fp32', {
        ...int4Shape(700 * MIB, 10.4),
        weightsBytes: 561_000_000,
        buffer: 'grow',
      }),
    },
    { key: keyOf(folder.spec), result: folder },
  ];
  return RunDocumentSchema.parse({
    kind: RUN_DOCUMENT_KIND,
    schemaVersion: RUN_DOCUMENT_VERSION,
    id: 'r1-140m-contexts',
    name: 'MobileLLM-R1 140M: contexts 512 to 32K',
    createdAt: '2025-06-02T10:00:00.000Z',
    updatedAt: '2025-06-02T10:09:00.000Z',
    status: 'completed',
    sweep: {
      models: [
        { kind: 'catalog', id: 'mobilellm-r1-140m' },
        { kind: 'folder', path: FOLDER_PATH },
      ],
      quants: ['fp32', 'int4'],
      contexts: [512, 4096, 32_768],
      repetitions: 5,
      measureQuality: true,
    },
    environment: FIXTURE_ENVIRONMENT,
    plan: trials.map(({ key, result }) => ({
      key,
      spec: result.spec,
      estimate: {
        weightsBytes: 0,
        kvBytes: 0,
        overheadBytes: 0,
        peakBytes: 0,
        seconds: 9,
        fit: 'fits',
        basis: 'test',
      },
    })),
    trials,
    quality: [{ modelKey: 'mobilellm-r1-140m fused', quant: 'int4', report: qualityReport() }],
  });
}

function qualityReport() {
  const model = (path: string, weightsBytes: number) => ({
    path,
    modelFile: `${path}/model.onnx`,
    weightsBytes,
    diskBytes: weightsBytes + 412_334,
    parameters: 140_248_512,
  });
  return {
    reference: model('/models/fp32', 561_000_000),
    variant: model('/models/int4', 181_000_000),
    sequences: 4,
    positionsPerSequence: 128,
    continuationTokens: 32,
    overall: {
      klMean: 0.0213,
      klP99: 0.13,
      klMax: 0.23,
      top1Agreement: 0.912,
      maxAbsLogitError: 2.41,
      meanAbsLogitError: 0.183,
      identicalContinuations: 0.5,
      meanIdenticalPrefix: 19.5,
    },
    perPosition: [],
    bytes: {
      variantOnDisk: 181_412_334,
      referenceOnDisk: 561_412_334,
      variantWeights: 181_000_000,
      referenceWeights: 561_000_000,
      variantBytesPerParameter: 1.29,
      referenceBytesPerParameter: 4,
      compression: 3.1,
    },
    tokenSource: 'seeded',
    seed: 0,
  };
}
