import { TrialSpecSchema, type DeviceTarget, type KvPressureReport, type KvPressureRequest } from '../api';
import { kvModelFromSpec, kvPressure, RUNTIME_OVERHEAD_RULE } from '../../common/analysis/kv-pressure';
import { resolveModel, type ResolvedModel } from '../../common/catalog';
import { variantLabel } from '../../common/labels';
import { resolvePreset } from '../../common/quant-presets';
import { estimateTrial } from '../bench/sweep-planner';

/** A KV-pressure request's model and preset, checked: a typo is said before any target is resolved. */
export function kvWhatIfModel(request: KvPressureRequest): ResolvedModel {
  const resolved = resolveModel(request.model, request.overrides ?? {});
  resolvePreset(request.quant ?? 'fp32');
  return resolved;
}

/**
 * The KV pressure of a catalog model (with what-if overrides) at a quantization preset: weights and
 * overhead as the sweep planner estimates them, the KV cache from the architecture.
 */
export function catalogKvPressure(
  resolved: ResolvedModel,
  request: KvPressureRequest,
  targets: readonly DeviceTarget[],
): KvPressureReport {
  const quant = request.quant ?? 'fp32';
  const kvDtype = request.kvDtype ?? resolvePreset(quant).kvDtype;
  const spec = TrialSpecSchema.parse({
    model: { kind: 'catalog', id: resolved.id, overrides: resolved.overrides },
    quant,
    kvDtype,
  });
  // only the memory figures are read; the time estimate needs a bandwidth, and any positive one does
  const estimate = estimateTrial(
    spec,
    { bandwidthBytesPerSecond: 1e9, bandwidthSource: 'unused' },
    undefined,
  );
  const model = kvModelFromSpec({
    // the KV dtype is the report's own column: the label names model and preset
    label: variantLabel({ ...spec, kvDtype: undefined }),
    spec: resolved.spec,
    kvDtype,
    weightsBytes: estimate.weightsBytes,
    quant,
    overheadBytes: estimate.overheadBytes,
  });
  return kvPressure(
    {
      ...model,
      basis:
        `estimated as the sweep planner does: weights = parameters × the ${quant} preset's bytes ` +
        `per parameter; overhead = ${RUNTIME_OVERHEAD_RULE}. Run a trial to measure both.`,
    },
    targets,
    request.contexts ?? [],
  );
}
