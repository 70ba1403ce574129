//! Case records through hearth-core's public API on real vault folders: field changes and what is
//! derived from them, validation, the access rules, consent enforcement, search, follow-ups, and
//! that nothing typed into a case reaches the disk in the clear.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use hearth_core::access::{self, Denied, KdfChoice, NewVault, Operation, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::duplicates::DuplicateQuery;
use hearth_core::records::{CaseQuery, CaseSort, FieldProblem, RecordError, RecordId, RecordKind};
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";

/// A vault with an admin, a supervisor and two caseworkers, all with the same passphrase.
struct Shelter {
    folder: tempfile::TempDir,
}

impl Shelter {
    fn new() -> Shelter {
        let folder = tempfile::tempdir().unwrap();
        let (mut admin, _recovery_key) = access::create_vault(
            folder.path(),
            NewVault {
                organisation: "Safe Harbour",
                site: "Tirana",
                admin_name: "Mirela",
                admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
                kdf: KdfChoice::Fixed(KdfParams::FLOOR),
            },
        )
        .unwrap();
        for (name, role) in [
            ("Sofija", Role::Supervisor),
            ("Ana", Role::Caseworker),
            ("Besa", Role::Caseworker),
        ] {
            admin
                .add_account(name, role, &Passphrase::new(PASSPHRASE.into()))
                .unwrap();
        }
        Shelter { folder }
    }

    fn path(&self) -> &Path {
        self.folder.path()
    }

