//! The Statistics screen's panels over a [`Scope`], counted from the facts hearth-records keeps.
//!
//! [`statistics`] counts every case in the scope, exactly, for the vault's own supervisors.
//! [`statistics_for_export`] counts only the cases whose consent to anonymous statistics is Given
//! and hides small counts ([`crate::suppression`]); in the open-ended panels (citizenship,
//! country of exploitation, partner) rows below k are first gathered into one row, `other`, so
//! that a row's mere presence says nothing about a handful of people.
//!
//! One pass per table: the cases in scope, their services, their referrals, their open follow-ups.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use hearth_records::codes::codes_of;
use hearth_records::dates::Date;

use crate::scope::Checked;
use crate::suppression::{additive, primary_only};
use crate::{ReportError, Scope};

pub use crate::suppression::Count;

/// The key of a row that gathers what was not recorded.
pub const NOT_RECORDED: &str = "";
/// The key of the row that gathers an open-ended panel's rows below k, in an export.
pub const OTHER: &str = "other";

/// The panels, in the order the screen shows them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PanelId.ts"))]
pub enum PanelId {
    /// People identified, by the month of the day identified.
    IdentifiedPerMonth,
    /// People by trafficking status (possible, actual, not a victim).
    TraffickingStatus,
    /// People by gender.
    Gender,
    /// People by age when identified, in the CTDC's bands.
    AgeBand,
    /// People by type of exploitation (several per person).
    ExploitationType,
    /// People by means of control (several per person).
    MeansOfControl,
    /// People by (first) citizenship.
    Citizenship,
    /// People by (first) country of exploitation.
    ExploitationCountry,
    /// Cases by status.
    CaseStatus,
    /// Closed cases by days from opening to closure (Primero's buckets).
    TimeToClosure,
    /// Services by type.
    ServiceType,
    /// Services by status.
    ServiceStatus,
    /// Referrals by partner.
    ReferralPartner,
    /// Referrals by status (their outcome).
    ReferralOutcome,
    /// Declined referrals by the partner's reason.
    DeclineReason,
    /// Open follow-ups: overdue or not yet due.
    FollowUps,
}

impl PanelId {
    /// The name exports use.
    pub fn as_str(&self) -> &'static str {
        match self {
            PanelId::IdentifiedPerMonth => "identified_per_month",
            PanelId::TraffickingStatus => "trafficking_status",
            PanelId::Gender => "gender",
            PanelId::AgeBand => "age_band",
            PanelId::ExploitationType => "exploitation_type",
            PanelId::MeansOfControl => "means_of_control",
            PanelId::Citizenship => "citizenship",
            PanelId::ExploitationCountry => "exploitation_country",
            PanelId::CaseStatus => "case_status",
            PanelId::TimeToClosure => "time_to_closure",
            PanelId::ServiceType => "service_type",
            PanelId::ServiceStatus => "service_status",
            PanelId::ReferralPartner => "referral_partner",
            PanelId::ReferralOutcome => "referral_outcome",
            PanelId::DeclineReason => "decline_reason",
            PanelId::FollowUps => "follow_ups",
        }
    }

    /// What the panel counts.
    pub fn unit(&self) -> Unit {
        match self {
            PanelId::CaseStatus | PanelId::TimeToClosure => Unit::Cases,
            PanelId::ServiceType | PanelId::ServiceStatus => Unit::Services,
            PanelId::ReferralPartner | PanelId::ReferralOutcome | PanelId::DeclineReason => {
                Unit::Referrals
            }
            PanelId::FollowUps => Unit::FollowUps,
            _ => Unit::People,
        }
    }

    /// Whether its rows add up to its total (one row per person or thing).
    pub fn adds_up(&self) -> bool {
        !matches!(self, PanelId::ExploitationType | PanelId::MeansOfControl)
    }

    /// Whether its rows are whatever values occur (countries, partners) rather than a fixed list.
    fn open_ended(&self) -> bool {
        matches!(
            self,
            PanelId::Citizenship | PanelId::ExploitationCountry | PanelId::ReferralPartner
        )
    }

    /// The code list its keys come from, for the screen's labels.
    pub fn code_list(&self) -> Option<&'static str> {
        match self {
            PanelId::TraffickingStatus => Some("trafficking_status"),
            PanelId::Gender => Some("gender"),
            PanelId::ExploitationType => Some("exploitation_type"),
            PanelId::MeansOfControl => Some("means_of_control"),
            PanelId::Citizenship | PanelId::ExploitationCountry => {
                Some(hearth_records::codes::COUNTRY)
            }
            PanelId::CaseStatus => Some("case_status"),
            PanelId::ServiceType => Some("support_type"),
            PanelId::ServiceStatus => Some("service_status"),
            PanelId::ReferralOutcome => Some("referral_status"),
            PanelId::DeclineReason => Some("referral_decline_reason"),
            _ => None,
        }
    }
}

