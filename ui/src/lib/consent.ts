// Consent as the case page shows it: the decision in force for each purpose (and, for referrals,
// each partner), and whether an outgoing referral to a partner has the consent it needs. The core
// decides both (current_consents, consent_required); this only arranges what it sent.

import type { ConsentFields, HearthRecord } from './ipc';

/** The purpose whose consent names a partner organisation. */
export const REFERRAL_PURPOSE = 'ReferralToPartner';
export const GIVEN = 'Given';

export function purposeNeedsPartner(purpose: string): boolean {
  return purpose === REFERRAL_PURPOSE;
}

/** Whether a Given consent to referral to `partner` is in force. */
export function hasReferralConsent(
  current: readonly HearthRecord<ConsentFields>[],
  partner: string,
): boolean {
  return current.some(
    (consent) =>
      consent.fields.purpose === REFERRAL_PURPOSE &&
      consent.fields.partner === partner &&
      consent.fields.decision === GIVEN,
  );
}

/** One line of the "consent in force" table. */
export interface ConsentStateRow {
  purpose: string;
  partner: string | null;
  /** The decision in force, or null if none was ever recorded. */
  consent: HearthRecord<ConsentFields> | null;
}

/**
 * Every purpose in the list's order with the decision in force: one line per partner for
 * referrals (partners by name), and a line saying "no decision" for a purpose never asked.
 */
export function consentState(
  purposes: readonly string[],
  current: readonly HearthRecord<ConsentFields>[],
  partnerName: (id: string) => string,
): ConsentStateRow[] {
  const rows: ConsentStateRow[] = [];
  const known = new Set(purposes);
  const order = [
    ...purposes,
    ...current.map((c) => c.fields.purpose ?? '').filter((p) => p !== '' && !known.has(p)),
  ];
  for (const purpose of new Set(order)) {
    const decisions = current
      .filter((consent) => consent.fields.purpose === purpose)
      .sort((a, b) =>
        partnerName(a.fields.partner ?? '').localeCompare(partnerName(b.fields.partner ?? '')),
      );
    if (decisions.length === 0) rows.push({ purpose, partner: null, consent: null });
    for (const consent of decisions) {
      rows.push({ purpose, partner: consent.fields.partner, consent });
    }
  }
  return rows;
}
