//! Sending a referral packet: consent first, then only the sections chosen, to the partner and to
//! nobody else.

use rusqlite::Transaction;

use hearth_documents::{case_summary, render, ConsentBasis as PrintedBasis, Language};
use hearth_documents::{ReferralHeader, SummaryInput};
use hearth_records::referral_packets::{self, ConsentBasis};
use hearth_records::{case_file, partners, Actor, PartnerFields, RecordId, RecordKind, Section};
use hearth_records::{FieldError, FieldProblem, RecordError};
use hearth_store::audit::{self, Action, Target};
use hearth_store::device;

use crate::htcds::{self, Shared};
use crate::keys;
use crate::ledger::{self, SentPacket};
use crate::packet::{self, AnswerRoute, ConsentInfo, Contents, Manifest, Protection};
use crate::packet::{Receiver, ReferralInfo, Sender};
use crate::ReferralError;

/// How long a partner is asked to keep a packet, unless the sender says otherwise.
pub const DEFAULT_EXPIRY_DAYS: u32 = 90;

/// What to send.
#[derive(Debug, Clone)]
pub struct SendRequest {
    /// The outgoing referral.
    pub referral: RecordId,
    /// The summary's language.
    pub language: Language,
    /// The sections to send; each must be one a referral may carry.
    pub sections: Vec<Section>,
    /// Days until the partner should delete it.
    pub expiry_days: u32,
}

/// Who is sending, as the packet names them.
#[derive(Debug, Clone)]
pub struct SentBy<'a> {
    /// The organisation.
    pub organisation: &'a str,
    /// The site.
    pub site: &'a str,
    /// The sender's name.
    pub name: &'a str,
}

/// A packet written: its bytes go where the sender chose.
pub struct Written {
    /// The packet's id.
    pub packet_id: String,
    /// The case sent.
    pub case: RecordId,
    /// The sealed file.
    pub bytes: Vec<u8>,
    /// The partner's name.
    pub partner: String,
    /// For a partner without a key: the passphrase to give by phone. Shown once; not stored.
    pub passphrase: Option<String>,
    /// The fingerprint of the partner's key it was encrypted to.
    pub recipient_fingerprint: Option<String>,
    /// Every field it carries.
    pub fields: Vec<String>,
    /// The sections it does not carry.
    pub left_out: Vec<Section>,
}

impl std::fmt::Debug for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Written")
            .field("packet_id", &self.packet_id)
            .field("bytes", &self.bytes.len())
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "[redacted]"),
            )
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

