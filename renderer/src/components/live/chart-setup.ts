import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import '../../charts/chart-theme';

/** Chart.js is tree-shaken: the live charts need lines on two linear axes, with tooltips, in the theme's colours. */
Chart.register(LineController, LinearScale, LineElement, PointElement, Tooltip);
