import type { z } from 'zod';

/** One line per zod issue, with the path that was wrong: "args[0].port: expected number". */
export function describeZodError(error: z.ZodError, root = 'value'): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${root}${path}: ${issue.message}`;
    })
    .join('; ');
}
