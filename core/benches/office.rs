//! `make bench`: the coordinating office's vault as it grows, fed by the bundles of many sites.
//!
//! Fifty sites (HEARTH_BENCH_SITES) join the office. At each size of HEARTH_BENCH_OFFICE_CASES
//! (by default 20,000 and 100,000; `100000,1000000` is the million-case run, recorded once in
//! BENCHMARKS.md) every site makes its share of new demo cases and writes its incremental bundle
//! into a folder, which the office imports in one batch, as `hearth bundle import FOLDER` does.
//! Then, on the office's vault:
//! - one site's incremental bundle of 100 changed cases, exported and imported (median of 5);
//! - search: 400 prefixes of stored family names, as a supervisor (p50, p95; goal p95 < 20 ms);
//! - opening a case with all its tabs, and the list's first page (p50, p95);
//! - a person's save (one case update, its own transaction), audited and with the bench-only
//!   switch turning the audit entry off, alternating batches (p50, p95, and the audit's overhead
//!   on the medians; goals: p95 < 5 ms, overhead at most 10%);
//! - the size on disk after a checkpoint.
//!
//! The last size's figures are printed beside the first's, with how many times each grew: the
//! baseline of each figure is the same figure on the smaller vault, measured in the same run.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hearth_core::access::Session;
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::{CaseQuery, CaseSort, RecordId};
use hearth_core::sync::Unwatched;
use serde_json::json;

#[path = "support/organisation.rs"]
mod organisation;
use organisation::{add_cases, change_cases, first_case_ids, new_vault, object, supervisor};
#[path = "support/measure.rs"]
mod measure;
use measure::{peak_rss_kib, percentile};

const SEARCHES: usize = 400;
const OPENS: usize = 200;
const PAGES: usize = 200;
const INCREMENTAL_CASES: usize = 100;
const INCREMENTAL_RUNS: usize = 5;
const SAVE_BATCHES: usize = 10;
const SAVES_PER_BATCH: usize = 100;

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// What was measured on the office's vault at one size.
struct AtSize {
    cases: usize,
    /// Cases per second of the batch that brought the vault to this size.
    batch_rate: f64,
    incremental_export: Duration,
    incremental_import: Duration,
    search: (Duration, Duration),
    open: (Duration, Duration),
    first_page: (Duration, Duration),
    save: (Duration, Duration),
    save_unaudited: (Duration, Duration),
    bytes: u64,
}

fn p50_p95(mut samples: Vec<Duration>) -> (Duration, Duration) {
    (
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.95),
    )
}

fn folder_bytes(folder: &Path) -> u64 {
    std::fs::read_dir(folder)
        .expect("vault folder")
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|metadata| metadata.len())
        .sum()
}

/// The sites, each a laptop enrolled by the office.
fn join_sites(office: &Session, root: &Path, sites: usize) -> Vec<PathBuf> {
    let fingerprint = office.device_identity().expect("identity").fingerprint;
    (0..sites)
        .map(|site| {
            let folder = root.join(format!("site-{site:02}"));
            let mut admin = new_vault(&folder, &format!("Site {site:02}"));
            let request = admin.join_request().expect("request");
            let enrollment = office.approve_device(&request).expect("approve");
            admin.enroll(&enrollment, &fingerprint).expect("enroll");
            folder
        })
        .collect()
}

/// One site's incremental bundle, written into `folder`.
fn export_into(site: &Session, folder: &Path, name: &str) -> u64 {
    let path = folder.join(name);
    let summary = site
        .export_bundle(None, false, |sealed| std::fs::write(&path, sealed))
        .expect("export");
    summary.changes
}

