/** What was wrong with a model folder, for callers that react differently (pick a variant, re-export). */
export type ModelFolderErrorReason =
  | 'not-found'
  | 'not-a-model'
  | 'no-decoder'
  | 'ambiguous-decoder'
  | 'missing-variant'
  | 'invalid-json'
  | 'no-kv-cache'
  | 'unsupported-signature';

/**
 * The one error the loader throws itself: the message names the file or folder and says what to do;
 * `path` is the file or folder at fault. Problems inside an .onnx (corrupt, truncated, missing
 * external data) arrive as profiler/onnx's OnnxFileError instead, unchanged.
 */
export class ModelFolderError extends Error {
  override readonly name = 'ModelFolderError';

  constructor(
    message: string,
    readonly path: string,
    readonly reason: ModelFolderErrorReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
