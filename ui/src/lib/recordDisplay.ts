// A field's value as a person reads it: code labels instead of codes, names instead of account
// and partner ids, documents and places spelled out. Used by the case page's read-only view and by
// the history, where values arrive as the JSON the change log stored.

import { isIsoDate } from './dates';
import { DATE_FIELDS } from './recordFields';
import {
  ACCOUNT_FIELDS,
  codeListOf,
  DOCUMENT_PART_LISTS,
  EVENT_PART_LISTS,
  PARTNER_FIELDS,
} from './recordFields';

/** How to name what a value refers to. */
export interface DisplayContext {
  /** The label of a code in a list. */
  label(list: string, code: string): string;
  /** The name of a staff account, by id. */
  person(id: string): string;
  /** The name of a partner organisation, by id. */
  partner(id: string): string;
  /** "Yes" and "No" in the language on screen. */
  yes: string;
  no: string;
  /** A day (`YYYY-MM-DD`) as people of the language on screen write it. */
  day(iso: string): string;
}

function partText(value: unknown, list: string | undefined, context: DisplayContext): string {
  if (typeof value !== 'string' || value === '') return '';
  return list ? context.label(list, value) : value;
}

function documentText(item: Record<string, unknown>, context: DisplayContext): string {
  const type = partText(item.type, DOCUMENT_PART_LISTS.type, context);
  const custody = partText(item.custody, DOCUMENT_PART_LISTS.custody, context);
  const details = partText(item.details, undefined, context);
  return [type, custody, details].filter((part) => part !== '').join(' · ');
}

function eventText(item: Record<string, unknown>, context: DisplayContext): string {
  const type = partText(item.type, EVENT_PART_LISTS.type, context);
  const where = [
    partText(item.locality, undefined, context),
    partText(item.country, EVENT_PART_LISTS.country, context),
  ]
    .filter((part) => part !== '')
    .join(', ');
  const date = typeof item.date === 'string' && isIsoDate(item.date) ? context.day(item.date) : partText(item.date, undefined, context);
  return [type, where, date].filter((part) => part !== '').join(' · ');
}

function scalarText(kind: string, field: string, value: unknown, context: DisplayContext): string {
  if (typeof value === 'boolean') return value ? context.yes : context.no;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value === null || value === undefined ? '' : JSON.stringify(value);
  const list = codeListOf(kind, field);
  if (list) return context.label(list, value);
  if (DATE_FIELDS.has(field) && isIsoDate(value)) return context.day(value);
  if (ACCOUNT_FIELDS.has(field)) return context.person(value);
  if (PARTNER_FIELDS.has(field)) return context.partner(value);
  return value;
}

/**
 * The value of `field` on a record of `kind` as lines of text: one per entry of a list, none for
 * an empty value.
 */
export function describeValue(
  kind: string,
  field: string,
  value: unknown,
  context: DisplayContext,
): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (!Array.isArray(value)) return [scalarText(kind, field, value, context)];
  return value
    .map((item: unknown) => {
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        const entry = item as Record<string, unknown>;
        if (field === 'identity_documents') return documentText(entry, context);
        if (field === 'trafficking_events') return eventText(entry, context);
        return JSON.stringify(entry);
      }
      return scalarText(kind, field, item, context);
    })
    .filter((line) => line !== '');
}

/** A value from the history (JSON text, or null when the field was cleared). */
export function describeStoredValue(
  kind: string,
  field: string,
  json: string | null,
  context: DisplayContext,
): string[] {
  if (json === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [json];
  }
  return describeValue(kind, field, value, context);
}
