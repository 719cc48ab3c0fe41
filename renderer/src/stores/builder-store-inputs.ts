import { parseBytes } from '../../../common/units';

/**
 * The run builder's text fields as the sweep needs them: token counts, thread counts and a memory budget,
 * each parsed with a message a person can act on. Pure functions, so the store and its tests share them.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** The memory budget field: '' (no budget), or a size as the CLI's --budget takes it: '8GB', '7.5 GiB', '512MB'. */
export function parseByteSize(text: string): Parsed<number | undefined> {
  if (text.trim() === '') return ok(undefined);
  let bytes: number;
  try {
    bytes = parseBytes(text);
  } catch (cause) {
    return fail(cause instanceof Error ? cause.message : String(cause));
  }
  if (bytes <= 0) return fail('The memory budget must be more than 0 bytes; leave it empty for no budget.');
  return ok(bytes);
}

/** '4096', '4K' or '4k' (K = 1024 tokens, as context sizes are named) → tokens. */
export function parseTokenCount(text: string): Parsed<number> {
  const match = /^\s*(\d+)\s*(k?)\s*$/i.exec(text);
  if (!match) return fail(`"${text.trim()}" is not a token count. Write a whole number such as 3000 or 4K.`);
  const tokens = Number(match[1]) * (match[2] ? 1024 : 1);
  if (tokens < 1) return fail('A context must hold at least 1 token.');
  return ok(tokens);
}

/**
 * A field that takes one value or several to sweep: '128' or '128, 512'. Whole numbers at or above
 * `minimum`; duplicates are dropped, the order kept.
 */
export function parseWholeNumbers(text: string, field: string, minimum: number): Parsed<number[]> {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return fail(`${field}: give at least one whole number.`);
  const values: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part))
      return fail(`${field}: "${part}" is not a whole number. Separate several values with commas.`);
    const value = Number(part);
    if (value < minimum) return fail(`${field}: ${value} is below the minimum of ${minimum}.`);
    values.push(value);
  }
  return ok([...new Set(values)]);
}

/** A depth to sweep: tokens cached before the timed part, or 'end' (C − P − G, the end of each window). */
export type DepthChoice = number | 'end';

/**
 * The depth field: 'end' (the default: the end of each context window, C − P − G) and token counts,
 * e.g. 'end, 0, 4096'. Duplicates are dropped, the order kept.
 */
export function parseDepths(text: string): Parsed<DepthChoice[]> {
  const parts = text
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 0)
    return fail('Depth: give "end" (the end of each context window) or a token count, e.g. end, 0, 4096.');
  const values: DepthChoice[] = [];
  for (const part of parts) {
    if (part === 'end') values.push('end');
    else if (/^\d+$/.test(part)) values.push(Number(part));
    else
      return fail(
        `Depth: "${part}" is neither "end" (the end of each context window) nor a whole number of tokens.`,
      );
  }
  return ok([...new Set(values)]);
}

/** Threads: empty or 'default' is onnxruntime's own choice (null); otherwise counts, e.g. 'default, 4'. */
export function parseThreads(text: string): Parsed<(number | null)[]> {
  const parts = text
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 0) return ok([null]);
  const values: (number | null)[] = [];
  for (const part of parts) {
    if (part === 'default') values.push(null);
    else if (/^\d+$/.test(part) && Number(part) >= 1 && Number(part) <= 1024) values.push(Number(part));
    else return fail(`Threads: "${part}" is not a thread count from 1 to 1024 or "default".`);
  }
  return ok([...new Set(values)]);
}

/** A field that takes exactly one whole number from `minimum` to `maximum` (repetitions, warmup runs). */
export function parseWholeNumber(
  text: string,
  field: string,
  minimum: number,
  maximum: number,
): Parsed<number> {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < minimum || Number(value) > maximum)
    return fail(`${field}: "${value}" is not a whole number from ${minimum} to ${maximum}.`);
  return ok(Number(value));
}
