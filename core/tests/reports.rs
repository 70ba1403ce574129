//! Statistics and standard exports, checked from the files they write: the CTDC file's header and
//! value forms, an independent count of its quasi-identifier combinations, an independent attempt
//! to work out every hidden count of the statistics from the totals, byte-for-byte equality with
//! and without the cases that gave no consent, the office's counts against each site's own, and
//! the HTCDS export opened with Go `age`.
#![allow(clippy::unwrap_used)]

#[path = "support/go_age.rs"]
mod go_age;
#[path = "support/organisation.rs"]
mod organisation;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use hearth_core::access::{Role, Session};
use hearth_core::audit::{Action, AuditQuery};
use hearth_core::crypto::Passphrase;
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseDraft, RecordKind};
use hearth_core::reports::{
    ctdc, stage_report_files, Count, HtcdsProtection, ReportError, Scope, Shape, StagedReport,
    Statistics,
};
use hearth_ids::ErrorKind;
use organisation::{export, new_vault, object, organisation, sharing_consent, supervisor};
use serde_json::json;

const K: usize = 11;

/// `count` invented cases; every `unconsented`-th one without consent to anonymous statistics
/// (0: all consented). Half of them have a service. The same seed gives the same cases.
fn drafts(seed: u64, count: usize, unconsented: usize) -> Vec<CaseDraft> {
    let mut generator = DemoGenerator::new(seed);
    (0..count)
        .map(|index| {
            let mut draft = generator.case(&[], false);
            let decision = if unconsented > 0 && index % unconsented == 0 {
                "Refused"
            } else {
                "Given"
            };
            draft
                .children
                .push((RecordKind::Consent, statistics_consent(decision)));
            draft
                .children
                .push((RecordKind::Consent, sharing_consent("Given")));
            if index % 2 == 0 {
                let kind = ["Health", "Legal", "SocialCare"][index % 3];
                draft.children.push((
                    RecordKind::Service,
                    object(json!({"type": kind, "status": "Ongoing"})),
                ));
            }
            draft
        })
        .collect()
}

fn statistics_consent(decision: &str) -> serde_json::Map<String, serde_json::Value> {
    object(json!({
        "purpose": "AnonymousStatistics",
        "decision": decision,
        "date": hearth_core::records::dates::Date::today().to_string(),
        "method": "Verbal",
    }))
}

