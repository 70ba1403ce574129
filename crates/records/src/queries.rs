//! Lists and searches: the case list, a case's history, follow-ups due, the staff to assign.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;
use rusqlite::{params, params_from_iter, OptionalExtension};

use hearth_ids::{Operation, Reach};
use hearth_store::change_log::{changes_of, Change};

use crate::actor::Actor;
use crate::case_access::{granted_reach, may_on_case, require_case};
use crate::case_file::account_names;
use crate::dates::Date;
use crate::fields::{FieldError, FieldProblem};
use crate::model::*;
use crate::projection;
use crate::search::{prefix_upper_bound, query_words};
use crate::{RecordError, RecordId, RecordKind};

/// The most matches a case list counts (see [`CasePage::more_than_total`]).
pub const COUNT_CAP: u64 = 1_000;

/// A page of the cases this person may see, filtered and sorted. With `text`, this is the
/// search: each word must start a word of the person's names, aliases or case number.
pub fn list_cases(
    connection: &Connection,
    actor: &Actor,
    query: &CaseQuery,
) -> Result<CasePage, RecordError> {
    let granted = granted_reach(actor, Operation::ViewCase)?;
    let me = actor.account.as_bytes().to_vec();
    // The plan is chosen here rather than left to SQLite: with 100,000 cases it would walk
    // the whole name index checking each case against the search words. Search drives from
    // the first word's matches, a caseworker's list from their team rows, and only a
    // supervisor's unfiltered list walks `cases`. A supervisor's one-word search by name reads
    // its page from the term rows alone (`search_by_name`).
    let words = query_words(query.text.as_deref().unwrap_or(""));
    if let [spellings] = words.as_slice() {
        if granted == Reach::All && is_name_search_alone(query) {
            if let Some(page) = search_by_name(connection, spellings, query)? {
                return Ok(page);
            }
        }
    }
    let mut from = String::from("cases c");
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<SqlValue> = Vec::new();
    // The cases with a term starting with one of a word's spellings.
    let matching = |spellings: &Vec<String>, values: &mut Vec<SqlValue>| {
        format!(
            "SELECT DISTINCT case_id FROM search_terms WHERE {}",
            term_ranges(spellings, values)
        )
    };
    if let Some((first, others)) = words.split_first() {
        from = format!(
            "({}) hit CROSS JOIN cases c ON c.id = hit.case_id",
            matching(first, &mut values)
        );
        for word in others {
            let subquery = matching(word, &mut values);
            conditions.push(format!("c.id IN ({subquery})"));
        }
        if granted == Reach::OwnOrAssignedCases {
            conditions.push(
                "EXISTS (SELECT 1 FROM case_team mine WHERE mine.case_id = c.id
                         AND mine.account = ?)"
                    .into(),
            );
            values.push(SqlValue::Blob(me));
        }
    } else if granted == Reach::OwnOrAssignedCases {
        from = "case_team mine CROSS JOIN cases c ON c.id = mine.case_id".into();
        conditions.push("mine.account = ?".into());
        values.push(SqlValue::Blob(me));
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        conditions.push("c.status = ?".into());
        values.push(SqlValue::Text(status.to_owned()));
    }
    if let Some(risk) = query.risk_level.as_deref().filter(|s| !s.is_empty()) {
        conditions.push("c.risk_level = ?".into());
        values.push(SqlValue::Text(risk.to_owned()));
    }
    if let Some(person) = query.assigned_to.as_deref().filter(|s| !s.is_empty()) {
        let bytes = hearth_ids::parse_hex16(person)
            .ok_or_else(|| FieldError::new("assigned_to", FieldProblem::UnknownAccount))?;
        conditions.push(
            "EXISTS (SELECT 1 FROM case_team t WHERE t.case_id = c.id AND t.account = ?)".into(),
        );
        values.push(SqlValue::Blob(bytes.to_vec()));
    }
    if query.follow_ups_due {
        conditions.push(
            "EXISTS (SELECT 1 FROM follow_ups f WHERE f.case_id = c.id AND f.done = 0
                     AND f.due_date <= ?)"
                .into(),
        );
        values.push(SqlValue::Text(Date::today().to_string()));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    // Counting every match of a broad filter reads the whole table; a list needs to know
    // only whether there are more than it can sensibly page through.
    let total: i64 = connection.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM {from} {filter} LIMIT {})",
            COUNT_CAP + 1
        ),
        params_from_iter(values.iter()),
        |row| row.get(0),
    )?;
    let total = u64::try_from(total).unwrap_or(0);
    let order = match query.sort {
        CaseSort::Updated => "c.updated_ms DESC, c.number",
        CaseSort::Name => "c.sort_name, c.number",
        CaseSort::Number => "c.number",
        CaseSort::Identified => "c.date_identified DESC, c.number",
    };
    let page_size = page_size_of(query);
    values.push(SqlValue::Integer(i64::from(page_size)));
    values.push(SqlValue::Integer(
        i64::from(query.page) * i64::from(page_size),
    ));
    // The page is chosen first (ids and sort keys only), and only its rows get the owner's
    // name and the next follow-up: SQLite would otherwise work those out for every match.
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}
         FROM (SELECT c.id FROM {from} {filter} ORDER BY {order} LIMIT ? OFFSET ?) page
         CROSS JOIN cases c ON c.id = page.id
         LEFT JOIN accounts a ON a.id = c.owner
         ORDER BY {order}"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let cases = statement
        .query_map(params_from_iter(values.iter()), summary_of)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CasePage {
        cases,
        total: total.min(COUNT_CAP),
        more_than_total: total > COUNT_CAP,
        page: query.page,
        page_size,
    })
}

