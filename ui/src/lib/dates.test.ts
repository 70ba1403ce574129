import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDay, formatInstant, isDueBy, isIsoDate, localDayStartMs, todayIso } from './dates';

describe('todayIso', () => {
  it('writes the local calendar day with zero-padded month and day', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(todayIso(new Date(2026, 10, 28, 0, 0))).toBe('2026-11-28');
  });
});

describe('isIsoDate', () => {
  it('accepts real days in the years the core accepts', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('1900-01-01')).toBe(true);
    expect(isIsoDate('2999-12-31')).toBe(true);
  });

  it('refuses other shapes and days that do not exist', () => {
    for (const text of [
      '2023-02-29',
      '2026-13-01',
      '2026-04-31',
      '2026-00-10',
      '1899-12-31',
      '3000-01-01',
      '2026-1-5',
      '05.01.2026',
      ' 2026-01-05',
      '',
    ]) {
      expect(isIsoDate(text), text).toBe(false);
    }
  });
});

describe('isDueBy', () => {
  it('counts a follow-up due today or earlier as due', () => {
    expect(isDueBy('2026-11-27', '2026-11-28')).toBe(true);
    expect(isDueBy('2026-11-28', '2026-11-28')).toBe(true);
    expect(isDueBy('2026-11-29', '2026-11-28')).toBe(false);
  });
});

describe('formatInstant', () => {
  it('writes the date and time in the language asked', () => {
    const ms = Date.UTC(2026, 10, 28, 12, 0);
    expect(formatInstant(ms, 'en')).toMatch(/2026/);
    expect(formatInstant(ms, 'en')).not.toBe(formatInstant(ms, 'sq'));
  });
});

describe('localDayStartMs', () => {
  // Node reads TZ again when it changes.
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('starts a day at midnight on this computer’s calendar, not in UTC', () => {
    vi.stubEnv('TZ', 'Europe/Tirane');
    // Winter: one hour ahead of UTC; summer: two.
    expect(localDayStartMs('2026-03-11')).toBe(Date.UTC(2026, 2, 10, 23));
    expect(localDayStartMs('2026-07-01')).toBe(Date.UTC(2026, 5, 30, 22));
    // The day the clocks go forward has 23 hours.
    expect(localDayStartMs('2026-03-29', 1)! - localDayStartMs('2026-03-29')!).toBe(23 * 3600_000);
    vi.stubEnv('TZ', 'UTC');
    expect(localDayStartMs('2026-03-11')).toBe(Date.UTC(2026, 2, 11));
  });

  it('gives the day after, across a month’s end', () => {
    vi.stubEnv('TZ', 'UTC');
    expect(localDayStartMs('2026-01-31', 1)).toBe(Date.UTC(2026, 1, 1));
  });

  it('gives null for what is not a day', () => {
    expect(localDayStartMs('')).toBeNull();
    expect(localDayStartMs('2026-02-30')).toBeNull();
    expect(localDayStartMs('11/03/2026')).toBeNull();
  });
});

describe('formatDay', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes a day as people of each language do, the same day in every time zone', () => {
    for (const zone of ['Pacific/Kiritimati', 'America/Adak']) {
      vi.stubEnv('TZ', zone);
      expect(formatDay('2025-03-14', 'en')).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2025, 2, 14, 12)));
      expect(formatDay('2025-03-14', 'en')).toMatch(/14/);
      expect(formatDay('2025-03-14', 'sr')).toMatch(/14/);
    }
    expect(formatDay('2025-03-14', 'sq')).not.toBe(formatDay('2025-03-14', 'en'));
  });

  it('leaves what is not a day as it is', () => {
    expect(formatDay('2025-02-30', 'en')).toBe('2025-02-30');
  });
});
