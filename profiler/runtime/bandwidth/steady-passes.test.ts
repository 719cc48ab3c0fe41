import { describe, expect, it, vi } from 'vitest';
import { figureOf, MAX_SPREAD, passSpread, steadyPasses } from './steady-passes';

/** A pass timer that plays back the given seconds, in order. */
function playBack(seconds: readonly number[]) {
  let next = 0;
  return vi.fn(async () => {
    const value = seconds[next++];
    if (value === undefined) throw new Error('the test ran more passes than it scripted');
    return value;
  });
}

const quietLoad = { openLoadWindow: () => () => 0 };

describe('passSpread', () => {
  it('is (median − best) ÷ best of the pass times', () => {
    expect(passSpread([1])).toBe(0);
    expect(passSpread([1, 1.1, 1.2])).toBeCloseTo(0.1);
    expect(passSpread([1.2, 1, 1.1, 1.3])).toBeCloseTo(0.15); // median of four: (1.1 + 1.2) ÷ 2
  });

  it('is not moved by one disturbed pass, so a quiet machine passes', () => {
    expect(passSpread([0.15, 0.151, 0.152, 0.153, 0.4])).toBeLessThan(0.02);
  });
});

describe('steadyPasses', () => {
  it('keeps the best pass of a steady attempt, after the untimed warm-up', async () => {
    const timePass = playBack([9, 0.21, 0.2, 0.22]);
    const result = await steadyPasses(timePass, { warmupPasses: 1, passes: 3, attempts: 3, ...quietLoad });
    expect(result).toEqual({
      steady: true,
      passSeconds: [0.21, 0.2, 0.22],
      bestSeconds: 0.2,
      spread: expect.closeTo(0.05, 9),
    });
    expect(timePass).toHaveBeenCalledTimes(4);
  });

  it('tries again after a noisy attempt', async () => {
    const timePass = playBack([0.2, 0.3, 0.3, 0.2, 0.2, 0.2]);
    const result = await steadyPasses(timePass, { warmupPasses: 0, passes: 3, attempts: 3, ...quietLoad });
    expect(result).toMatchObject({ steady: true, passSeconds: [0.2, 0.2, 0.2] });
  });

  it('refuses after every attempt spread more than 10%, reporting the quietest', async () => {
    const timePass = playBack([0.2, 0.3, 0.3, 0.2, 0.228, 0.3, 0.2, 0.25, 0.25]);
    const result = await steadyPasses(timePass, { warmupPasses: 0, passes: 3, attempts: 3, ...quietLoad });
    expect(result).toMatchObject({ steady: false, attempts: 3, otherLoad: 0, maxSpread: MAX_SPREAD });
    expect(result.spread).toBeCloseTo(0.14);
    const outcome = figureOf(1e9, result, () => 'unused');
    expect(outcome).toEqual({
      status: 'not-measured',
      reason:
        'not measured: the machine was too noisy (spread 14% at best in 3 attempts; at most 10% is accepted)' +
        ' — run `edge-workbench system --measure-bandwidth` on a quiet machine',
    });
  });

  it('refuses steady passes while other programs keep the cores busy', async () => {
    const timePass = playBack([0.2, 0.2, 0.2, 0.2]);
    const busy = { openLoadWindow: () => () => 0.35 };
    const result = await steadyPasses(timePass, { warmupPasses: 0, passes: 2, attempts: 2, ...busy });
    expect(result).toMatchObject({ steady: false, spread: 0, otherLoad: 0.35 });
    const outcome = figureOf(1e9, result, () => 'unused');
    expect(outcome.status === 'not-measured' && outcome.reason).toContain(
      'too noisy (other programs used 35% of the CPU time at best in 2 attempts; at most 10% is accepted)',
    );
  });

  it('turns a steady set into bytes/s from the best pass, with the spread in the method', async () => {
    const result = await steadyPasses(playBack([0.5, 0.25, 0.26]), {
      warmupPasses: 0,
      passes: 3,
      attempts: 1,
      ...quietLoad,
    });
    expect(figureOf(10e9, result, (spread) => `test read, ${spread}`)).toEqual({
      status: 'measured',
      figure: {
        bytesPerSecond: 40e9,
        method: 'test read, spread 4.0%',
        spread: expect.closeTo(0.04, 9),
        passSeconds: [0.5, 0.25, 0.26],
      },
    });
  });

  it('names a broken timer', async () => {
    await expect(
      steadyPasses(playBack([0]), { warmupPasses: 0, passes: 1, attempts: 1, ...quietLoad }),
    ).rejects.toThrow(/a pass took 0 s/);
  });
});
