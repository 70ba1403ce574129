//! CTDC-style anonymised records: one row per consented person in the Counter Trafficking Data
//! Collaborative's public columns, mapped from the HTCDS fields Hearth stores (README, "CTDC
//! export", says field by field where the mapping loses detail), then made k-anonymous over the
//! quasi-identifiers by [`crate::anonymity`].

use rusqlite::Connection;

use hearth_records::dates::Date;

use crate::anonymity::{self, Anonymised};
use crate::countries;
use crate::panels::age_band;
use crate::scope::Checked;
use crate::{ReportError, Scope};

/// The columns, in the CTDC's order.
pub const COLUMNS: &[&str] = &[
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "sectorOfLabourAgriculture",
    "sectorOfLabourConstruction",
    "sectorOfLabourDomesticWork",
    "sectorOfLabourHospitality",
    "sectorOfSexProstitution",
    "sectorOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
];

/// How many leading columns are the quasi-identifiers (year, gender, age, citizenship, country
/// of exploitation): the columns k-anonymity is over.
pub const QUASI_IDENTIFIERS: usize = 5;

/// The CTDC's gender values.
pub const GENDERS: &[&str] = &["Man", "Woman", "Trans/Transgender/NonConforming"];
/// The CTDC's traffickMonths values.
pub const TRAFFICK_MONTHS: &[&str] = &["0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)"];

/// Each flag column and the HTCDS codes (of `means_of_control`, `exploitation_types`,
/// `labour_industry`, `sexual_exploitation_types`, `relation_to_recruiter`) that set it.
const FLAGS: &[(&str, Source, &[&str])] = &[
    (
        "meansDebtBondageEarnings",
        Source::Means,
        &["DebtBondage", "TakesEarnings", "RestrictsFinancialAccess"],
    ),
    (
        "meansThreats",
        Source::Means,
        &[
            "PhysicalThreats",
            "ThreatsLawEnforcement",
            "ThreatensChildrenFamily",
        ],
    ),
    (
        "meansAbusePsyPhySex",
        Source::Means,
        &["PhysicalAbuse", "SexualAbuse", "PsychologicalAbuse"],
    ),
    ("meansFalsePromises", Source::Means, &["FalsePromises"]),
    (
        "meansDrugsAlcohol",
        Source::Means,
        &["PsychoactiveSubstance"],
    ),
    (
        "meansDenyBasicNeeds",
        Source::Means,
        &["WithholdsNecessities", "RestrictsMedicalCare"],
    ),
    (
        "meansExcessiveWorkHours",
        Source::Means,
        &["ExcessiveWorkingHours"],
    ),
    ("meansWithholdDocs", Source::Means, &["WithholdsDocuments"]),
    (
        "isForcedLabour",
        Source::Exploitation,
        &["ForcedLabour", "ChildLabour"],
    ),
    (
        "isSexualExploit",
        Source::Exploitation,
        &["SexualExploitation"],
    ),
    (
        "isOtherExploit",
        Source::Exploitation,
        &[
            "ForcedMarriage",
            "Servitude",
            "ForcedMilitaryByNonStateActors",
            "OrganRemoval",
            "ForcedBegging",
            "ForcedAdoption",
            "Surrogacy",
            "Other",
        ],
    ),
    (
        "sectorOfLabourAgriculture",
        Source::Industry,
        &["A_AgricultureForestryAndFishing"],
    ),
    (
        "sectorOfLabourConstruction",
        Source::Industry,
        &["F_Construction"],
    ),
    (
        "sectorOfLabourDomesticWork",
        Source::Industry,
        &["T_ActivitiesOfHouseholdsAsEmployers"],
    ),
    (
        "sectorOfLabourHospitality",
        Source::Industry,
        &["I_AccommodationAndFoodServiceActivities"],
    ),
    ("sectorOfSexProstitution", Source::Sexual, &["Prostitution"]),
    ("sectorOfSexPornography", Source::Sexual, &["Pornography"]),
    // HTCDS records no intimate partner: the column is always blank.
    ("recruiterRelationIntimatePartner", Source::Relation, &[]),
    ("recruiterRelationFriend", Source::Relation, &["Acquainted"]),
    ("recruiterRelationFamily", Source::Relation, &["Familial"]),
    ("recruiterRelationOther", Source::Relation, &["Unaquainted"]),
];

#[derive(Debug, Clone, Copy)]
enum Source {
    Means,
    Exploitation,
    Industry,
    Sexual,
    Relation,
}

/// The CTDC's gender for an HTCDS gender (blank: not specified or unknown).
pub fn gender(htcds: &str) -> &'static str {
    match htcds {
        "Feminine" => "Woman",
        "Masculine" => "Man",
        "TransgenderFeminine" | "TransgenderMasculine" | "NonConforming" => GENDERS[2],
        _ => "",
    }
}

/// The CTDC's traffickMonths for a number of months.
pub fn traffick_months(months: i64) -> &'static str {
    match months {
        ..=12 => TRAFFICK_MONTHS[0],
        13..=24 => TRAFFICK_MONTHS[1],
        _ => TRAFFICK_MONTHS[2],
    }
}

/// One person's row before anonymisation, with the two-letter codes the generalisation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    /// Every column's value, in [`COLUMNS`]' order.
    pub cells: Vec<String>,
    /// The citizenship and country of exploitation as Hearth stores them (alpha-2).
    pub citizenship: Option<String>,
    pub exploitation_country: Option<String>,
}

