/**
 * The HTML report's inline stylesheet and its drawing script. Both are fixed text (nothing from the run
 * document is spliced in): the script reads the charts from the page's `chart-data` JSON.
 */

/** Screen: readable at any width. Print: A4 portrait, nothing wider than the page, one section a page. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #d1d5db; --head: #f3f4f6; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6em; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.25em; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 20px 0 8px; }
p, li { max-width: 75em; }
.subtitle, .note { color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
th { background: var(--head); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.reason { min-width: 16em; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em;
  background: var(--head); padding: 0 3px; border-radius: 3px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 20px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px; break-inside: avoid; }
.chart-box { position: relative; height: 320px; width: 100%; }
.chart-box.wide { height: 380px; }
#chart-error { color: #b91c1c; font-weight: 600; }
td.fit-fits { background: #dcfce7; }
td.fit-tight { background: #fef3c7; }
td.fit-does-not-fit { background: #fee2e2; }
td.verdict { min-width: 12em; }
td.pareto { font-weight: 600; white-space: nowrap; }
@page { size: A4 portrait; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  section.page { break-before: page; }
  section.page:first-of-type { break-before: auto; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 7pt; table-layout: auto; }
  th, td { padding: 2px 3px; }
  td.num { white-space: normal; }
  td.reason, td.verdict { min-width: 0; }
  .charts { display: block; }
  figure { margin: 0 0 6mm; padding: 2mm; }
  .chart-box, .chart-box.wide { width: 100%; height: 78mm; }
  .chart-box canvas { max-width: 100%; }
}
`;

/**
 * Draws every chart of `chart-data` with Chart.js (the inlined UMD bundle's global), animation off so
 * the first frame is the final one (printing, screenshots, tests), then sets
 * `<body data-chart-ready="true">`. A failure sets `data-chart-error` and shows it on the page.
 * Plain ES2017: it runs in whatever browser opens the file.
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var body = document.body;
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  function fmt(value) {
    if (value === null || value === undefined) return '—';
    return value.toFixed(2);
  }
  // Error bars: a vertical line with caps from mean − sd to mean + sd over each bar (datasets' errors[]);
  // none for a bar of one repetition (n[] = 1), which has no spread.
  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (dataset, datasetIndex) {
        if (!dataset.errors || !chart.isDatasetVisible(datasetIndex)) return;
        chart.getDatasetMeta(datasetIndex).data.forEach(function (bar, index) {
          var mean = dataset.data[index];
          var sd = dataset.errors[index];
          if (mean === null || mean === undefined || sd === null || sd === undefined || !(sd > 0)) return;
          if (dataset.n && dataset.n[index] <= 1) return;
          var top = y.getPixelForValue(mean + sd);
          var bottom = y.getPixelForValue(Math.max(mean - sd, y.min));
          var half = Math.max(3, Math.min(bar.width / 4, 10));
          ctx.save();
          ctx.strokeStyle = '#111827';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(bar.x, top);
          ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - half, top);
          ctx.lineTo(bar.x + half, top);
          ctx.moveTo(bar.x - half, bottom);
          ctx.lineTo(bar.x + half, bottom);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };
  // "12.30 ± 0.40", or "12.30 (n = 1)": one repetition has no spread (formatMeanSd's words)
  function meanSd(dataset, index, value) {
    var n = dataset.n ? dataset.n[index] : undefined;
    var sd = dataset.errors ? dataset.errors[index] : null;
    if (n !== undefined && n <= 1) return fmt(value) + ' (n = ' + n + ')';
    return fmt(value) + (sd === null || sd === undefined ? '' : ' ± ' + fmt(sd));
  }
  function titled(text) {
    return { display: true, text: text };
  }
  function barChart(canvas, spec) {
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.values,
            errors: dataset.errors,
            n: dataset.n,
            backgroundColor: palette[index % palette.length] + 'cc',
            borderColor: palette[index % palette.length],
            borderWidth: 1
          };
        })
      },
      options: {
        animation: false,
        scales: { y: { beginAtZero: true, suggestedMax: spec.yMax, title: titled(spec.yTitle) } },
        plugins: {
          title: titled(spec.title),
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ': ' + meanSd(item.dataset, item.dataIndex, item.parsed.y);
              }
            }
          }
        }
      },
      plugins: [errorBars]
    });
  }
  // Numbers in tooltips: 2 decimals, or 3 significant digits below 1 (KL divergences are small).
  function fmtPoint(value) {
    if (value === null || value === undefined) return '—';
    return Math.abs(value) < 1 && value !== 0 ? value.toPrecision(3) : value.toFixed(2);
  }
  function lineChart(canvas, spec) {
    return new Chart(canvas, {
      type: 'line',
      data: {
        datasets: spec.datasets.map(function (dataset, index) {
          var color = palette[(dataset.colorIndex !== undefined ? dataset.colorIndex : index) % palette.length];
          return {
            label: dataset.label,
            data: dataset.points,
            borderColor: color,
            backgroundColor: color,
            borderWidth: dataset.dashed ? 1 : 1.5,
            borderDash: dataset.dashed ? [6, 4] : dataset.secondary ? [2, 3] : [],
            pointRadius: dataset.dashed || dataset.points.length > 80 ? 0 : 2,
            tension: 0
          };
        })
      },
      options: {
        animation: false,
        parsing: false,
        scales: {
          x: { type: spec.xScale || 'linear', title: titled(spec.xTitle) },
          y: { type: spec.yScale || 'linear', title: titled(spec.yTitle) }
        },
        plugins: { title: titled(spec.title), legend: { display: true } }
      }
    });
  }
  function scatterChart(canvas, spec) {
    return new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: spec.datasets.map(function (dataset, index) {
          var color = dataset.highlight ? '#dc2626' : '#6b7280';
          return {
            label: dataset.label,
            data: dataset.points,
            borderColor: color,
            backgroundColor: dataset.highlight ? color : 'rgba(0, 0, 0, 0)',
            borderWidth: dataset.highlight ? 2 : 1.5,
            pointStyle: dataset.highlight ? 'rectRot' : 'circle',
            pointRadius: dataset.highlight ? 7 : 4,
            order: dataset.highlight ? 0 : 1 + index
          };
        })
      },
      options: {
        animation: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: titled(spec.xTitle) },
          y: { type: 'linear', title: titled(spec.yTitle) }
        },
        plugins: {
          title: titled(spec.title),
          legend: { display: true },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.raw.label + ': ' + fmtPoint(item.parsed.x) + ', ' + fmtPoint(item.parsed.y);
              }
            }
          }
        }
      }
    });
  }
  var drawers = { bar: barChart, line: lineChart, scatter: scatterChart };
  try {
    if (typeof Chart !== 'function') throw new Error('Chart.js did not load from the inlined bundle.');
    var specs = JSON.parse(document.getElementById('chart-data').textContent);
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    // at least 2 device pixels per CSS pixel: printed charts stay sharp
    Chart.defaults.devicePixelRatio = Math.max(window.devicePixelRatio || 1, 2);
    Chart.defaults.color = '#1f2937';
    var charts = specs.map(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) throw new Error('No canvas with id ' + spec.id + ' for its chart.');
      var draw = drawers[spec.kind];
      if (!draw) throw new Error('Unknown chart kind ' + spec.kind + ' for ' + spec.id + '.');
      return draw(canvas, spec);
    });
    // Print media resizes the chart boxes; Chart.js does not notice on its own.
    var resizeAll = function () {
      charts.forEach(function (chart) { chart.resize(); });
    };
    window.addEventListener('beforeprint', resizeAll);
    window.addEventListener('afterprint', resizeAll);
    // Two frames: any resize observed after construction has been drawn too.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        body.setAttribute('data-chart-ready', 'true');
      });
    });
  } catch (error) {
    var message = error && error.message ? error.message : String(error);
    body.setAttribute('data-chart-error', message);
    var note = document.getElementById('chart-error');
    if (note) {
      note.hidden = false;
      note.textContent = 'The charts could not be drawn: ' + message;
    }
    throw error;
  }
})();
`;
