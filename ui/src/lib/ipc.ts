// The only module that talks to the Rust shell. Each command the UI uses gets a typed wrapper here,
// and every failure reaches the rest of the UI as an IpcError, whatever `invoke` rejected with.
// The commands' names, argument keys and types come from bindings/commands.ts, which is generated
// from the Rust functions: everything crossing IPC is in the core's casing (snake_case).

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Account } from './bindings/Account';
import type { AppInfo } from './bindings/AppInfo';
import type { Action as AuditAction } from './bindings/AuditAction';
import type { AuditEntry } from './bindings/AuditEntry';
import type { AuditExport } from './bindings/AuditExport';
import type { Outcome as AuditOutcome } from './bindings/AuditOutcome';
import type { AuditPage } from './bindings/AuditPage';
import type { AuditProblem } from './bindings/AuditProblem';
import type { AuditQuery } from './bindings/AuditQuery';
import type { AuditVerification } from './bindings/AuditVerification';
import type { CaseActions } from './bindings/CaseActions';
import type { CheckpointWritten } from './bindings/CheckpointWritten';
import type { ChosenFile } from './bindings/ChosenFile';
import type { ClockSkew } from './bindings/ClockSkew';
import type { CaseCreated } from './bindings/CaseCreated';
import type { CaseFields } from './bindings/CaseFields';
import type { CaseFile } from './bindings/CaseFile';
import type { CasePage } from './bindings/CasePage';
import type { CaseQuery } from './bindings/CaseQuery';
import type { CaseSort } from './bindings/CaseSort';
import type { CaseSummary } from './bindings/CaseSummary';
import type { Code } from './bindings/Code';
import type { CommandName, Commands } from './bindings/commands';
import type { HtcdsWritten } from './bindings/HtcdsWritten';
import type { ReportWritten } from './bindings/ReportWritten';
import type { Statistics } from './bindings/Statistics';
import type { CodeList } from './bindings/CodeList';
import type { Approval } from './bindings/Approval';
import type { Conflict } from './bindings/Conflict';
import type { ConflictChoice } from './bindings/ConflictChoice';
import type { ConflictVersion } from './bindings/ConflictVersion';
import type { DeviceIdentity } from './bindings/DeviceIdentity';
import type { DeviceSync } from './bindings/DeviceSync';
import type { ExportSummary } from './bindings/ExportSummary';
import type { FolderImport } from './bindings/FolderImport';
import type { ImportSummary } from './bindings/ImportSummary';
import type { RosterDevice } from './bindings/RosterDevice';
import type { ReferralKey } from './bindings/ReferralKey';
import type { SentPacket } from './bindings/SentPacket';
import type { ReceivedReferral } from './bindings/ReceivedReferral';
import type { ImportedAnswer } from './bindings/ImportedAnswer';
import type { SyncStatus } from './bindings/SyncStatus';
import type { ConsentFields } from './bindings/ConsentFields';
import type { CreatedVault } from './bindings/CreatedVault';
import type { RekeyOutcome } from './bindings/RekeyOutcome';
import type { WipeOutcome } from './bindings/WipeOutcome';
import type { FollowUpDue } from './bindings/FollowUpDue';
import type { FollowUpFields } from './bindings/FollowUpFields';
import type { HearthRecord } from './bindings/HearthRecord';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { IdentityDocument } from './bindings/IdentityDocument';
import type { ErrorCategory } from './bindings/ErrorCategory';
import type { ErrorKind } from './bindings/ErrorKind';
import type { FieldIssue } from './bindings/FieldIssue';
import type { IntegrityStatus } from './bindings/IntegrityStatus';
import type { IpcError as ShellError } from './bindings/IpcError';
import type { NoteFields } from './bindings/NoteFields';
import type { OfficeRecipient } from './bindings/OfficeRecipient';
import type { PartnerFields } from './bindings/PartnerFields';
import type { PassphraseAssessment } from './bindings/PassphraseAssessment';
import type { PossibleDuplicate } from './bindings/PossibleDuplicate';
import type { ProgressReport } from './bindings/ProgressReport';
import type { DuplicateQuery } from './bindings/DuplicateQuery';
import type { ReferralFields } from './bindings/ReferralFields';
import type { Role } from './bindings/Role';
import type { ServiceFields } from './bindings/ServiceFields';
import type { SessionOverview } from './bindings/SessionOverview';
import type { StaffMember } from './bindings/StaffMember';
import type { TraffickingEvent } from './bindings/TraffickingEvent';
import type { VaultState } from './bindings/VaultState';
import type { VaultStatus } from './bindings/VaultStatus';

