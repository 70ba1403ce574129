//! `hearth case|consent|service|referral|note|follow-up|partner`: case records from the command
//! line. Records go in as JSON objects (the shapes README documents) and come out as text for
//! people or, with `--json`, as the same JSON the desktop app receives.

use crate::output::{say, StdoutError};
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use hearth_core::access::{normalise_account_name, Session};
use hearth_core::records::{CaseFile, CaseQuery, CaseSort, RecordId, RecordKind};
use serde::Serialize;
use serde_json::{Map, Value};

/// Where a command's JSON comes from: a file, or `-` for standard input.
#[derive(Debug, Args)]
pub struct JsonInput {
    /// A file holding a JSON object, or - to read it from standard input
    #[arg(long = "json", value_name = "FILE|-")]
    source: PathBuf,
}

impl JsonInput {
    fn read(&self) -> Result<Map<String, Value>> {
        let text = if self.source == Path::new("-") {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("could not read standard input")?;
            text
        } else {
            std::fs::read_to_string(&self.source)
                .with_context(|| format!("could not read {}", self.source.display()))?
        };
        match serde_json::from_str(&text).context("the input is not valid JSON")? {
            Value::Object(fields) => Ok(fields),
            _ => bail!("the input must be a JSON object of fields"),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a new case; prints its id and number
    New {
        #[command(flatten)]
        input: JsonInput,
    },
    /// Show a case and everything attached to it
    Show {
        /// The case's id
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Change a case: only the fields given change (null clears one)
    Update {
        /// The case's id
        id: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// List the cases you may see
    List {
        /// Only cases with this status (Active, FollowUp, Closed, ClosedReferred)
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// Only cases this account owns or is assigned to
        #[arg(long, value_name = "USER")]
        assigned_to: Option<String>,
        /// Only cases at this risk level (Low, Medium, High)
        #[arg(long, value_name = "R")]
        risk: Option<String>,
        /// Only cases with an open follow-up due today or earlier
        #[arg(long)]
        follow_ups_due: bool,
        /// Order: updated, name, number or identified
        #[arg(long, default_value = "updated", value_parser = parse_sort)]
        sort: CaseSort,
        /// Page number, from 1
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Find cases by name, alias or case number (prefixes; case and accents do not matter)
    Search {
        /// The words to look for
        text: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write a printable summary of a case (every section) as a PDF
    Summary {
        /// The case's id
        id: String,
        /// The PDF file to create
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Its language: en, sq, sr (Latin) or sr-Cyrl
        #[arg(long, default_value = "en", value_parser = crate::referrals::language_arg)]
        language: hearth_core::documents::Language,
    },
    /// Every change to a case and what is attached to it: who, when, which field, what value
    History {
        /// The case's id
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Close a case with the reason (supervisors)
    Close {
        /// The case's id
        id: String,
        /// Closed or ClosedReferred
        #[arg(long, default_value = "Closed")]
        status: String,
        /// Why the case is closed
        #[arg(long)]
        reason: String,
    },
    /// Reopen a closed case (supervisors)
    Reopen {
        /// The case's id
        id: String,
    },
    /// The cases that may be the same person as this one's (supervisors)
    Duplicates {
        /// The case's id
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Merge case MERGED into case KEEP: one person (supervisors). Both keep their history;
    /// MERGED takes the status Merged and no more changes
    Merge {
        /// The case to keep (its id)
        keep: String,
        /// The case merged into it (its id)
        merged: String,
    },
    /// Record that two cases are two people, so neither is offered as the other's duplicate
    /// (supervisors)
    Different {
        /// One case's id
        id: String,
        /// The other's
        other: String,
    },
}

/// What can be done with the records attached to a case.
#[derive(Debug, Subcommand)]
pub enum AttachedCommand {
    /// Add one to a case; prints its id
    Add {
        /// The case's id
        case: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Change one: only the fields given change
    Update {
        /// The record's id
        id: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// List those of a case
    List {
        /// The case's id
        case: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FollowUpCommand {
    #[command(flatten)]
    Attached(AttachedCommand),
    /// Your open follow-ups, soonest first
    Due {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Add a partner organisation to the directory; prints its id
    Add {
        #[command(flatten)]
        input: JsonInput,
    },
    /// Change a partner organisation: only the fields given change
    Update {
        /// The partner's id
        id: String,
        #[command(flatten)]
        input: JsonInput,
    },
    /// The directory
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Set a partner's key for referral packets (supervisors): the age public key it gave you;
    /// prints the fingerprint to read back to it
    SetKey {
        /// The partner's id
        partner: String,
        /// Its age public key (age1...)
        #[arg(required_unless_present = "remove", conflicts_with = "remove")]
        key: Option<String>,
        /// Remove the key: packets to it then get a one-time passphrase
        #[arg(long)]
        remove: bool,
    },
}

fn parse_sort(name: &str) -> Result<CaseSort, String> {
    serde_json::from_value(Value::from(name))
        .map_err(|_| "a sort is updated, name, number or identified".to_owned())
}

fn record_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| anyhow!("\"{id}\" is not a record id (32 hex digits)"))
}

fn print_json(value: &impl Serialize) -> Result<()> {
    say!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

/// A person's name as lists show it; people without a known name are shown as such.
fn display_name(given: Option<&str>, family: Option<&str>) -> String {
    match (given, family) {
        (None, None) => "(no name recorded)".to_owned(),
        (given, family) => [given, family]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

pub fn case(session: &mut Session, command: &CaseCommand) -> Result<()> {
    match command {
        CaseCommand::New { input } => {
            let created = session.create_case(&input.read()?)?;
            say!("{} {}", created.id, created.number)?;
        }
        CaseCommand::Show { id, json } => {
            let file = session.open_case(record_id(id)?)?;
            if *json {
                print_json(&file)?;
            } else {
                print_case(&file)?;
            }
        }
        CaseCommand::Update { id, input } => {
            session.update_case(record_id(id)?, &input.read()?)?;
            say!("Updated")?;
        }
        CaseCommand::List {
            status,
            assigned_to,
            risk,
            follow_ups_due,
            sort,
            page,
            json,
        } => {
            let assigned_to = match assigned_to {
                Some(name) => Some(staff_id(session, name)?),
                None => None,
            };
            let query = CaseQuery {
                status: status.clone(),
                assigned_to,
                risk_level: risk.clone(),
                follow_ups_due: *follow_ups_due,
                sort: *sort,
                page: page.saturating_sub(1),
                ..CaseQuery::default()
            };
            list(session, &query, *json)?;
        }
        CaseCommand::Search { text, json } => {
            let query = CaseQuery {
                text: Some(text.clone()),
                sort: CaseSort::Name,
                ..CaseQuery::default()
            };
            list(session, &query, *json)?;
        }
        CaseCommand::Summary { id, out, language } => {
            crate::referrals::case_summary(session, id, out, *language)?;
        }
        CaseCommand::History { id, json } => {
            let history = session.case_history(record_id(id)?)?;
            if *json {
                print_json(&history)?;
            } else {
                for entry in history {
                    let who = entry.account_name.as_deref().unwrap_or(&entry.account);
                    let value = entry.value.as_deref().unwrap_or("(cleared)");
                    say!(
                        "{}  {who:<20} {} {}.{} = {value}",
                        crate::output::utc_minute(entry.at_ms),
                        entry.record_kind,
                        &entry.record_id[..8],
                        entry.field
                    )?;
                }
            }
        }
        CaseCommand::Close { id, status, reason } => {
            session.close_case(record_id(id)?, status, reason)?;
            say!("Closed")?;
        }
        CaseCommand::Reopen { id } => {
            session.reopen_case(record_id(id)?)?;
            say!("Reopened")?;
        }
        CaseCommand::Duplicates { id, json } => {
            let found = session.case_duplicates(record_id(id)?)?;
            if *json {
                print_json(&found)?;
            } else if found.is_empty() {
                say!("No possible duplicates.")?;
            }
            if !*json {
                for case in found {
                    let name = [case.given_name, case.family_name]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let born = case
                        .birth_year
                        .map(|year| format!(", born {year}"))
                        .unwrap_or_default();
                    say!("{} {}  {name}{born}", case.id, case.number)?;
                }
            }
        }
        CaseCommand::Merge { keep, merged } => {
            session.merge_cases(record_id(keep)?, record_id(merged)?)?;
            say!("Merged")?;
        }
        CaseCommand::Different { id, other } => {
            session.mark_different(record_id(id)?, record_id(other)?)?;
            say!("Recorded as different people")?;
        }
    }
    Ok(())
}

fn staff_id(session: &Session, name: &str) -> Result<String> {
    let wanted = normalise_account_name(name);
    session
        .case_staff()?
        .into_iter()
        .find(|(_, staff)| normalise_account_name(staff) == wanted)
        .map(|(id, _)| id)
        .ok_or_else(|| anyhow!("no active caseworker or supervisor is called \"{name}\""))
}

fn list(session: &Session, query: &CaseQuery, json: bool) -> Result<()> {
    let page = session.list_cases(query)?;
    if json {
        return print_json(&page);
    }
    for case in &page.cases {
        say!(
            "{:<16} {:<14} {:<7} {:<32} {}",
            case.number,
            case.status,
            case.risk_level.as_deref().unwrap_or("-"),
            display_name(case.given_name.as_deref(), case.family_name.as_deref()),
            case.owner_name.as_deref().unwrap_or("-"),
        )?;
    }
    let shown = page.cases.len() as u64;
    let first = u64::from(page.page) * u64::from(page.page_size);
    if shown == 0 {
        say!("No cases.")?;
    } else {
        say!(
            "{}–{} of {}; ids with --json",
            first + 1,
            first + shown,
            page.total
        )?;
    }
    Ok(())
}

fn print_case(file: &CaseFile) -> Result<(), StdoutError> {
    let fields = &file.case.fields;
    let name_of = |id: &Option<String>| {
        id.as_ref()
            .map(|id| file.people.get(id).cloned().unwrap_or_else(|| id.clone()))
            .unwrap_or_else(|| "-".to_owned())
    };
    say!(
        "{}  {}",
        fields.case_number.as_deref().unwrap_or("?"),
        display_name(fields.given_name.as_deref(), fields.family_name.as_deref())
    )?;
    say!("id:                 {}", file.case.id)?;
    say!(
        "status:             {}",
        fields.status.as_deref().unwrap_or("-")
    )?;
    say!(
        "trafficking status: {}",
        fields.trafficking_status.as_deref().unwrap_or("-")
    )?;
    say!(
        "identified:         {}",
        fields.date_identified.as_deref().unwrap_or("-")
    )?;
    say!("owner:              {}", name_of(&fields.owner))?;
    if let Some(age) = file.age {
        let minor = if file.is_minor { " (minor)" } else { "" };
        say!("age:                {age}{minor}")?;
    }
    say!(
        "attached:           {} consent decisions, {} services, {} referrals, {} notes, {} follow-ups",
        file.consents.len(),
        file.services.len(),
        file.referrals.len(),
        file.notes.len(),
        file.follow_ups.len()
    )?;
    say!("All fields: hearth case show {} --json", file.case.id)
}

pub fn attached(session: &mut Session, kind: RecordKind, command: &AttachedCommand) -> Result<()> {
    match command {
        AttachedCommand::Add { case, input } => {
            let id = session.add_record(kind, record_id(case)?, &input.read()?)?;
            say!("{id}")?;
        }
        AttachedCommand::Update { id, input } => {
            session.update_record(kind, record_id(id)?, &input.read()?)?;
            say!("Updated")?;
        }
        AttachedCommand::List { case, json } => {
            let file = session.open_case(record_id(case)?)?;
            let records: Vec<Value> = match kind {
                RecordKind::Consent => to_values(&file.consents)?,
                RecordKind::Service => to_values(&file.services)?,
                RecordKind::Referral => to_values(&file.referrals)?,
                RecordKind::Note => to_values(&file.notes)?,
                RecordKind::FollowUp => to_values(&file.follow_ups)?,
                RecordKind::Case | RecordKind::Partner => Vec::new(),
            };
            if *json {
                return print_json(&records);
            }
            for record in &records {
                // One line per record: its id, then its fields as compact JSON.
                say!(
                    "{} {}",
                    record["id"].as_str().unwrap_or("?"),
                    record["fields"]
                )?;
            }
            if records.is_empty() {
                say!("None.")?;
            }
        }
    }
    Ok(())
}

fn to_values<T: Serialize>(records: &[T]) -> Result<Vec<Value>> {
    records
        .iter()
        .map(|record| serde_json::to_value(record).map_err(Into::into))
        .collect()
}

pub fn follow_up(session: &mut Session, command: &FollowUpCommand) -> Result<()> {
    match command {
        FollowUpCommand::Attached(command) => attached(session, RecordKind::FollowUp, command),
        FollowUpCommand::Due { json } => {
            let due = session.my_follow_ups()?;
            if *json {
                return print_json(&due);
            }
            for item in &due {
                let overdue = if item.overdue { " OVERDUE" } else { "" };
                say!(
                    "{}{overdue}  {:<16} {:<28} {}",
                    item.due_date,
                    item.case_number,
                    display_name(item.given_name.as_deref(), item.family_name.as_deref()),
                    item.description.as_deref().unwrap_or("")
                )?;
            }
            if due.is_empty() {
                say!("No open follow-ups.")?;
            }
            Ok(())
        }
    }
}

pub fn partner(session: &mut Session, command: &PartnerCommand) -> Result<()> {
    match command {
        PartnerCommand::SetKey {
            partner,
            key,
            remove: _,
        } => crate::referrals::set_partner_key(session, partner, key.as_deref())?,
        PartnerCommand::Add { input } => {
            say!("{}", session.add_partner(&input.read()?)?)?;
        }
        PartnerCommand::Update { id, input } => {
            session.update_partner(record_id(id)?, &input.read()?)?;
            say!("Updated")?;
        }
        PartnerCommand::List { json } => {
            let partners = session.list_partners()?;
            if *json {
                return print_json(&partners);
            }
            for partner in &partners {
                // Keys are listed only to supervisors (the core leaves them out for others).
                let key = partner
                    .fields
                    .age_recipient
                    .as_deref()
                    .map(|key| format!("  key {}", hearth_core::referrals::fingerprint(key)))
                    .unwrap_or_default();
                say!(
                    "{} {:<40} {}{key}",
                    partner.id,
                    partner.fields.name.as_deref().unwrap_or("?"),
                    partner.fields.organisation_type.as_deref().unwrap_or("-")
                )?;
            }
            if partners.is_empty() {
                say!("No partner organisations yet.")?;
            }
        }
    }
    Ok(())
}
