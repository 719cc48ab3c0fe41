import { formatBytes, type Stats, type TrialResult } from '../api';
import { NOISY_CV } from '../runtime/statistics';

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const rate = (value: number): string => `${value < 100 ? value.toFixed(1) : value.toFixed(0)} tok/s`;
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function spread(stats: Stats, unit: (value: number) => string): string {
  const noisy = stats.n > 1 && stats.cv > NOISY_CV ? '  ← noisy: CV over 5%' : '';
  return `${unit(stats.median)} median (mean ${unit(stats.mean)} ± ${unit(stats.std)}, CV ${percent(stats.cv)}, n=${stats.n})${noisy}`;
}

function shortIds(ids: readonly number[]): string {
  return ids.length > 16 ? `${ids.slice(0, 16).join(' ')} … (${ids.length} ids)` : ids.join(' ');
}

/** `run`'s readable result: what was run, then one metric a line, as ARCHITECTURE.md defines them. */
export function formatTrialResult(result: TrialResult): string {
  const { spec } = result;
  const threads = result.session?.intraOpThreads ?? 'default';
  const header =
    `${result.model?.label ?? 'model'} on ${spec.ep}, ${threads} threads, context ${spec.contextTokens}, ` +
    `prompt ${spec.promptTokens}, generate ${spec.generateTokens}, depth ${spec.depthTokens}, ` +
    `${spec.repetitions} reps after ${spec.warmupRuns} warmup`;
  if (result.status === 'failed') {
    return `${header}\nTrial failed (${result.failure?.kind ?? 'unknown'}): ${result.failure?.message ?? 'no reason given'}`;
  }
  const summary = result.summary!;
  const lines = [
    header,
    `  load          ${ms(result.loadMs!)} (InferenceSession.create, cold)`,
    `  TTFT          ${spread(summary.ttftMs, ms)}`,
    `  prefill       ${spread(summary.prefillTokensPerSecond, rate)}`,
    `  decode        ${spread(summary.decodeTokensPerSecond, rate)}`,
    `  per token     p50 ${ms(summary.perTokenMs.p50)}, p90 ${ms(summary.perTokenMs.p90)}, p99 ${ms(summary.perTokenMs.p99)}`,
    `  peak RSS      ${formatBytes(result.peakRssBytes!)} (before load ${formatBytes(result.rssBeforeLoadBytes!)}, after load ${formatBytes(result.rssAfterLoadBytes!)})`,
    `  weights       ${formatBytes(result.model!.weightsBytes)} (${formatBytes(result.model!.fileBytes)} on disk)`,
  ];
  if (result.kvCache) {
    const kv = result.kvCache;
    const agree =
      kv.exactBytes === kv.analyticBytes ? 'exact = analytic' : `analytic ${formatBytes(kv.analyticBytes)}`;
    lines.push(
      `  KV cache      ${formatBytes(kv.exactBytes)} for ${kv.tokens} tokens, ${formatBytes(kv.bytesPerToken)}/token (${agree})`,
    );
  }
  if (result.roofline) {
    const r = result.roofline;
    lines.push(
      `  roofline      bound ${rate(r.boundTokensPerSecond)} = ${formatBytes(r.bandwidthBytesPerSecond)}/s ÷ ${formatBytes(r.bytesPerDecodeToken)}/token; efficiency ${percent(r.efficiency)}`,
    );
  }
  lines.push(`  generated     ${shortIds(result.generatedTokenIds)}`);
  if (result.generatedText !== undefined)
    lines.push(`  text          ${JSON.stringify(result.generatedText)}`);
  if (result.opBreakdown) {
    const top = (
      ops: TrialResult['opBreakdown'] extends infer B ? (B extends { decode: infer D } ? D : never) : never,
    ) =>
      ops
        .slice(0, 6)
        .map((op) => `${op.opType} ${percent(op.share)}`)
        .join(', ');
    lines.push(`  ops prefill   ${top(result.opBreakdown.prefill)}`);
    lines.push(`  ops decode    ${top(result.opBreakdown.decode)}`);
    lines.push(`  profile       ${result.opBreakdown.profileFile}`);
  }
  return lines.join('\n');
}