/// The anonymised export: rows, and what was done to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtdcExport {
    /// Each row's cells, in [`COLUMNS`]' order, sorted.
    pub rows: Vec<Vec<String>>,
    /// What anonymisation changed.
    pub anonymised: Anonymised,
    /// Consented cases in the scope (the rows, unless fewer than k: then no rows at all).
    pub cases: u64,
    /// Cases in the scope left out: no consent to anonymous statistics.
    pub left_out: u64,
}

/// The CTDC rows of every consented case in `scope`, k-anonymous over the quasi-identifiers.
/// The period's years are what a year is generalised to.
pub fn export(connection: &Connection, scope: &Scope, k: u32) -> Result<CtdcExport, ReportError> {
    let checked = scope.check()?;
    let people = people(connection, &checked)?;
    let cases = u64::try_from(people.len()).unwrap_or(u64::MAX);
    let years = period_years(&checked, &people);
    let (rows, anonymised) = anonymity::anonymise(people, k, years.as_deref());
    Ok(CtdcExport {
        rows,
        anonymised,
        cases,
        left_out: crate::tally::without_consent(connection, &checked)?,
    })
}

/// The CSV file: the header and the rows.
pub fn csv(export: &CtdcExport) -> Result<Vec<u8>, ReportError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for row in &export.rows {
        writer.write_record(row)?;
    }
    writer
        .into_inner()
        .map_err(|error| ReportError::Export(error.to_string()))
}

/// The form a year takes when generalised: the period's first and last years ("2024--2026"), or
/// `None` when the period is one year (a year cannot be generalised further than itself).
fn period_years(scope: &Checked, people: &[Person]) -> Option<String> {
    let years = people
        .iter()
        .filter_map(|person| person.cells[0].parse::<i32>().ok());
    let first = scope.from.map(|day| day.year()).or(years.clone().min())?;
    let last = scope.to.map(|day| day.year()).or(years.max())?;
    (first < last).then(|| format!("{first}--{last}"))
}

fn people(connection: &Connection, scope: &Checked) -> Result<Vec<Person>, ReportError> {
    let condition = Checked::condition(true);
    let mut statement = connection.prepare(&format!(
        "SELECT coalesce(c.identified, c.opened), c.gender, c.age, c.citizenship,
                c.exploitation_country, c.trafficked_months, c.means_of_control,
                c.exploitation_types, c.labour_industry, c.sexual_exploitation_types,
                c.relation_to_recruiter
         FROM case_facts c WHERE {condition}"
    ))?;
    let mut rows = statement.query(rusqlite::params_from_iter(scope.parameters().iter()))?;
    let mut people = Vec::new();
    while let Some(row) = rows.next()? {
        let day: String = row.get(0)?;
        let year = Date::parse(&day)
            .map(|day| day.year().to_string())
            .unwrap_or_default();
        let gender_code: Option<String> = row.get(1)?;
        let age: Option<i64> = row.get(2)?;
        let citizenship: Option<String> = row.get(3)?;
        let country: Option<String> = row.get(4)?;
        let months: Option<i64> = row.get(5)?;
        let sources: [String; 5] = [
            row.get::<_, String>(6)?,
            row.get::<_, String>(7)?,
            row.get::<_, Option<String>>(8)?.unwrap_or_default(),
            row.get::<_, String>(9)?,
            row.get::<_, Option<String>>(10)?.unwrap_or_default(),
        ];
        let alpha3 = |code: &Option<String>| {
            code.as_deref()
                .and_then(countries::alpha3)
                .unwrap_or("")
                .to_owned()
        };
        let mut cells = vec![
            year,
            gender(gender_code.as_deref().unwrap_or("")).to_owned(),
            age.map(age_band).unwrap_or("").to_owned(),
            alpha3(&citizenship),
            alpha3(&country),
            months.map(traffick_months).unwrap_or("").to_owned(),
        ];
        for (_, source, codes) in FLAGS {
            let held = &sources[*source as usize];
            let set = held.split(' ').any(|code| codes.contains(&code));
            cells.push(if set { "1" } else { "" }.to_owned());
        }
        people.push(Person {
            cells,
            citizenship,
            exploitation_country: country,
        });
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_fill_the_columns_after_the_first_six_in_order() {
        let flags: Vec<&str> = FLAGS.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(flags, COLUMNS[6..]);
    }

    #[test]
    fn every_htcds_code_a_flag_names_exists() {
        for (name, source, codes) in FLAGS {
            let list = match source {
                Source::Means => "means_of_control",
                Source::Exploitation => "exploitation_type",
                Source::Industry => "labour_industry",
                Source::Sexual => "sexual_exploitation_type",
                Source::Relation => "relation_to_recruiter",
            };
            for code in *codes {
                assert!(
                    hearth_records::codes::is_code_in(list, code),
                    "{name}: {code}"
                );
            }
        }
    }

    #[test]
    fn genders_and_durations_take_the_ctdc_forms() {
        assert_eq!(gender("Feminine"), "Woman");
        assert_eq!(gender("Masculine"), "Man");
        assert_eq!(gender("NonConforming"), GENDERS[2]);
        assert_eq!(gender("NonSpecifiedUnknown"), "");
        assert_eq!(traffick_months(0), "0--12 (0-1 yr)");
        assert_eq!(traffick_months(12), "0--12 (0-1 yr)");
        assert_eq!(traffick_months(13), "13--24 (1-2 yrs)");
        assert_eq!(traffick_months(25), "25+ (2+ yrs)");
    }
}
