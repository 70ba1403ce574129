//! Writes the seeds of two fuzz targets. `record_fields` (`fuzz/corpus/record_fields/`): the
//! fields of demo cases and of each record attached to them, as `hearth case create --json` and
//! `hearth record add` read them. `bundle_frames` (`fuzz/corpus/bundle_frames/`): the frames of
//! real streaming bundles, as the office reads them with its age identity and zstd, from an organisation of three
//! laptops that covers what a body can carry: whole changes and copies without the fields a case's
//! consent keeps (part proofs), another laptop's changes relayed with their signed heads, audit
//! entries, approvals and a revocation. Run `cargo run -p hearth-core --example fuzz_seeds`.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseQuery, RecordId, RecordKind};
use serde_json::json;

#[path = "../tests/support/organisation.rs"]
mod organisation;
use organisation::{export, object, office_reads, organisation, sharing_consent, supervisor};

fn corpus(target: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn write(path: PathBuf, bytes: &[u8]) {
    std::fs::write(&path, bytes).unwrap();
    println!("{}", path.display());
}

fn main() {
    let records = corpus("record_fields");
    let mut generator = DemoGenerator::new(5);
    for number in 0..4 {
        let draft = generator.case(&["00112233445566778899aabbccddeeff".to_owned()], true);
        let case = serde_json::to_vec_pretty(&draft.case).unwrap();
        write(records.join(format!("seed-{number}-case.json")), &case);
        for (child, (kind, fields)) in draft.children.iter().enumerate() {
            let name = format!("seed-{number}-{child}-{}.json", kind.as_str());
            write(
                records.join(name),
                &serde_json::to_vec_pretty(fields).unwrap(),
            );
        }
    }
    // (The seeds of `bundle_body`, the whole container's bodies, were written by this example
    // before bundles streamed; they stay as they were committed.)
    let out = corpus("bundle_frames");
    let office = age::x25519::Identity::generate();
    let mut laptops = organisation();
    let [tirana, shkoder_laptop, vlore] = &mut laptops[..] else {
        unreachable!("three laptops");
    };
    tirana
        .admin
        .set_office(&office.to_public().to_string())
        .unwrap();
    // The others learn the office's recipient from the first laptop's next bundle.
    let (roster, _) = export(&tirana.admin, true);
    for laptop in [&mut *shkoder_laptop, &mut *vlore] {
        laptop.admin.import_bundle(&roster).unwrap();
    }
    let (tirana, vlore) = (&mut tirana.admin, &mut vlore.admin);
    let mut seeds = vec![("roster", roster)];
    // Cases on the second laptop, one with consent to share and one without (whose identifying
    // fields stay there), then edited.
    let drafts: Vec<_> = ["Given", "Refused"]
        .iter()
        .map(|decision| {
            let mut draft = generator.case(&[], true);
            draft
                .children
                .push((RecordKind::Consent, sharing_consent(decision)));
            draft
        })
        .collect();
    let mut shkoder = supervisor(&shkoder_laptop.folder);
    shkoder.create_cases(&drafts).unwrap();
    let cases = shkoder.list_cases(&CaseQuery::default()).unwrap().cases;
    for case in &cases {
        shkoder
            .update_case(
                RecordId::parse(&case.id).unwrap(),
                &object(json!({"risk_level": "High", "family_name": "Edited"})),
            )
            .unwrap();
    }
    let (from_second, _) = export(&shkoder, false);
    tirana.import_bundle(&from_second).unwrap();
    seeds.push(("cases", from_second));
    // The first laptop relays them to the third, and then revokes the third.
    let (relayed, _) = export(tirana, false);
    vlore.import_bundle(&relayed).unwrap();
    seeds.push(("relayed", relayed));
    tirana
        .revoke_device(&vlore.device_identity().unwrap().device)
        .unwrap();
    seeds.push(("revocation", export(tirana, false).0));
    seeds.push(("full", export(tirana, true).0));
    for (number, (what, bundle)) in seeds.iter().enumerate() {
        write(
            out.join(format!("seed-{number}-{what}.jsonl")),
            &office_reads(&office, bundle),
        );
    }
}
