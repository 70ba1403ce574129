//! Possible duplicates at intake: while a caseworker types a person's names and birth date or
//! age, the cases that may be the same person. For a victim, a second case splits the history
//! that protects them, and duplicate people are the first complaint of field case-management
//! tools.
//!
//! A case is a possible duplicate when it has at least two of the names typed (one, when only one
//! was typed) and its person was born within [`MAX_YEARS_APART`] years of the typed birth year, or
//! either year is unknown. Names are compared as the search compares them ([`crate::search`]):
//! folded (case, accents and other marks), with Serbian Cyrillic in Latin letters and "Đ" as both
//! "D" and "Dj"; and as a bag of words, so given and family names swapped still match. Only cases
//! the person may see are looked at; nothing is recorded (as for a search).

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

use hearth_ids::{Operation, Reach};

use crate::actor::Actor;
use crate::case_access::granted_reach;
use crate::dates::Date;
use crate::search::query_words;
use crate::RecordError;

/// How many years apart two birth years may be for the same person: an estimated age is often a
/// year or two out.
pub const MAX_YEARS_APART: i64 = 2;

/// How many possible duplicates are shown, best first.
pub const SHOWN: usize = 5;

/// The most cases sharing names that are weighed; the best of them are shown.
const WEIGHED: usize = 200;

/// What the intake form holds so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "DuplicateQuery.ts"))]
#[serde(default)]
pub struct DuplicateQuery {
    /// Given name(s), as typed.
    pub given_name: Option<String>,
    /// Family name(s), as typed.
    pub family_name: Option<String>,
    /// Other names the person is known by.
    pub aliases: Vec<String>,
    /// Birth date, `YYYY-MM-DD`, if known.
    pub birth_date: Option<String>,
    /// Estimated age in years, when the birth date is not known.
    pub estimated_age: Option<u32>,
}

/// A case that may be the same person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "PossibleDuplicate.ts")
)]
pub struct PossibleDuplicate {
    /// The case's id.
    pub id: String,
    /// Its case number.
    pub number: String,
    /// Its person's given name.
    pub given_name: Option<String>,
    /// Its person's family name.
    pub family_name: Option<String>,
    /// The year its person was born, exactly or by the estimated age.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub birth_year: Option<i64>,
    /// The case's status code.
    pub status: String,
    /// How many of the names typed the case has.
    pub names_matched: u32,
    /// How many years apart the birth years are, when both are known.
    pub years_apart: Option<u32>,
}

/// The cases this person may see that may be the same person as the one being typed in.
pub fn possible_duplicates(
    connection: &Connection,
    actor: &Actor,
    query: &DuplicateQuery,
) -> Result<Vec<PossibleDuplicate>, RecordError> {
    matching(connection, actor, query, typed_birth_year(query), &[])
}

