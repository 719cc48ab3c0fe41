import path from 'node:path';
import type { ModelInspection } from '../../../common/schemas/model-inspection';
import { bytesPerElement, readModel, type GraphProto } from '../../onnx';
import { readConfigSummary, readSyntheticRecord } from './config-files';
import { decodeReadBytes } from './decode-read-bytes';
import { decoderSignature } from './decoder-signature';
import { sizedFiles } from './file-sizes';
import { initializerCensus, operatorHistogram } from './graph-census';
import { initializerUses } from './initializer-uses';
import { learnedParameterCount } from './learned-parameters';
import { locateDecoder } from './locate-decoder';

export interface InspectModelOptions {
  /**
   * Optimum folders: the variant to open, by transformers.js dtype label ('q4', 'fp16', …) or by file
   * name ('model_q4.onnx'); default fp32, else the most precise present
   */
  variant?: string;
}

/** Bytes per element of the past key input's type (0.5 for 4-bit); undefined for string and unknown. */
function kvElementBytes(graph: GraphProto, pastKeyName: string): number | undefined {
  const elemType = graph.input.find((input) => input.name === pastKeyName)?.type?.tensor_type?.elem_type;
  return bytesPerElement(elemType ?? 0);
}

/**
 * Opens a model folder (Optimum, onnxruntime-genai) or an .onnx file and says what it is: layout and
 * variants, config, the decoder's signature read from its graph, operators, learned parameters, bytes
 * (stored, and read per decode token) and the KV cache's cost per token. Reads the .onnx protobuf and
 * the JSON files, and only stats the external data, so a 3.8 GB model is inspected in the time its
 * few-MB graph takes to decode.
 *
 * Throws ModelFolderError for folder-level problems (nothing there, no decoder, missing variant, bad
 * JSON, no KV cache) and OnnxFileError from profiler/onnx for a broken .onnx or external data file.
 */
export async function inspectModel(
  target: string,
  options: InspectModelOptions = {},
): Promise<ModelInspection> {
  const location = await locateDecoder(target, options.variant);
  const [file, config, synthetic] = await Promise.all([
    readModel(location.modelFile, { checkExternalData: true }),
    readConfigSummary(location.metadataDir),
    readSyntheticRecord(location.metadataDir),
  ]);
  const signature = decoderSignature(location.modelFile, file.graph, new Set(file.initializers.keys()), {
    genaiNames: location.genai?.names ?? null,
    kvHeads: config?.num_key_value_heads ?? location.genai?.kvHeads ?? null,
    headDim: config?.head_dim ?? location.genai?.headDim ?? null,
  });
  const census = initializerCensus(file.initializers.values());
  const uses = initializerUses(file.graph);
  const learned = learnedParameterCount(uses, {
    tokenIds: signature.roles.inputIds,
    logits: signature.roles.logits,
    tiedEmbeddings: config?.tie_word_embeddings ?? null,
  });
  const externalFiles = await sizedFiles(path.dirname(location.modelFile), file.externalFiles);
  const kvBytes = kvElementBytes(file.graph, signature.roles.pastKeys[0]!);
  return {
    path: target,
    layout: location.layout,
    modelFile: location.modelFile,
    variant: location.variant?.dtype ?? null,
    variants: location.variants,
    config,
    synthetic,
    signature,
    operators: operatorHistogram(file.graph),
    parameters: {
      learned,
      initializerElements: census.totalElements,
      byDtype: census.elementsByDtype,
    },
    bytes: {
      onnxFile: file.sizeBytes,
      externalData: externalFiles.reduce((sum, external) => sum + external.bytes, 0),
      weights: file.weightBytes,
      byDtype: census.bytesByDtype,
      readPerDecodeToken: decodeReadBytes(uses),
    },
    externalFiles,
    kvBytesPerToken:
      signature.kvHeads === null || signature.headDim === null || kvBytes === undefined
        ? null
        : 2 * signature.numLayers * signature.kvHeads * signature.headDim * kvBytes,
  };
}
