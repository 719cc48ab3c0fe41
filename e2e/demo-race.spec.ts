import { hostname } from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { buildTinyR1, e2eModelsDir, expect, repoRoot, test } from './fixtures';

/**
 * The booth story: a sweep measured here (a tiny MobileLLM-R1-shaped model, fp32 and int4), raced in
 * Demo mode at 1920×1080 and 3840×2160 — each lane a replay of what was measured, named with its date
 * and this machine — then a live lane beside the replays while another sweep runs. Any key leaves.
 */
const tinyDir = path.join(e2eModelsDir, 'demo-race');
const modelFolder = path.join(tinyDir, 'r1-tiny');
test.beforeAll(() => buildTinyR1(modelFolder));
test.afterAll(() => rmSync(tinyDir, { recursive: true, force: true }));

test.setTimeout(300_000);

/** the link a booth enters on System: where it published the HTML report for visitors' phones */
const REPORT_LINK = 'https://example.com/edge-workbench/r1-tiny-report.html';

async function planTiny(page: Page, reps: string): Promise<void> {
  await page.getByTestId('nav-builder').click();
  const r1Card = page.getByTestId('model-card-mobilellm-r1-140m');
  if ((await r1Card.getAttribute('aria-pressed')) === 'true') await r1Card.click();
  if ((await page.getByTestId('folder-0').count()) === 0) {
    await page.getByTestId('input-folder').fill(modelFolder);
    await page.getByTestId('add-folder').click();
  }
  // one context, 512: fp32 and int4 (the builder's presets) race each other
  const c512 = page.getByTestId('context-512');
  if ((await c512.getAttribute('aria-pressed')) !== 'true') await c512.click();
  const c2048 = page.getByTestId('context-2048');
  if ((await c2048.getAttribute('aria-pressed')) === 'true') await c2048.click();
  await page.getByTestId('input-reps').fill(reps);
  await expect(page.getByTestId('plan-summary')).toHaveAttribute('data-current', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('plan-trials')).toHaveText('2');
}

/** the demo's base font size, px */
function demoFontPx(page: Page): Promise<number> {
  return page.getByTestId('demo-mode').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
}

test('race two measured configurations in Demo mode, at 1080p and 4K, then beside a live lane', async ({
  app,
}) => {
  test.skip(app.door !== 'browser', 'the booth story is told once, in the browser door');
  const { page } = app;
  await planTiny(page, '3');
  await page.getByTestId('start-sweep').click();
  await expect(page.getByTestId('live-progress')).toHaveAttribute('aria-valuenow', '100', {
    timeout: 180_000,
  });
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-table').locator('tbody tr')).toHaveCount(2);

  await page.getByTestId('nav-system').click();
  await page.getByTestId('booth-report-link').fill(REPORT_LINK);
  await page.getByTestId('booth-report-link').press('Tab');

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByTestId('demo-open').click();
  const lanes = page.locator('[data-testid="race-lane"][data-live="false"]');
  await expect(lanes).toHaveCount(2);
  const today = new Date().toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  for (const provenance of await lanes.getByTestId('lane-provenance').allTextContents())
    expect(provenance).toContain(`replay of measured run, ${today}, ${hostname()}`);
  await expect(page.getByTestId('demo-report-link')).toContainText(REPORT_LINK);
  // mid-race: both lanes under way, neither at its end
  await expect
    .poll(
      async () =>
        (await lanes.evaluateAll((all) => all.map((lane) => Number(lane.getAttribute('data-tokens'))))).every(
          (n) => n > 8 && n < 65,
        ),
      {
        timeout: 20_000,
        intervals: [50],
      },
    )
    .toBe(true);
  expect(await demoFontPx(page)).toBeGreaterThanOrEqual(26);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/demo-race-1080p-browser.png` });

  await page.setViewportSize({ width: 3840, height: 2160 });
  // large type follows the screen: twice the 1080p size on 4K
  expect(await demoFontPx(page)).toBeGreaterThanOrEqual(52);
  await expect
    .poll(async () => Number(await lanes.first().getAttribute('data-tokens')), {
      timeout: 20_000,
      intervals: [50],
    })
    .toBeGreaterThan(8);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/demo-race-4k-browser.png` });

  // it loops unattended: a lane that finished starts again from the line
  await expect
    .poll(async () => Number(await lanes.first().getAttribute('data-tokens')), {
      timeout: 30_000,
      intervals: [50],
    })
    .toBe(65);
  await expect
    .poll(async () => Number(await lanes.first().getAttribute('data-tokens')), {
      timeout: 30_000,
      intervals: [50],
    })
    .toBeLessThan(65);

  // any key leaves
  await page.keyboard.press('k');
  await expect(page.getByTestId('demo-mode')).toHaveCount(0);

  // a live lane beside the replays: a long sweep of the same model, measured now
  await page.setViewportSize({ width: 1920, height: 1080 });
  await planTiny(page, '400');
  await page.getByTestId('start-sweep').click();
  await expect(page.getByTestId('view-LiveRunView')).toBeVisible();
  await page.getByTestId('demo-open').click();
  const liveLane = page.locator('[data-testid="race-lane"][data-live="true"]');
  await expect(liveLane).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(async () => Number(await liveLane.getAttribute('data-tokens')), {
      timeout: 60_000,
      intervals: [100],
    })
    .toBeGreaterThan(8);
  await expect(lanes).toHaveCount(2);
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/demo-live-lane-browser.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('demo-mode')).toHaveCount(0);
  await page.getByTestId('nav-live').click();
  await page.getByTestId('cancel-sweep').click();
  await expect(page.getByTestId('live-status')).toContainText(/cancel/i, { timeout: 60_000 });
  expect(app.consoleErrors).toEqual([]);
});