export type {
  FolderImport,
  Approval,
  ImportedAnswer,
  ReceivedReferral,
  ReferralKey,
  SentPacket,
  ChosenFile,
  CheckpointWritten,
  OfficeRecipient,
  Conflict,
  ConflictChoice,
  ConflictVersion,
  DeviceIdentity,
  DeviceSync,
  ExportSummary,
  ImportSummary,
  RosterDevice,
  SyncStatus,
  Account,
  AppInfo,
  AuditAction,
  AuditEntry,
  AuditExport,
  AuditOutcome,
  AuditPage,
  AuditProblem,
  AuditQuery,
  AuditVerification,
  CaseActions,
  ClockSkew,
  CaseCreated,
  CaseFields,
  CaseFile,
  CasePage,
  CaseQuery,
  CaseSort,
  CaseSummary,
  Code,
  CodeList,
  ConsentFields,
  CreatedVault,
  RekeyOutcome,
  WipeOutcome,
  FollowUpDue,
  FollowUpFields,
  HearthRecord,
  HistoryEntry,
  IdentityDocument,
  IntegrityStatus,
  NoteFields,
  PartnerFields,
  PassphraseAssessment,
  PossibleDuplicate,
  ProgressReport,
  DuplicateQuery,
  ReferralFields,
  Role,
  ServiceFields,
  SessionOverview,
  StaffMember,
  TraffickingEvent,
  VaultState,
  VaultStatus,
};

/** Every code list by name ("gender", "country", ...), as `code_lists` returns them. */
export type CodeLists = Commands['code_lists']['returns'];

/** The kinds of record attached to a case, as the core names them. */
export const CASE_RECORD_KINDS = ['consent', 'service', 'referral', 'note', 'follow_up'] as const;
export type CaseRecordKind = (typeof CASE_RECORD_KINDS)[number];

/**
 * Record fields as sent to the core: only the keys given change, and `null` (or "") clears one.
 * The core checks every value against its field table.
 */
export type FieldInput = { [field: string]: unknown };

/** How a case is closed. */
export type ClosedStatus = 'Closed' | 'ClosedReferred';

/** Tauri itself refused or failed the call (unknown command, permission denied, ...). */
export const IPC_FAILURE = 'ipc';
/** The rejection had no recognisable shape; its content is not shown. */
export const UNKNOWN_FAILURE = 'unknown';
/** The core has no unlocked session any more: the UI must go back to the unlock screen. */
export const SESSION_LOCKED = 'locked';

/** The kinds a failure in the UI can have: the shell's, and the UI's own two. */
export type UiErrorKind = ErrorKind | typeof IPC_FAILURE | typeof UNKNOWN_FAILURE;

/** A failed command as the UI handles it: the shell's error, or one of the UI's own kinds. */
export type IpcError = Omit<ShellError, 'kind'> & { kind: UiErrorKind };

export type { ErrorCategory, ErrorKind };

const CATEGORIES: ReadonlySet<string> = new Set<ErrorCategory>(['file', 'vault', 'refused', 'other']);

/** Turns anything `invoke` may reject with into an IpcError. */
export function toIpcError(reason: unknown): IpcError {
  if (isErrorShape(reason)) {
    // Copy only the known fields, so nothing else that came along is passed on to the UI.
    const { category, retry_after_seconds, fields, needed_bytes, free_bytes } = reason as {
      category?: unknown;
      retry_after_seconds?: unknown;
      fields?: unknown;
      needed_bytes?: unknown;
      free_bytes?: unknown;
    };
    return {
      // The shell sends only its own kinds; one this UI does not know falls back to the message.
      kind: reason.kind as UiErrorKind,
      category:
        typeof category === 'string' && CATEGORIES.has(category)
          ? (category as ErrorCategory)
          : 'other',
      message: reason.message,
      retry_after_seconds: finiteOrNull(retry_after_seconds),
      fields: Array.isArray(fields) ? fields.filter(isFieldIssue).map(copyFieldIssue) : [],
      needed_bytes: finiteOrNull(needed_bytes),
      free_bytes: finiteOrNull(free_bytes),
    };
  }
  // Tauri reports its own failures, such as a command no capability grants, as plain strings.
  if (typeof reason === 'string' && reason !== '') {
    return plainError(IPC_FAILURE, reason);
  }
  if (reason instanceof Error && reason.message !== '') {
    return plainError(IPC_FAILURE, reason.message);
  }
  return plainError(UNKNOWN_FAILURE, 'Hearth could not complete this action.');
}

