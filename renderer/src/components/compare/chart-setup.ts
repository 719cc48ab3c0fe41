import {
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';

/**
 * What the Compare charts draw with, registered once (vue-chartjs registers each chart type's
 * controller itself). Only these, so the bundle carries no unused Chart.js parts.
 */
Chart.register(
  BarElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);
