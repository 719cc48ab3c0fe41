/** What went wrong, for callers that react differently (offer "update the app", "choose another file"). */
export type RunStoreErrorCode =
  'bad-id' | 'not-found' | 'exists' | 'bad-json' | 'wrong-kind' | 'newer-version' | 'invalid' | 'io';

/**
 * The one error the run store throws. `message` is for people and names the file; `detail` is the same
 * without the file name, for lists that show the file beside it (the runs list's problems).
 */
export class RunStoreError extends Error {
  override readonly name = 'RunStoreError';
  readonly detail: string;

  constructor(
    readonly code: RunStoreErrorCode,
    message: string,
    readonly filePath?: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(message, options);
    this.detail = options?.detail ?? message;
  }
}

/** An error about a file's content: "<file> <detail>". */
export function fileError(
  code: RunStoreErrorCode,
  filePath: string,
  detail: string,
  cause?: unknown,
): RunStoreError {
  return new RunStoreError(code, `${filePath} ${detail}`, filePath, { cause, detail });
}

/** Node's errno code of a caught value, if it has one ('ENOENT', 'EEXIST', …). */
export function errnoCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
