import { z } from 'zod';
import { CatalogError } from './catalog-error';
import { CatalogEntrySchema } from './catalog-entry';
import type { CatalogEntry } from './catalog-entry';
import { mobileLlmR1Entries } from './mobilellm-r1-entries';
import { peerEntries } from './peer-entries';

/**
 * The catalog, in the order the UI lists it: MobileLLM-R1 first, then the peers. Parsed once at load so
 * that a typo in an entry fails every test rather than a later profile run.
 */
export const catalogEntries: readonly CatalogEntry[] = deepFreeze(
  z.array(CatalogEntrySchema).parse([...mobileLlmR1Entries, ...peerEntries]),
);

/** Published facts never change at run time; a caller that edits one by mistake gets a TypeError. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export const catalogIds: readonly string[] = Object.freeze(catalogEntries.map((entry) => entry.id));

/**
 * The entry for a catalog id or a Hugging Face repo name (either compared case-insensitively);
 * a CatalogError ('unknown-model') listing the known ids otherwise.
 */
export function getCatalogEntry(idOrRepo: string): CatalogEntry {
  const wanted = idOrRepo.trim().toLowerCase();
  const entry = catalogEntries.find(
    (candidate) =>
      candidate.id === wanted ||
      candidate.hfRepo.toLowerCase() === wanted ||
      candidate.baseHfRepo.toLowerCase() === wanted,
  );
  if (!entry) {
    throw new CatalogError(
      'unknown-model',
      `Unknown model "${idOrRepo}". Known ids: ${catalogIds.join(', ')} (their Hugging Face repo names work too).`,
    );
  }
  return entry;
}
