import type { TrialModel, TrialSpec } from '../../../profiler/api';

/** A model as people name it: the catalog id (with what-if overrides) or the folder's last part. */
export function modelName(model: TrialModel): string {
  if (model.kind === 'folder') return model.path.split(/[\\/]/).filter(Boolean).at(-1) ?? model.path;
  const overrides = Object.entries(model.overrides ?? {}).map(([key, value]) => `${key}=${value}`);
  return overrides.length ? `${model.id} [${overrides.join(',')}]` : model.id;
}

/**
 * One configuration on one line: model, preset, context, depth (and whether it is the end of the
 * window, C − P − G), its fill, lengths, the KV buffer when chosen, EP and threads.
 */
export function trialLabel(spec: TrialSpec): string {
  const kv = spec.kvDtype ? ` KV ${spec.kvDtype}` : '';
  const end = spec.depthSource === 'context' ? ' (end of window)' : '';
  // a depth of 0 fills nothing
  const fill = spec.depthTokens > 0 ? `, ${spec.fill} fill` : '';
  const buffer = spec.kvBuffer === 'auto' ? '' : ` · ${spec.kvBuffer} KV buffer`;
  const threads = spec.threads === undefined ? '' : ` · ${spec.threads} threads`;
  return `${modelName(spec.model)} · ${spec.quant}${kv} · ctx ${spec.contextTokens} · depth ${spec.depthTokens}${end}${fill} · P${spec.promptTokens}/G${spec.generateTokens}${buffer} · ${spec.ep}${threads}`;
}
