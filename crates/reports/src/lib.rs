//! hearth-reports: what leaves the vault as numbers or as a standard export, each only as far as
//! consent allows.
//!
//! - [`dashboard`]: the Statistics screen's panels over a period and a site, exact for the vault's
//!   own staff; the same panels as an export count only cases whose consent to anonymous
//!   statistics is Given, and pass through [`suppression`] (nothing below k, complementary
//!   suppression where a cell could be worked out from a total).
//! - [`ctdc`]: one row per consented person in the columns of IOM's Counter Trafficking Data
//!   Collaborative, made k-anonymous over its quasi-identifiers by [`anonymity`].
//! - [`htcds`]: the organisation's cases in HTCDS 2.0 shape for the office's own systems
//!   (identifying: supervisors only, consent to sharing within the organisation, encrypted unless
//!   the person asks for plain text).
//! - [`manifest`]: what is written beside every export.
//!
//! Every function reads the facts hearth-records keeps (`case_facts`, `service_facts`,
//! `referral_facts`, `follow_ups`) through the caller's connection; the facade in hearth-core
//! checks the permission and audits.
#![forbid(unsafe_code)]

pub mod anonymity;
pub mod countries;
pub mod ctdc;
pub mod dashboard;
pub mod htcds;
pub mod manifest;
pub mod panels;
pub mod scope;
pub mod suppression;
mod tally;

pub use manifest::Manifest;
pub use panels::{Panel, PanelId, PanelRow, Statistics, Unit};
pub use scope::Scope;
pub use suppression::Count;

use hearth_ids::ErrorKind;
use hearth_records::RecordError;

/// The smallest count an export may show (the CTDC's rule). An administrator may raise it.
pub const MINIMUM_K: u32 = 11;
/// The largest k an administrator may set: above it almost every count of a shelter's statistics
/// would read "<k".
pub const MAXIMUM_K: u32 = 100;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The records could not be read (or the actor may not read them).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The database failed.
    #[error("the database failed: {0}")]
    Database(#[from] rusqlite::Error),
    /// A period or an option that cannot be used.
    #[error("{0}")]
    Invalid(String),
    /// Writing the CSV, JSON or encryption failed.
    #[error("the export could not be made: {0}")]
    Export(String),
    /// The file could not be written.
    #[error("the file could not be written: {0}")]
    Write(std::io::Error),
    /// A k below the one in force (or below the floor) was asked for.
    #[error("k may only be raised: it is {current}, and {asked} is lower")]
    ThresholdLowered {
        /// The k in force.
        current: u32,
        /// The k asked for.
        asked: u32,
    },
}

impl ReportError {
    /// What kind of failure this is, for the UI and the CLI.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ReportError::Record(error) => error.kind(),
            ReportError::Database(_) => ErrorKind::Database,
            ReportError::Invalid(_) => ErrorKind::InvalidInput,
            ReportError::Export(_) => ErrorKind::ExportFailed,
            ReportError::Write(error) => hearth_format::files::io_kind(error),
            ReportError::ThresholdLowered { .. } => ErrorKind::ThresholdLowered,
        }
    }
}

impl From<csv::Error> for ReportError {
    fn from(error: csv::Error) -> Self {
        ReportError::Export(error.to_string())
    }
}
