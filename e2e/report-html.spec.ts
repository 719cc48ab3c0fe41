import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumLaunchOptions } from './chromium';
import { repoRoot } from './fixtures';
import type { RunDocument } from '../profiler/api';
import { exportRun } from '../profiler/report';
import {
  exampleRunAnalysis,
  exampleRunDocument,
  exampleRunWithQuality,
  type FixtureOptions,
} from '../profiler/report/test/example-run';

/**
 * The exported HTML report, opened from disk the way a colleague opens an emailed file: no server, no
 * network. Chart.js is inlined, so every chart must draw offline.
 */

interface ReportOptions extends FixtureOptions {
  /** add the device-target analysis sections (exampleRunAnalysis) and their charts */
  analysis?: boolean;
}

interface OpenedReport {
  page: Page;
  /** console errors and uncaught exceptions since the page opened */
  consoleErrors: string[];
  /** alert/confirm/prompt dialogs the page tried to open (injected script would) */
  dialogs: string[];
}

const test = base.extend<{
  reportBrowser: Browser;
  openReport: (options?: ReportOptions) => Promise<OpenedReport>;
}>({
  // The system Chromium (chromium.ts), not Playwright's download: this runs offline.
  reportBrowser: async ({ playwright }, use, testInfo) => {
    test.skip(
      testInfo.project.name !== 'browser',
      'the report is a file opened in a browser; the electron project drives the desktop app instead',
    );
    const browser = await playwright.chromium.launch(chromiumLaunchOptions());
    await use(browser);
    await browser.close();
  },
  openReport: async ({ reportBrowser }, use) => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ew-report-'));
    await use(async (options = {}) => {
      const file = path.join(folder, 'report.html');
      // with an analysis: a measured int4 quality too, so the trade-off section has a KL chart
      const doc = options.analysis ? exampleRunWithQuality(options) : exampleRunDocument(options);
      writeFileSync(
        file,
        exportRun(doc, 'html', options.analysis ? { analysis: exampleRunAnalysis({}, doc) } : {}),
      );
      const page = await reportBrowser.newPage({ viewport: { width: 1280, height: 900 } });
      const consoleErrors: string[] = [];
      const dialogs: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-chart-ready="true"]', { timeout: 15_000 });
      return { page, consoleErrors, dialogs };
    });
    rmSync(folder, { recursive: true, force: true });
  },
});

