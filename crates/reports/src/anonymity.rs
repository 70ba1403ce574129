//! k-anonymity over the CTDC export's quasi-identifiers (year, gender, age band, citizenship,
//! country of exploitation): every combination of their values that the file holds is shared by
//! at least k rows.
//!
//! Rows are never dropped silently. Only the rows in a combination held by fewer than k rows are
//! changed, one step at a time, the combinations counted again after each step:
//!
//! 1. citizenship to its UN M49 sub-region; 2. country of exploitation to its sub-region;
//! 3. year to the export's period ("2024--2026"); 4. citizenship blank; 5. country blank;
//! 6. age band blank; 7. gender blank; 8. year blank.
//!
//! Rows still in a small combination after step 8 have every quasi-identifier blank; if there are
//! fewer than k of those, the smallest other combinations are blanked too until there are k. With
//! fewer than k rows in all, none is written, and the manifest says so.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::countries;
use crate::ctdc::{Person, COLUMNS, QUASI_IDENTIFIERS};

/// What anonymisation did, per quasi-identifier column, for the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anonymised {
    /// Values written in a broader form (a region, a period), by column.
    pub generalised: Vec<(String, u64)>,
    /// Values left blank that were known, by column.
    pub suppressed: Vec<(String, u64)>,
    /// Rows not written because fewer than k people were in the export at all.
    pub rows_withheld: u64,
}

/// One step: which column, and what its value becomes.
#[derive(Debug, Clone, Copy)]
enum Step {
    Region(usize),
    Period,
    Blank(usize),
}

const YEAR: usize = 0;
const GENDER: usize = 1;
const AGE: usize = 2;
const CITIZENSHIP: usize = 3;
const COUNTRY: usize = 4;

const STEPS: &[Step] = &[
    Step::Region(CITIZENSHIP),
    Step::Region(COUNTRY),
    Step::Period,
    Step::Blank(CITIZENSHIP),
    Step::Blank(COUNTRY),
    Step::Blank(AGE),
    Step::Blank(GENDER),
    Step::Blank(YEAR),
];

/// The rows, sorted, k-anonymous over the quasi-identifiers; and what was changed.
pub(crate) fn anonymise(
    people: Vec<Person>,
    k: u32,
    period: Option<&str>,
) -> (Vec<Vec<String>>, Anonymised) {
    let k = usize::try_from(k).unwrap_or(usize::MAX);
    if people.len() < k {
        let withheld = u64::try_from(people.len()).unwrap_or(u64::MAX);
        return (
            Vec::new(),
            Anonymised {
                rows_withheld: withheld,
                ..report(&[], &[])
            },
        );
    }
    let original: Vec<Vec<String>> = people.iter().map(|p| p.cells.clone()).collect();
    let mut rows = people;
    for step in STEPS {
        let small = small_rows(&rows, k);
        if small.is_empty() {
            break;
        }
        for index in small {
            apply(&mut rows[index], *step, period);
        }
    }
    fill_the_blank_combination(&mut rows, k);
    let mut cells: Vec<Vec<String>> = rows.into_iter().map(|person| person.cells).collect();
    let anonymised = report(&original, &cells);
    cells.sort();
    (cells, anonymised)
}

fn apply(person: &mut Person, step: Step, period: Option<&str>) {
    match step {
        Step::Region(column) => {
            let code = if column == CITIZENSHIP {
                person.citizenship.as_deref()
            } else {
                person.exploitation_country.as_deref()
            };
            // Only a value still in its most detailed form becomes a region.
            if let Some(region) = code.and_then(|code| {
                (countries::alpha3(code) == Some(person.cells[column].as_str()))
                    .then(|| countries::region(code))
                    .flatten()
            }) {
                person.cells[column] = region.to_owned();
            }
        }
        Step::Period => {
            if let Some(period) = period {
                if !person.cells[YEAR].is_empty() {
                    period.clone_into(&mut person.cells[YEAR]);
                }
            }
        }
        Step::Blank(column) => person.cells[column].clear(),
    }
}

fn key(person: &Person) -> &[String] {
    &person.cells[..QUASI_IDENTIFIERS]
}

/// The rows whose combination is held by fewer than `k` rows.
fn small_rows(rows: &[Person], k: usize) -> Vec<usize> {
    let sizes = sizes(rows);
    (0..rows.len())
        .filter(|index| sizes[key(&rows[*index])] < k)
        .collect()
}

fn sizes(rows: &[Person]) -> HashMap<&[String], usize> {
    let mut sizes: HashMap<&[String], usize> = HashMap::new();
    for person in rows {
        *sizes.entry(key(person)).or_default() += 1;
    }
    sizes
}

