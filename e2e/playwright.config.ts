import { defineConfig } from '@playwright/test';

/**
 * Two projects run the same user stories: `browser` drives `edge-workbench serve` (the real engine) in
 * Chromium; `electron` drives the desktop app and skips, saying why, where no Electron runtime is installed.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/e2e-artifacts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '../test-results/playwright.json' }]],
  projects: [{ name: 'browser' }, { name: 'electron' }],
});
