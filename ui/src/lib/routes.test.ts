import { describe, expect, it } from 'vitest';
import {
  canManageAccounts,
  canOpen,
  navigationFor,
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
      'sync',
      'myAccount',
      'about',
    ]);
  });

  it('gives a supervisor the audit and the account list, but not settings', () => {
    expect(navigationFor('supervisor')).toStrictEqual([
      'cases',
      'followups',
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
