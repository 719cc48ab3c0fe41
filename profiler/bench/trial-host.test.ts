import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forkTrialLauncher } from './fork-trial-host';
import { classifyExit, superviseTrial } from './trial-host';
import type { TrialProgress } from '../api';
import type { TrialRequest } from './trial-messages';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ew-host-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in trial process: a script that misbehaves the way real ones do. */
function scriptLauncher(name: string, body: string) {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(file, body);
  return forkTrialLauncher(file);
}

const request = {} as TrialRequest; // the stand-ins never read it

describe('superviseTrial', () => {
  it('records a crash with the last line the process wrote', async () => {
    const launcher = scriptLauncher(
      'crash',
      "process.stderr.write('Segmentation fault in kernel X\\n'); process.exit(3);",
    );
    const outcome = await superviseTrial(launcher, request, { timeLimitMs: 10_000 });
    expect(outcome.failure).toEqual({
      kind: 'crash',
      message: 'The trial process exited with code 3 before reporting: Segmentation fault in kernel X',
    });
  });

  it('recognises running out of memory', async () => {
    const launcher = scriptLauncher(
      'oom',
      "process.stderr.write('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n'); process.exit(134);",
    );
    const outcome = await superviseTrial(launcher, request, { timeLimitMs: 10_000 });
    expect(outcome.failure?.kind).toBe('out-of-memory');
  });

  it('stops a trial past its time limit, sampling its memory meanwhile', async () => {
    const launcher = scriptLauncher(
      'hang',
      'const keep = Buffer.alloc(32 * 1024 * 1024, 1); setInterval(() => keep[0]++, 1000);',
    );
    const outcome = await superviseTrial(launcher, request, { timeLimitMs: 400, sampleIntervalMs: 20 });
    expect(outcome.failure).toEqual({
      kind: 'timeout',
      message: 'The trial passed its time limit of 0.4 s and was stopped.',
    });
    expect(outcome.memoryTimeline.length).toBeGreaterThan(3);
    expect(Math.max(...outcome.memoryTimeline.map((s) => s.rssBytes))).toBeGreaterThan(32 * 1024 * 1024);
  });

  it('reports throttled memory samples while the trial runs, and stamps phase changes on the same clock', async () => {
    const launcher = scriptLauncher(
      'phases',
      `process.on('message', () => {
         const keep = Buffer.alloc(16 * 1024 * 1024, 1);
         process.send({ type: 'progress', progress: { phase: 'load' } });
         setTimeout(() => process.send({ type: 'progress', progress: { phase: 'prefill', repetition: 0 } }), 300);
         setTimeout(() => process.send({ type: 'progress', progress: { phase: 'decode', repetition: 0, step: 0 } }), 600);
         setTimeout(() => process.send({ type: 'progress', progress: { phase: 'decode', repetition: 0, step: 1 } }), 700);
         setTimeout(() => process.send({ type: 'measured', measurement: { loadMs: keep[0] } }, () => process.exit(0)), 1200);
       });`,
    );
    const events: TrialProgress[] = [];
    const outcome = await superviseTrial(launcher, request, {
      timeLimitMs: 10_000,
      sampleIntervalMs: 20,
      onProgress: (p) => events.push(p),
    });
    expect(outcome.failure).toBeUndefined();

    const memory = events.filter((event) => event.phase === 'memory');
    expect(memory.length).toBeGreaterThanOrEqual(3);
    // one report per ~250 ms, not one per 20 ms sample
    expect(memory.length).toBeLessThan(outcome.memoryTimeline.length / 2);
    const elapsed = memory.map((event) => event.elapsedMs!);
    for (let index = 1; index < elapsed.length; index += 1) {
      expect(elapsed[index]! - elapsed[index - 1]!).toBeGreaterThanOrEqual(250);
    }
    expect(memory.every((event) => event.rssBytes! > 0)).toBe(true);

    // every sample is still kept, and each phase change is marked once on the timeline's clock
    expect(outcome.phaseMarks.map((mark) => mark.phase)).toEqual(['load', 'prefill', 'decode']);
    const prefill = events.find((event) => event.phase === 'prefill')!;
    expect(prefill.elapsedMs).toBeGreaterThan(outcome.phaseMarks[0]!.tMs + 200);
  });

  it('cancels on request', async () => {
    const launcher = scriptLauncher('slow', 'setInterval(() => undefined, 1000);');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await superviseTrial(launcher, request, {
      timeLimitMs: 10_000,
      signal: controller.signal,
    });
    expect(outcome.failure?.kind).toBe('cancelled');
  });

  it('passes progress and the measurement through', async () => {
    const launcher = scriptLauncher(
      'ok',
      `process.on('message', () => {
         process.send({ type: 'progress', progress: { phase: 'load' } });
         process.send({ type: 'measured', measurement: { loadMs: 1 } }, () => process.exit(0));
       });`,
    );
    const phases: string[] = [];
    const outcome = await superviseTrial(launcher, request, {
      timeLimitMs: 10_000,
      onProgress: (p) => p.phase !== 'memory' && phases.push(p.phase),
    });
    expect(phases).toEqual(['load']);
    expect(outcome.phaseMarks.map((mark) => mark.phase)).toEqual(['load']);
    expect(outcome.measurement).toEqual({ loadMs: 1 });
    expect(outcome.failure).toBeUndefined();
  });
});

describe('classifyExit', () => {
  it('reads a SIGKILL nobody asked for as the system reclaiming memory', () => {
    expect(classifyExit(null, 'SIGKILL', '').kind).toBe('out-of-memory');
  });
  it('says how the process ended when it left no words', () => {
    expect(classifyExit(null, 'SIGSEGV', '')).toEqual({
      kind: 'crash',
      message: 'The trial process was killed by SIGSEGV before reporting.',
    });
  });
});
