import { createRequire } from 'node:module';
import si from 'systeminformation';
import { expect, repoRoot, test } from './fixtures';

const require = createRequire(import.meta.url);

/** Facts read here, independently of the engine: the installed package and systeminformation. */
async function expectedFacts(): Promise<{ ortVersion: string; cpuBrand: string }> {
  const ortVersion = (
    require(`${repoRoot}/node_modules/onnxruntime-node/package.json`) as { version: string }
  ).version;
  const cpu = await si.cpu();
  return { ortVersion, cpuBrand: cpu.brand };
}

test('opening the app shows the System panel with the real onnxruntime version and CPU', async ({ app }) => {
  const { page } = app;
  const { ortVersion, cpuBrand } = await expectedFacts();
  const panel = page.getByTestId('system-panel');
  await expect(panel.getByTestId('ort-version')).toHaveText(ortVersion);
  await expect(panel.getByTestId('cpu-name')).toContainText(cpuBrand);
  await expect(panel.getByTestId('backends')).toContainText('cpu');
  await expect(panel.getByTestId('system-error')).toHaveCount(0);
  // WebGPU ships in every onnxruntime-node build: tried here once, it says whether it runs, and why not
  await expect(panel.getByTestId('backend-webgpu')).toContainText(/bundled\s+· (runs here|cannot run here)/);

  // Refresh reads the machine again through the same door.
  const refresh = panel.getByRole('button', { name: 'Refresh', exact: true });
  await refresh.click();
  await expect(refresh).toBeEnabled();
  await expect(panel.getByTestId('ort-version')).toHaveText(ortVersion);

  await page.screenshot({
    path: `${repoRoot}/docs/screenshots/system-panel-${app.door}.png`,
    fullPage: true,
  });
  expect(app.consoleErrors, 'no console errors, no CSP violations').toEqual([]);
});

test('the page names the engine it talks to', async ({ app }) => {
  const location = app.page.getByTestId('backend-location');
  await expect(location).toContainText(app.door === 'electron' ? 'desktop' : '127.0.0.1');
});

test('serve refuses a visitor without the token, and the token leaves the address bar', async ({
  app,
  serve,
  playwright,
}) => {
  test.skip(app.door !== 'browser', 'the token guards the serve door only');
  const stranger = await playwright.request.newContext();
  const refused = await stranger.get(`${serve.origin}/`);
  expect(refused.status()).toBe(401);
  expect(await refused.text()).toContain('access token');
  await stranger.dispose();

  expect(new URL(app.page.url()).searchParams.has('token')).toBe(false);
  await expect(app.page.getByTestId('ort-version')).not.toBeEmpty();
});
