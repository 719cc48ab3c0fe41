import { InvalidArgumentError } from 'commander';

/**
 * Lists and ranges as llama-bench takes them: "512,2048,8192", "512-8192*2" (multiply), "0-2048+512"
 * (step), mixed with commas. Whole numbers only.
 */
export function parseNumberList(flag: string, minimum = 0) {
  return (text: string): number[] => {
    const values: number[] = [];
    for (const part of text.split(',').map((p) => p.trim())) {
      const range = /^(\d+)-(\d+)([*+])(\d+)$/.exec(part);
      if (range) {
        const [, first, last, op, by] = range;
        const [start, end, step] = [Number(first), Number(last), Number(by)];
        if (start > end || (op === '*' && (step < 2 || start === 0)) || (op === '+' && step < 1)) {
          throw new InvalidArgumentError(
            `${flag}: "${part}" is not a range that ends (first-last*factor≥2 or first-last+step≥1, first ≤ last).`,
          );
        }
        for (let value = start; value <= end; value = op === '*' ? value * step : value + step)
          values.push(value);
      } else if (/^\d+$/.test(part)) {
        values.push(Number(part));
      } else {
        throw new InvalidArgumentError(
          `${flag}: "${part}" is not a whole number or a range like 512-8192*2 or 0-2048+512.`,
        );
      }
    }
    const low = values.find((value) => value < minimum);
    if (low !== undefined)
      throw new InvalidArgumentError(`${flag}: ${low} is below the minimum of ${minimum}.`);
    if (values.length === 0) throw new InvalidArgumentError(`${flag}: give at least one value.`);
    return [...new Set(values)];
  };
}

/** "a,b,c" → trimmed non-empty items. */
export function parseWordList(flag: string) {
  return (text: string): string[] => {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(`${flag}: give at least one value.`);
    return items;
  };
}

/**
 * A list flag given more than once adds its values (`-p 128 -p 512`), as llama-bench takes it, instead of
 * keeping the last. The default is replaced by the first occurrence, not added to: commander hands the
 * default as `previous` then, and it is told apart by identity.
 */
export function accumulating<T>(parse: (text: string) => T[], defaultValue?: T[]) {
  return (text: string, previous: T[] | undefined): T[] => {
    const values = parse(text);
    if (previous === undefined || previous === defaultValue) return values;
    return [...new Set([...previous, ...values])];
  };
}
