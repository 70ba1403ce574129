//! The emergency wipe of a vault folder: the key slots destroyed first (after that nothing opens
//! the database, whatever passphrase or recovery key anyone has), then every file of the vault
//! overwritten and removed.
//!
//! What an overwrite reaches is up to the disk. On a hard disk, or a file system that writes in
//! place, the old bytes are gone. An SSD, or a copy-on-write or journalling file system, may write
//! the new bytes elsewhere and keep the old blocks until it reuses them, where tools that read the
//! raw drive may find them: blocks of the database (ciphertext) and of earlier key-slot files
//! (slots sealed under passphrases), which together open with a passphrase someone knows. Only
//! the laptop's full-disk encryption closes that. What the wipe does guarantee: through the files
//! the vault folder holds, nothing opens the vault once the key slots are overwritten, since the
//! data key exists only sealed in them (and in the memory of a process that has the vault open).
//! A copy of `keyslots` made before (a backup of the folder) is out of its reach.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::vault::VaultPaths;

/// How a wipe went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wiped {
    /// From the start until the key slots were overwritten, synced and removed: from then on the
    /// vault cannot be opened.
    pub unreadable_after: Duration,
    /// From the start until every file was overwritten and removed.
    pub finished_after: Duration,
    /// The vault's files overwritten and removed.
    pub files: u32,
    /// The bytes overwritten.
    pub bytes_overwritten: u64,
}

/// Wipes the vault in `paths`: its key slots first, then its database, WAL and every other file of
/// it, each overwritten, synced and removed; then the folder, if nothing else is in it. Keeps going
/// past a file it cannot overwrite (it is still removed if it can be) and returns the first error
/// at the end, so that one stubborn file leaves no other behind.
pub fn wipe(paths: &VaultPaths) -> io::Result<Wiped> {
    wipe_then(paths, || {})
}

/// [`wipe`], running `between` once the key slots are gone and before any other file is touched:
/// where a caller with the vault open closes its database (waiting for nothing before the vault
/// is unreadable, and writing nothing into files being overwritten).
pub fn wipe_then(paths: &VaultPaths, between: impl FnOnce()) -> io::Result<Wiped> {
    let started = Instant::now();
    let mut first_error: Option<io::Error> = None;
    let mut wiped = Wiped {
        unreadable_after: Duration::ZERO,
        finished_after: Duration::ZERO,
        files: 0,
        bytes_overwritten: 0,
    };
    let (key_files, mut other_files) = vault_files(paths);
    let mut destroy_all = |files: Vec<PathBuf>, random: bool, wiped: &mut Wiped| {
        for file in files {
            match destroy(&file, random) {
                Ok(Some(bytes)) => {
                    wiped.files += 1;
                    wiped.bytes_overwritten += bytes;
                }
                Ok(None) => {}
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
    };
    // Random bytes over the key slots, not zeros: nothing in what is left says where a slot was.
    destroy_all(key_files, true, &mut wiped);
    // The removals themselves must reach the disk before the wipe says the vault is unreadable.
    let synced = sync_folder(paths.folder());
    wiped.unreadable_after = started.elapsed();
    // SQLite removes the WAL and its index when the last connection closes (in `between`),
    // without overwriting them: a second name keeps their bytes until they are.
    let kept = second_names(paths);
    between();
    for (name, second) in kept {
        if name.exists() {
            // Still there: overwritten under its own name, the same bytes.
            let _ = fs::remove_file(second);
        } else {
            other_files.push(second);
        }
    }
    destroy_all(other_files, false, &mut wiped);
    if let Err(error) = synced {
        first_error.get_or_insert(error);
    }
    if let Err(error) = sync_folder(paths.folder()) {
        first_error.get_or_insert(error);
    }
    // Fails, as it should, if the folder holds anything else.
    let _ = fs::remove_dir(paths.folder());
    wiped.finished_after = started.elapsed();
    match first_error {
        Some(error) => Err(error),
        None => Ok(wiped),
    }
}

/// The vault's files in its folder, key slots apart from the rest, with any staged copy of one
/// (`.<name>.<random>.tmp`, see `hearth_format::files::temporary_files_of`) beside it. Only these: a folder someone
/// named with `--vault` may hold other things, which are not the vault's to wipe.
fn vault_files(paths: &VaultPaths) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let key_files = vec![paths.key_slots(), paths.next_key_slots()];
    let mut other_files = vec![paths.database()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = paths.database().into_os_string();
        name.push(suffix);
        other_files.push(name.into());
    }
    other_files.extend([paths.throttle(), paths.write_lock()]);
    let staged_copies = |files: &[PathBuf]| -> Vec<PathBuf> {
        files
            .iter()
            .filter_map(|file| file.file_name()?.to_str())
            .flat_map(|name| {
                hearth_format::files::temporary_files_of(paths.folder(), name).unwrap_or_default()
            })
            .collect()
    };
    let key_copies = staged_copies(&key_files);
    let other_copies = staged_copies(&other_files);
    (
        key_files.into_iter().chain(key_copies).collect(),
        other_files.into_iter().chain(other_copies).collect(),
    )
}

/// A second name (`.<name>.wiping.tmp`, a staged copy's form, so that a wipe after a crash finds
/// it) for the WAL and its index, where they exist; pairs of the name and the second name. Where
/// the file system has no hard links there is none, and SQLite's removal is all they get.
fn second_names(paths: &VaultPaths) -> Vec<(PathBuf, PathBuf)> {
    ["-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut name = paths.database().into_os_string();
            name.push(suffix);
            let name = PathBuf::from(name);
            let file_name = name.file_name()?.to_str()?.to_owned();
            let second = paths.folder().join(format!(".{file_name}.wiping.tmp"));
            let _ = fs::remove_file(&second);
            fs::hard_link(&name, &second).ok()?;
            Some((name, second))
        })
        .collect()
}