fn create(session: &mut Session, drafts: &[CaseDraft]) {
    for batch in drafts.chunks(500) {
        session.create_cases(batch).unwrap();
    }
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Stages an export's files in a scratch folder of their own (the bytes are what is compared).
fn scratch(files: &hearth_core::reports::ReportFiles) -> std::io::Result<StagedReport> {
    let folder = tempfile::tempdir()?.keep();
    stage_report_files(&folder.join("export.csv"), files, false)
}

fn ctdc_file(session: &mut Session, scope: &Scope) -> Vec<u8> {
    session
        .export_ctdc(scope, "ctdc.csv", scratch)
        .unwrap()
        .data
}

fn statistics_file(session: &mut Session, scope: &Scope) -> Vec<u8> {
    session
        .export_statistics(scope, "statistics.csv", scratch)
        .unwrap()
        .data
}

/// Every day from 2020 to the end of next year: the whole of the generated cases' period.
fn all_years() -> Scope {
    Scope {
        from: Some("2020-01-01".into()),
        to: Some(format!(
            "{}-12-31",
            hearth_core::records::dates::Date::today().year() + 1
        )),
        site: None,
    }
}

/// The CTDC's columns, written out as the issue gives them (not read from the code).
const CTDC_HEADER: &str = "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,\
traffickMonths,meansDebtBondageEarnings,meansThreats,meansAbusePsyPhySex,meansFalsePromises,\
meansDrugsAlcohol,meansDenyBasicNeeds,meansExcessiveWorkHours,meansWithholdDocs,isForcedLabour,\
isSexualExploit,isOtherExploit,sectorOfLabourAgriculture,sectorOfLabourConstruction,\
sectorOfLabourDomesticWork,sectorOfLabourHospitality,sectorOfSexProstitution,\
sectorOfSexPornography,recruiterRelationIntimatePartner,recruiterRelationFriend,\
recruiterRelationFamily,recruiterRelationOther";

fn is_year(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `value` is one of the forms the CTDC column `column` may hold.
fn allowed(column: usize, value: &str, countries: &[&str]) -> bool {
    if value.is_empty() {
        return true;
    }
    match column {
        0 => {
            is_year(value)
                || value
                    .split_once("--")
                    .is_some_and(|(a, b)| is_year(a) && is_year(b))
        }
        1 => ["Man", "Woman", "Trans/Transgender/NonConforming"].contains(&value),
        2 => [
            "0--8", "09--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
        ]
        .contains(&value),
        3 | 4 => countries.contains(&value),
        5 => ["0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)"].contains(&value),
        _ => value == "1",
    }
}

#[test]
fn five_thousand_cases_leave_k_anonymous_and_small_cell_safe() {
    let (folder, _admin) = new_vault("Harbour Network", "Tirana");
    let mut sofija = supervisor(&folder);
    create(&mut sofija, &drafts(5, 4_000, 7));
    // A thousand worked cases: referrals to partners (some declined), follow-ups, services.
    let mut generator = DemoGenerator::new(6);
    let partners: Vec<String> = (0..4)
        .map(|index| {
            sofija
                .add_partner(&generator.partner(index))
                .unwrap()
                .to_string()
        })
        .collect();
    let worked: Vec<CaseDraft> = (0..1_000)
        .map(|index| {
            let mut draft = generator.case(&partners, true);
            if index % 7 == 0 {
                for (kind, fields) in &mut draft.children {
                    if *kind == RecordKind::Consent && fields["purpose"] == "AnonymousStatistics" {
                        fields.insert("decision".into(), json!("Refused"));
                    }
                }
            }
            draft
        })
        .collect();
    create(&mut sofija, &worked);
    // Some cases closed, so that the days to closure have something to count.
    let listed = sofija
        .list_cases(&hearth_core::records::CaseQuery {
            page_size: 200,
            ..hearth_core::records::CaseQuery::default()
        })
        .unwrap();
    for (index, case) in listed.cases.iter().enumerate().take(150) {
        let status = if index % 10 == 0 {
            "ClosedReferred"
        } else {
            "Closed"
        };
        let id = hearth_core::records::RecordId::parse(&case.id).unwrap();
        sofija.close_case(id, status, "Services completed").unwrap();
    }
    let scope = all_years();

    // The CTDC file.
    let file = ctdc_file(&mut sofija, &scope);
    let (header, rows) = read_csv(&file);
    assert_eq!(header.join(","), CTDC_HEADER);
    let countries: Vec<&str> = hearth_reports_forms();
    for row in &rows {
        assert_eq!(row.len(), header.len());
        for (column, value) in row.iter().enumerate() {
            assert!(
                allowed(column, value, &countries),
                "{} holds {value:?}",
                header[column]
            );
        }
    }
    // One row per consented case: every seventh refused.
    let refused =
        (0..4_000).filter(|i| i % 7 == 0).count() + (0..1_000).filter(|i| i % 7 == 0).count();
    assert_eq!(rows.len(), 5_000 - refused);
    // k-anonymity, counted here from the file alone.
    let mut combinations: HashMap<&[String], usize> = HashMap::new();
    for row in &rows {
        *combinations.entry(&row[..5]).or_default() += 1;
    }
    let smallest = combinations.values().min().copied().unwrap();
    assert!(smallest >= K, "a combination of {smallest} rows");
    // The demo's countries of exploitation are spread over 250 countries: anonymisation had work.
    assert!(combinations.len() > 1);
    assert!(
        rows.iter().any(|row| row[4].contains(' ')),
        "no region used"
    );

    // The statistics file: no count below k shown, and no hidden count recoverable.
    let file = statistics_file(&mut sofija, &scope);
    check_small_cells(&file);
}

/// The forms a CTDC country column may take: alpha-3 codes and UN M49 sub-regions.
fn hearth_reports_forms() -> Vec<&'static str> {
    hearth_reports::countries::every_form().collect()
}

/// Reads the statistics export and checks, from the file alone, that no count below k shows and
/// that in each panel whose rows add up to its total, no hidden count has only one possible value.
fn check_small_cells(file: &[u8]) {
    let (header, rows) = read_csv(file);
    assert_eq!(header, ["panel", "unit", "key", "label", "count"]);
    let mut panels: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut totals: BTreeMap<String, String> = BTreeMap::new();
    for row in rows {
        if row[2] == "total" {
            totals.insert(row[0].clone(), row[4].clone());
        } else {
            panels
                .entry(row[0].clone())
                .or_default()
                .push((row[2].clone(), row[4].clone()));
        }
    }
    assert!(panels.len() >= 15, "{panels:?}");
    let is_shown = |cell: &str| cell.parse::<usize>().is_ok();
    let mut hidden_somewhere = false;
    for (panel, cells) in &panels {
        for cell in cells.iter().map(|(_, c)| c).chain(totals.get(panel)) {
            if let Ok(count) = cell.parse::<usize>() {
                assert!(count >= K, "{panel} shows {count}");
            } else {
                assert!(cell == "<11" || cell == "withheld", "{panel}: {cell}");
                hidden_somewhere = true;
            }
        }
        if ["exploitation_type", "means_of_control"].contains(&panel.as_str()) {
            continue;
        }
        let Ok(total) = totals[panel].parse::<usize>() else {
            // The total is hidden: every count under it must be too (they add up to it).
            assert!(cells.iter().all(|(_, cell)| !is_shown(cell)), "{panel}");
            continue;
        };
        assert_nothing_pinned(panel, cells.iter().map(|(_, c)| c.as_str()), total);
    }
    // A panel whose total is the sum of rows of another: where one of those rows is hidden, the
    // total would give it away, so it must be hidden too.
    for (child, parent, keys) in [
        (
            "time_to_closure",
            "case_status",
            &["Closed", "ClosedReferred"][..],
        ),
        ("decline_reason", "referral_outcome", &["Rejected"][..]),
    ] {
        let parent_hidden = panels[parent]
            .iter()
            .any(|(key, cell)| keys.contains(&key.as_str()) && !is_shown(cell));
        if parent_hidden {
            assert!(
                !is_shown(&totals[child]),
                "{child}'s total gives away {parent}'s rows"
            );
        } else if let Ok(total) = totals[child].parse::<usize>() {
            let sum: usize = panels[parent]
                .iter()
                .filter(|(key, _)| keys.contains(&key.as_str()))
                .map(|(_, cell)| cell.parse::<usize>().unwrap())
                .sum();
            assert_eq!(total, sum, "{child} and {parent} disagree");
        }
    }
    assert!(
        hidden_somewhere,
        "nothing was small enough to hide: the test shows nothing"
    );
    let closed = &panels["case_status"];
    assert!(closed.iter().any(|(key, _)| key == "Closed"));
}

/// No hidden count of a panel whose rows add up to `total` has only one possible value, given
/// that a "<11" is 0 to 10 and a "withheld" 11 or more.
fn assert_nothing_pinned<'a>(panel: &str, cells: impl Iterator<Item = &'a str>, total: usize) {
    let cells: Vec<&str> = cells.collect();
    let shown: usize = cells
        .iter()
        .filter_map(|cell| cell.parse::<usize>().ok())
        .sum();
    let rest = total - shown;
    let bounds: Vec<(usize, usize)> = cells
        .iter()
        .filter(|cell| cell.parse::<usize>().is_err())
        .map(|cell| {
            if *cell == "<11" {
                (0, K - 1)
            } else {
                (K, total)
            }
        })
        .collect();
    for (index, (low, high)) in bounds.iter().enumerate() {
        let others = bounds.iter().enumerate().filter(|(i, _)| *i != index);
        let others_low: usize = others.clone().map(|(_, b)| b.0).sum();
        let others_high: usize = others.map(|(_, b)| b.1).sum();
        let least = (*low).max(rest.saturating_sub(others_high));
        let most = (*high).min(rest.saturating_sub(others_low));
        assert!(least < most, "{panel}: a hidden count can only be {least}");
    }
}

