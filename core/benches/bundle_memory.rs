//! `make bench`: how much memory a full bundle's export and import take, at growing sizes of
//! the organisation (HEARTH_BENCH_SIZES, cases, comma-separated; 20,000, 100,000 and 300,000 by
//! default). The goal: under 250 MB at 100,000 cases, and a peak that does not grow with the
//! number of cases.
//!
//! Each piece of work runs in a process of its own (this bench started again with
//! HEARTH_BENCH_CHILD set), which reports its own peak resident set (VmHWM) from the moment the
//! vault is unlocked: the export of a full bundle to a file, and its import from the file into a
//! fresh copy of a joined laptop. The baseline in the same run is a process that only unlocks the
//! same vault, whose peak is the unlock's (its Argon2id takes 64 MiB at the floor the benches use,
//! and frees it before the work begins). The bench ends by saying whether the peak stayed flat:
//! the largest size's import and export within 25% (or 32 MiB) of the smallest's.
#![allow(clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use hearth_core::files::StagedFile;
use hearth_core::records::demo::DemoGenerator;
use hearth_core::sync::Unwatched;

#[path = "support/measure.rs"]
mod measure;
#[path = "support/organisation.rs"]
mod organisation;
use organisation::{add_cases, copy_folder, joined_pair, supervisor};

/// What a child process did: its peak resident set (KiB), its time, and a count.
struct ChildReport {
    peak_kib: u64,
    ms: u64,
    count: u64,
}

/// In the child: the work named by HEARTH_BENCH_CHILD, reported on stdout.
fn child(work: &str) {
    let folder = PathBuf::from(std::env::var("HEARTH_BENCH_FOLDER").expect("folder"));
    let file = PathBuf::from(std::env::var("HEARTH_BENCH_FILE").unwrap_or_default());
    let mut session = supervisor(&folder);
    if work != "unlock" {
        // From here the peak is the work's: the unlock's Argon2id memory (64 MiB, freed) would
        // otherwise hide anything smaller. Writing 5 to clear_refs resets VmHWM to the current
        // resident set (Linux 4.0 on).
        std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak");
    }
    let started = Instant::now();
    let count = match work {
        "unlock" => 0,
        "export" => {
            let staged = StagedFile::create(&file).expect("file");
            session
                .export_bundle_watched(None, true, staged, StagedFile::put_in_place_new, &Unwatched)
                .expect("export")
                .changes
        }
        "import" => {
            session
                .import_bundle_file(&file, &Unwatched)
                .expect("import")
                .applied
        }
        other => panic!("no such work: {other}"),
    };
    let ms = started.elapsed().as_millis();
    println!(
        "peak_kib={} ms={ms} count={count}",
        measure::peak_rss_kib().expect("VmHWM")
    );
}

fn run_child(work: &str, folder: &Path, file: &Path) -> ChildReport {
    let output = Command::new(std::env::current_exe().expect("this bench"))
        .env("HEARTH_BENCH_CHILD", work)
        .env("HEARTH_BENCH_FOLDER", folder)
        .env("HEARTH_BENCH_FILE", file)
        .output()
        .expect("child");
    assert!(
        output.status.success(),
        "{work}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| -> u64 {
        text.split_whitespace()
            .find_map(|word| word.strip_prefix(name))
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("{work} did not report {name}: {text}"))
    };
    ChildReport {
        peak_kib: field("peak_kib="),
        ms: field("ms="),
        count: field("count="),
    }
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn main() {
    if let Ok(work) = std::env::var("HEARTH_BENCH_CHILD") {
        child(&work);
        return;
    }
    let sizes: Vec<usize> = std::env::var("HEARTH_BENCH_SIZES")
        .unwrap_or_else(|_| "20000,100000,300000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    println!("Bundle memory, full bundles of {sizes:?} cases (peak resident set of each process)");
    let scratch = tempfile::tempdir().expect("scratch");
    let first_folder = scratch.path().join("first");
    let second_folder = scratch.path().join("second");
    joined_pair(&first_folder, &second_folder);
    let mut generator = DemoGenerator::new(7);
    let mut made = 0;
    let mut peaks = Vec::new();
    for &size in &sizes {
        {
            let mut first = supervisor(&first_folder);
            add_cases(&mut first, &mut generator, made, size);
        }
        made = size;
        let bundle = scratch.path().join(format!("full-{size}.age"));
        let unlock = run_child("unlock", &first_folder, &bundle);
        let export = run_child("export", &first_folder, &bundle);
        let bytes = std::fs::metadata(&bundle).expect("bundle").len();
        let copy = scratch.path().join(format!("second-{size}"));
        copy_folder(&second_folder, &copy);
        let import = run_child("import", &copy, &bundle);
        assert_eq!(import.count, export.count, "every change applied");
        println!(
            "  {size} cases, {} changes, bundle {:.1} MB: export peak {} in {:.1} s; import peak {} \
             in {:.1} s; the unlock alone (baseline) {}",
            export.count,
            bytes as f64 / 1e6,
            mib(export.peak_kib),
            export.ms as f64 / 1e3,
            mib(import.peak_kib),
            import.ms as f64 / 1e3,
            mib(unlock.peak_kib),
        );
        if size == 100_000 {
            let worst = export.peak_kib.max(import.peak_kib);
            println!(
                "  at 100,000 cases: {} (goal < 250 MB: {})",
                mib(worst),
                if worst * 1024 < 250_000_000 {
                    "met"
                } else {
                    "missed"
                }
            );
        }
        peaks.push((size, export.peak_kib, import.peak_kib));
        std::fs::remove_dir_all(&copy).expect("clean");
        std::fs::remove_file(&bundle).expect("clean");
    }
    if let (Some(smallest), Some(largest)) = (peaks.first(), peaks.last()) {
        let flat = |small: u64, large: u64| large <= (small + small / 4).max(small + 32 * 1024);
        let is_flat = flat(smallest.1, largest.1) && flat(smallest.2, largest.2);
        println!(
            "  from {} to {} cases: export {} to {}, import {} to {}: {}",
            smallest.0,
            largest.0,
            mib(smallest.1),
            mib(largest.1),
            mib(smallest.2),
            mib(largest.2),
            if is_flat {
                "flat (within 25% or 32 MiB)"
            } else {
                "NOT flat: the peak grows with the cases"
            }
        );
        let _ = std::io::stdout().flush();
        // The check this bench is for: `make bench` fails if memory grows with the bundle.
        assert!(
            is_flat,
            "a full bundle's memory grows with the number of cases"
        );
    }
    let _ = std::io::stdout().flush();
}
