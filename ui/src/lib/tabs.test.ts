import { describe, expect, it } from 'vitest';
import { tabAfterKey } from './tabs';

describe('tabAfterKey', () => {
  it('moves with the arrows and wraps around', () => {
    expect(tabAfterKey('ArrowRight', 0, 8)).toBe(1);
    expect(tabAfterKey('ArrowRight', 7, 8)).toBe(0);
    expect(tabAfterKey('ArrowLeft', 0, 8)).toBe(7);
    expect(tabAfterKey('ArrowLeft', 3, 8)).toBe(2);
  });

  it('goes to the ends with Home and End', () => {
    expect(tabAfterKey('Home', 5, 8)).toBe(0);
    expect(tabAfterKey('End', 2, 8)).toBe(7);
  });

  it('leaves other keys alone', () => {
    expect(tabAfterKey('Enter', 2, 8)).toBeNull();
    expect(tabAfterKey('a', 2, 8)).toBeNull();
    expect(tabAfterKey('ArrowRight', 0, 0)).toBeNull();
  });
});
