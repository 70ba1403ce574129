import { afterEach, describe, expect, it } from 'vitest';
import { en } from './i18n/en';
import { setUiLanguage } from './i18n/i18n.svelte';
import {
  fieldDomId,
  fieldLabel,
  fieldProblemText,
  formFailure,
  hasFailure,
  NO_FAILURE,
  PROBLEM_TEXTS,
  problemsFor,
} from './fieldErrors';
import { plainError } from './ipc';
import { FIELD_NAMES } from './recordFields';

describe('fieldLabel', () => {
  afterEach(() => setUiLanguage('en'));

  it('translates a field name', () => {
    expect(fieldLabel('given_name')).toBe('Given name');
    setUiLanguage('sq');
    expect(fieldLabel('given_name')).toBe('Emri');
  });

  it('names an entry of a list and a part of it by position, counting from 1', () => {
    expect(fieldLabel('aliases.0')).toBe('Other names used, entry 1');
    expect(fieldLabel('trafficking_events.1.country')).toBe('Places and dates, entry 2: Country');
    expect(fieldLabel('identity_documents.0.custody')).toBe(
      'Identity documents, entry 1: Who holds it',
    );
  });

  it('shows a name Hearth has no label for as it is', () => {
    expect(fieldLabel('shoe_size')).toBe('shoe_size');
    expect(fieldLabel('toString')).toBe('toString');
  });

  it('has a label for every field name in every language', () => {
    for (const name of FIELD_NAMES) expect(en[`field.${name}`]).toBeTruthy();
  });
});

describe('fieldProblemText', () => {
  afterEach(() => setUiLanguage('en'));

  it('puts the label into the problem', () => {
    expect(fieldProblemText({ field: 'trafficking_status', problem: 'required' })).toBe(
      'Trafficking status is required.',
    );
    expect(fieldProblemText({ field: 'date_identified', problem: 'in_the_future' })).toBe(
      'Date identified cannot be in the future.',
    );
  });

  it('has a text for every problem the core names', () => {
    const core = [
      'required',
      'unknown_field',
      'not_editable',
      'wrong_type',
      'too_long',
      'too_many',
      'control_character',
      'not_a_date',
      'in_the_future',
      'out_of_range',
      'unknown_code',
      'duplicate',
      'unknown_account',
      'unknown_partner',
      'age_mismatch',
      'partner_for_referral_only',
      'only_when_closed',
      'not_on_case_team',
    ];
    for (const problem of core) expect(Object.hasOwn(PROBLEM_TEXTS, problem)).toBe(true);
    const texts = core.map((problem) => fieldProblemText({ field: 'phone', problem }));
    expect(new Set(texts).size).toBe(core.length);
  });

  it('names the case team when a follow-up is given to someone outside it', () => {
    expect(fieldProblemText({ field: 'assigned_to', problem: 'not_on_case_team' })).toBe(
      'For: please choose someone who works on this case (its owner or an assigned caseworker).',
    );
  });

  it('says something general for a problem it does not know', () => {
    expect(fieldProblemText({ field: 'phone', problem: 'too_purple' })).toBe('Phone is not valid.');
  });

  it('speaks the language on screen', () => {
    setUiLanguage('sr');
    expect(fieldProblemText({ field: 'given_name', problem: 'too_long' })).toBe(
      'Polje „Ime“ je predugačko.',
    );
  });
});

describe('formFailure', () => {
  it('puts each refused field at its field', () => {
    const failure = formFailure({
      ...plainError('invalid_field', 'given_name is longer than 100 characters'),
      fields: [
        { field: 'given_name', problem: 'too_long', min: null, max: '100' },
        { field: 'trafficking_status', problem: 'required', min: null, max: null },
      ],
    });
    expect(failure).toStrictEqual({
      fields: [
        { field: 'given_name', problem: 'too_long', min: null, max: '100' },
        { field: 'trafficking_status', problem: 'required', min: null, max: null },
      ],
      error: null,
    });
    expect(hasFailure(failure)).toBe(true);
  });

  it('keeps any other refusal as an error', () => {
    const denied = plainError('consent_required', 'no consent');
    expect(formFailure(denied)).toStrictEqual({ fields: [], error: denied });
    expect(hasFailure(NO_FAILURE)).toBe(false);
  });
});

describe('fieldDomId and problemsFor', () => {
  it('make ids that survive dots and find problems by exact field', () => {
    expect(fieldDomId('person-form', 'identity_documents.1.type')).toBe(
      'person-form-identity_documents-1-type',
    );
    const problems = [
      { field: 'identity_documents', problem: 'too_many' },
      { field: 'identity_documents.1.type', problem: 'required' },
    ];
    expect(problemsFor(problems, 'identity_documents.1.type')).toStrictEqual([problems[1]]);
  });
});
