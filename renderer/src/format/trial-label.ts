import type { TrialModel, TrialSpec } from '../../../profiler/api';

/** A model as people name it: the catalog id (with what-if overrides) or the folder's last part. */
export function modelName(model: TrialModel): string {
  if (model.kind === 'folder') return model.path.split(/[\\/]/).filter(Boolean).at(-1) ?? model.path;
  const overrides = Object.entries(model.overrides ?? {}).map(([key, value]) => `${key}=${value}`);
  return overrides.length ? `${model.id} [${overrides.join(',')}]` : model.id;
}

/** One configuration on one line: model, preset, context, lengths, EP and threads. */
export function trialLabel(spec: TrialSpec): string {
  const kv = spec.kvDtype ? ` KV ${spec.kvDtype}` : '';
  const threads = spec.threads === undefined ? '' : ` · ${spec.threads} threads`;
  return `${modelName(spec.model)} · ${spec.quant}${kv} · ctx ${spec.contextTokens} · depth ${spec.depthTokens} · P${spec.promptTokens}/G${spec.generateTokens} · ${spec.ep}${threads}`;
}
