import { afterEach, describe, expect, it } from 'vitest';
import {
  actionLabel,
  auditCaseId,
  auditFieldLabel,
  auditFieldsText,
  auditFilterProblemText,
  auditTarget,
  auditWho,
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  AUDIT_PAGE_SIZE,
  buildAuditQuery,
  checkAuditFilters,
  defaultAuditFilters,
  exportText,
  isAuditFiltered,
  isCaseId,
  isProblemOutcome,
  outcomeLabel,
  roleLabel,
  verificationText,
} from './auditView';
import { en } from './i18n/en';
import { catalogues, setUiLanguage } from './i18n/i18n.svelte';
import { LANGUAGES } from './i18n/language';
import type { AuditEntry } from './ipc';

const CASE_ID = '0123456789abcdef0123456789abcdef';
const ACCOUNT_ID = 'fedcba9876543210fedcba9876543210';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    device: 'aa'.repeat(16),
    seq: 7,
    wall_ms: 1_700_000_000_000,
    hlc_ms: 1_700_000_000_000,
    hlc_counter: 0,
    account: ACCOUNT_ID,
    account_name: 'Ana Hoxha',
    role: 'supervisor',
    action: 'update_case',
    target_kind: 'case',
    target_id: CASE_ID,
    case_number: 'TIR-2025-0001',
    fields: ['given_name'],
    outcome: 'ok',
    reason: null,
    ...overrides,
  };
}

afterEach(() => setUiLanguage('en'));

describe('buildAuditQuery', () => {
  it('asks for every entry, first page, by default', () => {
    expect(buildAuditQuery(defaultAuditFilters())).toStrictEqual({
      account: null,
      case_id: null,
      action: null,
      since_ms: null,
      before_ms: null,
      outcome: null,
      page: 0,
      page_size: AUDIT_PAGE_SIZE,
    });
  });

  it('starts from the case a case page links to', () => {
    expect(buildAuditQuery(defaultAuditFilters(CASE_ID)).case_id).toBe(CASE_ID);
  });

  it('sends every filter chosen, trimmed, with the case id in lower case', () => {
    expect(
      buildAuditQuery(
        {
          account: ACCOUNT_ID,
          caseId: ` ${CASE_ID.toUpperCase()} `,
          action: 'open_case',
          since: ' 2025-03-01',
          until: '2025-03-31 ',
          outcome: 'denied',
          page: 3,
        },
        20,
      ),
    ).toStrictEqual({
      account: ACCOUNT_ID,
      case_id: CASE_ID,
      action: 'open_case',
      since_ms: new Date(2025, 2, 1).getTime(),
      before_ms: new Date(2025, 3, 1).getTime(),
      outcome: 'denied',
      page: 3,
      page_size: 20,
    });
  });

  it('drops an action or outcome it does not know, and never sends a broken page', () => {
    const query = buildAuditQuery({
      ...defaultAuditFilters(),
      action: 'toString',
      outcome: 'maybe',
      page: Number.NaN,
    });
    expect([query.action, query.outcome, query.page]).toStrictEqual([null, null, 0]);
    expect(buildAuditQuery({ ...defaultAuditFilters(), page: -2.5 }).page).toBe(0);
  });

  it('tells when anything narrows the list', () => {
    expect(isAuditFiltered(defaultAuditFilters())).toBe(false);
    expect(isAuditFiltered({ ...defaultAuditFilters(), since: '   ' })).toBe(false);
    expect(isAuditFiltered({ ...defaultAuditFilters(), outcome: 'failed' })).toBe(true);
    expect(isAuditFiltered(defaultAuditFilters(CASE_ID))).toBe(true);
  });
});

describe('checkAuditFilters', () => {
  it('accepts empty filters and well-formed ones', () => {
    expect(checkAuditFilters(defaultAuditFilters())).toStrictEqual([]);
    expect(
      checkAuditFilters({
        ...defaultAuditFilters(CASE_ID.toUpperCase()),
        since: '2025-03-01',
        until: '2025-03-01',
      }),
    ).toStrictEqual([]);
  });

  it('names a case id that is not one, and a day that is not a date', () => {
    expect(
      checkAuditFilters({
        ...defaultAuditFilters('TIR-2025-0001'),
        since: '1/3/2025',
        until: '2025-02-30',
      }),
    ).toStrictEqual([
      { filter: 'caseId', problem: 'not_a_case_id' },
      { filter: 'since', problem: 'not_a_date' },
      { filter: 'until', problem: 'not_a_date' },
    ]);
  });

  it('refuses a last day before the first', () => {
    expect(
      checkAuditFilters({ ...defaultAuditFilters(), since: '2025-03-02', until: '2025-03-01' }),
    ).toStrictEqual([{ filter: 'until', problem: 'until_before_since' }]);
  });

  it('words each problem', () => {
    expect(auditFilterProblemText({ filter: 'until', problem: 'until_before_since' })).toBe(
      en['audit.problem.untilBeforeSince'],
    );
  });

  it('knows a case id when it sees one', () => {
    expect(isCaseId(CASE_ID)).toBe(true);
    expect(isCaseId(` ${CASE_ID.toUpperCase()} `)).toBe(true);
    expect(isCaseId(CASE_ID.slice(1))).toBe(false);
    expect(isCaseId(`${CASE_ID.slice(1)}g`)).toBe(false);
  });
});