/// Writes the packet for an outgoing referral, records it, and audits it (the packet's id and the
/// names of the fields it carries). The caller delivers the bytes and commits.
pub fn send(
    transaction: &Transaction<'_>,
    actor: &Actor,
    from: &SentBy<'_>,
    request: &SendRequest,
) -> Result<Written, ReferralError> {
    let (case, referral) =
        referral_packets::sendable_referral(transaction, actor, request.referral)?;
    let basis = referral_packets::consent_basis(transaction, case, &referral)?;
    let sections = chosen_sections(&request.sections)?;
    let left_out: Vec<Section> = Section::for_referrals()
        .filter(|section| !sections.contains(section))
        .collect();

    let partner_id = referral
        .fields
        .partner
        .as_deref()
        .and_then(RecordId::parse)
        .ok_or(RecordError::NotFound(RecordKind::Partner))?;
    let partner: PartnerFields = partners::get(transaction, partner_id)?.fields;
    let partner_name = partner.name.clone().unwrap_or_default();
    let file = case_file::load(transaction, actor, case)?;
    let caseworker = file
        .case
        .fields
        .owner
        .as_ref()
        .and_then(|owner| file.people.get(owner))
        .cloned()
        .unwrap_or_else(|| from.name.to_owned());

    let packet_id = RecordId::generate()
        .map_err(|_| ReferralError::Crypto("no randomness".to_owned()))?
        .to_string();
    let answer_key = crate::random::<32>()?;
    let today = actor.today();
    let expires = hearth_records::dates::Date::from_days_since_epoch(
        today.days_since_epoch() + i64::from(request.expiry_days.max(1)),
    )
    .to_string();
    let today = today.to_string();

    let printed_basis = match &basis {
        ConsentBasis::Given { date, .. } => PrintedBasis::Given { date },
        ConsentBasis::Override { reason } => PrintedBasis::Override { reason },
    };
    let summary = case_summary(&SummaryInput {
        file: &file,
        sections: &sections,
        language: request.language,
        organisation: from.organisation,
        site: from.site,
        printed_by: from.name,
        today: &today,
        referral: Some(ReferralHeader {
            packet_id: &packet_id,
            partner: &partner_name,
            referral_id: &referral.id,
            consent: printed_basis,
            expires: &expires,
            left_out: &left_out,
        }),
    });
    let summary_pdf = render(&summary)?;
    let (case_json, fields) = htcds::case_json(&Shared {
        file: &file,
        sections: &sections,
        referral: &referral,
        partner_name: &partner_name,
        organisation: from.organisation,
        site: from.site,
        caseworker: &caseworker,
        packet_id: &packet_id,
    });
    let case_json = serde_json::to_vec_pretty(&case_json)
        .map_err(|error| ReferralError::Crypto(error.to_string()))?;
    // What the manifest (and the summary's head) carry whatever the sections: the sender's case
    // number to answer by, the referral's reason and date, and what allowed it to leave.
    let mut fields = fields;
    fields.extend(["case_number", "referral.reason", "referral.date"].map(String::from));
    if matches!(basis, ConsentBasis::Override { .. }) {
        fields.push("referral.consent_override_reason".to_owned());
    }
    fields.sort();
    fields.dedup();

    let signer = device::signing_key(transaction)?;
    let own_recipient = device::age_identity(transaction)?.to_public().to_string();
    let partner_key = partner
        .age_recipient
        .as_deref()
        .map(|key| {
            key.parse::<age::x25519::Recipient>().map_err(|_| {
                ReferralError::Crypto(
                    "the partner's stored key is not an age key: a supervisor sets it again"
                        .to_owned(),
                )
            })
        })
        .transpose()?;
    let recipient_fingerprint = partner.age_recipient.as_deref().map(keys::fingerprint);
    let manifest = Manifest {
        format: packet::FORMAT.to_owned(),
        version: packet::VERSION,
        packet_id: packet_id.clone(),
        created: jiff::Timestamp::from_millisecond(i64::try_from(actor.now_ms()).unwrap_or(0))
            .map(|at| at.to_string())
            .unwrap_or_default(),
        expires: expires.clone(),
        language: request.language.as_str().to_owned(),
        from: Sender {
            organisation: from.organisation.to_owned(),
            site: from.site.to_owned(),
            organisation_type: "NGO".to_owned(),
            device: actor.device().to_hex(),
            signing_key: hex::encode(signer.verifying_key().as_bytes()),
            signing_key_fingerprint: device::fingerprint(&signer.verifying_key()),
        },
        to: Receiver {
            partner_id: partner_id.to_string(),
            partner: partner_name.clone(),
            protected_by: if partner_key.is_some() {
                "recipient"
            } else {
                "passphrase"
            }
            .to_owned(),
            recipient_fingerprint: recipient_fingerprint.clone(),
        },
        referral: ReferralInfo {
            referral_id: referral.id.clone(),
            case_number: file.case.fields.case_number.clone().unwrap_or_default(),
            reason: referral.fields.reason.clone(),
            date: referral.fields.date.clone().unwrap_or_default(),
        },
        consent: match &basis {
            ConsentBasis::Given { decision, date } => ConsentInfo::Given {
                decision_id: decision.clone(),
                date: date.clone(),
            },
            ConsentBasis::Override { reason } => ConsentInfo::Override {
                reason: reason.clone(),
            },
        },
        sections_included: sections.clone(),
        sections_left_out: left_out.clone(),
        fields_included: fields.clone(),
        answer: AnswerRoute {
            recipient: own_recipient,
            key: hex::encode(answer_key),
        },
    };
    let contents = Contents {
        manifest,
        summary_pdf,
        case_json,
    };
    let passphrase = match partner_key {
        Some(_) => None,
        None => Some(keys::one_time_passphrase()?),
    };
    let protection = match (&partner_key, &passphrase) {
        (Some(key), _) => Protection::Recipient(key),
        (None, Some(passphrase)) => Protection::Passphrase(passphrase),
        (None, None) => return Err(ReferralError::Crypto("no recipient".to_owned())),
    };
    let bytes = packet::seal(&contents, &signer, protection)?;

    let packet = RecordId::parse(&packet_id)
        .ok_or_else(|| ReferralError::Crypto("a new packet id did not read back".to_owned()))?;
    ledger::record_sent(
        transaction,
        &SentPacket {
            packet_id: packet,
            referral_id: request.referral,
            case_id: case,
            partner_id,
            answer_key,
            protected_by: if partner_key.is_some() {
                "recipient"
            } else {
                "passphrase"
            },
            sent_ms: actor.now_ms(),
            expires,
        },
    )?;
    referral_packets::set_packet_id(transaction, actor, case, request.referral, &packet_id)?;
    if let Some(entry) = actor.audit_entry(
        Action::SendReferral,
        Target::packet(&packet_id),
        fields.clone(),
    ) {
        audit::append(transaction, &entry)?;
    }
    Ok(Written {
        packet_id,
        case,
        bytes,
        partner: partner_name,
        passphrase,
        recipient_fingerprint,
        fields,
        left_out,
    })
}

/// The sections asked for, in order, each once; the minimum necessary when none are.
fn chosen_sections(asked: &[Section]) -> Result<Vec<Section>, ReferralError> {
    if asked.is_empty() {
        return Ok(Section::MINIMUM_NECESSARY.to_vec());
    }
    let mut sections = Vec::new();
    for section in Section::for_referrals() {
        if asked.contains(&section) {
            sections.push(section);
        }
    }
    if asked.iter().any(|section| !sections.contains(section)) {
        let problem = FieldProblem::UnknownCode {
            list: "referral sections (a packet carries no case status or consent history)",
        };
        return Err(RecordError::from(FieldError::new("sections", problem)).into());
    }
    Ok(sections)
}
