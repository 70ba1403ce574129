//! What the benches share to report a figure: percentiles of timed runs, milliseconds, and the
//! process's peak resident memory. Included with `#[path]` by each bench that uses it.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// The `p` percentile (0.0 to 1.0) of `samples`, which it sorts.
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

/// A duration in milliseconds, one decimal.
pub fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// `runs` timings of `work`.
pub fn timed(runs: usize, mut work: impl FnMut()) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect()
}

/// The process's peak resident set size so far (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
}

/// The process's peak resident set size so far (VmHWM), in MiB.
pub fn peak_rss_mib() -> String {
    peak_rss_kib().map_or("unknown".to_owned(), |kib| {
        format!("{:.0} MiB", kib as f64 / 1024.0)
    })
}
