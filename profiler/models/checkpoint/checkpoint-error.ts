/** A checkpoint folder or file the importer cannot use; the message names the file, tensor or field. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}