    fn session(&self, name: &str) -> Session {
        access::unlock(self.path(), name, &Passphrase::new(PASSPHRASE.into())).unwrap()
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn intake() -> Map<String, Value> {
    object(json!({
        "given_name": "Dragića",
        "family_name": "Petrović",
        "aliases": ["Gica"],
        "gender": "Feminine",
        "birth_date": "2001-03-04",
        "citizenships": ["RS"],
        "trafficking_status": "PossibleVictimOfTrafficking",
        "date_identified": "2026-01-15",
    }))
}

fn id_of(created: &hearth_core::records::CaseCreated) -> RecordId {
    RecordId::parse(&created.id).unwrap()
}

fn count_changes(session: &Session) -> usize {
    // Every write adds changes; the case list's total stands in for "was a case written".
    session
        .list_cases(&CaseQuery::default())
        .map(|page| page.total as usize)
        .unwrap_or(0)
}

fn invalid(result: Result<impl std::fmt::Debug, RecordError>) -> (String, FieldProblem) {
    match result {
        Err(RecordError::Invalid(errors)) => {
            assert_eq!(errors.0.len(), 1, "one field was expected: {errors}");
            let error = errors.0[0].clone();
            (error.field, error.problem)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn every_refused_field_is_named_at_once_and_nothing_is_written() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let mut input = intake();
    input.remove("trafficking_status");
    input.insert("birth_date".into(), json!("1900-01-01"));
    input.insert("date_identified".into(), json!("1800-01-01"));
    input.insert("given_name".into(), json!("x".repeat(500)));
    input.insert("no_such_field".into(), json!(1));
    let refused = match ana.create_case(&input) {
        Err(RecordError::Invalid(errors)) => errors,
        other => panic!("expected field errors, got {other:?}"),
    };
    let mut named: Vec<(String, &str)> = refused
        .0
        .iter()
        .map(|e| (e.field.clone(), e.problem.kind()))
        .collect();
    named.sort();
    assert_eq!(
        named,
        [
            ("birth_date".to_owned(), "older_than_max_age"),
            ("date_identified".to_owned(), "too_early"),
            ("given_name".to_owned(), "too_long"),
            ("no_such_field".to_owned(), "unknown_field"),
            ("trafficking_status".to_owned(), "required"),
        ]
    );
    assert_eq!(count_changes(&ana), 0);
}

#[test]
fn a_new_case_is_numbered_owned_by_its_creator_and_derived_from_its_changes() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let created = ana.create_case(&intake()).unwrap();
    let year = hearth_core::records::dates::Date::today().year();
    assert_eq!(created.number, format!("TIR-{year}-0001"));
    let second = ana.create_case(&intake()).unwrap();
    assert_eq!(second.number, format!("TIR-{year}-0002"));

    let file = ana.open_case(id_of(&created)).unwrap();
    let fields = &file.case.fields;
    assert_eq!(fields.given_name.as_deref(), Some("Dragića"));
    assert_eq!(fields.status.as_deref(), Some("Active"));
    assert_eq!(
        fields.owner.as_deref(),
        Some(ana.account().id.to_hex().as_str())
    );
    assert_eq!(file.people[&ana.account().id.to_hex()], "Ana");
    assert!(!file.is_minor);
    assert!(file.allowed.edit && !file.allowed.close && !file.allowed.reassign);

    let history = ana.case_history(id_of(&created)).unwrap();
    let given = history.iter().find(|e| e.field == "given_name").unwrap();
    assert_eq!(given.value.as_deref(), Some("\"Dragića\""));
    assert_eq!(given.account_name.as_deref(), Some("Ana"));
    assert!(history.iter().all(|e| e.record_kind == "case"));
}

#[test]
fn an_update_changes_only_the_fields_given_and_history_keeps_both_values() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let case = id_of(&ana.create_case(&intake()).unwrap());
    ana.update_case(
        case,
        &object(json!({"family_name": "Petrovic-Ilić", "aliases": null, "risk_level": "High"})),
    )
    .unwrap();
    let fields = ana.open_case(case).unwrap().case.fields;
    assert_eq!(fields.family_name.as_deref(), Some("Petrovic-Ilić"));
    assert_eq!(fields.aliases, None);
    assert_eq!(fields.given_name.as_deref(), Some("Dragića"));
    assert_eq!(fields.risk_level.as_deref(), Some("High"));

    let history = ana.case_history(case).unwrap();
    let family: Vec<_> = history
        .iter()
        .filter(|e| e.field == "family_name")
        .map(|e| e.value.clone().unwrap())
        .collect();
    assert_eq!(family, ["\"Petrović\"", "\"Petrovic-Ilić\""]);
    let aliases: Vec<_> = history.iter().filter(|e| e.field == "aliases").collect();
    assert_eq!(aliases.last().unwrap().value, None);

    // Saving the same values again records nothing new.
    let before = ana.case_history(case).unwrap().len();
    ana.update_case(case, &object(json!({"risk_level": "High"})))
        .unwrap();
    assert_eq!(ana.case_history(case).unwrap().len(), before);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let mut future = intake();
    future.insert("date_identified".into(), json!("2999-01-01"));
    assert_eq!(
        invalid(ana.create_case(&future)),
        ("date_identified".into(), FieldProblem::InTheFuture)
    );
    let mut missing = intake();
    missing.remove("trafficking_status");
    assert_eq!(
        invalid(ana.create_case(&missing)),
        ("trafficking_status".into(), FieldProblem::Required)
    );
    let mut unknown_code = intake();
    unknown_code.insert("gender".into(), json!("female"));
    assert!(matches!(
        invalid(ana.create_case(&unknown_code)),
        (field, FieldProblem::UnknownCode { list: "gender", .. }) if field == "gender"
    ));
    let mut age = intake();
    age.insert("estimated_age".into(), json!(40));
    assert_eq!(
        invalid(ana.create_case(&age)),
        ("estimated_age".into(), FieldProblem::AgeMismatch)
    );
    let mut number = intake();
    number.insert("case_number".into(), json!("TIR-1"));
    assert_eq!(
        invalid(ana.create_case(&number)),
        ("case_number".into(), FieldProblem::NotEditable)
    );
    let mut stray = intake();
    stray.insert("favourite_colour".into(), json!("blue"));
    assert_eq!(
        invalid(ana.create_case(&stray)),
        ("favourite_colour".into(), FieldProblem::UnknownField)
    );
    let mut event = intake();
    event.insert(
        "trafficking_events".into(),
        json!([{"type": "Recruitment", "country": "AL"}, {"type": "Transit", "date": "2026-02-31"}]),
    );
    assert_eq!(
        invalid(ana.create_case(&event)),
        ("trafficking_events.1.date".into(), FieldProblem::NotADate)
    );
    assert_eq!(count_changes(&ana), 0, "a refused case was written");

    // A refused update leaves the case as it was.
    let case = id_of(&ana.create_case(&intake()).unwrap());
    let before = ana.case_history(case).unwrap().len();
    assert_eq!(
        invalid(ana.update_case(
            case,
            &object(json!({"risk_level": "Low", "trafficking_status": null}))
        )),
        ("trafficking_status".into(), FieldProblem::Required)
    );
    assert_eq!(ana.case_history(case).unwrap().len(), before);
    assert_eq!(ana.open_case(case).unwrap().case.fields.risk_level, None);
}

#[test]
fn caseworkers_reach_only_their_cases_and_supervisors_decide_closing_and_reassigning() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let mut besa = shelter.session("Besa");
    let mut sofija = shelter.session("Sofija");
    let mut mirela = shelter.session("Mirela");
    let case = id_of(&ana.create_case(&intake()).unwrap());

    // Another caseworker can neither open, change, see in lists nor find it.
    assert!(matches!(besa.open_case(case), Err(RecordError::NotOnTeam)));
    assert!(matches!(
        besa.update_case(case, &object(json!({"risk_level": "Low"}))),
        Err(RecordError::NotOnTeam)
    ));
    assert!(matches!(
        besa.case_history(case),
        Err(RecordError::NotOnTeam)
    ));
    assert_eq!(besa.list_cases(&CaseQuery::default()).unwrap().total, 0);
    let search = CaseQuery {
        text: Some("dragica".into()),
        ..CaseQuery::default()
    };
    assert_eq!(besa.list_cases(&search).unwrap().total, 0);
    assert_eq!(sofija.list_cases(&search).unwrap().total, 1);

    // Supervisors and admins see it; admins do not change case records.
    assert!(sofija.open_case(case).is_ok());
    assert!(mirela.open_case(case).is_ok());
    assert!(matches!(
        mirela.update_case(case, &object(json!({"risk_level": "Low"}))),
        Err(RecordError::Denied(Denied {
            operation: Operation::EditCase,
            ..
        }))
    ));
    assert!(matches!(
        mirela.create_case(&intake()),
        Err(RecordError::Denied(_))
    ));

    // Only supervisors close, reopen and reassign.
    assert!(matches!(
        ana.close_case(case, "Closed", "Returned home"),
        Err(RecordError::Denied(Denied {
            operation: Operation::CloseCase,
            ..
        }))
    ));
    let besa_id = besa.account().id.to_hex();
    assert!(matches!(
        ana.update_case(case, &object(json!({"assigned": [besa_id]}))),
        Err(RecordError::Denied(Denied {
            operation: Operation::ReassignCase,
            ..
        }))
    ));
    assert!(matches!(
        ana.update_case(case, &object(json!({"status": "FollowUp"}))),
        Ok(())
    ));
    assert_eq!(
        invalid(sofija.update_case(case, &object(json!({"status": "Closed"})))),
        ("closure_reason".into(), FieldProblem::Required)
    );
    sofija
        .close_case(case, "ClosedReferred", "Referred to the return programme")
        .unwrap();
    let closed = sofija.open_case(case).unwrap();
    assert_eq!(closed.case.fields.status.as_deref(), Some("ClosedReferred"));
    assert!(closed.allowed.reopen && !closed.allowed.close);
    sofija.reopen_case(case).unwrap();
    let reopened = sofija.open_case(case).unwrap().case.fields;
    assert_eq!(reopened.status.as_deref(), Some("Active"));
    assert_eq!(reopened.closure_reason, None);

    sofija
        .update_case(case, &object(json!({"assigned": [besa_id]})))
        .unwrap();
    assert!(besa.open_case(case).is_ok());
    assert_eq!(besa.list_cases(&CaseQuery::default()).unwrap().total, 1);
    let mine = CaseQuery {
        assigned_to: Some(besa_id),
        ..CaseQuery::default()
    };
    assert_eq!(sofija.list_cases(&mine).unwrap().total, 1);
}

#[test]
fn a_referral_needs_consent_to_that_partner_or_a_supervisors_written_override() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let mut sofija = shelter.session("Sofija");
    let legal_aid = sofija
        .add_partner(&object(
            json!({"name": "Legal Aid Network", "type": "LegalService"}),
        ))
        .unwrap()
        .to_string();
    let clinic = sofija
        .add_partner(&object(
            json!({"name": "Dom zdravlja", "type": "HealthServiceOrganisation"}),
        ))
        .unwrap()
        .to_string();
    assert!(matches!(
        ana.add_partner(&object(json!({"name": "X", "type": "NGO"}))),
        Err(RecordError::Denied(_))
    ));
    let case = id_of(&ana.create_case(&intake()).unwrap());
    let referral = |partner: &str| {
        object(
            json!({"direction": "Outgoing", "partner": partner, "date": "2026-02-01",
                      "status": "InProgress", "reason": "AdditionalServicesRequired"}),
        )
    };
    let consent = |partner: &str, decision: &str, date: &str| {
        object(
            json!({"purpose": "ReferralToPartner", "partner": partner, "decision": decision,
                      "date": date, "method": "Signed"}),
        )
    };

