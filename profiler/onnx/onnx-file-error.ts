/** What went wrong, for callers that react differently (show a re-download hint, offer to re-quantize). */
export type OnnxFileErrorReason =
  | 'missing-model'
  | 'invalid-model'
  | 'missing-external-data'
  | 'truncated-external-data'
  | 'unsafe-location'
  | 'bad-tensor'
  | 'too-large'
  | 'write-failed';

/**
 * The one error this layer throws about files: the message is written for people and names the file;
 * `filePath` is the file at fault (the .onnx, or the external data file it points to).
 */
export class OnnxFileError extends Error {
  override readonly name = 'OnnxFileError';

  constructor(
    message: string,
    readonly filePath: string,
    readonly reason: OnnxFileErrorReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
