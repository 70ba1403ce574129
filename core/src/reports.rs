//! Statistics and standard exports as a session makes them (hearth-reports): the permission
//! first, the facts built if this vault has not built them yet, every export audited with what it
//! is, its period, k and its rows, and written by the caller (with its manifest beside it) only
//! after the audit entry is in the same transaction, which commits only if the files were written.

pub use hearth_reports::htcds::{Protection, Shape};
pub use hearth_reports::{
    ctdc, Count, Manifest, Panel, PanelId, PanelRow, ReportError, Scope, Statistics, Unit,
    MAXIMUM_K, MINIMUM_K,
};

use hearth_ids::Operation;
use hearth_records::dates::Date;
use hearth_records::{Actor, RecordError};
use hearth_reports::manifest::{self, CTDC_RULE, HTCDS_RULE, STATISTICS_RULE};
use hearth_reports::{dashboard, htcds};
use rusqlite::OptionalExtension;

use crate::access::Session;
use crate::audit::{self, Action, NewEntry};

/// The setting that holds k.
const K_SETTING: &str = "statistics_k";

/// An export's two files: the data, and the manifest written beside it.
#[derive(Debug)]
pub struct ReportFiles {
    /// The data file's bytes (CSV, JSON, or age-encrypted).
    pub data: Vec<u8>,
    /// The manifest's bytes (JSON).
    pub manifest: Vec<u8>,
    /// The manifest, as written.
    pub summary: Manifest,
}

/// How a supervisor wants the HTCDS export protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtcdsProtection {
    /// To the coordinating office's key if one is set, otherwise a one-time passphrase.
    Default,
    /// With a new one-time passphrase, shown once.
    Passphrase,
    /// In plain text, as the person explicitly asked.
    Plain,
}

/// What an HTCDS export wrote.
#[derive(Debug)]
pub struct HtcdsWritten {
    /// The manifest written beside it.
    pub manifest: Manifest,
    /// The one-time passphrase it is encrypted with, when it is (shown once, never stored).
    pub passphrase: Option<String>,
    /// The fingerprint of the office key it is encrypted to, when it is.
    pub office_fingerprint: Option<String>,
}

