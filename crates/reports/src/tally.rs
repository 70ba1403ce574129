//! Counting a report's panels: one pass over the scope's cases in `case_facts`, one over their
//! services, one over their referrals and one over their open follow-ups, each value borrowed from
//! the row. The counts are raw; [`crate::dashboard`] decides what is shown.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use hearth_records::codes::codes_of;
use hearth_records::dates::Date;

use crate::panels::{age_band, closure_bucket, PanelId, AGE_BANDS, CLOSURE_BUCKETS, NOT_RECORDED};
use crate::scope::Checked;
use crate::ReportError;

/// Raw counts of one panel.
#[derive(Debug)]
pub(crate) struct Tally {
    pub id: PanelId,
    pub rows: Vec<(String, u64)>,
    pub labels: HashMap<String, String>,
    pub total: u64,
}

#[derive(Debug)]
pub(crate) struct Tallies {
    pub cases: u64,
    pub panels: Vec<Tally>,
}

/// Counts by key, for one panel being counted.
#[derive(Debug, Default)]
struct Counter {
    counts: HashMap<String, u64>,
    total: u64,
}

impl Counter {
    fn add(&mut self, key: &str) {
        match self.counts.get_mut(key) {
            Some(count) => *count += 1,
            None => {
                self.counts.insert(key.to_owned(), 1);
            }
        }
    }

    /// Rows for `fixed` keys (in that order, zeros included) and then any other key that occurred,
    /// sorted; the not-recorded row last, when `not_recorded` or when it occurred.
    fn rows(mut self, fixed: &[&str], not_recorded: bool) -> Vec<(String, u64)> {
        let mut rows: Vec<(String, u64)> = fixed
            .iter()
            .map(|key| ((*key).to_owned(), self.counts.remove(*key).unwrap_or(0)))
            .collect();
        let blank = self.counts.remove(NOT_RECORDED);
        let mut rest: Vec<(String, u64)> = self.counts.into_iter().collect();
        rest.sort();
        rows.extend(rest);
        if not_recorded || blank.is_some() {
            rows.push((NOT_RECORDED.to_owned(), blank.unwrap_or(0)));
        }
        rows
    }
}

