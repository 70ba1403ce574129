//! The manifest written beside every export (`FILE.manifest.json`): what the file is, the period
//! and site, k and the rule applied, how many cases are in it and how many were left out for lack
//! of consent, and what anonymisation changed. It holds counts and names of columns, never a
//! person's value; counts in a statistics or CTDC manifest follow the same rule as the data
//! (below k reads "<k").

use serde::Serialize;

use crate::anonymity::Anonymised;
use crate::Scope;

/// The suppression rule of the statistics export, in words.
pub const STATISTICS_RULE: &str = "Cases with consent to anonymous statistics only. No count \
     below k is shown (it reads \"<k\"); where the rows of a table add up to its total, further \
     counts are withheld until none of the hidden counts can be worked out from the total. Rows \
     of citizenship, country and partner below k are gathered into \"other\".";
/// The CTDC export's rule.
pub const CTDC_RULE: &str = "Cases with consent to anonymous statistics only. The file is \
     k-anonymous over yearOfRegistration, gender, ageBroad, citizenship and \
     CountryOfExploitation: each combination of their values is held by k rows or more. Rows in \
     a smaller combination had citizenship and country generalised to their UN M49 sub-region, \
     the year to the period, and then values left blank, in that order; with fewer than k cases \
     no row is written.";
/// The HTCDS export's rule.
pub const HTCDS_RULE: &str = "Identifying. Cases with consent to sharing within the \
     organisation only; written by a supervisor, for the organisation's own systems.";

/// What is written beside an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    /// "hearth-report".
    pub format: &'static str,
    /// The manifest's version.
    pub version: u32,
    /// The Hearth version that wrote it.
    pub hearth_version: &'static str,
    /// "statistics", "ctdc" or "htcds".
    pub export: &'static str,
    /// The data file's name (beside the manifest).
    pub file: String,
    /// The day it was made (`YYYY-MM-DD`).
    pub made_on: String,
    /// The organisation.
    pub organisation: String,
    /// The period and site.
    pub scope: Scope,
    /// The k in force (statistics and CTDC).
    pub k: Option<u32>,
    /// The rule applied, in words.
    pub rule: &'static str,
    /// Cases in the file ("<k" when few, in a statistics manifest).
    pub cases_included: String,
    /// Cases in the period left out because their consent does not allow this export.
    pub cases_left_out_for_consent: String,
    /// CTDC only: what anonymisation changed (its counts below k read "<k" too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymisation: Option<AnonymisationSummary>,
    /// How the data file is protected: "age" (encrypted) or "plain".
    pub protection: &'static str,
}

impl Manifest {
    /// The manifest as the file holds it.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// A count as a manifest with a k writes it: "<k" below k.
pub fn hidden_below(count: u64, k: u32) -> String {
    if count < u64::from(k) {
        format!("<{k}")
    } else {
        count.to_string()
    }
}

/// What anonymisation changed, as the CTDC manifest says it: per quasi-identifier column, how
/// many values were generalised and how many left blank, and how many rows were not written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnonymisationSummary {
    /// Values written in a broader form, by column.
    pub generalised: Vec<(String, String)>,
    /// Values left blank that were known, by column.
    pub suppressed: Vec<(String, String)>,
    /// Rows not written because fewer than k people were in the export.
    pub rows_withheld: String,
}

impl AnonymisationSummary {
    /// The summary of `anonymised`, every count below k as "<k" (0 as 0: nothing was done).
    pub fn new(anonymised: &Anonymised, k: u32) -> Self {
        let count = |count: u64| {
            if count == 0 {
                "0".to_owned()
            } else {
                hidden_below(count, k)
            }
        };
        let columns = |counts: &[(String, u64)]| {
            counts
                .iter()
                .map(|(column, n)| (column.clone(), count(*n)))
                .collect()
        };
        AnonymisationSummary {
            generalised: columns(&anonymised.generalised),
            suppressed: columns(&anonymised.suppressed),
            rows_withheld: count(anonymised.rows_withheld),
        }
    }
}

/// The name of the manifest beside `file` (`report.csv` → `report.csv.manifest.json`).
pub fn manifest_name(file: &str) -> String {
    format!("{file}.manifest.json")
}
