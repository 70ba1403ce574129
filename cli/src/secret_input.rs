//! Reading passphrases and the recovery key: from a file named on the command line, or typed on
//! the terminal without echo. Never from an argument (it would land in shell history and `ps`).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use hearth_core::crypto::Passphrase;
use zeroize::Zeroizing;

/// The first line of `path`, without its line ending, in memory that is zeroed on drop.
pub fn read_secret_file(path: &Path, what: &str) -> Result<Zeroizing<String>> {
    let contents = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("could not read the {what} file {}", path.display()))?,
    );
    let first_line = contents.lines().next().unwrap_or_default();
    if first_line.is_empty() {
        bail!("the {what} file {} is empty", path.display());
    }
    Ok(Zeroizing::new(first_line.to_owned()))
}

fn require_terminal(what: &str) -> Result<()> {
    if std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(anyhow!(
            "no {what} given and no terminal to ask on; pass it in a file (--passphrase-file FILE)"
        ))
    }
}

fn prompt(label: &str) -> Result<Zeroizing<String>> {
    rpassword::prompt_password(label)
        .map(Zeroizing::new)
        .context("could not read from the terminal")
}

/// The passphrase that unlocks `account`: from `file`, or asked once on the terminal.
pub fn read_passphrase(file: Option<&Path>, account: &str) -> Result<Passphrase> {
    let text = match file {
        Some(path) => read_secret_file(path, "passphrase")?,
        None => {
            require_terminal("passphrase")?;
            prompt(&format!("Passphrase for {account}: "))?
        }
    };
    Ok(Passphrase::new(text.to_string()))
}

/// A new passphrase for `account`: from `file`, or typed twice on the terminal.
pub fn read_new_passphrase(file: Option<&Path>, account: &str) -> Result<Passphrase> {
    if file.is_some() {
        return read_passphrase(file, account);
    }
    require_terminal("new passphrase")?;
    let first = prompt(&format!("New passphrase for {account}: "))?;
    let second = prompt("Type it again: ")?;
    if first != second {
        bail!("the two passphrases differ; nothing was changed");
    }
    Ok(Passphrase::new(first.to_string()))
}

/// A one-time passphrase given with a referral packet: from `file`, or typed on the terminal.
pub fn read_packet_passphrase(file: Option<&Path>) -> Result<Zeroizing<String>> {
    match file {
        Some(path) => read_secret_file(path, "one-time passphrase"),
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(anyhow!(
                    "this packet is protected by a one-time passphrase and there is no terminal to ask on; pass it in a file (--packet-passphrase-file FILE)"
                ));
            }
            prompt("One-time passphrase given with the packet: ")
        }
    }
}
