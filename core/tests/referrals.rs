//! Referral packets between two organisations' vaults, checked with the partner's stock tools:
//! Go `age` decrypts them, `tar` unpacks them, `openssl` and `sha256sum` check the signature,
//! `pdftotext` reads the summary. Consent decides whether a packet may be written at all, and a
//! partner's answer moves the referral only when it is genuine and new.
#![allow(clippy::unwrap_used)]

#[path = "support/go_age.rs"]
mod go_age;

use std::path::Path;
use std::process::Command;

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::audit::{Action, AuditQuery};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::documents::Language;
use hearth_core::records::{RecordError, RecordId, RecordKind, Section};
use hearth_core::referrals::{
    fingerprint, AnswerOutcome, ReferralError, SendRequest, Written, DEFAULT_EXPIRY_DAYS,
};
use hearth_ids::ErrorKind;
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";

/// An organisation's vault with a supervisor (Sofija) and a caseworker (Ana).
struct Organisation {
    folder: tempfile::TempDir,
}

impl Organisation {
    fn new(name: &str, site: &str) -> Organisation {
        let folder = tempfile::tempdir().unwrap();
        let (mut admin, _) = access::create_vault(
            folder.path(),
            NewVault {
                organisation: name,
                site,
                admin_name: "Admin",
                admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
                kdf: KdfChoice::Fixed(KdfParams::FLOOR),
            },
        )
        .unwrap();
        for (person, role) in [("Sofija", Role::Supervisor), ("Ana", Role::Caseworker)] {
            admin
                .add_account(person, role, &Passphrase::new(PASSPHRASE.into()))
                .unwrap();
        }
        Organisation { folder }
    }

    fn session(&self, name: &str) -> Session {
        access::unlock(
            self.folder.path(),
            name,
            &Passphrase::new(PASSPHRASE.into()),
        )
        .unwrap()
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// Values that must reach the partner only when their section is sent.
const CANARY_PHONE: &str = "CANARYPHONE0691234567";
const CANARY_PASSPORT: &str = "CANARYPASSPORTX91";
const CANARY_NOTE: &str = "CANARYNOTEnothingtoshare";
const CANARY_RECRUITER: &str = "CANARYEVENTLOCALITY";

/// A shelter's case for Ana with a partner, consent to refer to it, and an outgoing referral.
struct Referred {
    case: RecordId,
    partner: RecordId,
    referral: RecordId,
}

fn refer(shelter: &Organisation, partner_key: Option<&str>) -> Referred {
    let mut sofija = shelter.session("Sofija");
    let partner = sofija
        .add_partner(&object(json!({"name": "Qendra Partnere", "type": "NGO"})))
        .unwrap();
    if let Some(key) = partner_key {
        sofija.set_partner_key(partner, Some(key)).unwrap();
    }
    let mut ana = shelter.session("Ana");
    let case = ana
        .create_case(&object(json!({
            "given_name": "Drita",
            "family_name": "Kastrati",
            "gender": "Feminine",
            "estimated_age": 24,
            "citizenships": ["AL"],
            "phone": CANARY_PHONE,
            "identity_documents": [{"type": "Passport", "custody": "HeldByPerson", "details": CANARY_PASSPORT}],
            "vulnerabilities": ["DisabilityAndPhysicalHealth"],
            "support_objectives": "Safe housing and a medical check",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-11-02",
            "trafficking_events": [{"type": "Exploitation", "country": "XK", "locality": CANARY_RECRUITER}],
        })))
        .unwrap();
    let case = RecordId::parse(&case.id).unwrap();
    ana.add_record(
        RecordKind::Note,
        case,
        &object(json!({"text": CANARY_NOTE})),
    )
    .unwrap();
    ana.add_record(
        RecordKind::Consent,
        case,
        &object(json!({
            "purpose": "ReferralToPartner", "partner": partner.to_string(),
            "decision": "Given", "date": "2026-11-20", "method": "Signed",
        })),
    )
    .unwrap();
    let referral = ana
        .add_record(
            RecordKind::Referral,
            case,
            &object(json!({
                "direction": "Outgoing", "partner": partner.to_string(),
                "reason": "AdditionalServicesRequired", "details": "Needs a medical check",
                "date": "2026-11-21", "status": "InProgress",
            })),
        )
        .unwrap();
    Referred {
        case,
        partner,
        referral,
    }
}

fn request(referral: RecordId, language: Language, sections: &[Section]) -> SendRequest {
    SendRequest {
        referral,
        language,
        sections: sections.to_vec(),
        expiry_days: DEFAULT_EXPIRY_DAYS,
    }
}

fn send(session: &mut Session, request: &SendRequest) -> Result<Written, ReferralError> {
    session.send_referral(request, |_| Ok(()))
}

fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .expect("a standard tool is missing: `make deps` installs it");
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A partner's key pair made by Go's age-keygen: the identity file and the public key.
fn age_keygen(folder: &Path) -> (std::path::PathBuf, String) {
    let identity = folder.join("partner-key.txt");
    run(Command::new("age-keygen").arg("-o").arg(&identity));
    let public = run(Command::new("age-keygen").arg("-y").arg(&identity));
    (identity, public.trim().to_owned())
}

/// Unpacks a decrypted packet with tar and checks its signature and sums with openssl and
/// sha256sum, as README tells a partner to; returns the folder.
fn unpack_and_verify(tar_file: &Path, into: &Path) {
    std::fs::create_dir_all(into).unwrap();
    run(Command::new("tar")
        .arg("-xf")
        .arg(tar_file)
        .arg("-C")
        .arg(into));
    run(Command::new("openssl")
        .args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "sender.pem",
            "-rawin",
        ])
        .args(["-in", "SHA256SUMS", "-sigfile", "SHA256SUMS.sig"])
        .current_dir(into));
    run(Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(into));
}

