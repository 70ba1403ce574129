//! Go's `age` (Debian's package), the stock tool a partner or the office opens Hearth's files with.
//! Included with `#[path]` by the tests that check an encrypted file with it.
#![allow(clippy::unwrap_used, dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Decrypts `sealed` into `plain` with `passphrase`, as a person types it. Go's age reads a
/// passphrase only from a terminal: script(1) gives it one.
pub fn decrypt_with_passphrase(sealed: &Path, plain: &Path, passphrase: &str) {
    let mut age = Command::new("script")
        .arg("-qec")
        .arg(format!(
            "age -d -o {} {}",
            plain.display(),
            sealed.display()
        ))
        .arg("/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    age.stdin
        .take()
        .unwrap()
        .write_all(format!("{passphrase}\n").as_bytes())
        .unwrap();
    assert!(
        age.wait().unwrap().success(),
        "age -d refused {}",
        sealed.display()
    );
}
