import { afterEach, describe, expect, it } from 'vitest';
import { setUiLanguage } from './i18n/i18n.svelte';
import type { CodeLists } from './ipc';
import {
  clearVocabulary,
  label,
  loadVocabulary,
  options,
  vocabulary,
  vocabularyError,
  vocabularyStatus,
} from './vocabulary.svelte';

const lists: CodeLists = {
  risk_level: {
    source: 'Hearth',
    values: [
      { code: 'Low', en: 'Low', sq: 'I ulët', sr: 'Nizak' },
      { code: 'High', en: 'High', sq: 'I lartë', sr: 'Visok' },
    ],
  },
};

describe('the code list store', () => {
  afterEach(() => {
    clearVocabulary();
    setUiLanguage('en');
  });

  it('fetches once and labels in the language on screen', async () => {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      return lists;
    };
    await Promise.all([loadVocabulary(fetch), loadVocabulary(fetch)]);
    await loadVocabulary(fetch);
    expect(calls).toBe(1);
    expect(vocabularyStatus()).toBe('ready');
    expect(label('risk_level', 'High')).toBe('High');
    setUiLanguage('sq');
    expect(label('risk_level', 'High')).toBe('I lartë');
    expect(options('risk_level').map((option) => option.label)).toStrictEqual([
      'I ulët',
      'I lartë',
    ]);
  });

  it('forgets the lists on clear', async () => {
    await loadVocabulary(async () => lists);
    clearVocabulary();
    expect(vocabulary()).toBeNull();
    expect(vocabularyStatus()).toBe('idle');
    expect(label('risk_level', 'High')).toBe('High');
    expect(options('risk_level')).toStrictEqual([]);
  });

  it('throws away an answer that arrives after a lock', async () => {
    let answer: (value: CodeLists) => void = () => {};
    const pending = loadVocabulary(() => new Promise((resolve) => (answer = resolve)));
    clearVocabulary();
    answer(lists);
    await pending;
    expect(vocabulary()).toBeNull();
    expect(vocabularyStatus()).toBe('idle');
  });

  it('reports a failure and can try again', async () => {
    await loadVocabulary(async () => {
      throw { kind: 'locked', message: 'locked' };
    });
    expect(vocabularyStatus()).toBe('failed');
    expect(vocabularyError()?.kind).toBe('locked');
    await loadVocabulary(async () => lists);
    expect(vocabularyStatus()).toBe('ready');
    expect(vocabularyError()).toBeNull();
  });
});