fn main() {
    let sites = env_number("HEARTH_BENCH_SITES", 50).max(1);
    let sizes: Vec<usize> = std::env::var("HEARTH_BENCH_OFFICE_CASES")
        .unwrap_or_else(|_| "20000,100000".into())
        .split(',')
        .map(|size| {
            size.trim()
                .parse()
                .expect("HEARTH_BENCH_OFFICE_CASES: numbers")
        })
        .collect();
    println!("The office, {sites} sites, at {sizes:?} cases");
    let scratch = tempfile::tempdir().expect("scratch");
    let office_folder = scratch.path().join("office");
    let office_admin = new_vault(&office_folder, "Coordinating office");
    let site_folders = join_sites(&office_admin, scratch.path(), sites);
    drop(office_admin);
    let mut office = supervisor(&office_folder);
    let mut unaudited = supervisor(&office_folder);
    unaudited.disable_audit_for_benchmark();

    let mut generators: Vec<DemoGenerator> = (0..sites)
        .map(|site| DemoGenerator::new(1_000 + site as u64))
        .collect();
    let mut made = vec![0usize; sites];
    let mut results: Vec<AtSize> = Vec::new();
    for (round, &cases) in sizes.iter().enumerate() {
        // Every site makes its share and writes its bundle into this round's folder.
        let bundles = scratch.path().join(format!("bundles-{round}"));
        std::fs::create_dir_all(&bundles).expect("bundle folder");
        let making = Instant::now();
        for (site, folder) in site_folders.iter().enumerate() {
            let share = cases / sites + usize::from(site < cases % sites);
            let mut session = supervisor(folder);
            add_cases(&mut session, &mut generators[site], made[site], share);
            made[site] = share;
            export_into(&session, &bundles, &format!("site-{site:02}.hearth"));
        }
        println!(
            "  {cases} cases made on the sites and exported in {:.0} s",
            making.elapsed().as_secs_f64()
        );

        // The office imports the folder, in the order of its file names, reversed: a batch in
        // any order.
        let mut files = hearth_core::sync::bundle_files(&[bundles]).expect("bundles");
        files.reverse();
        let started = Instant::now();
        let report = office
            .import_bundle_files(&files, &Unwatched, &mut |_, _, _| {})
            .expect("batch import");
        let batch_import = started.elapsed();
        assert_eq!(report.refused().count(), 0, "no bundle refused");
        assert_eq!(report.sites.len(), sites, "a summary for every site");
        println!(
            "  the office imported {} bundles in {:.1} s (peak RSS so far {} MiB)",
            files.len(),
            batch_import.as_secs_f64(),
            peak_rss_kib().unwrap_or(0) / 1024
        );

        // One site's incremental bundle: 100 changed cases.
        let mut site = supervisor(&site_folders[0]);
        let ids = first_case_ids(&site, 200);
        let incremental = scratch.path().join(format!("incremental-{round}"));
        std::fs::create_dir_all(&incremental).expect("incremental folder");
        let (mut out, mut into) = (Vec::new(), Vec::new());
        for run in 0..INCREMENTAL_RUNS {
            change_cases(&mut site, &ids, run, INCREMENTAL_CASES, &round.to_string());
            let name = format!("run-{run}.hearth");
            let started = Instant::now();
            let changes = export_into(&site, &incremental, &name);
            out.push(started.elapsed());
            assert!(changes >= INCREMENTAL_CASES as u64);
            let sealed = std::fs::read(incremental.join(&name)).expect("bundle");
            let started = Instant::now();
            let imported = office.import_bundle(&sealed).expect("incremental import");
            into.push(started.elapsed());
            assert_eq!(imported.applied, changes, "every change applied");
        }
        drop(site);

        // Search, open, list: as the supervisor on the office's vault.
        let sample = office
            .list_cases(&CaseQuery {
                page_size: 200,
                sort: CaseSort::Updated,
                ..CaseQuery::default()
            })
            .expect("list");
        let names: Vec<String> = sample
            .cases
            .iter()
            .filter_map(|case| case.family_name.clone())
            .collect();
        assert!(!names.is_empty(), "the cases have family names");
        let mut searches = Vec::new();
        let mut found = 0;
        for i in 0..SEARCHES {
            let folded = hearth_core::records::search::fold(&names[(i * 7919) % names.len()]);
            let prefix: String = folded.chars().take(3 + i % 4).collect();
            let query = CaseQuery {
                text: Some(prefix),
                sort: CaseSort::Name,
                ..CaseQuery::default()
            };
            let started = Instant::now();
            found += office.list_cases(&query).expect("search").cases.len();
            searches.push(started.elapsed());
        }
        assert!(found > 0, "the searches found nothing");
        let ids: Vec<RecordId> = sample
            .cases
            .iter()
            .map(|c| RecordId::parse(&c.id).expect("id"))
            .collect();
        let opens: Vec<Duration> = (0..OPENS)
            .map(|i| {
                let started = Instant::now();
                office.open_case(ids[i % ids.len()]).expect("open");
                started.elapsed()
            })
            .collect();
        let pages: Vec<Duration> = (0..PAGES)
            .map(|_| {
                let started = Instant::now();
                office.list_cases(&CaseQuery::default()).expect("page");
                started.elapsed()
            })
            .collect();

        // Saves, audited and not, alternating which goes first.
        let (mut audited_saves, mut unaudited_saves) = (Vec::new(), Vec::new());
        for batch in 0..SAVE_BATCHES {
            for audited in [batch % 2 == 0, batch % 2 == 1] {
                let (session, samples) = if audited {
                    (&mut office, &mut audited_saves)
                } else {
                    (&mut unaudited, &mut unaudited_saves)
                };
                for i in 0..SAVES_PER_BATCH {
                    let id = ids[(batch * SAVES_PER_BATCH + i) % ids.len()];
                    let level = ["Low", "Medium", "High"][(batch + i) % 3];
                    let fields = object(json!({
                        "risk_level": level,
                        "guardian": format!("Guardian {round}-{batch}-{i}"),
                    }));
                    let started = Instant::now();
                    session.update_case(id, &fields).expect("save");
                    samples.push(started.elapsed());
                }
            }
        }

        office
            .database_for_bench()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        let previous = results.last().map_or(0, |at: &AtSize| at.cases);
        let at = AtSize {
            cases,
            batch_rate: (cases - previous) as f64 / batch_import.as_secs_f64().max(1e-9),
            incremental_export: percentile(&mut out, 0.5),
            incremental_import: percentile(&mut into, 0.5),
            search: p50_p95(searches),
            open: p50_p95(opens),
            first_page: p50_p95(pages),
            save: p50_p95(audited_saves),
            save_unaudited: p50_p95(unaudited_saves),
            bytes: folder_bytes(&office_folder),
        };
        print_size(&at);
        results.push(at);
    }
    if let (Some(first), Some(last)) = (results.first(), results.last()) {
        if results.len() > 1 {
            print_growth(first, last);
        }
    }
    println!(
        "  peak RSS of the whole run: {} MiB",
        peak_rss_kib().unwrap_or(0) / 1024
    );
}

