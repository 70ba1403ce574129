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
use hearth_reports::manifest::{
    self, hidden_below, AnonymisationSummary, CTDC_RULE, HTCDS_RULE, STATISTICS_RULE,
};
use hearth_reports::{dashboard, htcds};
use rusqlite::OptionalExtension;

use crate::access::Session;
use crate::audit::{self, Action, NewEntry};

/// The setting that holds k.
const K_SETTING: &str = "statistics_k";

/// An export's two files: the data, and the manifest written beside it.
pub struct ReportFiles {
    /// The data file's bytes (CSV, JSON, or age-encrypted).
    pub data: Vec<u8>,
    /// The manifest's bytes (JSON).
    pub manifest: Vec<u8>,
    /// The manifest, as written.
    pub summary: Manifest,
}

impl std::fmt::Debug for ReportFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The data may be plain identifying records: its size only.
        f.debug_struct("ReportFiles")
            .field("data", &format_args!("{} bytes", self.data.len()))
            .field("summary", &self.summary)
            .finish()
    }
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
pub struct HtcdsWritten {
    /// The manifest written beside it.
    pub manifest: Manifest,
    /// The one-time passphrase it is encrypted with, when it is (shown once, never stored).
    pub passphrase: Option<String>,
    /// The fingerprint of the office key it is encrypted to, when it is.
    pub office_fingerprint: Option<String>,
}

impl std::fmt::Debug for HtcdsWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtcdsWritten")
            .field("manifest", &self.manifest)
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "[redacted]"),
            )
            .field("office_fingerprint", &self.office_fingerprint)
            .finish()
    }
}

/// An export's files written whole under temporary names beside where they go, waiting for the
/// audit entry to commit before they take their names ([`stage_report_files`]).
#[derive(Debug)]
pub struct StagedReport {
    manifest: hearth_format::files::StagedFile,
    data: hearth_format::files::StagedFile,
    replace: bool,
}

impl StagedReport {
    /// Gives both files their names: the manifest first, so that a data file never lies there
    /// without it.
    fn put_in_place(self) -> std::io::Result<()> {
        if self.replace {
            self.manifest.put_in_place()?;
            self.data.put_in_place()
        } else {
            self.manifest.put_in_place_new()?;
            self.data.put_in_place_new()
        }
    }
}

/// An export needs its whole period: a range taken from the data would say in which month the
/// first and last consented person were identified.
fn require_period(scope: &Scope) -> Result<(), ReportError> {
    let given = |day: &Option<String>| day.as_deref().is_some_and(|d| !d.trim().is_empty());
    if given(&scope.from) && given(&scope.to) {
        Ok(())
    } else {
        Err(ReportError::Invalid(
            "an export needs its period: give both the first and the last day".to_owned(),
        ))
    }
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
    /// `panel,unit,key,label,count`. `deliver` stages the two files (see [`stage_report_files`]);
    /// they take their names once the export's audit entry has committed.
    pub fn export_statistics(
        &mut self,
        scope: &Scope,
        file_name: &str,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<StagedReport>,
    ) -> Result<ReportFiles, ReportError> {
        let k = self.statistics_k()?;
        require_period(scope)?;
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
    /// quasi-identifiers. `deliver` stages the CSV and its manifest, named once the audit entry
    /// has committed.
    pub fn export_ctdc(
        &mut self,
        scope: &Scope,
        file_name: &str,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<StagedReport>,
    ) -> Result<ReportFiles, ReportError> {
        let k = self.statistics_k()?;
        require_period(scope)?;
        self.export(
            Operation::ExportStatistics,
            Action::ExportStatistics,
            deliver,
            |session| {
                let export = ctdc::export(session.database(), scope, k)?;
                let data = ctdc::csv(&export)?;
                let rows = u64::try_from(export.rows.len()).unwrap_or(u64::MAX);
                let summary = session.manifest(
                    "ctdc",
                    file_name,
                    scope,
                    Some(k),
                    CTDC_RULE,
                    hidden_below(rows, k),
                    hidden_below(export.left_out, k),
                    Some(AnonymisationSummary::new(&export.anonymised, k)),
                    "plain",
                )?;
                let rows = export.rows.len();
                Ok((data, summary, describe("ctdc", scope, Some(k), Some(rows))))
            },
        )
    }

    /// The organisation's cases in HTCDS shape (supervisors; consent to sharing within the
    /// organisation), encrypted as `protection` says. `deliver` stages the file and its manifest.
    pub fn export_htcds(
        &mut self,
        shape: Shape,
        protection: HtcdsProtection,
        file_name: &str,
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<StagedReport>,
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
        deliver: impl FnOnce(&ReportFiles) -> std::io::Result<StagedReport>,
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
        // Staged first (a full disk or a taken name refuses the export before it is recorded),
        // named only after the audit entry commits: no export file without its entry.
        let staged = deliver(&files).map_err(ReportError::Write)?;
        let transaction = self.database_mut().transaction()?;
        audit::append(
            &transaction,
            &NewEntry::ok(&account, action).with_fields(fields),
        )
        .map_err(RecordError::from)?;
        transaction.commit()?;
        staged.put_in_place().map_err(ReportError::Write)?;
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
        anonymisation: Option<AnonymisationSummary>,
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

/// Stages an export's data for `file` and its manifest beside it, each written whole and synced
/// under a temporary name; the export names them once its audit entry has committed. `replace`
/// lets both replace existing files (the desktop app's Save dialog confirmed it); otherwise a
/// file of either name refuses the export.
pub fn stage_report_files(
    file: &std::path::Path,
    files: &ReportFiles,
    replace: bool,
) -> std::io::Result<StagedReport> {
    let manifest = manifest_path(file);
    if !replace {
        for path in [file, manifest.as_path()] {
            if path.exists() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} already exists", path.display()),
                ));
            }
        }
    }
    Ok(StagedReport {
        manifest: hearth_format::files::StagedFile::stage(&manifest, &files.manifest)?,
        data: hearth_format::files::StagedFile::stage(file, &files.data)?,
        replace,
    })
}