/// The cases matching `query`'s names and `birth_year`, except those in `excluded` (ids) and
/// those merged into another case.
pub(crate) fn matching(
    connection: &Connection,
    actor: &Actor,
    query: &DuplicateQuery,
    typed_year: Option<i64>,
    excluded: &[String],
) -> Result<Vec<PossibleDuplicate>, RecordError> {
    let granted = granted_reach(actor, Operation::ViewCase)?;
    let words = typed_words(query);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let needed = words.len().min(2);

    let mut values: Vec<SqlValue> = Vec::new();
    let mut rows: Vec<&str> = Vec::new();
    for (index, spellings) in words.iter().enumerate() {
        for spelling in spellings {
            rows.push("(?, ?)");
            values.push(SqlValue::Integer(i64::try_from(index).unwrap_or(0)));
            values.push(SqlValue::Text(spelling.clone()));
        }
    }
    let team = if granted == Reach::OwnOrAssignedCases {
        values.push(SqlValue::Blob(actor.account.as_bytes().to_vec()));
        "JOIN case_team mine ON mine.case_id = s.case_id AND mine.account = ?"
    } else {
        ""
    };
    values.push(SqlValue::Integer(i64::try_from(needed).unwrap_or(2)));
    // Driven from the typed words: each is one lookup in the term index, and only the cases
    // sharing enough of them are read.
    let sql = format!(
        "WITH typed(word, term) AS (VALUES {rows})
         SELECT c.id, c.number, c.given_name, c.family_name, c.birth_year, c.status, m.matched
         FROM (SELECT s.case_id, count(DISTINCT t.word) AS matched
               FROM typed t JOIN search_terms s ON s.term = t.term {team}
               GROUP BY s.case_id HAVING matched >= ?
               ORDER BY matched DESC LIMIT {WEIGHED}) m
         JOIN cases c ON c.id = m.case_id
         WHERE c.status <> '{merged}'",
        merged = crate::merge::MERGED,
        rows = rows.join(", ")
    );
    let mut statement = connection.prepare(&sql)?;
    let mut found: Vec<PossibleDuplicate> = statement
        .query_map(params_from_iter(values.iter()), |row| {
            let birth_year: Option<i64> = row.get(4)?;
            Ok(PossibleDuplicate {
                id: hex::encode(row.get::<_, Vec<u8>>(0)?),
                number: row.get(1)?,
                given_name: row.get(2)?,
                family_name: row.get(3)?,
                birth_year,
                status: row.get(5)?,
                names_matched: u32::try_from(row.get::<_, i64>(6)?).unwrap_or(0),
                years_apart: typed_year.zip(birth_year).map(|(typed, theirs)| {
                    u32::try_from((typed - theirs).abs()).unwrap_or(u32::MAX)
                }),
            })
        })?
        .collect::<Result<_, _>>()?;
    found.retain(|case| {
        if excluded.contains(&case.id) {
            return false;
        }
        let close_in_age = case
            .years_apart
            .is_none_or(|apart| i64::from(apart) <= MAX_YEARS_APART);
        // One name alone (a person known by one name) is too common to go on without an age.
        close_in_age && (words.len() > 1 || case.years_apart.is_some())
    });
    found.sort_by(|a, b| {
        b.names_matched
            .cmp(&a.names_matched)
            .then(
                a.years_apart
                    .unwrap_or(u32::MAX)
                    .cmp(&b.years_apart.unwrap_or(u32::MAX)),
            )
            .then(a.number.cmp(&b.number))
    });
    found.truncate(SHOWN);
    Ok(found)
}

/// Each name word typed, with its spellings, once each. Single letters (an initial) say too
/// little to match on.
fn typed_words(query: &DuplicateQuery) -> Vec<Vec<String>> {
    let texts = [&query.given_name, &query.family_name]
        .into_iter()
        .flatten()
        .chain(query.aliases.iter());
    let mut words: Vec<Vec<String>> = Vec::new();
    for text in texts {
        for spellings in query_words(text) {
            let long_enough = spellings.iter().any(|s| s.chars().count() >= 2);
            if long_enough && !words.iter().any(|known| known.first() == spellings.first()) {
                words.push(spellings);
            }
        }
    }
    words
}

/// The typed birth year: the birth date's, or this year less the estimated age.
fn typed_birth_year(query: &DuplicateQuery) -> Option<i64> {
    if let Some(born) = query.birth_date.as_deref().and_then(Date::parse) {
        return Some(i64::from(born.year()));
    }
    let age = query.estimated_age?;
    Some(i64::from(Date::today().year()) - i64::from(age))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(given: &str, family: &str) -> DuplicateQuery {
        DuplicateQuery {
            given_name: Some(given.into()),
            family_name: Some(family.into()),
            ..DuplicateQuery::default()
        }
    }

    #[test]
    fn names_are_folded_and_counted_once() {
        let words = typed_words(&DuplicateQuery {
            aliases: vec!["LEJLA".into(), "J.".into()],
            ..query("Lejla", "Hoxhë")
        });
        let firsts: Vec<&str> = words.iter().map(|w| w[0].as_str()).collect();
        assert_eq!(firsts, ["lejla", "hoxhe"]);
    }

    #[test]
    fn cyrillic_is_typed_in_latin_letters() {
        let words = typed_words(&query("Драгица", "Ђорђевић"));
        assert_eq!(words[0], ["dragica"]);
        assert!(words[1].contains(&"dordevic".to_owned()), "{words:?}");
        assert!(words[1].contains(&"djordjevic".to_owned()), "{words:?}");
    }

    #[test]
    fn the_birth_year_comes_from_the_date_or_the_age() {
        let born = DuplicateQuery {
            birth_date: Some("2001-04-02".into()),
            estimated_age: Some(40),
            ..DuplicateQuery::default()
        };
        assert_eq!(typed_birth_year(&born), Some(2001));
        let aged = DuplicateQuery {
            estimated_age: Some(25),
            ..DuplicateQuery::default()
        };
        assert_eq!(
            typed_birth_year(&aged),
            Some(i64::from(Date::today().year()) - 25)
        );
        assert_eq!(typed_birth_year(&DuplicateQuery::default()), None);
    }
}
