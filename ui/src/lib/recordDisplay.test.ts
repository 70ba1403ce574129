import { describe, expect, it } from 'vitest';
import { describeStoredValue, describeValue, type DisplayContext } from './recordDisplay';

const context: DisplayContext = {
  label: (list, code) => `${list}:${code}`,
  person: (id) => (id === 'a1' ? 'Ana Hoxha' : 'Unknown account'),
  partner: (id) => (id === 'p1' ? 'Legal Aid Tirana' : 'Unknown organisation'),
  yes: 'Yes',
  no: 'No',
  day: (iso) => `day:${iso}`,
};

describe('describeValue', () => {
  it('shows codes by their label, from the list of the field', () => {
    expect(describeValue('case', 'gender', 'Feminine', context)).toStrictEqual([
      'gender:Feminine',
    ]);
    expect(describeValue('case', 'citizenships', ['AL', 'XK'], context)).toStrictEqual([
      'country:AL',
      'country:XK',
    ]);
    // The same field name means another list on another kind of record.
    expect(describeValue('service', 'status', 'Ongoing', context)).toStrictEqual([
      'service_status:Ongoing',
    ]);
    expect(describeValue('case', 'status', 'Active', context)).toStrictEqual([
      'case_status:Active',
    ]);
  });

  it('shows people and partners by name', () => {
    expect(describeValue('case', 'owner', 'a1', context)).toStrictEqual(['Ana Hoxha']);
    expect(describeValue('case', 'assigned', ['a1', 'zz'], context)).toStrictEqual([
      'Ana Hoxha',
      'Unknown account',
    ]);
    expect(describeValue('referral', 'partner', 'p1', context)).toStrictEqual([
      'Legal Aid Tirana',
    ]);
  });

  it('spells out documents and places', () => {
    expect(
      describeValue(
        'case',
        'identity_documents',
        [{ type: 'Passport', custody: 'WithheldByTrafficker', details: 'AB123' }],
        context,
      ),
    ).toStrictEqual([
      'identity_document_type:Passport · document_custody:WithheldByTrafficker · AB123',
    ]);
    expect(
      describeValue(
        'case',
        'trafficking_events',
        [{ type: 'Exploitation', country: 'DE', locality: 'Köln', date: '2024-05-01' }],
        context,
      ),
    ).toStrictEqual(['trafficking_event_type:Exploitation · Köln, country:DE · day:2024-05-01']);
  });

  it('shows text, numbers and flags as they are, and nothing for empty', () => {
    expect(describeValue('case', 'given_name', 'Dragica', context)).toStrictEqual(['Dragica']);
    expect(describeValue('case', 'estimated_age', 17, context)).toStrictEqual(['17']);
    expect(describeValue('follow_up', 'done', true, context)).toStrictEqual(['Yes']);
    expect(describeValue('case', 'given_name', null, context)).toStrictEqual([]);
    expect(describeValue('case', 'aliases', [], context)).toStrictEqual([]);
  });
});

describe('describeStoredValue', () => {
  it('reads the JSON the change log stored', () => {
    expect(describeStoredValue('case', 'risk_level', '"High"', context)).toStrictEqual([
      'risk_level:High',
    ]);
    expect(describeStoredValue('follow_up', 'done', 'false', context)).toStrictEqual(['No']);
    expect(describeStoredValue('case', 'aliases', '["Gica","Dragi"]', context)).toStrictEqual([
      'Gica',
      'Dragi',
    ]);
  });

  it('gives nothing for a cleared field and the text itself for JSON it cannot read', () => {
    expect(describeStoredValue('case', 'phone', null, context)).toStrictEqual([]);
    expect(describeStoredValue('case', 'phone', '{broken', context)).toStrictEqual(['{broken']);
  });
});

describe('days', () => {
  it('shows a day field, and an event’s day, in the local form', () => {
    expect(describeValue('case', 'birth_date', '2001-04-02', context)).toStrictEqual(['day:2001-04-02']);
    expect(describeValue('follow_up', 'due_date', '2026-12-24', context)).toStrictEqual(['day:2026-12-24']);
    expect(describeValue('case', 'given_name', '2001-04-02', context)).toStrictEqual(['2001-04-02']);
    expect(
      describeValue('case', 'trafficking_events', [{ type: 'Recruitment', country: 'AL', locality: 'Vlorë', date: '2024-05-01' }], context),
    ).toStrictEqual(['trafficking_event_type:Recruitment · Vlorë, country:AL · day:2024-05-01']);
  });
});
