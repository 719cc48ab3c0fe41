import type { ChartDataset } from 'chart.js';
import type { TrialResult } from '../../../profiler/api';
import { distinguishingLabels, type ComparedTrial } from './compared-trial';
import { seriesColor, withAlpha } from './palette';

/** Peak memory split into what the model brought, what the cache held and the rest. All bytes. */
export interface MemoryParts {
  peakRssBytes: number;
  weightsBytes: number;
  kvBytes: number;
  /** peak RSS − weights − KV, floored at 0: runtime, activations, arena, the process itself */
  runtimeBytes: number;
}

/** null when the trial lacks its peak RSS or its weights (it failed before measuring them). */
export function memoryParts(result: TrialResult): MemoryParts | null {
  if (result.peakRssBytes === undefined || !result.model) return null;
  const weightsBytes = result.model.weightsBytes;
  const kvBytes = result.kvCache?.exactBytes ?? 0;
  return {
    peakRssBytes: result.peakRssBytes,
    weightsBytes,
    kvBytes,
    runtimeBytes: Math.max(0, result.peakRssBytes - weightsBytes - kvBytes),
  };
}

export interface MemoryChartData {
  labels: string[];
  datasets: ChartDataset<'bar', number[]>[];
}

/** Stacked bars per configuration (bytes): weights, KV cache, runtime. Trials without the numbers are left out. */
export function memoryData(trials: readonly ComparedTrial[]): MemoryChartData {
  const measured = trials.flatMap((trial) => {
    const parts = memoryParts(trial.result);
    return parts ? [{ trial, parts }] : [];
  });
  const stack = (label: string, pick: (parts: MemoryParts) => number, colorIndex: number) => ({
    label,
    data: measured.map(({ parts }) => pick(parts)),
    stack: 'peak',
    backgroundColor: withAlpha(seriesColor(colorIndex), 0.8),
    borderColor: seriesColor(colorIndex),
    borderWidth: 1,
  });
  return {
    labels: distinguishingLabels(measured.map(({ trial }) => trial)),
    datasets: [
      stack('weights', (parts) => parts.weightsBytes, 0),
      stack('KV cache', (parts) => parts.kvBytes, 1),
      stack('runtime', (parts) => parts.runtimeBytes, 2),
    ],
  };
}
