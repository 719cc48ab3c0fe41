import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelLayout, ModelVariant } from '../../../common/schemas/model-inspection';
import { CONFIG_FILE_NAME } from './config-files';
import { GENAI_CONFIG_FILE_NAME, readGenaiConfig, type GenaiConfig } from './genai-config';
import { ModelFolderError } from './model-folder-error';
import { chooseVariant, listOptimumVariants, OPTIMUM_ONNX_DIR } from './optimum-variants';

/** Where a folder's (or a path's) decoder is, and where its JSON companions are looked for. */
export interface DecoderLocation {
  layout: ModelLayout;
  /** absolute path of the .onnx to inspect */
  modelFile: string;
  /** Optimum only: the chosen variant and all of them, preferred first */
  variant: ModelVariant | null;
  variants: ModelVariant[];
  /** the folder holding config.json and workbench.json, when they exist */
  metadataDir: string;
  genai: GenaiConfig | null;
}

const LAYOUTS_LOOKED_FOR =
  `${GENAI_CONFIG_FILE_NAME} (onnxruntime-genai), ${OPTIMUM_ONNX_DIR}/model*.onnx (Optimum / ` +
  'transformers.js) and a single .onnx file in the folder (bare ONNX)';

async function statOrUndefined(target: string): Promise<Stats | undefined> {
  try {
    return await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const isOnnxFile = (name: string): boolean => name.toLowerCase().endsWith('.onnx');

/** The variant option only means something where there are variants to choose between. */
function refuseVariant(target: string, layout: string, variant: string | undefined): void {
  if (variant === undefined) return;
  throw new ModelFolderError(
    `${target} is ${layout}, which has one decoder, so the variant "${variant}" cannot be chosen there. ` +
      `Leave the variant out, or give an Optimum folder (${OPTIMUM_ONNX_DIR}/model_<dtype>.onnx).`,
    target,
    'missing-variant',
  );
}

/**
 * A bare .onnx takes its config.json from beside it, or from the folder above when it sits in an
 * Optimum `onnx/` folder (someone pointed at `onnx/model_q4.onnx` directly).
 */
async function bareMetadataDir(modelFile: string): Promise<string> {
  const dir = path.dirname(modelFile);
  if (path.basename(dir) !== OPTIMUM_ONNX_DIR) return dir;
  if (await statOrUndefined(path.join(dir, CONFIG_FILE_NAME))) return dir;
  return path.dirname(dir);
}

async function bareOnnx(modelFile: string): Promise<DecoderLocation> {
  return {
    layout: 'bare-onnx',
    modelFile,
    variant: null,
    variants: [],
    metadataDir: await bareMetadataDir(modelFile),
    genai: null,
  };
}

/**
 * Decides the layout: genai_config.json wins, then an Optimum onnx/ folder, then a lone .onnx; a path
 * to an .onnx file is taken as it is. Reads directory listings and small JSON files only.
 */
export async function locateDecoder(target: string, variant: string | undefined): Promise<DecoderLocation> {
  const resolved = path.resolve(target);
  const info = await statOrUndefined(resolved);
  if (!info) {
    throw new ModelFolderError(
      `${resolved} does not exist. Give a model folder (with ${GENAI_CONFIG_FILE_NAME}, or ` +
        `${OPTIMUM_ONNX_DIR}/model*.onnx) or an .onnx file.`,
      resolved,
      'not-found',
    );
  }
  if (info.isFile()) {
    if (!isOnnxFile(resolved)) {
      throw new ModelFolderError(
        `${resolved} is not an .onnx file. Give the model folder, or the decoder's .onnx file itself.`,
        resolved,
        'not-a-model',
      );
    }
    refuseVariant(resolved, 'a single .onnx file', variant);
    return bareOnnx(resolved);
  }

  const genai = await readGenaiConfig(resolved);
  if (genai) {
    refuseVariant(resolved, 'an onnxruntime-genai folder', variant);
    if (!(await statOrUndefined(genai.decoderFile))) {
      throw new ModelFolderError(
        `${genai.file} names the decoder ${genai.decoderFile}, which does not exist. Copy the whole ` +
          'model folder, or correct model.decoder.filename.',
        genai.decoderFile,
        'no-decoder',
      );
    }
    return {
      layout: 'genai',
      modelFile: genai.decoderFile,
      variant: null,
      variants: [],
      metadataDir: resolved,
      genai,
    };
  }

  const onnxDir = path.join(resolved, OPTIMUM_ONNX_DIR);
  const variants = await listOptimumVariants(onnxDir);
  if (variants.length > 0) {
    const chosen = chooseVariant(onnxDir, variants, variant);
    return {
      layout: 'optimum',
      modelFile: path.join(onnxDir, chosen.file),
      variant: chosen,
      variants,
      metadataDir: resolved,
      genai: null,
    };
  }

  const onnxFiles = (await readdir(resolved)).filter(isOnnxFile).sort();
  if (onnxFiles.length > 1) {
    throw new ModelFolderError(
      `${resolved} holds ${onnxFiles.length} .onnx files (${onnxFiles.join(', ')}) and no ` +
        `${GENAI_CONFIG_FILE_NAME} saying which is the decoder. Give the decoder's .onnx file itself.`,
      resolved,
      'ambiguous-decoder',
    );
  }
  if (onnxFiles.length === 0) {
    const onnxDirFiles = (await statOrUndefined(onnxDir))?.isDirectory()
      ? (await readdir(onnxDir)).filter(isOnnxFile).sort()
      : [];
    const seen =
      onnxDirFiles.length > 0
        ? ` Its ${OPTIMUM_ONNX_DIR}/ folder has ${onnxDirFiles.join(', ')}; give that file itself if it is ` +
          'a decoder with KV cache.'
        : '';
    throw new ModelFolderError(
      `${resolved} has no decoder: looked for ${LAYOUTS_LOOKED_FOR}.${seen} Download or export the ` +
        'model into this folder, or give the .onnx file itself.',
      resolved,
      'no-decoder',
    );
  }
  refuseVariant(resolved, 'a folder with one .onnx file', variant);
  return bareOnnx(path.join(resolved, onnxFiles[0]!));
}
