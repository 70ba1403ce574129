//! `hearth device|org|bundle|conflicts`: joining the organisation, its devices, the bundle files
//! that carry changes between laptops and to the office, and the conflicts they can bring.

use crate::output::say;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hearth_core::access::Session;
use hearth_core::files::StagedFile;
use hearth_core::records::{Conflict, Resolution};
use hearth_core::sync::{bundle_files, BundleOutcome, DeviceStatus, JoinRequest};

use crate::progress_bar::TerminalProgress;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// This laptop's device id, Ed25519 signing key and age recipient (public halves only)
    Show,
    /// The organisation's devices
    List,
    /// Approve a laptop's join request (administrators): writes its enrollment file, encrypted
    /// to that laptop and to the coordinating office (when one is set)
    Approve {
        /// The join request the new laptop wrote (`hearth init --join`)
        request: PathBuf,
        /// The enrollment file to create
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import the enrollment file an administrator of a member laptop made for this laptop
    Enroll {
        /// The enrollment file
        file: PathBuf,
        /// The approving laptop's fingerprint, as its administrator reads it from `hearth
        /// device show` (in person or by phone: anyone can make a file for this laptop)
        #[arg(long, value_name = "FINGERPRINT")]
        approver: String,
    },
    /// Revoke a lost or retired laptop (administrators): its bundles are refused from now on
    Revoke {
        /// The device's id (see `hearth device list`)
        device: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Set the coordinating office's age recipient (administrators): every bundle is encrypted
    /// to it too, so the office can open bundles with standard age tools
    SetOffice {
        /// An age X25519 recipient, age1...
        recipient: String,
    },
    /// Show the coordinating office's recipient and its fingerprint
    Office,
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write a bundle of what the destination may lack (everything with --full)
    Export {
        /// The file to create; its name should say nothing about its contents
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Everything this laptop holds, not only what is new since the last export
        #[arg(long)]
        full: bool,
        /// What is new for this device (its id) rather than since the last export to anyone
        #[arg(long, value_name = "DEVICE")]
        to: Option<String>,
    },
    /// Import bundles from member laptops: each all of it, or nothing. Given a folder (or several
    /// files), every bundle in it, in any order, with a summary per site
    Import {
        /// Bundle files, or folders of them (every file directly inside, by name)
        #[arg(required = true, value_name = "FILE_OR_FOLDER")]
        files: Vec<PathBuf>,
    },
    /// Check a bundle and show its manifest without importing it
    Inspect {
        /// The bundle file
        file: PathBuf,
    },
}

/// Creates `path` (never overwriting) readable by its owner only.
fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn device(session: &mut Session, command: &DeviceCommand) -> Result<()> {
    match command {
        DeviceCommand::Show => {
            let identity = session.device_identity()?;
            say!("Device:        {}", identity.device)?;
            say!("Signing key:   {} (Ed25519)", identity.signing_key)?;
            say!("Age recipient: {}", identity.age_recipient)?;
            say!("Fingerprint:   {}", identity.fingerprint)?;
        }
        DeviceCommand::List => {
            for entry in session.sync_status()?.devices {
                let device = entry.device;
                let status = match device.status {
                    DeviceStatus::Active => "active",
                    DeviceStatus::Revoked => "REVOKED",
                };
                let clock = entry
                    .clock
                    .map(|skew| format!("  (its clock {skew})"))
                    .unwrap_or_default();
                say!(
                    "{}  {:<8} {}  {}{clock}",
                    device.device,
                    status,
                    entry.fingerprint,
                    device.name
                )?;
            }
        }
        DeviceCommand::Approve { request, out } => {
            let request = JoinRequest::from_json(&read(request)?)
                .context("the file is not a Hearth join request")?;
            let enrollment = session.approve_device(&request)?;
            crate::output::write_new_file(out, &enrollment)?;
            say!(
                "Approved {} ({}); give it {} and read it this laptop's fingerprint: {}",
                request.device,
                request.site,
                out.display(),
                session.device_identity()?.fingerprint
            )?;
        }
        DeviceCommand::Enroll { file, approver } => {
            let summary = session.enroll(&read(file)?, approver)?;
            say!(
                "Joined the organisation: {} changes and {} audit entries imported",
                summary.applied,
                summary.audit_entries
            )?;
        }
        DeviceCommand::Revoke { device } => {
            session.revoke_device(device)?;
            say!("Revoked {device}; the next bundles will tell the other laptops")?;
        }
    }
    Ok(())
}

pub fn org(session: &mut Session, command: &OrgCommand) -> Result<()> {
    match command {
        OrgCommand::SetOffice { recipient } => {
            let office = session.set_office(recipient)?;
            say!(
                "Bundles will also be encrypted to the office ({})\nFingerprint: {}",
                office.recipient,
                office.fingerprint
            )?;
        }
        OrgCommand::Office => match session.sync_status()?.office {
            Some(office) => say!(
                "Office: {}\nFingerprint: {}",
                office.recipient,
                office.fingerprint
            )?,
            None => say!("No office recipient is set: bundles are for member laptops only")?,
        },
    }
    Ok(())
}

pub fn bundle(session: &mut Session, command: &BundleCommand) -> Result<()> {
    match command {
        BundleCommand::Export { out, full, to } => {
            // The file is written as the export runs, under a temporary name, and takes its name
            // only when whole: if it cannot be, nothing counts as sent.
            if out.exists() {
                bail!("{} exists already; choose a new file name", out.display());
            }
            let staged = StagedFile::create(out)
                .with_context(|| format!("could not create {}", out.display()))?;
            let progress = TerminalProgress::new();
            let summary = session.export_bundle_watched(
                to.as_deref(),
                *full,
                staged,
                StagedFile::put_in_place_new,
                &progress,
            )?;
            drop(progress);
            say!(
                "Wrote {}: {} cases, {} changes, {} audit entries, {} bytes",
                out.display(),
                summary.cases,
                summary.changes,
                summary.audit_entries,
                summary.bytes
            )?;
            if summary.withheld_cases > 0 {
                say!(
                    "{} cases left without their identifying fields: no consent to share within \
                     the organisation",
                    summary.withheld_cases
                )?;
            }
        }
        BundleCommand::Import { files } => {
            let file = match files.as_slice() {
                [file] if !file.is_dir() => file,
                _ => return import_many(session, files),
            };
            let progress = TerminalProgress::new();
            let summary = session.import_bundle_file(file, &progress)?;
            drop(progress);
            say!(
                "Imported from {}: {} changes applied, {} already here, {} held until earlier \
                 ones arrive, {} audit entries, {} cases changed",
                summary.origin,
                summary.applied,
                summary.already_present,
                summary.held,
                summary.audit_entries,
                summary.cases
            )?;
            if summary.dropped_from_revoked > 0 {
                say!(
                    "{} changes made on a revoked laptop after its revocation were left out",
                    summary.dropped_from_revoked
                )?;
            }
            if summary.held_not_as_made > 0 {
                say!(
                    "{} changes held from an earlier bundle were not what their laptop made and \
                     were discarded; the real ones come with a later bundle",
                    summary.held_not_as_made
                )?;
            }
            if let Some(skew) = summary.sender_clock {
                say!(
                    "The sender's clock {skew}; its changes are kept. Set its date and time right."
                )?;
            }
        }
        BundleCommand::Inspect { file } => {
            let manifest = session.inspect_bundle(&read(file)?)?;
            say!("{}", serde_json::to_string_pretty(&manifest)?)?;
        }
    }
    Ok(())
}

/// `hearth bundle import` of a folder or several files: every bundle, then a summary per site,
/// the bundles still waiting for an earlier one, and the ones refused (the command then fails).
fn import_many(session: &mut Session, paths: &[PathBuf]) -> Result<()> {
    let files = bundle_files(paths)?;
    if files.is_empty() {
        bail!("no bundle files in {}", paths[0].display());
    }
    let progress = TerminalProgress::new();
    let report = session.import_bundle_files(&files, &progress, &mut |place, count, file| {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        progress.set_prefix(&format!("[{place}/{count}] {name}"));
    })?;
    drop(progress);
    let imported = report
        .bundles
        .iter()
        .filter(|b| matches!(b.outcome, BundleOutcome::Imported(_)))
        .count();
    say!("Imported {imported} of {} bundles.", files.len())?;
    if !report.sites.is_empty() {
        say!(
            "{:<24} {:>8} {:>10} {:>13} {:>8} {:>8}",
            "site",
            "bundles",
            "changes",
            "already here",
            "cases",
            "waiting"
        )?;
        for site in &report.sites {
            say!(
                "{:<24} {:>8} {:>10} {:>13} {:>8} {:>8}",
                site.site,
                site.bundles,
                site.applied,
                site.already_present,
                site.cases,
                site.waiting
            )?;
        }
    }
    let waiting: Vec<_> = report.waiting().collect();
    if !waiting.is_empty() {
        say!(
            "Held until an earlier bundle of their site is imported (their changes are kept and \
             apply then):"
        )?;
        for bundle in waiting {
            say!(
                "  {} ({})",
                bundle.file.display(),
                bundle.site.as_deref().unwrap_or("?")
            )?;
        }
    }
    let refused: Vec<_> = report.refused().collect();
    if !refused.is_empty() {
        say!("Refused (nothing of them was imported):")?;
        for (file, error) in &refused {
            say!("  {}: {error}", file.display())?;
        }
    }
    let not_tried = report
        .bundles
        .iter()
        .filter(|b| matches!(b.outcome, BundleOutcome::NotTried))
        .count();
    if report.stopped {
        bail!(
            "stopped before the end: {not_tried} bundles not tried; the same command goes on \
             (a bundle imported twice changes nothing)"
        );
    }
    if !refused.is_empty() {
        bail!("{} of {} bundles were refused", refused.len(), files.len());
    }
    Ok(())
}

/// What `--keep` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Keep {
    /// The value the record has on this laptop now
    Mine,
    /// The value that lost to it (made on another laptop)
    Theirs,
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Values that lost to a concurrent edit made on another laptop (supervisors)
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Resolve one: keep this laptop's value, take theirs, or write another (--value)
    Resolve {
        /// The conflict's id, from `hearth conflicts list`
        id: i64,
        /// Which value to keep
        #[arg(long, required_unless_present = "value", conflicts_with = "value")]
        keep: Option<Keep>,
        /// Write this value instead (JSON, as in `hearth case update --json`: "High", ["ALB"], null)
        #[arg(long, value_name = "JSON")]
        value: Option<String>,
    },
}

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(empty)".to_owned(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub fn conflicts(session: &mut Session, command: &ConflictsCommand) -> Result<()> {
    match command {
        ConflictsCommand::List { json } => {
            let queue: Vec<Conflict> = session.conflicts()?;
            if *json {
                say!("{}", serde_json::to_string_pretty(&queue)?)?;
                return Ok(());
            }
            if queue.is_empty() {
                say!("No conflicts.")?;
            }
            for conflict in &queue {
                let laptop = |v: &hearth_core::records::ConflictVersion| {
                    v.device_name.clone().unwrap_or_else(|| v.device.clone())
                };
                say!(
                    "{}\t{} {}\t{}\n\tmine:   {}  ({}, {})\n\ttheirs: {}  ({}, {})",
                    conflict.id,
                    conflict.case_number.as_deref().unwrap_or("-"),
                    conflict.record_kind,
                    conflict.field,
                    shown(&conflict.current.value),
                    laptop(&conflict.current),
                    crate::output::utc_minute(conflict.current.at_ms),
                    shown(&conflict.queued.value),
                    laptop(&conflict.queued),
                    crate::output::utc_minute(conflict.queued.at_ms),
                )?;
            }
        }
        ConflictsCommand::Resolve { id, keep, value } => {
            let resolution = match (keep, value) {
                (_, Some(value)) => Resolution::Set(
                    serde_json::from_str(value)
                        .context("--value is not JSON (quote text: '\"High\"')")?,
                ),
                (Some(Keep::Theirs), None) => Resolution::TakeQueued,
                _ => Resolution::KeepCurrent,
            };
            session.resolve_conflict(*id, resolution)?;
            say!("Resolved conflict {id}.")?;
        }
    }
    Ok(())
}