/** An IpcError of `kind` with no wait and no field. */
export function plainError(kind: UiErrorKind, message: string): IpcError {
  return {
    kind,
    category: 'other',
    message,
    retry_after_seconds: null,
    fields: [],
    needed_bytes: null,
    free_bytes: null,
  };
}

function isFieldIssue(value: unknown): value is FieldIssue {
  if (typeof value !== 'object' || value === null) return false;
  const { field, problem } = value as Record<string, unknown>;
  return typeof field === 'string' && field !== '' && typeof problem === 'string' && problem !== '';
}

/** Only the known parts of a refused field, limits as text or null. */
function copyFieldIssue(issue: FieldIssue): FieldIssue {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return { field: issue.field, problem: issue.problem, min: text(issue.min), max: text(issue.max) };
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function isErrorShape(value: unknown): value is { kind: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message } = value as Record<string, unknown>;
  return typeof kind === 'string' && typeof message === 'string';
}

/** Tells whether something thrown by a wrapper below is an IpcError (they throw nothing else). */
export function isIpcError(value: unknown): value is IpcError {
  return isErrorShape(value) && 'retry_after_seconds' in value;
}

type SessionLostListener = () => void;
const sessionLostListeners = new Set<SessionLostListener>();

/**
 * Calls `listener` whenever a command fails because the core's session is gone (it locked itself,
 * or was locked from elsewhere). Returns a function that stops the calls.
 */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/** A command's arguments, keyed as the Rust function names them. */
type Args<C extends CommandName> = Commands[C]['args'];

/** A command's arguments as `call` takes them: none for a command without any. */
type ArgsOf<C extends CommandName> = keyof Args<C> extends never ? [] : [args: Args<C>];

/** What a command returns. */
type Returns<C extends CommandName> = Commands[C]['returns'];

async function call<C extends CommandName>(command: C, ...args: ArgsOf<C>): Promise<Returns<C>> {
  try {
    return await invoke<Returns<C>>(command, args[0]);
  } catch (reason) {
    const error = toIpcError(reason);
    if (error.kind === SESSION_LOCKED) {
      for (const listener of [...sessionLostListeners]) listener();
    }
    throw error;
  }
}

/** The app's name and version; available before unlock. */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}

/** Whether this laptop has a vault yet, and the demo credentials in demo mode. Before unlock. */
export function vaultState(): Promise<VaultState> {
  return call('vault_state');
}

/** The core's estimate of a passphrase, for the strength meter. */
export function assessPassphrase(args: Args<'assess_passphrase'>): Promise<PassphraseAssessment> {
  return call('assess_passphrase', args);
}

/** Creates the vault and its first administrator; takes a few seconds (KDF calibration). */
export function createVault(args: Args<'create_vault'>): Promise<CreatedVault> {
  return call('create_vault', args);
}

export function unlock(args: Args<'unlock'>): Promise<SessionOverview> {
  return call('unlock', args);
}

/**
 * Sets a new passphrase for an administrator with the recovery key (`account_name` empty: the
 * first administrator); resolves to the administrator's name.
 */
export function recoverAdmin(args: Args<'recover_admin'>): Promise<string> {
  return call('recover_admin', args);
}

export function lock(): Promise<null> {
  return call('lock');
}

/** The event the core sends when it locked the vault for inactivity (src-tauri/src/idle_watch.rs). */
const LOCKED_EVENT = 'session-locked';

/**
 * Calls `listener` when the core locked the vault because nobody used the app, whatever this page
 * did meanwhile. Resolves to a function that stops the calls.
 */
export function onIdleLock(listener: () => void): Promise<() => void> {
  return listen(LOCKED_EVENT, () => listener());
}

/** The event the core sends while long work runs (src-tauri/src/progress_events.rs). */
const PROGRESS_EVENT = 'progress';

/** Calls `listener` with each report of long work (an export, a preview, an import). */
export function onProgress(listener: (report: ProgressReport) => void): Promise<() => void> {
  return listen<ProgressReport>(PROGRESS_EVENT, (event) => listener(event.payload));
}

/** Someone is using the app: the core moves its idle deadline. */
export function recordActivity(): Promise<null> {
  return call('record_activity');
}