    assert!(matches!(
        ana.add_record(RecordKind::Referral, case, &referral(&legal_aid)),
        Err(RecordError::ConsentRequired)
    ));
    ana.add_record(
        RecordKind::Consent,
        case,
        &consent(&clinic, "Given", "2026-01-20"),
    )
    .unwrap();
    assert!(
        matches!(
            ana.add_record(RecordKind::Referral, case, &referral(&legal_aid)),
            Err(RecordError::ConsentRequired)
        ),
        "consent to another partner does not count"
    );
    ana.add_record(
        RecordKind::Consent,
        case,
        &consent(&legal_aid, "Given", "2026-01-20"),
    )
    .unwrap();
    ana.add_record(RecordKind::Referral, case, &referral(&legal_aid))
        .unwrap();

    // Withdrawn later: a new referral there is refused again; the history keeps both decisions.
    ana.add_record(
        RecordKind::Consent,
        case,
        &consent(&legal_aid, "Withdrawn", "2026-01-25"),
    )
    .unwrap();
    assert!(matches!(
        ana.add_record(RecordKind::Referral, case, &referral(&legal_aid)),
        Err(RecordError::ConsentRequired)
    ));
    let file = ana.open_case(case).unwrap();
    assert_eq!(file.consents.len(), 3);
    let in_force: Vec<_> = file
        .current_consents
        .iter()
        .filter(|c| c.fields.partner.as_deref() == Some(legal_aid.as_str()))
        .collect();
    assert_eq!(in_force.len(), 1);
    assert_eq!(in_force[0].fields.decision.as_deref(), Some("Withdrawn"));
    let consent_id = RecordId::parse(&file.consents[0].id).unwrap();
    assert!(matches!(
        ana.update_record(
            RecordKind::Consent,
            consent_id,
            &object(json!({"decision": "Given"}))
        ),
        Err(RecordError::ConsentIsHistory)
    ));
    assert_eq!(
        invalid(ana.add_record(
            RecordKind::Consent,
            case,
            &object(
                json!({"purpose": "Services", "partner": legal_aid, "decision": "Given",
                           "date": "2026-01-20", "method": "Verbal"})
            )
        )),
        ("partner".into(), FieldProblem::PartnerForReferralOnly)
    );

