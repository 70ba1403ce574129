//! How Hearth's files reach the disk: readable by their owner only, and whole.
//!
//! Every file is written under a temporary name in its own folder, synced, and only then given
//! its final name, so that a full disk, a pulled USB stick or a crash never leaves a cut-short file
//! under a name Hearth or a person would trust. A failed write removes its temporary file.
//!
//! - The vault's own files (`keyslots`, `unlock-throttle`) are replaced atomically
//!   ([`write_file_atomically`]): a crash leaves the old file or the new one.
//! - Files the person asks Hearth to write outside the vault (bundles, join requests, enrollments,
//!   audit exports) are created new ([`write_new_private_file`]), never over an existing file,
//!   which may be someone else's bundle on the same stick.
//!
//! When the disk is too full, the error says how much was needed and how much is free.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use hearth_ids::ErrorKind;

/// Temporary files are named `.<final name>.<random>.tmp`, so that [`remove_stale_temporary_files`]
/// can find the ones a crash left behind.
const TEMPORARY_SUFFIX: &str = ".tmp";

/// The kind of a failure to read or write a file: a full disk, or a folder or file that cannot
/// be used (missing, read-only, not permitted).
pub fn io_kind(error: &io::Error) -> ErrorKind {
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => ErrorKind::DiskFull,
        _ => ErrorKind::Folder,
    }
}

/// Creates `path` with `bytes`: refused if it exists; mode 0600 on Unix; synced to disk; never
/// visible under its name until it is complete.
pub fn write_new_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "a file of that name already exists",
        ));
    }
    StagedFile::stage(path, bytes)?.put_in_place_new()
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, renames it over `path`, and syncs
/// the folder so that the rename itself survives a power cut.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    StagedFile::stage(path, bytes)?.put_in_place()
}

/// A file written under a temporary name beside `path`, waiting to replace it
/// ([`StagedFile::put_in_place`]); dropped, it is deleted. For a write that must happen after
/// something else (a database commit) yet cannot fail for want of space by then, or one written
/// bit by bit ([`StagedFile::create`], then `Write`) that must not be seen until it is whole.
#[derive(Debug)]
pub struct StagedFile {
    temporary: tempfile::NamedTempFile,
    path: std::path::PathBuf,
    written: u64,
    /// The room the disk had when the file was begun: what a full disk's error reports as free
    /// (by the time a write fails, this file has taken it).
    free_before: Option<u64>,
}

impl StagedFile {
    /// An empty private file under a temporary name beside `path`, to write into.
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            free_before: free_space(folder_of(path)),
            temporary: temporary_beside(path)?,
            path: path.to_owned(),
            written: 0,
        })
    }

    /// Writes and syncs `bytes` under a temporary name beside `path`.
    pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<Self> {
        let folder = folder_of(path);
        let needed = bytes.len() as u64;
        if let Some(free) = free_space(folder) {
            if needed > free {
                return Err(disk_full(needed, Some(free)));
            }
        }
        let mut staged = Self::create(path)?;
        staged.write_all(bytes)?;
        staged.sync()?;
        Ok(staged)
    }

    /// The name the file takes when it is put in place.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sync(&self) -> io::Result<()> {
        self.temporary
            .as_file()
            .sync_all()
            .map_err(|error| self.explain(error, 0))
    }

    /// A full disk's error says how much the file needed (at least what was written and was
    /// being written) and how much room there was when it was begun.
    fn explain(&self, error: io::Error, writing: usize) -> io::Error {
        if io_kind(&error) == ErrorKind::DiskFull {
            disk_full(self.written + writing as u64, self.free_before)
        } else {
            error
        }
    }

    /// Syncs the file, renames it over `path` and syncs the folder, so that the rename survives a
    /// power cut.
    pub fn put_in_place(self) -> io::Result<()> {
        self.sync()?;
        self.temporary
            .persist(&self.path)
            .map_err(|error| error.error)?;
        File::open(folder_of(&self.path))?.sync_all()
    }

    /// Gives the file its name only if nothing has that name (a link, or a rename that refuses to
    /// replace): two writers never overwrite each other, nor someone else's file on a stick.
    pub fn put_in_place_new(self) -> io::Result<()> {
        self.sync()?;
        self.temporary
            .persist_noclobber(&self.path)
            .map_err(|error| error.error)?;
        File::open(folder_of(&self.path))?.sync_all()
    }
}

impl Write for StagedFile {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        let written = self
            .temporary
            .write(buffer)
            .map_err(|error| self.explain(error, buffer.len()))?;
        self.written += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temporary.flush()
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A new private file `.<name>.<random>.tmp` beside `path`: tempfile creates it with mode 0600
/// and deletes it when dropped unless it was persisted.
fn temporary_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".");
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMPORARY_SUFFIX)
        .tempfile_in(folder_of(path))
}

/// A disk too full for a file: how much it needed and how much was free (where known). It travels
/// inside the `io::Error` (kind `StorageFull`), so that a shell can say it in the person's language;
/// see [`disk_full_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the disk is full: {} needed{}", readable_size(*.needed), free_text(*.free))]
pub struct DiskFull {
    /// Bytes the write needed.
    pub needed: u64,
    /// Bytes free when it failed.
    pub free: Option<u64>,
}

fn free_text(free: Option<u64>) -> String {
    free.map(|free| format!(", {} free", readable_size(free)))
        .unwrap_or_default()
}

fn disk_full(needed: u64, free: Option<u64>) -> io::Error {
    io::Error::new(io::ErrorKind::StorageFull, DiskFull { needed, free })
}