fn pdf_text(pdf: &Path) -> String {
    let text = run(Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-"));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every key of `case.json`'s objects is an HTCDS 2.0 field name or one of Hearth's own
/// (`hearth_`); the objects inside Hearth's own fields are Hearth's.
fn assert_htcds_names(document: &Value) {
    let names: Vec<&str> = include_str!("../../crates/referrals/tests/htcds-2.0-field-names.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    let check = |object: &Map<String, Value>| {
        for key in object.keys() {
            assert!(
                key.starts_with("hearth_") || names.contains(&key.as_str()),
                "{key} is neither an HTCDS 2.0 field nor Hearth's own"
            );
        }
    };
    for part in ["case", "shelter_contact", "referral"] {
        if let Some(object) = document.get(part).and_then(Value::as_object) {
            check(object);
        }
    }
    for part in ["services", "notes"] {
        for entry in document
            .get(part)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            check(entry.as_object().unwrap());
        }
    }
    for event in document["case"]["hearth_trafficking_events"]
        .as_array()
        .into_iter()
        .flatten()
    {
        check(event.as_object().unwrap());
    }
}

#[test]
fn a_packet_to_a_keyed_partner_opens_with_go_age_and_carries_only_the_sections_sent() {
    let scratch = tempfile::tempdir().unwrap();
    let (identity, public) = age_keygen(scratch.path());
    let shelter = Organisation::new("Strehë e Sigurt", "Tiranë");
    let referred = refer(&shelter, Some(&public));

    // The fingerprint read back to the partner is what sha256sum gives them for their key.
    let mut sofija = shelter.session("Sofija");
    let printed = sofija
        .set_partner_key(referred.partner, Some(&public))
        .unwrap()
        .unwrap();
    let theirs = run(Command::new("sh")
        .arg("-c")
        .arg(format!("printf %s '{public}' | sha256sum | cut -c1-20")));
    assert_eq!(printed.replace('-', ""), theirs.trim());
    assert_eq!(printed, fingerprint(&public));

    let mut ana = shelter.session("Ana");
    let packet_file = scratch.path().join("packet.age");
    let written = ana
        .send_referral(
            &request(referred.referral, Language::Albanian, &[]),
            |bytes| std::fs::write(&packet_file, bytes),
        )
        .unwrap();
    assert_eq!(
        written.passphrase, None,
        "a keyed partner gets no passphrase"
    );
    assert_eq!(
        written.recipient_fingerprint.as_deref(),
        Some(printed.as_str())
    );
    assert!(written.left_out.contains(&Section::Notes));

    let tar_file = scratch.path().join("packet.tar");
    run(Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity)
        .arg("-o")
        .arg(&tar_file)
        .arg(&packet_file));
    let opened = scratch.path().join("opened");
    unpack_and_verify(&tar_file, &opened);

    let text = pdf_text(&opened.join("summary.pdf"));
    for included in [
        "Referim te Qendra Partnere",
        "Drita",
        "Kastrati",
        "Femërore",
        "Shqipëri",
    ] {
        assert!(
            text.contains(included),
            "{included} is missing from:\n{text}"
        );
    }
    let case_json = std::fs::read_to_string(opened.join("case.json")).unwrap();
    let manifest = std::fs::read_to_string(opened.join("manifest.json")).unwrap();
    for canary in [CANARY_PHONE, CANARY_PASSPORT, CANARY_NOTE, CANARY_RECRUITER] {
        assert!(!text.contains(canary), "{canary} is in the PDF");
        assert!(!case_json.contains(canary), "{canary} is in case.json");
        assert!(!manifest.contains(canary), "{canary} is in the manifest");
    }
    let document: Value = serde_json::from_str(&case_json).unwrap();
    assert_htcds_names(&document);
    assert_eq!(document["case"]["prs_FirstName"], "Drita");
    assert_eq!(document["case"]["prs_Gender"], "Feminine");
    assert_eq!(
        document["referral"]["cas_ReferredOrganisation"],
        "Qendra Partnere"
    );
    assert!(
        document["case"].get("prs_MobilePhone").is_none(),
        "absent, not blank"
    );

    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["packet_id"], written.packet_id.as_str());
    assert_eq!(manifest["to"]["partner"], "Qendra Partnere");
    assert_eq!(manifest["consent"]["basis"], "given");
    assert_eq!(
        manifest["sections_included"],
        json!(["identity", "shelter_contact", "referral", "needs"])
    );
    assert!(manifest["sections_left_out"]
        .as_array()
        .unwrap()
        .contains(&json!("notes")));
    assert!(manifest["fields_included"]
        .as_array()
        .unwrap()
        .contains(&json!("given_name")));

    // Sending is audited with the packet's id and the names of the fields it carries.
    let page = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::SendReferral),
            ..AuditQuery::default()
        })
        .unwrap();
    let entry = &page.entries[0];
    assert_eq!(entry.target_kind.as_deref(), Some("packet"));
    assert_eq!(entry.target_id.as_deref(), Some(written.packet_id.as_str()));
    assert!(entry.fields.contains(&"given_name".to_owned()));
    assert!(!entry.fields.contains(&"phone".to_owned()));
    // The referral names its packet, so every laptop of the organisation knows it was sent.
    let file = sofija.case_file(referred.case).unwrap();
    assert_eq!(
        file.referrals[0].fields.packet_id.as_deref(),
        Some(written.packet_id.as_str())
    );
}

