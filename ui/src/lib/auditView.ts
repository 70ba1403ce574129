// The audit view in words and numbers: the filters a supervisor sets and the query they make, the
// checks made before asking (a date or case id typed wrong would otherwise match nothing, or
// everything, without a word), and an entry as the table shows it: action, outcome, role and field
// names translated, who acted and what it concerned. Used by the Audit section and by a case's
// Audit tab.

import { isIsoDate, localDayStartMs } from './dates';
import { t, type MessageKey } from './i18n/i18n.svelte';
import type {
  AuditAction,
  AuditEntry,
  AuditExport,
  AuditOutcome,
  AuditQuery,
  AuditVerification,
} from './ipc';
import { isFieldName, isRecordKind } from './recordFields';

/** Every action the log records, with its translated name; the filter lists them in this order. */
const ACTION_TEXTS = {
  unlock: 'audit.action.unlock',
  unlock_failed: 'audit.action.unlock_failed',
  lock: 'audit.action.lock',
  open_case: 'audit.action.open_case',
  create_case: 'audit.action.create_case',
  update_case: 'audit.action.update_case',
  close_case: 'audit.action.close_case',
  reopen_case: 'audit.action.reopen_case',
  reassign_case: 'audit.action.reassign_case',
  consent_change: 'audit.action.consent_change',
  add_record: 'audit.action.add_record',
  update_record: 'audit.action.update_record',
  add_partner: 'audit.action.add_partner',
  update_partner: 'audit.action.update_partner',
  add_account: 'audit.action.add_account',
  disable_account: 'audit.action.disable_account',
  enable_account: 'audit.action.enable_account',
  reset_passphrase: 'audit.action.reset_passphrase',
  change_passphrase: 'audit.action.change_passphrase',
  change_language: 'audit.action.change_language',
  change_settings: 'audit.action.change_settings',
  view_audit: 'audit.action.view_audit',
  verify_audit: 'audit.action.verify_audit',
  export_audit: 'audit.action.export_audit',
  checkpoint: 'audit.action.checkpoint',
  print: 'audit.action.print',
  export: 'audit.action.export',
  import: 'audit.action.import',
  view_status: 'audit.action.view_status',
  list_accounts: 'audit.action.list_accounts',
  view_partners: 'audit.action.view_partners',
  resolve_conflict: 'audit.action.resolve_conflict',
  merge_cases: 'audit.action.merge_cases',
  mark_different: 'audit.action.mark_different',
  check_integrity: 'audit.action.check_integrity',
  rekey_vault: 'audit.action.rekey_vault',
  wipe_vault: 'audit.action.wipe_vault',
  set_partner_key: 'audit.action.set_partner_key',
  send_referral: 'audit.action.send_referral',
  receive_referral: 'audit.action.receive_referral',
  answer_referral: 'audit.action.answer_referral',
  import_answer: 'audit.action.import_answer',
  view_statistics: 'audit.action.view_statistics',
  export_statistics: 'audit.action.export_statistics',
  export_htcds: 'audit.action.export_htcds',
} as const satisfies Record<AuditAction, MessageKey>;

const OUTCOME_TEXTS = {
  ok: 'audit.outcome.ok',
  denied: 'audit.outcome.denied',
  failed: 'audit.outcome.failed',
} as const satisfies Record<AuditOutcome, MessageKey>;

/** What verifying can find wrong (AuditProblem.kind). */
const PROBLEM_KIND_TEXTS = {
  changed: 'audit.problemKind.changed',
  unlinked: 'audit.problemKind.unlinked',
  missing: 'audit.problemKind.missing',
  cut: 'audit.problemKind.cut',
  rewritten: 'audit.problemKind.rewritten',
  bad_checkpoint: 'audit.problemKind.bad_checkpoint',
} as const satisfies Record<string, MessageKey>;

export const AUDIT_ACTIONS = Object.keys(ACTION_TEXTS) as AuditAction[];
export const AUDIT_OUTCOMES = Object.keys(OUTCOME_TEXTS) as AuditOutcome[];

