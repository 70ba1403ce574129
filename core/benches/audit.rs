//! `make bench`: what the audit log costs.
//!
//! - Case updates with auditing on versus off (a switch that exists only in builds with the
//!   `bench` feature), in the same run, alternating batches so that the machine's noise falls on
//!   both. Goal: at most 10% more per update.
//! - Verifying a log of 1,000,000 entries (HEARTH_BENCH_AUDIT_ENTRIES to change): recomputing
//!   every hash and link. Goal: under 5 s.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseDraft, RecordId};
use serde_json::{json, Map, Value};

const PASSPHRASE: &str = "violet kettle orbit pasture";
const CASES: usize = 2_000;
const BATCHES: usize = 15;
const UPDATES_PER_BATCH: usize = 200;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn supervisor_session(folder: &std::path::Path) -> Session {
    let (mut admin, _recovery) = access::create_vault(
        folder,
        NewVault {
            organisation: "Bench Org",
            site: "Tirana",
            admin_name: "Bench Admin",
            admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .expect("vault");
    admin
        .add_account(
            "Bench Supervisor",
            Role::Supervisor,
            &Passphrase::new(PASSPHRASE.into()),
        )
        .expect("supervisor");
    drop(admin);
    access::unlock(
        folder,
        "Bench Supervisor",
        &Passphrase::new(PASSPHRASE.into()),
    )
    .expect("unlock")
}

fn with_cases(session: &mut Session) -> Vec<RecordId> {
    let mut generator = DemoGenerator::new(11);
    let drafts: Vec<CaseDraft> = (0..CASES).map(|_| generator.case(&[], false)).collect();
    session
        .create_cases(&drafts)
        .expect("cases")
        .iter()
        .map(|c| RecordId::parse(&c.id).expect("id"))
        .collect()
}

/// One batch of updates (each its own transaction, as a person's saves are); its duration.
fn batch(session: &mut Session, cases: &[RecordId], round: usize) -> Duration {
    let levels = ["Low", "Medium", "High"];
    let start = Instant::now();
    for i in 0..UPDATES_PER_BATCH {
        let case = cases[(round * UPDATES_PER_BATCH + i) % cases.len()];
        let mut fields: Map<String, Value> = Map::new();
        fields.insert("risk_level".into(), json!(levels[(round + i) % 3]));
        fields.insert("guardian".into(), json!(format!("Guardian {round}-{i}")));
        session.update_case(case, &fields).expect("update");
    }
    start.elapsed()
}

fn main() {
    let scratch = tempfile::tempdir().expect("scratch");
    let mut audited = supervisor_session(&scratch.path().join("audited"));
    let mut unaudited = supervisor_session(&scratch.path().join("unaudited"));
    unaudited.disable_audit_for_benchmark();
    let audited_cases = with_cases(&mut audited);
    let unaudited_cases = with_cases(&mut unaudited);
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for round in 0..BATCHES {
        // Alternate which goes first, so that neither always meets a warmer cache.
        if round % 2 == 0 {
            on.push(batch(&mut audited, &audited_cases, round));
            off.push(batch(&mut unaudited, &unaudited_cases, round));
        } else {
            off.push(batch(&mut unaudited, &unaudited_cases, round));
            on.push(batch(&mut audited, &audited_cases, round));
        }
    }
    let per_update = |d: Duration| d.as_secs_f64() * 1e6 / UPDATES_PER_BATCH as f64;
    let (on, off) = (median(on), median(off));
    println!(
        "Audit overhead on case updates ({BATCHES} batches of {UPDATES_PER_BATCH}, {CASES} cases):"
    );
    println!();
    println!("| measure | audited | not audited | overhead |");
    println!("|---|---|---|---|");
    println!(
        "| one case update (median batch) | {:.0} µs | {:.0} µs | {:+.1}% |",
        per_update(on),
        per_update(off),
        (on.as_secs_f64() / off.as_secs_f64() - 1.0) * 100.0
    );

    let entries: u64 = std::env::var("HEARTH_BENCH_AUDIT_ENTRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let filling = Instant::now();
    audited
        .append_audit_entries_for_benchmark(entries)
        .expect("entries");
    let filled = filling.elapsed();
    let mut verifies = Vec::new();
    let mut checked = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let verification = audited.verify_audit(None).expect("verify");
        verifies.push(start.elapsed());
        assert!(verification.intact, "{:?}", verification.problem);
        checked = verification.entries;
    }
    println!(
        "| verify the whole log ({checked} entries, median of 3) | {:.2} s | | |",
        median(verifies).as_secs_f64()
    );
    println!();
    println!(
        "(Appending {entries} entries in one transaction took {:.1} s.)",
        filled.as_secs_f64()
    );
}
