//! `make bench`: printed documents and referral packets, for a case with 50 notes in Serbian
//! Cyrillic and Albanian (HEARTH_BENCH_NOTES for another count). Each figure sits beside a baseline
//! measured in the same run:
//!
//! - rendering the printable summary (PDF, every section, Serbian Cyrillic), against loading the
//!   same case file it is made from (what the case page costs);
//! - writing a referral packet (consent check, PDF, HTCDS JSON, signature, tar, age to the
//!   partner's key), against encrypting the same PDF and JSON bytes to the same key with age alone.
//!
//! Medians and p95 of many runs (the machine is shared and noisy), and the process's peak RSS.
#![allow(clippy::print_stdout)]

#[path = "support/measure.rs"]
mod measure;

use measure::{ms, peak_rss_mib, percentile};
use std::time::{Duration, Instant};

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::documents::Language;
use hearth_core::records::{RecordId, RecordKind, Section};
use hearth_core::referrals::{SendRequest, DEFAULT_EXPIRY_DAYS};
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";
const RUNS: usize = 30;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn timed<T>(mut work: impl FnMut() -> T) -> (Vec<Duration>, T) {
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(work());
        samples.push(started.elapsed());
    }
    (samples, last.expect("RUNS > 0"))
}

fn main() {
    let notes: usize = std::env::var("HEARTH_BENCH_NOTES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let folder = tempfile::tempdir().expect("a scratch folder");
    let (mut admin, _) = access::create_vault(
        folder.path(),
        NewVault {
            organisation: "Sigurna Kuća",
            site: "Beograd",
            admin_name: "Admin",
            admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .expect("a vault");
    admin
        .add_account(
            "Sofija",
            Role::Supervisor,
            &Passphrase::new(PASSPHRASE.into()),
        )
        .expect("a supervisor");
    let unlock = |name: &str| -> Session {
        access::unlock(folder.path(), name, &Passphrase::new(PASSPHRASE.into())).expect("unlock")
    };
    let mut sofija = unlock("Sofija");
    let partner_identity = age::x25519::Identity::generate();
    let partner_key = partner_identity.to_public();
    let partner = sofija
        .add_partner(&object(json!({"name": "Qendra Partnere", "type": "NGO"})))
        .expect("a partner");
    sofija
        .set_partner_key(partner, Some(&partner_key.to_string()))
        .expect("its key");
    let case = sofija
        .create_case(&object(json!({
            "given_name": "Јелена", "family_name": "Ђорђевић", "gender": "Feminine",
            "estimated_age": 24, "citizenships": ["RS"], "phone": "0641234567",
            "trafficking_status": "PossibleVictimOfTrafficking", "date_identified": "2026-11-02",
        })))
        .expect("a case");
    let case = RecordId::parse(&case.id).expect("its id");
    let cyrillic = "Клијенткиња је данас дошла у склониште са дететом; разговор је трајао сат времена и договорили смо следеће кораке. ";
    let albanian = "Viktima u takua sot në strehëz; ajo kërkoi ndihmë mjekësore dhe juridike për fëmijën e saj. ";
    for n in 0..notes {
        let text = if n % 2 == 0 { cyrillic } else { albanian }.repeat(3);
        sofija
            .add_record(
                RecordKind::Note,
                case,
                &object(json!({"text": format!("{n}. {text}")})),
            )
            .expect("a note");
    }
    sofija
        .add_record(
            RecordKind::Consent,
            case,
            &object(
                json!({"purpose": "ReferralToPartner", "partner": partner.to_string(),
                           "decision": "Given", "date": "2026-11-20", "method": "Signed"}),
            ),
        )
        .expect("consent");
    let referral = sofija
        .add_record(
            RecordKind::Referral,
            case,
            &object(
                json!({"direction": "Outgoing", "partner": partner.to_string(),
                           "reason": "AdditionalServicesRequired", "date": "2026-11-21",
                           "status": "InProgress"}),
            ),
        )
        .expect("a referral");

    println!("Printed documents and referral packets: a case with {notes} notes, {RUNS} runs each");
    let (mut load, _) = timed(|| sofija.case_file(case).expect("the case file"));
    let (mut render, pdf) = timed(|| {
        sofija
            .case_summary_pdf(case, Language::SerbianCyrillic)
            .expect("the summary")
    });
    let render_median = percentile(&mut render, 0.5);
    let load_median = percentile(&mut load, 0.5);
    println!(
        "  case summary PDF ({} KiB): median {}, p95 {}; loading the case file {} ({:.1}x)",
        pdf.len() / 1024,
        ms(render_median),
        ms(percentile(&mut render, 0.95)),
        ms(load_median),
        render_median.as_secs_f64() / load_median.as_secs_f64().max(1e-9)
    );

    let every: Vec<Section> = Section::for_referrals().collect();
    let request = SendRequest {
        referral,
        language: Language::SerbianCyrillic,
        sections: every,
        expiry_days: DEFAULT_EXPIRY_DAYS,
    };
    let (mut send, size) = timed(|| {
        let mut size = 0;
        sofija
            .send_referral(&request, |bytes| {
                size = bytes.len();
                Ok(())
            })
            .expect("a packet");
        size
    });
    // The same bytes a packet carries, less its manifest and signature: the PDF and the case as
    // JSON.
    let case_json = serde_json::to_vec(&sofija.case_file(case).expect("the case file"))
        .expect("the case as JSON");
    let payload = [pdf.as_slice(), &case_json].concat();
    let (mut encrypt, _) = timed(|| age::encrypt(&partner_key, &payload).expect("age"));
    let send_median = percentile(&mut send, 0.5);
    let encrypt_median = percentile(&mut encrypt, 0.5);
    println!(
        "  referral packet, every section ({} KiB): median {}, p95 {}; age alone on the same bytes {} ({:.1}x)",
        size / 1024,
        ms(send_median),
        ms(percentile(&mut send, 0.95)),
        ms(encrypt_median),
        send_median.as_secs_f64() / encrypt_median.as_secs_f64().max(1e-9)
    );
    println!("  peak RSS {}", peak_rss_mib());
}
