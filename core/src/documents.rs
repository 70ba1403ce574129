//! Printed documents as a session makes them: the case summary (every section the person may
//! see) and the recovery key sheet, rendered by hearth-documents into bytes the shell writes where
//! the person chose. Each print is audited.

pub use hearth_documents::{DocumentError, Language};

use hearth_crypto::RecoveryKey;
use hearth_documents::{case_summary, recovery_sheet, render, SummaryInput};
use hearth_records::{RecordError, RecordId, Section};

use crate::access::Session;
use crate::audit::{Action, NewEntry, Target};

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The case could not be read, or the person may not open it.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Rendering failed.
    #[error(transparent)]
    Document(#[from] DocumentError),
}

impl PrintError {
    /// What kind of failure this is, for the UI and the CLI.
    pub fn kind(&self) -> hearth_ids::ErrorKind {
        match self {
            PrintError::Record(error) => error.kind(),
            PrintError::Document(error) => error.kind(),
        }
    }
}

impl From<rusqlite::Error> for PrintError {
    fn from(error: rusqlite::Error) -> Self {
        PrintError::Record(error.into())
    }
}

impl Session {
    /// A case's printable summary, as PDF: every section, in `language`. Audited as a print of the
    /// case (a refusal too); the caller writes the bytes to the file the person chose.
    pub fn case_summary_pdf(
        &self,
        case: RecordId,
        language: Language,
    ) -> Result<Vec<u8>, PrintError> {
        let result = self.case_file(case);
        let file = self.audit_if_refused(result, Action::Print, Some(Target::case(case)))?;
        let (organisation, site) = self.organisation_and_site()?;
        // Every section but the shelter's own contact details, which only a packet needs.
        let sections: Vec<Section> = Section::all()
            .filter(|section| *section != Section::ShelterContact)
            .collect();
        let today = hearth_records::dates::Date::today().to_string();
        let document = case_summary(&SummaryInput {
            file: &file,
            sections: &sections,
            language,
            organisation: &organisation,
            site: &site,
            printed_by: &self.account().name,
            today: &today,
            referral: None,
        });
        let pdf = render(&document)?;
        self.audit_alone(
            &NewEntry::ok(self.account(), Action::Print)
                .on(Target::case(case))
                .with_fields(vec!["case_summary".to_owned()]),
        )
        .map_err(RecordError::from)?;
        Ok(pdf)
    }

    /// The recovery key sheet, as PDF, for the key shown at first run. Audited as a print of the
    /// recovery key (never the key itself).
    pub fn recovery_sheet_pdf(
        &self,
        key: &RecoveryKey,
        language: Language,
    ) -> Result<Vec<u8>, PrintError> {
        let (organisation, site) = self.organisation_and_site()?;
        // The key's text is zeroed when dropped. The copies the layout and the PDF make are not
        // (the PDF holds the key, as it must): the bytes go to the file and are dropped.
        let display = key.expose_secret_display();
        let groups: Vec<&str> = display.split('-').collect();
        let today = hearth_records::dates::Date::today().to_string();
        let pdf = render(&recovery_sheet(
            &groups,
            &organisation,
            &site,
            &today,
            language,
        ))?;
        self.audit_alone(
            &NewEntry::ok(self.account(), Action::Print)
                .with_fields(vec!["recovery_key".to_owned()]),
        )
        .map_err(RecordError::from)?;
        Ok(pdf)
    }
}
