// The administrator's idle-timeout field: minutes on screen, seconds in the core.

export const MIN_IDLE_MINUTES = 1;
export const MAX_IDLE_MINUTES = 240;

/** The minutes typed, if they are a whole number in range; otherwise null. */
export function parseIdleMinutes(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const minutes = Number(trimmed);
  return minutes >= MIN_IDLE_MINUTES && minutes <= MAX_IDLE_MINUTES ? minutes : null;
}

/** The whole minutes to show for a timeout the core holds in seconds (maybe not whole minutes). */
export function minutesForField(seconds: number): number {
  const minutes = Math.round(seconds / 60);
  return Math.min(MAX_IDLE_MINUTES, Math.max(MIN_IDLE_MINUTES, minutes));
}
