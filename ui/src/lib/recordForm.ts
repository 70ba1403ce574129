// Record forms: what each field is (its descriptor), the values a form edits, the form's own
// checks before sending, and the fields that changed. Every form that edits record fields (intake,
// the case page's sections, the attached records, partners) goes through here, so that "send only
// what changed, with '' meaning cleared" holds everywhere.

import { isIsoDate } from './dates';
import type { FieldProblemEntry } from './fieldErrors';
import type { FieldInput } from './ipc';
import type { FieldName } from './recordFields';

/** How a field is edited. */
export type FieldDescriptor =
  | { name: FieldName; kind: 'text'; max: number; required?: boolean }
  | { name: FieldName; kind: 'longText'; required?: boolean }
  | { name: FieldName; kind: 'date'; required?: boolean }
  | { name: FieldName; kind: 'age' }
  | { name: FieldName; kind: 'code'; list: string; required?: boolean }
  | { name: FieldName; kind: 'codes'; list: string }
  /** One of a few given options that are not codes: a partner organisation, a staff member. */
  | { name: FieldName; kind: 'choice'; required?: boolean }
  | { name: FieldName; kind: 'textList' }
  | { name: FieldName; kind: 'documents' }
  | { name: FieldName; kind: 'events' };

export type FieldKind = FieldDescriptor['kind'];

/** A row of the identity documents editor. `key` only keeps rows apart on screen. */
export interface DocumentRow {
  key: number;
  type: string;
  custody: string;
  details: string;
}

/** A row of the places-and-dates editor. */
export interface EventRow {
  key: number;
  type: string;
  country: string;
  locality: string;
  date: string;
}

/** What a form edits, by the shape of the field. */
export interface FormValues {
  /** Text, long text, dates, ages (as typed) and single codes; '' is empty. */
  text: Record<string, string>;
  /** Several codes, or several short texts (aliases). */
  lists: Record<string, string[]>;
  /**
   * For a long list of codes: the one picked in its select and not yet added with "Add" ('' for
   * none). Saving adds it (addPickedCodes): what the select shows is what the person meant.
   */
  picks: Record<string, string>;
  documents: DocumentRow[];
  events: EventRow[];
}

/** Code lists too long for checkboxes: a select and an Add button instead. */
const LONG_CODE_LISTS: ReadonlySet<string> = new Set(['country', 'language']);

/** Whether a field of several codes is picked one at a time from a long list. */
export function isLongCodeList(descriptor: FieldDescriptor): boolean {
  return descriptor.kind === 'codes' && LONG_CODE_LISTS.has(descriptor.list);
}

/** Oldest estimated age the core accepts. */
export const AGE_MAX = 120;

let nextRowKey = 1;

export function newDocumentRow(): DocumentRow {
  return { key: nextRowKey++, type: '', custody: '', details: '' };
}

export function newEventRow(): EventRow {
  return { key: nextRowKey++, type: '', country: '', locality: '', date: '' };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function asTexts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function asObjects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && !!item)
    : [];
}

/** The form's values for a record's fields (as the core sent them). */
export function formValues(
  fields: Readonly<Record<string, unknown>>,
  descriptors: readonly FieldDescriptor[],
): FormValues {
  const values: FormValues = { text: {}, lists: {}, picks: {}, documents: [], events: [] };
  for (const descriptor of descriptors) {
    const value = fields[descriptor.name];
    switch (descriptor.kind) {
      case 'codes':
        values.lists[descriptor.name] = asTexts(value);
        if (isLongCodeList(descriptor)) values.picks[descriptor.name] = '';
        break;
      case 'textList':
        values.lists[descriptor.name] = asTexts(value);
        break;
      case 'documents':
        values.documents = asObjects(value).map((item) => ({
          ...newDocumentRow(),
          type: asText(item.type),
          custody: asText(item.custody),
          details: asText(item.details),
        }));
        break;
      case 'events':
        values.events = asObjects(value).map((item) => ({
          ...newEventRow(),
          type: asText(item.type),
          country: asText(item.country),
          locality: asText(item.locality),
          date: asText(item.date),
        }));
        break;
      default:
        values.text[descriptor.name] = asText(value);
    }
  }
  return values;
}

/** Empty values for a new record. */
export function emptyFormValues(descriptors: readonly FieldDescriptor[]): FormValues {
  return formValues({}, descriptors);
}

const isBlankDocument = (row: DocumentRow) =>
  row.type === '' && row.custody === '' && row.details.trim() === '';
const isBlankEvent = (row: EventRow) =>
  row.type === '' && row.country === '' && row.locality.trim() === '' && row.date.trim() === '';

/**
 * Drops rows left entirely empty (an "Add" pressed and not filled in), so that what is sent and
 * what is on screen number their entries alike: the core's "identity_documents.1.type" must name
 * the second row the person sees.
 */
