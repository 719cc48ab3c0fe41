import { Chart, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';

/** Chart.js is tree-shaken: the live charts need lines on two linear axes, with tooltips. */
Chart.register(LinearScale, LineElement, PointElement, Tooltip);

/** A colour from styles.css (follows the light/dark scheme at the time of the call); canvas cannot read var(). */
export function cssColor(variable: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
  return value || fallback;
}
