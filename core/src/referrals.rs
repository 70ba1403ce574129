//! Referral packets as a session sends, receives and answers them (hearth-referrals), each in
//! one transaction that commits only once the file is written; refusals are audited.

pub use hearth_referrals::answer::AnswerOutcome;
pub use hearth_referrals::keys::fingerprint;
pub use hearth_referrals::receive::{ImportedAnswer, ReceivedReferral};
pub use hearth_referrals::send::{SendRequest, Written, DEFAULT_EXPIRY_DAYS};
pub use hearth_referrals::ReferralError;

use rusqlite::Transaction;

use hearth_records::{Actor, RecordError, RecordId};
use hearth_referrals::{keys, receive, send};
use hearth_store::device;

use crate::access::Session;
use crate::audit::{Action, Target};
use crate::crash_point::crash_point;

impl Session {
    /// Runs `work` as this session's actor in one transaction, committed only if it succeeds;
    /// a refusal by the records' rules is audited as `action`.
    fn referral_work<T>(
        &mut self,
        action: Action,
        target: Option<Target>,
        work: impl FnOnce(&Transaction<'_>, &Actor) -> Result<T, ReferralError>,
    ) -> Result<T, ReferralError> {
        let actor = Actor::new(self.device(), self.account(), self.audit_enabled());
        let result = (|| {
            let transaction = self.database_mut().transaction()?;
            let value = work(&transaction, &actor)?;
            crash_point("referral-written");
            transaction.commit()?;
            Ok(value)
        })();
        if let Err(ReferralError::Record(error)) = &result {
            let refused = match error {
                RecordError::Denied(denied) => Some(Action::attempting(denied.operation)),
                RecordError::NotOnTeam | RecordError::ConsentRequired => Some(action),
                _ => None,
            };
            if let Some(refused) = refused {
                self.audit_refusal(refused, target, &error.to_string());
            }
        }
        result
    }

    /// Sets (or removes) a partner's key for referral packets (supervisors); returns the
    /// fingerprint of the key set, to read back to the partner.
    pub fn set_partner_key(
        &mut self,
        partner: RecordId,
        key: Option<&str>,
    ) -> Result<Option<String>, ReferralError> {
        self.referral_work(
            Action::SetPartnerKey,
            Some(Target::partner(partner)),
            |tx, actor| keys::set_partner_key(tx, actor, partner, key),
        )
    }

    /// Writes a referral packet for an outgoing referral and gives it to `deliver` (which writes
    /// the file the person chose); the packet is recorded and audited only if that succeeds.
    pub fn send_referral(
        &mut self,
        request: &SendRequest,
        deliver: impl FnOnce(&[u8]) -> std::io::Result<()>,
    ) -> Result<Written, ReferralError> {
        let (organisation, site) = self.organisation_and_site()?;
        let name = self.account().name.clone();
        self.referral_work(Action::SendReferral, None, |tx, actor| {
            let written = send::send(
                tx,
                actor,
                &send::SentBy {
                    organisation: &organisation,
                    site: &site,
                    name: &name,
                },
                request,
            )?;
            deliver(&written.bytes).map_err(ReferralError::Write)?;
            Ok(written)
        })
    }

    /// Opens a partner's referral packet (with this laptop's key, or the passphrase given by
    /// phone) as a new case with an incoming referral.
    pub fn receive_referral(
        &mut self,
        sealed: &[u8],
        passphrase: Option<&str>,
    ) -> Result<ReceivedReferral, ReferralError> {
        self.referral_work(Action::ReceiveReferral, None, |tx, actor| {
            receive::receive(tx, actor, sealed, passphrase)
        })
    }

    /// Answers a referral that came in as a packet: its status changes here, and `deliver`
    /// writes the answer for the sender. Returns the referral's case.
    pub fn answer_referral(
        &mut self,
        referral: RecordId,
        outcome: AnswerOutcome,
        decline_reason: Option<&str>,
        deliver: impl FnOnce(&[u8]) -> std::io::Result<()>,
    ) -> Result<RecordId, ReferralError> {
        let (organisation, _) = self.organisation_and_site()?;
        self.referral_work(Action::AnswerReferral, None, |tx, actor| {
            let (sealed, case) =
                receive::answer(tx, actor, referral, outcome, decline_reason, &organisation)?;
            deliver(&sealed).map_err(ReferralError::Write)?;
            Ok(case)
        })
    }

    /// Imports a partner's answer to a packet this laptop sent: the referral's status moves.
    pub fn import_referral_answer(
        &mut self,
        sealed: &[u8],
    ) -> Result<ImportedAnswer, ReferralError> {
        self.referral_work(Action::ImportAnswer, None, |tx, actor| {
            receive::import_answer(tx, actor, sealed)
        })
    }

    /// This laptop's key for referral packets and its fingerprint: what an organisation that
    /// refers people to this one sets as its key.
    pub fn referral_key(&self) -> Result<(String, String), ReferralError> {
        let recipient = device::age_identity(self.database())?
            .to_public()
            .to_string();
        let print = fingerprint(&recipient);
        Ok((recipient, print))
    }
}