    // The override: a caseworker may not give one; a supervisor may, with a reason.
    let mut overridden = referral(&legal_aid);
    overridden.insert(
        "consent_override_reason".into(),
        json!("Immediate danger: legal protection order needed tonight"),
    );
    assert!(matches!(
        ana.add_record(RecordKind::Referral, case, &overridden),
        Err(RecordError::Denied(Denied {
            operation: Operation::OverrideReferralConsent,
            ..
        }))
    ));
    sofija
        .add_record(RecordKind::Referral, case, &overridden)
        .unwrap();
    assert_eq!(sofija.open_case(case).unwrap().referrals.len(), 2);
}

#[test]
fn search_finds_names_aliases_and_numbers_by_prefix_without_diacritics() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let dragica = ana.create_case(&intake()).unwrap();
    let mut arber = intake();
    arber.insert("given_name".into(), json!("Arbër"));
    arber.insert("family_name".into(), json!("Çela"));
    arber.insert("aliases".into(), json!(["Beni"]));
    ana.create_case(&arber).unwrap();
    let mut nameless = intake();
    nameless.remove("given_name");
    nameless.remove("family_name");
    nameless.remove("aliases");
    ana.create_case(&nameless).unwrap();

    let find = |text: &str| -> Vec<String> {
        let page = ana
            .list_cases(&CaseQuery {
                text: Some(text.into()),
                sort: CaseSort::Number,
                ..CaseQuery::default()
            })
            .unwrap();
        page.cases
            .into_iter()
            .map(|c| c.given_name.unwrap_or_default())
            .collect()
    };
    assert_eq!(find("Dragica"), ["Dragića"]);
    assert_eq!(find("DRAG"), ["Dragića"]);
    assert_eq!(find("arber"), ["Arbër"]);
    assert_eq!(find("cela arb"), ["Arbër"]);
    assert_eq!(find("gica"), ["Dragića"], "aliases are searched");
    assert_eq!(find("petrovic"), ["Dragića"]);
    assert_eq!(find("Драгица"), ["Dragića"]);
    assert!(find("ragica").is_empty(), "only prefixes match");
    assert!(find("dragica cela").is_empty(), "every word must match");
    assert_eq!(find(&dragica.number), ["Dragića"]);
    assert_eq!(find("tir").len(), 3, "the site prefix of every number");
    // Typed with combining marks (NFD), as some keyboards and input methods send them.
    assert_eq!(find("Dragic\u{301}a"), ["Dragića"]);
    assert_eq!(find("C\u{327}ela Arbe\u{308}r"), ["Arbër"]);
    assert_eq!(
        find("\u{ff24}\u{ff52}\u{ff41}\u{ff47}"),
        ["Dragića"],
        "full-width letters"
    );
}