impl Session {
    /// The k exports hide counts below (11 unless an administrator raised it).
    pub fn statistics_k(&self) -> Result<u32, ReportError> {
        let value: Option<String> = self
            .database()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [K_SETTING],
                |row| row.get(0),
            )
            .optional()?;
        Ok(value
            .and_then(|value| value.parse().ok())
            .unwrap_or(MINIMUM_K)
            .max(MINIMUM_K))
    }

    /// An administrator raises k (never lowers it: an export made with the higher k would
    /// otherwise be followed by one that shows what it hid).
    pub fn set_statistics_k(&mut self, k: u32) -> Result<(), ReportError> {
        self.require(Operation::ChangeSettings)
            .map_err(RecordError::from)?;
        let current = self.statistics_k()?;
        if k < current {
            return Err(ReportError::ThresholdLowered { current, asked: k });
        }
        if k > MAXIMUM_K {
            return Err(ReportError::Invalid(format!(
                "k can be at most {MAXIMUM_K}: above it nearly every count would be hidden"
            )));
        }
        let account = self.account().clone();
        let transaction = self.database_mut().transaction()?;
        transaction.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rusqlite::params![K_SETTING, k.to_string()],
        )?;
        audit::append(
            &transaction,
            &NewEntry::ok(&account, Action::ChangeSettings).with_fields(vec![K_SETTING.into()]),
        )
        .map_err(RecordError::from)?;
        transaction.commit()?;
        Ok(())
    }

    /// The Statistics screen: exact counts of every case in the scope. Audited as a view.
    pub fn statistics(&mut self, scope: &Scope) -> Result<Statistics, ReportError> {
        self.require(Operation::ViewStatistics)
            .map_err(RecordError::from)?;
        self.build_facts()?;
        let statistics = dashboard::statistics(self.database(), scope)?;
        self.audit_alone(
            &NewEntry::ok(self.account(), Action::ViewStatistics).with_fields(describe(
                "dashboard",
                scope,
                None,
                None,
            )),
        )
        .map_err(RecordError::from)?;
        Ok(statistics)
    }

    /// The panels as an export (consented cases, nothing below k) and its CSV: one line per row,
    /// `panel,unit,key,label,count`. `deliver` writes the two files.
    pub fn export_statistics(
        &mut self,
        scope: &Scope,
        file_name: &str,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<()>,
    ) -> Result<ReportFiles, ReportError> {
        let k = self.statistics_k()?;
        self.export(
            Operation::ExportStatistics,
            Action::ExportStatistics,
            deliver,
            |session| {
                let statistics = dashboard::statistics_for_export(session.database(), scope, k)?;
                let data = statistics_csv(&statistics)?;
                let rows = statistics
                    .panels
                    .iter()
                    .map(|p| p.rows.len())
                    .sum::<usize>();
                let summary = session.manifest(
                    "statistics",
                    file_name,
                    scope,
                    Some(k),
                    STATISTICS_RULE,
                    statistics.cases.cell(),
                    statistics.without_consent.cell(),
                    None,
                    "plain",
                )?;
                Ok((
                    data,
                    summary,
                    describe("statistics", scope, Some(k), Some(rows)),
                ))
            },
        )
    }

    /// CTDC-style anonymised records of the consented cases in the scope, k-anonymous over the
    /// quasi-identifiers. `deliver` writes the CSV and its manifest.
    pub fn export_ctdc(
        &mut self,
        scope: &Scope,
        file_name: &str,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<()>,
    ) -> Result<ReportFiles, ReportError> {
        let k = self.statistics_k()?;
        self.export(
            Operation::ExportStatistics,
            Action::ExportStatistics,
            deliver,
            |session| {
                let export = ctdc::export(session.database(), scope, k)?;
                let data = ctdc::csv(&export)?;
                let checked_left_out = left_out_for_statistics(session, scope)?;
                let hide = |count: u64| {
                    if count < u64::from(k) {
                        format!("<{k}")
                    } else {
                        count.to_string()
                    }
                };
                let summary = session.manifest(
                    "ctdc",
                    file_name,
                    scope,
                    Some(k),
                    CTDC_RULE,
                    export.rows.len().to_string(),
                    hide(checked_left_out),
                    Some(export.anonymised.clone()),
                    "plain",
                )?;
                let rows = export.rows.len();
                Ok((data, summary, describe("ctdc", scope, Some(k), Some(rows))))
            },
        )
    }

    /// The organisation's cases in HTCDS shape (supervisors; consent to sharing within the
    /// organisation), encrypted as `protection` says. `deliver` writes the file and its manifest.
    pub fn export_htcds(
        &mut self,
        shape: Shape,
        protection: HtcdsProtection,
        file_name: &str,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<()>,
    ) -> Result<HtcdsWritten, ReportError> {
        let office = hearth_sync::settings::office_recipient(self.database())
            .map_err(|error| ReportError::Export(error.to_string()))?;
        let (protect, passphrase, office_fingerprint) = match (protection, office) {
            (HtcdsProtection::Plain, _) => (Protection::Plain, None, None),
            (HtcdsProtection::Default, Some(office)) => {
                let print = hearth_store::device::fingerprint_of(office.to_string().as_bytes());
                (Protection::Recipient(office), None, Some(print))
            }
            (HtcdsProtection::Default | HtcdsProtection::Passphrase, _) => {
                let passphrase = hearth_referrals::keys::one_time_passphrase()
                    .map_err(|error| ReportError::Export(error.to_string()))?;
                (
                    Protection::Passphrase(passphrase.clone()),
                    Some(passphrase),
                    None,
                )
            }
        };
        let label = match protect {
            Protection::Plain => "plain",
            _ => "age",
        };
        let written = self.export(
            Operation::ExportHtcds,
            Action::ExportHtcds,
            deliver,
            |session| {
                let actor = Actor::new(session.device(), session.account(), false);
                let export = htcds::export(session.database(), &actor, shape, &protect)?;
                let summary = session.manifest(
                    "htcds",
                    file_name,
                    &Scope::everything(),
                    None,
                    HTCDS_RULE,
                    export.cases.to_string(),
                    export.left_out.to_string(),
                    None,
                    label,
                )?;
                let mut fields = vec![
                    format!(
                        "what=htcds_{}",
                        match shape {
                            Shape::Csv => "csv",
                            Shape::Json => "json",
                        }
                    ),
                    format!("rows={}", export.cases),
                    format!("protection={label}"),
                ];
                fields.extend(export.fields);
                Ok((export.bytes, summary, fields))
            },
        )?;
        Ok(HtcdsWritten {
            manifest: written.summary,
            passphrase,
            office_fingerprint,
        })
    }

    /// Builds the statistics' facts once after migration 017 (in its own transaction).
    fn build_facts(&mut self) -> Result<(), ReportError> {
        let transaction = self.database_mut().transaction()?;
        if hearth_records::facts::build_if_missing(&transaction)? {
            transaction.commit()?;
        }
        Ok(())
    }

    /// One export: the permission, the facts, the files made, audited in the transaction that
    /// commits only once `deliver` has written them.
    fn export(
        &mut self,
        operation: Operation,
        action: Action,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<()>,
        make: impl FnOnce(&Session) -> Result<(Vec<u8>, Manifest, Vec<String>), ReportError>,
    ) -> Result<ReportFiles, ReportError> {
        self.require(operation).map_err(RecordError::from)?;
        self.build_facts()?;
        let (data, summary, fields) = make(self)?;
        let files = ReportFiles {
            data,
            manifest: summary.to_json(),
            summary,
        };
        let account = self.account().clone();
        let transaction = self.database_mut().transaction()?;
        audit::append(
            &transaction,
            &NewEntry::ok(&account, action).with_fields(fields),
        )
        .map_err(RecordError::from)?;
        deliver(&files).map_err(ReportError::Write)?;
        transaction.commit()?;
        Ok(files)
    }

    #[allow(clippy::too_many_arguments)]
    fn manifest(
        &self,
        export: &'static str,
        file_name: &str,
        scope: &Scope,
        k: Option<u32>,
        rule: &'static str,
        cases_included: String,
        cases_left_out_for_consent: String,
        anonymisation: Option<hearth_reports::anonymity::Anonymised>,
        protection: &'static str,
    ) -> Result<Manifest, ReportError> {
        let (organisation, _) = self.organisation_and_site()?;
        Ok(Manifest {
            format: "hearth-report",
            version: 1,
            hearth_version: env!("CARGO_PKG_VERSION"),
            export,
            file: file_name.to_owned(),
            made_on: Date::today().to_string(),
            organisation,
            scope: scope.clone(),
            k,
            rule,
            cases_included,
            cases_left_out_for_consent,
            anonymisation,
            protection,
        })
    }
}

