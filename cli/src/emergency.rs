//! `hearth vault wipe` and `hearth settings duress-passphrase`: the emergency wipe and the
//! passphrase that does it from the unlock prompt.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use hearth_core::access::Session;
use hearth_core::files::readable_size;

use crate::output::say;
use crate::secret_input::read_new_passphrase;

/// What the person types to confirm a wipe.
const CONFIRMATION: &str = "WIPE";

/// Asks to confirm on stderr, reads the answer from stdin, then wipes.
pub fn wipe(session: Session, folder: &Path) -> Result<()> {
    // The question goes to stderr, so that stdout holds only the result.
    let mut stderr = std::io::stderr();
    write!(
        stderr,
        "This makes the vault in {} unreadable for good: every case, the audit log and every key \
         slot. No passphrase or recovery key opens it afterwards. Type {CONFIRMATION} to go on: ",
        folder.display()
    )
    .and_then(|()| stderr.flush())
    .context("could not ask for the confirmation")?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("could not read the confirmation")?;
    if answer.trim() != CONFIRMATION {
        bail!("not confirmed (type {CONFIRMATION}); nothing was changed");
    }
    let wiped = session.wipe_vault()?;
    say!(
        "Wiped: the key slots were destroyed after {} ms, and {} file(s) ({}) were overwritten and \
         removed after {} ms.",
        wiped.unreadable_after.as_millis(),
        wiped.files,
        readable_size(wiped.bytes_overwritten),
        wiped.finished_after.as_millis()
    )?;
    say!(
        "On an SSD, a USB stick or a copy-on-write file system, old blocks of the database and of \
         the key slots may stay on the drive until it reuses them; only the laptop's full-disk \
         encryption makes those unreadable for sure (README, \"Emergency wipe\")."
    )?;
    Ok(())
}

/// Sets the duress passphrase (typed twice, or from a file), or removes it with `off`.
pub fn duress_passphrase(
    session: &mut Session,
    off: bool,
    new_passphrase_file: Option<&Path>,
) -> Result<()> {
    if off {
        if session.remove_duress_passphrase()? {
            say!("Removed the duress passphrase.")?;
        } else {
            say!("There was no duress passphrase.")?;
        }
        return Ok(());
    }
    let passphrase = read_new_passphrase(new_passphrase_file, "the duress passphrase")?;
    session.set_duress_passphrase(&passphrase)?;
    say!(
        "Set the duress passphrase. Typed at unlock with any account's name, it wipes this vault \
         without a word and opens an empty new one in its place. Tell only the people who need it."
    )?;
    Ok(())
}
