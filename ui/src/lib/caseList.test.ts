import { describe, expect, it } from 'vitest';
import {
  buildCaseQuery,
  createDebouncer,
  createLatestGate,
  defaultFilters,
  forgetCaseFilters,
  isFiltered,
  pageCount,
  PAGE_SIZE,
  personName,
  rememberCaseFilters,
  rememberedCaseFilters,
} from './caseList';
import type { Clock } from './timers';

describe('buildCaseQuery', () => {
  it('asks for everything, most recently changed first, by default', () => {
    expect(buildCaseQuery(defaultFilters())).toStrictEqual({
      text: null,
      status: null,
      assigned_to: null,
      risk_level: null,
      follow_ups_due: false,
      sort: 'updated',
      page: 0,
      page_size: PAGE_SIZE,
    });
  });

  it('trims the search and sends every filter chosen', () => {
    expect(
      buildCaseQuery({
        text: '  dragica ',
        status: 'Active',
        assignedTo: 'a1',
        riskLevel: 'High',
        followUpsDue: true,
        sort: 'name',
        page: 2,
      }),
    ).toStrictEqual({
      text: 'dragica',
      status: 'Active',
      assigned_to: 'a1',
      risk_level: 'High',
      follow_ups_due: true,
      sort: 'name',
      page: 2,
      page_size: PAGE_SIZE,
    });
  });

  it('sends a search of spaces as no search, and never a negative or broken page', () => {
    const query = buildCaseQuery({ ...defaultFilters(), text: '   ', page: -1.5 });
    expect(query.text).toBeNull();
    expect(query.page).toBe(0);
  });
});

describe('isFiltered', () => {
  it('tells "no cases yet" from "no case matches"', () => {
    expect(isFiltered(defaultFilters())).toBe(false);
    expect(isFiltered({ ...defaultFilters(), sort: 'name', page: 3 })).toBe(false);
    expect(isFiltered({ ...defaultFilters(), text: 'a' })).toBe(true);
    expect(isFiltered({ ...defaultFilters(), followUpsDue: true })).toBe(true);
  });
});

describe('pageCount and personName', () => {
  it('counts pages', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
    expect(pageCount(10, 0)).toBe(1);
  });

  it('joins the names given', () => {
    expect(personName('Dragica', 'Petrović')).toBe('Dragica Petrović');
    expect(personName(null, ' Hoxha ')).toBe('Hoxha');
    expect(personName(null, undefined)).toBe('');
  });
});

describe('remembered filters', () => {
  it('come back after a visit to a case and are forgotten on lock', () => {
    rememberCaseFilters({ ...defaultFilters(), text: 'dragica' });
    expect(rememberedCaseFilters().text).toBe('dragica');
    forgetCaseFilters();
    expect(rememberedCaseFilters()).toStrictEqual(defaultFilters());
  });

  it('are a copy, not the screen state itself', () => {
    const filters = { ...defaultFilters(), text: 'a' };
    rememberCaseFilters(filters);
    filters.text = 'b';
    expect(rememberedCaseFilters().text).toBe('a');
    forgetCaseFilters();
  });
});

function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [handle, timer] of [...timers]) {
      if (timer.at <= now) {
        timers.delete(handle);
        timer.run();
      }
    }
  };
  return { clock, advance };
}

describe('createDebouncer', () => {
  it('runs once, after the last call has rested for the delay', () => {
    const { clock, advance } = fakeClock();
    const debouncer = createDebouncer(250, clock);
    const runs: string[] = [];
    debouncer.run(() => runs.push('d'));
    advance(100);
    debouncer.run(() => runs.push('dr'));
    advance(200);
    expect(runs).toStrictEqual([]);
    debouncer.run(() => runs.push('dra'));
    advance(249);
    expect(runs).toStrictEqual([]);
    advance(1);
    expect(runs).toStrictEqual(['dra']);
  });

  it('drops a pending run when cancelled', () => {
    const { clock, advance } = fakeClock();
    const debouncer = createDebouncer(250, clock);
    const runs: string[] = [];
    debouncer.run(() => runs.push('x'));
    debouncer.cancel();
    advance(1000);
    expect(runs).toStrictEqual([]);
  });
});

describe('createLatestGate', () => {
  it('lets only the newest answer through', () => {
    const gate = createLatestGate();
    const first = gate.next();
    const second = gate.next();
    expect(gate.isLatest(first)).toBe(false);
    expect(gate.isLatest(second)).toBe(true);
  });
});
