// The sections of the unlocked app, who may open each, and the #/hash that names them. The
// navigation shows only what the role may open, and the router refuses the rest, so typing a
// hash by hand gets no further than a click would. (The core checks permissions again.)
//
// Cases have addresses below their section: #/cases/new (intake), #/cases/<id> (a case's page) and
// #/cases/<id>/<tab> (a tab of it, e.g. from a follow-up). The audit view takes its case filter
// from the query: #/audit?case=<id>&number=<case number> (from a case's Audit tab).

import type { Role } from './ipc';

export const ROUTES = [
  'cases',
  'followups',
  'partners',
  'statistics',
  'audit',
  'sync',
  'accounts',
  'settings',
  'myAccount',
  'about',
] as const;
export type Route = (typeof ROUTES)[number];

export const DEFAULT_ROUTE: Route = 'cases';

const ALLOWED: Record<Route, readonly Role[]> = {
  cases: ['admin', 'supervisor', 'caseworker'],
  followups: ['admin', 'supervisor', 'caseworker'],
  // Everyone needs the directory to refer; only supervisors and administrators change it.
  partners: ['admin', 'supervisor', 'caseworker'],
  // Counts over every case: for the people who answer for the work (the core decides too).
  statistics: ['admin', 'supervisor'],
  audit: ['admin', 'supervisor'],
  sync: ['admin', 'supervisor', 'caseworker'],
  // Supervisors may list accounts (the core allows it) but change nothing.
  accounts: ['admin', 'supervisor'],
  settings: ['admin'],
  myAccount: ['admin', 'supervisor', 'caseworker'],
  about: ['admin', 'supervisor', 'caseworker'],
};

export function canOpen(route: Route, role: Role): boolean {
  return ALLOWED[route].includes(role);
}

/** May this role change accounts (add, disable, enable, reset)? */
export function canManageAccounts(role: Role): boolean {
  return role === 'admin';
}

/** May this role add and change partner organisations? */
export function canManagePartners(role: Role): boolean {
  return role === 'admin' || role === 'supervisor';
}

/** May this role see and set partners' keys for referral packets? Supervisors only (the core
 *  decides; a wrong key sends a person's case to whoever holds it). */
export function canManagePartnerKeys(role: Role): boolean {
  return role === 'supervisor';
}

/** May this role export identifying case records (HTCDS)? Supervisors only. */
export function canExportHtcds(role: Role): boolean {
  return role === 'supervisor';
}

/** May this role open new cases? Administrators see cases but do no casework. */
export function canCreateCases(role: Role): boolean {
  return role === 'supervisor' || role === 'caseworker';
}

export function routeHash(route: Route): string {
  return `#/${route}`;
}

/** The parts of a hash's path: "#/cases/abc/notes" is ["cases", "abc", "notes"]. */
function segments(hash: string): string[] {
  return (hash.replace(/^#\/?/, '').split('?')[0] ?? '').split('/');
}

/** The query of a hash: "#/audit?case=abc" gives case=abc. */
function hashQuery(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : hash.slice(at + 1));
}

/** The route a hash names, or the default one for an empty or unknown hash. */
export function parseRoute(hash: string): Route {
  const name = segments(hash)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : DEFAULT_ROUTE;
}

/** The tabs of a case's page, in order. */
export const CASE_TABS = [
  'person',
  'trafficking',
  'consent',
  'support',
  'referrals',
  'notes',
  'followups',
  'history',
  'audit',
] as const;
export type CaseTab = (typeof CASE_TABS)[number];

/** The tabs of a case's page this role sees: Audit only for those who may open the audit view. */
export function caseTabsFor(role: Role): CaseTab[] {
  return CASE_TABS.filter((tab) => tab !== 'audit' || canOpen('audit', role));
}

export function isCaseTab(name: string): name is CaseTab {
  return (CASE_TABS as readonly string[]).includes(name);
}

/** What the cases section shows for a hash. */
export type CaseView =
  | { view: 'list' }
  | { view: 'new' }
  | { view: 'case'; id: string; tab: CaseTab | null };

export function parseCaseView(hash: string): CaseView {
  const [section, id, tab] = segments(hash);
  if (section !== 'cases' || !id) return { view: 'list' };
  if (id === 'new') return { view: 'new' };
  return { view: 'case', id, tab: tab && isCaseTab(tab) ? tab : null };
}

export function newCaseHash(): string {
  return '#/cases/new';
}

export function caseHash(id: string, tab: CaseTab | null = null): string {
  return tab ? `#/cases/${encodeURIComponent(id)}/${tab}` : `#/cases/${encodeURIComponent(id)}`;
}

/** What the audit view is asked to show first: entries about one case, or everything. */
export interface AuditView {
  caseId: string | null;
  /** The case's number, to show in the case filter. */
  caseNumber: string | null;
}

export function parseAuditView(hash: string): AuditView {
  if (segments(hash)[0] !== 'audit') return { caseId: null, caseNumber: null };
  const query = hashQuery(hash);
  const caseId = query.get('case')?.trim() ?? '';
  const caseNumber = query.get('number')?.trim() ?? '';
  return {
    caseId: caseId === '' ? null : caseId,
    caseNumber: caseId === '' || caseNumber === '' ? null : caseNumber,
  };
}

/** The audit view, filtered to a case (shown by its number) when `caseId` is given. */
export function auditHash(caseId: string | null = null, caseNumber: string | null = null): string {
  if (!caseId) return routeHash('audit');
  const number = caseNumber ? `&number=${encodeURIComponent(caseNumber)}` : '';
  return `#/audit?case=${encodeURIComponent(caseId)}${number}`;
}

/** What to show for a hash: the route, and whether this role is refused it. */
export function resolveRoute(hash: string, role: Role): { route: Route; refused: boolean } {
  const route = parseRoute(hash);
  return { route, refused: !canOpen(route, role) };
}

/** The navigation entries for a role, in order. */
export function navigationFor(role: Role): Route[] {
  return ROUTES.filter((route) => canOpen(route, role));
}
