//! Reading records back from the change log's `entity_state`, and keeping the query tables (`cases`, `case_team`,
//! `search_terms`, `case_children`, `follow_ups`, `partners`, and the statistics' facts in
//! [`facts`](super::facts)) equal to what the log says.
//! [`refresh`] is the only writer of those tables: local edits call it now, and imported changes
//! will call it the same way, so the projections never depend on how a change arrived.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::search::{fold, terms};
use super::{RecordError, RecordId, RecordKind};

/// A record's current fields as stored, with its times.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub fields: Map<String, Value>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

impl Stored {
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }

    /// Into the kind's output struct.
    pub fn into_record<F: serde::de::DeserializeOwned>(
        self,
        id: RecordId,
    ) -> Result<super::Record<F>, RecordError> {
        Ok(super::Record {
            id: id.to_string(),
            fields: serde_json::from_value(Value::Object(self.fields))?,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
        })
    }
}

/// The current fields of a record, or `None` if it has none.
pub(crate) fn load(
    connection: &Connection,
    kind: RecordKind,
    id: RecordId,
) -> Result<Option<Stored>, RecordError> {
    Ok(
        hearth_store::change_log::load_state(connection, kind.as_str(), id.0)?.map(|state| {
            Stored {
                fields: state.values,
                created_ms: state.created_ms,
                updated_ms: state.updated_ms,
            }
        }),
    )
}

fn id_bytes(value: Option<&Value>) -> Option<Vec<u8>> {
    value
        .and_then(Value::as_str)
        .and_then(hearth_ids::parse_hex16)
        .map(|bytes| bytes.to_vec())
}

