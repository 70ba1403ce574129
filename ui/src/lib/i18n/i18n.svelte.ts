// The one i18n layer: the current language as reactive state, and t(key, params). A component
// that calls t() in its markup re-renders when the language changes.

import { en, type Catalogue, type MessageKey } from './en';
import { HTML_LANG, type Language } from './language';
import { sq } from './sq';
import { sr } from './sr';

export type { MessageKey };
export type Params = Record<string, string | number>;

export const catalogues: Record<Language, Catalogue> = { en, sq, sr };

let current = $state<Language>('en');

export function currentLanguage(): Language {
  return current;
}

/** Switches every t() on screen to `language`, and tells assistive technology via <html lang>. */
export function setUiLanguage(language: Language): void {
  current = language;
  if (typeof document !== 'undefined') document.documentElement.lang = HTML_LANG[language];
}

/** Replaces each {name} in `template` with params.name; an unknown {name} stays as written. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The text for `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return format(catalogues[current][key] ?? en[key], params);
}

/** The {names} a template uses, sorted, each once. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

/** A wait or a timeout in words: "45 s", "5 min", "2 min 5 s". */
export function formatDuration(totalSeconds: number): string {
  const whole = Math.max(0, Math.ceil(totalSeconds));
  const minutes = Math.floor(whole / 60);
  const seconds = whole % 60;
  if (minutes === 0) return t('duration.seconds', { seconds });
  if (seconds === 0) return t('duration.minutes', { minutes });
  return t('duration.minutesSeconds', { minutes, seconds });
}
