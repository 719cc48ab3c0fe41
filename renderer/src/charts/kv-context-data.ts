import type { ChartDataset } from 'chart.js';
import { modelName } from '../format/trial-label';
import { kvDtypeOf, type ComparedTrial } from './compared-trial';
import { seriesColor } from './palette';

/** tokens: the context lengths the chart draws, 512 … 32K */
export const KV_CONTEXTS = [512, 1024, 2048, 4096, 8192, 16384, 32768] as const;

/** 512 → "512", 4096 → "4K" */
export function contextLabel(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}K` : String(tokens);
}

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
    const label = `${modelName(result.spec.model)} · KV ${kvDtypeOf(result)}`;
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
    labels: KV_CONTEXTS.map(contextLabel),
    datasets: kvContextSeries(trials).map((entry, index) => ({
      label: entry.label,
      data: KV_CONTEXTS.map((tokens) =>
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
