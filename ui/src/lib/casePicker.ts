// Choosing a case by its number or its person's name, searching as one types: what the case
// picker asks the core and how it names and moves through what comes back. The core decides which
// cases this person may see; the picker shows only those.

import { personName } from './caseList';
import type { CaseQuery, CaseSummary } from './ipc';

/** How many matches the picker lists. */
export const CASE_PICKER_SIZE = 8;

/** A case chosen in a picker: its id for the core, and how the person knows it. */
export interface PickedCase {
  id: string;
  label: string;
}

/** The case-list query for what was typed; `null` when nothing worth asking was typed. */
export function casePickerQuery(typed: string): CaseQuery | null {
  const text = typed.trim();
  if (text === '') return null;
  return {
    text,
    status: null,
    assigned_to: null,
    risk_level: null,
    follow_ups_due: false,
    sort: 'updated',
    page: 0,
    page_size: CASE_PICKER_SIZE,
  };
}

/** A case as the picker lists it: "TIR-2026-0042 · Lejla Hoxha" (the number alone if no name). */
export function caseOptionLabel(summary: CaseSummary): string {
  const name = personName(summary.given_name, summary.family_name);
  return name === '' ? summary.number : `${summary.number} · ${name}`;
}

/** The chosen case for a summary. */
export function pickedCase(summary: CaseSummary): PickedCase {
  return { id: summary.id, label: caseOptionLabel(summary) };
}

/**
 * Which option is active after a key: ArrowDown and ArrowUp move and wrap, Home and End jump;
 * -1 means none (the text box itself). Other keys leave it where it is.
 */
export function nextActiveOption(current: number, key: string, count: number): number {
  if (count === 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return current + 1 >= count ? 0 : current + 1;
    case 'ArrowUp':
      return current <= 0 ? count - 1 : current - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return current;
  }
}