#[test]
fn every_section_chosen_reaches_the_partner_in_serbian_cyrillic() {
    let scratch = tempfile::tempdir().unwrap();
    let (identity, public) = age_keygen(scratch.path());
    let shelter = Organisation::new("Sigurna Kuća", "Beograd");
    let referred = refer(&shelter, Some(&public));
    let mut ana = shelter.session("Ana");
    let every: Vec<Section> = Section::for_referrals().collect();
    let written = send(
        &mut ana,
        &request(referred.referral, Language::SerbianCyrillic, &every),
    )
    .unwrap();
    assert!(written.left_out.is_empty());
    let packet_file = scratch.path().join("packet.age");
    std::fs::write(&packet_file, &written.bytes).unwrap();
    let tar_file = scratch.path().join("packet.tar");
    run(Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity)
        .arg("-o")
        .arg(&tar_file)
        .arg(&packet_file));
    let opened = scratch.path().join("opened");
    unpack_and_verify(&tar_file, &opened);
    let text = pdf_text(&opened.join("summary.pdf"));
    for included in [
        "Упућивање",
        "Белешке о случају",
        CANARY_PHONE,
        CANARY_PASSPORT,
        CANARY_NOTE,
        CANARY_RECRUITER,
    ] {
        assert!(
            text.contains(included),
            "{included} is missing from:\n{text}"
        );
    }
    let document: Value =
        serde_json::from_slice(&std::fs::read(opened.join("case.json")).unwrap()).unwrap();
    assert_htcds_names(&document);
    assert_eq!(document["case"]["prs_MobilePhone"], CANARY_PHONE);
    assert_eq!(document["notes"][0]["cco_CaseComment"], CANARY_NOTE);
    assert_eq!(
        document["case"]["hearth_trafficking_events"][0]["hte_City"],
        CANARY_RECRUITER
    );
}

