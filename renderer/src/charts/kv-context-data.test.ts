import { describe, expect, it } from 'vitest';
import { STANDARD_CONTEXTS_TOKENS as KV_CONTEXTS } from '../../../common/contexts';
import { formatContext as contextLabel } from '../../../common/number-format';
import { kvContextData, kvContextSeries } from './kv-context-data';
import { depthRun, measuredOf, smolRun } from '../../test/compare-runs';

describe('KV cache vs context data', () => {
  it('labels 512 … 32K', () => {
    expect(KV_CONTEXTS.map(contextLabel)).toEqual(['512', '1K', '2K', '4K', '8K', '16K', '32K']);
  });

  it('has one series per model × KV dtype, from the documents’ bytes per token', () => {
    const series = kvContextSeries(measuredOf(depthRun(), smolRun()));
    expect(series).toEqual([
      // 2 · 15 layers · 3 kv heads · 64 head dim · 4 bytes; fp32 and int4 share the cache
      { label: 'mobilellm-r1-140m · KV float32', bytesPerToken: 23_040, maxContextTokens: 32_768 },
      { label: 'smollm2-135m · KV float16', bytesPerToken: 23_040, maxContextTokens: 8192 },
    ]);
  });

  it('multiplies bytes per token by the context, with no point past the model’s maximum', () => {
    const data = kvContextData(measuredOf(depthRun(), smolRun()));
    expect(data.datasets[0]!.data).toEqual(KV_CONTEXTS.map((tokens) => 23_040 * tokens));
    expect(data.datasets[0]!.data.at(-1)).toBe(754_974_720); // 720 MiB at 32K
    expect(data.datasets[1]!.data).toEqual([
      23_040 * 512,
      23_040 * 1024,
      23_040 * 2048,
      23_040 * 4096,
      23_040 * 8192,
      null,
      null,
    ]);
  });
});
