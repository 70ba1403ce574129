//! Files the person asks Hearth to write outside the vault: bundles, join requests, enrollments,
//! audit exports. Each is created new (never over an existing file, which may be someone else's
//! bundle on the same stick) and readable by its owner only, and is on disk whole before the call
//! returns.

use std::io::Write;
use std::path::Path;

/// Creates `path` with `bytes`: refused if it exists; mode 0600 on Unix; synced to disk.
pub fn write_new_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_never_written_over_and_only_its_owner_reads_it() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a.age");
        write_new_private_file(&path, b"one").unwrap();
        assert!(write_new_private_file(&path, b"two").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
