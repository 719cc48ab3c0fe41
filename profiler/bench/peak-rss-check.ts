import type { TrialResult } from '../api';
import type { PeakRss } from '../runtime/peak-rss';

/** Page-rounding and the two readings' own moments can differ a little; more than this is a real disagreement. */
const TOLERANCE_BYTES = 4 * 1024 * 1024;

/**
 * The trial's peak RSS, cross-checked with the parent's sampled timeline of the same process. The
 * high-water mark sees every moment and the samples only some, so the timeline's top can be lower (a
 * spike between samples) but never higher: when it is, the high-water mark missed memory (an OS
 * without a per-process peak, a host that forked without exec) and the timeline's top is reported, with
 * `consistent: false`.
 */
export function peakRssCheck(
  peak: PeakRss,
  timeline: readonly { rssBytes: number }[],
  sampleIntervalMs: number,
): { bytes: number; check: NonNullable<TrialResult['peakRss']> } {
  const timelineMaxBytes = timeline.reduce((max, sample) => Math.max(max, sample.rssBytes), 0);
  const consistent = timelineMaxBytes <= peak.bytes + TOLERANCE_BYTES;
  return {
    bytes: consistent ? peak.bytes : timelineMaxBytes,
    check: { source: peak.source, timelineMaxBytes, sampleIntervalMs, consistent },
  };
}