export function currentSession(): Promise<SessionOverview | null> {
  return call('current_session');
}

export function vaultStatus(): Promise<VaultStatus> {
  return call('vault_status');
}

/** Where the check of every page, started at unlock, stands; null if it was not started. */
export function integrityStatus(): Promise<IntegrityStatus | null> {
  return call('integrity_status');
}

export function listAccounts(): Promise<Account[]> {
  return call('list_accounts');
}

export function addAccount(args: Args<'add_account'>): Promise<Account> {
  return call('add_account', args);
}

export function disableAccount(args: Args<'disable_account'>): Promise<Account> {
  return call('disable_account', args);
}

/** Re-encrypts the vault under a new data key; every live key slot is given it (administrators). */
export function rekeyVault(): Promise<RekeyOutcome> {
  return call('rekey_vault');
}

/**
 * Makes the vault unreadable for good (administrators): every key slot destroyed, every file
 * overwritten and removed. The session ends whatever the outcome.
 */
export function wipeVault(): Promise<WipeOutcome> {
  return call('wipe_vault');
}

/** Whether a duress passphrase is set (administrators). */
export function duressPassphraseSet(): Promise<boolean> {
  return call('duress_passphrase_set');
}

/** Sets the duress passphrase: typed at unlock, it wipes the vault and opens an empty one. */
export function setDuressPassphrase(args: Args<'set_duress_passphrase'>): Promise<null> {
  return call('set_duress_passphrase', args);
}

/** Removes the duress passphrase; whether there was one. */
export function removeDuressPassphrase(): Promise<boolean> {
  return call('remove_duress_passphrase');
}

export function enableAccount(args: Args<'enable_account'>): Promise<Account> {
  return call('enable_account', args);
}

export function resetPassphrase(args: Args<'reset_passphrase'>): Promise<null> {
  return call('reset_passphrase', args);
}

export function changeOwnPassphrase(args: Args<'change_own_passphrase'>): Promise<null> {
  return call('change_own_passphrase', args);
}

export function setLanguage(args: Args<'set_language'>): Promise<null> {
  return call('set_language', args);
}

export function setIdleTimeout(args: Args<'set_idle_timeout'>): Promise<null> {
  return call('set_idle_timeout', args);
}

// --- Case records -------------------------------------------------------------------------------

/** Every code list with its labels in each UI language. */
export function codeLists(): Promise<CodeLists> {
  return call('code_lists');
}

/** Caseworkers and supervisors: who can own a case, be assigned to it, or be given a follow-up. */
export function caseStaff(): Promise<StaffMember[]> {
  return call('case_staff');
}

/** A page of the cases this account may see; with `query.text`, the search. */
export function listCases(args: Args<'list_cases'>): Promise<CasePage> {
  return call('list_cases', args);
}

/** Opens a new case from the intake form. */
/** Cases this person may see that may be the same person as the one an intake is typed for. */
export function possibleDuplicates(args: Args<'possible_duplicates'>): Promise<PossibleDuplicate[]> {
  return call('possible_duplicates', args);
}

/** Cases that may be the same person as case `id`'s (supervisors). */
export function caseDuplicates(args: Args<'case_duplicates'>): Promise<PossibleDuplicate[]> {
  return call('case_duplicates', args);
}

/** Merges case `merged` into `keep` (one person); returns `keep`'s page. */
export function mergeCases(args: Args<'merge_cases'>): Promise<CaseFile> {
  return call('merge_cases', args);
}

/** Records that cases `id` and `other` are two people; returns `id`'s page. */
export function markDifferent(args: Args<'mark_different'>): Promise<CaseFile> {
  return call('mark_different', args);
}

export function createCase(args: Args<'create_case'>): Promise<CaseCreated> {
  return call('create_case', args);
}

/** Everything on a case's page. */
export function openCase(args: Args<'open_case'>): Promise<CaseFile> {
  return call('open_case', args);
}

/** Changes the case fields given (send only those that changed); returns the case as it now is. */
export function updateCase(args: Args<'update_case'>): Promise<CaseFile> {
  return call('update_case', args);
}

/** Closes a case with the reason (supervisors). */
export function closeCase(args: Args<'close_case'> & { status: ClosedStatus }): Promise<CaseFile> {
  return call('close_case', args);
}