/** The few canvas members read here: tsconfig.node.json has no DOM types, and should not get them. */
interface CanvasLike {
  id: string;
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Per canvas: its drawn size and how many of its pixels are not transparent. */
function canvasInk(page: Page): Promise<{ id: string; width: number; height: number; inked: number }[]> {
  return page.$$eval('canvas', (elements) =>
    elements.map((element) => {
      const canvas = element as unknown as CanvasLike;
      const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      // every 4th byte is alpha
      for (let index = 3; pixels && index < pixels.length; index += 4)
        if ((pixels[index] ?? 0) > 0) inked += 1;
      return { id: canvas.id, width: canvas.width, height: canvas.height, inked };
    }),
  );
}

/** The run's own charts, in page order. */
const RUN_CHART_IDS = [
  'chart-decode',
  'chart-prefill',
  'chart-ttft',
  'chart-memory',
  'chart-per-token',
  'chart-memory-timeline',
];

/** Exactly these canvases, in this order, each laid out and drawn. */
async function expectChartsDrawn(page: Page, ids: readonly string[]): Promise<void> {
  const canvases = await canvasInk(page);
  expect(canvases.map((canvas) => canvas.id)).toEqual(ids);
  for (const canvas of canvases) {
    expect(canvas.width, `${canvas.id} width`).toBeGreaterThan(0);
    expect(canvas.height, `${canvas.id} height`).toBeGreaterThan(0);
    // axes, labels and bars or lines: well over a few hundred pixels of ink
    expect(canvas.inked, `${canvas.id} drew something`).toBeGreaterThan(500);
  }
}

test('the HTML report opens offline from a file and draws every chart', async ({ openReport }) => {
  const { page, consoleErrors } = await openReport();
  const doc = exampleRunDocument();

  await expect(page.locator('h1')).toHaveText(doc.name);
  await expectChartsDrawn(page, RUN_CHART_IDS);

  // the tables a reader compares: both measured configurations and the failed trial's reason
  const decode = doc.trials[0]!.result.summary!.decodeTokensPerSecond!;
  await expect(page.locator('#results')).toContainText(
    `${decode.mean.toFixed(2)} ± ${decode.std.toFixed(2)}`,
  );
  await expect(page.locator('#results')).toContainText('MatMulNBits');
  await expect(page.locator('#results')).toContainText('will not fit');
  await expect(page.locator('#chart-error')).toBeHidden();
  expect(consoleErrors, 'no console errors').toEqual([]);
});

/**
 * The README's report picture: a run measured here, now — MobileLLM-R1-140M (the smallest catalog
 * model, synthetic weights) at fp32 and int4 through the real CLI — so the report names this machine,
 * never a fixture's made-up laptop.
 */
test('a report of a run measured on this machine names its CPU and device, and is the README picture', async ({
  reportBrowser,
}) => {
  test.setTimeout(600_000);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ew-report-real-'));
  try {
    const cli = (...args: string[]): string => {
      const result = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'bin', 'edge-workbench.mjs'), '--data-dir', folder, ...args],
        { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      if (result.status !== 0) throw new Error(`edge-workbench ${args.join(' ')} failed:\n${result.stderr}`);
      return result.stdout;
    };
    const runFile = path.join(folder, 'run.json');
    cli(
      'sweep',
      '--model',
      'mobilellm-r1-140m',
      '--quant',
      'fp32,int4',
      '--context',
      '512',
      '--prompt',
      '64',
      '--gen',
      '32',
      '--reps',
      '3',
      '--name',
      'MobileLLM-R1-140M fp32 vs int4, measured by the e2e run',
      '--out',
      runFile,
    );
    const reportFile = path.join(folder, 'report.html');
    cli('report', runFile, '--format', 'html', '--out', reportFile);
    const system = JSON.parse(cli('system', '--json')) as {
      cpu: { name: string };
      device?: { name: string };
    };
    const doc = JSON.parse(readFileSync(runFile, 'utf8')) as RunDocument;
    expect(doc.trials.map((trial) => trial.result.status)).toEqual(['ok', 'ok']);

    const page = await reportBrowser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(pathToFileURL(reportFile).href);
    await page.waitForSelector('body[data-chart-ready="true"]', { timeout: 15_000 });
    await expect(page.locator('body')).toContainText(system.cpu.name);
    expect(doc.environment.cpu).toBe(system.cpu.name);
    expect(doc.trials[0]!.result.environment.device).toBe(os.hostname());
    await expect(page.locator('#chart-error')).toBeHidden();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/report-html.png`, fullPage: true });
    expect(consoleErrors, 'no console errors').toEqual([]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the report with a device-target analysis draws its KV and trade-off charts too', async ({
  openReport,
}) => {
  const { page, consoleErrors } = await openReport({ analysis: true });
  await expectChartsDrawn(page, [...RUN_CHART_IDS, 'chart-kv', 'chart-tradeoff-memory', 'chart-tradeoff-kl']);
  // the verdict matrix says what is projected, and the basis is stated under it
  const fit = page.locator('#fit');
  await expect(fit.locator('td.verdict')).toHaveCount(2 * 4);
  await expect(fit.locator('td.verdict.fit-does-not-fit')).toHaveCount(1);
  await expect(fit).toContainText('tok/s projected');
  await expect(fit).toContainText('Projected numbers assume');
  await expect(page.locator('#kv-pressure')).toContainText('23,040 B');
  await expect(page.locator('#tradeoffs')).toContainText('★ optimal');
  await expect(page.locator('#chart-error')).toBeHidden();
  expect(consoleErrors, 'no console errors').toEqual([]);
});

test('printed on A4, nothing is wider than the page', async ({ openReport }, testInfo) => {
  const { page, consoleErrors } = await openReport({ analysis: true });
  // A4 (210 mm) less the 12 mm margins, at 96 CSS px per inch
  const printableWidthPx = Math.floor(((210 - 2 * 12) / 25.4) * 96);
  await page.setViewportSize({ width: printableWidthPx, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");
  const pageWidth = await page.evaluate<number>('document.documentElement.clientWidth');
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(pageWidth);
  for (const element of await page.locator('table, figure, canvas').all()) {
    const box = await element.boundingBox();
    expect(box, 'laid out').not.toBeNull();
    expect(box!.x + box!.width, 'inside the printable width').toBeLessThanOrEqual(pageWidth + 1);
  }
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await testInfo.attach('report.pdf', { body: pdf, contentType: 'application/pdf' });
  expect(consoleErrors).toEqual([]);
});

test('a hostile run name and failure message are shown as text, never run', async ({ openReport }) => {
  const name = '</script><script>alert(1)</script>';
  const failureMessage = '<img src=x onerror="alert(2)"> | </SCRIPT><!--';
  const { page, consoleErrors, dialogs } = await openReport({ name, failureMessage });
  await expect(page.locator('h1')).toHaveText(name);
  await expect(page.locator('#results')).toContainText(failureMessage);
  await expect(page.locator('img')).toHaveCount(0);
  expect(await page.title()).toContain(name);
  expect(dialogs).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
