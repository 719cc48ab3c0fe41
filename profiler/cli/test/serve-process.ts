import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const childScript = fileURLToPath(new URL('./serve-child.ts', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  token: string;
  /** everything it printed so far, stdout and stderr together */
  output(): string;
  /** whether it is still running */
  alive(): boolean;
  /** resolves with its exit code (or signal) once it ends */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL if it has not ended within 10 s */
  stop(): Promise<number | string>;
}

/**
 * Start serve (serve-child.ts through tsx) on a free loopback port with `dataDir`, and wait for the URL
 * it prints. A stub page stands in for the built renderer.
 */
export async function startServeProcess(dataDir: string): Promise<ServeProcess> {
  const rendererDir = path.join(dataDir, 'renderer-stub');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Edge LLM Workbench</title>');
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, rendererDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(new URL(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  let running = true;
  void exited.then(() => (running = false));
  return {
    child,
    pid: child.pid!,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    output: () => output,
    alive: () => running,
    exited,
    stop: async () => {
      if (!running) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** bytes: a Linux process's resident set now (VmRSS in /proc/<pid>/status) */
export function rssBytesOf(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) * 1024;
}

/** A Linux process's open file descriptors now, each as what it points at (socket:[…], pipe:[…], a path). */
export function openFilesOf(pid: number): string[] {
  const dir = `/proc/${pid}/fd`;
  return readdirSync(dir).flatMap((fd) => {
    try {
      return [readlinkSync(path.join(dir, fd))];
    } catch {
      return []; // closed between listing and reading
    }
  });
}
