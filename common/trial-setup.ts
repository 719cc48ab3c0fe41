import type { TrialResult, TrialSpec } from './schemas';
import { formatBytes, formatGBps } from './units';

/**
 * What a trial ran, in words, for the Compare screen and the reports alike: the depth and where it came
 * from, the fill, the KV buffer, how peak RSS was read, the logits an export costs, the bandwidth the
 * roofline divides by. A trial that did not run (skipped, not run) says what it was asked for.
 */

/** "1856 (end of window)" or "0": tokens cached before the timed part, and whether they were the default. */
export function depthText(spec: TrialSpec, result?: TrialResult): string {
  const tokens = result?.kvSetup?.depthTokens ?? spec.depthTokens;
  return spec.depthSource === 'context' ? `${tokens} (end of window)` : String(tokens);
}

/** "synthetic (seeded values)", "model (text)", "none": what filled the depth. */
export function fillText(spec: TrialSpec, result?: TrialResult): string {
  const setup = result?.kvSetup;
  if (setup)
    return setup.fill === 'none' || !setup.fillSource ? setup.fill : `${setup.fill} (${setup.fillSource})`;
  if (spec.depthTokens === 0) return 'none';
  // schema 1 ran the model over seeded ids; a trial not run says what it would do
  return result?.schemaVersion === 1 ? 'model (seeded ids)' : spec.fill;
}

/** 'grow' or 'shared' as it ran ('grow' for schema 1: it always grew); the choice for a trial not run. */
export function kvBufferOf(spec: TrialSpec, result?: TrialResult): string {
  return result?.kvSetup?.buffer ?? (result?.schemaVersion === 1 ? 'grow' : spec.kvBuffer);
}

/** "grow", "shared (4096 tokens)"; "auto" for a trial not run (the engine picks where it runs). */
export function kvBufferText(spec: TrialSpec, result?: TrialResult): string {
  const buffer = kvBufferOf(spec, result);
  const tokens = result?.kvSetup?.bufferTokens;
  return buffer === 'shared' && tokens !== undefined ? `shared (${tokens} tokens)` : buffer;
}

/** How the peak RSS was read and whether the sampled timeline agreed; null without a peak. */
export function peakRssSourceText(result: TrialResult): string | null {
  if (result.peakRssBytes === undefined) return null;
  const check = result.peakRss;
  if (!check) return "getrusage maxRSS (schema 1: on Linux it may include the launching process's memory)";
  const samples = `${check.sampleIntervalMs} ms samples`;
  return check.consistent
    ? `${check.source}, agrees with the timeline (${samples})`
    : `${check.source} below the timeline's ${formatBytes(check.timelineMaxBytes)} (${samples}): the timeline's top is reported`;
}

/** The logits an all-positions export costs; null when the prefill returned the last position only. */
export function logitsCostText(result: TrialResult): string | null {
  const logits = result.logits;
  if (logits?.positions !== 'all') return null;
  return (
    `every position's logits: ${formatBytes(logits.prefillBytes)} per prefill where the last position ` +
    `needs ${formatBytes(logits.lastPositionBytes)}`
  );
}

/** "not measured: …" with the engine's reason, or plain "not measured" when it gave none. */
export function rooflineUnavailableText(result: TrialResult): string {
  const reason = result.rooflineUnavailable;
  if (reason === undefined) return 'not measured';
  return /^not measured/i.test(reason) ? reason : `not measured: ${reason}`;
}

/** The bandwidth the roofline divides by, with onnxruntime's GEMV beside it; why not, without a roofline. */
export function bandwidthText(result: TrialResult): string {
  const roofline = result.roofline;
  if (!roofline) return rooflineUnavailableText(result);
  const bound = formatGBps(roofline.bandwidthBytesPerSecond);
  // schema 1 divided by an onnxruntime GEMV, not by the memory's streaming read
  if (result.schemaVersion === 1) return `${bound} (schema 1: ${roofline.bandwidthMethod})`;
  const kernel = roofline.kernelBandwidthBytesPerSecond;
  return kernel === undefined
    ? `${bound} streaming read`
    : `${bound} streaming read; onnxruntime GEMV ${formatGBps(kernel)}`;
}

export const PRESENT_ON_HOST_NOTE = 'the KV cache came back to host memory after every step';

/** What a reader must know beside a result's numbers: an all-positions logits cost, a host round trip. */
export function resultNotes(result: TrialResult): string[] {
  return [logitsCostText(result), result.presentOnHost ? PRESENT_ON_HOST_NOTE : null].filter(
    (note): note is string => note !== null,
  );
}

/** "noisy (CV > 5%)", or "n = 1: no spread measured" (never quiet), or '' for a steady result. */
export function spreadNote(summary: NonNullable<TrialResult['summary']>): string {
  if ((summary.decodeTokensPerSecond ?? summary.prefillTokensPerSecond)?.n === 1)
    return 'n = 1: no spread measured';
  return summary.noisy ? 'noisy (CV > 5%)' : '';
}

/** A catalog model is built with seeded weights: its speed and memory are real, its quality is not. */
export function hasSyntheticWeights(spec: TrialSpec): boolean {
  return spec.model.kind === 'catalog';
}
