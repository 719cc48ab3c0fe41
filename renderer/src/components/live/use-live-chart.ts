import { Chart, type ChartConfiguration, type ChartType, type DefaultDataPoint } from 'chart.js';
import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
import { afterPaint } from './after-paint';

/**
 * A Chart.js chart on `canvas` that stays off the main thread's critical path while a sweep streams events:
 * built in a task of its own after the screen has painted (not in the click that opened it), then redrawn at
 * most once per animation frame when `redrawOn` changes, in place (`refresh`) and without animation. The chart
 * object lives outside Vue's reactivity: proxying its internals would make every redraw slower.
 */
export function useLiveChart<Type extends ChartType, Data = DefaultDataPoint<Type>>(
  canvas: Readonly<Ref<HTMLCanvasElement | null>>,
  config: () => ChartConfiguration<Type, Data>,
  redrawOn: WatchSource[],
  refresh: (chart: Chart<Type, Data>) => void,
): void {
  let chart: Chart<Type, Data> | null = null;
  let frame: number | undefined;
  let cancelBuild = (): void => {};

  onMounted(() => {
    cancelBuild = afterPaint(() => {
      if (canvas.value) chart = new Chart(canvas.value, config());
    });
  });

  watch(redrawOn, () => {
    if (!chart || frame !== undefined) return;
    frame = requestAnimationFrame(() => {
      frame = undefined;
      if (!chart) return;
      refresh(chart);
      chart.update('none');
    });
  });

  onBeforeUnmount(() => {
    cancelBuild();
    if (frame !== undefined) cancelAnimationFrame(frame);
    chart?.destroy();
    chart = null;
  });
}
