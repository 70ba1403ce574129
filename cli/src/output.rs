//! What the CLI writes besides its messages: the files a person asks for, created new and
//! private, and moments shown as people read them.

use std::path::Path;

use anyhow::{Context, Result};

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