/// The cases in the scope without consent to anonymous statistics.
fn left_out_for_statistics(session: &Session, scope: &Scope) -> Result<u64, ReportError> {
    let statistics = dashboard::statistics(session.database(), scope)?;
    Ok(match statistics.without_consent {
        Count::Exact(count) => count,
        _ => 0,
    })
}

/// The audit entry's fields: what, the period and site, k, the rows (never a value).
fn describe(what: &str, scope: &Scope, k: Option<u32>, rows: Option<usize>) -> Vec<String> {
    let mut fields = vec![format!("what={what}")];
    fields.push(format!(
        "period={}..{}",
        scope.from.as_deref().unwrap_or(""),
        scope.to.as_deref().unwrap_or("")
    ));
    if let Some(site) = &scope.site {
        fields.push(format!("site={site}"));
    }
    if let Some(k) = k {
        fields.push(format!("k={k}"));
    }
    if let Some(rows) = rows {
        fields.push(format!("rows={rows}"));
    }
    fields
}

/// The statistics export's CSV: `panel,unit,key,label,count`, the total of each panel as the row
/// whose key is `total`.
fn statistics_csv(statistics: &Statistics) -> Result<Vec<u8>, ReportError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["panel", "unit", "key", "label", "count"])?;
    for panel in &statistics.panels {
        let unit = serde_json::to_value(panel.unit)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        let list = panel.code_list.as_deref();
        for row in &panel.rows {
            let label = row
                .label
                .clone()
                .or_else(|| list.and_then(|list| english_label(list, &row.key)))
                .unwrap_or_default();
            writer.write_record([
                panel.id.as_str(),
                unit.as_str(),
                row.key.as_str(),
                label.as_str(),
                row.count.cell().as_str(),
            ])?;
        }
        writer.write_record([
            panel.id.as_str(),
            unit.as_str(),
            "total",
            "",
            &panel.total.cell(),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|error| ReportError::Export(error.to_string()))
}

fn english_label(list: &str, code: &str) -> Option<String> {
    hearth_records::codes::code_lists()
        .get(list)?
        .values
        .iter()
        .find(|value| value.code == code)
        .map(|value| value.en.clone())
}

/// The name of the manifest written beside an export at `file`.
pub fn manifest_path(file: &std::path::Path) -> std::path::PathBuf {
    let name = file
        .file_name()
        .map(|name| manifest::manifest_name(&name.to_string_lossy()))
        .unwrap_or_else(|| "report.manifest.json".to_owned());
    file.with_file_name(name)
}

/// Writes an export's data to `file` and its manifest beside it, each whole under a temporary
/// name first: the manifest, then the data (a data file never lies there without its manifest).
/// `replace` lets both replace existing files (the desktop app's Save dialog confirmed it).
pub fn write_report_files(
    file: &std::path::Path,
    files: &ReportFiles,
    replace: bool,
) -> std::io::Result<()> {
    let manifest = manifest_path(file);
    let write = |path: &std::path::Path, bytes: &[u8]| {
        if replace {
            hearth_format::files::write_file_atomically(path, bytes)
        } else {
            hearth_format::files::write_new_private_file(path, bytes)
        }
    };
    if !replace && file.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a file of that name already exists",
        ));
    }
    write(&manifest, &files.manifest)?;
    if let Err(error) = write(file, &files.data) {
        let _ = std::fs::remove_file(&manifest);
        return Err(error);
    }
    Ok(())
}