#[test]
fn cases_without_consent_change_no_byte_of_any_export() {
    let consented = drafts(21, 400, 0);
    let mut with_refusals = Vec::new();
    let mut refused = drafts(22, 150, 1);
    // Interleaved, so that the refused cases are made between the others.
    for (index, draft) in consented.iter().enumerate() {
        with_refusals.push(draft.clone());
        if index % 3 == 0 {
            if let Some(draft) = refused.pop() {
                with_refusals.push(draft);
            }
        }
    }
    let mut files = Vec::new();
    for cases in [&consented, &with_refusals] {
        let (folder, _admin) = new_vault("Harbour Network", "Tirana");
        let mut sofija = supervisor(&folder);
        create(&mut sofija, cases);
        let scope = all_years();
        let statistics = sofija.statistics(&scope).unwrap();
        files.push((
            ctdc_file(&mut sofija, &scope),
            statistics_file(&mut sofija, &scope),
            statistics.without_consent,
        ));
    }
    assert_eq!(files[0].2, Count::Exact(0));
    assert_eq!(files[1].2, Count::Exact(134));
    assert!(files[0].0 == files[1].0, "the CTDC file differs");
    assert!(files[0].1 == files[1].1, "the statistics file differs");
    assert!(read_csv(&files[0].0).1.len() == 400);
}

