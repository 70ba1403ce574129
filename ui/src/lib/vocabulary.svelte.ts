// The code lists while Hearth is unlocked: fetched once after unlock (Home asks), dropped on lock
// (App calls clearVocabulary). `label` and `options` read them in the language on screen, so
// whatever shows a code re-renders when the lists arrive or the language changes.

import { codeLabel, codeOptions, type CodeOption } from './codes';
import { currentLanguage } from './i18n/i18n.svelte';
import type { Language } from './i18n/language';
import { codeLists as fetchCodeLists, toIpcError, type CodeLists, type IpcError } from './ipc';

export type VocabularyStatus = 'idle' | 'loading' | 'ready' | 'failed';

let lists = $state.raw<CodeLists | null>(null);
let status = $state<VocabularyStatus>('idle');
let failure = $state.raw<IpcError | null>(null);
/** Bumped by every clear, so that an answer arriving after a lock is thrown away. */
let generation = 0;
let inFlight: Promise<void> | null = null;

export function vocabularyStatus(): VocabularyStatus {
  return status;
}

export function vocabularyError(): IpcError | null {
  return failure;
}

/** The lists themselves, or null before they arrive. */
export function vocabulary(): CodeLists | null {
  return lists;
}

/** Fetches the code lists unless they are here or on their way. */
export function loadVocabulary(fetch: () => Promise<CodeLists> = fetchCodeLists): Promise<void> {
  if (status === 'ready') return Promise.resolve();
  if (inFlight) return inFlight;
  const asked = generation;
  status = 'loading';
  failure = null;
  inFlight = fetch()
    .then((received) => {
      if (asked !== generation) return;
      lists = received;
      status = 'ready';
    })
    .catch((reason: unknown) => {
      if (asked !== generation) return;
      failure = toIpcError(reason);
      status = 'failed';
    })
    .finally(() => {
      if (asked === generation) inFlight = null;
    });
  return inFlight;
}

/** Forgets the lists (on lock). */
export function clearVocabulary(): void {
  generation += 1;
  inFlight = null;
  lists = null;
  status = 'idle';
  failure = null;
}

/** The label of a code in the language on screen (or `language`); the code if unknown. */
export function label(list: string, code: string, language: Language = currentLanguage()): string {
  return codeLabel(lists, list, code, language);
}

/** The options of a list for a select, in the language on screen (or `language`). */
export function options(list: string, language: Language = currentLanguage()): CodeOption[] {
  return codeOptions(lists, list, language);
}
