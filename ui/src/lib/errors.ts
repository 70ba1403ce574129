// What the person reads when a command fails. The UI chooses the text by the error's kind, in the
// person's language; it never looks at the message text. An unknown kind shows the core's English
// message, which is better than nothing.

import { fieldProblemText } from './fieldErrors';
import { formatBytes } from './bytes';
import { formatDuration, t, type MessageKey } from './i18n/i18n.svelte';
import type { ErrorCategory, ErrorKind, IpcError } from './ipc';

/**
 * Every kind the shell can send, each with its own translated text. `satisfies` makes the type
 * check fail when a kind (ErrorKind.ts, generated from the core) has no text, or a text no kind.
 */
export const ERROR_TEXTS = {
  no_vault: 'error.no_vault',
  vault_exists: 'error.vault_exists',
  unknown_account: 'error.unknown_account',
  wrong_passphrase: 'error.wrong_passphrase',
  account_disabled: 'error.account_disabled',
  must_wait: 'error.must_wait',
  wrong_recovery_key: 'error.wrong_recovery_key',
  recovery_key_mistyped: 'error.recovery_key_mistyped',
  weak_passphrase: 'error.weak_passphrase',
  invalid_name: 'error.invalid_name',
  denied: 'error.denied',
  account_exists: 'error.account_exists',
  already_in_state: 'error.already_in_state',
  last_admin: 'error.last_admin',
  own_account: 'error.own_account',
  locked: 'error.locked',
  vault_in_use: 'error.vault_in_use',
  old_key_slots: 'error.old_key_slots',
  invalid_input: 'error.invalid_input',
  database: 'error.database',
  key_slots_damaged: 'error.key_slots_damaged',
  slot_altered: 'error.slot_altered',
  schema_too_new: 'error.schema_too_new',
  own_passphrase: 'error.own_passphrase',
  folder: 'error.folder',
  too_many_accounts: 'error.too_many_accounts',
  invalid_field: 'error.invalid_field',
  not_found: 'error.not_found',
  not_on_team: 'error.not_on_team',
  consent_required: 'error.consent_required',
  consent_is_history: 'error.consent_is_history',
  crypto: 'error.crypto',
  export_failed: 'error.export_failed',
  bad_checkpoint: 'error.bad_checkpoint',
  bundle_not_addressed: 'error.bundle_not_addressed',
  unknown_device: 'error.unknown_device',
  bundle_bad_signature: 'error.bundle_bad_signature',
  bundle_newer_format: 'error.bundle_newer_format',
  bundle_write: 'error.bundle_write',
  bundle_damaged: 'error.bundle_damaged',
  equivocation: 'error.equivocation',
  changes_not_as_made: 'error.changes_not_as_made',
  no_such_conflict: 'error.no_such_conflict',
  not_mergeable: 'error.not_mergeable',
  case_merged: 'error.case_merged',
  cancelled: 'error.cancelled',
  packet_not_addressed: 'error.packet_not_addressed',
  packet_damaged: 'error.packet_damaged',
  unknown_packet: 'error.unknown_packet',
  already_imported: 'error.already_imported',
  print_failed: 'error.print_failed',
  threshold_lowered: 'error.threshold_lowered',
  file_exists: 'error.file_exists',
  file_unreadable: 'error.file_unreadable',
  file_unwritable: 'error.file_unwritable',
  not_a_join_request: 'error.not_a_join_request',
  wrong_approver: 'error.wrong_approver',
  not_an_admin: 'error.not_an_admin',
  kdf_below_floor: 'error.kdf_below_floor',
  revoke_self: 'error.revoke_self',
  no_such_device: 'error.no_such_device',
  bad_recipient: 'error.bad_recipient',
  already_joined: 'error.already_joined',
  vault_damaged: 'error.vault_damaged',
  disk_full: 'error.disk_full',
} as const satisfies Record<ErrorKind, MessageKey>;

/** The headline above a kind's text, by what the person should understand has happened. */
const HEADLINES = {
  file: 'error.headline.file',
  vault: 'error.headline.vault',
  refused: 'error.headline.refused',
  other: null,
} as const satisfies Record<ErrorCategory, MessageKey | null>;

/**
 * Kinds whose core message carries something the person can act on (the estimator's advice, which
 * rule a name broke), shown under the translated text. It is in English: the core has no other.
 */
const DETAIL_KINDS: ReadonlySet<string> = new Set([
  'weak_passphrase',
  'invalid_name',
  'invalid_input',
  // Which part of the file is wrong, and which file: paths the person typed, never record data.
  'bundle_damaged',
  'file_exists',
  'file_unreadable',
  'file_unwritable',
  'not_a_join_request',
  // Which laptop's changes were not as it made them, and what was wrong: a device name and id.
  'changes_not_as_made',
]);

export interface ErrorText {
  /** A damaged file, damaged data on this laptop, or a refusal by Hearth's rules; else null. */
  headline: string | null;
  /** The sentence to show, in the current language (or the core's words for an unknown kind). */
  text: string;
  /** The core's own message, where it adds something; always English. */
  detail: string | null;
}

/** A kind's sentence, with the numbers the shell sent for it (a wait, a disk's free space). */
function kindText(error: IpcError, key: MessageKey): string {
  if (error.kind === 'must_wait') {
    return t(key, { time: formatDuration(error.retry_after_seconds ?? 0) });
  }
  if (error.kind === 'disk_full' && error.needed_bytes !== null && error.free_bytes !== null) {
    return t('error.disk_full_sizes', {
      needed: formatBytes(error.needed_bytes),
      free: formatBytes(error.free_bytes),
    });
  }
  return t(key);
}

export function describeError(error: IpcError): ErrorText {
  // Each refused field is named, by its label in the person's language, with what is wrong.
  if (error.kind === 'invalid_field' && error.fields.length > 0) {
    return {
      headline: null,
      text: error.fields.map((entry) => fieldProblemText(entry)).join(' '),
      detail: null,
    };
  }
  const key = Object.hasOwn(ERROR_TEXTS, error.kind)
    ? ERROR_TEXTS[error.kind as keyof typeof ERROR_TEXTS]
    : null;
  const headlineKey = HEADLINES[error.category];
  const headline = headlineKey === null ? null : t(headlineKey);
  if (key === null) return { headline, text: error.message, detail: null };
  const text = kindText(error, key);
  const detail = DETAIL_KINDS.has(error.kind) && error.message.trim() !== '' ? error.message : null;
  return { headline, text, detail };
}
