// Calendar days as case records hold them (`YYYY-MM-DD`, no time zone) and instants as the
// history shows them.

import { HTML_LANG, type Language } from './i18n/language';

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** Today on this computer's calendar, as `YYYY-MM-DD`: the default for "date identified". */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${twoDigits(now.getMonth() + 1)}-${twoDigits(now.getDate())}`;
}

/**
 * Whether `text` is a real day written `YYYY-MM-DD`, years 1900 to 2999: what the core accepts
 * (records::dates). Checked before sending so a typing slip is named at once.
 */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * When a day (`YYYY-MM-DD`) begins on this computer's calendar, `daysAfter` days later, in ms since
 * the epoch; `null` for a day that is not one. The audit filter sends days this way, so that "from 11
 * March" in Tirana starts at 23:00 UTC on the 10th, and a day of a clock change is 23 or 25 hours.
 */
export function localDayStartMs(day: string, daysAfter = 0): number | null {
  const text = day.trim();
  if (!isIsoDate(text)) return null;
  const [year, month, date] = text.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + daysAfter).getTime();
}

/** Whether a follow-up due on `dueDate` is due by `today` (both `YYYY-MM-DD`). */
export function isDueBy(dueDate: string, today: string): boolean {
  return dueDate <= today;
}

/** A day (`YYYY-MM-DD`) as people of the language write it ("14 Mar 2025", "14. 3. 2025."). */
export function formatDay(day: string, language: Language): string {
  if (!isIsoDate(day)) return day;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  // At noon UTC, shown in UTC: the same calendar day whatever this laptop's zone.
  return new Intl.DateTimeFormat(HTML_LANG[language], { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, date, 12)),
  );
}

/** An instant (milliseconds since the epoch) as a date and time in the person's language. */
export function formatInstant(ms: number, language: Language): string {
  return new Intl.DateTimeFormat(HTML_LANG[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(ms));
}
