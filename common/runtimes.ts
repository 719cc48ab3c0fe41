import { z } from 'zod';
import { RUNTIMES } from './runtime-names';

/** The runtime a trial runs on, as the schemas check it (names and pairing: runtime-names.ts). */
export const RuntimeSchema = z.enum(RUNTIMES, {
  error: (issue) => `Unknown runtime "${String(issue.input)}": use one of ${RUNTIMES.join(', ')}.`,
});
export * from './runtime-names';
