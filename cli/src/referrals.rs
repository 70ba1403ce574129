//! `hearth referral send|receive|answer|import-answer|key` and `hearth partner set-key`: referral
//! packets from the command line (the records of referrals themselves are `records.rs`).

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use clap::Subcommand;
use hearth_core::access::Session;
use hearth_core::documents::Language;
use hearth_core::records::{RecordId, RecordKind, Section};
use hearth_core::referrals::{AnswerOutcome, ReferralError, SendRequest, DEFAULT_EXPIRY_DAYS};

use crate::output::{say, write_new_file};
use crate::records::{attached, AttachedCommand};
use crate::secret_input::read_packet_passphrase;

#[derive(Debug, Subcommand)]
pub enum ReferralCommand {
    #[command(flatten)]
    Attached(AttachedCommand),
    /// Write a referral packet for an outgoing referral: encrypted to the partner (its key, or a
    /// one-time passphrase printed once, to give by phone), signed by this laptop. It cannot be
    /// recalled once sent
    Send {
        /// The referral's id
        referral: String,
        /// The file to create (its name should say nothing about the person)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The summary's language: en, sq, sr (Latin) or sr-Cyrl
        #[arg(long, default_value = "en", value_parser = parse_language)]
        language: Language,
        /// The sections to send, comma-separated [default: identity,shelter_contact,referral,needs];
        /// also person_contact, documents, trafficking, services, notes
        #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_section)]
        sections: Vec<Section>,
        /// Days until the partner should delete it
        #[arg(long, value_name = "DAYS", default_value_t = DEFAULT_EXPIRY_DAYS)]
        expires_in: u32,
    },
    /// Open a partner's referral packet as a new case (a referral in); prints the case's id
    Receive {
        /// The packet
        file: PathBuf,
        /// A file holding the one-time passphrase given with it (asked on the terminal if the
        /// packet needs one and this is omitted)
        #[arg(long, value_name = "FILE")]
        packet_passphrase_file: Option<PathBuf>,
    },
    /// Answer a referral that came in as a packet, for its sender
    Answer {
        /// The incoming referral's id
        referral: String,
        /// The person is taken on
        #[arg(long, conflicts_with = "decline", required_unless_present = "decline")]
        accept: bool,
        /// Declined, with one of Primero's reasons: ClientRefusedServices, LackOfCapacity,
        /// ServicesNoLongerNeeded, UnableToContactClient, Other
        #[arg(long, value_name = "REASON")]
        decline: Option<String>,
        /// The answer file to create
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import a partner's answer to a packet sent from this laptop: the referral's status moves
    ImportAnswer {
        /// The answer file
        file: PathBuf,
    },
    /// This laptop's key for referral packets and its fingerprint, to give to organisations
    /// that refer people to yours
    Key,
}

fn parse_language(text: &str) -> Result<Language, String> {
    Language::parse(text).ok_or_else(|| "a language is en, sq, sr or sr-Cyrl".to_owned())
}

fn parse_section(text: &str) -> Result<Section, String> {
    Section::parse(text)
        .filter(|section| Section::for_referrals().any(|s| s == *section))
        .ok_or_else(|| {
            let names: Vec<&str> = Section::for_referrals().map(|s| s.as_str()).collect();
            format!("a section is one of {}", names.join(", "))
        })
}

fn record_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| anyhow!("\"{id}\" is not a record id (32 hex digits)"))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|error| anyhow!("could not read {}: {error}", path.display()))
}