pub(crate) fn tally(
    connection: &Connection,
    scope: &Checked,
    consented_only: bool,
) -> Result<Tallies, ReportError> {
    let condition = Checked::condition(consented_only);
    let parameters = scope.parameters();
    let mut counters: BTreeMap<PanelId, Counter> = BTreeMap::new();
    let mut cases = 0u64;
    let mut first_month: Option<String> = None;
    let mut last_month: Option<String> = None;
    {
        let mut statement = connection.prepare(&format!(
            "SELECT coalesce(c.identified, c.opened), c.opened, c.closed, c.status,
                    c.trafficking_status, c.gender, c.age, c.citizenship, c.exploitation_country,
                    c.exploitation_types, c.means_of_control
             FROM case_facts c WHERE {condition}"
        ))?;
        let mut rows = statement.query(rusqlite::params_from_iter(parameters.iter()))?;
        while let Some(row) = rows.next()? {
            cases += 1;
            // Borrowed from the row: a hundred thousand cases, a dozen values each, no copies.
            let month = text(row, 0)?.get(..7).unwrap_or(NOT_RECORDED);
            if first_month.as_deref().is_none_or(|first| month < first) {
                first_month = Some(month.to_owned());
            }
            if last_month.as_deref().is_none_or(|last| month > last) {
                last_month = Some(month.to_owned());
            }
            let mut count = |id: PanelId, key: &str| {
                let counter = counters.entry(id).or_default();
                counter.add(key);
            };
            count(PanelId::IdentifiedPerMonth, month);
            count(PanelId::TraffickingStatus, text(row, 4)?);
            count(PanelId::Gender, text(row, 5)?);
            let age: Option<i64> = row.get(6)?;
            count(PanelId::AgeBand, age.map(age_band).unwrap_or(NOT_RECORDED));
            count(PanelId::Citizenship, text(row, 7)?);
            count(PanelId::ExploitationCountry, text(row, 8)?);
            for (index, id) in [
                (9, PanelId::ExploitationType),
                (10, PanelId::MeansOfControl),
            ] {
                let mut any = false;
                for code in text(row, index)?.split(' ').filter(|code| !code.is_empty()) {
                    count(id, code);
                    any = true;
                }
                if !any {
                    count(id, NOT_RECORDED);
                }
            }
            count(PanelId::CaseStatus, text(row, 3)?);
            if let Some(closed) = Date::parse(text(row, 2)?) {
                if let Some(opened) = Date::parse(text(row, 1)?) {
                    // Two laptops' clocks may disagree by a day: a closure never counts as
                    // before its opening.
                    let days = (closed.days_since_epoch() - opened.days_since_epoch()).max(0);
                    count(PanelId::TimeToClosure, closure_bucket(days));
                }
            }
        }
    }
    for counter in counters.values_mut() {
        counter.total = counter.counts.values().sum();
    }
    for id in [PanelId::ExploitationType, PanelId::MeansOfControl] {
        counters.entry(id).or_default().total = cases;
    }

    let mut services = connection.prepare(&format!(
        "SELECT s.type, s.status FROM service_facts s JOIN case_facts c ON c.case_id = s.case_id
         WHERE {condition}"
    ))?;
    let mut rows = services.query(rusqlite::params_from_iter(parameters.iter()))?;
    while let Some(row) = rows.next()? {
        for (index, id) in [(0, PanelId::ServiceType), (1, PanelId::ServiceStatus)] {
            let value = text(row, index)?;
            let counter = counters.entry(id).or_default();
            counter.add(value);
            counter.total += 1;
        }
    }

    let mut referrals = connection.prepare(&format!(
        "SELECT r.partner, r.status, r.decline_reason
         FROM referral_facts r JOIN case_facts c ON c.case_id = r.case_id WHERE {condition}"
    ))?;
    let mut rows = referrals.query(rusqlite::params_from_iter(parameters.iter()))?;
    while let Some(row) = rows.next()? {
        let partner: Option<String> = row.get(0)?;
        let status: Option<String> = row.get(1)?;
        let reason: Option<String> = row.get(2)?;
        let mut count = |id: PanelId, key: &str| {
            let counter = counters.entry(id).or_default();
            counter.add(key);
            counter.total += 1;
        };
        count(
            PanelId::ReferralPartner,
            partner.as_deref().unwrap_or(NOT_RECORDED),
        );
        count(
            PanelId::ReferralOutcome,
            status.as_deref().unwrap_or(NOT_RECORDED),
        );
        if status.as_deref() == Some("Rejected") {
            count(
                PanelId::DeclineReason,
                reason.as_deref().unwrap_or(NOT_RECORDED),
            );
        }
    }

    let today = Date::today().to_string();
    let mut follow_ups = connection.prepare(&format!(
        "SELECT f.due_date < ?4 FROM follow_ups f JOIN case_facts c ON c.case_id = f.case_id
         WHERE f.done = 0 AND {condition}"
    ))?;
    let [from, to, site] = parameters.clone();
    let mut rows = follow_ups.query(rusqlite::params![from, to, site, today])?;
    while let Some(row) = rows.next()? {
        let overdue: bool = row.get(0)?;
        let counter = counters.entry(PanelId::FollowUps).or_default();
        counter.add(if overdue { "overdue" } else { "not_yet_due" });
        counter.total += 1;
    }

    let months = months_between(
        scope
            .from
            .map(|day| day.to_string()[..7].to_owned())
            .or(first_month),
        scope
            .to
            .map(|day| day.to_string()[..7].to_owned())
            .or(last_month),
    );
    let partner_names = partner_names(connection)?;
    let panels = <PanelId as strum::IntoEnumIterator>::iter()
        .map(|id| {
            let counter = counters.remove(&id).unwrap_or_default();
            let total = counter.total;
            let not_recorded = matches!(
                id,
                PanelId::Gender
                    | PanelId::AgeBand
                    | PanelId::Citizenship
                    | PanelId::ExploitationCountry
            );
            let fixed: Vec<&str> = match id {
                PanelId::IdentifiedPerMonth => months.iter().map(String::as_str).collect(),
                PanelId::AgeBand => AGE_BANDS.iter().map(|(_, _, band)| *band).collect(),
                PanelId::TimeToClosure => CLOSURE_BUCKETS.iter().map(|(_, _, b)| *b).collect(),
                PanelId::FollowUps => vec!["overdue", "not_yet_due"],
                PanelId::CaseStatus => codes_of("case_status")
                    .into_iter()
                    .filter(|code| *code != "Merged")
                    .collect(),
                _ if id.open_ended() => Vec::new(),
                _ => id.code_list().map(codes_of).unwrap_or_default(),
            };
            let rows = counter.rows(&fixed, not_recorded);
            let labels = if id == PanelId::ReferralPartner {
                rows.iter()
                    .filter_map(|(key, _)| {
                        partner_names
                            .get(key)
                            .map(|name| (key.clone(), name.clone()))
                    })
                    .collect()
            } else {
                HashMap::new()
            };
            Tally {
                id,
                rows,
                labels,
                total,
            }
        })
        .collect();
    Ok(Tallies { cases, panels })
}

/// A text column's value borrowed from the row; [`NOT_RECORDED`] for NULL.
fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Text(bytes) => Ok(std::str::from_utf8(bytes).unwrap_or("")),
        _ => Ok(NOT_RECORDED),
    }
}

/// Every month from `first` to `last` (`YYYY-MM`), at most 600 of them.
fn months_between(first: Option<String>, last: Option<String>) -> Vec<String> {
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let parse = |month: &str| -> Option<(i32, i32)> {
        Some((
            month.get(..4)?.parse().ok()?,
            month.get(5..7)?.parse().ok()?,
        ))
    };
    let (Some((mut year, mut month)), Some(end)) = (parse(&first), parse(&last)) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    while (year, month) <= end && months.len() < 600 {
        months.push(format!("{year:04}-{month:02}"));
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    months
}

pub(crate) fn without_consent(
    connection: &Connection,
    scope: &Checked,
) -> Result<u64, ReportError> {
    let condition = Checked::condition(false);
    let count: i64 = connection.query_row(
        &format!(
            "SELECT count(*) FROM case_facts c WHERE {condition} AND c.statistics_consent = 0"
        ),
        rusqlite::params_from_iter(scope.parameters().iter()),
        |row| row.get(0),
    )?;
    Ok(u64::try_from(count).unwrap_or(0))
}

pub(crate) fn sites(connection: &Connection) -> Result<Vec<String>, ReportError> {
    Ok(connection
        .prepare("SELECT DISTINCT site FROM case_facts ORDER BY site")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}

fn partner_names(connection: &Connection) -> Result<HashMap<String, String>, ReportError> {
    Ok(hearth_records::partners::list(connection)?
        .into_iter()
        .filter_map(|partner| Some((partner.id, partner.fields.name?)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_over_the_year_end() {
        assert_eq!(
            months_between(Some("2025-11".into()), Some("2026-02".into())),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(months_between(None, Some("2026-02".into())).is_empty());
    }
}