/** Entries per page of the audit view. */
export const AUDIT_PAGE_SIZE = 50;

export function isAuditAction(name: string): name is AuditAction {
  return Object.hasOwn(ACTION_TEXTS, name);
}

export function isAuditOutcome(name: string): name is AuditOutcome {
  return Object.hasOwn(OUTCOME_TEXTS, name);
}

// --- Filters ------------------------------------------------------------------------------------

/** What the audit view lets a person choose, as typed or picked. '' means "any". */
export interface AuditFilters {
  /** Account id. */
  account: string;
  /** Case id, as typed. */
  caseId: string;
  action: string;
  /** First day, `YYYY-MM-DD`, on this computer's calendar. */
  since: string;
  /** Last day, included. */
  until: string;
  outcome: string;
  page: number;
}

export function defaultAuditFilters(caseId: string | null = null): AuditFilters {
  return {
    account: '',
    caseId: caseId ?? '',
    action: '',
    since: '',
    until: '',
    outcome: '',
    page: 0,
  };
}

/** Whether `text` is a case id as the core writes them: 32 hexadecimal digits. */
export function isCaseId(text: string): boolean {
  return /^[0-9a-f]{32}$/i.test(text.trim());
}

/** The filters the person types, which may be typed wrong. */
export type AuditTypedFilter = 'caseId' | 'since' | 'until';

export interface AuditFilterProblem {
  filter: AuditTypedFilter;
  problem: 'not_a_case_id' | 'not_a_date' | 'until_before_since';
}

const AUDIT_FILTER_PROBLEM_TEXTS = {
  not_a_case_id: 'audit.problem.notACaseId',
  not_a_date: 'audit.problem.notADate',
  until_before_since: 'audit.problem.untilBeforeSince',
} as const satisfies Record<AuditFilterProblem['problem'], MessageKey>;

/**
 * What is wrong with the typed filters. The core ignores a day it cannot read and matches no case
 * to an id that is not one, so either would show a list that is silently not what was asked for.
 */
export function checkAuditFilters(filters: AuditFilters): AuditFilterProblem[] {
  const problems: AuditFilterProblem[] = [];
  const caseId = filters.caseId.trim();
  if (caseId !== '' && !isCaseId(caseId)) {
    problems.push({ filter: 'caseId', problem: 'not_a_case_id' });
  }
  const since = filters.since.trim();
  const until = filters.until.trim();
  if (since !== '' && !isIsoDate(since)) problems.push({ filter: 'since', problem: 'not_a_date' });
  if (until !== '' && !isIsoDate(until)) problems.push({ filter: 'until', problem: 'not_a_date' });
  else if (until !== '' && isIsoDate(since) && until < since) {
    problems.push({ filter: 'until', problem: 'until_before_since' });
  }
  return problems;
}

