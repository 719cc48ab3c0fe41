import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, repoRoot, test } from './fixtures';

/**
 * A llama.cpp result measured elsewhere: llama-bench's own CSV (every field quoted) imported through
 * History, opened in Compare beside the app's own numbers — what llama-bench measured shown, what it does
 * not record said to be not measured, never 0.
 */
const csvFile = path.join(repoRoot, 'profiler', 'report', 'test', 'llama-bench-140m-q4_0.csv');

test("import llama-bench's CSV and read it in Compare", async ({ app }) => {
  const { page } = app;
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('view-HistoryView')).toBeVisible();
  if (app.electronApp) {
    await app.electronApp.evaluate(({ dialog }, file) => {
      dialog.showOpenDialog = (() => Promise.resolve({ canceled: false, filePaths: [file] })) as never;
    }, csvFile);
    await page.getByTestId('import-run-dialog').click();
  } else {
    await page.getByTestId('import-run').setInputFiles({
      name: 'llama-bench-140m-q4_0.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(csvFile),
    });
  }
  await expect(page.getByTestId('import-message')).toContainText('Imported as');
  const row = page.getByTestId('history-run').filter({ hasText: 'llama-bench' }).first();
  await expect(row).toContainText('llama.cpp');
  await row.getByTestId('select-run').check();
  await page.getByTestId('compare-selected').click();
  await expect(page.getByTestId('view-CompareView')).toBeVisible();
  const rows = page.getByTestId('compare-row');
  await expect(rows).toHaveCount(2);
  const prefill = rows.filter({ hasText: 'pp128' });
  await expect(prefill).toContainText('Q4_0');
  await expect(prefill).toContainText('2323.0 ± 8.4');
  await expect(prefill).toContainText('not measured');
  await expect(rows.filter({ hasText: 'tg32' })).toContainText('328.1 ± 0.6');
  expect(app.consoleErrors).toEqual([]);
});
