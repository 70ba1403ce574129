import { describe, expect, it } from 'vitest';
import { catalogues } from './i18n/i18n.svelte';
import { LANGUAGES } from './i18n/language';
import {
  MINIMUM_SECTIONS,
  PRINT_LANGUAGES,
  REFERRAL_SECTIONS,
  chosenSections,
  sectionKey,
} from './printing';

describe('referral sections', () => {
  it('offers the minimum first and names every section in every language', () => {
    expect(REFERRAL_SECTIONS.slice(0, MINIMUM_SECTIONS.length)).toStrictEqual([...MINIMUM_SECTIONS]);
    for (const language of LANGUAGES) {
      for (const section of REFERRAL_SECTIONS) {
        expect(catalogues[language][sectionKey(section)], `${language} ${section}`).toBeTruthy();
      }
      for (const printed of PRINT_LANGUAGES) {
        expect(catalogues[language][printed.key]).toBeTruthy();
      }
    }
  });

  it('keeps the chosen sections in print order, each once', () => {
    expect(chosenSections(new Set(['notes', 'identity', 'referral']))).toStrictEqual([
      'identity',
      'referral',
      'notes',
    ]);
    expect(chosenSections(new Set())).toStrictEqual([]);
  });
});