pub fn referral(session: &mut Session, command: &ReferralCommand) -> Result<()> {
    match command {
        ReferralCommand::Attached(command) => attached(session, RecordKind::Referral, command),
        ReferralCommand::Send {
            referral,
            out,
            language,
            sections,
            expires_in,
        } => {
            let request = SendRequest {
                referral: record_id(referral)?,
                language: *language,
                sections: sections.clone(),
                expiry_days: *expires_in,
            };
            let written = session.send_referral(&request, |bytes| {
                hearth_core::files::write_new_private_file(out, bytes)
            })?;
            say!("Packet {} written to {}", written.packet_id, out.display())?;
            say!("For: {}", written.partner)?;
            say!("Fields sent: {}", written.fields.join(", "))?;
            if !written.left_out.is_empty() {
                let names: Vec<&str> = written.left_out.iter().map(|s| s.as_str()).collect();
                say!("Sections left out: {}", names.join(", "))?;
            }
            match (&written.recipient_fingerprint, &written.passphrase) {
                (Some(fingerprint), _) => {
                    say!("Encrypted to the partner's key {fingerprint}")?;
                }
                (None, Some(passphrase)) => {
                    say!("One-time passphrase (give it by phone, not with the file; shown only now):")?;
                    say!("{passphrase}")?;
                }
                (None, None) => {}
            }
            Ok(())
        }
        ReferralCommand::Receive {
            file,
            packet_passphrase_file,
        } => {
            let sealed = read(file)?;
            let received = match packet_passphrase_file {
                Some(path) => {
                    let passphrase = read_packet_passphrase(Some(path))?;
                    session.receive_referral(&sealed, Some(passphrase.as_str()))
                }
                None => match session.receive_referral(&sealed, None) {
                    // Not to this laptop's key: a packet to a partner without one.
                    Err(ReferralError::NotAddressed) => {
                        let passphrase = read_packet_passphrase(None)?;
                        session.receive_referral(&sealed, Some(passphrase.as_str()))
                    }
                    other => other,
                },
            }?;
            say!("{}", received.case.id)?;
            say!(
                "Case {} opened from packet {} of {} (signed by the key {})",
                received.case.number,
                received.packet_id,
                received.from,
                received.sender_fingerprint
            )?;
            Ok(())
        }
        ReferralCommand::Answer {
            referral,
            accept,
            decline,
            out,
        } => {
            let outcome = if *accept {
                AnswerOutcome::Accepted
            } else {
                AnswerOutcome::Declined
            };
            session.answer_referral(
                record_id(referral)?,
                outcome,
                decline.as_deref(),
                |bytes| hearth_core::files::write_new_private_file(out, bytes),
            )?;
            say!(
                "Answer written to {}: give it to the referring organisation",
                out.display()
            )?;
            Ok(())
        }
        ReferralCommand::ImportAnswer { file } => {
            let answer = session.import_referral_answer(&read(file)?)?;
            let outcome = match answer.outcome {
                AnswerOutcome::Accepted => "accepted".to_owned(),
                AnswerOutcome::Declined => format!(
                    "declined ({})",
                    answer
                        .decline_reason
                        .as_deref()
                        .unwrap_or("no reason given")
                ),
            };
            say!(
                "{} {outcome} referral {}",
                answer.organisation,
                answer.referral_id
            )?;
            Ok(())
        }
        ReferralCommand::Key => {
            let (recipient, fingerprint) = session.referral_key()?;
            say!("{recipient}")?;
            say!("Fingerprint: {fingerprint}")?;
            Ok(())
        }
    }
}

/// `hearth partner set-key PARTNER KEY` (or `--remove`): supervisors.
pub fn set_partner_key(session: &mut Session, partner: &str, key: Option<&str>) -> Result<()> {
    match session.set_partner_key(record_id(partner)?, key)? {
        Some(fingerprint) => {
            say!("Key set. Read its fingerprint back to the partner: {fingerprint}")?
        }
        None => say!("Key removed: packets to this partner get a one-time passphrase")?,
    }
    Ok(())
}

/// `hearth case summary CASE --out FILE.pdf`.
pub fn case_summary(session: &Session, case: &str, out: &Path, language: Language) -> Result<()> {
    let pdf = session.case_summary_pdf(record_id(case)?, language)?;
    write_new_file(out, &pdf)?;
    say!("Summary written to {}", out.display())?;
    Ok(())
}

/// The language argument of `hearth case summary`.
pub fn language_arg(text: &str) -> Result<Language, String> {
    parse_language(text)
}
