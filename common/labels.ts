import { wholeNumber } from './number-format';
import { quantText } from './runtime-names';
import type { Fit, KvTargetFit, MemoryFit, TrialModel, TrialSpec } from './schemas';

/**
 * How a configuration is named and keyed, once for every screen, report, export and CLI line:
 *
 * - `modelName`: "mobilellm-r1-140m", "mobilellm-r1-140m [num_hidden_layers=4]", a folder's name
 *   ("MobileLLM-R1-140M-ONNX (q4)"); `modelTitle` gives a folder's whole path for a hover title.
 * - `testName`: llama-bench's words for the timed work, "pp128+tg64", "pp128+tg64 @ d3904"; a trial's two
 *   records are `prefillTestName` ("pp128 @ d3904") and `decodeTestName` ("tg64 @ d4032").
 * - `trialLabel`: one configuration on one line, "ui-tiny · int4 · ctx 4096 · pp128+tg64 @ d3904 · cpu 2t";
 *   `trialTitle`, the same with a folder's whole path, for a hover title.
 * - `modelKey`, `trialIdentity`, `configurationKeyWithoutDepth`: the identities stored documents and
 *   groupings rely on (not for people; their formats must not change under stored runs).
 */

/** the parts of a configuration a label names; a planner's combination has them before it is a spec */
export interface LabelledConfiguration {
  model: TrialModel;
  quant: string;
  /** the KV cache's dtype when it differs from the preset's own */
  kvDtype?: string | undefined;
  contextTokens: number;
  /** tokens cached before the timed part; undefined where not known (a combination that cannot run) */
  depthTokens?: number | undefined;
  promptTokens: number;
  generateTokens: number;
  kvBuffer?: string | undefined;
  fill?: string | undefined;
  ep: string;
  threads?: number | undefined;
  /** named where it is not onnxruntime (an imported llama-bench result) */
  runtime?: string | undefined;
}

