import type { Plugin } from 'chart.js';
import type { LivePhaseMark, TrialPhase } from '../../stores/live-run-store';

/** The phases shaded behind the memory timeline: where a trial's memory grows and is held. */
export const SHADED_PHASES = ['load', 'warmup', 'prefill', 'decode'] as const;
export type ShadedPhase = (typeof SHADED_PHASES)[number];

/** Translucent, so the RSS line reads through them in light and dark schemes alike. */
export const PHASE_BAND_COLORS: Record<ShadedPhase, string> = {
  load: 'rgba(9, 105, 218, 0.14)',
  warmup: 'rgba(130, 80, 223, 0.14)',
  prefill: 'rgba(219, 109, 40, 0.16)',
  decode: 'rgba(26, 127, 55, 0.14)',
};

/** A stretch of the timeline spent in one phase: ms since the trial process started. */
export interface PhaseBand {
  phase: ShadedPhase;
  startMs: number;
  endMs: number;
}

function isShaded(phase: TrialPhase): phase is ShadedPhase {
  return (SHADED_PHASES as readonly string[]).includes(phase);
}

/**
 * Bands between phase changes: each shaded phase runs from its mark to the next mark, the last one to `endMs`
 * (the latest sample: it is still going). Unshaded phases (prepare, depth, profile…) end the band before them.
 */
export function phaseBands(marks: readonly LivePhaseMark[], endMs: number): PhaseBand[] {
  const bands: PhaseBand[] = [];
  marks.forEach((mark, index) => {
    if (!isShaded(mark.phase)) return;
    const bandEndMs = Math.min(marks[index + 1]?.tMs ?? endMs, endMs);
    if (bandEndMs <= mark.tMs) return;
    const previous = bands.at(-1);
    if (previous?.phase === mark.phase && previous.endMs === mark.tMs) previous.endMs = bandEndMs;
    else bands.push({ phase: mark.phase, startMs: mark.tMs, endMs: bandEndMs });
  });
  return bands;
}

/** The shaded phases that appear, in the order they first do: the legend. */
export function bandLegend(bands: readonly PhaseBand[]): ShadedPhase[] {
  return [...new Set(bands.map((band) => band.phase))];
}

/** A Chart.js plugin filling each band behind the datasets; `bands()` is read at every draw. */
export function phaseBandsPlugin(bands: () => readonly PhaseBand[]): Plugin<'line'> {
  return {
    id: 'phaseBands',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      if (!x) return;
      ctx.save();
      for (const band of bands()) {
        const left = Math.max(chartArea.left, x.getPixelForValue(band.startMs));
        const right = Math.min(chartArea.right, x.getPixelForValue(band.endMs));
        if (right <= left) continue;
        ctx.fillStyle = PHASE_BAND_COLORS[band.phase];
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
      }
      ctx.restore();
    },
  };
}
