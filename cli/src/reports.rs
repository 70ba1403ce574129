//! `hearth report`: statistics on screen and as an export, CTDC-style records, HTCDS exports.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand};
use hearth_core::access::Session;
use hearth_core::reports::{
    stage_report_files, Count, HtcdsProtection, ReportFiles, Scope, Shape, Statistics,
};

use crate::output::say;

/// The period and site of a report.
#[derive(Debug, Clone, Args)]
pub struct ScopeArgs {
    /// The first day identified (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// The last day identified (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// One site's cases only (the office holds every site's)
    #[arg(long, value_name = "NAME")]
    site: Option<String>,
}

impl ScopeArgs {
    fn scope(&self) -> Scope {
        Scope {
            from: self.from.clone(),
            to: self.to.clone(),
            site: self.site.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The statistics: exact counts of every case on screen (supervisors, administrators), or
    /// with --out the export: consented cases only, no count below k, a manifest beside it
    Stats {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Write the export (CSV) here instead of showing exact counts
        #[arg(long, value_name = "FILE.csv")]
        out: Option<PathBuf>,
        /// Show the exact counts as JSON
        #[arg(long, conflicts_with = "out")]
        json: bool,
    },
    /// CTDC-style anonymised records of the consented cases, k-anonymous (CSV, manifest beside)
    Ctdc {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Where to write the CSV
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
    /// The organisation's cases in HTCDS 2.0 shape (supervisors; identifying): encrypted to the
    /// office's key, or with a one-time passphrase, unless --plain
    Htcds {
        /// Where to write it
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// csv (one row per case) or json (with consents, services and referrals)
        #[arg(long, value_name = "FORMAT", default_value = "json", value_parser = shape_arg)]
        format: Shape,
        /// Encrypt with a new one-time passphrase even if the office's key is set
        #[arg(long, conflicts_with = "plain")]
        passphrase: bool,
        /// Write it in plain text: identifying records, readable by anyone who finds the file
        #[arg(long)]
        plain: bool,
    },
}

fn shape_arg(text: &str) -> Result<Shape, String> {
    Shape::parse(text).ok_or_else(|| "the format is csv or json".to_owned())
}

/// Runs a `hearth report` command.
pub fn report(session: &mut Session, command: &ReportCommand) -> Result<()> {
    match command {
        ReportCommand::Stats { scope, out, json } => {
            let scope = scope.scope();
            match out {
                Some(out) => {
                    let files = session.export_statistics(&scope, &file_name(out), |files| {
                        stage_report_files(out, files, false)
                    })?;
                    written(out, &files)
                }
                None => {
                    let statistics = session.statistics(&scope)?;
                    if *json {
                        say!("{}", serde_json::to_string_pretty(&statistics)?)?;
                        Ok(())
                    } else {
                        show(&statistics)
                    }
                }
            }
        }
        ReportCommand::Ctdc { scope, out } => {
            let files = session.export_ctdc(&scope.scope(), &file_name(out), |files| {
                stage_report_files(out, files, false)
            })?;
            written(out, &files)
        }
        ReportCommand::Htcds {
            out,
            format,
            passphrase,
            plain,
        } => {
            let protection = match (plain, passphrase) {
                (true, _) => HtcdsProtection::Plain,
                (_, true) => HtcdsProtection::Passphrase,
                _ => HtcdsProtection::Default,
            };
            let written = session.export_htcds(*format, protection, &file_name(out), |files| {
                stage_report_files(out, files, false)
            })?;
            say!(
                "{} cases written to {} ({} left out: no consent to sharing within the organisation)",
                written.manifest.cases_included,
                out.display(),
                written.manifest.cases_left_out_for_consent
            )?;
            match (&written.office_fingerprint, &written.passphrase) {
                (Some(fingerprint), _) => {
                    say!("Encrypted to the office's key {fingerprint}")?;
                }
                (None, Some(passphrase)) => {
                    say!("One-time passphrase (give it by phone, not with the file; shown only now):")?;
                    say!("{passphrase}")?;
                }
                (None, None) => say!("Written in plain text, as asked: keep it safe or delete it")?,
            }
            Ok(())
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn written(out: &Path, files: &ReportFiles) -> Result<()> {
    let manifest = &files.summary;
    say!("Written to {}", out.display())?;
    say!(
        "Manifest: {}",
        hearth_core::reports::manifest_path(out).display()
    )?;
    say!(
        "Cases included: {}; left out for lack of consent: {}; k = {}",
        manifest.cases_included,
        manifest.cases_left_out_for_consent,
        manifest.k.unwrap_or_default()
    )?;
    Ok(())
}

/// The exact counts as text: one block per panel.
fn show(statistics: &Statistics) -> Result<()> {
    say!(
        "Cases: {} ({} without consent to anonymous statistics: left out of exports)",
        statistics.cases.cell(),
        statistics.without_consent.cell()
    )?;
    for panel in &statistics.panels {
        say!()?;
        say!("{} (total {})", panel.id.as_str(), panel.total.cell())?;
        for row in &panel.rows {
            let key = match (row.label.as_deref(), row.key.as_str()) {
                (Some(label), _) => label.to_owned(),
                (None, "") => "(not recorded)".to_owned(),
                (None, key) => key.to_owned(),
            };
            if row.count != Count::Exact(0) {
                say!("  {key:<40} {}", row.count.cell())?;
            }
        }
    }
    Ok(())
}
