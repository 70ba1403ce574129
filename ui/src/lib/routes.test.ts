import { describe, expect, it } from 'vitest';
import {
  auditHash,
  canCreateCases,
  canManageAccounts,
  canManagePartners,
  canManagePartnerKeys,
  canOpen,
  caseHash,
  caseTabsFor,
  CASE_TABS,
  navigationFor,
  newCaseHash,
  parseAuditView,
  parseCaseView,
  parseRoute,
  resolveRoute,
  routeHash,
  ROUTES,
} from './routes';

describe('navigationFor', () => {
  it('gives a caseworker no account management, settings or audit', () => {
    expect(navigationFor('caseworker')).toStrictEqual([
      'cases',
      'followups',
      'partners',
      'sync',
      'myAccount',
      'about',
    ]);
  });

  it('gives a supervisor the statistics, the audit and the account list, but not settings', () => {
    expect(navigationFor('supervisor')).toStrictEqual([
      'cases',
      'followups',
      'partners',
      'statistics',
      'audit',
      'sync',
      'accounts',
      'myAccount',
      'about',
    ]);
  });

  it('gives an administrator everything', () => {
    expect(navigationFor('admin')).toStrictEqual([...ROUTES]);
  });
});

describe('resolveRoute', () => {
  it('refuses account management to a caseworker who types its address', () => {
    expect(resolveRoute('#/accounts', 'caseworker')).toStrictEqual({
      route: 'accounts',
      refused: true,
    });
    expect(resolveRoute('#/settings', 'caseworker').refused).toBe(true);
    expect(resolveRoute('#/settings', 'supervisor').refused).toBe(true);
  });

  it('opens what the role may open', () => {
    expect(resolveRoute('#/accounts', 'supervisor')).toStrictEqual({
      route: 'accounts',
      refused: false,
    });
    expect(resolveRoute('#/about', 'caseworker').refused).toBe(false);
  });

  it('goes to the default section for an empty or unknown hash', () => {
    expect(parseRoute('')).toBe('cases');
    expect(parseRoute('#/')).toBe('cases');
    expect(parseRoute('#/nothing-here')).toBe('cases');
    expect(parseRoute('#/constructor')).toBe('cases');
  });

  it('reads back every hash it writes', () => {
    for (const route of ROUTES) expect(parseRoute(routeHash(route))).toBe(route);
  });
});

describe('permissions', () => {
  it('lets only administrators change accounts', () => {
    expect(canManageAccounts('admin')).toBe(true);
    expect(canManageAccounts('supervisor')).toBe(false);
    expect(canManageAccounts('caseworker')).toBe(false);
  });

  it('lets everyone open their own account and About', () => {
    for (const role of ['admin', 'supervisor', 'caseworker'] as const) {
      expect(canOpen('myAccount', role)).toBe(true);
      expect(canOpen('about', role)).toBe(true);
    }
  });
});

describe('case addresses', () => {
  const id = '0123456789abcdef0123456789abcdef';

  it('belong to the cases section', () => {
    expect(parseRoute(`#/cases/${id}`)).toBe('cases');
    expect(parseRoute('#/cases/new')).toBe('cases');
    expect(resolveRoute(`#/cases/${id}/notes`, 'caseworker')).toStrictEqual({
      route: 'cases',
      refused: false,
    });
  });

  it('tell the list, the intake form and a case apart', () => {
    expect(parseCaseView('#/cases')).toStrictEqual({ view: 'list' });
    expect(parseCaseView('#/cases/')).toStrictEqual({ view: 'list' });
    expect(parseCaseView('#/followups')).toStrictEqual({ view: 'list' });
    expect(parseCaseView(newCaseHash())).toStrictEqual({ view: 'new' });
    expect(parseCaseView(caseHash(id))).toStrictEqual({ view: 'case', id, tab: null });
    expect(parseCaseView(caseHash(id, 'followups'))).toStrictEqual({
      view: 'case',
      id,
      tab: 'followups',
    });
  });

  it('ignore a tab that does not exist', () => {
    expect(parseCaseView(`#/cases/${id}/secrets`)).toStrictEqual({ view: 'case', id, tab: null });
  });
});

describe('record permissions', () => {
  it('let administrators see cases but not open them', () => {
    expect(canManagePartnerKeys('supervisor')).toBe(true);
    expect(canManagePartnerKeys('admin')).toBe(false);
    expect(canManagePartnerKeys('caseworker')).toBe(false);
    expect(canCreateCases('admin')).toBe(false);
    expect(canCreateCases('supervisor')).toBe(true);
    expect(canCreateCases('caseworker')).toBe(true);
  });

  it('let administrators and supervisors change the partner directory', () => {
    expect(canManagePartners('admin')).toBe(true);
    expect(canManagePartners('supervisor')).toBe(true);
    expect(canManagePartners('caseworker')).toBe(false);
    for (const role of ['admin', 'supervisor', 'caseworker'] as const) {
      expect(canOpen('partners', role)).toBe(true);
    }
  });
});

describe('audit addresses', () => {
  const id = '0123456789abcdef0123456789abcdef';

  it('carry the case filter in the query, and belong to the audit section', () => {
    expect(auditHash(id)).toBe(`#/audit?case=${id}`);
    expect(auditHash()).toBe('#/audit');
    expect(parseRoute(auditHash(id))).toBe('audit');
    expect(resolveRoute(auditHash(id), 'caseworker')).toStrictEqual({
      route: 'audit',
      refused: true,
    });
    expect(resolveRoute(auditHash(id), 'supervisor').refused).toBe(false);
  });

  it('read back the case they name', () => {
    const none = { caseId: null, caseNumber: null };
    expect(parseAuditView(auditHash(id))).toStrictEqual({ caseId: id, caseNumber: null });
    expect(parseAuditView(auditHash(id, 'TIR-2026-0042'))).toStrictEqual({
      caseId: id,
      caseNumber: 'TIR-2026-0042',
    });
    expect(parseAuditView('#/audit')).toStrictEqual(none);
    expect(parseAuditView('#/audit?case=')).toStrictEqual(none);
    expect(parseAuditView('#/audit?case=&number=TIR-1')).toStrictEqual(none);
    expect(parseAuditView(`#/cases?case=${id}`)).toStrictEqual(none);
    expect(parseAuditView(auditHash('a b&c', 'x&y'))).toStrictEqual({ caseId: 'a b&c', caseNumber: 'x&y' });
  });

  it('do not disturb the other sections', () => {
    expect(parseRoute('#/cases?x=1')).toBe('cases');
    expect(parseCaseView(`#/cases/${id}?x=1`)).toStrictEqual({ view: 'case', id, tab: null });
  });
});

describe('caseTabsFor', () => {
  const id = '0123456789abcdef0123456789abcdef';

  it('shows the Audit tab to those who may open the audit view only', () => {
    expect(caseTabsFor('admin')).toStrictEqual([...CASE_TABS]);
    expect(caseTabsFor('supervisor')).toContain('audit');
    expect(caseTabsFor('caseworker')).not.toContain('audit');
    expect(caseTabsFor('caseworker')).toContain('history');
    expect(parseCaseView(caseHash(id, 'audit'))).toStrictEqual({ view: 'case', id, tab: 'audit' });
  });
});
