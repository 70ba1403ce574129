import { describe, expect, it } from 'vitest';
import { formatInstant, isDueBy, isIsoDate, todayIso } from './dates';

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
