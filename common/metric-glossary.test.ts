import { describe, expect, it } from 'vitest';
import { METRIC_GLOSSARY, METRIC_IDS, metricDefinition, metricTitle, type MetricId } from './metric-glossary';

/** Each definition says what the engine measures now (trial schema 2), not what it used to. */
describe('metric definitions', () => {
  const definition = (id: MetricId) => metricDefinition(id);

  it('time sampling apart: in TTFT, out of decode tok/s and per-token latency', () => {
    expect(definition('ttft')).toContain('plus sampling');
    expect(definition('decodeTokensPerSecond')).toContain('sampling excluded');
    expect(definition('perTokenLatency')).toContain('sampling excluded');
    expect(definition('prefillTokensPerSecond')).toContain('prefill run() alone');
    expect(definition('samplingTime')).toContain('reported apart');
    expect(METRIC_IDS.some((id) => definition(id).includes('→ argmax'))).toBe(false);
  });

  it('call the load the first in the process, not cold, and peak RSS the trial’s own', () => {
    expect(definition('loadTime')).toContain('not a cold-disk load');
    expect(definition('loadTime')).not.toMatch(/, cold \(/);
    expect(definition('peakRss')).toContain('VmHWM');
    expect(definition('peakRss')).toContain('resets at exec');
    expect(definition('peakRss')).not.toContain('process.resourceUsage().maxRSS');
    expect(definition('memoryTimeline')).toContain('every 20 ms on Linux, every 250 ms on macOS and Windows');
  });

  it('say what context, depth, fill and KV buffer mean', () => {
    expect(definition('contextDepth')).toContain('C − P − G');
    expect(definition('fill')).toContain('not run through the model');
    expect(definition('fill')).toContain('valid for speed and memory');
    expect(definition('kvBuffer')).toContain('one preallocated buffer per layer');
    expect(definition('parameters')).toContain('learned parameters');
  });

  it('divide the roofline by a streaming read, with the GEMV beside it', () => {
    expect(definition('rooflineBound')).toContain('streaming read on every core');
    expect(definition('rooflineBound')).toContain('GEMV');
    expect(definition('rooflineBound')).toContain('not measured, with the reason');
    expect(definition('logitsCost')).toContain("every position's logits");
    expect(definition('quality')).toContain('real weights only');
    expect(definition('quality')).toContain('needs real weights');
  });

  it('mark code for the reports, and read as plain text on screens', () => {
    expect(METRIC_GLOSSARY.ttft.definition).toContain('prefill `run()` call');
    expect(definition('ttft')).toContain('prefill run() call');
    expect(METRIC_IDS.every((id) => !definition(id).includes('`'))).toBe(true);
    expect(METRIC_GLOSSARY.decodeTokensPerSecond.unit).toBe('tok/s');
  });

  it('title a metric by its name and definition', () => {
    expect(metricTitle('samplingTime')).toBe(`sampling time: ${definition('samplingTime')}`);
  });
});