/** Reopens a closed case as Active (supervisors). */
export function reopenCase(args: Args<'reopen_case'>): Promise<CaseFile> {
  return call('reopen_case', args);
}

/** Every field-level change to a case and what is attached to it, oldest first. */
export function caseHistory(args: Args<'case_history'>): Promise<HistoryEntry[]> {
  return call('case_history', args);
}

/** Attaches a consent decision, service, referral, note or follow-up to a case. */
export function addCaseRecord(
  args: Args<'add_case_record'> & { kind: CaseRecordKind },
): Promise<CaseFile> {
  return call('add_case_record', args);
}

/** Changes the fields given of a record attached to a case (never a consent decision). */
export function updateCaseRecord(
  args: Args<'update_case_record'> & { kind: CaseRecordKind },
): Promise<CaseFile> {
  return call('update_case_record', args);
}

/** The signed-in person's open follow-ups, soonest first. */
export function myFollowUps(): Promise<FollowUpDue[]> {
  return call('my_follow_ups');
}

/** The directory of partner organisations, by name. */
export function listPartners(): Promise<HearthRecord<PartnerFields>[]> {
  return call('list_partners');
}

/** Adds a partner organisation; returns the directory. */
export function addPartner(args: Args<'add_partner'>): Promise<HearthRecord<PartnerFields>[]> {
  return call('add_partner', args);
}

/** Changes a partner organisation; returns the directory. */
export function updatePartner(
  args: Args<'update_partner'>,
): Promise<HearthRecord<PartnerFields>[]> {
  return call('update_partner', args);
}

// --- The audit log (supervisors and administrators) ---------------------------------------------

/** A page of the audit log matching `query`, newest first. */
export function auditEntries(args: Args<'audit_entries'>): Promise<AuditPage> {
  return call('audit_entries', args);
}

/** Who has seen or changed a case and what is attached to it: the newest 200 entries. */
export function caseAudit(args: Args<'case_audit'>): Promise<AuditEntry[]> {
  return call('case_audit', args);
}

/**
 * Recomputes every chain of the log and names the first entry that does not match; with a
 * checkpoint's path, also whether entries were cut off or rewritten since it was signed.
 */
export function verifyAudit(args: Args<'verify_audit'> = { checkpoint_path: null }): Promise<AuditVerification> {
  return call('verify_audit', args);
}

/** Signs where the log stands and writes the checkpoint to `path`, chosen with chooseFile. */
export function writeAuditCheckpoint(args: Args<'write_audit_checkpoint'>): Promise<CheckpointWritten> {
  return call('write_audit_checkpoint', args);
}

/** Writes every entry matching `query` to `path`, a CSV file chosen with chooseFile. */
export function exportAuditCsv(args: Args<'export_audit_csv'>): Promise<AuditExport> {
  return call('export_audit_csv', args);
}

// --- Files -------------------------------------------------------------------------------------

/**
 * Shows the system's Save or Open dialog for a kind of file, titled in the UI's language; the Rust
 * side shows it and remembers the folder. `null` when the person cancelled.
 */
export function chooseFile(args: Args<'choose_file'>): Promise<ChosenFile | null> {
  return call('choose_file', args);
}

// --- Printed documents and referral packets ----------------------------------------------------

/** Writes a case's printable summary (every section) as a PDF to `path`, chosen with chooseFile. */
export function saveCaseSummary(args: Args<'save_case_summary'>): Promise<null> {
  return call('save_case_summary', args);
}

/** Writes the recovery key sheet as a PDF to `path`, chosen with chooseFile. */
export function saveRecoverySheet(args: Args<'save_recovery_sheet'>): Promise<null> {
  return call('save_recovery_sheet', args);
}

/** Sets (or, with null, removes) a partner's key (supervisors); returns its fingerprint. */
export function setPartnerKey(args: Args<'set_partner_key'>): Promise<string | null> {
  return call('set_partner_key', args);
}

/** A key's fingerprint, as the partner reads it back. */
export function keyFingerprint(args: Args<'key_fingerprint'>): Promise<string> {
  return call('key_fingerprint', args);
}

/** This laptop's key for referral packets, to give to organisations that refer people here. */
export function referralKey(): Promise<ReferralKey> {
  return call('referral_key');
}

/** Writes a referral packet for an outgoing referral to `path`, chosen with chooseFile. */
export function sendReferral(args: Args<'send_referral'>): Promise<SentPacket> {
  return call('send_referral', args);
}