/// Counts by (panel, row key).
type Counts = BTreeMap<(String, String), u64>;

/// Every panel's rows, as key → exact count, without zeros.
fn counts(statistics: &Statistics) -> Counts {
    let mut counts = BTreeMap::new();
    for panel in &statistics.panels {
        for row in &panel.rows {
            let Count::Exact(count) = row.count else {
                panic!("a count on screen is not exact")
            };
            if count > 0 {
                counts.insert((panel.id.as_str().to_owned(), row.key.clone()), count);
            }
        }
    }
    counts
}

#[test]
fn the_offices_statistics_over_three_sites_are_the_sum_of_each_sites_own() {
    let mut laptops = organisation();
    let mut generator_seed = 40;
    let mut expected = Counts::new();
    let mut own: Vec<(String, Counts)> = Vec::new();
    for laptop in &laptops {
        let mut sofija = supervisor(&laptop.folder);
        generator_seed += 1;
        create(&mut sofija, &drafts(generator_seed, 60, 5));
        let mut admin = hearth_core::access::unlock(
            laptop.folder.path(),
            "Admin",
            &Passphrase::new(organisation::PASSPHRASE.into()),
        )
        .unwrap();
        let site = admin.status().unwrap().site;
        let counts = counts(&admin.statistics(&Scope::everything()).unwrap());
        for (key, count) in &counts {
            *expected.entry(key.clone()).or_default() += count;
        }
        own.push((site, counts));
    }
    // The first laptop is the office here: it imports the other two.
    for index in 1..laptops.len() {
        let (bundle, _) = export(&laptops[index].admin, true);
        laptops[0].admin.import_bundle(&bundle).unwrap();
    }
    let mut office = supervisor(&laptops[0].folder);
    let all = office.statistics(&Scope::everything()).unwrap();
    assert_eq!(all.sites.len(), 3, "{:?}", all.sites);
    assert_eq!(counts(&all), expected);
    for (site, counts_there) in &own {
        let scope = Scope {
            site: Some(site.clone()),
            ..Scope::everything()
        };
        assert_eq!(
            &counts(&office.statistics(&scope).unwrap()),
            counts_there,
            "{site}"
        );
    }
}

fn run(command: &mut Command) {
    let status = command.status().unwrap();
    assert!(status.success(), "{command:?}");
}

