// The Statistics screen's pure parts: which panels it shows, how a row is named and counted, what
// a chart draws. The counts come from the core (exact, for this vault's supervisors); exports are
// made there too, with consent and small-cell rules this module never needs to know.

import type { Count } from './bindings/ReportCount';
import type { Panel } from './bindings/Panel';
import type { PanelId } from './bindings/PanelId';
import type { PanelRow } from './bindings/PanelRow';
import type { Scope } from './bindings/ReportScope';
import type { MessageKey } from './i18n/i18n.svelte';

/** Each panel's heading. */
export const PANEL_TITLES = {
  identified_per_month: 'statistics.panel.identified_per_month',
  trafficking_status: 'statistics.panel.trafficking_status',
  gender: 'statistics.panel.gender',
  age_band: 'statistics.panel.age_band',
  exploitation_type: 'statistics.panel.exploitation_type',
  means_of_control: 'statistics.panel.means_of_control',
  citizenship: 'statistics.panel.citizenship',
  exploitation_country: 'statistics.panel.exploitation_country',
  case_status: 'statistics.panel.case_status',
  time_to_closure: 'statistics.panel.time_to_closure',
  service_type: 'statistics.panel.service_type',
  service_status: 'statistics.panel.service_status',
  referral_partner: 'statistics.panel.referral_partner',
  referral_outcome: 'statistics.panel.referral_outcome',
  decline_reason: 'statistics.panel.decline_reason',
  follow_ups: 'statistics.panel.follow_ups',
} as const satisfies Record<PanelId, MessageKey>;

/** Row keys that are not codes, with their texts. */
const KEY_TEXTS: Record<string, MessageKey> = {
  '': 'statistics.notRecorded',
  other: 'statistics.other',
  overdue: 'statistics.overdue',
  not_yet_due: 'statistics.notYetDue',
};

/** A count as the screen shows it (the screen's counts are exact; an export's may be hidden). */
export function countText(count: Count, hidden: (k: number) => string): string {
  if (count === 'withheld') return hidden(0);
  if ('exact' in count) return String(count.exact);
  return hidden(count.below);
}

/** The number a chart draws for a count (a hidden one draws nothing). */
export function countValue(count: Count): number {
  return typeof count === 'object' && 'exact' in count ? count.exact : 0;
}

/** A row's name: the partner's name, a text for the special keys, the code's label, the key. */
export function rowName(
  panel: Panel,
  row: PanelRow,
  text: (key: MessageKey) => string,
  codeLabel: (list: string, code: string) => string,
): string {
  if (row.label) return row.label;
  const special = KEY_TEXTS[row.key];
  if (special) return text(special);
  if (panel.code_list) return codeLabel(panel.code_list, row.key);
  return row.key;
}

/** The rows a chart draws: those with a count, in order (a panel of zeros draws an empty chart). */
export function chartRows(panel: Panel): PanelRow[] {
  return panel.rows.filter((row) => countValue(row.count) > 0);
}

/** The period the screen opens on: the current calendar year up to today. */
export function defaultScope(today: string): Scope {
  return { from: `${today.slice(0, 4)}-01-01`, to: today, site: null };
}

/** Whether a period can be asked for: empty or YYYY-MM-DD days, the first not after the last. */
export function scopeProblem(scope: Scope): 'from' | 'to' | 'order' | null {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (scope.from && !day.test(scope.from)) return 'from';
  if (scope.to && !day.test(scope.to)) return 'to';
  if (scope.from && scope.to && scope.from > scope.to) return 'order';
  return null;
}

/** k as typed in Settings: a whole number from 11 to 100 (the core refuses a lower one than now). */
export function parseK(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const k = Number(trimmed);
  return k >= 11 && k <= 100 ? k : null;
}

/** The longest label a chart's axis shows whole; the table beside it has every name in full. */
export const CHART_LABEL_MAX = 24;

/** A row's name as a chart's axis shows it: cut with an ellipsis when longer than fits. */
export function chartLabel(name: string): string {
  const letters = [...name];
  return letters.length <= CHART_LABEL_MAX ? name : `${letters.slice(0, CHART_LABEL_MAX - 1).join('')}…`;
}
