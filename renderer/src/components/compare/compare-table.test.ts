import { describe, expect, it } from 'vitest';
import { comparedTrials } from '../../charts/compared-trial';
import { depthRun, KEYS, smolRun } from '../../../test/compare-runs';
import { CONTEXT_KEYS, contextRun } from '../../../../common/test/context-run';
import { COMPARE_COLUMNS, sortTrials, statusText, type ColumnId } from './compare-table';

const column = (id: ColumnId) => COMPARE_COLUMNS.find((candidate) => candidate.id === id)!;
const trials = comparedTrials([depthRun(), smolRun()]);
const byKey = (key: string) => trials.find((trial) => trial.key === key)!;

describe('compare table', () => {
  it('shows every metric with its unit from the document', () => {
    const fp32 = byKey(KEYS.fp32d0);
    const cells = Object.fromEntries(COMPARE_COLUMNS.map((entry) => [entry.id, entry.cell(fp32)]));
    expect(cells).toMatchObject({
      // a schema 1 result: depth given, nothing filled at 0, the cache grew, no sampling time apart
      depth: '0',
      fill: 'none',
      buffer: 'grow',
      sampling: '—',
      rssSource: 'maxRSS (schema 1)',
      decode: '61.8 ± 1.2',
      prefill: '842.3 ± 20.5',
      ttft: '152.4',
      p50: '16.10',
      p99: '19.40',
      peakRss: '706 MiB',
      kv: '4.2 MiB',
      weights: '535 MiB',
      status: 'ok',
    });
    // 62.1 tok/s (the median) ÷ (61.4 GB/s ÷ 565 417 728 B)
    expect(cells.efficiency).toBe(`${((62.1 / (61.4e9 / 565_417_728)) * 100).toFixed(0)} %`);
    expect(column('decode').unit).toBe('mean ± sd');
    expect(column('ttft').unit).toBe('ms, median');
  });

  it('says "not measured" where an imported llama-bench record lacks a figure, never 0', () => {
    // a llama-bench pp record: prefill measured by llama.cpp; no decode, TTFT or per-token figures
    const run = depthRun();
    const result = run.trials[0]!.result;
    result.spec.runtime = 'llama.cpp';
    result.spec.generateTokens = 0;
    delete result.summary!.decodeTokensPerSecond;
    delete result.summary!.ttftMs;
    delete result.summary!.perTokenMs;
    const imported = comparedTrials([run]).find((trial) => trial.key === run.trials[0]!.key)!;
    for (const id of ['decode', 'ttft', 'p50', 'p99'] as const)
      expect(column(id).cell(imported)).toBe('not measured');
    expect(column('prefill').cell(imported)).toBe('842.3 ± 20.5');
    expect(statusText(imported.result)).toBe('ok');
  });

  it('says why a trial failed and when one was noisy', () => {
    expect(statusText(byKey(KEYS.big).result)).toBe('failed (out-of-memory)');
    expect(statusText(byKey(KEYS.fp32d2048).result)).toBe('ok · noisy');
    expect(column('decode').cell(byKey(KEYS.big))).toBe('—');
  });

  it('sorts by a metric either way, trials without it last', () => {
    const descending = sortTrials(trials, column('decode'), 'descending').map((trial) => trial.key);
    expect(descending).toEqual([
      KEYS.int4d0,
      KEYS.smol,
      KEYS.int4d2048,
      KEYS.fp32d0,
      KEYS.fp32d2048,
      KEYS.big,
    ]);
    const ascending = sortTrials(trials, column('decode'), 'ascending').map((trial) => trial.key);
    expect(ascending).toEqual([
      KEYS.fp32d2048,
      KEYS.fp32d0,
      KEYS.int4d2048,
      KEYS.smol,
      KEYS.int4d0,
      KEYS.big,
    ]);
    expect(sortTrials(trials, column('peakRss'), 'ascending')[0]!.key).toBe(KEYS.smol);
  });

  it('shows what ran: the depth at the end of the window, the fill, the buffer, sampling apart', () => {
    const context = comparedTrials([contextRun()]);
    const trial = (key: string) => context.find((candidate) => candidate.key === key)!;
    const cell = (id: ColumnId, key: string) => column(id).cell(trial(key));
    expect(cell('depth', CONTEXT_KEYS.int4c512)).toBe('320 (end of window)');
    expect(cell('fill', CONTEXT_KEYS.int4c512)).toBe('synthetic (seeded values)');
    expect(cell('buffer', CONTEXT_KEYS.int4c512)).toBe('shared (512 tokens)');
    expect(cell('buffer', CONTEXT_KEYS.fp32c512)).toBe('grow');
    expect(cell('sampling', CONTEXT_KEYS.int4c512)).toBe('0.110');
    expect(cell('bandwidth', CONTEXT_KEYS.int4c512)).toBe('61.4 GB/s · GEMV 24.8 GB/s');
    expect(column('bandwidth').title!(trial(CONTEXT_KEYS.int4c512))).toBe(
      '61.4 GB/s streaming read; onnxruntime GEMV 24.8 GB/s',
    );
    // depths sort as numbers, not as text
    const ascending = sortTrials(context, column('depth'), 'ascending').map((entry) => entry.key);
    expect(ascending.slice(0, 2)).toEqual([CONTEXT_KEYS.int4c512, CONTEXT_KEYS.fp32c512]);
  });

  it('shows one repetition as n = 1, never as a spread of 0 nor as quiet', () => {
    const single = comparedTrials([contextRun()]).find((trial) => trial.key === CONTEXT_KEYS.fp32c512)!;
    expect(column('decode').cell(single)).toBe('63.0 (n = 1)');
    expect(column('decode').cell(single)).not.toContain('±');
    expect(statusText(single.result)).toBe('ok · n = 1');
  });

  it('says where peak RSS came from, and when the timeline topped the high-water mark', () => {
    const context = comparedTrials([contextRun()]);
    const agreed = context.find((trial) => trial.key === CONTEXT_KEYS.int4c512)!;
    const above = context.find((trial) => trial.key === CONTEXT_KEYS.fp32c4096)!;
    expect(column('rssSource').cell(agreed)).toBe('VmHWM ✓');
    expect(column('rssSource').title!(agreed)).toBe('VmHWM, agrees with the timeline (20 ms samples)');
    expect(column('rssSource').cell(above)).toBe('timeline (VmHWM ✗)');
    expect(column('rssSource').title!(above)).toBe(
      "VmHWM below the timeline's 812 MiB (20 ms samples): the timeline's top is reported",
    );
    expect(column('peakRss').cell(above)).toBe('812 MiB');
  });

  it('says why a trial has no roofline, the logits an all-positions export costs, and the host round trip', () => {
    const folder = comparedTrials([contextRun()]).find((trial) => trial.key === CONTEXT_KEYS.folder)!;
    expect(column('efficiency').cell(folder)).toBe('not measured');
    expect(column('efficiency').title!(folder)).toMatch(/^not measured for this provider: /);
    expect(column('bandwidth').cell(folder)).toBe('not measured');
    expect(column('bandwidth').title!(folder)).toMatch(/^not measured for this provider: /);
    expect(column('notes').cell(folder)).toBe(
      "every position's logits: 74.2 MiB per prefill where the last position needs 594 KiB; " +
        'the KV cache came back to host memory after every step',
    );
  });

  it('gives every metric column a definition to show on hover', () => {
    const metrics = COMPARE_COLUMNS.filter((entry) => entry.id !== 'configuration' && entry.id !== 'status');
    expect(metrics.every((entry) => entry.metric !== undefined)).toBe(true);
  });
});