/// The condition on `search_terms.term` that one of a word's spellings starts it, its values
/// pushed onto `values` in order.
fn term_ranges(spellings: &[String], values: &mut Vec<SqlValue>) -> String {
    let ranges: Vec<&str> = spellings
        .iter()
        .map(|spelling| {
            values.push(SqlValue::Text(spelling.clone()));
            values.push(SqlValue::Text(prefix_upper_bound(spelling)));
            "(term >= ? AND term < ?)"
        })
        .collect();
    ranges.join(" OR ")
}

/// What a list row shows, read with [`summary_of`] from `cases c` joined to the owner's
/// account `a`.
const SUMMARY_COLUMNS: &str = "c.id, c.number, c.given_name, c.family_name, c.status, \
     c.risk_level, c.owner, a.name, c.date_identified, c.updated_ms, \
     (SELECT min(due_date) FROM follow_ups f WHERE f.case_id = c.id AND f.done = 0)";

fn summary_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<CaseSummary> {
    Ok(CaseSummary {
        id: hex::encode(&row.get::<_, Vec<u8>>(0)?),
        number: row.get(1)?,
        given_name: row.get(2)?,
        family_name: row.get(3)?,
        status: row.get(4)?,
        risk_level: row.get(5)?,
        owner: row
            .get::<_, Option<Vec<u8>>>(6)?
            .map(|owner| hex::encode(&owner)),
        owner_name: row.get(7)?,
        date_identified: row.get(8)?,
        updated_ms: u64::try_from(row.get::<_, i64>(9)?).unwrap_or(0),
        next_follow_up: row.get(10)?,
    })
}

/// Cases per page: 1 to 200, 50 when not said.
fn page_size_of(query: &CaseQuery) -> u32 {
    match query.page_size {
        0 => 50,
        size => size.min(200),
    }
}

/// Whether the list asks for nothing but one search, by name: the office's everyday search.
fn is_name_search_alone(query: &CaseQuery) -> bool {
    let unset = |value: &Option<String>| value.as_deref().is_none_or(str::is_empty);
    query.sort == CaseSort::Name
        && unset(&query.status)
        && unset(&query.risk_level)
        && unset(&query.assigned_to)
        && !query.follow_ups_due
}

