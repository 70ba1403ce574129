import { afterEach, describe, expect, it } from 'vitest';
import { duplicateQueryOf, duplicateText, sameDuplicateQuery } from './duplicateCheck';
import { setUiLanguage } from './i18n/i18n.svelte';
import type { PossibleDuplicate } from './ipc';
import { emptyFormValues } from './recordForm';
import { INTAKE_FIELDS } from './caseSections';

function intake(text: Record<string, string>, aliases: string[] = []) {
  const values = emptyFormValues(INTAKE_FIELDS);
  Object.assign(values.text, text);
  values.lists.aliases = aliases;
  return values;
}

afterEach(() => setUiLanguage('en'));

describe('duplicateQueryOf', () => {
  it('asks nothing until a name is typed', () => {
    expect(duplicateQueryOf(intake({ birth_date: '2001-04-02' }))).toBeNull();
    expect(duplicateQueryOf(intake({ given_name: '  ' }, [' ']))).toBeNull();
  });

  it('sends the names, aliases and a birth date or age that can be read', () => {
    expect(
      duplicateQueryOf(intake({ given_name: ' Lejla ', family_name: 'Hoxha', birth_date: '2001-04-02' }, ['Leja', ''])),
    ).toStrictEqual({
      given_name: 'Lejla',
      family_name: 'Hoxha',
      aliases: ['Leja'],
      birth_date: '2001-04-02',
      estimated_age: null,
    });
    expect(duplicateQueryOf(intake({ family_name: 'Hoxha', birth_date: '2001-04', estimated_age: '25' }))).toMatchObject({
      given_name: null,
      birth_date: null,
      estimated_age: 25,
    });
    expect(duplicateQueryOf(intake({ family_name: 'Hoxha', estimated_age: '2x' }))?.estimated_age).toBeNull();
  });

  it('knows when a keystroke changed nothing it asks about', () => {
    const a = duplicateQueryOf(intake({ given_name: 'Lejla' }));
    const b = duplicateQueryOf(intake({ given_name: 'Lejla ', gender: 'Feminine' }));
    expect(sameDuplicateQuery(a, b)).toBe(true);
    expect(sameDuplicateQuery(a, duplicateQueryOf(intake({ given_name: 'Lejl' })))).toBe(false);
  });
});

describe('duplicateText', () => {
  const duplicate: PossibleDuplicate = {
    id: '0123456789abcdef0123456789abcdef',
    number: 'TIR-2026-0042',
    given_name: 'Lejla',
    family_name: 'Hoxha',
    birth_year: 2001,
    status: 'Active',
    names_matched: 2,
    years_apart: 1,
  };

  it('names the case, the person and the birth year in the UI language', () => {
    expect(duplicateText(duplicate)).toBe('TIR-2026-0042 · Lejla Hoxha · born 2001');
    setUiLanguage('sq');
    expect(duplicateText(duplicate)).toBe('TIR-2026-0042 · Lejla Hoxha · lindur më 2001');
  });

  it('leaves out what is not known', () => {
    expect(duplicateText({ ...duplicate, family_name: null, birth_year: null })).toBe('TIR-2026-0042 · Lejla');
  });
});
