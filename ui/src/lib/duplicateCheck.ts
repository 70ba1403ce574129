// The intake's check for a person who may already have a case: what it asks the core as the
// caseworker types, and how a possible duplicate is described. The core does the matching
// (hearth-records duplicates.rs: folded names in any order, Cyrillic as Latin, birth years at
// most two apart) and looks only at cases this person may see.

import { personName } from './caseList';
import { isIsoDate } from './dates';
import { t } from './i18n/i18n.svelte';
import type { DuplicateQuery, PossibleDuplicate } from './ipc';
import type { FormValues } from './recordForm';

/** How long typing must pause before the check runs. */
export const DUPLICATE_CHECK_PAUSE_MS = 250;

/** The check for what the intake holds; `null` while no name is typed. */
export function duplicateQueryOf(values: FormValues): DuplicateQuery | null {
  const text = (name: string) => (values.text[name] ?? '').trim();
  const given = text('given_name');
  const family = text('family_name');
  const aliases = (values.lists.aliases ?? []).map((alias) => alias.trim()).filter((alias) => alias !== '');
  if (given === '' && family === '' && aliases.length === 0) return null;
  const birthDate = text('birth_date');
  const age = Number(text('estimated_age'));
  return {
    given_name: given === '' ? null : given,
    family_name: family === '' ? null : family,
    aliases,
    birth_date: isIsoDate(birthDate) ? birthDate : null,
    estimated_age: text('estimated_age') !== '' && Number.isInteger(age) && age >= 0 && age <= 120 ? age : null,
  };
}

/** Whether two checks would ask the same (so a keystroke that changes nothing asks nothing). */
export function sameDuplicateQuery(a: DuplicateQuery | null, b: DuplicateQuery | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** "TIR-2026-0042 · Lejla Hoxha · born 2001": how the intake lists a possible duplicate. */
export function duplicateText(duplicate: PossibleDuplicate): string {
  const name = personName(duplicate.given_name, duplicate.family_name);
  const parts = [duplicate.number];
  if (name !== '') parts.push(name);
  if (duplicate.birth_year !== null) parts.push(t('intake.duplicates.born', { year: duplicate.birth_year }));
  return parts.join(' · ');
}
