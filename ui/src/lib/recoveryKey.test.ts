import { describe, expect, it } from 'vitest';
import {
  groupMatches,
  normaliseGroupAnswer,
  pickGroupNumber,
  recoveryGroups,
  secureRandomIndex,
} from './recoveryKey';

const KEY = '123456-234567-345678-456789-567890-678901-789012-890123';

describe('recoveryGroups', () => {
  it('splits the written form into its eight groups', () => {
    const groups = recoveryGroups(KEY);
    expect(groups).toHaveLength(8);
    expect(groups[0]).toBe('123456');
    expect(groups[7]).toBe('890123');
  });

  it('accepts spaces too and ignores stray separators', () => {
    expect(recoveryGroups(' 111111 222222--333333 ')).toStrictEqual(['111111', '222222', '333333']);
  });
});

describe('pickGroupNumber', () => {
  it('maps the random index to a 1-based group number', () => {
    expect(pickGroupNumber(8, () => 0)).toBe(1);
    expect(pickGroupNumber(8, () => 7)).toBe(8);
    expect(pickGroupNumber(8, () => 4)).toBe(5);
  });

  it('asks the random source for an index below the group count', () => {
    const asked: number[] = [];
    pickGroupNumber(8, (count) => {
      asked.push(count);
      return 0;
    });
    expect(asked).toStrictEqual([8]);
  });

  it('never asks for the group it asked last time', () => {
    for (let avoid = 1; avoid <= 8; avoid += 1) {
      const reachable = new Set<number>();
      for (let index = 0; index < 7; index += 1)
        reachable.add(pickGroupNumber(8, () => index, avoid));
      expect(reachable.has(avoid)).toBe(false);
      expect(reachable.size).toBe(7);
    }
  });

  it('stays in range with the real generator', () => {
    for (let i = 0; i < 200; i += 1) {
      const picked = pickGroupNumber(8);
      expect(picked).toBeGreaterThanOrEqual(1);
      expect(picked).toBeLessThanOrEqual(8);
    }
  });
});

describe('secureRandomIndex', () => {
  it('reaches every index', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 500; i += 1) seen.add(secureRandomIndex(8));
    expect([...seen].sort()).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses an empty range', () => {
    expect(() => secureRandomIndex(0)).toThrow(RangeError);
  });
});

describe('groupMatches', () => {
  it('accepts the asked group, typed as written', () => {
    expect(groupMatches(KEY, 5, '567890')).toBe(true);
  });

  it('forgives spaces and dashes added while copying', () => {
    expect(normaliseGroupAnswer(' 567 890 ')).toBe('567890');
    expect(groupMatches(KEY, 5, '567-890')).toBe(true);
    expect(groupMatches(KEY, 5, ' 567 890\n')).toBe(true);
  });

  it('refuses a different group of the same key', () => {
    expect(groupMatches(KEY, 5, '456789')).toBe(false);
  });

  it('refuses a single wrong or missing digit, and an empty answer', () => {
    expect(groupMatches(KEY, 5, '567891')).toBe(false);
    expect(groupMatches(KEY, 5, '56789')).toBe(false);
    expect(groupMatches(KEY, 5, '5678900')).toBe(false);
    expect(groupMatches(KEY, 5, '')).toBe(false);
  });

  it('refuses a group number the key does not have', () => {
    expect(groupMatches(KEY, 0, '123456')).toBe(false);
    expect(groupMatches(KEY, 9, '123456')).toBe(false);
  });
});