/** "num_hidden_layers=4, hidden_size=256": a catalog model's what-if overrides, or '' */
function overridesText(model: Extract<TrialModel, { kind: 'catalog' }>): string {
  return Object.entries(model.overrides ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
}

/** a path's last part, POSIX or Windows separators: "/models/MobileLLM-R1-140M-ONNX/" → "MobileLLM-R1-140M-ONNX" */
function lastPathPart(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/**
 * A model as people name it: the catalog id with its what-if overrides (and the graph style where it is
 * not the default fused one), or a folder's name with its dtype variant. The full path is modelTitle's.
 */
export function modelName(model: TrialModel): string {
  if (model.kind === 'folder') {
    return model.variant ? `${lastPathPart(model.path)} (${model.variant})` : lastPathPart(model.path);
  }
  const overrides = overridesText(model);
  const style = model.style === 'standard' ? ' (standard graph)' : '';
  return `${model.id}${overrides ? ` [${overrides}]` : ''}${style}`;
}

/** What a hover title says of a model: a folder's whole path (and variant); a catalog model's name. */
export function modelTitle(model: TrialModel): string {
  if (model.kind === 'folder') return model.variant ? `${model.path} (${model.variant})` : model.path;
  return modelName(model);
}

/**
 * The key a run's quality entries are filed under (RunQualityEntry.modelKey): catalog id, overrides and
 * graph style, or the folder's path. Stored in run documents: its format must not change.
 */
export function modelKey(model: TrialModel): string {
  if (model.kind === 'folder') return model.path;
  const overrides = Object.entries(model.overrides ?? {}).map(([key, value]) => `${key}=${value}`);
  return `${model.id}${overrides.length ? `[${overrides.join(',')}]` : ''} ${model.style ?? 'fused'}`;
}

/** "My Board 2" → "my-board-2": a custom device target's id, from its name */
export function targetSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
}

/** A memory fit on a device target in words, as the verdict matrix and the reports say it. */
export const MEMORY_FIT_WORDS: Readonly<Record<MemoryFit, string>> = {
  fits: 'fits',
  tight: 'tight',
  'does-not-fit': 'does not fit',
  unknown: 'fit unknown',
};

/** The planner's fit of a trial in the memory budget, in words. */
export const PLANNED_FIT_WORDS: Readonly<Record<Fit, string>> = {
  fits: 'fits',
  tight: 'tight',
  'will-not-fit': 'will not fit',
};

/** "12,345 tokens", "32,768 tokens (model max)", "weights do not fit": the longest context a target holds */
export function maxContextText(fit: KvTargetFit): string {
  if (fit.limitedBy === 'weights-do-not-fit') return 'weights do not fit';
  return `${wholeNumber(fit.maxContextTokens)} tokens${fit.limitedBy === 'model-max-context' ? ' (model max)' : ''}`;
}

/** The name of the model a quality entry is filed under (`modelKey`), among a sweep's models; else the key. */
export function modelNameOfKey(models: readonly TrialModel[], key: string): string {
  const model = models.find((candidate) => modelKey(candidate) === key);
  return model ? modelName(model) : key;
}

/** "mobilellm-r1-140m · int4": the variant a quality entry is for, its model named among a sweep's models. */
export function qualityVariantLabel(
  models: readonly TrialModel[],
  entry: { modelKey: string; quant: string },
): string {
  return variantText(modelNameOfKey(models, entry.modelKey), entry.quant);
}

/** "KV float16": a KV-cache dtype as labels name it */
export function kvText(kvDtype: string): string {
  return `KV ${kvDtype}`;
}

/** "mobilellm-r1-140m · int4 · KV float16" */
function variantText(name: string, quant: string, kvDtype?: string): string {
  return `${name} · ${quant}${kvDtype ? ` · ${kvText(kvDtype)}` : ''}`;
}

/** "mobilellm-r1-140m · KV float16": what a KV cache's size depends on, model and cache dtype */
export function modelKvLabel(model: TrialModel, kvDtype: string): string {
  return `${modelName(model)} · ${kvText(kvDtype)}`;
}

/** "mobilellm-r1-140m · int4 · KV float16": a KV-pressure report's model variant with its cache dtype */
export function kvVariantLabel(report: { label: string; kvDtype: string }): string {
  return `${report.label} · ${kvText(report.kvDtype)}`;
}

/** "ctx 4096": the token window a trial measures */
export function contextText(contextTokens: number): string {
  return `ctx ${contextTokens}`;
}

/** "d3904": tokens in the KV cache before the timed part, as llama-bench writes its -d */
export function depthMark(depthTokens: number): string {
  return `d${depthTokens}`;
}

/**
 * llama-bench's name for the timed work: "pp128+tg64" (prompt processing P tokens, then generating G),
 * plus " @ d4096" when the KV cache held `depthTokens` tokens before it (llama-bench -d).
 */
export function testName(spec: {
  promptTokens: number;
  generateTokens: number;
  depthTokens?: number | undefined;
}): string {
  // an imported llama-bench record timed one of the two: its own name, as llama-bench wrote it
  if (spec.generateTokens === 0) return prefillTestName(spec);
  if (spec.promptTokens === 0) return decodeTestName(spec);
  const depth =
    spec.depthTokens !== undefined && spec.depthTokens > 0 ? ` @ ${depthMark(spec.depthTokens)}` : '';
  return `pp${spec.promptTokens}+tg${spec.generateTokens}${depth}`;
}

/**
 * llama-bench's name of a trial's prefill record: "pp128", or "pp128 @ d3904" when the cache held d tokens
 * before it. llama-bench's pp{P} times one batch of P prompt tokens, as a trial's prefill does.
 */
export function prefillTestName(spec: { promptTokens: number; depthTokens?: number | undefined }): string {
  const depth = spec.depthTokens ?? 0;
  return `pp${spec.promptTokens}${depth > 0 ? ` @ ${depthMark(depth)}` : ''}`;
}

/**
 * llama-bench's name of a trial's decode record: "tg64 @ d4032". The G decode steps run after the prefill,
 * so the cache then holds d + P tokens; llama-bench's tg{G} @ d{D} is G single-token steps after D.
 */
export function decodeTestName(spec: {
  promptTokens: number;
  generateTokens: number;
  depthTokens?: number | undefined;
}): string {
  const depth = (spec.depthTokens ?? 0) + spec.promptTokens;
  return `tg${spec.generateTokens}${depth > 0 ? ` @ ${depthMark(depth)}` : ''}`;
}

/** "2t": onnxruntime intra-op threads */
export function threadsText(threads: number): string {
  return `${threads}t`;
}

/** "cpu 2t", or "cpu" where onnxruntime picks the threads */
export function providerText(spec: { ep: string; threads?: number | null | undefined }): string {
  return spec.threads === undefined || spec.threads === null
    ? spec.ep
    : `${spec.ep} ${threadsText(spec.threads)}`;
}

/**
 * "mobilellm-r1-140m · int4", "mobilellm-r1-140m · Q4_0": a model variant, as the KV-pressure tables and a
 * result's model name it. A llama.cpp variant of a catalog model says its GGUF type; trialLabel adds the
 * runtime at the end of the line.
 */
export function variantLabel(
  spec: { model: TrialModel; quant: string; kvDtype?: string | undefined; runtime?: string | undefined },
  nameOf: (model: TrialModel) => string = modelName,
): string {
  return variantText(nameOf(spec.model), quantText(spec), spec.kvDtype);
}

/**
 * One configuration on one line, the same on every screen, report, export and CLI line:
 * "ui-tiny · int4 · ctx 4096 · pp128+tg64 @ d3904 · cpu 2t". The KV dtype where it differs from the
 * preset's, the KV buffer where one was chosen and a model fill are named too. `context: false` leaves
 * the context and depth out (a decode-slowdown line spans them): "ui-tiny · int4 · pp128+tg64 · cpu 2t".
 */
export function trialLabel(spec: LabelledConfiguration, options: { context?: boolean } = {}): string {
  return configurationLine(spec, options.context !== false, modelName);
}

/** trialLabel with a folder model's whole path (modelTitle) in place of its name: for a hover title. */
export function trialTitle(spec: LabelledConfiguration): string {
  return configurationLine(spec, true, modelTitle);
}

function configurationLine(
  spec: LabelledConfiguration,
  withContext: boolean,
  nameOf: (model: TrialModel) => string,
): string {
  const parts = [variantLabel(spec, nameOf)];
  if (withContext) parts.push(contextText(spec.contextTokens));
  parts.push(testName(withContext ? spec : { ...spec, depthTokens: undefined }));
  if (spec.kvBuffer && spec.kvBuffer !== 'auto') parts.push(`${spec.kvBuffer} KV buffer`);
  // synthetic is the default fill; a depth of 0 fills nothing
  if (spec.fill === 'model' && (spec.depthTokens ?? 0) > 0) parts.push('model fill');
  parts.push(providerText(spec));
  if (spec.runtime !== undefined && spec.runtime !== 'onnxruntime') parts.push(spec.runtime);
  return parts.join(' · ');
}

/** The configuration's fields in the order its identity lists them. */
function identityFields(spec: TrialSpec) {
  return {
    model: spec.model,
    quant: spec.quant,
    kvDtype: spec.kvDtype ?? 'preset',
    contextTokens: spec.contextTokens,
    depthTokens: spec.depthTokens,
    promptTokens: spec.promptTokens,
    generateTokens: spec.generateTokens,
    ep: spec.ep,
    threads: spec.threads ?? null,
    // schema 2 measures these too; a trial of 'grow' and one of 'shared' are two configurations
    kvBuffer: spec.kvBuffer,
    fill: spec.fill,
    // onnxruntime, the first runtime, adds nothing, so identities of stored runs stay as they were
    ...(spec.runtime === 'llama.cpp' ? { runtime: spec.runtime } : {}),
  };
}

/**
 * A configuration's identity as text: everything that changes what is measured. The planner hashes it
 * into the trial key (resume matches finished trials by that key), so its order must not change.
 */
export function trialIdentity(spec: TrialSpec): string {
  return JSON.stringify(Object.values(identityFields(spec)));
}

/**
 * Identity of a configuration apart from how much context it holds: trials with equal keys differ only
 * in context and depth (and so in what filled it). The context alone changes no work (a shared buffer's
 * rows past the depth are not read), so a sweep over contexts at the end of each window is one line.
 */
export function configurationKeyWithoutDepth(spec: TrialSpec): string {
  const spanned = new Set(['contextTokens', 'depthTokens', 'fill']);
  return JSON.stringify(
    Object.entries(identityFields(spec))
      .filter(([field]) => !spanned.has(field))
      .map(([, value]) => value),
  );
}