export function auditFilterProblemText(problem: AuditFilterProblem): string {
  return t(AUDIT_FILTER_PROBLEM_TEXTS[problem.problem]);
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** The audit_entries (and export_audit_csv) query for these filters. */
export function buildAuditQuery(
  filters: AuditFilters,
  pageSize: number = AUDIT_PAGE_SIZE,
): AuditQuery {
  const action = filters.action.trim();
  const outcome = filters.outcome.trim();
  return {
    account: orNull(filters.account),
    case_id: orNull(filters.caseId)?.toLowerCase() ?? null,
    action: isAuditAction(action) ? action : null,
    since_ms: localDayStartMs(filters.since),
    before_ms: localDayStartMs(filters.until, 1),
    outcome: isAuditOutcome(outcome) ? outcome : null,
    page: Number.isFinite(filters.page) ? Math.max(0, Math.floor(filters.page)) : 0,
    page_size: pageSize,
  };
}

/** Whether anything narrows the list. */
export function isAuditFiltered(filters: AuditFilters): boolean {
  const query = buildAuditQuery(filters);
  return (
    query.account !== null ||
    query.case_id !== null ||
    query.action !== null ||
    query.since_ms !== null ||
    query.before_ms !== null ||
    query.outcome !== null
  );
}

// --- An entry in words ----------------------------------------------------------------------------

/** An action's translated name; the stored name for one this version does not know. */
export function actionLabel(action: string): string {
  return isAuditAction(action) ? t(ACTION_TEXTS[action]) : action;
}

export function outcomeLabel(outcome: string): string {
  return isAuditOutcome(outcome) ? t(OUTCOME_TEXTS[outcome]) : outcome;
}

/** Refused and failed attempts stand out in the table. */
export function isProblemOutcome(outcome: string): boolean {
  return outcome !== 'ok';
}

export function roleLabel(role: string | null): string {
  if (role === 'admin' || role === 'supervisor' || role === 'caseworker') return t(`role.${role}`);
  return role ?? '';
}

/**
 * A field name as an entry holds it, in words: "given_name" is "Given name", and a field of a
 * record attached to a case ("follow_up.due_date") is named with its kind of record. A name the
 * record screens have no label for ("filter.account", "recovery_key") is shown as stored.
 */
export function auditFieldLabel(field: string): string {
  const dot = field.indexOf('.');
  if (dot > 0) {
    const kind = field.slice(0, dot);
    const name = field.slice(dot + 1);
    if (isRecordKind(kind) && isFieldName(name)) {
      return t('audit.fieldOf', { record: t(`recordKind.${kind}`), field: t(`field.${name}`) });
    }
    return field;
  }
  return isFieldName(field) ? t(`field.${field}`) : field;
}

/** The fields of an entry as one comma-separated line. */
export function auditFieldsText(fields: readonly string[]): string {
  return fields.map(auditFieldLabel).join(', ');
}

/** Names of accounts by id, for entries about an account this vault no longer names itself. */
export type AccountNames = Readonly<Record<string, string>>;

/** Who acted: their name, else their account id, else (a failed unlock of an unknown name) no one. */
export function auditWho(entry: AuditEntry, names: AccountNames = {}): string {
  if (entry.account_name) return entry.account_name;
  if (entry.account) return names[entry.account] ?? entry.account;
  return t('audit.noAccount');
}

/** What the entry concerned: a case by its number, an account by its name, else kind and id. */
export function auditTarget(entry: AuditEntry, names: AccountNames = {}): string {
  const id = entry.target_id ?? '';
  switch (entry.target_kind) {
    case null:
      return '';
    case 'case':
      return entry.case_number ?? t('audit.target', { kind: t('recordKind.case'), id });
    case 'account':
      return names[id] ?? t('audit.target', { kind: t('audit.targetKind.account'), id });
    case 'partner':
      return t('audit.target', { kind: t('recordKind.partner'), id });
    case 'packet':
      return t('audit.target', { kind: t('audit.targetKind.packet'), id });
    default:
      return t('audit.target', { kind: entry.target_kind, id });
  }
}

/** The id of the case an entry concerned, or null. */
export function auditCaseId(entry: AuditEntry): string | null {
  return entry.target_kind === 'case' ? entry.target_id : null;
}

/** What verifying found: "intact", or the first problem with its entry and what is wrong. */
export function verificationText(verification: AuditVerification): string {
  const { problem } = verification;
  if (verification.intact) return t('audit.intact', { entries: verification.entries });
  if (problem === null) return t('audit.notIntactUnnamed');
  const kind = Object.hasOwn(PROBLEM_KIND_TEXTS, problem.kind)
    ? t(PROBLEM_KIND_TEXTS[problem.kind as keyof typeof PROBLEM_KIND_TEXTS])
    : problem.kind;
  return t('audit.notIntact', { seq: problem.seq, device: problem.device, problem: kind });
}

export function exportText(saved: AuditExport): string {
  return t('audit.exported', { count: saved.entries, path: saved.path });
}