export function dropBlankRows(values: FormValues): void {
  if (values.documents.some(isBlankDocument)) {
    values.documents = values.documents.filter((row) => !isBlankDocument(row));
  }
  if (values.events.some(isBlankEvent)) {
    values.events = values.events.filter((row) => !isBlankEvent(row));
  }
  for (const [name, items] of Object.entries(values.lists)) {
    if (items.some((item) => item.trim() === '')) {
      values.lists[name] = items.filter((item) => item.trim() !== '');
    }
  }
}

/**
 * Adds to its list each code picked in a long list's select but not added with "Add", and empties
 * the select: a form saved with a country showing in the picker saves that country too, rather
 * than drop it without a word. Called on submit, before the checks.
 */
export function addPickedCodes(values: FormValues): void {
  for (const [name, code] of Object.entries(values.picks)) {
    if (code === '') continue;
    const chosen = values.lists[name] ?? [];
    if (!chosen.includes(code)) values.lists[name] = [...chosen, code];
    values.picks[name] = '';
  }
}

/** What the form can tell before sending: missing required values, malformed dates and ages. */
export function checkFormValues(
  values: FormValues,
  descriptors: readonly FieldDescriptor[],
): FieldProblemEntry[] {
  const problems: FieldProblemEntry[] = [];
  const problem = (field: string, name: string) => problems.push({ field, problem: name });
  for (const descriptor of descriptors) {
    const { name } = descriptor;
    const text = (values.text[name] ?? '').trim();
    switch (descriptor.kind) {
      case 'text':
      case 'longText':
      case 'code':
      case 'choice':
        if (descriptor.required && text === '') problem(name, 'required');
        break;
      case 'date':
        if (descriptor.required && text === '') problem(name, 'required');
        else if (text !== '' && !isIsoDate(text)) problem(name, 'not_a_date');
        break;
      case 'age':
        if (text !== '' && !/^\d+$/.test(text)) problem(name, 'not_a_whole_number');
        else if (text !== '' && Number(text) > AGE_MAX) problem(name, 'out_of_range');
        break;
      case 'documents':
        values.documents.forEach((row, index) => {
          if (row.type === '') problem(`${name}.${index}.type`, 'required');
          if (row.custody === '') problem(`${name}.${index}.custody`, 'required');
        });
        break;
      case 'events':
        values.events.forEach((row, index) => {
          if (row.type === '') problem(`${name}.${index}.type`, 'required');
          const date = row.date.trim();
          if (date !== '' && !isIsoDate(date)) problem(`${name}.${index}.date`, 'not_a_date');
        });
        break;
      default:
        break;
    }
  }
  return problems;
}

function documentsValue(rows: readonly DocumentRow[]) {
  return rows.map((row) => {
    const entry: Record<string, string> = { type: row.type, custody: row.custody };
    if (row.details.trim() !== '') entry.details = row.details.trim();
    return entry;
  });
}

function eventsValue(rows: readonly EventRow[]) {
  return rows.map((row) => {
    const entry: Record<string, string> = { type: row.type };
    if (row.country !== '') entry.country = row.country;
    if (row.locality.trim() !== '') entry.locality = row.locality.trim();
    if (row.date.trim() !== '') entry.date = row.date.trim();
    return entry;
  });
}

/** The value to send for a field, from the form: null for empty. */
function outgoing(descriptor: FieldDescriptor, values: FormValues): unknown {
  switch (descriptor.kind) {
    case 'codes':
    case 'textList': {
      const items = (values.lists[descriptor.name] ?? [])
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length > 0 ? items : null;
    }
    case 'documents':
      return values.documents.length > 0 ? documentsValue(values.documents) : null;
    case 'events':
      return values.events.length > 0 ? eventsValue(values.events) : null;
    case 'age': {
      const text = (values.text[descriptor.name] ?? '').trim();
      if (text === '') return null;
      // Anything but digits goes as typed, for the core to refuse by name.
      return /^\d+$/.test(text) ? Number(text) : text;
    }
    default: {
      const text = (values.text[descriptor.name] ?? '').trim();
      return text === '' ? null : text;
    }
  }
}

/** Codes are a set: ticking them in another order is no change. */
function sameValue(descriptor: FieldDescriptor, a: unknown, b: unknown): boolean {
  if (descriptor.kind === 'codes' && Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields whose value differs between `original` and `edited`, as the core takes them:
 * trimmed, `null` for a field emptied, numbers for ages, lists of codes or entries.
 */
export function changedFields(
  original: FormValues,
  edited: FormValues,
  descriptors: readonly FieldDescriptor[],
): FieldInput {
  const changes: FieldInput = {};
  for (const descriptor of descriptors) {
    const before = outgoing(descriptor, original);
    const after = outgoing(descriptor, edited);
    if (!sameValue(descriptor, before, after)) changes[descriptor.name] = after;
  }
  return changes;
}

/** Every non-empty field, for a new record. */
export function filledFields(
  values: FormValues,
  descriptors: readonly FieldDescriptor[],
): FieldInput {
  return changedFields(emptyFormValues(descriptors), values, descriptors);
}
