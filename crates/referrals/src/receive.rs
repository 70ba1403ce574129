//! The partner's side, when it runs Hearth: a packet becomes a new case with an incoming
//! referral; the answer goes back to the sender. And the sender's side of the answer.

use rusqlite::Transaction;
use serde::Serialize;
use serde_json::{Map, Value};

use hearth_records::referral_packets::{self, ReceivedCase};
use hearth_records::{partners, write, Actor, CaseCreated, RecordId, RecordKind};
use hearth_store::audit::{self, Action, Target};
use hearth_store::device;

use crate::answer::{self, AnswerBody, AnswerOutcome};
use crate::htcds;
use crate::ledger::{self, ReceivedPacket};
use crate::packet::{self, Unlock};
use crate::ReferralError;

/// A packet taken in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "ReceivedReferral.ts")
)]
pub struct ReceivedReferral {
    /// The new case.
    pub case: CaseCreated,
    /// Its incoming referral (id, hex).
    pub referral_id: String,
    /// The packet's id.
    pub packet_id: String,
    /// The organisation that sent it.
    pub from: String,
    /// The fingerprint of the laptop key that signed it, to compare with what the sender says.
    pub sender_fingerprint: String,
}

/// Opens `sealed` (with this laptop's key, or the passphrase given by phone) and makes it a case.
/// The same packet twice is refused.
pub fn receive(
    transaction: &Transaction<'_>,
    actor: &Actor,
    sealed: &[u8],
    passphrase: Option<&str>,
) -> Result<ReceivedReferral, ReferralError> {
    let identity = device::age_identity(transaction)?;
    let unlock = match passphrase {
        Some(passphrase) => Unlock::Passphrase(passphrase),
        None => Unlock::Identity(&identity),
    };
    let opened = packet::open(sealed, unlock)?;
    let manifest = &opened.manifest;
    let packet_id = RecordId::parse(&manifest.packet_id)
        .ok_or(ReferralError::Damaged("the packet's id is not readable"))?;
    if ledger::is_received(transaction, packet_id)? {
        return Err(ReferralError::AlreadyImported("packet"));
    }
    let answer_key: [u8; 32] = hex::decode(&manifest.answer.key)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(ReferralError::Damaged(
            "the packet's answer key is not readable",
        ))?;
    manifest
        .answer
        .recipient
        .parse::<age::x25519::Recipient>()
        .map_err(|_| ReferralError::Damaged("the packet's answer key is not an age key"))?;
    let content = htcds::read_case_json(&opened.case_json)?;

    let sender = partners::sender_partner(
        transaction,
        actor,
        &manifest.from.organisation,
        &manifest.from.organisation_type,
    )?;
    let mut case = content.case.clone();
    case.insert(
        "referral_source".into(),
        Value::from(manifest.from.organisation.as_str()),
    );
    case.entry("trafficking_status")
        .or_insert_with(|| Value::from("PossibleVictimOfTrafficking"));
    case.entry("date_identified")
        .or_insert_with(|| Value::from(actor.today().to_string()));
    let mut children: Vec<(RecordKind, Map<String, Value>)> = content
        .services
        .iter()
        .map(|service| (RecordKind::Service, service.clone()))
        .collect();
    for text in &content.notes {
        let mut note = Map::new();
        note.insert("text".into(), Value::from(text.as_str()));
        children.push((RecordKind::Note, note));
    }
    let mut referral = content.referral.clone();
    referral.insert("direction".into(), Value::from("Incoming"));
    referral.insert("partner".into(), Value::from(sender.to_string()));
    referral.insert("status".into(), Value::from("InProgress"));
    // The referral's day on the sender's calendar may be tomorrow on this one (a clock or a time
    // zone ahead): it is taken as today rather than refusing the packet.
    let today = actor.today().to_string();
    let date_ahead = referral
        .get("date")
        .and_then(Value::as_str)
        .is_none_or(|date| date > today.as_str());
    if date_ahead {
        referral.insert("date".into(), Value::from(today.as_str()));
    }
    let (created, referral_id) = referral_packets::open_received(
        transaction,
        actor,
        &ReceivedCase {
            case,
            children,
            referral,
            packet_id: manifest.packet_id.clone(),
        },
    )?;
    let case_id = RecordId::parse(&created.id)
        .ok_or_else(|| ReferralError::Crypto("a new case id did not read back".to_owned()))?;
    ledger::record_received(
        transaction,
        &ReceivedPacket {
            packet_id,
            case_id,
            referral_id,
            answer_recipient: manifest.answer.recipient.clone(),
            answer_key,
            sender_key: opened.sender_key.to_bytes(),
            received_ms: actor.now_ms(),
            answered: false,
        },
    )?;
    if let Some(entry) = actor.audit_entry(
        Action::ReceiveReferral,
        Target::packet(packet_id),
        manifest.fields_included.clone(),
    ) {
        audit::append(transaction, &entry)?;
    }
    Ok(ReceivedReferral {
        case: created,
        referral_id: referral_id.to_string(),
        packet_id: manifest.packet_id.clone(),
        from: manifest.from.organisation.clone(),
        sender_fingerprint: device::fingerprint(&opened.sender_key),
    })
}

