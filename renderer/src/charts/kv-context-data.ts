import type { ChartDataset } from 'chart.js';
import { STANDARD_CONTEXTS_TOKENS } from '../../../common/contexts';
import { modelKvLabel } from '../../../common/labels';
import { formatContext } from '../../../common/number-format';
import { kvDtypeOf, type ComparedTrial } from './compared-trial';
import { seriesColor } from './palette';

export interface KvContextSeries {
  label: string;
  /** bytes of KV cache per token of context */
  bytesPerToken: number;
  /** tokens; null when the model does not say */
  maxContextTokens: number | null;
}

/** One series per model × KV dtype, from the first trial that measured its bytes per token. */
export function kvContextSeries(trials: readonly ComparedTrial[]): KvContextSeries[] {
  const series = new Map<string, KvContextSeries>();
  for (const { result } of trials) {
    if (!result.kvCache || result.kvCache.bytesPerToken <= 0) continue;
    const label = modelKvLabel(result.spec.model, kvDtypeOf(result));
    if (series.has(label)) continue;
    series.set(label, {
      label,
      bytesPerToken: result.kvCache.bytesPerToken,
      maxContextTokens: result.model?.maxContextTokens ?? null,
    });
  }
  return [...series.values()];
}

export interface KvContextChartData {
  labels: string[];
  datasets: ChartDataset<'line', (number | null)[]>[];
}

/**
 * Analytic KV-cache bytes (bytes per token × context) at 512 … 32K tokens. A context past the model's
 * own maximum has no point: the model cannot hold it.
 */
export function kvContextData(trials: readonly ComparedTrial[]): KvContextChartData {
  return {
    labels: STANDARD_CONTEXTS_TOKENS.map(formatContext),
    datasets: kvContextSeries(trials).map((entry, index) => ({
      label: entry.label,
      data: STANDARD_CONTEXTS_TOKENS.map((tokens) =>
        entry.maxContextTokens !== null && tokens > entry.maxContextTokens
          ? null
          : entry.bytesPerToken * tokens,
      ),
      borderColor: seriesColor(index),
      backgroundColor: seriesColor(index),
      pointRadius: 3,
      spanGaps: false,
    })),
  };
}
