import { describe, expect, it } from 'vitest';
import { caseOptionLabel, casePickerQuery, CASE_PICKER_SIZE, nextActiveOption, pickedCase } from './casePicker';
import type { CaseSummary } from './ipc';

function summary(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: '0123456789abcdef0123456789abcdef',
    number: 'TIR-2026-0042',
    given_name: 'Lejla',
    family_name: 'Hoxha',
    status: 'Open',
    risk_level: null,
    owner: null,
    owner_name: null,
    date_identified: null,
    updated_ms: 0,
    next_follow_up: null,
    ...overrides,
  };
}

describe('casePickerQuery', () => {
  it('asks for the first few matches of what was typed, newest first', () => {
    expect(casePickerQuery('  lejla ')).toMatchObject({
      text: 'lejla',
      page: 0,
      page_size: CASE_PICKER_SIZE,
      sort: 'updated',
      status: null,
      follow_ups_due: false,
    });
  });

  it('asks nothing for an empty box', () => {
    expect(casePickerQuery('   ')).toBeNull();
  });
});

describe('caseOptionLabel', () => {
  it('names a case by its number and its person', () => {
    expect(caseOptionLabel(summary())).toBe('TIR-2026-0042 · Lejla Hoxha');
    expect(caseOptionLabel(summary({ family_name: null }))).toBe('TIR-2026-0042 · Lejla');
  });

  it('falls back to the number when no name may be shown', () => {
    expect(caseOptionLabel(summary({ given_name: null, family_name: ' ' }))).toBe('TIR-2026-0042');
  });

  it('keeps the id for the core', () => {
    expect(pickedCase(summary())).toStrictEqual({
      id: '0123456789abcdef0123456789abcdef',
      label: 'TIR-2026-0042 · Lejla Hoxha',
    });
  });
});

describe('nextActiveOption', () => {
  it('moves down and up, wrapping round', () => {
    expect(nextActiveOption(-1, 'ArrowDown', 3)).toBe(0);
    expect(nextActiveOption(2, 'ArrowDown', 3)).toBe(0);
    expect(nextActiveOption(0, 'ArrowUp', 3)).toBe(2);
    expect(nextActiveOption(-1, 'ArrowUp', 3)).toBe(2);
    expect(nextActiveOption(1, 'Home', 3)).toBe(0);
    expect(nextActiveOption(1, 'End', 3)).toBe(2);
  });

  it('has nothing to move to in an empty list, and ignores other keys', () => {
    expect(nextActiveOption(0, 'ArrowDown', 0)).toBe(-1);
    expect(nextActiveOption(1, 'a', 3)).toBe(1);
  });
});
