// Code lists as the UI shows them: the label of a stored code in the person's language, and the
// options a select offers. Pure functions over the lists `code_lists` returns; the store that
// holds them while Hearth is unlocked is vocabulary.svelte.ts.

import { HTML_LANG, type Language } from './i18n/language';
import type { CodeLists } from './ipc';

/** Long lists whose own order (by code) means nothing to a reader: offered sorted by label. */
const SORTED_BY_LABEL: ReadonlySet<string> = new Set(['country', 'language']);

export interface CodeOption {
  code: string;
  label: string;
}

/** The label of `code` in `list`, in `language`; the code itself if the list does not have it. */
export function codeLabel(
  lists: CodeLists | null,
  list: string,
  code: string,
  language: Language,
): string {
  const value = lists?.[list]?.values.find((candidate) => candidate.code === code);
  return value ? value[language] : code;
}

const sortedCache = new WeakMap<CodeLists, Map<string, CodeOption[]>>();

/**
 * The options of `list` for a select, in `language`: in the order the list gives, except
 * countries and languages, which are sorted by their label as that language sorts.
 */
export function codeOptions(
  lists: CodeLists | null,
  list: string,
  language: Language,
): CodeOption[] {
  const values = lists?.[list]?.values;
  if (!lists || !values) return [];
  const options = values.map((value) => ({ code: value.code, label: value[language] }));
  if (!SORTED_BY_LABEL.has(list)) return options;
  let cache = sortedCache.get(lists);
  if (!cache) {
    cache = new Map();
    sortedCache.set(lists, cache);
  }
  const key = `${list}/${language}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const collator = new Intl.Collator(HTML_LANG[language], { sensitivity: 'base' });
  options.sort((a, b) => collator.compare(a.label, b.label));
  cache.set(key, options);
  return options;
}