fn overhead(audited: Duration, unaudited: Duration) -> String {
    format!(
        "{:+.1}%",
        (audited.as_secs_f64() / unaudited.as_secs_f64().max(1e-9) - 1.0) * 100.0
    )
}

fn print_size(at: &AtSize) {
    println!();
    println!("| at {} cases | p50 | p95 |", at.cases);
    println!("|---|---|---|");
    println!(
        "| one site's incremental bundle ({INCREMENTAL_CASES} cases): export / import, median | {} / {} | |",
        ms(at.incremental_export),
        ms(at.incremental_import)
    );
    for (what, (p50, p95)) in [
        (
            "search (name prefix, first 50 by name, with total)",
            at.search,
        ),
        ("open a case, all tabs", at.open),
        ("the list's first page", at.first_page),
        ("a save, audited", at.save),
        ("a save, audit entry off", at.save_unaudited),
    ] {
        println!("| {what} | {} | {} |", ms(p50), ms(p95));
    }
    println!(
        "| the audit entry's share of a save (medians) | {} | |",
        overhead(at.save.0, at.save_unaudited.0)
    );
    println!(
        "| size on disk after a checkpoint | {:.1} MB | |",
        at.bytes as f64 / 1e6
    );
    println!();
}

fn print_growth(first: &AtSize, last: &AtSize) {
    let grew = |small: Duration, large: Duration| {
        format!(
            "{:.2}x",
            large.as_secs_f64() / small.as_secs_f64().max(1e-9)
        )
    };
    let factor = last.cases as f64 / first.cases.max(1) as f64;
    println!(
        "| from {} to {} cases ({factor:.0}x) | {} | {} | grew |",
        first.cases, last.cases, first.cases, last.cases
    );
    println!("|---|---|---|---|");
    println!(
        "| the batch of every site's bundle, cases imported per second | {:.0} | {:.0} | {:.2}x |",
        first.batch_rate,
        last.batch_rate,
        last.batch_rate / first.batch_rate.max(1e-9)
    );
    let rows = [
        (
            "one site's incremental import",
            first.incremental_import,
            last.incremental_import,
        ),
        ("search p95", first.search.1, last.search.1),
        ("open a case p95", first.open.1, last.open.1),
        ("first page p95", first.first_page.1, last.first_page.1),
        ("a save p95", first.save.1, last.save.1),
    ];
    for (what, small, large) in rows {
        println!(
            "| {what} | {} | {} | {} |",
            ms(small),
            ms(large),
            grew(small, large)
        );
    }
    println!(
        "| size on disk | {:.1} MB | {:.1} MB | {:.2}x |",
        first.bytes as f64 / 1e6,
        last.bytes as f64 / 1e6,
        last.bytes as f64 / first.bytes.max(1) as f64
    );
}
