import type { Browser, Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { chromiumLaunchOptions } from './chromium';
import { buildTinyR1, e2eModelsDir, expect, expectRooflineOrReason, repoRoot, test } from './fixtures';

/**
 * The UI stays responsive while a sweep runs (no main-thread task over 50 ms, the point where input starts to
 * feel late), the theme can be chosen in the app, and a 4K screen gets text and charts big enough to read.
 * Browser only: it measures Chromium's long tasks on serve's page at fixed viewports.
 */
const LONG_TASK_LIMIT_MS = 50;

// under the folder serve is allowed to open models from (fixtures.ts)
const tinyDir = path.join(e2eModelsDir, 'responsiveness');
const modelFolder = path.join(tinyDir, 'r1-tiny');

// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
test.beforeAll(({}, testInfo) => {
  test.skip(
    testInfo.project.name !== 'browser',
    'long tasks and viewports are measured in Chromium against serve; the electron project drives the desktop app',
  );
  buildTinyR1(modelFolder);
});
test.afterAll(() => rmSync(tinyDir, { recursive: true, force: true }));

test.setTimeout(240_000);
// A long task is a wall-clock measurement on a shared 2-core machine: a burst from another process (GC,
// a CI neighbour) can stretch one task past 50 ms. A real regression fails every try; noise does not.
test.describe.configure({ retries: 2 });

interface LongTask {
  /** ms, performance.now() clock */
  startMs: number;
  durationMs: number;
}

declare global {
  interface Window {
    __longTasks?: LongTask[];
  }
}

/** Records every long task from the page's first script on, into window.__longTasks. */
function recordLongTasks(): void {
  const tasks: LongTask[] = [];
  window.__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      tasks.push({ startMs: entry.startTime, durationMs: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

async function longTasksSince(page: Page, sinceMs: number): Promise<LongTask[]> {
  // observer callbacks are queued: let two frames pass so the last entries land
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  return page.evaluate(
    (since) => (window.__longTasks ?? []).filter((task) => task.startMs >= since),
    sinceMs,
  );
}

async function planTinySweep(page: Page): Promise<void> {
  await page.getByTestId('nav-builder').click();
  const r1Card = page.getByTestId('model-card-mobilellm-r1-140m');
  if ((await r1Card.getAttribute('aria-pressed')) === 'true') await r1Card.click(); // not the full 140M
  await page.getByTestId('input-folder').fill(modelFolder);
  await page.getByTestId('add-folder').click();
  await page.getByTestId('context-512').click();
  await page.getByTestId('input-reps').fill('2');
  // one onnxruntime thread: the sweep leaves the other core to the browser, as on a laptop with more
  // cores than the trial uses; what is measured here is the page, not the sweep
  await page.getByTestId('input-threads').fill('1');
  await expect(page.getByTestId('plan-trials')).toHaveText(/^4\b/, { timeout: 30_000 });
}

async function expectChartsDrawn(page: Page): Promise<void> {
  for (const chart of ['chart-throughput', 'chart-memory', 'chart-memory-context', 'chart-kv-context']) {
    await expect(page.getByTestId(chart).locator('canvas')).toBeVisible();
  }
  await expectRooflineOrReason(page);
}

test('a running sweep keeps the main thread free; themes and 4K stay readable', async ({
  playwright,
  serve,
}) => {
  const browser: Browser = await playwright.chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.addInitScript(recordLongTasks);
    await page.goto(serve.url);
    await planTinySweep(page);

    // responsiveness: from pressing Start (the Live run screen opens and builds its charts) to 100%
    const startedMs = await page.evaluate(() => performance.now());
    await page.getByTestId('start-sweep').click();
    await expect(page.getByTestId('view-LiveRunView')).toBeVisible();
    await expect(page.getByTestId('live-progress')).toHaveAttribute('aria-valuenow', '100', {
      timeout: 180_000,
    });
    const tasks = await longTasksSince(page, startedMs);
    const listed = tasks
      .map((task) => `${task.durationMs.toFixed(0)} ms at +${(task.startMs - startedMs).toFixed(0)} ms`)
      .join(', ');
    test.info().annotations.push({ type: 'long tasks from Start to 100%', description: listed || 'none' });
    expect(
      Math.max(0, ...tasks.map((task) => task.durationMs)),
      `main-thread tasks over 50 ms from Start to 100%: ${listed || 'none'}`,
    ).toBeLessThanOrEqual(LONG_TASK_LIMIT_MS);
    await expect(page.getByTestId('chart-live-latency').locator('canvas')).toBeVisible();

    // 4K at 100% scale: text and charts grow with the screen
    await page.getByTestId('compare-run').click();
    await expect(page.getByTestId('view-CompareView')).toBeVisible();
    await page.setViewportSize({ width: 3840, height: 2160 });
    await expectChartsDrawn(page);
    const bodyFontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(bodyFontPx, 'body text on a 3840 × 2160 screen (px)').toBeGreaterThanOrEqual(16);
    const cellFontPx = await page
      .getByTestId('compare-row')
      .first()
      .locator('td')
      .first()
      .evaluate((cell) => parseFloat(getComputedStyle(cell).fontSize));
    expect(cellFontPx, 'compare table text on a 3840 × 2160 screen (px)').toBeGreaterThanOrEqual(16);
    const canvases = page.getByTestId('view-CompareView').locator('canvas');
    // charts follow their box through a ResizeObserver: poll until they have
    await expect
      .poll(
        async () =>
          Math.min(
            ...(await canvases.evaluateAll((all) =>
              all.map((canvas) => canvas.getBoundingClientRect().width),
            )),
          ),
        { message: 'the narrowest Compare chart on a 3840 × 2160 screen (px)' },
      )
      .toBeGreaterThanOrEqual(600);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/compare-4k-browser.png` });

    // the theme: chosen in the header, applied at once, kept for the next visit
    await page.setViewportSize({ width: 1366, height: 768 });
    const themeSelect = page.getByTestId('theme-select');
    await themeSelect.focus();
    await expect(themeSelect).toBeFocused();
    await themeSelect.selectOption('dark');
    const root = page.locator('html');
    await expect(root).toHaveAttribute('data-theme', 'dark');
    await expect(root).toHaveCSS('background-color', 'rgb(15, 18, 22)');
    await expectChartsDrawn(page);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/theme-dark-browser.png`, fullPage: true });
    await page.reload();
    await expect(root).toHaveAttribute('data-theme', 'dark');
    await expect(themeSelect).toHaveValue('dark');
    await themeSelect.selectOption('system');
    await expect(root).not.toHaveAttribute('data-theme');
    await expect(root).toHaveCSS('background-color', 'rgb(246, 247, 249)');
    expect(consoleErrors).toEqual([]);
  } finally {
    await browser.close();
  }
});
