import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { useThrottled } from './use-throttled';

describe('useThrottled', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes a burst of changes on at most once per interval, ending with the latest value', async () => {
    const scope = effectScope();
    const source = ref(0);
    const throttled = scope.run(() => useThrottled(() => source.value, 250))!;
    expect(throttled.value).toBe(0);

    source.value = 1;
    await nextTick();
    vi.advanceTimersByTime(0);
    expect(throttled.value).toBe(1); // the first change goes through at once

    for (let step = 2; step <= 20; step += 1) {
      source.value = step;
      await nextTick();
      vi.advanceTimersByTime(10);
    }
    // 190 ms of changes since the first update: still held back
    expect(throttled.value).toBe(1);
    vi.advanceTimersByTime(60);
    expect(throttled.value).toBe(20);
    scope.stop();
  });
});
