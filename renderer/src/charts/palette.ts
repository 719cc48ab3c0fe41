/**
 * Series colors for every chart: a fixed order (Okabe–Ito hues first, so the first few series stay
 * apart for colour-blind readers), each with at least 3:1 contrast against both the light panel
 * (#ffffff) and the dark one (#171b21), so one palette serves prefers-color-scheme light and dark.
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

/** Axis text and grid lines: a mid grey readable on both panels. */
export const AXIS_COLOR = '#8b949e';
export const GRID_COLOR = 'rgba(139, 148, 158, 0.25)';

/** "#3a86ff" → "rgba(58, 134, 255, 0.35)", for fills under a strong outline. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
