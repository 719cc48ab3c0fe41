import { onScopeDispose, ref, watchEffect } from 'vue';
import { setChartTheme } from '../charts/chart-theme';
import type { ColorScheme } from '../stores/theme-store';

/** Chart.js's default text size (12 px) against the stylesheet's root size (15 px). */
const CHART_FONT_RATIO = 0.8;

function rootFontPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
}

/**
 * Keeps every chart in the theme in force: canvas cannot read CSS, so the colour scheme and the text size
 * (the root font size, which styles.css raises on very wide screens) are handed to Chart.js, and charts
 * on screen redraw when either changes.
 */
export function useChartTheme(scheme: () => ColorScheme): void {
  const fontPx = ref(rootFontPx());
  const onResize = (): void => {
    fontPx.value = rootFontPx();
  };
  window.addEventListener('resize', onResize);
  onScopeDispose(() => window.removeEventListener('resize', onResize));
  watchEffect(() => setChartTheme({ scheme: scheme(), fontPx: Math.round(fontPx.value * CHART_FONT_RATIO) }));
}
