import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SystemInfoSchema } from '../api';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/edge-workbench.mjs', import.meta.url));

/** Run the CLI the way a user does (the package bin), from the repo root. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, EDGE_WORKBENCH_DEBUG: '' };
  return spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', env });
}

describe('edge-workbench CLI', () => {
  it('--help lists the commands', () => {
    const { status, stdout } = cli('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/system/);
    expect(stdout).toMatch(/serve/);
  });

  it('system --json prints one SystemInfo document with real facts', () => {
    const { status, stdout } = cli('--data-dir', '/tmp/ew-cli-test', 'system', '--json');
    expect(status).toBe(0);
    const info = SystemInfoSchema.parse(JSON.parse(stdout));
    const ortVersion = (
      JSON.parse(readFileSync(`${repoRoot}/node_modules/onnxruntime-node/package.json`, 'utf8')) as {
        version: string;
      }
    ).version;
    expect(info.onnxruntime.version).toBe(ortVersion);
    expect(info.cpu.logicalCores).toBe(os.cpus().length);
    expect(info.runtime).toMatchObject({ host: 'cli', dataDir: '/tmp/ew-cli-test' });
  });

  it('system prints a readable table', () => {
    const { status, stdout } = cli('system');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^onnxruntime\s+\d+\.\d+\.\d+/m);
    expect(stdout).toMatch(/^CPU\s+.+physical/m);
  });

  it('an unknown command fails with one line of usage help, no stack trace', () => {
    const { status, stderr } = cli('frobnicate');
    expect(status).toBe(1);
    expect(stderr).toContain("unknown command 'frobnicate'");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('serve refuses a network-facing bind without --allow-remote', () => {
    const { status, stderr } = cli('serve', '--host', '0.0.0.0', '--port', '0');
    expect(status).toBe(1);
    expect(stderr).toMatch(/^edge-workbench: Refusing to serve on 0\.0\.0\.0.*--allow-remote/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('serve rejects a bad port before starting', () => {
    const { status, stderr } = cli('serve', '--port', '99999');
    expect(status).toBe(1);
    expect(stderr).toMatch(/--port.*0 to 65535/);
  });

  it('serve prints its token URL on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, '--data-dir', '/tmp/ew-cli-test', 'serve', '--port', '0'], {
      cwd: repoRoot,
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /serving on (\S+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
