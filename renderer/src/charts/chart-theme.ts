import { Chart, type Plugin } from 'chart.js';
import { AXIS_COLOR, CHART_THEMES, GRID_COLOR, type ChartScheme } from './palette';

/** What charts draw with besides their series colours: the scheme's axis colours and the text size. */
export interface ChartTheme {
  scheme: ChartScheme;
  /** px: Chart.js's default font size, scaled with the page's root font size (larger on 4K screens) */
  fontPx: number;
}

/** null until the app sets one: until then, charts take the light scheme and Chart.js's own defaults */
let current: ChartTheme | null = null;

const AXIS_COLORS = new Set([AXIS_COLOR, ...Object.values(CHART_THEMES).map((theme) => theme.axis)]);
const GRID_COLORS = new Set([GRID_COLOR, ...Object.values(CHART_THEMES).map((theme) => theme.grid)]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Swaps, in place, every axis or grid colour in chart options (the neutral AXIS_COLOR / GRID_COLOR, or another
 * scheme's) for `scheme`'s; colours chosen on purpose (series, bands) are left alone.
 */
export function themeChartOptions(options: unknown, scheme: ChartScheme): void {
  const { axis, grid } = CHART_THEMES[scheme];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isPlainObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') {
        if (AXIS_COLORS.has(value)) node[key] = axis;
        else if (GRID_COLORS.has(value)) node[key] = grid;
      } else visit(value);
    }
  };
  visit(options);
}

/**
 * Registered for every chart when this module loads: before each update, the chart's options take the
 * theme in force. Chart.js reads colours when it draws, after this hook, so a new chart never shows the
 * wrong scheme, and a chart whose options are replaced keeps the theme.
 */
export const chartThemePlugin: Plugin = {
  id: 'chartTheme',
  beforeUpdate(chart) {
    themeChartOptions(chart.config.options, current?.scheme ?? 'light');
  },
};

/** The theme in force: new charts take it, and every chart on screen redraws with it. */
export function setChartTheme(theme: ChartTheme): void {
  if (current && theme.scheme === current.scheme && theme.fontPx === current.fontPx) return;
  current = { ...theme };
  Chart.defaults.color = CHART_THEMES[theme.scheme].axis; // text that names no colour (legends, ticks)
  Chart.defaults.font.size = theme.fontPx;
  for (const chart of Object.values(Chart.instances)) chart.update('none');
}

Chart.register(chartThemePlugin);