/// The sizes of a full-disk failure anywhere in `error`'s chain of causes.
pub fn disk_full_of<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a DiskFull> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(full) = current.downcast_ref::<DiskFull>() {
            return Some(full);
        }
        // An io::Error's `source()` skips the error it wraps; `get_ref()` is that error.
        cause = match current.downcast_ref::<io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    None
}

/// Bytes available to this user in the file system holding `folder`, where the platform says.
pub fn free_space(folder: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let stats = rustix::fs::statvfs(folder).ok()?;
        Some(stats.f_bavail.saturating_mul(stats.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        None
    }
}

/// Refuses when `folder`'s file system has less than `needed` bytes free (for work that grows
/// the vault, such as an import). Passes where the platform does not say how much is free.
pub fn ensure_free_space(folder: &Path, needed: u64) -> Result<(), DiskFull> {
    match free_space(folder) {
        Some(free) if free < needed => Err(DiskFull {
            needed,
            free: Some(free),
        }),
        _ => Ok(()),
    }
}

/// A size as people read it: "314 KB", "1.2 MB" (powers of 1000, as file managers show them).
pub fn readable_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.5 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// Deletes the temporary files a crash left in `folder` beside `name` (`.keyslots.<random>.tmp`),
/// and, from Hearth 0.1, `name.<pid>.tmp`. Returns how many it removed. Call it only while no
/// other process can be writing `name` (under the vault's write lock).
pub fn remove_stale_temporary_files(folder: &Path, name: &str) -> io::Result<usize> {
    let stale = temporary_files_of(folder, name)?;
    for file in &stale {
        fs::remove_file(file)?;
    }
    Ok(stale.len())
}

/// The temporary files in `folder` beside `name`: the ones being written now, and the ones a
/// crash left (see [`remove_stale_temporary_files`]).
pub fn temporary_files_of(folder: &Path, name: &str) -> io::Result<Vec<std::path::PathBuf>> {
    let current_prefix = format!(".{name}.");
    let old_prefix = format!("{name}.");
    let mut found = Vec::new();
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let temporary = file_name.ends_with(TEMPORARY_SUFFIX)
            && (file_name.starts_with(&current_prefix) || file_name.starts_with(&old_prefix));
        if temporary && entry.file_type()?.is_file() {
            found.push(entry.path());
        }
    }
    Ok(found)
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

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_never_written_over_and_only_its_owner_reads_it() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a.age");
        write_new_private_file(&path, b"one").unwrap();
        let error = write_new_private_file(&path, b"two").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(names_in(folder.path()), ["a.age"], "no temporary file left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_nothing_else() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keyslots");
        write_file_atomically(&path, b"old").unwrap();
        write_file_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names_in(folder.path()), ["keyslots"]);
    }

    #[test]
    fn a_staged_file_replaces_its_target_only_when_put_in_place() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keyslots");
        fs::write(&path, b"old").unwrap();
        let staged = StagedFile::stage(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(
            names_in(folder.path()).len(),
            2,
            "the staged copy waits beside it"
        );
        staged.put_in_place().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        drop(StagedFile::stage(&path, b"newer").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(
            names_in(folder.path()),
            ["keyslots"],
            "a dropped one is deleted"
        );
    }

    #[test]
    fn a_write_into_a_missing_folder_creates_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("missing").join("a.age");
        let error = write_new_private_file(&path, b"one").unwrap_err();
        assert_eq!(io_kind(&error), ErrorKind::Folder);
        assert!(names_in(folder.path()).is_empty());
    }

    #[test]
    fn stale_temporary_files_of_that_name_only_are_removed() {
        let folder = tempfile::tempdir().unwrap();
        for name in [
            ".keyslots.a1b2c3.tmp",
            "keyslots.4242.tmp",
            "keyslots",
            ".unlock-throttle.x.tmp",
            "notes.tmp",
        ] {
            fs::write(folder.path().join(name), b"x").unwrap();
        }
        let removed = remove_stale_temporary_files(folder.path(), "keyslots").unwrap();
        assert_eq!(removed, 2);
        assert_eq!(
            names_in(folder.path()),
            [".unlock-throttle.x.tmp", "keyslots", "notes.tmp"]
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(readable_size(999), "999 bytes");
        assert_eq!(readable_size(1_000), "1.0 KB");
        assert_eq!(readable_size(204_800), "205 KB");
        assert_eq!(readable_size(314_159), "314 KB");
        assert_eq!(readable_size(1_260_000), "1.3 MB");
        assert_eq!(readable_size(999_999), "1.0 MB");
        assert_eq!(readable_size(5_000_000_000_000_000), "5000 TB");
    }

    #[test]
    fn a_disk_full_error_says_what_was_needed_and_what_is_free() {
        let error = disk_full(314_000, Some(200_000));
        assert_eq!(io_kind(&error), ErrorKind::DiskFull);
        assert_eq!(
            error.to_string(),
            "the disk is full: 314 KB needed, 200 KB free"
        );
        let wrapped = io::Error::other(error);
        assert_eq!(
            disk_full_of(&wrapped),
            Some(&DiskFull {
                needed: 314_000,
                free: Some(200_000)
            })
        );
        assert_eq!(disk_full_of(&io::Error::other("no")), None);
    }

    #[cfg(unix)]
    #[test]
    fn free_space_is_known_here() {
        let folder = tempfile::tempdir().unwrap();
        assert!(free_space(folder.path()).is_some_and(|free| free > 0));
        assert!(ensure_free_space(folder.path(), u64::MAX).is_err());
        assert!(ensure_free_space(folder.path(), 1).is_ok());
    }
}
