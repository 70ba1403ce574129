//! `make bench`: the emergency wipe. Vaults of 20,000 and 100,000 demo cases (HEARTH_BENCH_CASES
//! for other sizes, comma-separated), each with its decision on sharing, unlocked as an
//! administrator with the page-by-page check running (as the desktop app has it after every
//! unlock), then wiped. Reported: how long until the key slots were gone (from then on nothing
//! opens the vault; the goal is about a second), how long until every file was overwritten and
//! removed, the bytes overwritten, and as the baseline in the same run, the time to copy the
//! database file (the disk's own speed at writing that many bytes). One wipe per size: a wipe
//! destroys what it measures.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use hearth_core::access;
use hearth_core::records::demo::DemoGenerator;
use hearth_core::vault::VaultPaths;

#[path = "support/organisation.rs"]
mod organisation;
use organisation::{add_cases, new_vault, passphrase, supervisor};

fn main() {
    let sizes: Vec<usize> = std::env::var("HEARTH_BENCH_CASES")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| vec![20_000, 100_000]);
    println!("The emergency wipe");
    println!();
    println!("| cases | database | key slots gone | every file gone | bytes overwritten | copying the database (baseline) |");
    println!("|---|---|---|---|---|---|");
    for cases in sizes {
        let scratch = tempfile::tempdir().expect("scratch");
        let folder = scratch.path().join("vault");
        drop(new_vault(&folder, "Tirana"));
        let mut session = supervisor(&folder);
        add_cases(&mut session, &mut DemoGenerator::new(5), 0, cases);
        drop(session);
        let paths = VaultPaths::new(&folder);
        let database = std::fs::metadata(paths.database()).expect("database").len();
        let copying = Instant::now();
        std::fs::copy(paths.database(), scratch.path().join("copy.db")).expect("copy");
        std::fs::File::open(scratch.path().join("copy.db"))
            .and_then(|copy| copy.sync_all())
            .expect("sync");
        let copied = copying.elapsed();
        std::fs::remove_file(scratch.path().join("copy.db")).expect("remove");

        let mut admin = access::unlock(&folder, "Bench Admin", &passphrase()).expect("unlock");
        admin.check_integrity_in_background().expect("check");
        let wiped = admin.wipe_vault().expect("wipe");
        assert!(!paths.key_slots().exists() && !paths.database().exists());
        println!(
            "| {cases} | {:.1} MB | {:.1} ms | {:.0} ms | {:.1} MB | {:.0} ms |",
            database as f64 / 1e6,
            wiped.unreadable_after.as_secs_f64() * 1e3,
            wiped.finished_after.as_secs_f64() * 1e3,
            wiped.bytes_overwritten as f64 / 1e6,
            copied.as_secs_f64() * 1e3,
        );
    }
}
