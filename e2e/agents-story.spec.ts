import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { buildTinyR1, e2eModelsDir, expect, repoRoot, startServe, test, type ServeProcess } from './fixtures';

/**
 * Remote agents, through the real engines: two `edge-workbench serve` agents on other loopback ports
 * (stand-ins for two boards), added by URL + token on the System screen, a sweep run on each from the
 * run builder, and both runs compared in one table that names each device.
 */
const agents: { serve: ServeProcess; child: ChildProcess }[] = [];
const modelFolder = path.join(e2eModelsDir, 'agents-story', 'r1-tiny');

test.beforeAll(async () => {
  buildTinyR1(modelFolder);
  agents.push(await startServe(['--name', 'board-a']), await startServe(['--name', 'board-b']));
});

test.afterAll(() => {
  for (const { serve, child } of agents) {
    child.kill('SIGTERM');
    rmSync(serve.dataDir, { recursive: true, force: true });
  }
});

test.setTimeout(240_000);

async function sweepOn(page: Page, agentName: string, runName: string): Promise<void> {
  await page.getByTestId('nav-builder').click();
  await page.getByTestId('run-on').selectOption({ label: agentName });
  await expect(page.getByTestId('run-on-note')).toContainText(`paths on ${agentName}`);
  const r1Card = page.getByTestId('model-card-mobilellm-r1-140m');
  if ((await r1Card.getAttribute('aria-pressed')) === 'true') await r1Card.click(); // not the full 140M
  if ((await page.getByTestId('folder-0').count()) === 0) {
    await page.getByTestId('input-folder').fill(modelFolder);
    await page.getByTestId('add-folder').click();
  }
  // the builder keeps its choices between sweeps: press 512 and release 2048 only when needed
  if ((await page.getByTestId('context-512').getAttribute('aria-pressed')) !== 'true')
    await page.getByTestId('context-512').click();
  if ((await page.getByTestId('context-2048').getAttribute('aria-pressed')) === 'true')
    await page.getByTestId('context-2048').click();
  await page.getByTestId('input-reps').fill('1');
  await page.getByTestId('input-name').fill(runName);
  await expect(page.getByTestId('plan-trials')).toHaveText(/^2\b/, { timeout: 30_000 });
  await page.getByTestId('start-sweep').click();
  await expect(page.getByTestId('live-progress')).toHaveAttribute('aria-valuenow', '100', {
    timeout: 180_000,
  });
}

test('add two agents, run a sweep on each, and compare the devices side by side', async ({ app }) => {
  const { page } = app;
  const [boardA, boardB] = agents.map((agent) => agent.serve);
  await page.getByTestId('nav-system').click();
  await expect(page.getByTestId('agents-empty')).toBeVisible();

  // a wrong token is refused with the agent's reason, and nothing is added
  await page.getByTestId('input-agent-url').fill(boardA!.origin);
  await page.getByTestId('input-agent-token').fill('not-the-token-not-the-token');
  await page.getByTestId('add-agent').click();
  await expect(page.getByTestId('agent-add-error')).toContainText('refused the access token');
  await expect(page.getByTestId('agent')).toHaveCount(0);

  // the URL serve printed carries its token; or the token is given apart
  await page.getByTestId('input-agent-token').fill('');
  await page.getByTestId('input-agent-url').fill(boardA!.url);
  await page.getByTestId('add-agent').click();
  await expect(page.locator('[data-testid="agent"][data-name="board-a"]')).toBeVisible();
  await page.getByTestId('input-agent-url').fill(boardB!.origin);
  await page.getByTestId('input-agent-token').fill(new URL(boardB!.url).searchParams.get('token')!);
  await page.getByTestId('add-agent').click();
  const cardA = page.locator('[data-testid="agent"][data-name="board-a"]');
  const cardB = page.locator('[data-testid="agent"][data-name="board-b"]');
  await expect(cardA).toHaveAttribute('data-state', 'online');
  await expect(cardB).toHaveAttribute('data-state', 'online');
  await expect(cardA.getByTestId('agent-facts')).toContainText('onnxruntime 1.');
  await page.screenshot({ path: `${repoRoot}/docs/screenshots/agents-${app.door}.png`, fullPage: true });

  await sweepOn(page, 'board-a', 'tiny on board A');
  await sweepOn(page, 'board-b', 'tiny on board B');

  // both runs were copied into this workbench's history, each naming its device
  await page.getByTestId('nav-history').click();
  const runA = page.getByTestId('history-run').filter({ hasText: 'tiny on board A' });
  const runB = page.getByTestId('history-run').filter({ hasText: 'tiny on board B' });
  await expect(runA).toContainText('board-a');
  await expect(runB).toContainText('board-b');
  await runA.getByTestId('select-run').check();
  await runB.getByTestId('select-run').check();
  await page.getByTestId('compare-selected').click();

  // one comparison across both devices: the same configurations, told apart by device
  await expect(page.getByTestId('view-CompareView')).toBeVisible();
  const rows = page.getByTestId('compare-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: 'board-a' })).toHaveCount(2);
  await expect(rows.filter({ hasText: 'board-b' })).toHaveCount(2);
  await expect(page.getByTestId('chart-throughput').locator('canvas')).toBeVisible();
  await page.screenshot({
    path: `${repoRoot}/docs/screenshots/compare-devices-${app.door}.png`,
    fullPage: true,
  });

  // removing the agents (a second click confirms) keeps the runs copied from them
  await page.getByTestId('nav-system').click();
  for (const card of [cardA, cardB]) {
    await card.getByTestId('remove-agent').click();
    await card.getByTestId('remove-agent').click();
  }
  await expect(page.getByTestId('agents-empty')).toBeVisible();
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-run').filter({ hasText: 'board-b' })).toHaveCount(1);
  expect(app.consoleErrors).toEqual([]);
});