/// What a panel counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PanelUnit.ts"))]
pub enum Unit {
    /// People (one case each).
    People,
    /// Cases.
    Cases,
    /// Services.
    Services,
    /// Referrals.
    Referrals,
    /// Follow-ups.
    FollowUps,
}

/// One row of a panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PanelRow.ts"))]
pub struct PanelRow {
    /// A code of the panel's list, a month (`YYYY-MM`), a band, a partner's id; [`NOT_RECORDED`]
    /// or [`OTHER`].
    pub key: String,
    /// A name to show for the key where no code list has one (a partner's name).
    pub label: Option<String>,
    /// The count.
    pub count: Count,
}

/// One panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Panel.ts"))]
pub struct Panel {
    /// Which panel.
    pub id: PanelId,
    /// What it counts.
    pub unit: Unit,
    /// Whether its rows add up to the total.
    pub adds_up: bool,
    /// The code list of its keys, if any.
    pub code_list: Option<String>,
    /// Its rows.
    pub rows: Vec<PanelRow>,
    /// How many people, cases, services, referrals or follow-ups it describes.
    pub total: Count,
}

/// A report's panels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Statistics.ts"))]
pub struct Statistics {
    /// The period and site.
    pub scope: Scope,
    /// The k small counts were hidden below (an export), or `None` (exact counts).
    pub k: Option<u32>,
    /// The cases counted.
    pub cases: Count,
    /// Cases in the scope without consent to anonymous statistics: counted on screen, left out
    /// of every export.
    pub without_consent: Count,
    /// The sites the vault holds cases of (for choosing one).
    pub sites: Vec<String>,
    /// The panels.
    pub panels: Vec<Panel>,
}

/// Exact counts of every case in the scope (for the vault's own staff).
pub fn statistics(connection: &Connection, scope: &Scope) -> Result<Statistics, ReportError> {
    let checked = scope.check()?;
    let tallies = tally(connection, &checked, false)?;
    let without_consent = without_consent(connection, &checked)?;
    Ok(Statistics {
        scope: scope.clone(),
        k: None,
        cases: Count::Exact(tallies.cases),
        without_consent: Count::Exact(without_consent),
        sites: sites(connection)?,
        panels: tallies
            .panels
            .into_iter()
            .map(|tally| {
                let rows = tally
                    .rows
                    .into_iter()
                    .map(|(key, count)| PanelRow {
                        label: tally.labels.get(&key).cloned(),
                        key,
                        count: Count::Exact(count),
                    })
                    .collect();
                panel(tally.id, rows, Count::Exact(tally.total))
            })
            .collect(),
    })
}

/// The panels as they may leave the vault: consented cases only, nothing below `k`.
pub fn statistics_for_export(
    connection: &Connection,
    scope: &Scope,
    k: u32,
) -> Result<Statistics, ReportError> {
    let checked = scope.check()?;
    let tallies = tally(connection, &checked, true)?;
    let without_consent = without_consent(connection, &checked)?;
    let hide = |count: u64| {
        if count < u64::from(k) {
            Count::Below(k)
        } else {
            Count::Exact(count)
        }
    };
    let raw: HashMap<PanelId, Vec<(String, u64)>> = tallies
        .panels
        .iter()
        .map(|tally| (tally.id, tally.rows.clone()))
        .collect();
    let mut panels: Vec<Panel> = tallies
        .panels
        .into_iter()
        .map(|mut tally| {
            if tally.id.open_ended() {
                gather_small_rows(&mut tally, k);
            }
            let counts: Vec<u64> = tally.rows.iter().map(|(_, count)| *count).collect();
            let suppressed = if tally.id.adds_up() {
                additive(&counts, k)
            } else {
                primary_only(&counts, tally.total, k)
            };
            let rows = tally
                .rows
                .into_iter()
                .zip(suppressed.counts)
                .map(|((key, _), count)| PanelRow {
                    label: tally.labels.get(&key).cloned(),
                    key,
                    count,
                })
                .collect();
            panel(tally.id, rows, suppressed.total)
        })
        .collect();
    hide_panels_their_parents_give_away(&mut panels, &raw, k);
    Ok(Statistics {
        scope: scope.clone(),
        k: Some(k),
        cases: hide(tallies.cases),
        without_consent: hide(without_consent),
        // Which sites the organisation has is not the statistics' to say.
        sites: Vec::new(),
        panels,
    })
}

/// Panels whose total is the sum of some rows of another panel: the days to closure add up to
/// the closed cases (Closed and ClosedReferred), the decline reasons to the Rejected referrals.
const SUB_PANELS: &[(PanelId, PanelId, &[&str])] = &[
    (
        PanelId::TimeToClosure,
        PanelId::CaseStatus,
        &["Closed", "ClosedReferred"],
    ),
    (
        PanelId::DeclineReason,
        PanelId::ReferralOutcome,
        &["Rejected"],
    ),
];

