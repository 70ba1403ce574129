import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_KINDS } from './bindings/errorKinds';
import { describeError, ERROR_TEXTS } from './errors';
import { en } from './i18n/en';
import { sq } from './i18n/sq';
import { sr } from './i18n/sr';
import { setUiLanguage } from './i18n/i18n.svelte';
import type { ErrorCategory, ErrorKind, IpcError, UiErrorKind } from './ipc';

const SECRET = 'core message that must not be shown for a known kind';

function error(
  kind: string,
  message = SECRET,
  retry_after_seconds: number | null = null,
): IpcError {
  // Kinds the UI does not know are tested too: the wire carries plain strings.
  return {
    kind: kind as UiErrorKind,
    category: 'other',
    message,
    retry_after_seconds,
    fields: [],
    needed_bytes: null,
    free_bytes: null,
  };
}

describe('describeError', () => {
  afterEach(() => setUiLanguage('en'));

  it('has a text for every kind the core can send, in every language', () => {
    // ERROR_KINDS is generated from the core's ErrorKind (src-tauri/src/error.rs).
    expect(Object.keys(ERROR_TEXTS).sort()).toStrictEqual([...ERROR_KINDS].sort());
    for (const [language, catalogue] of Object.entries({ en, sq, sr })) {
      for (const kind of ERROR_KINDS) {
        const text = catalogue[ERROR_TEXTS[kind]];
        expect(text, `${language}: ${kind}`).toBeTruthy();
      }
    }
    for (const kind of ERROR_KINDS) {
      expect(describeError(error(kind)).text).toBe(en[ERROR_TEXTS[kind]].replace('{time}', '0 s'));
    }
  });

  it('heads damaged files, damaged data and refusals differently', () => {
    const headline = (kind: ErrorKind, category: ErrorCategory) =>
      describeError({ ...error(kind), category }).headline;
    const file = headline('bundle_damaged', 'file');
    const vault = headline('vault_damaged', 'vault');
    const refused = headline('revoke_self', 'refused');
    expect(new Set([file, vault, refused]).size).toBe(3);
    expect(file).toBe(en['error.headline.file']);
    expect(headline('wrong_passphrase', 'other')).toBeNull();
    // The bundle's own text no longer stands in for a refusal by Hearth's rules.
    expect(describeError(error('revoke_self')).text).not.toBe(en['error.bundle_damaged']);
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

  it('says how much room a full disk lacked, in each language', () => {
    const full = { ...error('disk_full'), needed_bytes: 314_000, free_bytes: 200_000 };
    expect(describeError(full).text).toBe(
      'The disk is full: this needs 314.0 kB and only 200.0 kB is free. Free some space or ' +
        'choose another drive, then try again; nothing was changed.',
    );
    setUiLanguage('sr');
    expect(describeError(full).text).toContain('potrebno je 314.0 kB, a slobodno je samo 200.0 kB');
    setUiLanguage('sq');
    expect(describeError(full).text).toContain('duhen 314.0 kB dhe vetëm 200.0 kB');
    // Without the sizes, the plain sentence.
    setUiLanguage('en');
    expect(describeError(error('disk_full')).text).toBe(
      'The disk is full. Free some space and try again; nothing was changed.',
    );
  });

  it("shows the estimator's advice from the core under weak_passphrase", () => {
    const advice = 'Add another word or two. Uncommon words are better.';
    expect(describeError(error('weak_passphrase', advice))).toStrictEqual({
      headline: null,
      text: en['error.weak_passphrase'],
      detail: advice,
    });
  });

  it("falls back to the core's message for a kind it does not know", () => {
    expect(describeError(error('bundle_tampered', 'The bundle was changed.'))).toStrictEqual({
      headline: null,
      text: 'The bundle was changed.',
      detail: null,
    });
  });

  it('does not mistake inherited object properties for kinds', () => {
    expect(describeError(error('toString', 'plain')).text).toBe('plain');
  });

  it('names a refused field by its label, with its problem, in the language on screen', () => {
    const refused = (field: string, problem: string, max: string | null = null): IpcError => ({
      ...error('invalid_field'),
      fields: [{ field, problem, min: null, max }],
    });
    expect(describeError(refused('given_name', 'too_long')).text).toBe('Given name is too long.');
    expect(describeError(refused('given_name', 'too_long', '100')).text).toBe(
      'Given name is too long: at most 100 characters.',
    );
    expect(describeError(refused('trafficking_events.1.country', 'unknown_code')).text).toBe(
      'Places and dates, entry 2: Country: please choose a value from the list.',
    );
    setUiLanguage('sr');
    expect(describeError(refused('date_identified', 'in_the_future')).text).toBe(
      'Polje „Datum identifikacije“ ne može biti u budućnosti.',
    );
  });

  it('names every refused field at once, with what is allowed', () => {
    const refused: IpcError = {
      ...error('invalid_field'),
      fields: [
        { field: 'birth_date', problem: 'older_than_max_age', min: '1906-12-02', max: null },
        { field: 'date_identified', problem: 'too_early', min: '1900-01-01', max: null },
        { field: 'estimated_age', problem: 'out_of_range', min: '0', max: '120' },
      ],
    };
    expect(describeError(refused).text).toBe(
      'Birth date cannot be more than 120 years ago: the earliest accepted today is ' +
        '1906-12-02. Date identified cannot be before 1900-01-01, the earliest date Hearth ' +
        'accepts. Estimated age must be from 0 to 120.',
    );
    setUiLanguage('sq');
    expect(describeError(refused).text).toContain('nga 0 deri në 120');
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