/// A supervisor's one-word search by name is read from the term rows alone (each carries its
/// case's sort key, migration 020); any other list goes through the cases. Both must give the
/// same pages, counts and order, past the count's cap, and keep them when a name changes.
#[test]
fn a_search_by_name_reads_the_same_pages_from_the_terms_as_through_the_cases() {
    let shelter = Shelter::new();
    let mut sofija = shelter.session("Sofija");
    let mut generator = DemoGenerator::new(5);
    let drafts: Vec<_> = (0..1_100)
        .map(|_| {
            let mut draft = generator.case(&[], false);
            // All Active (the default), so that a status filter keeps every match.
            draft.case.remove("status");
            draft
        })
        .collect();
    let made = sofija.create_cases(&drafts).unwrap();
    // One person whose given name, family name and alias all start with the same letters.
    let mut hana = intake();
    hana.insert("given_name".into(), json!("Hana"));
    hana.insert("family_name".into(), json!("Hanaj"));
    hana.insert("aliases".into(), json!(["Hanka"]));
    let hana = sofija.create_case(&hana).unwrap();
    // 300 given names starting "zz": more distinct terms than a search merges (it sorts them
    // instead), and 26 of them for "zzb", which it merges.
    let many_terms: Vec<_> = (0..300u16)
        .map(|i| {
            let letter = |n: u16| char::from(b'a' + u8::try_from(n).unwrap());
            let mut draft = generator.case(&[], false);
            draft.case.remove("status");
            let name = format!("Zz{}{}", letter(i / 26), letter(i % 26));
            draft.case.insert("given_name".into(), json!(name));
            draft
        })
        .collect();
    sofija.create_cases(&many_terms).unwrap();

    let ids = |page: &hearth_core::records::CasePage| -> Vec<String> {
        page.cases.iter().map(|case| case.id.clone()).collect()
    };
    let pages = |session: &Session, text: &str, page: u32| {
        let by_terms = CaseQuery {
            text: Some(text.into()),
            sort: CaseSort::Name,
            page,
            ..CaseQuery::default()
        };
        // Every case is Active: the same matches, but a filter sends the list through `cases`.
        let through_cases = CaseQuery {
            status: Some("Active".into()),
            ..by_terms.clone()
        };
        (
            session.list_cases(&by_terms).unwrap(),
            session.list_cases(&through_cases).unwrap(),
        )
    };
    let first = drafts[0].case["family_name"].as_str().unwrap().to_owned();
    for text in ["tir", "a", &first[..3], &first, "han", "zz", "zzb", "zzzz"] {
        for page in [0, 1, 7] {
            let (fast, general) = pages(&sofija, text, page);
            assert_eq!(ids(&fast), ids(&general), "{text}, page {page}");
            assert_eq!(
                (fast.total, fast.more_than_total),
                (general.total, general.more_than_total),
                "{text}"
            );
        }
    }
    let (every, _) = pages(&sofija, "tir", 0);
    assert_eq!((every.total, every.more_than_total), (1_000, true));
    assert_eq!(every.cases.len(), 50);
    let (zz, _) = pages(&sofija, "zz", 0);
    assert_eq!((zz.total, zz.cases.len()), (300, 50));
    let (zzb, _) = pages(&sofija, "zzb", 0);
    assert_eq!(zzb.cases.len(), 26);
    let (hanas, _) = pages(&sofija, "han", 0);
    let hana_rows = hanas.cases.iter().filter(|case| case.id == hana.id).count();
    assert_eq!(hana_rows, 1, "matched three times, listed once");

    // A new family name moves the case in every search's order, its old terms gone.
    let renamed = id_of(&made[600]);
    sofija
        .update_case(renamed, &object(json!({"family_name": "Aaberg"})))
        .unwrap();
    let (fast, general) = pages(&sofija, "tir", 0);
    assert_eq!(fast.cases[0].id, renamed.to_string());
    assert_eq!(ids(&fast), ids(&general));
    let (aab, _) = pages(&sofija, "aab", 0);
    assert_eq!(ids(&aab), [renamed.to_string()]);
}

/// The possible duplicates an intake with these names and age would be warned of, by given name.
fn duplicates_of(session: &Session, typed: Value) -> Vec<String> {
    let query: DuplicateQuery = serde_json::from_value(typed).unwrap();
    session
        .possible_duplicates(&query)
        .unwrap()
        .into_iter()
        .map(|case| case.given_name.unwrap_or_default())
        .collect()
}

