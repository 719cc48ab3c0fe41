/**
 * What went wrong when a model was looked up or reshaped, so the CLI and the UI can tell a typo in an id
 * from a bad override value without parsing the message.
 */
export type CatalogErrorCode =
  'unknown-model' | 'unknown-override' | 'invalid-override' | 'malformed-overrides' | 'invalid-argument';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';

  constructor(
    readonly code: CatalogErrorCode,
    message: string,
  ) {
    super(message);
  }
}
