import { afterEach, describe, expect, it } from 'vitest';
import { setUiLanguage } from './i18n/i18n.svelte';
import type { ProgressReport } from './ipc';
import { canCancel, progressText, progressValue } from './progress';

const report = (overrides: Partial<ProgressReport>): ProgressReport => ({
  work: 'import',
  step: 'applying',
  done: 1500,
  total: 60000,
  ...overrides,
});

afterEach(() => setUiLanguage('en'));

describe('progressText', () => {
  it('counts an import’s changes in the UI language', () => {
    expect(progressText(report({}))).toBe('Applying changes: 1,500 of 60,000');
    setUiLanguage('sq');
    const sq = new Intl.NumberFormat('sq');
    expect(progressText(report({}))).toBe(`Po zbatohen ndryshimet: ${sq.format(1500)} nga ${sq.format(60000)}`);
    expect(progressText(report({}))).not.toContain('1,500');
  });

  it('names the steps that are not counted', () => {
    expect(progressText(report({ step: 'checking', total: 0 }))).toBe('Checking the file…');
    expect(progressText(report({ work: 'export', step: 'preparing', total: 0 }))).toBe('Preparing the bundle…');
    expect(progressText(report({ work: 'export', step: 'writing', total: 0 }))).toBe('Writing the file…');
  });

  it('counts the changes an export writes', () => {
    expect(progressText(report({ work: 'export', step: 'writing', done: 500, total: 300000 }))).toBe(
      'Writing changes: 500 of 300,000',
    );
  });
});

describe('progressValue', () => {
  it('fills the bar for a counted step only', () => {
    expect(progressValue(report({}))).toStrictEqual({ value: 1500, max: 60000 });
    expect(progressValue(report({ done: 70000 }))).toStrictEqual({ value: 60000, max: 60000 });
    expect(progressValue(report({ work: 'export', step: 'writing', done: 10 }))).toStrictEqual({ value: 10, max: 60000 });
    expect(progressValue(report({ step: 'checking', total: 0 }))).toBeNull();
    expect(progressValue(report({ step: 'preparing', total: 0 }))).toBeNull();
  });
});

describe('canCancel', () => {
  it('offers Cancel while long work runs, an export too', () => {
    expect(canCancel(report({ work: 'preview' }))).toBe(true);
    expect(canCancel(report({ work: 'export', step: 'writing' }))).toBe(true);
    expect(canCancel(null)).toBe(false);
  });
});
