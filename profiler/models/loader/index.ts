/**
 * The model-folder loader: finds the decoder in an Optimum, onnxruntime-genai or bare-ONNX folder and
 * describes it (ModelInspection in profiler/api) without reading its weights.
 */
export { inspectModel } from './inspect-model';
export type { InspectModelOptions } from './inspect-model';
export { ModelFolderError } from './model-folder-error';
export type { ModelFolderErrorReason } from './model-folder-error';
export { variantDtype } from './optimum-variants';
export { modelFileHash } from './model-file-hash';