#[test]
fn an_intake_is_warned_of_the_same_person_however_the_names_are_written() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    // Dragića Petrović, born 2001 (intake()); Lejla Hoxha, estimated 25 when identified in 2026.
    ana.create_case(&intake()).unwrap();
    ana.create_case(&object(json!({
        "given_name": "Lejla",
        "family_name": "Hoxha",
        "estimated_age": 25,
        "trafficking_status": "PossibleVictimOfTrafficking",
        "date_identified": "2026-01-15",
    })))
    .unwrap();
    let dragica = |typed: Value| duplicates_of(&ana, typed);

    // Latin with and without diacritics, Cyrillic, swapped names, an alias.
    assert_eq!(
        dragica(json!({"given_name": "Dragica", "family_name": "Petrovic"})),
        ["Dragića"]
    );
    assert_eq!(
        dragica(json!({"given_name": "Драгица", "family_name": "Петровић"})),
        ["Dragića"]
    );
    assert_eq!(
        dragica(json!({"given_name": "Petrović", "family_name": "Dragića"})),
        ["Dragića"]
    );
    assert_eq!(
        dragica(json!({"given_name": "Gica", "family_name": "PETROVIĆ"})),
        ["Dragića"]
    );
    // A year or two apart in age is the same person; five years is not.
    assert_eq!(
        dragica(
            json!({"given_name": "Dragica", "family_name": "Petrovic", "birth_date": "2003-01-01"})
        ),
        ["Dragića"]
    );
    assert!(dragica(
        json!({"given_name": "Dragica", "family_name": "Petrovic", "birth_date": "2006-01-01"})
    )
    .is_empty());
    // The estimated age stands for a birth year (2026 - 25 = 2001) on both sides.
    let lejla_born = i64::from(hearth_core::records::dates::Date::today().year()) - 2001;
    assert_eq!(
        dragica(
            json!({"given_name": "Lejla", "family_name": "Hoxha", "estimated_age": lejla_born})
        ),
        ["Lejla"]
    );
    assert!(dragica(
        json!({"given_name": "Lejla", "family_name": "Hoxha", "birth_date": "1990-05-05"})
    )
    .is_empty());
    // One name in common of two typed is not enough; one name alone needs an age that fits.
    assert!(dragica(json!({"given_name": "Dragica", "family_name": "Hoxha"})).is_empty());
    assert!(dragica(json!({"given_name": "Lejla"})).is_empty());
    assert_eq!(
        dragica(json!({"given_name": "Lejla", "birth_date": "2000-02-02"})),
        ["Lejla"]
    );
    assert!(dragica(json!({"given_name": "  "})).is_empty());
}

#[test]
fn the_duplicate_check_looks_only_at_cases_the_person_may_see() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    ana.create_case(&intake()).unwrap();
    drop(ana);
    let typed = json!({"given_name": "Dragica", "family_name": "Petrovic"});
    assert!(
        duplicates_of(&shelter.session("Besa"), typed.clone()).is_empty(),
        "Ana's case"
    );
    assert_eq!(
        duplicates_of(&shelter.session("Sofija"), typed),
        ["Dragića"]
    );
}

#[test]
fn a_supervisor_merges_two_cases_of_one_person_keeping_both_histories() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let first = id_of(&ana.create_case(&intake()).unwrap());
    let mut again = intake();
    again.insert("given_name".into(), json!("Драгица"));
    again.insert("birth_date".into(), json!("2002-06-01"));
    let second = id_of(&ana.create_case(&again).unwrap());
    assert!(matches!(
        ana.merge_cases(first, second),
        Err(RecordError::Denied(_))
    ));
    drop(ana);

    let mut sofija = shelter.session("Sofija");
    let found: Vec<String> = sofija
        .case_duplicates(first)
        .unwrap()
        .into_iter()
        .map(|case| case.id)
        .collect();
    assert_eq!(
        found,
        [second.to_string()],
        "each is the other's possible duplicate"
    );
    assert!(matches!(
        sofija.merge_cases(first, first),
        Err(RecordError::NotMergeable(_))
    ));
    sofija.merge_cases(first, second).unwrap();

    let merged = sofija.open_case(second).unwrap();
    assert_eq!(merged.case.fields.status.as_deref(), Some("Merged"));
    assert_eq!(merged.case.fields.merged_into, Some(first.to_string()));
    let kept = sofija.open_case(first).unwrap();
    assert_eq!(kept.case.fields.merged_from, Some(vec![second.to_string()]));
    // Both histories stay; the merged case takes no more changes; it is no one's duplicate now.
    assert!(!sofija.case_history(second).unwrap().is_empty());
    assert!(matches!(
        sofija.update_case(second, &object(json!({"risk_level": "High"}))),
        Err(RecordError::CaseMerged)
    ));
    assert!(sofija.case_duplicates(first).unwrap().is_empty());
    assert!(matches!(
        sofija.merge_cases(first, second),
        Err(RecordError::NotMergeable(_))
    ));
    let merges = |outcome| {
        sofija
            .audit_entries(&hearth_core::audit::AuditQuery {
                action: Some(hearth_core::audit::Action::MergeCases),
                outcome: Some(outcome),
                ..Default::default()
            })
            .unwrap()
            .total
    };
    use hearth_core::audit::Outcome;
    assert_eq!(merges(Outcome::Ok), 2, "the merge is in both cases' audit");
    assert_eq!(merges(Outcome::Denied), 1, "and the caseworker's attempt");
}

