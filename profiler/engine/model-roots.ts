import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { WorkbenchCallError, type SweepSpecInput, type TrialSpecInput } from '../api';

type TrialModelInput = TrialSpecInput['model'];

/**
 * Which folders the engine may open models from. The CLI runs in the user's own shell and may open any
 * path ('any'); serve and the desktop app answer requests from a page or a remote client, so a model path
 * they are asked to open must lie under a folder the user allowed — otherwise the API would read any file
 * the process can read (`../../home/me/.ssh`, or a link inside an allowed folder that points out of it).
 */
export interface ModelRoots {
  /** 'any' (the CLI: the user's own shell) or the allowed folders, absolute and real */
  list(): readonly string[] | 'any';
  /** allow one more folder (the desktop app's Open model folder… dialog) */
  allow(dir: string): void;
  /** the real path of a model folder/.onnx file if it lies under an allowed folder; else throws ModelPathRefused (message names the path and says how to allow it) — without reading the file or folder itself (only realpath of it and of the roots) */
  resolve(modelPath: string): Promise<string>;
}

export class ModelPathRefused extends Error {
  override name = 'ModelPathRefused';
}

export interface ModelRootsOptions {
  /** how the user adds a folder at this door, ending the refusal message */
  howToAllow?: string;
}

const DEFAULT_HOW_TO_ALLOW =
  'Put the model under one of those folders, or allow its folder: `edge-workbench serve --allow-dir <folder>`, ' +
  'or Open model folder… in the desktop app.';

/**
 * Whether `target` is `root` or lies beneath it, both absolute and normalized. Not a string prefix test:
 * `/data/models2` is not under `/data/models`. Windows paths compare without case (NTFS does).
 */
export function isWithin(root: string, target: string, pathApi: path.PlatformPath = path): boolean {
  const fold = (p: string): string => (pathApi === path.win32 ? p.toLowerCase() : p);
  const relative = pathApi.relative(fold(root), fold(target));
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${pathApi.sep}`) && !pathApi.isAbsolute(relative))
  );
}

/** The real path when it exists, else the absolute form as given (a root may be created later). */
function realOrAbsolute(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    return realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}

/**
 * The real path of `absolute`, or — when some part cannot be resolved (missing, unreadable, not a
 * folder) — the real path of its deepest resolvable ancestor joined with the rest. Only `realpath` is
 * used: nothing is opened or listed.
 */
async function realPathOrNearest(absolute: string): Promise<{ real: string; exists: boolean }> {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await realpath(current);
      return { real: path.join(real, ...rest.reverse()), exists: rest.length === 0 };
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return { real: absolute, exists: false };
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Allowed model folders. Roots are kept absolute and real (links resolved) when they exist; a root that
 * does not exist yet (the data folder's `models/` before the first build) is kept as given, absolute, and
 * resolved again at each check, so it works once it is created. With 'any', `resolve` only makes the
 * path absolute and touches nothing: the loader reports a missing model in its own words.
 */
export function createModelRoots(
  roots: readonly string[] | 'any',
  options: ModelRootsOptions = {},
): ModelRoots {
  const howToAllow = options.howToAllow ?? DEFAULT_HOW_TO_ALLOW;
  const allowed: string[] | 'any' = roots === 'any' ? 'any' : [];

  function allow(dir: string): void {
    if (allowed === 'any') return;
    const real = realOrAbsolute(dir);
    if (!allowed.some((root) => root === real)) allowed.push(real);
  }
  if (roots !== 'any') for (const root of roots) allow(root);

  return {
    list: () => (allowed === 'any' ? 'any' : [...allowed]),
    allow,

    async resolve(modelPath) {
      const absolute = path.resolve(modelPath);
      if (allowed === 'any') return absolute;
      // roots again: one may have been created (or replaced by a link) since it was allowed
      const realRoots = allowed.map((root) => realOrAbsolute(root));
      const { real, exists } = await realPathOrNearest(absolute);
      if (!realRoots.some((root) => isWithin(root, real))) {
        // the same words whether or not the path exists, so refusals do not reveal what is outside
        throw new ModelPathRefused(
          `${modelPath} is not under a folder this workbench may open models from ` +
            `(${allowed.join(', ') || 'none allowed yet'}). ${howToAllow}`,
        );
      }
      if (!exists) {
        throw new ModelPathRefused(
          `${modelPath} does not exist (or cannot be read). Give a model folder or an .onnx file under ` +
            `${allowed.join(', ')}.`,
        );
      }
      return real;
    },
  };
}

/**
 * A model with its folder replaced by its real path under an allowed folder, checked before anything
 * reads it; a refusal reaches the caller as a 'forbidden' WorkbenchCallError with its message.
 */
export async function resolveModelFolder<Model extends TrialModelInput>(
  model: Model,
  roots: ModelRoots,
): Promise<Model> {
  if (model.kind !== 'folder') return model;
  try {
    return { ...model, path: await roots.resolve(model.path) };
  } catch (error) {
    if (error instanceof ModelPathRefused) throw new WorkbenchCallError('forbidden', error.message);
    throw error;
  }
}

/** The sweep with every model folder resolved as resolveModelFolder does. */
export async function resolveSweepModels<Spec extends SweepSpecInput>(
  spec: Spec,
  roots: ModelRoots,
): Promise<Spec> {
  const models = await Promise.all(spec.models.map((model) => resolveModelFolder(model, roots)));
  return { ...spec, models };
}

/** For SystemInfo.allowedModelFolders: null means any folder. */
export function allowedModelFolders(roots: ModelRoots): string[] | null {
  const list = roots.list();
  return list === 'any' ? null : [...list];
}
