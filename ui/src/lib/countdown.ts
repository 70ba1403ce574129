// A once-a-second countdown to a moment, for "you can try again in 45 s". It counts from the clock,
// not from the number of ticks, so a slow or throttled timer still shows the right time.

import { systemClock, type Clock } from './timers';

export interface Countdown {
  stop(): void;
}

/**
 * Calls onTick with the whole seconds left, now and then each second, ending with 0.
 */
export function startCountdown(
  seconds: number,
  onTick: (secondsLeft: number) => void,
  clock: Clock = systemClock,
): Countdown {
  const endsAt = clock.now() + Math.max(0, seconds) * 1000;
  let handle: unknown = null;
  let stopped = false;

  function tick() {
    handle = null;
    if (stopped) return;
    const leftMs = endsAt - clock.now();
    const left = Math.max(0, Math.ceil(leftMs / 1000));
    onTick(left);
    if (left > 0) {
      // Wake just after the next whole second boundary.
      handle = clock.setTimeout(tick, leftMs - (left - 1) * 1000);
    }
  }

  tick();
  return {
    stop() {
      stopped = true;
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
    },
  };
}
