// The check of every page of the vault that the core starts after each unlock: asked about until
// it has finished, so that the app can show damage as soon as it is found. The clock is passed
// in so tests drive time themselves.

import type { IntegrityStatus } from './ipc';
import { systemClock, type Clock } from './timers';

/** How often a running check is asked about. */
export const POLL_MS = 2_000;

/**
 * Asks `fetch` for the status until the check has finished, telling `onStatus` each answer.
 * Returns a function that stops asking (the screen went away, or Hearth locked). A failed ask
 * stops quietly: the About screen asks again when it is opened.
 */
export function watchIntegrity(
  fetch: () => Promise<IntegrityStatus | null>,
  onStatus: (status: IntegrityStatus | null) => void,
  clock: Clock = systemClock,
): () => void {
  let stopped = false;
  let timer: unknown = null;
  const ask = async () => {
    timer = null;
    let status: IntegrityStatus | null;
    try {
      status = await fetch();
    } catch {
      return;
    }
    if (stopped) return;
    onStatus(status);
    if (status?.state === 'running') timer = clock.setTimeout(() => void ask(), POLL_MS);
  };
  void ask();
  return () => {
    stopped = true;
    if (timer !== null) clock.clearTimeout(timer);
  };
}
