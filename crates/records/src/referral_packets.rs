//! What referral packets need from the records: whether consent lets a case go to a partner now,
//! the packet's id on the referral it was sent for, and the case a received packet becomes. The
//! packets themselves (their contents, encryption and answers) are hearth-referrals'.

use rusqlite::{Connection, Transaction};
use serde_json::{Map, Value};

use hearth_ids::Operation;
use hearth_store::audit::{Action, Target};

use crate::actor::Actor;
use crate::case_access::require_case;
use crate::children::{current_consents, typed_children};
use crate::model::*;
use crate::write::{self, write, CaseDraft};
use crate::{projection, RecordError, RecordId, RecordKind};

/// What lets a case leave for a partner now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentBasis {
    /// The decision in force for a referral to this partner is Given.
    Given {
        /// The decision's id.
        decision: String,
        /// The day it was given, `YYYY-MM-DD`.
        date: String,
    },
    /// A supervisor referred without consent, with this reason, and no decision about this
    /// partner has been recorded since.
    Override {
        /// The reason written.
        reason: String,
    },
}

/// An outgoing referral and the case it belongs to, if the actor may send it.
pub fn sendable_referral(
    connection: &Connection,
    actor: &Actor,
    referral: RecordId,
) -> Result<(RecordId, Record<ReferralFields>), RecordError> {
    let stored = projection::load(connection, RecordKind::Referral, referral)?
        .ok_or(RecordError::NotFound(RecordKind::Referral))?;
    let case = stored
        .text("case_id")
        .and_then(RecordId::parse)
        .ok_or(RecordError::NotFound(RecordKind::Referral))?;
    require_case(connection, actor, Operation::SendReferral, case)?;
    let record: Record<ReferralFields> = stored.into_record(referral)?;
    if record.fields.direction.as_deref() != Some("Outgoing") {
        return Err(RecordError::NotOutgoing);
    }
    Ok((case, record))
}

/// Whether the person's consent (or a supervisor's override) lets `referral`'s case go to its
/// partner now. The decision in force is read at the moment of sending: a consent withdrawn after
/// the referral was made stops the next packet. An override covers the referral until a decision
/// about the partner is recorded after it.
pub fn consent_basis(
    connection: &Connection,
    case: RecordId,
    referral: &Record<ReferralFields>,
) -> Result<ConsentBasis, RecordError> {
    let partner = referral.fields.partner.as_deref();
    let consents: Vec<Record<ConsentFields>> =
        typed_children(connection, case, RecordKind::Consent)?;
    let in_force = current_consents(&consents).into_iter().find(|consent| {
        consent.fields.purpose.as_deref() == Some("ReferralToPartner")
            && consent.fields.partner.as_deref() == partner
    });
    if let Some(consent) = &in_force {
        if consent.fields.decision.as_deref() == Some("Given") {
            return Ok(ConsentBasis::Given {
                decision: consent.id.clone(),
                date: consent.fields.date.clone().unwrap_or_default(),
            });
        }
    }
    let Some(reason) = referral.fields.consent_override_reason.clone() else {
        return Err(RecordError::ConsentRequired);
    };
    let overridden_at = override_stamp(connection, referral)?;
    let decided_since = consents.iter().any(|consent| {
        consent.fields.purpose.as_deref() == Some("ReferralToPartner")
            && consent.fields.partner.as_deref() == partner
            && consent.created_ms > overridden_at
    });
    if decided_since {
        return Err(RecordError::ConsentRequired);
    }
    Ok(ConsentBasis::Override { reason })
}

/// When the referral's override reason was last written (its clock, in ms).
fn override_stamp(
    connection: &Connection,
    referral: &Record<ReferralFields>,
) -> Result<u64, RecordError> {
    let id = RecordId::parse(&referral.id).ok_or(RecordError::NotFound(RecordKind::Referral))?;
    let written = hearth_store::change_log::field_written_at(
        connection,
        RecordKind::Referral.as_str(),
        id.0,
        "consent_override_reason",
    )?;
    Ok(written.map_or(0, |hlc| hlc.wall_ms))
}

/// Records on the referral the packet sent for it (or the one it came in).
pub fn set_packet_id(
    transaction: &Transaction<'_>,
    actor: &Actor,
    case: RecordId,
    referral: RecordId,
    packet_id: &str,
) -> Result<(), RecordError> {
    write(
        transaction,
        actor,
        RecordKind::Referral,
        referral,
        &vec![("packet_id", Some(Value::from(packet_id)))],
        Action::UpdateRecord,
        Target::case(case),
    )
}

/// What a received packet becomes: a new case with what the packet carried, and an incoming
/// referral from the sender naming the packet.
#[derive(Debug, Clone)]
pub struct ReceivedCase {
    /// The case's fields, as input (validated like any new case).
    pub case: Map<String, Value>,
    /// Records to attach (services, notes).
    pub children: Vec<(RecordKind, Map<String, Value>)>,
    /// The incoming referral's fields (partner, reason, details, date, status).
    pub referral: Map<String, Value>,
    /// The packet's id.
    pub packet_id: String,
}

/// Opens the case a received packet becomes; returns it and the incoming referral's id.
pub fn open_received(
    transaction: &Transaction<'_>,
    actor: &Actor,
    received: &ReceivedCase,
) -> Result<(CaseCreated, RecordId), RecordError> {
    let draft = CaseDraft {
        case: received.case.clone(),
        children: received.children.clone(),
    };
    let mut created = write::create_cases(transaction, actor, std::slice::from_ref(&draft))?;
    let case = created
        .pop()
        .ok_or(RecordError::NotFound(RecordKind::Case))?;
    let case_id = RecordId::parse(&case.id).ok_or(RecordError::NotFound(RecordKind::Case))?;
    let referral = write::add_record(
        transaction,
        actor,
        RecordKind::Referral,
        case_id,
        &received.referral,
    )?;
    set_packet_id(transaction, actor, case_id, referral, &received.packet_id)?;
    Ok((case, referral))
}