/** Opens a partner's packet as a new case (with this laptop's key, or the one-time passphrase). */
export function receiveReferral(args: Args<'receive_referral'>): Promise<ReceivedReferral> {
  return call('receive_referral', args);
}

/** Answers a referral that came in as a packet; writes the answer to `path`. */
export function answerReferral(args: Args<'answer_referral'>): Promise<CaseFile> {
  return call('answer_referral', args);
}

/** Imports a partner's answer to a packet sent from this laptop. */
export function importReferralAnswer(args: Args<'import_referral_answer'>): Promise<ImportedAnswer> {
  return call('import_referral_answer', args);
}

// --- Statistics and standard exports -------------------------------------------------------------

/** Exact counts of every case in the scope (supervisors, administrators). */
export function statistics(args: Args<'statistics'>): Promise<Statistics> {
  return call('statistics', args);
}

/** The k exports hide counts below. */
export function statisticsK(): Promise<number> {
  return call('statistics_k');
}

/** An administrator raises k (the core refuses to lower it). */
export function setStatisticsK(args: Args<'set_statistics_k'>): Promise<null> {
  return call('set_statistics_k', args);
}

/** Writes the anonymous statistics (CSV, manifest beside it) to `path`, chosen with chooseFile. */
export function exportStatistics(args: Args<'export_statistics'>): Promise<ReportWritten> {
  return call('export_statistics', args);
}

/** Writes CTDC-style anonymised records (CSV, manifest beside it) to `path`. */
export function exportCtdc(args: Args<'export_ctdc'>): Promise<ReportWritten> {
  return call('export_ctdc', args);
}

/** Writes the organisation's consented cases in HTCDS shape to `path` (supervisors). */
export function exportHtcds(args: Args<'export_htcds'>): Promise<HtcdsWritten> {
  return call('export_htcds', args);
}

// --- Sync: devices, bundles, joining, conflicts ---------------------------------------------------

/** This laptop's public identity and fingerprint. */
export function deviceIdentity(): Promise<DeviceIdentity> {
  return call('device_identity');
}

/** The organisation's devices and the bundles exchanged with each. */
export function syncStatus(): Promise<SyncStatus> {
  return call('sync_status');
}

/** Writes a bundle for the organisation (everything with `full`) to `path`, chosen with chooseFile. */
export function exportBundle(args: Args<'export_bundle'>): Promise<ExportSummary> {
  return call('export_bundle', args);
}

/** What importing the bundle at `path` would change; changes nothing. */
export function previewImport(args: Args<'preview_import'>): Promise<ImportSummary> {
  return call('preview_import', args);
}

/** Imports the bundle at `path`: all of it or nothing. */
export function importBundle(args: Args<'import_bundle'>): Promise<ImportSummary> {
  return call('import_bundle', args);
}

/**
 * Imports every bundle in `folder` (chosen with chooseFile's open_folder), in any order: each all
 * or nothing, the refused ones named with why.
 */
export function importBundleFolder(args: Args<'import_bundle_folder'>): Promise<FolderImport> {
  return call('import_bundle_folder', args);
}

/** Writes this laptop's join request to `path`, chosen with chooseFile. */
export function writeJoinRequest(args: Args<'write_join_request'>): Promise<null> {
  return call('write_join_request', args);
}

/** Approves the join request at `request_path`; writes the enrollment file to `out_path`. */
export function approveDevice(args: Args<'approve_device'>): Promise<Approval> {
  return call('approve_device', args);
}

/** Joins the organisation with an enrollment file from the laptop with that fingerprint. */
export function enroll(args: Args<'enroll'>): Promise<ImportSummary> {
  return call('enroll', args);
}

/** Sets the coordinating office's age recipient; returns it with its fingerprint. */
export function setOffice(args: Args<'set_office'>): Promise<OfficeRecipient> {
  return call('set_office', args);
}

/** Stops the preview or import running; it changes nothing. */
export function cancelLongWork(): Promise<null> {
  return call('cancel_long_work');
}

/** Revokes a device (a lost laptop). Final. */
export function revokeDevice(args: Args<'revoke_device'>): Promise<null> {
  return call('revoke_device', args);
}

/** The conflict queue, oldest first (supervisors). */
export function listConflicts(): Promise<Conflict[]> {
  return call('conflicts');
}

/** Resolves one conflict. */
export function resolveConflict(args: Args<'resolve_conflict'>): Promise<null> {
  return call('resolve_conflict', args);
}