#[test]
fn a_packet_to_a_partner_without_a_key_opens_with_the_one_time_passphrase() {
    let scratch = tempfile::tempdir().unwrap();
    let shelter = Organisation::new("Strehë e Sigurt", "Tiranë");
    let referred = refer(&shelter, None);
    let mut ana = shelter.session("Ana");
    let written = send(
        &mut ana,
        &request(referred.referral, Language::English, &[]),
    )
    .unwrap();
    let passphrase = written
        .passphrase
        .clone()
        .expect("a passphrase to give by phone");
    let packet_file = scratch.path().join("packet.age");
    std::fs::write(&packet_file, &written.bytes).unwrap();
    let tar_file = scratch.path().join("packet.tar");
    go_age::decrypt_with_passphrase(&packet_file, &tar_file, &passphrase);
    let opened = scratch.path().join("opened");
    unpack_and_verify(&tar_file, &opened);
    let text = pdf_text(&opened.join("summary.pdf"));
    assert!(text.contains("Referral to Qendra Partnere"), "{text}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(opened.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["to"]["protected_by"], "passphrase");
    // Each packet has its own passphrase.
    let again = send(
        &mut ana,
        &request(referred.referral, Language::English, &[]),
    )
    .unwrap();
    assert_ne!(again.passphrase, written.passphrase);
}

fn is_consent_required(result: Result<Written, ReferralError>) -> bool {
    matches!(
        result,
        Err(ReferralError::Record(RecordError::ConsentRequired))
    )
}

#[test]
fn consent_decides_whether_a_packet_is_written_and_an_override_is_audited() {
    let shelter = Organisation::new("Strehë e Sigurt", "Tiranë");
    let referred = refer(&shelter, None);
    let mut ana = shelter.session("Ana");
    let withdraw = |session: &mut Session, date: &str| {
        session
            .add_record(
                RecordKind::Consent,
                referred.case,
                &object(json!({
                    "purpose": "ReferralToPartner", "partner": referred.partner.to_string(),
                    "decision": "Withdrawn", "date": date, "method": "Verbal",
                })),
            )
            .unwrap();
    };
    withdraw(&mut ana, "2026-11-25");
    assert!(is_consent_required(send(
        &mut ana,
        &request(referred.referral, Language::English, &[])
    )));
    let refusals = ana.audit_entries(&AuditQuery {
        case_id: None,
        action: Some(Action::SendReferral),
        outcome: Some(hearth_core::audit::Outcome::Denied),
        ..AuditQuery::default()
    });
    // Caseworkers do not read the audit log; a supervisor does.
    assert!(refusals.is_err());
    let mut sofija = shelter.session("Sofija");
    let refused = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::SendReferral),
            outcome: Some(hearth_core::audit::Outcome::Denied),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(refused.entries.len(), 1, "the refusal is audited");

    // A caseworker may not override; a supervisor may, with a reason, and that is audited.
    let override_reason =
        object(json!({"consent_override_reason": "Immediate danger to her life"}));
    let denied = ana.update_record(RecordKind::Referral, referred.referral, &override_reason);
    assert!(matches!(denied, Err(RecordError::Denied(_))), "{denied:?}");
    sofija
        .update_record(RecordKind::Referral, referred.referral, &override_reason)
        .unwrap();
    let overridden = send(
        &mut ana,
        &request(referred.referral, Language::English, &[]),
    )
    .unwrap();
    let page = sofija
        .audit_entries(&AuditQuery {
            case_id: Some(referred.case.to_string()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert!(page.entries.iter().any(|entry| {
        entry.action == Action::UpdateRecord
            && entry
                .fields
                .contains(&"referral.consent_override_reason".to_owned())
    }));
    assert!(!overridden.packet_id.is_empty());

    // A decision recorded after the override (here: withdrawn again) stops the next packet.
    withdraw(&mut ana, "2026-11-30");
    assert!(is_consent_required(send(
        &mut ana,
        &request(referred.referral, Language::English, &[])
    )));
}

#[test]
fn a_packet_that_cannot_be_delivered_leaves_no_trace() {
    let shelter = Organisation::new("Strehë e Sigurt", "Tiranë");
    let referred = refer(&shelter, None);
    let mut ana = shelter.session("Ana");
    let failed = ana.send_referral(&request(referred.referral, Language::English, &[]), |_| {
        Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "full"))
    });
    match failed {
        Err(error) => assert_eq!(error.kind(), ErrorKind::DiskFull),
        Ok(_) => panic!("the packet was not delivered"),
    }
    let file = ana.case_file(referred.case).unwrap();
    assert_eq!(file.referrals[0].fields.packet_id, None);
    let sofija = shelter.session("Sofija");
    let sent = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::SendReferral),
            ..AuditQuery::default()
        })
        .unwrap();
    assert!(sent.entries.is_empty());
}

