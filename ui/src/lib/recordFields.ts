// What the UI knows of the core's field tables (hearth-core records::fields): every field name that
// has a label, and which fields hold codes, accounts or partners. Labels are one i18n key per field
// name ("field.<name>"), used by forms, error messages and the history alike. The core stays the
// judge of what a value may be; this only says how to show one.

/** Every field name and list-entry part the UI labels. */
export const FIELD_NAMES = [
  // The person and the case.
  'case_number',
  'created_by',
  'given_name',
  'family_name',
  'aliases',
  'gender',
  'birth_date',
  'estimated_age',
  'citizenships',
  'languages',
  'phone',
  'email',
  'address',
  'identity_documents',
  'status',
  'closure_reason',
  'trafficking_status',
  'status_decided_by',
  'date_identified',
  'identified_by',
  'referral_source',
  'owner',
  'assigned',
  'risk_level',
  'guardian',
  'best_interests_notes',
  'exploitation_types',
  'labour_industry',
  'sexual_exploitation_types',
  'means_of_control',
  'recruitment_methods',
  'relation_to_recruiter',
  'vulnerabilities',
  'trafficking_events',
  'support_objectives',
  'support_action_plan',
  'support_planned_end',
  'merged_into',
  'merged_from',
  'different_from',
  // Parts of identity documents and trafficking events (and fields of other records).
  'type',
  'custody',
  'details',
  'country',
  'locality',
  'date',
  // Attached records and partners.
  'case_id',
  'purpose',
  'partner',
  'decision',
  'method',
  'notes',
  'provider',
  'start_date',
  'end_date',
  'direction',
  'reason',
  'consent_override_reason',
  'packet_id',
  'decline_reason',
  'text',
  'due_date',
  'assigned_to',
  'description',
  'done',
  'name',
  'contact',
  'city',
  'age_recipient',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** The fields that hold a day (`YYYY-MM-DD`), shown in the local form of the UI's language. */
export const DATE_FIELDS: ReadonlySet<string> = new Set([
  'birth_date',
  'date_identified',
  'support_planned_end',
  'date',
  'start_date',
  'end_date',
  'due_date',
]);

export function isFieldName(name: string): name is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(name);
}

/** The kinds of record, as the change log and the history name them. */
export const RECORD_KINDS = [
  'case',
  'consent',
  'service',
  'referral',
  'note',
  'follow_up',
  'partner',
] as const;
export type RecordKindName = (typeof RECORD_KINDS)[number];

export function isRecordKind(name: string): name is RecordKindName {
  return (RECORD_KINDS as readonly string[]).includes(name);
}

/** The code list each coded field takes its values from, by kind of record. */
export const CODE_LIST_OF: Record<RecordKindName, Readonly<Record<string, string>>> = {
  case: {
    gender: 'gender',
    citizenships: 'country',
    languages: 'language',
    status: 'case_status',
    trafficking_status: 'trafficking_status',
    status_decided_by: 'status_decided_by',
    identified_by: 'organisation_type',
    risk_level: 'risk_level',
    exploitation_types: 'exploitation_type',
    labour_industry: 'labour_industry',
    sexual_exploitation_types: 'sexual_exploitation_type',
    means_of_control: 'means_of_control',
    recruitment_methods: 'recruitment_method',
    relation_to_recruiter: 'relation_to_recruiter',
    vulnerabilities: 'vulnerability',
  },
  consent: { purpose: 'consent_purpose', decision: 'consent_decision', method: 'consent_method' },
  service: { type: 'support_type', status: 'service_status' },
  referral: {
    direction: 'referral_direction',
    reason: 'referral_reason',
    status: 'referral_status',
    decline_reason: 'referral_decline_reason',
  },
  note: {},
  follow_up: {},
  partner: { type: 'organisation_type', country: 'country' },
};

/** The code lists of the parts of an identity document. */
export const DOCUMENT_PART_LISTS: Readonly<Record<string, string>> = {
  type: 'identity_document_type',
  custody: 'document_custody',
};

/** The code lists of the parts of a trafficking event. */
export const EVENT_PART_LISTS: Readonly<Record<string, string>> = {
  type: 'trafficking_event_type',
  country: 'country',
};

/** Fields that hold a staff account's id, or a list of them. */
export const ACCOUNT_FIELDS: ReadonlySet<string> = new Set([
  'owner',
  'assigned',
  'created_by',
  'assigned_to',
]);

/** Fields that hold a partner organisation's id. */
export const PARTNER_FIELDS: ReadonlySet<string> = new Set(['partner']);

/** The code list of `field` on a record of `kind`, if it is coded. */
export function codeListOf(kind: string, field: string): string | null {
  if (!isRecordKind(kind)) return null;
  return Object.hasOwn(CODE_LIST_OF[kind], field) ? (CODE_LIST_OF[kind][field] ?? null) : null;
}
