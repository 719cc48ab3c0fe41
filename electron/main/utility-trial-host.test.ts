import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { superviseTrial } from '../../profiler/bench/trial-host';
import type { TrialMeasurement, TrialRequest } from '../../profiler/bench/trial-messages';

/**
 * A stand-in for Electron's UtilityProcess that behaves as its JS wrapper does
 * (lib/browser/api/utility-process.ts): pid undefined until 'spawn', stderr a PassThrough whose
 * listeners are all removed right after 'exit' is emitted, kill() false before spawn.
 */
class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined;
  stderr: PassThrough | null = new PassThrough();
  posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    if (this.pid === undefined) throw new Error('postMessage before spawn (the fake wants to know)');
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    return this.pid !== undefined;
  }
  spawn(pid = 4242): void {
    this.pid = pid;
    this.emit('spawn');
  }
  exit(code: number): void {
    this.pid = undefined;
    try {
      this.emit('exit', code);
    } finally {
      this.stderr?.removeAllListeners();
      this.stderr = null;
    }
  }
}

const forked: { process: FakeUtilityProcess; entry: string; options: unknown }[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (entry: string, _args: string[], options: unknown) => {
      const process = new FakeUtilityProcess();
      forked.push({ process, entry, options });
      return process;
    },
  },
}));
const { exitOf, utilityTrialLauncher } = await import('./utility-trial-host');

const request = { modelFile: '/m/model.onnx' } as TrialRequest; // the fake child never reads it
const latest = (): FakeUtilityProcess => forked.at(-1)!.process;

afterEach(() => {
  forked.length = 0;
  vi.useRealTimers();
});

