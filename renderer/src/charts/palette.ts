/**
 * Series colors for every chart: a fixed order (Okabe–Ito hues first, so the first few series stay
 * apart for colour-blind readers), each with at least 3:1 contrast against both the light panel
 * (#ffffff) and the dark one (#171b21), so one palette serves the light and the dark theme.
 */
export const SERIES_COLORS = [
  '#3a86ff', // blue
  '#d55e00', // vermillion
  '#009e73', // bluish green
  '#cc79a7', // reddish purple
  '#8e6cd8', // violet
  '#b8860b', // dark goldenrod
  '#7f7f7f', // grey
  '#2a9d8f', // teal
] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/**
 * Axis text and grid lines as chart options name them: a mid grey that reads on both panels. Registered
 * charts never draw it: chartThemePlugin (chart-theme.ts) swaps it for the colours of the theme in force.
 */
export const AXIS_COLOR = '#8b949e';
export const GRID_COLOR = 'rgba(139, 148, 158, 0.25)';

export type ChartScheme = 'light' | 'dark';

/** Axis text at 4.5:1 or better on its panel (#ffffff light, #171b21 dark); grid lines fainter. */
export const CHART_THEMES: Record<ChartScheme, { axis: string; grid: string }> = {
  light: { axis: '#57606a', grid: 'rgba(87, 96, 106, 0.2)' },
  dark: { axis: '#a3acb7', grid: 'rgba(163, 172, 183, 0.2)' },
};

/** "#3a86ff" → "rgba(58, 134, 255, 0.35)", for fills under a strong outline. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