/// A one-word search sorted by name, for someone who sees every case, chosen from the term rows
/// alone: they are keyed by term and then by their case's sort key (migrations 020 and 021), so
/// the first page is found by merging the rows of each distinct term in the word's ranges in that
/// order, reading only as far as the page needs, without looking up every match's case. A case
/// matching through several terms (a given and a family name that both start with the word) has
/// a row for each, side by side in that order, and counts once. `None` when a page's worth of
/// rows held too few distinct cases to be sure of the page (many aliases alike): the general plan
/// answers then.
fn search_by_name(
    connection: &Connection,
    spellings: &[String],
    query: &CaseQuery,
) -> Result<Option<CasePage>, RecordError> {
    let mut values: Vec<SqlValue> = Vec::new();
    let ranges = term_ranges(spellings, &mut values);
    let total: i64 = connection.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT DISTINCT case_id FROM search_terms WHERE {ranges}
             LIMIT {})",
            COUNT_CAP + 1
        ),
        params_from_iter(values.iter()),
        |row| row.get(0),
    )?;
    let total = u64::try_from(total).unwrap_or(0);
    let page_size = page_size_of(query);
    let wanted = (usize::try_from(query.page).unwrap_or(usize::MAX))
        .saturating_add(1)
        .saturating_mul(page_size as usize);
    let ids = match distinct_terms(connection, spellings)? {
        Some(terms) => merged_case_ids(connection, &terms, wanted)?,
        None => match sorted_case_ids(connection, &ranges, values, wanted)? {
            Some(ids) => ids,
            None => return Ok(None),
        },
    };
    let start = wanted.saturating_sub(page_size as usize).min(ids.len());
    let page: Vec<Vec<u8>> = ids
        .into_iter()
        .skip(start)
        .take(page_size as usize)
        .collect();
    let placeholders = vec!["?"; page.len()].join(", ");
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}
         FROM cases c LEFT JOIN accounts a ON a.id = c.owner
         WHERE c.id IN ({placeholders})
         ORDER BY c.sort_name, c.number, c.id"
    );
    let cases = if page.is_empty() {
        Vec::new()
    } else {
        connection
            .prepare(&sql)?
            .query_map(params_from_iter(page.iter()), summary_of)?
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(Some(CasePage {
        cases,
        total: total.min(COUNT_CAP),
        more_than_total: total > COUNT_CAP,
        page: query.page,
        page_size,
    }))
}

/// The most distinct terms a search merges. Each costs a seek and a first read, so a prefix
/// with more (a letter or two of a common name in a large vault) is sorted instead.
const MERGED_TERMS_MAX: usize = 256;

const FIRST_TERM: &str =
    "SELECT term FROM search_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT 1";
const NEXT_TERM: &str =
    "SELECT term FROM search_terms WHERE term > ?1 AND term < ?2 ORDER BY term LIMIT 1";
/// A term's rows after a sort key, in list order.
const TERM_ROWS_AFTER: &str = "SELECT sort_name, number, case_id FROM search_terms
     WHERE term = ?1 AND (sort_name, number, case_id) > (?2, ?3, ?4)
     ORDER BY sort_name, number, case_id LIMIT ?5";

/// The distinct terms starting with one of the spellings, in order, found one seek each; `None`
/// past [`MERGED_TERMS_MAX`].
fn distinct_terms(
    connection: &Connection,
    spellings: &[String],
) -> Result<Option<Vec<String>>, RecordError> {
    // Two statements rather than one with both lower bounds: SQLite seeks by one bound and would
    // check the other on every row from the spelling's start.
    let mut first = connection.prepare_cached(FIRST_TERM)?;
    let mut next = connection.prepare_cached(NEXT_TERM)?;
    let mut terms: Vec<String> = Vec::new();
    for spelling in spellings {
        let upper = prefix_upper_bound(spelling);
        let mut found = first
            .query_row(params![spelling, upper], |row| row.get::<_, String>(0))
            .optional()?;
        while let Some(term) = found {
            if terms.len() == MERGED_TERMS_MAX {
                return Ok(None);
            }
            found = next
                .query_row(params![term, upper], |row| row.get::<_, String>(0))
                .optional()?;
            terms.push(term);
        }
    }
    // Two spellings of a word (a letter with and without its mark) can share terms.
    terms.sort();
    terms.dedup();
    Ok(Some(terms))
}

/// A term row's place in the list: its case's sort name, number and id.
type SortKey = (String, String, Vec<u8>);

