//! `make bench`: what one unlock costs at the parameters a new vault calibrates to, split into the
//! Argon2id derivation and everything else (reading the slot file, unwrapping, opening SQLCipher,
//! checking the schema, loading the account).
//!
//! The machine is shared and noisy, so each figure is the median of several runs, the KDF and the
//! whole unlock are measured alternately in the same run, and "the rest" is reported as a share of
//! the unlock rather than as an absolute time alone.
// A benchmark reports on stdout.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hearth_core::access::{self, KdfChoice, NewVault};
use hearth_core::crypto::{self, KdfParams, Passphrase};

const RUNS: usize = 9;
const PASSPHRASE: &str = "violet kettle orbit pasture";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// A vault whose slots use `params`, for unlocking in a loop.
fn vault_with(params: KdfParams) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("temp folder");
    let (session, _recovery_key) = access::create_vault(
        folder.path(),
        NewVault {
            organisation: "Bench Org",
            site: "Bench Site",
            admin_name: "Bench Admin",
            admin_passphrase: &Passphrase::new(PASSPHRASE.to_owned()),
            kdf: KdfChoice::Fixed(params),
        },
    )
    .expect("create vault");
    session.lock();
    folder
}

/// Medians of (whole unlock, KDF alone, unlock minus KDF measured back to back in each run).
fn measure(params: KdfParams) -> (Duration, Duration, f64) {
    let folder = vault_with(params);
    let passphrase = Passphrase::new(PASSPHRASE.to_owned());
    let salt = crypto::random_bytes().expect("salt");
    let (mut unlocks, mut kdfs, mut rests) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t = Instant::now();
        crypto::derive_key(PASSPHRASE.as_bytes(), &salt, &params).expect("kdf");
        let kdf = t.elapsed();
        let t = Instant::now();
        let session = access::unlock(folder.path(), "Bench Admin", &passphrase).expect("unlock");
        let unlock = t.elapsed();
        session.lock();
        unlocks.push(unlock);
        kdfs.push(kdf);
        // Signed: when the rest is smaller than the noise, some differences come out negative.
        rests.push(unlock.as_secs_f64() - kdf.as_secs_f64());
    }
    rests.sort_by(f64::total_cmp);
    (median(unlocks), median(kdfs), rests[rests.len() / 2])
}

fn main() {
    let started = Instant::now();
    let calibrated = KdfParams::calibrate(Duration::from_secs(1)).expect("calibration");
    let calibration = started.elapsed();
    let (unlock, kdf, rest) = measure(calibrated);
    // At the floor the KDF is six times cheaper, so the same noise hides less of the rest.
    let (floor_unlock, floor_kdf, floor_rest) = measure(KdfParams::FLOOR);
    let share = |rest: f64, unlock: Duration| rest / unlock.as_secs_f64() * 100.0;

    println!("Unlock benchmark ({RUNS} runs each, medians; KDF and unlock alternate within a run)");
    println!();
    println!("| measure | calibrated vault | vault at the floor |");
    println!("|---|---|---|");
    println!(
        "| Argon2id parameters | {calibrated} | {} |",
        KdfParams::FLOOR
    );
    println!("| whole unlock | {} | {} |", ms(unlock), ms(floor_unlock));
    println!(
        "| KDF alone, same parameters | {} | {} |",
        ms(kdf),
        ms(floor_kdf)
    );
    println!(
        "| everything but the KDF (paired difference) | {:.1} ms ({:.1}%) | {:.1} ms ({:.1}%) |",
        rest * 1000.0,
        share(rest, unlock),
        floor_rest * 1000.0,
        share(floor_rest, floor_unlock)
    );
    println!();
    println!(
        "Calibration took {}. Goal: everything but the KDF under 20% of the unlock.",
        ms(calibration)
    );
}
