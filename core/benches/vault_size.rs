//! `make bench`: where a vault's bytes go. Demo cases (100,000 by default; HEARTH_BENCH_CASES for
//! a quicker run), each with its first consent decision, are created in batches of 1,000; the
//! same generated JSON goes, batch by batch, into the baseline: one JSON row per case in SQLCipher
//! with Hearth's pragmas and nothing else (what the records bench calls "SQLCipher JSON").
//!
//! Reported after a checkpoint (the WAL folded into the database and truncated), for both: the
//! file's size and the ratio (goal: at most 3x); then, for Hearth, the bytes of every table and
//! index (SQLite's `dbstat`), and the bytes of the largest columns, so that a change of what is
//! stored can be judged by where it saves.
#![allow(clippy::print_stdout)]

use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::CaseDraft;
use rusqlite::{params, Connection};
use serde_json::json;

#[path = "support/organisation.rs"]
mod organisation;
use organisation::{new_vault, supervisor, with_sharing_decision};

const BATCH: usize = 1_000;

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The JSON the baseline stores for a case: the whole draft, case fields and attached records.
fn draft_json(draft: &CaseDraft) -> String {
    let children: Vec<_> = draft
        .children
        .iter()
        .map(|(kind, fields)| json!({"kind": kind.as_str(), "fields": fields}))
        .collect();
    json!({"case": draft.case, "children": children}).to_string()
}

fn baseline(path: &std::path::Path) -> Connection {
    let key: [u8; 32] = hearth_core::crypto::random_bytes().expect("key");
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let connection = Connection::open(path).expect("baseline");
    connection
        .execute_batch(&format!(
            "PRAGMA key = \"x'{hex}'\"; PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON;
             PRAGMA temp_store = MEMORY;
             CREATE TABLE cases (id INTEGER PRIMARY KEY, json TEXT NOT NULL);"
        ))
        .expect("baseline schema");
    connection
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let cases: usize = std::env::var("HEARTH_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    println!("Vault size, {cases} cases");
    let scratch = tempfile::tempdir().expect("scratch");
    let folder = scratch.path().join("vault");
    drop(new_vault(&folder, "Tirana"));
    let mut session = supervisor(&folder);
    let mut plain = baseline(&scratch.path().join("baseline.db"));
    let mut generator = DemoGenerator::new(7);
    let mut made = 0;
    while made < cases {
        let count = BATCH.min(cases - made);
        let drafts: Vec<CaseDraft> = (0..count)
            .map(|i| with_sharing_decision(generator.case(&[], false), made + i))
            .collect();
        session.create_cases(&drafts).expect("create");
        let transaction = plain.transaction().expect("transaction");
        {
            let mut insert = transaction
                .prepare("INSERT INTO cases (json) VALUES (?1)")
                .expect("insert");
            for draft in &drafts {
                insert.execute(params![draft_json(draft)]).expect("row");
            }
        }
        transaction.commit().expect("commit");
        made += count;
    }

    let database = session.database_for_bench();
    for connection in [database, &plain] {
        connection
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoint");
    }
    let ours = file_size(&folder.join("vault.db"));
    let theirs = file_size(&scratch.path().join("baseline.db"));
    println!(
        "  after a checkpoint: vault.db {} vs baseline {}: {:.2}x (goal <= 3x)",
        mb(ours),
        mb(theirs),
        ours as f64 / theirs.max(1) as f64
    );

    println!("  | table or index | bytes | share |");
    println!("  |---|---|---|");
    let mut statement = database
        .prepare(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name HAVING sum(pgsize) > 65536
             ORDER BY 2 DESC",
        )
        .expect("dbstat");
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })
        .expect("dbstat rows");
    for row in rows {
        let (name, bytes) = row.expect("row");
        let bytes = u64::try_from(bytes).unwrap_or(0);
        println!(
            "  | {name} | {} | {:.1}% |",
            mb(bytes),
            100.0 * bytes as f64 / ours.max(1) as f64
        );
    }

    println!("  | column | bytes |");
    println!("  |---|---|");
    for (table, column) in [
        ("changes", "fields"),
        ("changes", "proof"),
        ("changes", "chain"),
        ("entity_state", "current"),
        ("entity_state", "stamps"),
        ("audit_log", "reason"),
        ("audit_log", "fields"),
    ] {
        let bytes: Option<i64> = database
            .query_row(
                &format!("SELECT sum(length(CAST({column} AS BLOB))) FROM {table}"),
                [],
                |row| row.get(0),
            )
            .ok()
            .flatten();
        if let Some(bytes) = bytes {
            println!(
                "  | {table}.{column} | {} |",
                mb(u64::try_from(bytes).unwrap_or(0))
            );
        }
    }

    // What compressing each record's values in the database would save (not done: see
    // BENCHMARKS.md): every row of entity_state.current on its own with zstd level 3, and with a
    // 16 KiB dictionary trained on the first 2,000 rows.
    let rows: Vec<Vec<u8>> = database
        .prepare("SELECT current FROM entity_state")
        .expect("current")
        .query_map([], |row| row.get::<_, String>(0))
        .expect("rows")
        .map(|row| row.expect("row").into_bytes())
        .collect();
    let raw: usize = rows.iter().map(Vec::len).sum();
    let alone: usize = rows
        .iter()
        .map(|row| zstd::bulk::compress(row, 3).expect("zstd").len())
        .sum();
    let samples: Vec<&[u8]> = rows.iter().take(2_000).map(Vec::as_slice).collect();
    let dictionary = zstd::dict::from_samples(&samples, 16 * 1024).expect("dictionary");
    let mut compressor =
        zstd::bulk::Compressor::with_dictionary(3, &dictionary).expect("compressor");
    let with_dictionary: usize = rows
        .iter()
        .map(|row| compressor.compress(row).expect("zstd").len())
        .sum();
    println!(
        "  entity_state.current, {} rows: {} as JSON; zstd row by row {} ({:.1}x); with a \
         dictionary {} ({:.1}x)",
        rows.len(),
        mb(raw as u64),
        mb(alone as u64),
        raw as f64 / alone.max(1) as f64,
        mb(with_dictionary as u64),
        raw as f64 / with_dictionary.max(1) as f64
    );
}