#[test]
fn a_partner_running_hearth_receives_the_case_and_its_answer_moves_the_referral_once() {
    let shelter = Organisation::new("Strehë e Sigurt", "Tiranë");
    let partner_org = Organisation::new("Qendra Partnere", "Durrës");
    let mut partner_ana = partner_org.session("Ana");
    let (partner_key, _) = partner_ana.referral_key().unwrap();
    let referred = refer(&shelter, Some(&partner_key));
    let mut ana = shelter.session("Ana");
    let every: Vec<Section> = Section::for_referrals().collect();
    let written = send(
        &mut ana,
        &request(referred.referral, Language::English, &every),
    )
    .unwrap();

    // The partner: the packet is a new case with an incoming referral naming the packet.
    let received = partner_ana.receive_referral(&written.bytes, None).unwrap();
    assert_eq!(received.packet_id, written.packet_id);
    assert_eq!(received.from, "Strehë e Sigurt");
    let case = RecordId::parse(&received.case.id).unwrap();
    let file = partner_ana.open_case(case).unwrap();
    assert_eq!(file.case.fields.given_name.as_deref(), Some("Drita"));
    assert_eq!(file.case.fields.phone.as_deref(), Some(CANARY_PHONE));
    assert_eq!(
        file.case.fields.referral_source.as_deref(),
        Some("Strehë e Sigurt")
    );
    assert_eq!(file.notes.len(), 1);
    let incoming = &file.referrals[0].fields;
    assert_eq!(incoming.direction.as_deref(), Some("Incoming"));
    assert_eq!(
        incoming.packet_id.as_deref(),
        Some(written.packet_id.as_str())
    );
    assert_eq!(
        incoming.reason.as_deref(),
        Some("AdditionalServicesRequired")
    );
    // The same packet twice is refused.
    let twice = partner_ana.receive_referral(&written.bytes, None);
    assert!(
        matches!(twice, Err(ReferralError::AlreadyImported(_))),
        "{twice:?}"
    );

    // The answer: declined, with Primero's reason.
    let referral_in = RecordId::parse(&received.referral_id).unwrap();
    let mut answer = Vec::new();
    partner_ana
        .answer_referral(
            referral_in,
            AnswerOutcome::Declined,
            Some("LackOfCapacity"),
            |bytes| {
                answer = bytes.to_vec();
                Ok(())
            },
        )
        .unwrap();

    // A referral is answered once: the sender would refuse a second answer.
    let again = partner_ana.answer_referral(referral_in, AnswerOutcome::Accepted, None, |_| Ok(()));
    assert!(
        matches!(again, Err(ReferralError::AlreadyAnswered)),
        "{again:?}"
    );

    // Forged: made by someone who knows where to send an answer, but not the packet's key.
    let outsider = Organisation::new("Someone Else", "Elsewhere");
    let outsider_session = outsider.session("Ana");
    let (shelter_key, _) = ana.referral_key().unwrap();
    let forged = forge_answer(&outsider_session, &shelter_key, &written.packet_id);
    let refused = ana.import_referral_answer(&forged);
    assert!(
        matches!(refused, Err(ReferralError::Damaged(_))),
        "{refused:?}"
    );
    // Altered: one byte of the real answer changed.
    let mut altered = answer.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    assert!(ana.import_referral_answer(&altered).is_err());
    let status = |session: &Session| {
        session.case_file(referred.case).unwrap().referrals[0]
            .fields
            .status
            .clone()
    };
    assert_eq!(
        status(&ana).as_deref(),
        Some("InProgress"),
        "refusals change nothing"
    );

    let imported = ana.import_referral_answer(&answer).unwrap();
    assert_eq!(imported.outcome, AnswerOutcome::Declined);
    assert_eq!(imported.referral_id, referred.referral.to_string());
    let file = ana.case_file(referred.case).unwrap();
    assert_eq!(file.referrals[0].fields.status.as_deref(), Some("Rejected"));
    assert_eq!(
        file.referrals[0].fields.decline_reason.as_deref(),
        Some("LackOfCapacity")
    );
    // Replayed: the same answer again.
    let replayed = ana.import_referral_answer(&answer);
    assert!(
        matches!(replayed, Err(ReferralError::AlreadyImported(_))),
        "{replayed:?}"
    );
    let sofija = shelter.session("Sofija");
    let imports = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::ImportAnswer),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(imports.entries.len(), 1);
    assert_eq!(
        imports.entries[0].target_id.as_deref(),
        Some(written.packet_id.as_str())
    );
}

