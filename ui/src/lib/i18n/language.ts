// Which language the UI speaks, and how that choice is remembered. Pure functions: the reactive
// state lives in i18n.svelte.ts.

/** The UI languages, as the codes the core stores per account. */
export const LANGUAGES = ['en', 'sq', 'sr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The `lang` attribute for each language: Serbian is written in Latin script here. */
export const HTML_LANG: Record<Language, string> = { en: 'en', sq: 'sq', sr: 'sr-Latn' };

/**
 * The localStorage key for the language picked on the unlock screen. It holds only "en", "sq" or
 * "sr": nothing about the vault or who used it.
 */
export const DEVICE_LANGUAGE_KEY = 'hearth.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language this device remembers, if any. Storage may be missing or refuse access. */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | undefined): Language | null {
  try {
    const value = storage?.getItem(DEVICE_LANGUAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeLanguage(storage: Pick<Storage, 'setItem'> | undefined, language: Language) {
  try {
    storage?.setItem(DEVICE_LANGUAGE_KEY, language);
  } catch {
    // A device that cannot remember the choice asks again next time; nothing else depends on it.
  }
}

/** Start in the language remembered here, else the system's if Hearth has it, else English. */
export function initialLanguage(
  remembered: Language | null,
  systemLanguages: readonly string[],
): Language {
  if (remembered) return remembered;
  for (const tag of systemLanguages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/**
 * What to do about the language right after an unlock. A language picked on the unlock screen wins
 * and is saved to the account; otherwise the account's saved language, if it has one, is used.
 */
export function languageAfterUnlock(
  pickedOnUnlockScreen: Language | null,
  accountLanguage: string | null,
): { use: Language | null; saveToAccount: boolean } {
  if (pickedOnUnlockScreen) return { use: pickedOnUnlockScreen, saveToAccount: true };
  if (isLanguage(accountLanguage)) return { use: accountLanguage, saveToAccount: false };
  return { use: null, saveToAccount: false };
}
