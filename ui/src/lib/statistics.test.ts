import { describe, expect, it } from 'vitest';

import type { Panel } from './bindings/Panel';
import {
  CHART_LABEL_MAX,
  chartLabel,
  chartRows,
  countText,
  countValue,
  defaultScope,
  parseK,
  rowName,
  scopeProblem,
} from './statistics';

const panel: Panel = {
  id: 'gender',
  unit: 'people',
  adds_up: true,
  code_list: 'gender',
  rows: [
    { key: 'Feminine', label: null, count: { exact: 12 } },
    { key: 'Masculine', label: null, count: { exact: 0 } },
    { key: '', label: null, count: { below: 11 } },
  ],
  total: { exact: 12 },
};

describe('statistics', () => {
  it('names rows by code label, special text or the partner name', () => {
    const text = (key: string) => `text:${key}`;
    const code = (list: string, value: string) => `${list}/${value}`;
    expect(rowName(panel, panel.rows[0]!, text, code)).toBe('gender/Feminine');
    expect(rowName(panel, panel.rows[2]!, text, code)).toBe('text:statistics.notRecorded');
    const partners: Panel = { ...panel, id: 'referral_partner', code_list: null };
    expect(rowName(partners, { key: 'ab12', label: 'Qendra', count: { exact: 3 } }, text, code)).toBe('Qendra');
    expect(rowName(partners, { key: 'ab12', label: null, count: { exact: 3 } }, text, code)).toBe('ab12');
  });

  it('shows hidden counts by their rule and draws only what was counted', () => {
    const hidden = (k: number) => (k ? `<${k}` : 'withheld');
    expect(countText({ exact: 5 }, hidden)).toBe('5');
    expect(countText({ below: 11 }, hidden)).toBe('<11');
    expect(countText('withheld', hidden)).toBe('withheld');
    expect(countValue({ below: 11 })).toBe(0);
    expect(chartRows(panel).map((row) => row.key)).toStrictEqual(['Feminine']);
  });

  it('opens on this year and refuses a period that ends before it begins', () => {
    expect(defaultScope('2026-12-03')).toStrictEqual({ from: '2026-01-01', to: '2026-12-03', site: null });
    expect(scopeProblem({ from: '2026-02-01', to: '2026-01-01', site: null })).toBe('order');
    expect(scopeProblem({ from: '2026-2-1', to: null, site: null })).toBe('from');
    expect(scopeProblem({ from: null, to: null, site: null })).toBeNull();
  });

  it('takes k from 11 to 100 only', () => {
    expect(parseK(' 15 ')).toBe(15);
    expect(parseK('11')).toBe(11);
    expect(parseK('10')).toBeNull();
    expect(parseK('101')).toBeNull();
    expect(parseK('1.5')).toBeNull();
  });

  it('cuts long chart labels with an ellipsis, counting letters not bytes', () => {
    expect(chartLabel('Feminine')).toBe('Feminine');
    const long = 'Identifikovana žrtva trgovine ljudima';
    const cut = chartLabel(long);
    expect([...cut]).toHaveLength(CHART_LABEL_MAX);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
  });
});
