import type { Page } from '@playwright/test';
import type { RunDocument } from '../profiler/api';
import { formatMeanSd } from '../common/number-format';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildTinyR1, e2eModelsDir, expect, expectRooflineOrReason, repoRoot, test } from './fixtures';

/**
 * The workbench's core story, through the real engine: build a sweep of 2 presets × 2 contexts on a tiny
 * MobileLLM-R1-shaped model, run it, watch it reach 100%, compare, export — and cancel a running sweep.
 */
// under the folder serve is allowed to open models from (fixtures.ts)
const tinyDir = path.join(e2eModelsDir, 'sweep-story');
const modelFolder = path.join(tinyDir, 'r1-tiny');
test.beforeAll(() => {
  buildTinyR1(modelFolder);
});
test.afterAll(() => rmSync(tinyDir, { recursive: true, force: true }));

test.setTimeout(240_000);

async function planTinySweep(page: Page, reps: string): Promise<void> {
  await page.getByTestId('nav-builder').click();
  const r1Card = page.getByTestId('model-card-mobilellm-r1-140m');
  if ((await r1Card.getAttribute('aria-pressed')) === 'true') await r1Card.click(); // not the full 140M
  await page.getByTestId('input-folder').fill(modelFolder);
  await page.getByTestId('add-folder').click();
  await page.getByTestId('context-512').click();
  await page.getByTestId('input-reps').fill(reps);
  await expect(page.getByTestId('plan-trials')).toHaveText(/^4\b/, { timeout: 30_000 });
}

test('build a 2 × 2 sweep, run it to 100%, compare it and export it', async ({ app }) => {
  const { page } = app;
  await planTinySweep(page, '2');
  await expect(page.getByTestId('plan-row')).toHaveCount(4);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/run-builder-${app.door}.png`, fullPage: true });
  await page.getByTestId('start-sweep').click();

  await expect(page.getByTestId('view-LiveRunView')).toBeVisible();
  const progress = page.getByTestId('live-progress');
  await expect(progress).toHaveAttribute('aria-valuenow', '100', { timeout: 180_000 });
  await expect(page.locator('[data-testid="live-trial"][data-status="done"]')).toHaveCount(4);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/live-run-${app.door}.png`, fullPage: true });

  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('view-CompareView')).toBeVisible();
  const table = page.getByTestId('compare-table');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  // two contexts at the default depth (the end of each window): latency and memory vs context are drawn
  for (const chart of [
    'chart-throughput',
    'chart-memory',
    'chart-latency-context',
    'chart-memory-context',
    'chart-kv-context',
  ]) {
    await expect(page.getByTestId(chart).locator('canvas')).toBeVisible();
  }
  await expectRooflineOrReason(page);
  await expect(table).toContainText('(end of window)');
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/compare-${app.door}.png`, fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csvFile = await (await download).path();
  const rows = readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
  expect(rows).toHaveLength(1 + 4);

  const htmlDownload = page.waitForEvent('download');
  await page.getByTestId('export-html').first().click();
  const html = readFileSync(await (await htmlDownload).path(), 'utf8');
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain('r1-tiny');

  // the same run against device targets: verdicts, with projections marked as such
  await page.getByTestId('nav-targets').click();
  await expect(page.getByTestId('verdict-matrix')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('projected-tag').first()).toBeVisible();
  await expect(page.getByTestId('projection-basis')).toContainText(/memory-bound|bandwidth/i);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/targets-${app.door}.png`, fullPage: true });

  // a run file from "another machine": the JSON export, imported through History
  await page.getByTestId('nav-compare').click();
  const jsonDownload = page.waitForEvent('download');
  await page.getByTestId('export-json').first().click();
  const jsonFile = await (await jsonDownload).path();
  // the table shows the run document's own numbers: decode tok/s mean ± sd of every trial
  const run = JSON.parse(readFileSync(jsonFile, 'utf8')) as RunDocument;
  const expectedDecode = run.trials.map(({ result }) =>
    formatMeanSd(result.summary!.decodeTokensPerSecond!, (value) => value.toFixed(1)),
  );
  const decodeColumn = await table
    .locator('thead th')
    .evaluateAll((headers) => headers.findIndex((th) => th.querySelector('[data-testid="sort-decode"]')));
  const shownDecode = await page
    .getByTestId('compare-row')
    .evaluateAll(
      (rows, column) => rows.map((row) => row.children[column]?.textContent?.trim() ?? ''),
      decodeColumn,
    );
  expect(shownDecode.sort()).toEqual(expectedDecode.sort());
  await page.getByTestId('nav-history').click();
  // serve is shared by the specs of a worker: other stories' runs may be listed too
  await expect(page.getByTestId('history-run').first()).toBeVisible();
  const runsBefore = await page.getByTestId('history-run').count();
  if (app.electronApp) {
    // the desktop app imports through the native Open dialog: answer it with the exported file
    await app.electronApp.evaluate(({ dialog }, file) => {
      dialog.showOpenDialog = (() => Promise.resolve({ canceled: false, filePaths: [file] })) as never;
    }, jsonFile);
    await page.getByTestId('import-run-dialog').click();
  } else {
    await page.getByTestId('import-run').setInputFiles({
      name: 'colleague-run.json',
      mimeType: 'application/json',
      buffer: readFileSync(jsonFile),
    });
  }
  await expect(page.getByTestId('import-message')).toContainText('Imported as');
  await expect(page.getByTestId('history-run')).toHaveCount(runsBefore + 1);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/history-${app.door}.png`, fullPage: true });

  await page.getByTestId('demo-open').click();
  await expect(page.getByTestId('demo-mode')).toBeVisible();
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/demo-${app.door}.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('demo-mode')).toHaveCount(0);
  expect(app.consoleErrors).toEqual([]);
});

test('cancel a running sweep: the running trial stops, finished ones are kept', async ({ app }) => {
  const { page } = app;
  await planTinySweep(page, '400');
  await page.getByTestId('start-sweep').click();
  await expect(page.locator('[data-testid="live-trial"][data-status="done"]').first()).toBeVisible({
    timeout: 180_000,
  });
  await page.getByTestId('cancel-sweep').click();
  await expect(page.getByTestId('live-status')).toContainText(/cancel/i, { timeout: 60_000 });
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-run').first()).toContainText(/cancelled/i);
});
