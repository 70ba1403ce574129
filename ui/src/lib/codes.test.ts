import { describe, expect, it } from 'vitest';
import { codeLabel, codeOptions } from './codes';
import type { CodeLists } from './ipc';

const lists: CodeLists = {
  gender: {
    source: 'HTCDS 2.0 prs_Gender',
    values: [
      { code: 'Masculine', en: 'Masculine', sq: 'Mashkullore', sr: 'Muški' },
      { code: 'Feminine', en: 'Feminine', sq: 'Femërore', sr: 'Ženski' },
    ],
  },
  country: {
    source: 'ISO 3166-1',
    values: [
      { code: 'AL', en: 'Albania', sq: 'Shqipëri', sr: 'Albanija' },
      { code: 'DE', en: 'Germany', sq: 'Gjermani', sr: 'Nemačka' },
      { code: 'RS', en: 'Serbia', sq: 'Serbi', sr: 'Srbija' },
      { code: 'XK', en: 'Kosovo', sq: 'Kosovë', sr: 'Kosovo' },
      { code: 'CH', en: 'Switzerland', sq: 'Zvicër', sr: 'Švajcarska' },
    ],
  },
};

describe('codeLabel', () => {
  it('gives the label in the language asked', () => {
    expect(codeLabel(lists, 'gender', 'Feminine', 'en')).toBe('Feminine');
    expect(codeLabel(lists, 'gender', 'Feminine', 'sq')).toBe('Femërore');
    expect(codeLabel(lists, 'country', 'DE', 'sr')).toBe('Nemačka');
  });

  it('shows the code when the list or the code is unknown, or nothing is loaded', () => {
    expect(codeLabel(lists, 'gender', 'Other', 'en')).toBe('Other');
    expect(codeLabel(lists, 'no_such_list', 'X', 'en')).toBe('X');
    expect(codeLabel(null, 'gender', 'Feminine', 'en')).toBe('Feminine');
  });
});

describe('codeOptions', () => {
  it('keeps the order the list gives for vocabularies', () => {
    expect(codeOptions(lists, 'gender', 'sr').map((option) => option.label)).toStrictEqual([
      'Muški',
      'Ženski',
    ]);
  });

  it('sorts countries by their label in the language on screen', () => {
    expect(codeOptions(lists, 'country', 'en').map((option) => option.code)).toStrictEqual([
      'AL',
      'DE',
      'XK',
      'RS',
      'CH',
    ]);
    // Serbian sorts Š after S, not with it: Srbija, Švajcarska.
    expect(codeOptions(lists, 'country', 'sr').map((option) => option.label)).toStrictEqual([
      'Albanija',
      'Kosovo',
      'Nemačka',
      'Srbija',
      'Švajcarska',
    ]);
  });

  it('gives nothing for an unknown list or before the lists arrive', () => {
    expect(codeOptions(lists, 'nope', 'en')).toStrictEqual([]);
    expect(codeOptions(null, 'gender', 'en')).toStrictEqual([]);
  });
});
