import { describe, expect, it } from 'vitest';
import { CHART_THEMES, SERIES_COLORS, seriesColor, withAlpha } from './palette';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
}

describe('series palette', () => {
  it.each(SERIES_COLORS)('%s reads at 3:1 or better on the light and the dark panel', (color) => {
    expect(contrast(color, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrast(color, '#171b21')).toBeGreaterThanOrEqual(3);
  });

  it('cycles past its end and makes translucent fills', () => {
    expect(seriesColor(SERIES_COLORS.length)).toBe(SERIES_COLORS[0]);
    expect(withAlpha('#3a86ff', 0.5)).toBe('rgba(58, 134, 255, 0.5)');
  });
});

describe('chart themes', () => {
  it.each([
    ['light', '#ffffff'],
    ['dark', '#171b21'],
  ] as const)('%s axis text reads at 4.5:1 or better on its panel', (scheme, panel) => {
    expect(contrast(CHART_THEMES[scheme].axis, panel)).toBeGreaterThanOrEqual(4.5);
  });
});
