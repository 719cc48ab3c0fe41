import { describe, expect, it } from 'vitest';
import { LatencyGoalSchema } from '../api';
import { parseGoal } from './analysis-command-options';

describe('parseGoal', () => {
  it('reads decode and TTFT goals, with or without units and a prompt length', () => {
    expect(parseGoal('decode>=10,ttft<=1000@1024')).toEqual({
      minDecodeTokensPerSecond: 10,
      maxTtftMs: 1000,
      ttftPromptTokens: 1024,
    });
    expect(parseGoal(' ttft <= 250ms , decode >= 7.5tok/s ')).toEqual({
      minDecodeTokensPerSecond: 7.5,
      maxTtftMs: 250,
    });
    expect(LatencyGoalSchema.parse(parseGoal('decode>=12'))).toEqual({ minDecodeTokensPerSecond: 12 });
  });

  it.each([
    ['', /The goal is empty/],
    ['decode>10', /"decode>10": decode takes >= \(at least so many tok\/s\)/],
    ['decode>=fast', /"decode>=fast": "fast" is not a positive number of tok\/s/],
    ['decode>=0', /"decode>=0": "0" is not a positive number/],
    ['ttft>=100', /"ttft>=100": ttft takes <=/],
    ['ttft<=100@abc', /"ttft<=100@abc": after @ comes the prompt length in whole tokens/],
    ['ttft<=100@1@2', /after @ comes the prompt length/],
    ['decode>=10,decode>=20', /"decode>=20": the decode goal is given twice/],
    ['memory<=4GB', /"memory<=4GB" is not a goal: it must start with decode or ttft/],
  ])('refuses %j, naming the bad part', (text, message) => {
    expect(() => parseGoal(text)).toThrow(message);
  });
});
