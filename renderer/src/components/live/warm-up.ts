import { Chart } from 'chart.js';
import { liveChartConfig, type LiveChartSpec } from './live-chart-config';

/** One chart of each kind the Live run screen shows, with a few points and a band. */
const SPECS: LiveChartSpec[] = [
  { label: 'decode step', xTitle: 'position', yTitle: 'ms', yUnit: 'ms', bands: () => [] },
  {
    label: 'RSS',
    xTitle: 'time',
    yTitle: 'RSS',
    yUnit: 'bytes',
    bands: () => [{ phase: 'decode', startMs: 1, endMs: 3 }],
  },
];

function whenIdle(job: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(job, { timeout: 5_000 });
  else setTimeout(job, 200);
}

/**
 * The first Chart.js chart a page builds costs several times what the next ones do (its code runs for the
 * first time: ~40 ms on a 2-core machine, against ~10 ms). Paying that when the app is idle, on a canvas
 * nobody sees, keeps it out of the moment a sweep starts — when the Live run screen opens and builds its
 * charts while events stream in. One chart per idle callback.
 */
export function warmUpLiveCharts(): void {
  const queue = [...SPECS];
  const next = (): void => {
    const spec = queue.shift();
    if (!spec) return;
    const canvas = document.createElement('canvas');
    canvas.width = 480;
    canvas.height = 220;
    const config = liveChartConfig(
      spec,
      [1, 2, 3].map((x) => ({ x, y: x * 1000 })),
    );
    new Chart(canvas, { ...config, options: { ...config.options, responsive: false } }).destroy();
    whenIdle(next);
  };
  whenIdle(next);
}
