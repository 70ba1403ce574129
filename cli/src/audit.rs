//! `hearth audit list|verify|export|checkpoint`: the audit log from the command line
//! (supervisors and administrators).

use crate::output::{say, StdoutError};
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use hearth_core::access::{normalise_account_name, Session};
use hearth_core::audit::{Action, AuditEntry, AuditQuery, Outcome};
use hearth_core::records::dates::Date;
use hearth_core::records::{CaseQuery, RecordId};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Entries, newest first
    List {
        #[command(flatten)]
        filters: Filters,
        /// Page number, from 1 (100 entries a page)
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Recompute every chain; exit 0 when the log is intact, 1 naming the first bad entry
    Verify {
        /// A checkpoint written earlier by `hearth audit checkpoint`: also detect a log that was
        /// cut or rewritten since
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Write the matching entries to a CSV file (the export is itself audited)
    Export {
        /// The file to create (an existing file is not overwritten)
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        #[command(flatten)]
        filters: Filters,
    },
    /// Sign the log's current head and write the checkpoint to FILE, to keep apart
    Checkpoint {
        /// The file to create
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Which entries.
#[derive(Debug, Args)]
pub struct Filters {
    /// Only this account's entries (its name)
    #[arg(long, value_name = "NAME")]
    account: Option<String>,
    /// Only entries about this case (its id or its number)
    #[arg(long = "case", value_name = "ID|NUMBER")]
    case: Option<String>,
    /// Only this action (open_case, update_case, unlock, ...)
    #[arg(long, value_parser = parse_action)]
    action: Option<Action>,
    /// From this day on (YYYY-MM-DD, a day in this laptop's time zone)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Up to and including this day (in this laptop's time zone)
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only this outcome: ok, denied or failed
    #[arg(long, value_parser = parse_outcome)]
    outcome: Option<Outcome>,
}

fn parse_action(name: &str) -> Result<Action, String> {
    Action::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Action::all().map(|action| action.as_str()).collect();
        format!("an action is one of {}", names.join(", "))
    })
}

fn parse_outcome(name: &str) -> Result<Outcome, String> {
    serde_json::from_value(serde_json::Value::from(name))
        .map_err(|_| "an outcome is ok, denied or failed".to_owned())
}

impl Filters {
    fn query(&self, session: &Session) -> Result<AuditQuery> {
        let since_ms = self
            .since
            .as_deref()
            .map(|day| day_start(day, 0))
            .transpose()?;
        let before_ms = self
            .until
            .as_deref()
            .map(|day| day_start(day, 1))
            .transpose()?;
        let account = match &self.account {
            Some(name) => {
                let wanted = normalise_account_name(name);
                let account = session
                    .list_accounts()?
                    .into_iter()
                    .find(|a| normalise_account_name(&a.name) == wanted)
                    .ok_or_else(|| anyhow!("there is no account called \"{name}\""))?;
                Some(account.id.to_hex())
            }
            None => None,
        };
        let case_id = match &self.case {
            Some(given) => Some(case_id(session, given)?),
            None => None,
        };
        Ok(AuditQuery {
            account,
            case_id,
            action: self.action,
            since_ms,
            before_ms,
            outcome: self.outcome,
            ..AuditQuery::default()
        })
    }
}

/// When the day `days_after` the given one begins in this laptop's time zone (`TZ`, else the
/// system's), in ms since the Unix epoch.
fn day_start(day: &str, days_after: i64) -> Result<i64> {
    let not_a_date = || anyhow!("\"{day}\" is not a date in the form YYYY-MM-DD");
    Date::parse(day).ok_or_else(not_a_date)?;
    let date: jiff::civil::Date = day.trim().parse().map_err(|_| not_a_date())?;
    let start = date
        .checked_add(jiff::Span::new().days(days_after))
        .and_then(|date| date.to_zoned(jiff::tz::TimeZone::system()))
        .map_err(|_| not_a_date())?;
    Ok(start.timestamp().as_millisecond())
}

/// A case's id from its id or its number.
fn case_id(session: &Session, given: &str) -> Result<String> {
    if let Some(id) = RecordId::parse(given) {
        return Ok(id.to_string());
    }
    let found = session.list_cases(&CaseQuery {
        text: Some(given.to_owned()),
        page_size: 200,
        ..CaseQuery::default()
    })?;
    found
        .cases
        .into_iter()
        .find(|case| case.number.eq_ignore_ascii_case(given.trim()))
        .map(|case| case.id)
        .ok_or_else(|| anyhow!("no case has the id or number \"{given}\""))
}

fn print_entry(entry: &AuditEntry) -> Result<(), StdoutError> {
    let who = entry
        .account_name
        .as_deref()
        .or(entry.account.as_deref())
        .unwrap_or("-");
    let target = entry
        .case_number
        .clone()
        .or_else(|| entry.target_id.clone())
        .unwrap_or_default();
    let mut line = format!(
        "{}  {who:<20} {:<17} {:<7} {target}",
        crate::output::utc_minute(entry.wall_ms),
        entry.action.as_str(),
        entry.outcome.as_str(),
    );
    if !entry.fields.is_empty() {
        line.push_str(&format!("  [{}]", entry.fields.join(", ")));
    }
    if let Some(reason) = &entry.reason {
        line.push_str(&format!("  ({reason})"));
    }
    say!("{line}")
}

pub fn audit(session: &mut Session, command: &AuditCommand) -> Result<()> {
    match command {
        AuditCommand::List {
            filters,
            page,
            json,
        } => {
            let query = AuditQuery {
                page: page.saturating_sub(1),
                ..filters.query(session)?
            };
            let found = session.audit_entries(&query)?;
            if *json {
                say!("{}", serde_json::to_string_pretty(&found)?)?;
                return Ok(());
            }
            for entry in &found.entries {
                print_entry(entry)?;
            }
            if found.entries.is_empty() {
                say!("No entries.")?;
            }
        }
        AuditCommand::Verify { checkpoint } => {
            let note = match checkpoint {
                Some(path) => Some(
                    std::fs::read_to_string(path)
                        .with_context(|| format!("could not read {}", path.display()))?,
                ),
                None => None,
            };
            let verification = session.verify_audit(note.as_deref())?;
            match verification.problem {
                None => say!(
                    "The audit log is intact: {} entries from {} device(s){}.",
                    verification.entries,
                    verification.devices,
                    if note.is_some() {
                        ", consistent with the checkpoint"
                    } else {
                        ""
                    }
                )?,
                Some(problem) => bail!(
                    "the audit log is not intact: device {}, entry {}: {}",
                    problem.device,
                    problem.seq,
                    problem.message
                ),
            }
        }
        AuditCommand::Export { csv, filters } => {
            let query = filters.query(session)?;
            let entries = session
                .export_audit_csv(&query, |bytes| {
                    hearth_core::files::write_new_private_file(csv, bytes)
                })
                .with_context(|| format!("could not export to {}", csv.display()))?;
            say!("Wrote {entries} entries to {}", csv.display())?;
        }
        AuditCommand::Checkpoint { out } => {
            let checkpoint = session.audit_checkpoint()?;
            // Whole under its name, or not at all (never over an existing file).
            hearth_core::files::write_new_private_file(out, checkpoint.text.as_bytes())
                .with_context(|| format!("could not create {}", out.display()))?;
            say!(
                "Checkpoint of {} entries written to {}",
                checkpoint.size,
                out.display()
            )?;
        }
    }
    Ok(())
}
