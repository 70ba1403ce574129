//! What the CLI writes: its output lines (which fail instead of panicking), the files a person
//! asks for (created new and private), and moments shown as people read them.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Standard output could not be written: a full disk behind `>`, or a reader that stopped reading
/// (`hearth status | head -1`). `println!` would panic; the command ends with this instead.
#[derive(Debug, thiserror::Error)]
#[error("could not write to standard output: {0}")]
pub struct StdoutError(pub std::io::Error);

impl StdoutError {
    /// The reader closed the pipe: it has what it wanted, so this is no failure to report.
    pub fn is_closed_pipe(&self) -> bool {
        self.0.kind() == std::io::ErrorKind::BrokenPipe
    }
}

/// Writes one line to standard output and flushes it, so that a failure is seen by the command
/// that wrote the line.
pub fn line(text: std::fmt::Arguments<'_>) -> Result<(), StdoutError> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(text)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(StdoutError)
}

/// `println!` that returns a [`StdoutError`] instead of panicking.
macro_rules! say {
    () => {
        $crate::output::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Creates `path` with `bytes` (never over an existing file), readable by its owner only.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    hearth_core::files::write_new_private_file(path, bytes)
        .with_context(|| format!("could not create {}", path.display()))
}

/// A moment (milliseconds since the Unix epoch) as `YYYY-MM-DD HH:MMZ`, in UTC: the CLI's output
/// is read on laptops in several time zones and compared between them.
pub fn utc_minute(ms: u64) -> String {
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(moment) => moment.strftime("%Y-%m-%d %H:%MZ").to_string(),
        Err(_) => format!("{ms} ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_read_in_utc_to_the_minute() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00Z");
        // 2026-12-01 21:56:59.999 UTC.
        assert_eq!(utc_minute(1_796_162_219_999), "2026-12-01 21:56Z");
        assert_eq!(utc_minute(u64::MAX), format!("{} ms", i64::MAX));
    }
}
