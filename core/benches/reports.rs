//! `make bench`: the Statistics screen and the CTDC export at HEARTH_BENCH_CASES cases (100,000 by
//! default), each beside a baseline measured in the same run over the same table:
//!
//! - every panel of the dashboard (`Session::statistics`), against one plain SQL aggregate
//!   (`SELECT gender, count(*) FROM case_facts GROUP BY gender`) and against the same aggregate
//!   over the records' JSON (what the dashboard would cost without the facts tables);
//! - the CTDC export (consent filter, mapping, k-anonymisation, CSV), against reading the same
//!   columns of every consented case.
//!
//! Medians and p95 of repeated runs (the machine is shared and noisy), and the peak RSS.
#![allow(clippy::print_stdout)]

#[path = "support/measure.rs"]
mod measure;

use measure::{ms, peak_rss_mib, percentile, timed};
use std::time::{Duration, Instant};

use hearth_core::access::{self, KdfChoice, NewVault, Role};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::RecordKind;
use hearth_core::reports::{stage_report_files, Scope};
use serde_json::json;

const PASSPHRASE: &str = "violet kettle orbit pasture";

fn report(name: &str, mut samples: Vec<Duration>) -> Duration {
    let median = percentile(&mut samples, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    println!("{name:<58} median {:>10}  p95 {:>10}", ms(median), ms(p95));
    median
}

fn main() {
    let cases: usize = std::env::var("HEARTH_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let folder = tempfile::tempdir().expect("a scratch folder");
    let (mut admin, _) = access::create_vault(
        folder.path(),
        NewVault {
            organisation: "Harbour Network",
            site: "Tirana",
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
    let mut sofija = access::unlock(folder.path(), "Sofija", &Passphrase::new(PASSPHRASE.into()))
        .expect("unlock");
    sofija.disable_audit_for_benchmark();

    let started = Instant::now();
    let mut generator = DemoGenerator::new(16);
    let today = hearth_core::records::dates::Date::today().to_string();
    for batch in 0..cases.div_ceil(1_000) {
        let drafts: Vec<_> = (0..1_000.min(cases - batch * 1_000))
            .map(|index| {
                let mut draft = generator.case(&[], false);
                let decision = if index % 10 == 0 { "Refused" } else { "Given" };
                draft.children.push((
                    RecordKind::Consent,
                    serde_json::from_value(json!({"purpose": "AnonymousStatistics",
                        "decision": decision, "date": today, "method": "Verbal"}))
                    .expect("an object"),
                ));
                if index % 2 == 0 {
                    draft.children.push((
                        RecordKind::Service,
                        serde_json::from_value(json!({"type": "Health", "status": "Ongoing"}))
                            .expect("an object"),
                    ));
                }
                draft
            })
            .collect();
        sofija.create_cases(&drafts).expect("cases");
    }
    println!(
        "reports benchmark, {cases} cases (made in {:.0} s), {}",
        started.elapsed().as_secs_f64(),
        std::env::consts::ARCH
    );
    let everything = Scope::everything();
    let period = Scope {
        from: Some("2020-01-01".into()),
        to: Some(today.clone()),
        site: None,
    };
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let exports = std::cell::Cell::new(0);
    // The first read builds nothing (the facts were kept as the cases were made) but warms the
    // page cache, as a supervisor's second look would find it.
    sofija.statistics(&everything).expect("statistics");

    let dashboard = report(
        "dashboard, every panel (Session::statistics)",
        timed(15, || {
            sofija.statistics(&everything).expect("statistics");
        }),
    );
    let ctdc = report(
        "CTDC export (consent, mapping, k-anonymity, CSV)",
        timed(5, || {
            sofija
                .export_ctdc(&period, "ctdc.csv", |files| {
                    let out = scratch.path().join(format!("ctdc-{}.csv", exports.get()));
                    exports.set(exports.get() + 1);
                    stage_report_files(&out, files, false)
                })
                .expect("export");
        }),
    );
    let connection = sofija.database_for_bench();
    let aggregate = report(
        "baseline: SELECT gender, count(*) FROM case_facts GROUP BY",
        timed(15, || {
            let mut statement = connection
                .prepare_cached("SELECT gender, count(*) FROM case_facts GROUP BY gender")
                .expect("a statement");
            let rows: Vec<(Option<String>, i64)> = statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("rows");
            assert!(!rows.is_empty());
        }),
    );
    let json = report(
        "baseline: the same GROUP BY over the records' JSON",
        timed(5, || {
            let mut statement = connection
                .prepare_cached(
                    "SELECT json_extract(current, '$.gender'), count(*) FROM entity_state
                     WHERE entity_kind = 'case' GROUP BY 1",
                )
                .expect("a statement");
            let rows: Vec<(Option<String>, i64)> = statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("rows");
            assert!(!rows.is_empty());
        }),
    );
    let read = report(
        "baseline: reading the same columns of every consented case",
        timed(5, || {
            let mut statement = connection
                .prepare_cached(
                    "SELECT identified, gender, age, citizenship, exploitation_country,
                            trafficked_months, means_of_control, exploitation_types,
                            labour_industry, sexual_exploitation_types, relation_to_recruiter
                     FROM case_facts WHERE statistics_consent = 1 AND status != 'Merged'",
                )
                .expect("a statement");
            let mut rows = statement.query([]).expect("rows");
            let mut count = 0usize;
            while let Some(row) = rows.next().expect("a row") {
                let _: Option<String> = row.get(1).expect("gender");
                count += 1;
            }
            assert!(count > 0);
        }),
    );
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!(
        "dashboard / one aggregate: {:.1}x; over JSON / over facts: {:.1}x; CTDC / read: {:.1}x",
        ratio(dashboard, aggregate),
        ratio(json, aggregate),
        ratio(ctdc, read)
    );
    println!("peak RSS {}", peak_rss_mib());
}
