// What the progress bar of long work says: the step in words, and how far it is when the step is
// counted (the changes an import applies or an export writes); an uncounted step shows a bar that
// only moves.

import { currentLanguage, t, type MessageKey } from './i18n/i18n.svelte';
import type { ProgressReport } from './ipc';
import { HTML_LANG } from './i18n/language';

const STEP_TEXTS = {
  checking: 'progress.checking',
  applying: 'progress.applying',
  preparing: 'progress.preparing',
  writing: 'progress.writing',
} as const satisfies Record<ProgressReport['step'], MessageKey>;

/** The step in words: "Applying changes: 1,500 of 60,000". */
export function progressText(report: ProgressReport): string {
  const count = (n: number) => new Intl.NumberFormat(HTML_LANG[currentLanguage()]).format(n);
  if (report.step === 'applying' && report.total > 0) {
    return t('progress.applyingCounted', { done: count(report.done), total: count(report.total) });
  }
  if (report.step === 'writing' && report.total > 0) {
    return t('progress.writingCounted', { done: count(report.done), total: count(report.total) });
  }
  return t(STEP_TEXTS[report.step]);
}

/** The bar's value and maximum for a counted step; `null` for one that is not counted. */
export function progressValue(report: ProgressReport): { value: number; max: number } | null {
  const counted = report.step === 'applying' || report.step === 'writing';
  if (!counted || report.total <= 0) return null;
  return { value: Math.min(report.done, report.total), max: report.total };
}

/** Whether Cancel is offered: an export, a preview and an import all stop safely, changing
 * nothing (an export's unfinished file is removed). */
export function canCancel(report: ProgressReport | null): boolean {
  return report !== null;
}