/// The first `wanted` distinct cases of the terms' rows in list order: a merge of each term's
/// rows, read a few at a time from where the term's last read ended.
fn merged_case_ids(
    connection: &Connection,
    terms: &[String],
    wanted: usize,
) -> Result<Vec<Vec<u8>>, RecordError> {
    // The first read of every term is small, since most terms of a merge give the page few
    // rows; a term that keeps giving reads more at a time.
    const FIRST_READ: i64 = 8;
    const LATER_READ: i64 = 64;
    let mut read_after = connection.prepare_cached(TERM_ROWS_AFTER)?;
    let mut read =
        |term: &str, after: &SortKey, limit: i64| -> Result<VecDeque<SortKey>, RecordError> {
            let rows = read_after
                .query_map(params![term, after.0, after.1, after.2, limit], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?
                .collect::<Result<VecDeque<_>, _>>()?;
            Ok(rows)
        };
    let start: SortKey = (String::new(), String::new(), Vec::new());
    let mut buffers: Vec<(VecDeque<SortKey>, bool)> = Vec::with_capacity(terms.len());
    // The smallest unread row of each term, smallest first.
    let mut heads: BinaryHeap<Reverse<(SortKey, usize)>> = BinaryHeap::new();
    for (index, term) in terms.iter().enumerate() {
        let mut rows = read(term, &start, FIRST_READ)?;
        let exhausted = rows.len() < FIRST_READ as usize;
        if let Some(first) = rows.pop_front() {
            heads.push(Reverse((first, index)));
        }
        buffers.push((rows, exhausted));
    }
    let mut ids: Vec<Vec<u8>> = Vec::with_capacity(wanted);
    while ids.len() < wanted {
        let Some(Reverse((key, index))) = heads.pop() else {
            break;
        };
        let (rows, exhausted) = &mut buffers[index];
        if rows.is_empty() && !*exhausted {
            *rows = read(&terms[index], &key, LATER_READ)?;
            *exhausted = rows.len() < LATER_READ as usize;
        }
        if let Some(next) = rows.pop_front() {
            heads.push(Reverse((next, index)));
        }
        if ids.last() != Some(&key.2) {
            ids.push(key.2);
        }
    }
    Ok(ids)
}

/// The first `wanted` distinct cases of the rows in the ranges, by reading every row and keeping
/// the first in SQLite's bounded sorter: for a prefix with too many terms to merge. `None` when
/// the rows read held too few distinct cases to be sure of them.
fn sorted_case_ids(
    connection: &Connection,
    ranges: &str,
    mut values: Vec<SqlValue>,
    wanted: usize,
) -> Result<Option<Vec<Vec<u8>>>, RecordError> {
    // Up to four rows per case before falling back: a case rarely has more terms starting with
    // the same letters.
    let rows_read = wanted.saturating_mul(4);
    values.push(SqlValue::Integer(
        i64::try_from(rows_read).unwrap_or(i64::MAX),
    ));
    let mut statement = connection.prepare_cached(&format!(
        "SELECT case_id FROM search_terms WHERE {ranges}
         ORDER BY sort_name, number, case_id LIMIT ?"
    ))?;
    let mut rows = statement.query(params_from_iter(values.iter()))?;
    let (mut ids, mut read): (Vec<Vec<u8>>, usize) = (Vec::new(), 0);
    while let Some(row) = rows.next()? {
        read += 1;
        let id: Vec<u8> = row.get(0)?;
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    if ids.len() < wanted && read == rows_read {
        return Ok(None);
    }
    Ok(Some(ids))
}

/// Every field-level change to a case and its attached records, oldest first.
pub fn case_history(
    connection: &Connection,
    actor: &Actor,
    case: RecordId,
) -> Result<Vec<HistoryEntry>, RecordError> {
    require_case(connection, actor, Operation::ViewCase, case)?;
    let mut ids: Vec<Vec<u8>> = vec![case.0.to_vec()];
    let mut statement =
        connection.prepare_cached("SELECT id FROM case_children WHERE case_id = ?1")?;
    ids.extend(
        statement
            .query_map([case.0.as_slice()], |row| row.get::<_, Vec<u8>>(0))?
            .collect::<Result<Vec<_>, _>>()?,
    );
    let mut changes = Vec::new();
    for id in &ids {
        let Ok(id) = <[u8; 16]>::try_from(id.as_slice()) else {
            continue;
        };
        changes.extend(changes_of(connection, id)?);
    }
    changes.sort_by_key(Change::precedence);
    let names = account_names(
        connection,
        changes
            .iter()
            .map(|c| c.account.to_hex())
            .collect::<Vec<_>>()
            .iter(),
    )?;
    let mut entries = Vec::new();
    let now_ms = u64::try_from(hearth_ids::now_unix_ms()).unwrap_or(0);
    for change in changes {
        let account = change.account.to_hex();
        let clock_ahead =
            change.hlc.wall_ms > now_ms.saturating_add(hearth_ids::MAX_CLOCK_AHEAD_MS);
        for (field, value) in change.fields {
            entries.push(HistoryEntry {
                at_ms: change.hlc.wall_ms,
                account_name: names.get(&account).cloned(),
                account: account.clone(),
                record_kind: change.entity_kind.clone(),
                record_id: hex::encode(change.entity_id),
                field,
                value: (!value.is_null()).then(|| value.to_string()),
                clock_ahead,
            });
        }
    }
    Ok(entries)
}

/// The open follow-ups assigned to the person signed in, on cases they may see, soonest
/// first.
pub fn my_follow_ups(
    connection: &Connection,
    actor: &Actor,
) -> Result<Vec<FollowUpDue>, RecordError> {
    let account = actor.account;
    let mut statement = connection.prepare_cached(
        "SELECT f.id, f.case_id, c.number, c.given_name, c.family_name, f.due_date
         FROM follow_ups f JOIN cases c ON c.id = f.case_id
         WHERE f.assigned_to = ?1 AND f.done = 0 ORDER BY f.due_date, c.number LIMIT 500",
    )?;
    let rows = statement
        .query_map([account.as_bytes().as_slice()], |row| {
            Ok((
                row.get::<_, Vec<u8>>(0)?,
                row.get::<_, Vec<u8>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let today = Date::today().to_string();
    let mut due = Vec::with_capacity(rows.len());
    for (id, case_id, case_number, given_name, family_name, due_date) in rows {
        let (Ok(id), Ok(case)) = (<[u8; 16]>::try_from(id), <[u8; 16]>::try_from(case_id)) else {
            continue;
        };
        let (id, case) = (RecordId(id), RecordId(case));
        if !may_on_case(connection, actor, Operation::ViewCase, case)? {
            continue;
        }
        let description = projection::load(connection, RecordKind::FollowUp, id)?
            .and_then(|stored| stored.text("description").map(str::to_owned));
        due.push(FollowUpDue {
            id: id.to_string(),
            case_id: case.to_string(),
            case_number,
            given_name,
            family_name,
            overdue: due_date < today,
            due_date,
            description,
        });
    }
    Ok(due)
}

/// The staff who can work on cases (caseworkers and supervisors, active), for choosing an
/// owner or assignee. Names only: no roles or other account details.
pub fn case_staff(connection: &Connection) -> Result<Vec<(String, String)>, RecordError> {
    let mut statement = connection.prepare_cached(
        "SELECT id, name FROM accounts WHERE active = 1 AND role IN ('caseworker', 'supervisor')
         ORDER BY name_key",
    )?;
    let staff = statement
        .query_map([], |row| {
            Ok((hex::encode(&row.get::<_, Vec<u8>>(0)?), row.get(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(staff)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search's merge must cost the same however many cases match: each of its reads is one
    /// seek into the term rows' key, in the key's order, without a sort.
    #[test]
    fn the_merge_reads_seek_into_the_term_rows_key() {
        let mut connection = Connection::open_in_memory().unwrap();
        hearth_store::vault::migrate(&mut connection).unwrap();
        for (sql, seek) in [
            (FIRST_TERM, "(term>? AND term<?)"),
            (NEXT_TERM, "(term>? AND term<?)"),
            (
                TERM_ROWS_AFTER,
                "(term=? AND (sort_name,number,case_id)>(?,?,?))",
            ),
        ] {
            let mut explain = connection
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let unbound = vec![SqlValue::Null; explain.parameter_count()];
            let plan: Vec<String> = explain
                .query_map(params_from_iter(unbound), |row| row.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            // One step, a seek by the key, and no sort (SQLite would name a temporary B-tree).
            assert_eq!(
                plan,
                [format!("SEARCH search_terms USING PRIMARY KEY {seek}")],
                "{sql}"
            );
        }
    }
}
