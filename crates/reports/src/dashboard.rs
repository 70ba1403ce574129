//! The Statistics screen's panels over a [`Scope`], counted from the facts hearth-records keeps.
//!
//! [`statistics`] counts every case in the scope, exactly, for the vault's own supervisors.
//! [`statistics_for_export`] counts only the cases whose consent to anonymous statistics is Given
//! and hides small counts ([`crate::suppression`]); in the open-ended panels (citizenship,
//! country of exploitation, partner) rows below k are first gathered into one row, `other`, so
//! that a row's mere presence says nothing about a handful of people.
//!
//! One pass per table: the cases in scope, their services, their referrals, their open follow-ups.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::panels::{PanelId, PanelRow, Statistics, NOT_RECORDED, OTHER};
use crate::suppression::{additive, primary_only};
use crate::tally::{sites, tally, without_consent, Tally};
use crate::{Panel, ReportError, Scope};

pub use crate::suppression::Count;

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
