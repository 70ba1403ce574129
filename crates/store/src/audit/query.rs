//! Reading the log: a filtered page of entries for the audit view, and CSV for an export.

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

use super::{Action, AuditEntry, AuditError, Outcome};

/// Which entries to list: every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditQuery.ts"))]
#[serde(default)]
pub struct AuditQuery {
    /// Account id (hex).
    pub account: Option<String>,
    /// Case id (hex): entries about the case and what is attached to it.
    pub case_id: Option<String>,
    /// Action name.
    pub action: Option<Action>,
    /// From this instant on (ms since the Unix epoch). The caller turns days into instants in
    /// the person's time zone: a day in Tirana starts an hour or two before midnight UTC.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub since_ms: Option<i64>,
    /// Before this instant (ms since the Unix epoch; the start of the day after the last one).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub before_ms: Option<i64>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Page number, from 0.
    pub page: u32,
    /// Entries per page (1 to 500; 0 means 100).
    pub page_size: u32,
}

/// One page of the audit view, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AuditPage.ts"))]
pub struct AuditPage {
    /// The entries on this page.
    pub entries: Vec<AuditEntry>,
    /// How many entries match, counted up to 10,000.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// More entries match than `total` says.
    pub more_than_total: bool,
    /// This page's number, from 0.
    pub page: u32,
    /// Entries per page.
    pub page_size: u32,
}

/// The most matches the audit view counts.
const AUDIT_COUNT_CAP: u64 = 10_000;

/// A page of entries, newest first.
pub fn list(connection: &Connection, query: &AuditQuery) -> Result<AuditPage, AuditError> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    if let Some(account) = query.account.as_deref().and_then(hearth_ids::parse_hex16) {
        conditions.push("l.account = ?");
        values.push(SqlValue::Blob(account.to_vec()));
    }
    if let Some(case) = query.case_id.as_deref().filter(|c| !c.is_empty()) {
        conditions.push("l.target_kind = 'case' AND l.target_id = ?");
        values.push(SqlValue::Text(case.trim().to_lowercase()));
    }
    if let Some(action) = query.action {
        conditions.push("l.action = ?");
        values.push(SqlValue::Text(action.as_str().to_owned()));
    }
    if let Some(outcome) = query.outcome {
        conditions.push("l.outcome = ?");
        values.push(SqlValue::Text(outcome.as_str().to_owned()));
    }
    if let Some(since) = query.since_ms {
        conditions.push("l.wall_ms >= ?");
        values.push(SqlValue::Integer(since));
    }
    if let Some(before) = query.before_ms {
        conditions.push("l.wall_ms < ?");
        values.push(SqlValue::Integer(before));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let total: i64 = connection.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log l {filter} LIMIT {})",
            AUDIT_COUNT_CAP + 1
        ),
        params_from_iter(values.iter()),
        |row| row.get(0),
    )?;
    let total = u64::try_from(total).unwrap_or(0);
    let page_size = match query.page_size {
        0 => 100,
        size => size.min(500),
    };
    values.push(SqlValue::Integer(i64::from(page_size)));
    values.push(SqlValue::Integer(
        i64::from(query.page) * i64::from(page_size),
    ));
    let sql = format!(
        "SELECT l.device, l.seq, l.wall_ms, l.hlc_ms, l.hlc_counter, l.account, a.name, l.role,
                l.action, l.target_kind, l.target_id, c.number, l.fields, l.outcome, l.reason
         FROM audit_log l
         LEFT JOIN accounts a ON a.id = l.account
         LEFT JOIN cases c ON l.target_kind = 'case' AND c.id = unhex(l.target_id)
         {filter} ORDER BY l.wall_ms DESC, l.hlc_ms DESC, l.hlc_counter DESC, l.seq DESC
         LIMIT ? OFFSET ?"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let entries = statement
        .query_map(params_from_iter(values.iter()), |row| {
            let number = |index: usize| -> rusqlite::Result<u64> {
                Ok(u64::try_from(row.get::<_, i64>(index)?).unwrap_or(0))
            };
            let action: String = row.get(8)?;
            let outcome: String = row.get(13)?;
            let fields: String = row.get(12)?;
            Ok(AuditEntry {
                device: hex::encode(&row.get::<_, Vec<u8>>(0)?),
                seq: number(1)?,
                wall_ms: number(2)?,
                hlc_ms: number(3)?,
                hlc_counter: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
                account: row.get::<_, Option<Vec<u8>>>(5)?.map(|a| hex::encode(&a)),
                account_name: row.get(6)?,
                role: row.get(7)?,
                action: Action::parse(&action).unwrap_or(Action::Unlock),
                target_kind: row.get(9)?,
                target_id: row.get(10)?,
                case_number: row.get(11)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Failed),
                reason: row.get(14)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AuditPage {
        entries,
        total: total.min(AUDIT_COUNT_CAP),
        more_than_total: total > AUDIT_COUNT_CAP,
        page: query.page,
        page_size,
    })
}

/// The entries as CSV (RFC 4180, with a header row), oldest first.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    fn cell(text: &str) -> String {
        // Quote every cell; double inner quotes. A leading =, +, - or @ would make a spreadsheet
        // run the cell as a formula: prefix it with an apostrophe.
        let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        format!("\"{}\"", safe.replace('"', "\"\""))
    }
    let mut csv = String::from(
        "\"time_utc_ms\",\"device\",\"seq\",\"account\",\"account_name\",\"role\",\"action\",\"target_kind\",\"target_id\",\"case_number\",\"fields\",\"outcome\",\"reason\"\r\n",
    );
    for entry in entries.iter().rev() {
        let row = [
            entry.wall_ms.to_string(),
            entry.device.clone(),
            entry.seq.to_string(),
            entry.account.clone().unwrap_or_default(),
            entry.account_name.clone().unwrap_or_default(),
            entry.role.clone().unwrap_or_default(),
            entry.action.as_str().to_owned(),
            entry.target_kind.clone().unwrap_or_default(),
            entry.target_id.clone().unwrap_or_default(),
            entry.case_number.clone().unwrap_or_default(),
            entry.fields.join(" "),
            entry.outcome.as_str().to_owned(),
            entry.reason.clone().unwrap_or_default(),
        ];
        csv.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
    }
    csv
}

/// The most entries one CSV export holds.
pub const EXPORT_MAX: u32 = 500;