#[test]
fn htcds_exports_only_shared_cases_encrypted_for_supervisors_and_every_export_is_audited() {
    let (folder, mut admin) = new_vault("Harbour Network", "Tirana");
    admin
        .add_account(
            "Ana",
            Role::Caseworker,
            &Passphrase::new(organisation::PASSPHRASE.into()),
        )
        .unwrap();
    let mut sofija = supervisor(&folder);
    let mut cases = drafts(3, 12, 0);
    cases[0]
        .case
        .insert("family_name".into(), json!("SHAREDCANARY"));
    cases[1]
        .case
        .insert("family_name".into(), json!("UNSHAREDCANARY"));
    cases[1]
        .children
        .retain(|(_, child)| child["purpose"] != "SharingWithinOrganisation");
    cases[1]
        .children
        .push((RecordKind::Consent, sharing_consent("Refused")));
    create(&mut sofija, &cases);

    // Who may do what.
    let mut ana = hearth_core::access::unlock(
        folder.path(),
        "Ana",
        &Passphrase::new(organisation::PASSPHRASE.into()),
    )
    .unwrap();
    let refused = ana.statistics(&Scope::everything()).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Denied);
    let refused = admin
        .export_htcds(Shape::Json, HtcdsProtection::Plain, "x.json", scratch)
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Denied);
    admin.set_statistics_k(15).unwrap();
    assert!(matches!(
        admin.set_statistics_k(12),
        Err(ReportError::ThresholdLowered {
            current: 15,
            asked: 12
        })
    ));
    assert_eq!(
        admin.set_statistics_k(5).unwrap_err().kind(),
        ErrorKind::ThresholdLowered
    );
    assert_eq!(sofija.statistics_k().unwrap(), 15);

    // With a passphrase, opened by Go age.
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("cases.json.age");
    let written = sofija
        .export_htcds(
            Shape::Json,
            HtcdsProtection::Passphrase,
            "cases.json.age",
            |files| stage_report_files(&out, files, false),
        )
        .unwrap();
    assert_eq!(written.manifest.cases_included, "11");
    assert_eq!(written.manifest.cases_left_out_for_consent, "1");
    let passphrase = written.passphrase.unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(!String::from_utf8_lossy(&bytes).contains("SHAREDCANARY"));
    let plain = scratch.path().join("cases.json");
    go_age::decrypt_with_passphrase(&out, &plain, &passphrase);
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&plain).unwrap()).unwrap();
    let text = document.to_string();
    assert!(text.contains("SHAREDCANARY"));
    assert!(!text.contains("UNSHAREDCANARY"));
    assert_eq!(document["cases"].as_array().unwrap().len(), 11);
    let names = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates/referrals/tests/htcds-2.0-field-names.txt"),
    )
    .unwrap();
    for case in document["cases"].as_array().unwrap() {
        for key in case.as_object().unwrap().keys() {
            assert!(
                key.starts_with("hearth_") || names.lines().any(|name| name.trim() == key),
                "{key} is not an HTCDS field"
            );
        }
    }
    // The manifest beside it says what it is, and holds no value of a person's.
    let manifest =
        std::fs::read_to_string(scratch.path().join("cases.json.age.manifest.json")).unwrap();
    assert!(manifest.contains("\"protection\": \"age\""));
    assert!(!manifest.contains("CANARY"));

    // To the office's key, opened with its identity.
    let office = age::x25519::Identity::generate();
    let admin_for_office = admin;
    admin_for_office
        .set_office(&office.to_public().to_string())
        .unwrap();
    let csv_out = scratch.path().join("cases.csv.age");
    let written = sofija
        .export_htcds(
            Shape::Csv,
            HtcdsProtection::Default,
            "cases.csv.age",
            |files| stage_report_files(&csv_out, files, false),
        )
        .unwrap();
    assert!(written.passphrase.is_none() && written.office_fingerprint.is_some());
    let identity = scratch.path().join("office.key");
    std::fs::write(
        &identity,
        format!(
            "{}\n",
            age::secrecy::ExposeSecret::expose_secret(&office.to_string())
        ),
    )
    .unwrap();
    let csv_plain = scratch.path().join("cases.csv");
    run(Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity)
        .arg("-o")
        .arg(&csv_plain)
        .arg(&csv_out));
    let (header, rows) = read_csv(&std::fs::read(&csv_plain).unwrap());
    assert!(header.contains(&"prs_SecondName".to_owned()));
    assert_eq!(rows.len(), 11);

    // Every export audited with what it was, never a value.
    let export_file = scratch.path().join("ctdc.csv");
    sofija
        .export_ctdc(&all_years(), "ctdc.csv", |files| {
            stage_report_files(&export_file, files, false)
        })
        .unwrap();
    // A file of that name exists: refused, and nothing changed.
    assert!(sofija
        .export_ctdc(&all_years(), "ctdc.csv", |files| {
            stage_report_files(&export_file, files, false)
        })
        .is_err());
    let entries = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::ExportStatistics),
            ..AuditQuery::default()
        })
        .unwrap();
    let entries: Vec<_> = entries
        .entries
        .into_iter()
        .filter(|e| e.outcome == hearth_core::audit::Outcome::Ok)
        .collect();
    assert_eq!(entries.len(), 1, "the refused write is not an export");
    assert!(entries[0].fields.contains(&"what=ctdc".to_owned()));
    assert!(entries[0].fields.contains(&"k=15".to_owned()));
    let htcds = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::ExportHtcds),
            ..AuditQuery::default()
        })
        .unwrap();
    let denied = htcds
        .entries
        .iter()
        .filter(|e| e.outcome == hearth_core::audit::Outcome::Denied)
        .count();
    assert_eq!(
        (htcds.entries.len(), denied),
        (3, 1),
        "two exports and the administrator's refusal"
    );
    assert!(htcds
        .entries
        .iter()
        .all(|entry| entry.fields.iter().all(|f| !f.contains("CANARY"))));
    let _ = ctdc::COLUMNS;
}

