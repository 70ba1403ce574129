// The sections of the unlocked app, who may open each, and the #/hash that names them. The
// navigation shows only what the role may open, and the router refuses the rest, so typing a
// hash by hand gets no further than a click would. (The core checks permissions again.)

import type { Role } from './ipc';

export const ROUTES = [
  'cases',
  'followups',
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

export function routeHash(route: Route): string {
  return `#/${route}`;
}

/** The route a hash names, or the default one for an empty or unknown hash. */
export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : DEFAULT_ROUTE;
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
