import type { Stats, TrialResult } from '../api';
import { trialLabel } from '../../common/labels';
import { formatMeanSd, formatPercent } from '../../common/number-format';
import { depthText, fillText, kvBufferText } from '../../common/trial-setup';
import { formatBytes } from '../../common/units';
import { NOISY_CV } from '../../common/statistics';

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const rate = (value: number): string => `${value < 100 ? value.toFixed(1) : value.toFixed(0)} tok/s`;
const percent = (value: number): string => formatPercent(value);

function spread(stats: Stats | undefined, unit: (value: number) => string): string {
  if (!stats) return 'not measured';
  if (stats.n <= 1) return `${unit(stats.median)} (n = 1: one repetition, no spread)`;
  const noisy = stats.cv > NOISY_CV ? '  ← noisy: CV over 5%' : '';
  return `${unit(stats.median)} median (mean ${formatMeanSd(stats, unit)}, CV ${percent(stats.cv)}, n=${stats.n})${noisy}`;
}

/** "depth 3904 (end of window), fill synthetic (seeded values), KV buffer shared (4096 tokens)" */
function contextText(result: TrialResult): string {
  const { spec } = result;
  return (
    `depth ${depthText(spec, result)}, fill ${fillText(spec, result)}, ` +
    `KV buffer ${kvBufferText(spec, result)}`
  );
}

function shortIds(ids: readonly number[]): string {
  return ids.length > 16 ? `${ids.slice(0, 16).join(' ')} … (${ids.length} ids)` : ids.join(' ');
}

/** "(VmHWM; timeline max 512 MiB, sampled every 20 ms)" */
function peakText(result: TrialResult): string {
  const check = result.peakRss;
  if (!check) return '';
  const warning = check.consistent ? '' : ', above the high-water mark: the timeline is reported';
  return `(${check.source}; timeline max ${formatBytes(check.timelineMaxBytes)}, sampled every ${check.sampleIntervalMs} ms${warning})`;
}

/** `run`'s readable result: what was run, then one metric a line, as ARCHITECTURE.md defines them. */
export function formatTrialResult(result: TrialResult): string {
  const { spec } = result;
  const llama = result.llamaCpp;
  const threads = llama?.threads ?? result.session?.intraOpThreads ?? 'default';
  const header =
    `${trialLabel(spec)}\n` +
    `  ran           ${contextText(result)}; ${threads} threads; ` +
    `${spec.repetitions} reps after ${spec.warmupRuns} warmup` +
    (llama
      ? `\n  llama.cpp     ${llama.backend} build, commit ${llama.commit ?? 'unknown'} (build ${llama.buildNumber ?? '?'}; ` +
        `node-llama-cpp ${llama.bindingVersion}, labelled ${llama.release}); batch ${llama.batchTokens}, ` +
        `${llama.contextCells} KV cells f16, flash attention ${llama.flashAttention ? 'on' : 'off'}, ` +
        `libuv pool ${llama.uvThreadpoolSize ?? 'default'}; tensors ${Object.entries(llama.tensorTypes)
          .map(([type, count]) => `${count} ${type}`)
          .join(', ')}`
      : '');
  if (result.status === 'failed') {
    return `${header}\nTrial failed (${result.failure?.kind ?? 'unknown'}): ${result.failure?.message ?? 'no reason given'}`;
  }
  const summary = result.summary!;
  const lines = [
    header,
    `  load          ${ms(result.loadMs!)} (first ${llama ? 'model load + context creation' : 'InferenceSession.create'} in the trial process; the file was likely in the page cache)`,
    `  TTFT          ${spread(summary.ttftMs, ms)} (prefill + sampling)`,
    `  prefill       ${spread(summary.prefillTokensPerSecond, rate)}`,
    `  decode        ${spread(summary.decodeTokensPerSecond, rate)} (sampling excluded)`,
    `  per token     ${summary.perTokenMs ? `p50 ${ms(summary.perTokenMs.p50)}, p90 ${ms(summary.perTokenMs.p90)}, p99 ${ms(summary.perTokenMs.p99)} (run() alone)` : 'not measured'}`,
  ];
  if (summary.samplingMs) {
    lines.push(
      `  sampling      ${ms(summary.samplingMs.mean)} per step (argmax; p50 ${ms(summary.samplingMs.p50)}, max ${ms(summary.samplingMs.max)})`,
    );
  }
  lines.push(
    `  peak RSS      ${formatBytes(result.peakRssBytes!)} ${peakText(result)} (before load ${formatBytes(result.rssBeforeLoadBytes!)}, after load ${formatBytes(result.rssAfterLoadBytes!)})`,
    `  weights       ${formatBytes(result.model!.weightsBytes)} (${formatBytes(result.model!.fileBytes)} on disk)`,
  );
  if (result.logits?.positions === 'all') {
    lines.push(
      `  logits        every position's: ${formatBytes(result.logits.prefillBytes)} per prefill where the last position needs ${formatBytes(result.logits.lastPositionBytes)}`,
    );
  }
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
    if (r.kernelBandwidthBytesPerSecond !== undefined) {
      lines.push(
        `                onnxruntime's own GEMV reaches ${formatBytes(r.kernelBandwidthBytesPerSecond)}/s here`,
      );
    }
  } else if (result.rooflineUnavailable) {
    lines.push(`  roofline      ${result.rooflineUnavailable}`);
  }
  if (result.presentOnHost) {
    lines.push(`  note          the KV cache came back to host memory after every step (${spec.ep} outputs)`);
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
