// A refused field, in the person's language: its translated label and what is wrong with it. The
// core names the field ("given_name", or "trafficking_events.1.country" for a part of a list
// entry) and the problem ("required", "in_the_future", ...); the UI never reads its message.
// Forms use the same shape for what they check themselves before sending.

import { t, type MessageKey } from './i18n/i18n.svelte';
import type { IpcError } from './ipc';
import { isFieldName } from './recordFields';

/** A field and what is wrong with it. */
export interface FieldProblemEntry {
  /** The field's name, dotted for an entry of a list (`identity_documents.0.type`). */
  field: string;
  /** The problem's name, as the core or the form's own check gives it. */
  problem: string;
  /** The smallest value accepted, where the problem is a limit (a number or a YYYY-MM-DD day). */
  min?: string | null;
  /** The largest value accepted, where the problem is a limit. */
  max?: string | null;
}

/** The problems the core reports, plus the one the forms check themselves (not_a_whole_number). */
export const PROBLEM_TEXTS = {
  required: 'problem.required',
  unknown_field: 'problem.unknown_field',
  not_editable: 'problem.not_editable',
  wrong_type: 'problem.wrong_type',
  too_long: 'problem.too_long',
  too_many: 'problem.too_many',
  control_character: 'problem.control_character',
  not_a_date: 'problem.not_a_date',
  in_the_future: 'problem.in_the_future',
  out_of_range: 'problem.out_of_range',
  unknown_code: 'problem.unknown_code',
  duplicate: 'problem.duplicate',
  unknown_account: 'problem.unknown_account',
  unknown_partner: 'problem.unknown_partner',
  age_mismatch: 'problem.age_mismatch',
  too_early: 'problem.too_early',
  older_than_max_age: 'problem.older_than_max_age',
  partner_for_referral_only: 'problem.partner_for_referral_only',
  only_when_closed: 'problem.only_when_closed',
  not_on_case_team: 'problem.not_on_case_team',
  not_a_whole_number: 'problem.not_a_whole_number',
} as const satisfies Record<string, MessageKey>;

/** Texts that also say what is allowed, for the problems the core sends a limit with. */
const LIMIT_TEXTS = {
  too_long: 'problem.too_long.limit',
  too_many: 'problem.too_many.limit',
  out_of_range: 'problem.out_of_range.limit',
  age_mismatch: 'problem.age_mismatch.limit',
} as const satisfies Record<string, MessageKey>;

/** The label of one field name; the name itself if Hearth has no label for it. */
function nameLabel(name: string): string {
  return isFieldName(name) ? t(`field.${name}`) : name;
}

/**
 * The label of a field as the core names it: "Given name", or for an entry of a list
 * "Places and dates, entry 2: Country".
 */
export function fieldLabel(path: string): string {
  const [name = '', index, part] = path.split('.');
  const position = index !== undefined && /^\d+$/.test(index) ? Number(index) + 1 : null;
  if (position === null) return nameLabel(name);
  if (part === undefined) return t('field.item', { field: nameLabel(name), number: position });
  return t('field.entry', { field: nameLabel(name), number: position, part: nameLabel(part) });
}

/** "Given name is too long." and the like, in the language on screen. */
export function fieldProblemText(entry: FieldProblemEntry): string {
  const limits = { min: entry.min ?? null, max: entry.max ?? null };
  const withLimit =
    Object.hasOwn(LIMIT_TEXTS, entry.problem) &&
    limits.max !== null &&
    (entry.problem !== 'out_of_range' || limits.min !== null);
  const key = withLimit
    ? LIMIT_TEXTS[entry.problem as keyof typeof LIMIT_TEXTS]
    : Object.hasOwn(PROBLEM_TEXTS, entry.problem)
      ? PROBLEM_TEXTS[entry.problem as keyof typeof PROBLEM_TEXTS]
      : 'problem.other';
  return t(key, {
    field: fieldLabel(entry.field),
    min: limits.min ?? '',
    max: limits.max ?? '',
  });
}

/** The DOM id of a form's control for `path`: the target of the error summary's links. */
export function fieldDomId(formId: string, path: string): string {
  return `${formId}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** The problems reported for exactly this field. */
export function problemsFor(entries: readonly FieldProblemEntry[], path: string) {
  return entries.filter((entry) => entry.field === path);
}

/** Why a form was not saved: problems with its fields, or another error. */
export interface FormFailure {
  fields: FieldProblemEntry[];
  error: IpcError | null;
}

export const NO_FAILURE: FormFailure = { fields: [], error: null };

/** Sorts a refusal from the core into field problems (shown at the fields) or a general error. */
export function formFailure(error: IpcError): FormFailure {
  if (error.kind === 'invalid_field' && error.fields.length > 0) {
    return { fields: [...error.fields], error: null };
  }
  return { fields: [], error };
}

export function hasFailure(failure: FormFailure): boolean {
  return failure.error !== null || failure.fields.length > 0;
}
