import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  TRANSFORMERS_JS_DTYPE_SUFFIXES,
  type ModelVariant,
  type TransformersJsDtype,
} from '../../../common/schemas/model-inspection';
import { sizedFiles } from './file-sizes';
import { ModelFolderError } from './model-folder-error';

/**
 * The decoder files of an Optimum / transformers.js folder: `onnx/model.onnx` and its dtype siblings
 * (`model_fp16.onnx`, `model_q4.onnx`, …), each with its external data chunks
 * (`model.onnx_data`, `model.onnx_data_1`, …), found by name without opening any of them.
 */

export const OPTIMUM_ONNX_DIR = 'onnx';

/** `model.onnx`, `model_<suffix>.onnx`; the suffix group includes its leading underscore */
const DECODER_FILE = /^model(?<suffix>_.+)?\.onnx$/;

const DTYPE_BY_SUFFIX = new Map<string, TransformersJsDtype>(
  Object.entries(TRANSFORMERS_JS_DTYPE_SUFFIXES).map(([dtype, suffix]) => [
    suffix,
    dtype as TransformersJsDtype,
  ]),
);

/**
 * Which variant to open when none is asked for: the most precise first, because fp32 is the reference
 * that quantized variants' quality is measured against, then by falling precision.
 */
const DTYPE_PREFERENCE: readonly TransformersJsDtype[] = [
  'fp32',
  'fp16',
  'q8',
  'int8',
  'uint8',
  'q4f16',
  'q4',
  'bnb4',
  'q2f16',
  'q2',
  'q1f16',
  'q1',
];

/** The dtype label of a decoder file name, or undefined when the name is not `model*.onnx`. */
export function variantDtype(fileName: string): string | undefined {
  const match = DECODER_FILE.exec(fileName);
  if (!match) return undefined;
  const suffix = match.groups?.suffix ?? '';
  return DTYPE_BY_SUFFIX.get(suffix) ?? suffix.slice(1);
}

/** Known labels in preference order, then labels transformers.js does not know, alphabetically. */
function preferenceRank(dtype: string): number {
  const rank = DTYPE_PREFERENCE.indexOf(dtype as TransformersJsDtype);
  return rank === -1 ? DTYPE_PREFERENCE.length : rank;
}

/** `<file>_data`, then `<file>_data_1`, `<file>_data_2`, … as long as they exist (transformers.js). */
function dataChunkNames(file: string, present: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (let chunk = 0; ; chunk += 1) {
    const name = chunk === 0 ? `${file}_data` : `${file}_data_${chunk}`;
    if (!present.has(name)) return names;
    names.push(name);
  }
}

/** Every `model*.onnx` in an onnx/ folder, preferred first; empty when there is none (or no folder). */
export async function listOptimumVariants(onnxDir: string): Promise<ModelVariant[]> {
  let entries: string[];
  try {
    entries = await readdir(onnxDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const present = new Set(entries);
  const variants = await Promise.all(
    entries.flatMap((file) => {
      const dtype = variantDtype(file);
      if (dtype === undefined) return [];
      return [
        (async (): Promise<ModelVariant> => ({
          dtype,
          file,
          onnxBytes: (await stat(path.join(onnxDir, file))).size,
          externalFiles: await sizedFiles(onnxDir, dataChunkNames(file, present)),
        }))(),
      ];
    }),
  );
  return variants.sort(
    (a, b) => preferenceRank(a.dtype) - preferenceRank(b.dtype) || a.file.localeCompare(b.file),
  );
}

/**
 * The variant asked for (by dtype label or file name), or the preferred one. Asking for one the
 * folder lacks is an error that lists what it has, so the user can pick again.
 */
export function chooseVariant(
  onnxDir: string,
  variants: readonly ModelVariant[],
  requested: string | undefined,
): ModelVariant {
  const chosen =
    requested === undefined
      ? variants[0]
      : variants.find((variant) => variant.dtype === requested || variant.file === requested);
  if (chosen) return chosen;
  const present = variants.map((variant) => `${variant.dtype} (${variant.file})`).join(', ');
  throw new ModelFolderError(
    `${onnxDir} has no "${requested ?? ''}" variant; it has ${present || 'no model*.onnx'}. ` +
      'Choose one of those, or download the variant into this folder.',
    onnxDir,
    'missing-variant',
  );
}
