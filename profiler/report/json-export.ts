import type { RunDocument } from '../api';

/** The run document itself, pretty-printed (2 spaces), newline-terminated: it imports back unchanged. */
export function exportJson(doc: RunDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