/// Rewrites the query tables' rows for one record from its current fields.
pub(crate) fn refresh(
    connection: &Connection,
    kind: RecordKind,
    id: RecordId,
) -> Result<(), RecordError> {
    let key = id.0.as_slice();
    let Some(stored) = load(connection, kind, id)? else {
        // The record no longer exists here: every change it had was forgotten (a revoked device's
        // changes after its revocation). Its rows in the query tables go with it; a consent
        // decision that went leaves its case's consent facts to be worked out again.
        if kind == RecordKind::Consent {
            let case: Option<Vec<u8>> = connection
                .prepare_cached("SELECT case_id FROM case_children WHERE id = ?1")?
                .query_row([key], |row| row.get(0))
                .optional()?;
            remove(connection, kind, key)?;
            if let Some(case) = case {
                super::facts::consent_removed(connection, &case)?;
            }
            return Ok(());
        }
        return remove(connection, kind, key);
    };
    match kind {
        RecordKind::Case => refresh_case(connection, id, &stored)?,
        RecordKind::Partner => {
            connection
                .prepare_cached(
                    "INSERT INTO partners (id, sort_name) VALUES (?1, ?2)
                     ON CONFLICT (id) DO UPDATE SET sort_name = excluded.sort_name",
                )?
                .execute(params![key, fold(stored.text("name").unwrap_or(""))])?;
        }
        child => {
            let Some(case_id) = id_bytes(stored.fields.get("case_id")) else {
                return Ok(());
            };
            connection
                .prepare_cached(
                    "INSERT OR IGNORE INTO case_children (case_id, kind, id) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![case_id, child.as_str(), key])?;
            super::facts::refresh_child(connection, child, id, &case_id, &stored)?;
            if child == RecordKind::FollowUp {
                connection
                    .prepare_cached(
                        "INSERT INTO follow_ups (id, case_id, due_date, assigned_to, done)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (id) DO UPDATE SET case_id = excluded.case_id,
                             due_date = excluded.due_date, assigned_to = excluded.assigned_to,
                             done = excluded.done",
                    )?
                    .execute(params![
                        key,
                        case_id,
                        stored.text("due_date").unwrap_or(""),
                        id_bytes(stored.fields.get("assigned_to")),
                        stored
                            .fields
                            .get("done")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    ])?;
            }
        }
    }
    Ok(())
}

fn remove(connection: &Connection, kind: RecordKind, key: &[u8]) -> Result<(), RecordError> {
    if kind == RecordKind::Case {
        // The term rows are keyed by term and sort key (migration 021): the list row says which.
        if let Some((terms, sort_name, number)) = listed_terms(connection, key)? {
            remove_terms(connection, term_list(&terms), &sort_name, &number, key)?;
        }
    }
    let (statements, facts): (&[&str], &[&str]) = match kind {
        RecordKind::Case => (
            &[
                "DELETE FROM case_team WHERE case_id = ?1",
                "DELETE FROM cases WHERE id = ?1",
            ],
            super::facts::REMOVE_CASE,
        ),
        RecordKind::Partner => (&["DELETE FROM partners WHERE id = ?1"], &[]),
        _ => (
            &[
                "DELETE FROM case_children WHERE id = ?1",
                "DELETE FROM follow_ups WHERE id = ?1",
            ],
            super::facts::REMOVE_CHILD,
        ),
    };
    for statement in statements.iter().chain(facts) {
        connection.prepare_cached(statement)?.execute([key])?;
    }
    Ok(())
}

/// The year the case's person was born: the birth date's, or else the year the age was estimated
/// (the day identified's, or the case's creation) less the estimated age. Migration 013 computes
/// the same for cases stored before it.
fn birth_year(stored: &Stored) -> Option<i64> {
    let year_of = |day: &str| day.get(..4).and_then(|year| year.parse::<i64>().ok());
    if let Some(born) = stored.text("birth_date") {
        return year_of(born);
    }
    let age = stored.fields.get("estimated_age").and_then(Value::as_i64)?;
    let estimated_in = stored
        .text("date_identified")
        .and_then(year_of)
        .or_else(|| {
            let created =
                jiff::Timestamp::from_millisecond(i64::try_from(stored.created_ms).unwrap_or(0))
                    .ok()?;
            Some(i64::from(created.to_zoned(jiff::tz::TimeZone::UTC).year()))
        })?;
    Some(estimated_in - age)
}

/// A listed case's terms (space-separated) and sort key, from its list row.
fn listed_terms(
    connection: &Connection,
    key: &[u8],
) -> Result<Option<(String, String, String)>, RecordError> {
    Ok(connection
        .prepare_cached("SELECT terms, sort_name, number FROM cases WHERE id = ?1")?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?)
}

fn term_list(terms: &str) -> impl Iterator<Item = &str> {
    terms.split(' ').filter(|t| !t.is_empty())
}

/// Removes a case's term rows by their full key.
const REMOVE_TERM: &str = "DELETE FROM search_terms
     WHERE term = ?1 AND sort_name = ?2 AND number = ?3 AND case_id = ?4";
/// Adds a case's term rows. OR IGNORE: a row left by an earlier version under the same key is the
/// same row.
const ADD_TERM: &str = "INSERT OR IGNORE INTO search_terms (term, sort_name, number, case_id)
     VALUES (?1, ?2, ?3, ?4)";

fn remove_terms<'a>(
    connection: &Connection,
    terms: impl Iterator<Item = &'a str>,
    sort_name: &str,
    number: &str,
    key: &[u8],
) -> Result<(), RecordError> {
    for_each_term(connection, REMOVE_TERM, terms, sort_name, number, key)
}

fn add_terms<'a>(
    connection: &Connection,
    terms: impl Iterator<Item = &'a str>,
    sort_name: &str,
    number: &str,
    key: &[u8],
) -> Result<(), RecordError> {
    for_each_term(connection, ADD_TERM, terms, sort_name, number, key)
}

/// Runs `sql` once per term, with the case's sort key and id.
fn for_each_term<'a>(
    connection: &Connection,
    sql: &str,
    terms: impl Iterator<Item = &'a str>,
    sort_name: &str,
    number: &str,
    key: &[u8],
) -> Result<(), RecordError> {
    let mut statement = connection.prepare_cached(sql)?;
    for term in terms {
        statement.execute(params![term, sort_name, number, key])?;
    }
    Ok(())
}

