import fsp from 'node:fs/promises';
import { RUN_DOCUMENT_KIND, RUN_DOCUMENT_VERSION, RunDocumentSchema, type RunDocument } from '../api';
import { describeZodError } from '../../common/zod-errors';
import { RunStoreError, errnoCode, fileError, messageOf } from './store-error';

/**
 * Reads a run document, from the store or from another machine, checking in the order that gives
 * people the most useful reason: is it JSON, is it a run at all, is it from a newer app (then the
 * schema errors would only confuse), and only then does it match the schema.
 */
export function parseRunDocument(text: string, filePath: string): RunDocument {
  let value: unknown;
  try {
    // a byte-order mark, as some Windows editors save, is not JSON but is harmless
    value = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw fileError('bad-json', filePath, `is not valid JSON (${messageOf(error)})`, error);
  }
  const header = isRecord(value) ? value : {};
  if (header.kind !== RUN_DOCUMENT_KIND) {
    const found = 'kind' in header ? `its kind is ${JSON.stringify(header.kind)}` : 'it has no "kind"';
    throw fileError(
      'wrong-kind',
      filePath,
      `is not an Edge LLM Workbench run (${found}; a run's is "${RUN_DOCUMENT_KIND}")`,
    );
  }
  const version = header.schemaVersion;
  if (typeof version === 'number' && version > RUN_DOCUMENT_VERSION) {
    throw fileError(
      'newer-version',
      filePath,
      `was written by a newer Edge LLM Workbench (schema ${version}; this version reads ${RUN_DOCUMENT_VERSION}): update the app`,
    );
  }
  const parsed = RunDocumentSchema.safeParse(value);
  if (!parsed.success) {
    throw fileError(
      'invalid',
      filePath,
      `is not a valid run document: ${describeZodError(parsed.error, 'run')}`,
      parsed.error,
    );
  }
  return parsed.data;
}

/** Reads and parses one run file; a missing file is a 'not-found' RunStoreError naming it. */
export async function readRunFile(filePath: string): Promise<{ doc: RunDocument; sizeBytes: number }> {
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(filePath);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new RunStoreError('not-found', `${filePath} does not exist`, filePath, { cause: error });
    }
    throw fileError('io', filePath, `could not be read (${messageOf(error)})`, error);
  }
  return { doc: parseRunDocument(bytes.toString('utf8'), filePath), sizeBytes: bytes.length };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
