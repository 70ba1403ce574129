import { describe, expect, it, vi } from 'vitest';
import type { IntegrityStatus } from './ipc';
import { POLL_MS, watchIntegrity } from './integrity';

function fakeClock() {
  const pending: Array<{ at: number; run: () => void }> = [];
  let now = 0;
  return {
    clock: {
      now: () => now,
      setTimeout: (run: () => void, ms: number) => {
        const entry = { at: now + ms, run };
        pending.push(entry);
        return entry;
      },
      clearTimeout: (handle: unknown) => {
        const index = pending.indexOf(handle as (typeof pending)[number]);
        if (index >= 0) pending.splice(index, 1);
      },
    },
    async advance(ms: number) {
      now += ms;
      for (const entry of pending.filter((e) => e.at <= now)) {
        pending.splice(pending.indexOf(entry), 1);
        entry.run();
      }
      await Promise.resolve();
      await Promise.resolve();
    },
    pending,
  };
}

const flush = async () => {
  await Promise.resolve();
  await Promise.resolve();
};

describe('watchIntegrity', () => {
  it('asks until the check has finished, then stops', async () => {
    const answers: IntegrityStatus[] = [
      { state: 'running' },
      { state: 'running' },
      { state: 'damaged', problems: 2, first: 'HMAC verification failed for page 7' },
    ];
    const fetch = vi.fn(async () => answers.shift() ?? null);
    const seen: Array<IntegrityStatus | null> = [];
    const time = fakeClock();
    watchIntegrity(fetch, (status) => seen.push(status), time.clock);
    await flush();
    expect(seen).toStrictEqual([{ state: 'running' }]);
    await time.advance(POLL_MS);
    await time.advance(POLL_MS);
    expect(seen.at(-1)).toStrictEqual({
      state: 'damaged',
      problems: 2,
      first: 'HMAC verification failed for page 7',
    });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(time.pending).toHaveLength(0);
  });

  it('stops asking once stopped (Hearth locked)', async () => {
    const fetch = vi.fn(async (): Promise<IntegrityStatus> => ({ state: 'running' }));
    const time = fakeClock();
    const stop = watchIntegrity(fetch, () => {}, time.clock);
    await flush();
    stop();
    await time.advance(POLL_MS * 3);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('stops quietly when asking fails', async () => {
    const fetch = vi.fn(async () => {
      throw new Error('locked');
    });
    const seen: unknown[] = [];
    const time = fakeClock();
    watchIntegrity(fetch, (status) => seen.push(status), time.clock);
    await flush();
    await time.advance(POLL_MS * 2);
    expect(seen).toHaveLength(0);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