#[test]
fn two_cases_marked_as_different_people_are_not_offered_as_duplicates_again() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let first = id_of(&ana.create_case(&intake()).unwrap());
    let second = id_of(&ana.create_case(&intake()).unwrap());
    drop(ana);
    let mut sofija = shelter.session("Sofija");
    assert_eq!(sofija.case_duplicates(second).unwrap().len(), 1);
    sofija.mark_different(first, second).unwrap();
    assert!(sofija.case_duplicates(first).unwrap().is_empty());
    assert!(sofija.case_duplicates(second).unwrap().is_empty());
    let kept = sofija.open_case(first).unwrap();
    assert_eq!(
        kept.case.fields.different_from,
        Some(vec![second.to_string()])
    );
    // At intake they are still both offered: a new person may be either.
    assert_eq!(
        duplicates_of(
            &sofija,
            json!({"given_name": "Dragica", "family_name": "Petrovic"})
        )
        .len(),
        2
    );
}

#[test]
fn lists_filter_sort_and_page() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    for (given, risk) in [("Vesna", "High"), ("Ana", "Low"), ("Milica", "High")] {
        let mut case = intake();
        case.insert("given_name".into(), json!(given));
        case.insert("family_name".into(), json!("Ilić"));
        case.insert("risk_level".into(), json!(risk));
        ana.create_case(&case).unwrap();
    }
    let page = |query: CaseQuery| -> (u64, Vec<String>) {
        let page = ana.list_cases(&query).unwrap();
        (
            page.total,
            page.cases
                .into_iter()
                .map(|c| c.given_name.unwrap())
                .collect(),
        )
    };
    assert_eq!(
        page(CaseQuery {
            sort: CaseSort::Name,
            ..CaseQuery::default()
        }),
        (3, vec!["Ana".into(), "Milica".into(), "Vesna".into()])
    );
    assert_eq!(
        page(CaseQuery {
            risk_level: Some("High".into()),
            sort: CaseSort::Name,
            page_size: 1,
            page: 1,
            ..CaseQuery::default()
        }),
        (2, vec!["Vesna".into()])
    );
    assert_eq!(
        page(CaseQuery {
            status: Some("Closed".into()),
            ..CaseQuery::default()
        })
        .0,
        0
    );
}

#[test]
fn follow_ups_due_are_listed_for_the_person_who_does_them() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let case = id_of(&ana.create_case(&intake()).unwrap());
    let today = hearth_core::records::dates::Date::today().to_string();
    let follow_up = ana
        .add_record(
            RecordKind::FollowUp,
            case,
            &object(json!({"due_date": "2026-01-01", "description": "Call the legal aid office"})),
        )
        .unwrap();
    ana.add_record(
        RecordKind::FollowUp,
        case,
        &object(json!({"due_date": "2999-01-01", "description": "Review the support plan"})),
    )
    .unwrap();
    let due = ana.my_follow_ups().unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!(
        due[0].description.as_deref(),
        Some("Call the legal aid office")
    );
    assert_eq!(due[0].overdue, due[0].due_date < today);
    assert!(!due[1].overdue);
    let due_filter = CaseQuery {
        follow_ups_due: true,
        ..CaseQuery::default()
    };
    assert_eq!(ana.list_cases(&due_filter).unwrap().total, 1);
    assert!(shelter.session("Besa").my_follow_ups().unwrap().is_empty());

    ana.update_record(
        RecordKind::FollowUp,
        follow_up,
        &object(json!({"done": true})),
    )
    .unwrap();
    assert_eq!(ana.my_follow_ups().unwrap().len(), 1);
    assert_eq!(ana.list_cases(&due_filter).unwrap().total, 0);
    let history = ana.case_history(case).unwrap();
    assert!(history
        .iter()
        .any(|e| e.record_kind == "follow_up" && e.field == "done"));
}

#[test]
fn a_minor_is_flagged_from_the_birth_date_or_the_estimated_age() {
    let shelter = Shelter::new();
    let mut ana = shelter.session("Ana");
    let mut child = intake();
    child.remove("birth_date");
    child.insert("estimated_age".into(), json!(15));
    let case = id_of(&ana.create_case(&child).unwrap());
    let file = ana.open_case(case).unwrap();
    assert_eq!(file.age, Some(15));
    assert!(file.is_minor);
    ana.update_case(
        case,
        &object(json!({"guardian": "Municipal guardianship office"})),
    )
    .unwrap();
}

