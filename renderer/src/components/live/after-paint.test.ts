import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterPaint } from './after-paint';

describe('afterPaint', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) =>
      setTimeout(() => callback(performance.now()), 16),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('runs each job in a task of its own after a frame, in the order they came; a cancelled one never runs', () => {
    const ran: string[] = [];
    afterPaint(() => ran.push('latency chart'));
    const cancel = afterPaint(() => ran.push('cancelled'));
    afterPaint(() => ran.push('memory chart'));
    cancel();
    expect(ran).toEqual([]); // not in the task that asked: the screen paints first

    vi.advanceTimersByTime(16); // the frame
    vi.advanceTimersToNextTimer(); // the task after it
    expect(ran).toEqual(['latency chart']);
    vi.advanceTimersByTime(16);
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['latency chart', 'memory chart']);
  });
});
