//! Which cases a report describes: those identified in a period (the day identified, or the day
//! the case was opened where none was recorded), at one site or at every site the vault holds,
//! never a merged duplicate. Every panel of a report describes the same cases: their services,
//! their referrals, their follow-ups.

use serde::{Deserialize, Serialize};

use hearth_records::dates::Date;

use crate::ReportError;

/// A report's period and site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ReportScope.ts"))]
pub struct Scope {
    /// The first day (`YYYY-MM-DD`), or from the first case.
    pub from: Option<String>,
    /// The last day, or up to today.
    pub to: Option<String>,
    /// One site's cases, or every site's.
    pub site: Option<String>,
}

/// A scope checked: its days read.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub site: Option<String>,
}

impl Scope {
    /// Every case at every site.
    pub fn everything() -> Scope {
        Scope {
            from: None,
            to: None,
            site: None,
        }
    }

    pub(crate) fn check(&self) -> Result<Checked, ReportError> {
        let day = |name: &str, text: &Option<String>| -> Result<Option<Date>, ReportError> {
            match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(text) => Date::parse(text).map(Some).ok_or_else(|| {
                    ReportError::Invalid(format!("{name} is not a day as YYYY-MM-DD: {text:?}"))
                }),
            }
        };
        let from = day("the first day", &self.from)?;
        let to = day("the last day", &self.to)?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(ReportError::Invalid(format!(
                    "the period ends ({to}) before it begins ({from})"
                )));
            }
        }
        Ok(Checked {
            from,
            to,
            site: self.site.clone().filter(|site| !site.trim().is_empty()),
        })
    }
}

impl Checked {
    /// The SQL condition on `case_facts` (aliased `c`) that selects the scope's cases, with its
    /// three parameters ?1 (first day), ?2 (last day), ?3 (site); `consented_only` adds the consent
    /// to anonymous statistics.
    pub fn condition(consented_only: bool) -> &'static str {
        if consented_only {
            "c.status != 'Merged' AND c.statistics_consent = 1
             AND (?1 IS NULL OR coalesce(c.identified, c.opened) >= ?1)
             AND (?2 IS NULL OR coalesce(c.identified, c.opened) <= ?2)
             AND (?3 IS NULL OR c.site = ?3)"
        } else {
            "c.status != 'Merged'
             AND (?1 IS NULL OR coalesce(c.identified, c.opened) >= ?1)
             AND (?2 IS NULL OR coalesce(c.identified, c.opened) <= ?2)
             AND (?3 IS NULL OR c.site = ?3)"
        }
    }

    /// The condition's parameters.
    pub fn parameters(&self) -> [Option<String>; 3] {
        [
            self.from.map(|day| day.to_string()),
            self.to.map(|day| day.to_string()),
            self.site.clone(),
        ]
    }
}
