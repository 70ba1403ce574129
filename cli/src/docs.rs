//! The man page and shell completions the packages install, generated from the same clap
//! definitions as `--help`, so that they never describe another version of the commands.

use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::Cli;

/// Writes `hearth.1`, `hearth.bash`, `_hearth` and `hearth.fish` into `folder` (created if
/// missing). Each file is written whole under its final name only when complete, readable by
/// everyone (they are installed for every user of the laptop, and hold nothing but the help).
pub fn write(folder: &Path) -> Result<()> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("could not create {}", folder.display()))?;
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .context("could not render the man page")?;
    put(&folder.join("hearth.1"), &page)?;
    for (shell, name) in [
        (Shell::Bash, "hearth.bash"),
        (Shell::Zsh, "_hearth"),
        (Shell::Fish, "hearth.fish"),
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command.clone(), "hearth", &mut script);
        put(&folder.join(name), &script)?;
    }
    Ok(())
}

fn put(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut staged = path.as_os_str().to_owned();
    staged.push(".tmp");
    std::fs::write(&staged, bytes)
        .and_then(|()| std::fs::rename(&staged, path))
        .with_context(|| format!("could not write {}", path.display()))
}
