/**
 * Seeded token ids for prompts and depth fills: the same seed gives the same ids on every machine, so
 * trials compare like with like. Ids avoid the first 4 (often special tokens) when the vocabulary allows.
 */
export function seededTokenIds(seed: number, count: number, vocabSize: number, stream = 0): number[] {
  let x = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0 || 0x2545f491;
  const low = vocabSize > 8 ? 4 : 0;
  const span = vocabSize - low;
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    ids.push(low + ((x >>> 0) % span));
  }
  return ids;
}
