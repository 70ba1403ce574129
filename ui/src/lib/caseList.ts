// The case list's filters and the query they make, the debounce of the search box, and the
// filters remembered while the person opens a case and comes back. The remembered filters can hold
// a name typed into the search: App forgets them on lock.

import type { CaseQuery, CaseSort } from './ipc';
import { systemClock, type Clock } from './timers';

/** What the case list screen lets a person choose. '' means "any". */
export interface CaseFilters {
  text: string;
  status: string;
  assignedTo: string;
  riskLevel: string;
  followUpsDue: boolean;
  sort: CaseSort;
  page: number;
}

export const CASE_SORTS: readonly CaseSort[] = ['updated', 'name', 'number', 'identified'];

/** Cases per page. */
export const PAGE_SIZE = 25;

/** How long the search waits after the last key before asking the core. */
export const SEARCH_DEBOUNCE_MS = 250;

export function defaultFilters(): CaseFilters {
  return {
    text: '',
    status: '',
    assignedTo: '',
    riskLevel: '',
    followUpsDue: false,
    sort: 'updated',
    page: 0,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** The list_cases query for these filters. */
export function buildCaseQuery(filters: CaseFilters, pageSize: number = PAGE_SIZE): CaseQuery {
  return {
    text: orNull(filters.text),
    status: orNull(filters.status),
    assigned_to: orNull(filters.assignedTo),
    risk_level: orNull(filters.riskLevel),
    follow_ups_due: filters.followUpsDue,
    sort: filters.sort,
    page: Math.max(0, Math.floor(filters.page)),
    page_size: pageSize,
  };
}

/** Whether anything narrows the list (so "no cases" means "none match", not "none yet"). */
export function isFiltered(filters: CaseFilters): boolean {
  const query = buildCaseQuery(filters);
  return (
    query.text !== null ||
    query.status !== null ||
    query.assigned_to !== null ||
    query.risk_level !== null ||
    query.follow_ups_due
  );
}

/** Pages needed for `total` cases (at least one, so "page 1 of 1" reads right when empty). */
export function pageCount(total: number, pageSize: number): number {
  if (pageSize <= 0) return 1;
  return Math.max(1, Math.ceil(total / pageSize));
}

/** "Given Family", or '' if the person gave no name. */
export function personName(given: string | null | undefined, family: string | null | undefined) {
  return [given, family]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '')
    .join(' ');
}

let remembered: CaseFilters | null = null;

export function rememberCaseFilters(filters: CaseFilters): void {
  remembered = { ...filters };
}

/** The filters last used, or the defaults. */
export function rememberedCaseFilters(): CaseFilters {
  return remembered ? { ...remembered } : defaultFilters();
}

/** Forgets the filters (on lock: they may hold a name). */
export function forgetCaseFilters(): void {
  remembered = null;
}

export interface Debouncer {
  /** Runs `action` once no further call has come for the delay. */
  run(action: () => void): void;
  /** Drops a pending action. */
  cancel(): void;
}

export function createDebouncer(delayMs: number, clock: Clock = systemClock): Debouncer {
  let handle: unknown = null;
  const cancel = () => {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  };
  return {
    run(action) {
      cancel();
      handle = clock.setTimeout(() => {
        handle = null;
        action();
      }, delayMs);
    },
    cancel,
  };
}

/**
 * Hands out numbers for requests and tells whether an answer is for the newest one, so that a
 * slow answer to an old search never replaces the answer to the new one.
 */
export function createLatestGate() {
  let latest = 0;
  return {
    next: () => ++latest,
    isLatest: (ticket: number) => ticket === latest,
  };
}
