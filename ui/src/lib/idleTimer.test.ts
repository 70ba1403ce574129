import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_EVENTS, createActivityReporter, createIdleTimer, watchActivity } from './idleTimer';
import type { Clock } from './timers';

describe('createIdleTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls onIdle once the timeout passes without activity, and only once', () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 5 * 60_000, onIdle });
    timer.start();
    vi.advanceTimersByTime(5 * 60_000 - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(timer.running).toBe(false);
    vi.advanceTimersByTime(60 * 60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('counts again from each activity', () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 10_000, onIdle });
    timer.start();
    vi.advanceTimersByTime(9_000);
    timer.activity();
    vi.advanceTimersByTime(9_000);
    timer.activity();
    vi.advanceTimersByTime(9_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('keeps at most one timer pending however much activity there is', () => {
    const timer = createIdleTimer({ timeoutMs: 10_000, onIdle: () => {} });
    timer.start();
    for (let i = 0; i < 1000; i += 1) {
      vi.advanceTimersByTime(5);
      timer.activity();
    }
    expect(vi.getTimerCount()).toBe(1);
  });

  it('does nothing after stop, and starts afresh', () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 10_000, onIdle });
    timer.start();
    vi.advanceTimersByTime(8_000);
    timer.stop();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);

    timer.start();
    vi.advanceTimersByTime(9_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('ignores activity while stopped', () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 10_000, onIdle });
    timer.activity();
    expect(vi.getTimerCount()).toBe(0);
    expect(timer.running).toBe(false);
  });

  it('applies a shorter timeout at once, counting the time already idle', () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 300_000, onIdle });
    timer.start();
    vi.advanceTimersByTime(20_000);
    timer.setTimeoutMs(30_000);
    vi.advanceTimersByTime(9_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('locks at once when the new timeout has already passed', () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 300_000, onIdle });
    timer.start();
    vi.advanceTimersByTime(60_000);
    timer.setTimeoutMs(10_000);
    vi.advanceTimersByTime(0);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('locks on the first timer after a sleep longer than the timeout', () => {
    // A hand-driven clock: time jumps (the laptop slept) without the timer firing in between.
    let now = 0;
    const pending: Array<{ at: number; run: () => void }> = [];
    const clock: Clock = {
      now: () => now,
      setTimeout: (run, ms) => {
        const entry = { at: now + ms, run };
        pending.push(entry);
        return entry;
      },
      clearTimeout: (handle) => {
        const index = pending.indexOf(handle as (typeof pending)[number]);
        if (index >= 0) pending.splice(index, 1);
      },
    };
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 60_000, onIdle, clock });
    timer.start();
    expect(pending.map((entry) => entry.at)).toStrictEqual([60_000]);
    now = 10 * 60_000;
    pending.shift()?.run();
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(pending).toStrictEqual([]);
  });
});

describe('watchActivity', () => {
  it('reports each kind of activity until stopped', () => {
    const target = new EventTarget();
    const onActivity = vi.fn();
    const stop = watchActivity(target, onActivity);
    for (const type of ACTIVITY_EVENTS) target.dispatchEvent(new Event(type));
    expect(onActivity).toHaveBeenCalledTimes(ACTIVITY_EVENTS.length);
    expect(ACTIVITY_EVENTS).toEqual(
      expect.arrayContaining(['mousemove', 'keydown', 'touchstart', 'wheel']),
    );

    stop();
    target.dispatchEvent(new Event('keydown'));
    expect(onActivity).toHaveBeenCalledTimes(ACTIVITY_EVENTS.length);
  });

  it('does not count other events', () => {
    const target = new EventTarget();
    const onActivity = vi.fn();
    const stop = watchActivity(target, onActivity);
    target.dispatchEvent(new Event('focus'));
    expect(onActivity).not.toHaveBeenCalled();
    stop();
  });
});

describe('createActivityReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports the first activity at once and then at most once a second', () => {
    const report = vi.fn(() => Promise.resolve(null));
    const reporter = createActivityReporter({ report });
    reporter.activity();
    expect(report).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(100);
      reporter.activity();
    }
    expect(report).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100);
    reporter.activity();
    expect(report).toHaveBeenCalledTimes(2);
  });

  it('reports again at the next activity after a report failed', async () => {
    const report = vi.fn(() => Promise.reject(new Error('locked')));
    const reporter = createActivityReporter({ report });
    reporter.activity();
    await Promise.resolve();
    await Promise.resolve();
    reporter.activity();
    expect(report).toHaveBeenCalledTimes(2);
  });
});
