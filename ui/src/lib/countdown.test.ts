import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCountdown } from './countdown';

describe('startCountdown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks each second down to 0 and then stops', () => {
    const ticks: number[] = [];
    startCountdown(3, (left) => ticks.push(left));
    expect(ticks).toStrictEqual([3]);
    vi.advanceTimersByTime(1000);
    expect(ticks).toStrictEqual([3, 2]);
    vi.advanceTimersByTime(2000);
    expect(ticks).toStrictEqual([3, 2, 1, 0]);
    vi.advanceTimersByTime(10_000);
    expect(ticks).toStrictEqual([3, 2, 1, 0]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops when asked', () => {
    const ticks: number[] = [];
    const countdown = startCountdown(30, (left) => ticks.push(left));
    vi.advanceTimersByTime(1000);
    countdown.stop();
    vi.advanceTimersByTime(60_000);
    expect(ticks).toStrictEqual([30, 29]);
  });

  it('reports 0 at once for no wait', () => {
    const ticks: number[] = [];
    startCountdown(0, (left) => ticks.push(left));
    expect(ticks).toStrictEqual([0]);
  });
});
