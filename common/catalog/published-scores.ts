import type { PublishedScores } from './catalog-entry';

/**
 * What stands in for quality where no quality can be measured: a synthetic model's weights are seeded
 * noise, so its KL or top-1 agreement would say nothing about the real model. The product shows this
 * label and the catalog's published benchmark scores instead.
 */
export const NEEDS_REAL_WEIGHTS = 'needs real weights';

export type ScoreKey = Exclude<keyof PublishedScores, 'row'>;

export const SCORE_LABELS: Readonly<Record<ScoreKey, string>> = {
  math500: 'MATH500',
  gsm8k: 'GSM8K',
  aime24: "AIME'24",
  aime25: "AIME'25",
  liveCodeBenchV6: 'LCB v6',
};

/** "MATH500 6.2%, GSM8K 4.1%, AIME'24 --, …": the published row, "--" where the source has none. */
export function publishedScoresText(scores: Pick<PublishedScores, ScoreKey>): string {
  return (Object.keys(SCORE_LABELS) as ScoreKey[])
    .map((key) => `${SCORE_LABELS[key]} ${scores[key].percent === null ? '--' : `${scores[key].percent}%`}`)
    .join(', ');
}
