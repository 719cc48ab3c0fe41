import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { chartThemePlugin, setChartTheme, themeChartOptions } from './chart-theme';
import { AXIS_COLOR, CHART_THEMES, GRID_COLOR, SERIES_COLORS } from './palette';

const options = () => ({
  plugins: { legend: { labels: { color: AXIS_COLOR } } },
  scales: {
    x: { title: { color: AXIS_COLOR }, ticks: { color: AXIS_COLOR }, grid: { color: GRID_COLOR } },
    y: { ticks: { color: AXIS_COLOR, callback: (value: number) => `${value}` }, grid: { display: false } },
  },
  datasets: [{ borderColor: SERIES_COLORS[0] }],
});

describe('chart theme', () => {
  it("gives axis text and grid lines the scheme's colours, and leaves series colours alone", () => {
    const chartOptions = options();
    themeChartOptions(chartOptions, 'dark');
    expect(chartOptions.plugins.legend.labels.color).toBe(CHART_THEMES.dark.axis);
    expect(chartOptions.scales.x.title.color).toBe(CHART_THEMES.dark.axis);
    expect(chartOptions.scales.x.ticks.color).toBe(CHART_THEMES.dark.axis);
    expect(chartOptions.scales.x.grid.color).toBe(CHART_THEMES.dark.grid);
    expect(chartOptions.datasets[0]!.borderColor).toBe(SERIES_COLORS[0]);

    // and back: a chart themed dark follows a switch to light
    themeChartOptions(chartOptions, 'light');
    expect(chartOptions.scales.y.ticks.color).toBe(CHART_THEMES.light.axis);
    expect(chartOptions.scales.x.grid.color).toBe(CHART_THEMES.light.grid);
  });

  it('is registered for every chart, and sets the defaults charts fall back on', () => {
    expect(Chart.registry.plugins.get('chartTheme')).toBe(chartThemePlugin);
    setChartTheme({ scheme: 'dark', fontPx: 19 });
    expect(Chart.defaults.color).toBe(CHART_THEMES.dark.axis);
    expect(Chart.defaults.font.size).toBe(19);
    setChartTheme({ scheme: 'light', fontPx: 12 });
    expect(Chart.defaults.color).toBe(CHART_THEMES.light.axis);
  });
});
