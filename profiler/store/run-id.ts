import { randomBytes } from 'node:crypto';
import { RunStoreError } from './store-error';

/**
 * Run ids name files (`runs/<id>.json`), so they must be safe on every platform: the schema's pattern
 * (letters, digits, '.', '_', '-', starting with a letter or digit: no '/', '\' or leading '.'), no
 * '..' anywhere, no Windows device name (`CON.json` opens the console there), and short enough for
 * Windows' 260-character paths.
 */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;
/** characters */
const MAX_ID_LENGTH = 120;
/** characters of the name kept in a new id */
const MAX_SLUG_LENGTH = 40;

/** Why `id` is not a safe run id, or undefined when it is. */
export function runIdProblem(id: string): string | undefined {
  if (!ID_PATTERN.test(id))
    return "ids are letters, digits, '.', '_' and '-', and start with a letter or digit";
  if (id.includes('..')) return "ids may not contain '..'";
  if (WINDOWS_DEVICE.test(id)) return 'that name is reserved for a device on Windows';
  if (id.length > MAX_ID_LENGTH) return `ids are at most ${MAX_ID_LENGTH} characters`;
  return undefined;
}

export function isRunId(id: string): boolean {
  return runIdProblem(id) === undefined;
}

/** Throws a 'bad-id' RunStoreError unless `id` can name a run file; guards every path the store builds. */
export function assertRunId(id: string): void {
  const problem = runIdProblem(id);
  if (problem !== undefined)
    throw new RunStoreError('bad-id', `${JSON.stringify(id)} is not a run id: ${problem}`);
}

/**
 * A new id, sortable by creation time and readable in a file browser: the UTC time to the second, the
 * name as a slug, and 24 random bits so two runs started in the same second differ:
 * `2026-11-28T23-50-12-sweep-ab12cd`.
 */
export function newRunId(name = 'run', now: Date = new Date()): string {
  const time = now.toISOString().slice(0, 19).replaceAll(':', '-');
  return `${time}-${slugify(name)}-${randomBytes(3).toString('hex')}`;
}

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug || 'run';
}