fn refresh_case(connection: &Connection, id: RecordId, stored: &Stored) -> Result<(), RecordError> {
    let key = id.0.as_slice();
    let Some(number) = stored.text("case_number") else {
        // Every case is numbered when it is made, so a case without a number is one whose later
        // edits arrived here before its creation did (the creation went in a bundle to another
        // laptop). It stays out of the list and search, where it would show as a case nobody can
        // save (its required fields are missing), until its creation arrives and fills it in.
        return remove(connection, RecordKind::Case, key);
    };
    let given = stored.text("given_name");
    let family = stored.text("family_name");
    let mut new_terms = terms(number);
    for text in [given, family].into_iter().flatten() {
        new_terms.extend(terms(text));
    }
    if let Some(aliases) = stored.fields.get("aliases").and_then(Value::as_array) {
        for alias in aliases.iter().filter_map(Value::as_str) {
            new_terms.extend(terms(alias));
        }
    }
    new_terms.sort();
    new_terms.dedup();

    let sort_name = fold(&format!("{} {}", family.unwrap_or(""), given.unwrap_or("")));
    let sort_name = sort_name.trim();

    // Each term row is keyed by the case's sort key (migrations 020 and 021), so a term row is
    // written when the term is new, and every one again only when the name or number changed.
    let old = listed_terms(connection, key)?;
    match &old {
        Some((terms, old_sort_name, old_number))
            if old_sort_name == sort_name && old_number == number =>
        {
            let old_terms: Vec<&str> = term_list(terms).collect();
            let gone = old_terms
                .iter()
                .copied()
                .filter(|t| !new_terms.iter().any(|n| n == t));
            remove_terms(connection, gone, sort_name, number, key)?;
            let added = new_terms
                .iter()
                .map(String::as_str)
                .filter(|n| !old_terms.contains(n));
            add_terms(connection, added, sort_name, number, key)?;
        }
        _ => {
            if let Some((terms, old_sort_name, old_number)) = &old {
                remove_terms(connection, term_list(terms), old_sort_name, old_number, key)?;
            }
            add_terms(
                connection,
                new_terms.iter().map(String::as_str),
                sort_name,
                number,
                key,
            )?;
        }
    }

    let owner = id_bytes(stored.fields.get("owner"));
    connection
        .prepare_cached(
            "INSERT INTO cases (id, number, status, risk_level, owner, given_name, family_name,
                                sort_name, date_identified, updated_ms, terms, birth_year)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (id) DO UPDATE SET number = excluded.number, status = excluded.status,
                 risk_level = excluded.risk_level, owner = excluded.owner,
                 given_name = excluded.given_name, family_name = excluded.family_name,
                 sort_name = excluded.sort_name, date_identified = excluded.date_identified,
                 updated_ms = excluded.updated_ms, terms = excluded.terms,
                 birth_year = excluded.birth_year",
        )?
        .execute(params![
            key,
            number,
            stored.text("status").unwrap_or("Active"),
            stored.text("risk_level"),
            owner,
            given,
            family,
            sort_name,
            stored.text("date_identified"),
            i64::try_from(stored.updated_ms).unwrap_or(i64::MAX),
            new_terms.join(" "),
            birth_year(stored),
        ])?;

    connection
        .prepare_cached("DELETE FROM case_team WHERE case_id = ?1")?
        .execute([key])?;
    let mut add_member = connection.prepare_cached(
        "INSERT INTO case_team (case_id, account, is_owner) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id, account) DO UPDATE SET is_owner = max(is_owner, excluded.is_owner)",
    )?;
    if let Some(owner) = &owner {
        add_member.execute(params![key, owner, 1])?;
    }
    if let Some(assigned) = stored.fields.get("assigned").and_then(Value::as_array) {
        for member in assigned.iter().filter_map(|v| id_bytes(Some(v))) {
            add_member.execute(params![key, member, 0])?;
        }
    }
    super::facts::refresh_case(connection, id, stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(fields: Value) -> Stored {
        Stored {
            fields: fields.as_object().cloned().unwrap_or_default(),
            // 1 June 2024.
            created_ms: 1_717_200_000_000,
            updated_ms: 1_717_200_000_000,
        }
    }

    /// The same figures as migration 013's test (hearth-store, vault.rs).
    #[test]
    fn the_birth_year_is_the_dates_or_the_estimated_ages() {
        use serde_json::json;
        assert_eq!(
            birth_year(&stored(
                json!({"birth_date": "2001-04-02", "estimated_age": 40})
            )),
            Some(2001)
        );
        assert_eq!(
            birth_year(&stored(
                json!({"estimated_age": 25, "date_identified": "2026-01-15"})
            )),
            Some(2001)
        );
        assert_eq!(
            birth_year(&stored(json!({"estimated_age": 30}))),
            Some(1994)
        );
        assert_eq!(birth_year(&stored(json!({"given_name": "Drita"}))), None);
    }
}
