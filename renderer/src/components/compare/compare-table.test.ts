import { describe, expect, it } from 'vitest';
import { comparedTrials } from '../../charts/compared-trial';
import { depthRun, KEYS, smolRun } from '../../charts/test-fixtures';
import { COMPARE_COLUMNS, sortTrials, statusText, type ColumnId } from './compare-table';

const column = (id: ColumnId) => COMPARE_COLUMNS.find((candidate) => candidate.id === id)!;
const trials = comparedTrials([depthRun(), smolRun()]);
const byKey = (key: string) => trials.find((trial) => trial.key === key)!;

describe('compare table', () => {
  it('shows every metric with its unit from the document', () => {
    const fp32 = byKey(KEYS.fp32d0);
    const cells = Object.fromEntries(COMPARE_COLUMNS.map((entry) => [entry.id, entry.cell(fp32)]));
    expect(cells).toMatchObject({
      decode: '62.1 ± 1.2',
      prefill: '845.0 ± 20.5',
      ttft: '152.4',
      p50: '16.10',
      p99: '19.40',
      peakRss: '706 MiB',
      kv: '4.2 MiB',
      weights: '535 MiB',
      status: 'ok',
    });
    // 61.8 tok/s ÷ (61.4 GB/s ÷ 565 417 728 B)
    expect(cells.efficiency).toBe(`${((61.8 / (61.4e9 / 565_417_728)) * 100).toFixed(0)} %`);
    expect(column('decode').unit).toBe('median ± sd');
    expect(column('ttft').unit).toBe('ms, median');
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

  it('gives every metric column a definition to show on hover', () => {
    const metrics = COMPARE_COLUMNS.filter((entry) => entry.id !== 'configuration' && entry.id !== 'status');
    expect(metrics.every((entry) => entry.metric !== undefined)).toBe(true);
  });
});