/// A sub-panel's total would tell the sum of its parent's rows: where one of those rows is
/// hidden, the sub-panel is hidden whole (its rows add up to that total), so that subtracting
/// gives nothing away.
fn hide_panels_their_parents_give_away(
    panels: &mut [Panel],
    raw: &HashMap<PanelId, Vec<(String, u64)>>,
    k: u32,
) {
    for (child, parent, keys) in SUB_PANELS {
        let parent_hides = panels.iter().any(|panel| {
            panel.id == *parent
                && panel.rows.iter().any(|row| {
                    keys.contains(&row.key.as_str()) && !matches!(row.count, Count::Exact(_))
                })
        });
        if !parent_hides {
            continue;
        }
        let hidden = |count: u64| {
            if count < u64::from(k) {
                Count::Below(k)
            } else {
                Count::Withheld
            }
        };
        let counts = raw.get(child).cloned().unwrap_or_default();
        let total = counts.iter().map(|(_, count)| count).sum();
        if let Some(panel) = panels.iter_mut().find(|panel| panel.id == *child) {
            for (row, (_, count)) in panel.rows.iter_mut().zip(counts) {
                row.count = hidden(count);
            }
            panel.total = hidden(total);
        }
    }
}

fn panel(id: PanelId, rows: Vec<PanelRow>, total: Count) -> Panel {
    Panel {
        id,
        unit: id.unit(),
        adds_up: id.adds_up(),
        code_list: id.code_list().map(str::to_owned),
        rows,
        total,
    }
}

/// Rows below k of an open-ended panel become one row, [`OTHER`], after the rest.
fn gather_small_rows(tally: &mut Tally, k: u32) {
    let (small, mut kept): (Vec<_>, Vec<_>) = std::mem::take(&mut tally.rows)
        .into_iter()
        .partition(|(key, count)| *count < u64::from(k) && key != NOT_RECORDED);
    if !small.is_empty() {
        kept.push((OTHER.to_owned(), small.iter().map(|(_, count)| count).sum()));
    }
    tally.rows = kept;
}

/// The CTDC's age bands (ageBroad), which the dashboard uses too.
pub const AGE_BANDS: &[(u32, u32, &str)] = &[
    (0, 8, "0--8"),
    (9, 17, "09--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, u32::MAX, "48+"),
];

/// The band an age falls in.
pub fn age_band(age: i64) -> &'static str {
    let age = u32::try_from(age.max(0)).unwrap_or(0);
    AGE_BANDS
        .iter()
        .find(|(low, high, _)| (*low..=*high).contains(&age))
        .map(|(_, _, band)| *band)
        .unwrap_or("48+")
}

/// Primero's buckets of days from a case's opening to its closure.
pub const CLOSURE_BUCKETS: &[(i64, i64, &str)] = &[
    (i64::MIN, 30, "0-30"),
    (31, 90, "31-90"),
    (91, 180, "91-180"),
    (181, i64::MAX, "181+"),
];

fn closure_bucket(days: i64) -> &'static str {
    CLOSURE_BUCKETS
        .iter()
        .find(|(low, high, _)| (*low..=*high).contains(&days))
        .map(|(_, _, bucket)| *bucket)
        .unwrap_or("181+")
}

/// Raw counts of one panel.
#[derive(Debug)]
struct Tally {
    id: PanelId,
    rows: Vec<(String, u64)>,
    labels: HashMap<String, String>,
    total: u64,
}

#[derive(Debug)]
struct Tallies {
    cases: u64,
    panels: Vec<Tally>,
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

fn tally(
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

fn without_consent(connection: &Connection, scope: &Checked) -> Result<u64, ReportError> {
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

fn sites(connection: &Connection) -> Result<Vec<String>, ReportError> {
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
    fn ages_fall_in_the_ctdc_bands() {
        assert_eq!(age_band(0), "0--8");
        assert_eq!(age_band(8), "0--8");
        assert_eq!(age_band(9), "09--17");
        assert_eq!(age_band(17), "09--17");
        assert_eq!(age_band(18), "18--20");
        assert_eq!(age_band(38), "30--38");
        assert_eq!(age_band(48), "48+");
        assert_eq!(age_band(120), "48+");
    }

    #[test]
    fn closures_fall_in_primeros_buckets() {
        assert_eq!(closure_bucket(0), "0-30");
        assert_eq!(closure_bucket(30), "0-30");
        assert_eq!(closure_bucket(31), "31-90");
        assert_eq!(closure_bucket(180), "91-180");
        assert_eq!(closure_bucket(181), "181+");
    }

    #[test]
    fn months_run_over_the_year_end() {
        assert_eq!(
            months_between(Some("2025-11".into()), Some("2026-02".into())),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(months_between(None, Some("2026-02".into())).is_empty());
    }
}
