//! How Hearth's files reach the disk: readable by their owner only, and whole.
//!
//! - The vault's own files (`keyslots`, `unlock-throttle`) are replaced atomically
//!   ([`write_file_atomically`]): a crash leaves the old file or the new one.
//! - Files the person asks Hearth to write outside the vault (bundles, join requests, enrollments,
//!   audit exports) are created new ([`write_new_private_file`]), never over an existing file,
//!   which may be someone else's bundle on the same stick.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use hearth_ids::ErrorKind;

/// The kind of a failure to read or write a file: a full disk, or a folder or file that cannot
/// be used (missing, read-only, not permitted).
pub fn io_kind(error: &std::io::Error) -> ErrorKind {
    match error.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => ErrorKind::DiskFull,
        _ => ErrorKind::Folder,
    }
}

/// Creates `path` with `bytes`: refused if it exists; mode 0600 on Unix; synced to disk.
pub fn write_new_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = private_file_options(false).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, renames it over `path`, and syncs
/// the folder so that the rename itself survives a power cut. The temporary name carries the
/// process id, so that two processes never write into each other's temporary file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    let mut temp_name = path.file_name().unwrap_or_default().to_os_string();
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp_path = folder.join(temp_name);
    let written = (|| {
        let mut file = private_file_options(true).open(&temp_path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp_path, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp_path);
    }
    written?;
    File::open(folder)?.sync_all()
}

/// Options that create a file only its owner can read: truncating an existing one, or (with
/// `replace` false) refusing if the file already exists.
pub fn private_file_options(replace: bool) -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    if replace {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
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
        assert_eq!(fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