#[test]
fn a_consent_withdrawn_later_takes_the_case_out_and_an_export_needs_its_period() {
    let (folder, _admin) = new_vault("Harbour Network", "Tirana");
    let mut sofija = supervisor(&folder);
    create(&mut sofija, &drafts(8, 15, 0));
    let before = sofija
        .export_statistics(&all_years(), "s.csv", scratch)
        .unwrap();
    assert_eq!(before.summary.cases_included, "15");
    let listed = sofija
        .list_cases(&hearth_core::records::CaseQuery::default())
        .unwrap();
    let case = hearth_core::records::RecordId::parse(&listed.cases[0].id).unwrap();
    for purpose in ["AnonymousStatistics", "SharingWithinOrganisation"] {
        sofija
            .add_record(
                RecordKind::Consent,
                case,
                &object(
                    json!({"purpose": purpose, "decision": "Withdrawn", "method": "Signed",
                               "date": hearth_core::records::dates::Date::today().to_string()}),
                ),
            )
            .unwrap();
    }
    let after = sofija
        .export_statistics(&all_years(), "s.csv", scratch)
        .unwrap();
    assert_eq!(after.summary.cases_included, "14");
    let statistics = sofija.statistics(&Scope::everything()).unwrap();
    assert_eq!(statistics.without_consent, Count::Exact(1));
    let htcds = sofija
        .export_htcds(Shape::Json, HtcdsProtection::Plain, "h.json", scratch)
        .unwrap();
    assert_eq!(htcds.manifest.cases_included, "14");
    assert_eq!(htcds.manifest.cases_left_out_for_consent, "1");

    // Without both days, the months shown would say when the first and last person came.
    for scope in [
        Scope::everything(),
        Scope {
            to: None,
            ..all_years()
        },
    ] {
        let refused = sofija.export_ctdc(&scope, "c.csv", scratch).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::InvalidInput);
        assert!(sofija.export_statistics(&scope, "s.csv", scratch).is_err());
    }
}

#[test]
fn a_consent_forgotten_with_a_revoked_laptop_no_longer_counts() {
    let laptops = organisation();
    let mut shkoder = supervisor(&laptops[1].folder);
    let mut vlore = supervisor(&laptops[2].folder);
    let mut case = drafts(9, 1, 0).remove(0);
    for (kind, fields) in &mut case.children {
        if *kind == RecordKind::Consent && fields["purpose"] == "AnonymousStatistics" {
            fields.insert("decision".into(), json!("Refused"));
        }
    }
    let created = shkoder.create_cases(&[case]).unwrap();
    let id = hearth_core::records::RecordId::parse(&created[0].id).unwrap();
    let (bundle, _) = export(&shkoder, true);
    vlore.import_bundle(&bundle).unwrap();
    // The laptop that is later lost records a consent the person never gave.
    vlore
        .add_record(RecordKind::Consent, id, &statistics_consent("Given"))
        .unwrap();
    let (bundle, _) = export(&vlore, true);
    shkoder.import_bundle(&bundle).unwrap();
    let without = |session: &mut Session| {
        session
            .statistics(&Scope::everything())
            .unwrap()
            .without_consent
    };
    assert_eq!(without(&mut shkoder), Count::Exact(0));

    let lost = vlore.device_identity().unwrap().device;
    laptops[0].admin.revoke_device(&lost).unwrap();
    let (news, _) = export(&laptops[0].admin, false);
    let heard = shkoder.import_bundle(&news).unwrap();
    assert!(heard.dropped_from_revoked >= 1, "{heard:?}");
    assert_eq!(
        without(&mut shkoder),
        Count::Exact(1),
        "the forgotten consent still counts"
    );
}
