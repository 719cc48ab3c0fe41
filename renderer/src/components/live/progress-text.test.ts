import { describe, expect, it } from 'vitest';
import { formatEta, progressText } from './progress-text';

describe('formatEta', () => {
  it('reads in the largest sensible units', () => {
    expect(formatEta(44.6)).toBe('45 s');
    expect(formatEta(200)).toBe('3 min 20 s');
    expect(formatEta(180)).toBe('3 min');
    expect(formatEta(3900)).toBe('1 h 5 min');
    expect(formatEta(7200)).toBe('2 h');
    expect(formatEta(null)).toBe('estimating…');
  });
});

describe('progressText', () => {
  it('counts finished trials and gives the ETA while the sweep runs', () => {
    expect(progressText(3, 12, 'running', 250)).toBe('3 of 12 · ETA 4 min 10 s');
  });

  it('says how the sweep ended once it has', () => {
    expect(progressText(12, 12, 'completed', 0)).toBe('12 of 12 · completed');
    expect(progressText(4, 12, 'cancelled', 0)).toBe('4 of 12 · cancelled');
  });
});