/// An answer to `packet_id` made with a key of the forger's own: well formed and signed, but not
/// by the holder of the packet.
fn forge_answer(forger: &Session, to: &str, packet_id: &str) -> Vec<u8> {
    // The forger answers a packet of its own making to learn the format, then re-addresses it:
    // simplest is to write the answer file by hand with the public format.
    use hearth_referrals::answer::{seal, AnswerBody, FORMAT, VERSION};
    let signer = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let body = AnswerBody {
        format: FORMAT.to_owned(),
        version: VERSION,
        packet_id: packet_id.to_owned(),
        answer_id: "0123456789abcdef0123456789abcdef".to_owned(),
        outcome: AnswerOutcome::Accepted,
        decline_reason: None,
        answered: "2026-12-01".to_owned(),
        organisation: forger.account().name.clone(),
        signing_key: hex::encode(signer.verifying_key().as_bytes()),
    };
    seal(&body, &[9u8; 32], &signer, &to.parse().unwrap()).unwrap()
}

#[test]
fn only_supervisors_see_and_set_partner_keys() {
    let scratch = tempfile::tempdir().unwrap();
    let (_, public) = age_keygen(scratch.path());
    let shelter = Organisation::new("Strehë e Sigurt", "Tiranë");
    let referred = refer(&shelter, Some(&public));
    let mut admin = shelter.session("Admin");
    let refused = admin.set_partner_key(referred.partner, Some(&public));
    assert!(
        matches!(&refused, Err(ReferralError::Record(RecordError::Denied(_)))),
        "{refused:?}"
    );
    let ana = shelter.session("Ana");
    assert_eq!(ana.list_partners().unwrap()[0].fields.age_recipient, None);
    let sofija = shelter.session("Sofija");
    assert_eq!(
        sofija.list_partners().unwrap()[0]
            .fields
            .age_recipient
            .as_deref(),
        Some(public.as_str())
    );
    let mut sofija = sofija;
    let bad = sofija.set_partner_key(referred.partner, Some("age1notakey"));
    assert_eq!(bad.unwrap_err().kind(), ErrorKind::InvalidField);
    let changes = sofija
        .audit_entries(&AuditQuery {
            action: Some(Action::SetPartnerKey),
            ..AuditQuery::default()
        })
        .unwrap();
    assert!(changes
        .entries
        .iter()
        .any(|entry| entry.outcome == hearth_core::audit::Outcome::Ok));
    assert!(changes
        .entries
        .iter()
        .any(|entry| entry.outcome == hearth_core::audit::Outcome::Denied));
}