/// Overwrites the file whole (random bytes or zeros), syncs it and removes it; the bytes
/// overwritten, or `None` if there was no such file.
fn destroy(path: &Path, random: bool) -> io::Result<Option<u64>> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let overwritten = if metadata.is_file() {
        overwrite(path, metadata.len(), random)
    } else {
        Ok(0)
    };
    // Removed even if the overwrite failed: gone from the folder is still less to find.
    let removed = fs::remove_file(path);
    let bytes = overwritten?;
    removed?;
    Ok(Some(bytes))
}

fn overwrite(path: &Path, len: u64, random: bool) -> io::Result<u64> {
    const CHUNK: usize = 1 << 20;
    let mut file: File = OpenOptions::new().write(true).open(path)?;
    let mut buffer = vec![0u8; CHUNK];
    let mut left = len;
    while left > 0 {
        let take = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
        if random {
            for block in buffer[..take].chunks_mut(4096) {
                let bytes = hearth_crypto::random_bytes::<4096>()
                    .map_err(|_| io::Error::other("the system's random number generator failed"))?;
                block.copy_from_slice(&bytes[..block.len()]);
            }
        }
        file.write_all(&buffer[..take])?;
        left -= take as u64;
    }
    file.sync_all()?;
    Ok(len)
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    match File::open(folder) {
        Ok(handle) => handle.sync_all(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the vault goes, key slots, staged copies and WAL included; a file that is
    /// not the vault's stays, and so does the folder holding it.
    #[test]
    fn a_wipe_removes_every_file_of_the_vault_and_nothing_else() {
        let folder = tempfile::tempdir().unwrap();
        let paths = VaultPaths::new(folder.path());
        let mut wal = paths.database().into_os_string();
        wal.push("-wal");
        let staged = folder.path().join(".keyslots.AbC123.tmp");
        let theirs = folder.path().join("notes.txt");
        for (file, len) in [
            (paths.key_slots(), 700usize),
            (staged.clone(), 700),
            (paths.database(), 3 << 20),
            (PathBuf::from(wal), 5000),
            (paths.throttle(), 10),
            (theirs.clone(), 4),
        ] {
            fs::write(file, vec![0x5au8; len]).unwrap();
        }
        // A second name for the same bytes (outside the folder's vault files) shows what the
        // wipe wrote over them before it removed them.
        let outside = tempfile::tempdir().unwrap();
        fs::hard_link(paths.key_slots(), outside.path().join("slots")).unwrap();
        fs::hard_link(paths.database(), outside.path().join("db")).unwrap();
        let wiped = wipe(&paths).unwrap();
        let slots = fs::read(outside.path().join("slots")).unwrap();
        assert_eq!(slots.len(), 700);
        assert!(
            slots.iter().filter(|&&b| b == 0x5a).count() < 50,
            "random over the slots"
        );
        let database = fs::read(outside.path().join("db")).unwrap();
        assert!(database.len() == 3 << 20 && database.iter().all(|&b| b == 0));
        assert_eq!(wiped.files, 5);
        assert_eq!(wiped.bytes_overwritten, 700 + 700 + (3 << 20) + 5000 + 10);
        assert!(wiped.unreadable_after <= wiped.finished_after);
        let left: Vec<_> = fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left, ["notes.txt"]);
        assert_eq!(fs::read(theirs).unwrap(), [0x5a; 4]);

        // A vault folder with nothing else in it goes too.
        fs::remove_file(folder.path().join("notes.txt")).unwrap();
        fs::write(paths.key_slots(), b"slots").unwrap();
        wipe(&paths).unwrap();
        assert!(!folder.path().exists());
    }
}