#[test]
fn generated_demo_cases_are_all_valid_and_use_every_code_list() {
    let shelter = Shelter::new();
    let mut sofija = shelter.session("Sofija");
    let mut generator = DemoGenerator::new(7);
    let partners: Vec<String> = (0..4)
        .map(|i| {
            sofija
                .add_partner(&generator.partner(i))
                .unwrap()
                .to_string()
        })
        .collect();
    let drafts: Vec<_> = (0..300).map(|_| generator.case(&partners, true)).collect();
    let created = sofija.create_cases(&drafts).unwrap();
    assert_eq!(created.len(), 300);
    let mut numbers: Vec<_> = created.iter().map(|c| c.number.clone()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 300, "one case number per case");

    // Every code list that a case field or attached record uses appears in the demo data.
    let all: String = drafts
        .iter()
        .map(|d| {
            serde_json::to_string(&(&d.case, d.children.iter().map(|c| &c.1).collect::<Vec<_>>()))
                .unwrap()
        })
        .collect();
    for list in [
        "gender",
        "trafficking_status",
        "status_decided_by",
        "relation_to_recruiter",
        "recruitment_method",
        "means_of_control",
        "exploitation_type",
        "labour_industry",
        "sexual_exploitation_type",
        "vulnerability",
        "referral_reason",
        "trafficking_event_type",
        "support_type",
        "organisation_type",
        "risk_level",
        "consent_purpose",
        "consent_decision",
        "consent_method",
        "service_status",
        "referral_status",
        "identity_document_type",
        "document_custody",
    ] {
        let used = hearth_core::records::codes::codes_of(list)
            .iter()
            .any(|code| all.contains(&format!("\"{code}\"")));
        assert!(used, "no demo case uses the list {list}");
    }
}

/// Canary strings typed into every kind of case field must never appear in the vault's files or
/// in temporary files, in plain or folded (search-index) form.
#[test]
fn case_contents_never_reach_the_disk_in_the_clear() {
    let shelter = Shelter::new();
    let canary = format!("Kanarinë{:08x}", std::process::id());
    let folded = canary.to_lowercase().replace('ë', "e");
    {
        let mut ana = shelter.session("Ana");
        let mut case = intake();
        case.insert("given_name".into(), json!(canary));
        case.insert("aliases".into(), json!([format!("{canary}alias")]));
        case.insert(
            "best_interests_notes".into(),
            json!(format!("{canary} notes")),
        );
        let id = id_of(&ana.create_case(&case).unwrap());
        ana.add_record(
            RecordKind::Note,
            id,
            &object(json!({"text": format!("{canary} said in the interview")})),
        )
        .unwrap();
        let found = ana
            .list_cases(&CaseQuery {
                text: Some(canary.clone()),
                ..CaseQuery::default()
            })
            .unwrap();
        assert_eq!(found.total, 1, "the canary case is searchable");
        // Files are checked while the session is still open (WAL and -shm present) ...
        assert_absent(shelter.path(), &[&canary, &folded]);
        // ... and so is every other file this process holds open: SQLite's temporary files are
        // unlinked as soon as they are made, so only their descriptors can show them.
        assert_no_open_file_holds(shelter.path(), &[&canary, &folded]);
    }
    // ... and after locking.
    assert_absent(shelter.path(), &[&canary, &folded]);
}

/// The contents of every regular file the process has open outside `vault`, deleted ones
/// included (read through /proc/self/fd). Bounded to this process's own files, unlike a walk of
/// the temp folder, which also reads every other test's.
fn open_files_outside(vault: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let vault = vault.canonicalize().unwrap();
    let mut files = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
        let Ok(target) = std::fs::read_link(entry.path()) else {
            continue;
        };
        if !target.is_absolute() || target.starts_with(&vault) || target.starts_with("/dev") {
            continue; // sockets, pipes and the vault's own files (checked on their own)
        }
        if let Ok(bytes) = std::fs::read(entry.path()) {
            files.push((target, bytes));
        }
    }
    files
}

fn assert_no_open_file_holds(vault: &Path, needles: &[&str]) {
    // The scan must see an unlinked temporary file, as SQLite's are, or it proves nothing.
    let mut probe = tempfile::tempfile().unwrap();
    std::io::Write::write_all(&mut probe, b"open-file-probe").unwrap();
    let files = open_files_outside(vault);
    assert!(
        files
            .iter()
            .any(|(_, bytes)| contains(bytes, b"open-file-probe")),
        "the scan did not see an unlinked temporary file"
    );
    for (target, bytes) in files {
        for needle in needles {
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{} holds {needle}",
                target.display()
            );
        }
    }
}

fn files_under(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn assert_absent(folder: &Path, needles: &[&str]) {
    let files = files_under(folder);
    assert!(
        files.iter().any(|f| f.ends_with("vault.db")),
        "no database in {files:?}"
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in needles {
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{} holds {needle}",
                file.display()
            );
        }
    }
}

/// README's field reference is the one the field tables generate.
#[test]
fn readme_documents_every_field_as_the_core_checks_it() {
    let readme = include_str!("../../README.md");
    let reference = hearth_core::records::fields::reference_markdown();
    assert!(
        readme.contains(&reference),
        "README's field reference is out of date: paste the output of \
         `cargo run -p hearth-core --example field_reference` between its field-reference markers"
    );
}
