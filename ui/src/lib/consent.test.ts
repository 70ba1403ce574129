import { describe, expect, it } from 'vitest';
import { consentState, hasReferralConsent, purposeNeedsPartner } from './consent';
import type { ConsentFields, HearthRecord } from './ipc';

function consent(
  id: string,
  purpose: string,
  decision: string,
  partner: string | null = null,
): HearthRecord<ConsentFields> {
  return {
    id,
    fields: {
      case_id: 'c1',
      created_by: 'a1',
      purpose,
      partner,
      decision,
      date: '2026-11-01',
      method: 'Signed',
      notes: null,
    },
    created_ms: 0,
    updated_ms: 0,
  };
}

const names: Record<string, string> = { p1: 'Zeta Legal', p2: 'Alpha Health' };
const partnerName = (id: string) => names[id] ?? id;

describe('hasReferralConsent', () => {
  const current = [
    consent('1', 'ReferralToPartner', 'Given', 'p1'),
    consent('2', 'ReferralToPartner', 'Withdrawn', 'p2'),
    consent('3', 'Services', 'Given'),
  ];

  it('finds a Given consent to referral to that partner', () => {
    expect(hasReferralConsent(current, 'p1')).toBe(true);
  });

  it('does not count a withdrawn consent, another partner, or another purpose', () => {
    expect(hasReferralConsent(current, 'p2')).toBe(false);
    expect(hasReferralConsent(current, 'p3')).toBe(false);
    expect(hasReferralConsent([consent('4', 'Services', 'Given', 'p1')], 'p1')).toBe(false);
  });
});

describe('consentState', () => {
  const purposes = ['Services', 'SharingWithinOrganisation', 'ReferralToPartner'];

  it('lists every purpose, with "no decision" where none was recorded', () => {
    const rows = consentState(purposes, [consent('3', 'Services', 'Refused')], partnerName);
    expect(rows.map((row) => [row.purpose, row.consent?.fields.decision ?? null])).toStrictEqual([
      ['Services', 'Refused'],
      ['SharingWithinOrganisation', null],
      ['ReferralToPartner', null],
    ]);
  });

  it('gives referrals one line per partner, by partner name', () => {
    const rows = consentState(
      purposes,
      [
        consent('1', 'ReferralToPartner', 'Given', 'p1'),
        consent('2', 'ReferralToPartner', 'Withdrawn', 'p2'),
      ],
      partnerName,
    );
    expect(rows.filter((row) => row.purpose === 'ReferralToPartner').map((row) => row.partner))
      .toStrictEqual(['p2', 'p1']);
  });

  it('keeps a decision whose purpose the list no longer has', () => {
    const rows = consentState(['Services'], [consent('9', 'OldPurpose', 'Given')], partnerName);
    expect(rows.map((row) => row.purpose)).toStrictEqual(['Services', 'OldPurpose']);
  });

  it('knows which purpose names a partner', () => {
    expect(purposeNeedsPartner('ReferralToPartner')).toBe(true);
    expect(purposeNeedsPartner('Services')).toBe(false);
  });
});
