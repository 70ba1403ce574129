// Locks Hearth after a time without activity. One timer at a time: activity only records when it
// happened, and the timer, when it fires early, sleeps for the time still left. So a mouse move
// costs one Date.now() rather than clearing and setting a timer, and a laptop that slept past the
// timeout locks as soon as it wakes.

import { systemClock, type Clock } from './timers';

/** What counts as someone using Hearth. */
export const ACTIVITY_EVENTS = [
  'mousemove',
  'mousedown',
  'keydown',
  'touchstart',
  'wheel',
  'pointerdown',
] as const;

export interface IdleTimer {
  /** Starts (or restarts) counting from now. */
  start(): void;
  /** Someone did something: count from now. Ignored while stopped. */
  activity(): void;
  /** Changes the timeout; the time already idle counts towards the new one. */
  setTimeoutMs(timeoutMs: number): void;
  /** Stops counting; onIdle will not be called until start(). */
  stop(): void;
  readonly running: boolean;
}

export function createIdleTimer(options: {
  timeoutMs: number;
  onIdle: () => void;
  clock?: Clock;
}): IdleTimer {
  const clock = options.clock ?? systemClock;
  let timeoutMs = options.timeoutMs;
  let lastActivity = clock.now();
  let handle: unknown = null;
  let running = false;

  function clear() {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  }

  function schedule(ms: number) {
    clear();
    handle = clock.setTimeout(check, Math.max(0, ms));
  }

  function check() {
    handle = null;
    if (!running) return;
    const idleFor = clock.now() - lastActivity;
    if (idleFor >= timeoutMs) {
      running = false;
      options.onIdle();
    } else {
      schedule(timeoutMs - idleFor);
    }
  }

  return {
    start() {
      running = true;
      lastActivity = clock.now();
      schedule(timeoutMs);
    },
    activity() {
      if (running) lastActivity = clock.now();
    },
    setTimeoutMs(ms: number) {
      timeoutMs = ms;
      if (running) schedule(timeoutMs - (clock.now() - lastActivity));
    },
    stop() {
      running = false;
      clear();
    },
    get running() {
      return running;
    },
  };
}

/** Calls `onActivity` on each activity event reaching `target`; returns what stops it. */
export function watchActivity(target: EventTarget, onActivity: () => void): () => void {
  const listener = () => onActivity();
  // Capture phase, so an element that stops propagation still counts as activity.
  const options = { capture: true, passive: true } as const;
  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, listener, options);
  return () => {
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, listener, options);
  };
}

/**
 * Passes activity on to the core, at most once per `intervalMs`: the core holds the idle deadline
 * that really locks the vault (a frozen page cannot keep it open), and the first activity after a
 * quiet interval is reported at once, so the core's deadline is never more than `intervalMs`
 * behind this page's. A failed report is dropped: the next activity reports again.
 */
export function createActivityReporter(options: {
  report: () => Promise<unknown>;
  intervalMs?: number;
  clock?: Clock;
}): { activity(): void } {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 1000;
  let lastReport = -Infinity;
  return {
    activity() {
      const now = clock.now();
      if (now - lastReport < intervalMs) return;
      lastReport = now;
      options.report().catch(() => {
        lastReport = -Infinity;
      });
    },
  };
}