/// The answer to a referral that came in as a packet: its status changes here (accepted or
/// rejected, with the reason), and the returned file tells the sender. Also returns the case.
pub fn answer(
    transaction: &Transaction<'_>,
    actor: &Actor,
    referral: RecordId,
    outcome: AnswerOutcome,
    decline_reason: Option<&str>,
    organisation: &str,
) -> Result<(Vec<u8>, RecordId), ReferralError> {
    let received =
        ledger::received_for_referral(transaction, referral)?.ok_or(ReferralError::NotReceived)?;
    // One answer per packet: the sender refuses a second one.
    if received.answered {
        return Err(ReferralError::AlreadyAnswered);
    }
    let decline_reason = match outcome {
        AnswerOutcome::Accepted => None,
        AnswerOutcome::Declined => decline_reason,
    };
    write::update_record(
        transaction,
        actor,
        RecordKind::Referral,
        referral,
        &status_change(outcome, decline_reason),
    )?;
    let signer = device::signing_key(transaction)?;
    let recipient = received
        .answer_recipient
        .parse::<age::x25519::Recipient>()
        .map_err(|_| ReferralError::Damaged("the packet's answer key is not an age key"))?;
    let answer_id =
        RecordId::generate().map_err(|_| ReferralError::Crypto("no randomness".to_owned()))?;
    let body = AnswerBody {
        format: answer::FORMAT.to_owned(),
        version: answer::VERSION,
        packet_id: received.packet_id.to_string(),
        answer_id: answer_id.to_string(),
        outcome,
        decline_reason: decline_reason.map(str::to_owned),
        answered: actor.today().to_string(),
        organisation: organisation.to_owned(),
        signing_key: hex::encode(signer.verifying_key().as_bytes()),
    };
    let sealed = answer::seal(&body, &received.answer_key, &signer, &recipient)?;
    ledger::mark_received_answered(transaction, received.packet_id, actor.now_ms())?;
    if let Some(entry) = actor.audit_entry(
        Action::AnswerReferral,
        Target::packet(received.packet_id),
        vec![
            "referral.status".to_owned(),
            "referral.decline_reason".to_owned(),
        ],
    ) {
        audit::append(transaction, &entry)?;
    }
    Ok((sealed, received.case_id))
}

/// An answer taken in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ImportedAnswer.ts"))]
pub struct ImportedAnswer {
    /// The referral it answers (id, hex).
    pub referral_id: String,
    /// Its case (id, hex).
    pub case_id: String,
    /// Accepted or declined.
    pub outcome: AnswerOutcome,
    /// Why it was declined.
    pub decline_reason: Option<String>,
    /// The partner that answered.
    pub organisation: String,
}

/// Imports a partner's answer to a packet this laptop sent: the referral's status moves. A
/// forged, altered or replayed answer is refused and changes nothing.
pub fn import_answer(
    transaction: &Transaction<'_>,
    actor: &Actor,
    sealed: &[u8],
) -> Result<ImportedAnswer, ReferralError> {
    let identity = device::age_identity(transaction)?;
    let mut sent = None;
    let body = answer::open(sealed, &identity, |packet| {
        let Some(id) = RecordId::parse(packet) else {
            return Ok(None);
        };
        let found = ledger::sent(transaction, id)?;
        let key = found.as_ref().map(|record| record.answer_key);
        sent = found.map(|record| (id, record));
        Ok(key)
    })?;
    let (packet_id, sent) = sent.ok_or(ReferralError::UnknownPacket)?;
    if sent.answered {
        return Err(ReferralError::AlreadyImported("answer"));
    }
    if body.outcome == AnswerOutcome::Accepted && body.decline_reason.is_some() {
        return Err(ReferralError::Damaged(
            "an acceptance with a reason to decline",
        ));
    }
    write::update_record(
        transaction,
        actor,
        RecordKind::Referral,
        sent.referral_id,
        &status_change(body.outcome, body.decline_reason.as_deref()),
    )?;
    let answer_id = RecordId::parse(&body.answer_id)
        .ok_or(ReferralError::Damaged("the answer's id is not readable"))?;
    ledger::mark_answered(transaction, packet_id, answer_id, actor.now_ms())?;
    if let Some(entry) = actor.audit_entry(
        Action::ImportAnswer,
        Target::packet(packet_id),
        vec![
            "referral.status".to_owned(),
            "referral.decline_reason".to_owned(),
        ],
    ) {
        audit::append(transaction, &entry)?;
    }
    Ok(ImportedAnswer {
        referral_id: sent.referral_id.to_string(),
        case_id: sent.case_id.to_string(),
        outcome: body.outcome,
        decline_reason: body.decline_reason,
        organisation: body.organisation,
    })
}

/// The referral fields an answer sets.
fn status_change(outcome: AnswerOutcome, decline_reason: Option<&str>) -> Map<String, Value> {
    let mut input = Map::new();
    let status = match outcome {
        AnswerOutcome::Accepted => "Accepted",
        AnswerOutcome::Declined => "Rejected",
    };
    input.insert("status".into(), Value::from(status));
    input.insert(
        "decline_reason".into(),
        decline_reason.map_or(Value::Null, Value::from),
    );
    input
}
