// Which fields each form and section shows, in order, and how each is edited. Lengths and code
// lists follow the core's field tables (hearth-core records::fields).

import type { MessageKey } from './i18n/i18n.svelte';
import type { FieldDescriptor } from './recordForm';

/** A titled group of fields on the case page. */
export interface FieldGroup {
  title: MessageKey;
  fields: readonly FieldDescriptor[];
}

const GIVEN_NAME: FieldDescriptor = { name: 'given_name', kind: 'text', max: 100 };
const FAMILY_NAME: FieldDescriptor = { name: 'family_name', kind: 'text', max: 100 };
const ALIASES: FieldDescriptor = { name: 'aliases', kind: 'textList' };
const GENDER: FieldDescriptor = { name: 'gender', kind: 'code', list: 'gender' };
const BIRTH_DATE: FieldDescriptor = { name: 'birth_date', kind: 'date' };
const ESTIMATED_AGE: FieldDescriptor = { name: 'estimated_age', kind: 'age' };
const CITIZENSHIPS: FieldDescriptor = { name: 'citizenships', kind: 'codes', list: 'country' };
const TRAFFICKING_STATUS: FieldDescriptor = {
  name: 'trafficking_status',
  kind: 'code',
  list: 'trafficking_status',
  required: true,
};
const DATE_IDENTIFIED: FieldDescriptor = { name: 'date_identified', kind: 'date', required: true };
const IDENTIFIED_BY: FieldDescriptor = {
  name: 'identified_by',
  kind: 'code',
  list: 'organisation_type',
};
const RISK_LEVEL: FieldDescriptor = { name: 'risk_level', kind: 'code', list: 'risk_level' };

// --- Intake ---

export const INTAKE_PERSON: readonly FieldDescriptor[] = [
  GIVEN_NAME,
  FAMILY_NAME,
  ALIASES,
  GENDER,
  BIRTH_DATE,
  ESTIMATED_AGE,
  CITIZENSHIPS,
];

export const INTAKE_IDENTIFICATION: readonly FieldDescriptor[] = [
  TRAFFICKING_STATUS,
  DATE_IDENTIFIED,
  IDENTIFIED_BY,
  RISK_LEVEL,
];

export const INTAKE_FIELDS: readonly FieldDescriptor[] = [
  ...INTAKE_PERSON,
  ...INTAKE_IDENTIFICATION,
];

// --- The case page ---

export const PERSON_GROUPS: readonly FieldGroup[] = [
  {
    title: 'case.group.identity',
    fields: [
      GIVEN_NAME,
      FAMILY_NAME,
      ALIASES,
      GENDER,
      BIRTH_DATE,
      ESTIMATED_AGE,
      CITIZENSHIPS,
      { name: 'languages', kind: 'codes', list: 'language' },
    ],
  },
  {
    title: 'case.group.contact',
    fields: [
      { name: 'phone', kind: 'text', max: 40 },
      { name: 'email', kind: 'text', max: 200 },
      { name: 'address', kind: 'text', max: 300 },
    ],
  },
  {
    title: 'case.group.documents',
    fields: [{ name: 'identity_documents', kind: 'documents' }],
  },
];

/** Shown for a minor (or when already filled in). */
export const MINOR_GROUP: FieldGroup = {
  title: 'case.group.minor',
  fields: [
    { name: 'guardian', kind: 'text', max: 200 },
    { name: 'best_interests_notes', kind: 'longText' },
  ],
};

export const TRAFFICKING_GROUPS: readonly FieldGroup[] = [
  {
    title: 'case.group.identification',
    fields: [
      TRAFFICKING_STATUS,
      { name: 'status_decided_by', kind: 'code', list: 'status_decided_by' },
      DATE_IDENTIFIED,
      IDENTIFIED_BY,
      { name: 'referral_source', kind: 'text', max: 200 },
      RISK_LEVEL,
    ],
  },
  {
    title: 'case.group.exploitation',
    fields: [
      { name: 'exploitation_types', kind: 'codes', list: 'exploitation_type' },
      { name: 'labour_industry', kind: 'code', list: 'labour_industry' },
      { name: 'sexual_exploitation_types', kind: 'codes', list: 'sexual_exploitation_type' },
    ],
  },
  {
    title: 'case.group.recruitment',
    fields: [
      { name: 'recruitment_methods', kind: 'codes', list: 'recruitment_method' },
      { name: 'relation_to_recruiter', kind: 'code', list: 'relation_to_recruiter' },
      { name: 'means_of_control', kind: 'codes', list: 'means_of_control' },
      { name: 'vulnerabilities', kind: 'codes', list: 'vulnerability' },
    ],
  },
  {
    title: 'case.group.events',
    fields: [{ name: 'trafficking_events', kind: 'events' }],
  },
];

export const SUPPORT_PLAN_GROUPS: readonly FieldGroup[] = [
  {
    title: 'case.group.plan',
    fields: [
      { name: 'support_objectives', kind: 'longText' },
      { name: 'support_action_plan', kind: 'longText' },
      { name: 'support_planned_end', kind: 'date' },
    ],
  },
];

// --- Records attached to a case, and partners ---

export const CONSENT_FORM: readonly FieldDescriptor[] = [
  { name: 'purpose', kind: 'code', list: 'consent_purpose', required: true },
  // Shown (and then required) only for consent to a referral.
  { name: 'partner', kind: 'choice', required: true },
  { name: 'decision', kind: 'code', list: 'consent_decision', required: true },
  { name: 'date', kind: 'date', required: true },
  { name: 'method', kind: 'code', list: 'consent_method', required: true },
  { name: 'notes', kind: 'longText' },
];

export const SERVICE_FORM: readonly FieldDescriptor[] = [
  { name: 'type', kind: 'code', list: 'support_type', required: true },
  { name: 'provider', kind: 'text', max: 200 },
  { name: 'start_date', kind: 'date' },
  { name: 'end_date', kind: 'date' },
  { name: 'status', kind: 'code', list: 'service_status', required: true },
  { name: 'notes', kind: 'longText' },
];

export const REFERRAL_FORM: readonly FieldDescriptor[] = [
  { name: 'direction', kind: 'code', list: 'referral_direction', required: true },
  { name: 'partner', kind: 'choice', required: true },
  { name: 'reason', kind: 'code', list: 'referral_reason' },
  { name: 'details', kind: 'longText' },
  { name: 'date', kind: 'date', required: true },
  { name: 'status', kind: 'code', list: 'referral_status', required: true },
];

export const REFERRAL_OVERRIDE: FieldDescriptor = {
  name: 'consent_override_reason',
  kind: 'longText',
  required: true,
};

export const NOTE_FORM: readonly FieldDescriptor[] = [
  { name: 'text', kind: 'longText', required: true },
];

export const FOLLOW_UP_FORM: readonly FieldDescriptor[] = [
  { name: 'due_date', kind: 'date', required: true },
  { name: 'description', kind: 'text', max: 300, required: true },
  { name: 'assigned_to', kind: 'choice' },
];

export const PARTNER_FORM: readonly FieldDescriptor[] = [
  { name: 'name', kind: 'text', max: 200, required: true },
  { name: 'type', kind: 'code', list: 'organisation_type', required: true },
  { name: 'contact', kind: 'text', max: 300 },
  { name: 'city', kind: 'text', max: 100 },
  { name: 'country', kind: 'code', list: 'country' },
];

export const CLOSE_FORM: readonly FieldDescriptor[] = [
  { name: 'closure_reason', kind: 'longText', required: true },
];
