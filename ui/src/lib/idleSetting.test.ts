import { describe, expect, it } from 'vitest';
import { minutesForField, parseIdleMinutes } from './idleSetting';

describe('parseIdleMinutes', () => {
  it('accepts whole minutes from 1 to 240', () => {
    expect(parseIdleMinutes('1')).toBe(1);
    expect(parseIdleMinutes(' 5 ')).toBe(5);
    expect(parseIdleMinutes('240')).toBe(240);
  });

  it('refuses anything else', () => {
    for (const text of ['', '0', '241', '2.5', '-3', '5 min', '1e2', 'five', '00000010']) {
      expect(parseIdleMinutes(text), text).toBeNull();
    }
  });
});

describe('minutesForField', () => {
  it('shows the timeout in whole minutes within the allowed range', () => {
    expect(minutesForField(300)).toBe(5);
    expect(minutesForField(90)).toBe(2);
    expect(minutesForField(10)).toBe(1);
    expect(minutesForField(14_400)).toBe(240);
  });
});