describe('labels', () => {
  it('has a translated name for every action and outcome in every language', () => {
    expect(AUDIT_ACTIONS).toHaveLength(45);
    expect(AUDIT_OUTCOMES).toStrictEqual(['ok', 'denied', 'failed']);
    for (const language of LANGUAGES) {
      setUiLanguage(language);
      const names = AUDIT_ACTIONS.map(actionLabel);
      expect(new Set(names).size).toBe(AUDIT_ACTIONS.length);
      for (const [index, action] of AUDIT_ACTIONS.entries()) {
        expect(names[index]).toBe(catalogues[language][`audit.action.${action}`]);
      }
      expect(new Set(AUDIT_OUTCOMES.map(outcomeLabel)).size).toBe(3);
    }
  });

  it('shows an action or outcome from a newer version as stored', () => {
    expect(actionLabel('teleport')).toBe('teleport');
    expect(outcomeLabel('maybe')).toBe('maybe');
  });

  it('translates roles', () => {
    expect(roleLabel('caseworker')).toBe('Caseworker');
    setUiLanguage('sq');
    expect(roleLabel('supervisor')).toBe('Mbikëqyrës');
    expect(roleLabel('auditor')).toBe('auditor');
    expect(roleLabel(null)).toBe('');
  });

  it('highlights refused and failed attempts only', () => {
    expect(isProblemOutcome('ok')).toBe(false);
    expect(isProblemOutcome('denied')).toBe(true);
    expect(isProblemOutcome('failed')).toBe(true);
  });
});

describe('field names', () => {
  it('uses the record labels where there is one, and the stored name otherwise', () => {
    expect(auditFieldLabel('given_name')).toBe('Given name');
    expect(auditFieldLabel('follow_up.due_date')).toBe('Follow-up: Due date');
    expect(auditFieldLabel('consent.decision')).toBe('Consent: Decision');
    expect(auditFieldLabel('filter.account')).toBe('filter.account');
    expect(auditFieldLabel('recovery_key')).toBe('recovery_key');
    expect(auditFieldLabel('note.secret_field')).toBe('note.secret_field');
  });

  it('lists them with commas, in the language on screen', () => {
    expect(auditFieldsText([])).toBe('');
    setUiLanguage('sr');
    expect(auditFieldsText(['given_name', 'risk_level', 'idle_timeout_seconds'])).toBe(
      'Ime, Nivo rizika, idle_timeout_seconds',
    );
  });
});

describe('who and what', () => {
  it('names who acted, else their id, else no one', () => {
    expect(auditWho(entry())).toBe('Ana Hoxha');
    expect(auditWho(entry({ account_name: null }))).toBe(ACCOUNT_ID);
    expect(auditWho(entry({ account_name: null }), { [ACCOUNT_ID]: 'Besa' })).toBe('Besa');
    expect(auditWho(entry({ account: null, account_name: null }))).toBe('No account');
  });

  it('names a case by its number, or by kind and id when this laptop does not hold it', () => {
    expect(auditTarget(entry())).toBe('TIR-2025-0001');
    expect(auditTarget(entry({ case_number: null }))).toBe(`Case ${CASE_ID}`);
    expect(auditCaseId(entry())).toBe(CASE_ID);
  });

  it('names an account by its name when known', () => {
    const aboutAccount = entry({ target_kind: 'account', target_id: 'b1', case_number: null });
    expect(auditTarget(aboutAccount, { b1: 'Besa' })).toBe('Besa');
    expect(auditTarget(aboutAccount)).toBe('Account b1');
    expect(auditCaseId(aboutAccount)).toBeNull();
  });

  it('names a partner and an unknown kind by kind and id, and nothing when there is no target', () => {
    expect(auditTarget(entry({ target_kind: 'partner', target_id: 'p1' }))).toBe(
      'Partner organisation p1',
    );
    expect(auditTarget(entry({ target_kind: 'bundle', target_id: 'x' }))).toBe('bundle x');
    expect(auditTarget(entry({ target_kind: null, target_id: null }))).toBe('');
  });
});

describe('results', () => {
  it('says the log is intact, with the entries checked', () => {
    expect(verificationText({ intact: true, entries: 1234, devices: 2, problem: null })).toBe(
      'The log is intact: 1234 entries.',
    );
  });

  it('names the first problem: the entry, what is wrong, in the language on screen', () => {
    const broken = {
      intact: false,
      entries: 10,
      devices: 1,
      problem: { device: 'ab12', seq: 5, kind: 'changed', message: 'entry 5 does not match' },
    };
    expect(verificationText(broken)).toBe(
      'The log is not intact. The first problem is at entry 5 of device ab12: the entry was changed after it was written.',
    );
    setUiLanguage('sq');
    expect(verificationText(broken)).toContain('hyrja 5');
    expect(verificationText(broken)).toContain('hyrja është ndryshuar');
  });

  it('has a text for every kind of problem, and shows an unknown one as named', () => {
    const kinds = ['changed', 'unlinked', 'missing', 'cut', 'rewritten', 'bad_checkpoint'] as const;
    for (const kind of kinds) {
      const text = verificationText({
        intact: false,
        entries: 1,
        devices: 1,
        problem: { device: 'd', seq: 1, kind, message: '' },
      });
      expect(text.endsWith(en[`audit.problemKind.${kind}`])).toBe(true);
    }
    expect(new Set(kinds.map((kind) => en[`audit.problemKind.${kind}`])).size).toBe(kinds.length);
    expect(
      verificationText({
        intact: false,
        entries: 1,
        devices: 1,
        problem: { device: 'd', seq: 1, kind: 'sideways', message: '' },
      }),
    ).toContain('sideways');
    expect(verificationText({ intact: false, entries: 1, devices: 1, problem: null })).toBe(
      'The log is not intact.',
    );
  });

  it('says where an export was saved', () => {
    expect(exportText({ path: '/home/ana/Documents/hearth-audit-1.csv', entries: 42 })).toBe(
      'Saved 42 entries to /home/ana/Documents/hearth-audit-1.csv',
    );
  });
});
