import type { TrialModel } from '../api';

/** A share of the budget above which a trial is "tight": other apps and the OS need room too. */
export const TIGHT_SHARE = 0.8;

/** People's name for a model in a sweep: the catalog id (with overrides) or the folder. */
export function modelLabel(model: TrialModel): string {
  if (model.kind === 'folder') return model.path;
  const overrides = Object.entries(model.overrides).map(([key, value]) => `${key}=${value}`);
  return `${model.id}${overrides.length ? `[${overrides.join(',')}]` : ''} ${model.style}`;
}
