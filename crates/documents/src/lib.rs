//! hearth-documents: the documents Hearth prints, as PDF files rendered here rather than through
//! the webview (WebKitGTK cannot print reliably, and nothing there can be tested): the case
//! summary, the summary inside a referral packet, and the recovery key sheet.
//!
//! Every text comes from the UI's catalogue (`ui/src/lib/i18n/documents/`) and the code lists, in
//! the language chosen ([`Language`]); dates are written as the language writes them. The layout
//! is ours ([`layout`]); krilla embeds the subset of DejaVu Sans a document uses, with the
//! mapping back to Unicode that lets a reader (and `pdftotext`) copy the text out exactly.
//!
//! Rendering happens in memory: the caller writes the bytes to the place the person chose.
#![forbid(unsafe_code)]

pub mod case_summary;
mod cyrillic;
pub mod language;
pub mod layout;
pub mod recovery_sheet;

pub use case_summary::{case_summary, ConsentBasis, ReferralHeader, SummaryInput};
pub use language::Language;
pub use layout::{render, Block, Document};
pub use recovery_sheet::recovery_sheet;

use hearth_ids::ErrorKind;

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The compiled-in font did not load: a build that no test passed.
    #[error("the font for printed documents could not be read")]
    Font,
    /// The PDF writer refused the document.
    #[error("the document could not be laid out as a PDF")]
    Layout,
}

impl DocumentError {
    /// What kind of failure this is, for the UI and the CLI's exit code.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::PrintFailed
    }
}
