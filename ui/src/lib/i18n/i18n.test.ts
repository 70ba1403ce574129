import { afterEach, describe, expect, it, vi } from 'vitest';
import { en, type MessageKey } from './en';
import {
  catalogues,
  currentLanguage,
  format,
  formatDuration,
  placeholders,
  setUiLanguage,
  t,
} from './i18n.svelte';
import {
  initialLanguage,
  isLanguage,
  LANGUAGES,
  languageAfterUnlock,
  storedLanguage,
  storeLanguage,
} from './language';

const englishKeys = Object.keys(en).sort();

describe('catalogues', () => {
  it('exist for every language and no other', () => {
    expect(Object.keys(catalogues).sort()).toStrictEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s has exactly the keys English has', (language) => {
    const keys = Object.keys(catalogues[language]).sort();
    const missing = englishKeys.filter((key) => !keys.includes(key));
    const extra = keys.filter((key) => !englishKeys.includes(key));
    expect({ missing, extra }).toStrictEqual({ missing: [], extra: [] });
  });

  it.each(LANGUAGES)('%s uses the same {placeholders} as English in every text', (language) => {
    const catalogue = catalogues[language] as Record<string, string>;
    const differing = englishKeys.filter((key) => {
      const text = catalogue[key];
      return (
        text === undefined ||
        placeholders(text).join() !== placeholders(en[key as MessageKey]).join()
      );
    });
    expect(differing).toStrictEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty text and nothing marked as to do', (language) => {
    const bad = Object.entries(catalogues[language]).filter(
      ([, text]) => text.trim() === '' || /\bTODO\b|\bFIXME\b|\bXXX\b/.test(text),
    );
    expect(bad).toStrictEqual([]);
  });

  it('sq and sr translate every text except names, units and shortcuts', () => {
    const sameEverywhere = new Set([
      'app.name',
      'language.en',
      'language.sq',
      'language.sr',
      'duration.seconds',
      'duration.minutes',
      'duration.minutesSeconds',
      'role.admin',
      'header.lockShortcut',
      // Templates that only put translated words in order.
      'audit.target',
      'audit.fieldOf',
      'statistics.hiddenBelow',
      'statistics.export.format',
      // How a printed date is put together: day, month, year (Albanian writes it as English does).
      'document.date',
      // A language's own name.
      'printLanguage.srCyrl',
    ]);
    for (const language of ['sq', 'sr'] as const) {
      const untranslated = englishKeys.filter(
        (key) =>
          !sameEverywhere.has(key) &&
          catalogues[language][key as MessageKey] === en[key as MessageKey],
      );
      expect({ language, untranslated }).toStrictEqual({ language, untranslated: [] });
    }
  });
});

describe('placeholders', () => {
  it('lists each name once, sorted', () => {
    expect(placeholders('{b} and {a}, {b}')).toStrictEqual(['a', 'b']);
    expect(placeholders('none')).toStrictEqual([]);
  });
});

describe('format and t', () => {
  afterEach(() => setUiLanguage('en'));

  it('fills in parameters and leaves unknown ones visible', () => {
    expect(format('Group {number} of {total}', { number: 5 })).toBe('Group 5 of {total}');
  });

  it('does not treat parameter values as templates', () => {
    expect(format('{a}', { a: '{b}', b: 'x' })).toBe('{b}');
  });

  it('speaks the current language', () => {
    expect(t('unlock.submit')).toBe('Unlock');
    setUiLanguage('sq');
    expect(currentLanguage()).toBe('sq');
    expect(t('unlock.submit')).toBe('Shkyç');
    setUiLanguage('sr');
    expect(t('recovery.checkLabel', { number: 3 })).toBe('Unesite grupu 3');
  });

  it('sets the lang attribute of the page', () => {
    const page = { documentElement: { lang: 'en' } };
    vi.stubGlobal('document', page);
    try {
      setUiLanguage('sr');
      expect(page.documentElement.lang).toBe('sr-Latn');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes, and both', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(-3)).toBe('0 s');
  });
});

describe('device language', () => {
  it('recognises only the three codes', () => {
    expect(LANGUAGES.every(isLanguage)).toBe(true);
    expect(isLanguage('de')).toBe(false);
    expect(isLanguage(null)).toBe(false);
  });

  it('reads and writes only a language code', () => {
    const stored = new Map<string, string>();
    const storage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    };
    expect(storedLanguage(storage)).toBeNull();
    storeLanguage(storage, 'sq');
    expect([...stored.values()]).toStrictEqual(['sq']);
    expect(storedLanguage(storage)).toBe('sq');
    stored.set('hearth.language', 'klingon');
    expect(storedLanguage(storage)).toBeNull();
  });

  it('survives storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(storedLanguage(throwing)).toBeNull();
    expect(() => storeLanguage(throwing, 'en')).not.toThrow();
  });

  it('starts in the remembered language, else the system one, else English', () => {
    expect(initialLanguage('sr', ['sq-AL'])).toBe('sr');
    expect(initialLanguage(null, ['de-DE', 'sq-AL'])).toBe('sq');
    expect(initialLanguage(null, ['sr_RS'])).toBe('sr');
    expect(initialLanguage(null, ['de-DE'])).toBe('en');
    expect(initialLanguage(null, [])).toBe('en');
  });
});

describe('languageAfterUnlock', () => {
  it('saves a language picked on the unlock screen to the account', () => {
    expect(languageAfterUnlock('sq', 'sr')).toStrictEqual({ use: 'sq', saveToAccount: true });
    expect(languageAfterUnlock('en', null)).toStrictEqual({ use: 'en', saveToAccount: true });
  });

  it("otherwise uses the account's language", () => {
    expect(languageAfterUnlock(null, 'sr')).toStrictEqual({ use: 'sr', saveToAccount: false });
  });

  it('changes nothing when neither is known', () => {
    expect(languageAfterUnlock(null, null)).toStrictEqual({ use: null, saveToAccount: false });
    expect(languageAfterUnlock(null, 'xx')).toStrictEqual({ use: null, saveToAccount: false });
  });
});