describe('exitOf: utilityProcess exit numbers as child_process reports them', () => {
  it('reads the numbers of the signals a trial dies of as those signals on POSIX', () => {
    expect(exitOf(9, 'linux')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(exitOf(11, 'darwin')).toEqual({ code: null, signal: 'SIGSEGV' });
    expect(exitOf(0, 'linux')).toEqual({ code: 0, signal: null });
    expect(exitOf(1, 'linux')).toEqual({ code: 1, signal: null });
  });
  it('keeps Windows exit codes as codes', () => {
    expect(exitOf(9, 'win32')).toEqual({ code: 9, signal: null });
    expect(exitOf(0xc0000005, 'win32')).toEqual({ code: 0xc0000005, signal: null });
  });
});

describe('utilityTrialLauncher', () => {
  it('forks the built trial child with stdout ignored and stderr piped', () => {
    utilityTrialLauncher('/app/out/main/trial-child.js')();
    expect(forked[0]!.entry).toBe('/app/out/main/trial-child.js');
    expect(forked[0]!.options).toMatchObject({ stdio: ['ignore', 'ignore', 'pipe'] });
  });

  it('starts the trial process with the parent’s environment and UV_THREADPOOL_SIZE=1, as the fork host does', () => {
    // llama.cpp trials: libuv reads the pool size when the process starts (trial-process-env.ts)
    const saved = process.env.UV_THREADPOOL_SIZE;
    process.env.UV_THREADPOOL_SIZE = '4';
    process.env.EW_PARENT_MARKER = 'kept';
    try {
      utilityTrialLauncher('/app/out/main/trial-child.js')();
    } finally {
      if (saved === undefined) delete process.env.UV_THREADPOOL_SIZE;
      else process.env.UV_THREADPOOL_SIZE = saved;
      delete process.env.EW_PARENT_MARKER;
    }
    const { env } = forked[0]!.options as { env: Record<string, string | undefined> };
    expect(env.UV_THREADPOOL_SIZE).toBe('1');
    expect(env.EW_PARENT_MARKER).toBe('kept');
  });

  it('holds messages sent before the process is up and delivers them, in order, once it spawned', () => {
    const handle = utilityTrialLauncher('/x.js')();
    handle.send({ type: 'run', request });
    handle.send({ type: 'run', request: { ...request, modelFile: '/m/second.onnx' } });
    expect(handle.pid).toBeUndefined();
    expect(latest().posted).toEqual([]);
    latest().spawn(77);
    expect(handle.pid).toBe(77);
    expect(latest().posted).toEqual([
      { type: 'run', request },
      { type: 'run', request: { ...request, modelFile: '/m/second.onnx' } },
    ]);
    handle.send({ type: 'run', request });
    expect(latest().posted).toHaveLength(3);
  });

  it('reports a signal death as (null, signal), once, after the rest of stderr arrived', async () => {
    const handle = utilityTrialLauncher('/x.js')();
    const exits: [number | null, string | null][] = [];
    let stderr = '';
    handle.onExit((code, signal) => exits.push([code, signal]));
    handle.onStderr((text) => (stderr += text));
    const child = latest();
    const pipe = child.stderr!;
    child.spawn();
    pipe.write('loading model\n');
    await new Promise((resolve) => setImmediate(resolve));
    child.exit(process.platform === 'win32' ? 3 : 9);
    // Electron dropped the stream's listeners; the crash reason is still in flight
    pipe.end('terminate called after throwing std::bad_alloc\n');
    await vi.waitFor(() => expect(exits).toHaveLength(1));
    expect(stderr).toBe('loading model\nterminate called after throwing std::bad_alloc\n');
    expect(exits[0]).toEqual(process.platform === 'win32' ? [3, null] : [null, 'SIGKILL']);
  });

  it('does not wait forever for a stderr that never ends', async () => {
    vi.useFakeTimers();
    const handle = utilityTrialLauncher('/x.js')();
    const onExit = vi.fn();
    handle.onExit(onExit);
    latest().spawn();
    latest().exit(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(onExit).toHaveBeenCalledWith(1, null);
  });

  it('kills a process that is asked to stop before it spawned, as soon as it does, and sends it nothing', () => {
    const handle = utilityTrialLauncher('/x.js')();
    handle.send({ type: 'run', request });
    handle.kill();
    expect(latest().kills).toBe(0); // nothing to signal yet
    latest().spawn();
    expect(latest().kills).toBe(1);
    expect(latest().posted).toEqual([]);
  });

  it('gives V8 fatal errors to the stderr handlers, where the supervisor looks for causes', () => {
    const handle = utilityTrialLauncher('/x.js')();
    const stderr: string[] = [];
    handle.onStderr((text) => stderr.push(text));
    latest().spawn();
    latest().emit('error', 'FatalError', 'v8::internal::Heap', '{}');
    expect(stderr.join('')).toContain('FatalError in the trial process at v8::internal::Heap');
  });
});

describe('superviseTrial over a utilityProcess', () => {
  it('runs a trial to its measurement: request after spawn, progress and result by message, clean exit', async () => {
    const progress: unknown[] = [];
    const outcome = superviseTrial(utilityTrialLauncher('/x.js'), request, {
      timeLimitMs: 10_000,
      onProgress: (p) => progress.push(p.phase),
    });
    const child = latest();
    child.spawn();
    expect(child.posted).toEqual([{ type: 'run', request }]);
    child.emit('message', { type: 'progress', progress: { phase: 'load' } });
    child.emit('message', { type: 'measured', measurement: { loadMs: 12 } as TrialMeasurement });
    child.exit(0);
    const result = await outcome;
    expect(result.failure).toBeUndefined();
    expect(result.measurement).toEqual({ loadMs: 12 });
    expect(progress).toContain('load');
  });

  it('records an out-of-memory kill (SIGKILL) as out of memory', async () => {
    const outcome = superviseTrial(utilityTrialLauncher('/x.js'), request, { timeLimitMs: 10_000 });
    latest().spawn();
    latest().stderr!.end();
    latest().exit(process.platform === 'win32' ? 137 : 9);
    const result = await outcome;
    if (process.platform !== 'win32') expect(result.failure?.kind).toBe('out-of-memory');
    else expect(result.failure?.kind).toBe('crash');
  });

  it('cancels a running trial: the process is killed and the trial recorded as cancelled', async () => {
    const controller = new AbortController();
    const outcome = superviseTrial(utilityTrialLauncher('/x.js'), request, {
      timeLimitMs: 10_000,
      signal: controller.signal,
    });
    const child = latest();
    child.spawn();
    controller.abort();
    expect(child.kills).toBe(1);
    child.exit(0); // Electron reports 0 after its own kill()
    expect((await outcome).failure).toEqual({ kind: 'cancelled', message: 'The trial was cancelled.' });
  });
});
