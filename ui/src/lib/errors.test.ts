import { afterEach, describe, expect, it } from 'vitest';
import { describeError, ERROR_TEXTS } from './errors';
import { en } from './i18n/en';
import { setUiLanguage } from './i18n/i18n.svelte';
import type { IpcError } from './ipc';

const SECRET = 'core message that must not be shown for a known kind';

function error(kind: string, message = SECRET, retryAfterSeconds: number | null = null): IpcError {
  return { kind, message, retryAfterSeconds, field: null, problem: null };
}

describe('describeError', () => {
  afterEach(() => setUiLanguage('en'));

  it('has a text for every kind the IPC contract lists', () => {
    const contract = [
      'no_vault',
      'vault_exists',
      'unknown_account',
      'wrong_passphrase',
      'account_disabled',
      'must_wait',
      'wrong_recovery_key',
      'recovery_key_mistyped',
      'weak_passphrase',
      'invalid_name',
      'denied',
      'account_exists',
      'already_in_state',
      'last_admin',
      'own_account',
      'locked',
      'invalid_input',
      'database',
      'key_slots_damaged',
      'slot_altered',
      'schema_too_new',
      'own_passphrase',
      'folder',
      'too_many_accounts',
      'invalid_field',
      'not_found',
      'not_on_team',
      'consent_required',
      'consent_is_history',
      'crypto',
      'export_failed',
      'bad_checkpoint',
      // Sync (core SyncError::kind, and the desktop's file errors).
      'bundle_not_addressed',
      'unknown_device',
      'bundle_bad_signature',
      'bundle_newer_format',
      'bundle_write',
      'bundle_damaged',
      'equivocation',
      'no_such_conflict',
      'file_exists',
      'file_unreadable',
      'file_unwritable',
      'not_a_join_request',
      'wrong_approver',
    ];
    expect(Object.keys(ERROR_TEXTS).sort()).toStrictEqual([...contract].sort());
    for (const kind of contract) {
      expect(describeError(error(kind)).text).toBe(
        en[ERROR_TEXTS[kind as keyof typeof ERROR_TEXTS]].replace('{time}', '0 s'),
      );
    }
  });

  it('gives distinct texts for the unlock failures a person must tell apart', () => {
    const texts = ['wrong_passphrase', 'account_disabled', 'unknown_account', 'must_wait'].map(
      (kind) => describeError(error(kind, 'x', 30)).text,
    );
    expect(new Set(texts).size).toBe(4);
  });

  it('never shows the core message for a known kind without detail', () => {
    const described = describeError(error('wrong_passphrase'));
    expect(described.text).not.toContain(SECRET);
    expect(described.detail).toBeNull();
  });

  it('puts the seconds left into must_wait', () => {
    expect(describeError(error('must_wait', 'x', 30)).text).toBe(
      'Too many wrong passphrases in a row. Please wait 30 s before trying again.',
    );
    expect(describeError(error('must_wait', 'x', 3600)).text).toContain('60 min');
  });

  it("shows the estimator's advice from the core under weak_passphrase", () => {
    const advice = 'Add another word or two. Uncommon words are better.';
    expect(describeError(error('weak_passphrase', advice))).toStrictEqual({
      text: en['error.weak_passphrase'],
      detail: advice,
    });
  });

  it("falls back to the core's message for a kind it does not know", () => {
    expect(describeError(error('bundle_tampered', 'The bundle was changed.'))).toStrictEqual({
      text: 'The bundle was changed.',
      detail: null,
    });
  });

  it('does not mistake inherited object properties for kinds', () => {
    expect(describeError(error('toString', 'plain')).text).toBe('plain');
  });

  it('names a refused field by its label, with its problem, in the language on screen', () => {
    const refused = (field: string, problem: string): IpcError => ({
      ...error('invalid_field'),
      field,
      problem,
    });
    expect(describeError(refused('given_name', 'too_long')).text).toBe('Given name is too long.');
    expect(describeError(refused('trafficking_events.1.country', 'unknown_code')).text).toBe(
      'Places and dates, entry 2: Country: please choose a value from the list.',
    );
    setUiLanguage('sr');
    expect(describeError(refused('date_identified', 'in_the_future')).text).toBe(
      'Polje „Datum identifikacije“ ne može biti u budućnosti.',
    );
  });

  it('falls back to a general text for an invalid field without a name', () => {
    expect(describeError(error('invalid_field')).text).toBe(en['error.invalid_field']);
  });

  it('speaks the current language', () => {
    setUiLanguage('sq');
    expect(describeError(error('account_disabled')).text).toBe(
      'Kjo llogari është çaktivizuar. Një administrator mund ta aktivizojë përsëri.',
    );
  });
});
