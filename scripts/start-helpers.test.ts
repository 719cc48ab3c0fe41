import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInputs, buildIsStale, buildOutputs } from './build-freshness';
import { displayMissing, findElectronRuntime, installFailureReason } from './electron-runtime';

function touch(root: string, file: string, mtimeSeconds: number): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, mtimeSeconds, mtimeSeconds);
}

describe('buildIsStale', () => {
  it('is stale when an output is missing, fresh when outputs are newer, stale after a source edit', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ew-build-'));
    touch(root, 'renderer/src/main.ts', 1000);
    expect(buildIsStale(root)).toBe(true);
    for (const output of buildOutputs) touch(root, output, 2000);
    expect(buildIsStale(root)).toBe(false);
    touch(root, 'profiler/api/new-method.ts', 3000);
    expect(buildIsStale(root)).toBe(true);
    expect(buildInputs).toContain('profiler');
  });
});

describe('findElectronRuntime', () => {
  it('says the runtime was never downloaded when the package has no path.txt', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ew-electron-'));
    touch(root, 'node_modules/electron/package.json', 1000);
    expect(findElectronRuntime(root)).toEqual({
      installed: false,
      reason: "Electron's runtime has not been downloaded",
    });
  });

  it('finds the executable that path.txt names', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ew-electron-'));
    touch(root, 'node_modules/electron/package.json', 1000);
    writeFileSync(path.join(root, 'node_modules/electron/path.txt'), 'electron');
    touch(root, 'node_modules/electron/dist/electron', 1000);
    expect(findElectronRuntime(root)).toEqual({
      installed: true,
      executablePath: path.join(root, 'node_modules/electron/dist/electron'),
    });
  });
});

describe('installFailureReason', () => {
  it('keeps the error line, drops the stack, and names the likely cause offline', () => {
    const output =
      'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n    at async download (x.js:1:1)';
    expect(installFailureReason(output)).toBe(
      "fetch failed: cannot reach Electron's download host, offline?",
    );
  });
});

describe('displayMissing', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux only', () => {
    expect(displayMissing({}, 'linux')).toBe(true);
    expect(displayMissing({ DISPLAY: ':99' }, 'linux')).toBe(false);
    expect(displayMissing({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(false);
    expect(displayMissing({}, 'darwin')).toBe(false);
  });
});
