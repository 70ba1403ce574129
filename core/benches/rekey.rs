//! `make bench`: changing the data key (`Session::rekey_vault`) of a vault of 100,000 cases (set
//! HEARTH_BENCH_CASES for a quicker run), beside two baselines measured in the same run on the
//! same file:
//!
//! - **copy**: `std::fs::copy` of the database file and an fsync: the I/O a rewrite of every page
//!   cannot do without;
//! - **check**: SQLCipher's `cipher_integrity_check`, which reads and authenticates every page.
//!
//! A rekey reads and decrypts every page, writes its old content to the rollback journal, writes it
//! again under the new key, and syncs; then it rewrites the key-slot file. Medians of 3 rekeys (each
//! one re-encrypts the whole file again), alternated with the baselines.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hearth_core::access::{self, KdfChoice, NewVault, Role, Session};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::vault::VaultPaths;

const PASSPHRASE: &str = "violet kettle orbit pasture";
const BATCH: usize = 1_000;
const RUNS: usize = 3;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

fn unlock(folder: &std::path::Path, name: &str) -> Session {
    access::unlock(folder, name, &Passphrase::new(PASSPHRASE.into())).expect("unlock")
}

/// Peak resident memory of this process so far, from /proc (kB).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let cases: usize = std::env::var("HEARTH_BENCH_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(100_000);
    let folder = tempfile::tempdir().expect("temp folder");
    let (mut admin, _recovery) = access::create_vault(
        folder.path(),
        NewVault {
            organisation: "Bench Org",
            site: "Tirana",
            admin_name: "Bench Admin",
            admin_passphrase: &Passphrase::new(PASSPHRASE.into()),
            kdf: KdfChoice::Fixed(KdfParams::FLOOR),
        },
    )
    .expect("vault");
    for name in ["Bench Supervisor", "Bench Caseworker"] {
        admin
            .add_account(name, Role::Supervisor, &Passphrase::new(PASSPHRASE.into()))
            .expect("account");
    }
    admin.lock();
    let mut supervisor = unlock(folder.path(), "Bench Supervisor");
    let mut generator = DemoGenerator::new(11);
    let mut made = 0;
    while made < cases {
        let batch: Vec<_> = (0..BATCH.min(cases - made))
            .map(|_| generator.case(&[], true))
            .collect();
        supervisor.create_cases(&batch).expect("cases");
        made += batch.len();
    }
    drop(supervisor);

    let database = VaultPaths::new(folder.path()).database();
    let size = std::fs::metadata(&database).expect("size").len();
    let copy_target = folder.path().join("copy.db");
    let mut admin = unlock(folder.path(), "Bench Admin");
    let (mut rekeys, mut copies, mut checks) = (Vec::new(), Vec::new(), Vec::new());
    let rss_before = peak_rss_kb();
    for _ in 0..RUNS {
        let started = Instant::now();
        let rekeyed = admin.rekey_vault().expect("rekey");
        rekeys.push(started.elapsed());
        assert_eq!(rekeyed.slots, 4, "three accounts and the recovery slot");

        let started = Instant::now();
        std::fs::copy(&database, &copy_target).expect("copy");
        std::fs::File::open(&copy_target)
            .and_then(|file| file.sync_all())
            .expect("sync");
        copies.push(started.elapsed());
        std::fs::remove_file(&copy_target).expect("remove copy");

        let started = Instant::now();
        let report = admin
            .start_integrity_check()
            .expect("check")
            .wait()
            .expect("check ran");
        checks.push(started.elapsed());
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
    let rss_after = peak_rss_kb();
    drop(admin);
    // Everyone still gets in after three changes of key.
    drop(unlock(folder.path(), "Bench Caseworker"));

    let (rekey, copy, check) = (median(rekeys), median(copies), median(checks));
    let ratio = |baseline: Duration| rekey.as_secs_f64() / baseline.as_secs_f64().max(1e-9);
    println!(
        "Rekey benchmark: {cases} cases, database {:.1} MB, medians of {RUNS}",
        size as f64 / 1e6
    );
    println!();
    println!("| measure | time | rekey / this |");
    println!("|---|---|---|");
    println!(
        "| rekey (re-encrypt every page, rewrite the key slots) | {} | |",
        seconds(rekey)
    );
    println!(
        "| copy the file and fsync (baseline) | {} | {:.1}x |",
        seconds(copy),
        ratio(copy)
    );
    println!(
        "| cipher_integrity_check (baseline) | {} | {:.1}x |",
        seconds(check),
        ratio(check)
    );
    println!();
    println!(
        "Peak RSS: {:.0} MB before the rekeys, {:.0} MB after",
        rss_before as f64 / 1e3,
        rss_after as f64 / 1e3
    );
}