/// If some rows have every quasi-identifier blank but fewer than k do, blanks the smallest other
/// combinations (the first, of equals, in sorted order) until k do.
fn fill_the_blank_combination(rows: &mut [Person], k: usize) {
    let blank = vec![String::new(); QUASI_IDENTIFIERS];
    let (mut blank_rows, mut others): (usize, Vec<(usize, Vec<String>)>) = {
        let sizes = sizes(rows);
        let blank_rows = sizes.get(blank.as_slice()).copied().unwrap_or(0);
        let mut others: Vec<(usize, Vec<String>)> = sizes
            .into_iter()
            .filter(|(combination, _)| *combination != blank.as_slice())
            .map(|(combination, size)| (size, combination.to_vec()))
            .collect();
        others.sort();
        (blank_rows, others)
    };
    others.reverse();
    while blank_rows > 0 && blank_rows < k {
        let Some((size, combination)) = others.pop() else {
            break;
        };
        for person in rows.iter_mut().filter(|p| key(p) == combination.as_slice()) {
            for cell in &mut person.cells[..QUASI_IDENTIFIERS] {
                cell.clear();
            }
        }
        blank_rows += size;
    }
}

fn report(original: &[Vec<String>], now: &[Vec<String>]) -> Anonymised {
    let mut generalised = vec![0u64; QUASI_IDENTIFIERS];
    let mut suppressed = vec![0u64; QUASI_IDENTIFIERS];
    for (before, after) in original.iter().zip(now) {
        for column in 0..QUASI_IDENTIFIERS {
            if before[column] == after[column] {
                continue;
            }
            if after[column].is_empty() {
                suppressed[column] += 1;
            } else {
                generalised[column] += 1;
            }
        }
    }
    let named = |counts: Vec<u64>| {
        COLUMNS[..QUASI_IDENTIFIERS]
            .iter()
            .zip(counts)
            .map(|(column, count)| ((*column).to_owned(), count))
            .collect()
    };
    Anonymised {
        generalised: named(generalised),
        suppressed: named(suppressed),
        rows_withheld: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(year: &str, gender: &str, citizenship: &str) -> Person {
        let mut cells = vec![String::new(); COLUMNS.len()];
        cells[YEAR] = year.into();
        cells[GENDER] = gender.into();
        cells[AGE] = "18--20".into();
        cells[CITIZENSHIP] = countries::alpha3(citizenship).unwrap_or("").into();
        cells[COUNTRY] = "ITA".into();
        Person {
            cells,
            citizenship: Some(citizenship.into()),
            exploitation_country: Some("IT".into()),
        }
    }

    fn smallest_combination(rows: &[Vec<String>]) -> usize {
        let mut sizes: HashMap<&[String], usize> = HashMap::new();
        for row in rows {
            *sizes.entry(&row[..QUASI_IDENTIFIERS]).or_default() += 1;
        }
        sizes.values().copied().min().unwrap_or(0)
    }

    #[test]
    fn large_combinations_keep_their_detail() {
        let people: Vec<Person> = (0..12).map(|_| person("2025", "Woman", "AL")).collect();
        let (rows, done) = anonymise(people, 11, Some("2024--2025"));
        assert_eq!(rows.len(), 12);
        assert!(rows.iter().all(|row| row[CITIZENSHIP] == "ALB"));
        assert!(done.generalised.iter().all(|(_, n)| *n == 0));
    }

    #[test]
    fn small_combinations_are_generalised_before_they_are_blanked() {
        // 12 Albanians; 6 Serbians and 5 Montenegrins, who together are 11 from Southern Europe.
        let mut people: Vec<Person> = (0..12).map(|_| person("2025", "Woman", "AL")).collect();
        people.extend((0..6).map(|_| person("2025", "Woman", "RS")));
        people.extend((0..5).map(|_| person("2025", "Woman", "ME")));
        let (rows, done) = anonymise(people, 11, Some("2024--2025"));
        assert_eq!(rows.len(), 23);
        assert_eq!(
            rows.iter()
                .filter(|row| row[CITIZENSHIP] == "Southern Europe")
                .count(),
            11
        );
        assert!(smallest_combination(&rows) >= 11);
        assert_eq!(done.generalised[CITIZENSHIP], ("citizenship".into(), 11));
        // The Albanians' country of exploitation was left alone; the others' too (their
        // combination was large enough once citizenship was a region).
        assert!(rows.iter().all(|row| row[COUNTRY] == "ITA"));
    }

    #[test]
    fn a_few_left_over_with_every_value_blank_take_the_smallest_others_with_them() {
        let mut people: Vec<Person> = (0..11).map(|_| person("2025", "Woman", "AL")).collect();
        people.extend((0..12).map(|_| person("2024", "Man", "DE")));
        people.push(person("2023", "Trans/Transgender/NonConforming", "CN"));
        let (rows, done) = anonymise(people, 11, Some("2023--2025"));
        assert_eq!(rows.len(), 24, "no row dropped");
        assert!(smallest_combination(&rows) >= 11);
        // The one person alone is blank, with the eleven Albanians (the smaller combination).
        let blank = rows
            .iter()
            .filter(|row| row[..QUASI_IDENTIFIERS].iter().all(String::is_empty))
            .count();
        assert_eq!(blank, 12);
        assert_eq!(done.rows_withheld, 0);
    }

    #[test]
    fn fewer_than_k_people_give_no_rows_and_say_so() {
        let people: Vec<Person> = (0..10).map(|_| person("2025", "Woman", "AL")).collect();
        let (rows, done) = anonymise(people, 11, None);
        assert!(rows.is_empty());
        assert_eq!(done.rows_withheld, 10);
    }
}
