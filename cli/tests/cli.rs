//! The `hearth` binary as a person meets it: exit codes and the one line on stderr for each
//! failure, and the output of each command.
// Test helpers unwrap too: a panic is how a test reports the unexpected.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use hearth_core::access::normalise_account_name;
use hearth_core::keyslots::KeySlotFile;
use hearth_core::vault::VaultPaths;

const ADMIN_PASSPHRASE: &str = "violet kettle orbit pasture";
const CASEWORKER_PASSPHRASE: &str = "lantern quietly harbour seventeen";

/// A scratch folder with passphrase files and a path for the vault.
struct Scratch {
    folder: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let scratch = Self {
            folder: tempfile::tempdir().unwrap(),
        };
        scratch.write("admin.pass", ADMIN_PASSPHRASE);
        scratch.write("caseworker.pass", CASEWORKER_PASSPHRASE);
        scratch.write("wrong.pass", "certainly not the passphrase");
        scratch.write("weak.pass", "password");
        scratch
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, format!("{contents}\n")).unwrap();
        path
    }

    /// Runs `hearth --vault <scratch>/vault ARGS` with no terminal and no HEARTH_* environment.
    fn hearth(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// That command, not yet run, for a test that sets up its output itself.
    fn command(&self, args: &[&str]) -> Command {
        self.prepare(Command::new(env!("CARGO_BIN_EXE_hearth")), args)
    }

    /// `hearth` with its clock moved by `offset` (faketime's `-f`, such as `+365d`).
    fn hearth_at(&self, offset: &str, args: &[&str]) -> Output {
        let mut faketime = Command::new("faketime");
        faketime.args(["-f", offset, env!("CARGO_BIN_EXE_hearth")]);
        self.prepare(faketime, args).output().unwrap()
    }

    fn prepare(&self, mut command: Command, args: &[&str]) -> Command {
        command
            .arg("--vault")
            .arg(self.path("vault"))
            .args(args.iter().map(|arg| self.expand(arg)))
            .env_remove("HEARTH_VAULT")
            .env_remove("HEARTH_USER")
            .stdin(Stdio::null());
        command
    }

    /// `@name` stands for the scratch file `name`.
    fn expand(&self, arg: &str) -> String {
        match arg.strip_prefix('@') {
            Some(name) => self.path(name).display().to_string(),
            None => arg.to_owned(),
        }
    }

    /// A vault with the administrator Mirela and the caseworker Dragan, at the KDF floor.
    fn with_vault(self) -> Self {
        // Each slot carries a one-byte tag of its account's name. When Mirela's and Dragan's tags
        // collide (one vault in 256), unlocking one name also tries the other's slot and some
        // refusals read differently; these tests pin each line exactly, so make such a vault again.
        loop {
            self.create_vault();
            let slots =
                KeySlotFile::read(&VaultPaths::new(self.path("vault")).key_slots()).unwrap();
            let tag = |name: &str| slots.name_tag(&normalise_account_name(name));
            if tag("Mirela") != tag("Dragan") {
                return self;
            }
            std::fs::remove_dir_all(self.path("vault")).unwrap();
        }
    }

    fn create_vault(&self) {
        let init = self.hearth(&[
            "--passphrase-file",
            "@admin.pass",
            "init",
            "--org",
            "Safe Harbour",
            "--site",
            "North",
            "--admin",
            "Mirela",
            "--unlock-cost-ms",
            "0",
        ]);
        assert_success(&init);
        let recovery_key = stdout(&init)
            .lines()
            .map(str::trim)
            .find(|line| line.len() == 55 && line.chars().filter(|c| *c == '-').count() == 7)
            .expect("the recovery key is printed")
            .to_owned();
        self.write("recovery.key", &recovery_key);
        assert_success(&self.as_admin(&[
            "user",
            "add",
            "Dragan",
            "--role",
            "caseworker",
            "--new-passphrase-file",
            "@caseworker.pass",
        ]));
    }

    fn as_admin(&self, args: &[&str]) -> Output {
        let mut all = vec!["--user", "Mirela", "--passphrase-file", "@admin.pass"];
        all.extend_from_slice(args);
        self.hearth(&all)
    }

    fn as_caseworker(&self, args: &[&str]) -> Output {
        let mut all = vec!["--user", "Dragan", "--passphrase-file", "@caseworker.pass"];
        all.extend_from_slice(args);
        self.hearth(&all)
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn assert_success(output: &Output) {
    assert!(output.status.success(), "failed: {}", stderr(output));
}

/// The command failed with exactly this one line on stderr.
fn assert_fails_with(output: &Output, line: &str) {
    assert_eq!(output.status.code(), Some(1), "stdout: {}", stdout(output));
    assert_eq!(stderr(output), format!("hearth: {line}\n"));
}

fn vault_path(scratch: &Scratch) -> String {
    scratch.path("vault").display().to_string()
}

#[test]
fn init_prints_the_recovery_key_once_and_refuses_a_second_vault() {
    let scratch = Scratch::new().with_vault();
    let again = scratch.hearth(&[
        "--passphrase-file",
        "@admin.pass",
        "init",
        "--org",
        "Other",
        "--site",
        "South",
        "--admin",
        "Someone",
        "--unlock-cost-ms",
        "0",
    ]);
    assert_fails_with(
        &again,
        &format!(
            "a Hearth vault already exists in this folder ({}); choose another --vault folder",
            vault_path(&scratch)
        ),
    );
    // The recovery key is never shown again.
    let status = scratch.as_admin(&["status"]);
    let key = std::fs::read_to_string(scratch.path("recovery.key")).unwrap();
    assert!(!stdout(&status).contains(key.trim()));
}

#[test]
fn status_shows_the_vault() {
    let scratch = Scratch::new().with_vault();
    let output = scratch.as_caseworker(&["status"]);
    assert_success(&output);
    let text = stdout(&output);
    for expected in [
        "Organisation:   Safe Harbour",
        "Site:           North",
        "Accounts:       2 (2 active)",
        &format!("Schema version: {}", hearth_core::vault::SCHEMA_VERSION),
        "Signed in as:   Dragan (caseworker)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(
        text.contains("Integrity:      ok (every page verified)"),
        "{text}"
    );
    let admin = stdout(&scratch.as_admin(&["status"]));
    assert!(
        admin.contains("Integrity:      ok (every page verified)"),
        "{admin}"
    );
    assert!(admin.contains("Device:         "), "{admin}");
}

#[test]
fn each_unlock_failure_has_its_own_line() {
    let scratch = Scratch::new().with_vault();
    assert_fails_with(
        &scratch.hearth(&[
            "--user",
            "Mirela",
            "--passphrase-file",
            "@wrong.pass",
            "status",
        ]),
        "wrong passphrase for this account",
    );
    let unknown = scratch.hearth(&[
        "--user",
        "Nobody",
        "--passphrase-file",
        "@admin.pass",
        "status",
    ]);
    // A one-byte name tag can collide with a real account's (then the passphrase fails instead).
    let line = stderr(&unknown);
    assert!(
        line == "hearth: there is no account with that name; check the name given with --user\n"
            || line == "hearth: wrong passphrase for this account\n",
        "{line}"
    );
    assert_fails_with(
        &scratch.hearth(&["--user", "Mirela", "status"]),
        "no passphrase given and no terminal to ask on; pass it in a file (--passphrase-file FILE)",
    );
    assert_fails_with(
        &scratch.hearth(&["--passphrase-file", "@admin.pass", "status"]),
        "which account? name it with --user NAME (or HEARTH_USER)",
    );

    assert_success(&scratch.as_admin(&["user", "disable", "Dragan"]));
    assert_fails_with(
        &scratch.as_caseworker(&["status"]),
        "this account is disabled; ask an administrator to enable it",
    );
    assert_success(&scratch.as_admin(&["user", "enable", "Dragan"]));
    assert_success(&scratch.as_caseworker(&["status"]));
}

#[test]
fn no_vault_here() {
    let scratch = Scratch::new();
    assert_fails_with(
        &scratch.as_admin(&["status"]),
        &format!(
            "there is no Hearth vault in this folder ({}); create one with `hearth init`",
            vault_path(&scratch)
        ),
    );
}

#[test]
fn repeated_failures_make_the_next_attempt_wait() {
    let scratch = Scratch::new().with_vault();
    for _ in 0..5 {
        assert_fails_with(
            &scratch.hearth(&[
                "--user",
                "Dragan",
                "--passphrase-file",
                "@wrong.pass",
                "status",
            ]),
            "wrong passphrase for this account",
        );
    }
    // Every run is a new process: the wait survives restarts.
    let waiting = scratch.as_caseworker(&["status"]);
    let line = stderr(&waiting);
    let seconds: u64 = line
        .strip_prefix("hearth: too many wrong attempts; please wait ")
        .and_then(|rest| rest.strip_suffix(" s before trying again\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected: {line}"));
    assert!((1..=30).contains(&seconds));
    assert_eq!(waiting.status.code(), Some(1));
}

#[test]
fn failures_counted_while_the_clock_was_ahead_wait_no_longer_once_it_is_right() {
    let scratch = Scratch::new().with_vault();
    let wrong = [
        "--user",
        "Dragan",
        "--passphrase-file",
        "@wrong.pass",
        "status",
    ];
    for _ in 0..5 {
        assert_fails_with(
            &scratch.hearth_at("+365d", &wrong),
            "wrong passphrase for this account",
        );
    }
    let stamps = std::fs::read_to_string(scratch.path("vault").join("unlock-throttle")).unwrap();
    let stamp: u64 = stamps
        .split("\"last_failure_unix_ms\":")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("no stamp in {stamps}"));
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(
        stamp > now_ms + 300 * 24 * 3_600_000,
        "faketime did not move the clock: {stamps}"
    );
    // The clock is put right: the wait is the usual one, not a year.
    assert_fails_with(
        &scratch.as_caseworker(&["status"]),
        "too many wrong attempts; please wait 30 s before trying again",
    );
}

#[test]
fn weak_passphrases_are_refused_with_advice() {
    let scratch = Scratch::new();
    let output = scratch.hearth(&[
        "--passphrase-file",
        "@weak.pass",
        "init",
        "--org",
        "Safe Harbour",
        "--site",
        "North",
        "--admin",
        "Mirela",
        "--unlock-cost-ms",
        "0",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let line = stderr(&output);
    assert!(
        line.starts_with("hearth: this passphrase is too easy to guess: "),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
    assert!(!scratch.path("vault").join("vault.db").exists());

    let scratch = scratch.with_vault();
    scratch.write("named.pass", "dragan walks the long river road");
    assert_fails_with(
        &scratch.as_admin(&[
            "user",
            "passwd",
            "Dragan",
            "--new-passphrase-file",
            "@named.pass",
        ]),
        "the passphrase may not contain the account name",
    );
}

#[test]
fn accounts_are_managed_by_admins_only() {
    let scratch = Scratch::new().with_vault();
    assert_fails_with(
        &scratch.as_caseworker(&[
            "user",
            "add",
            "Vesna",
            "--role",
            "supervisor",
            "--new-passphrase-file",
            "@admin.pass",
        ]),
        "your role (caseworker) may not add accounts",
    );
    assert_fails_with(
        &scratch.as_caseworker(&["user", "list"]),
        "your role (caseworker) may not list accounts",
    );
    let list = scratch.as_admin(&["user", "list"]);
    assert_success(&list);
    let rows: Vec<Vec<String>> = stdout(&list)
        .lines()
        .map(|line| line.split_whitespace().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["Dragan", "caseworker", "active"],
            ["Mirela", "admin", "active"]
        ]
    );
    assert_fails_with(
        &scratch.as_admin(&["user", "disable", "Mirela"]),
        "you cannot disable your own account",
    );
    let bad_role = scratch.as_admin(&["user", "add", "X", "--role", "boss"]);
    assert_eq!(bad_role.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn passwd_changes_own_and_resets_others() {
    let scratch = Scratch::new().with_vault();
    scratch.write("new.pass", "copper willow midnight seventy");
    assert_success(&scratch.as_caseworker(&[
        "user",
        "passwd",
        "--new-passphrase-file",
        "@new.pass",
    ]));
    assert_fails_with(
        &scratch.as_caseworker(&["status"]),
        "wrong passphrase for this account",
    );
    assert_success(&scratch.hearth(&[
        "--user",
        "Dragan",
        "--passphrase-file",
        "@new.pass",
        "status",
    ]));
    assert_fails_with(
        &scratch.hearth(&[
            "--user",
            "Dragan",
            "--passphrase-file",
            "@new.pass",
            "user",
            "passwd",
            "Mirela",
            "--new-passphrase-file",
            "@caseworker.pass",
        ]),
        "your role (caseworker) may not reset other people's passphrases",
    );
    assert_success(&scratch.as_admin(&[
        "user",
        "passwd",
        "Dragan",
        "--new-passphrase-file",
        "@caseworker.pass",
    ]));
    assert_success(&scratch.as_caseworker(&["status"]));

    // An administrator naming their own account changes it as their own (proved by the unlocking
    // passphrase), not as a reset.
    assert_success(&scratch.as_admin(&[
        "user",
        "passwd",
        "mirela",
        "--new-passphrase-file",
        "@new.pass",
    ]));
    assert_success(&scratch.hearth(&[
        "--user",
        "Mirela",
        "--passphrase-file",
        "@new.pass",
        "status",
    ]));
}

#[test]
fn recover_with_the_recovery_key() {
    let scratch = Scratch::new().with_vault();
    scratch.write("new.pass", "granite meadow whistle forty");
    let output = scratch.hearth(&[
        "recover",
        "--recovery-key-file",
        "@recovery.key",
        "--new-passphrase-file",
        "@new.pass",
    ]);
    assert_success(&output);
    assert_eq!(stdout(&output), "Set a new passphrase for Mirela\n");
    assert_success(&scratch.hearth(&[
        "--user",
        "Mirela",
        "--passphrase-file",
        "@new.pass",
        "status",
    ]));

    // One mistyped digit in the third group.
    let key = std::fs::read_to_string(scratch.path("recovery.key")).unwrap();
    let mut typo: Vec<char> = key.trim().chars().collect();
    let at = 2 * 7 + 3;
    typo[at] = if typo[at] == '9' { '8' } else { '9' };
    scratch.write("typo.key", &typo.into_iter().collect::<String>());
    assert_fails_with(
        &scratch.hearth(&[
            "recover",
            "--recovery-key-file",
            "@typo.key",
            "--new-passphrase-file",
            "@new.pass",
        ]),
        "group 3 of the recovery key is mistyped; please check it against the paper copy",
    );
    assert_fails_with(
        &scratch.hearth(&[
            "--user", "Dragan", "recover", "--recovery-key-file", "@recovery.key",
            "--new-passphrase-file", "@new.pass",
        ]),
        "the recovery key resets an administrator's passphrase; that account is not an administrator",
    );
}

#[test]
fn admins_set_the_idle_timeout() {
    let scratch = Scratch::new().with_vault();
    let shown = scratch.as_caseworker(&["settings", "idle-timeout"]);
    assert_success(&shown);
    assert_eq!(stdout(&shown), "Idle timeout: 300 s\n");
    assert_fails_with(
        &scratch.as_caseworker(&["settings", "idle-timeout", "60"]),
        "your role (caseworker) may not change the vault's settings",
    );
    assert_fails_with(
        &scratch.as_admin(&["settings", "idle-timeout", "5"]),
        "the idle timeout must be between 10 seconds and 4 hours",
    );
    let set = scratch.as_admin(&["settings", "idle-timeout", "60"]);
    assert_eq!(stdout(&set), "Idle timeout: 60 s\n");
}

#[test]
fn missing_passphrase_file_is_named() {
    let scratch = Scratch::new().with_vault();
    let missing: &Path = &scratch.path("missing.pass");
    let output = scratch.hearth(&[
        "--user",
        "Mirela",
        "--passphrase-file",
        &missing.display().to_string(),
        "status",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let line = stderr(&output);
    assert!(
        line.starts_with(&format!(
            "hearth: could not read the passphrase file {}: ",
            missing.display()
        )),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
}

/// The case commands end to end: new from a JSON file, show, update from stdin, list, search,
/// history; bad JSON and bad fields are refused with one line naming the problem.
#[test]
fn case_commands_create_show_change_find_and_trace_a_case() {
    let scratch = Scratch::new().with_vault();
    scratch.write(
        "intake.json",
        r#"{"given_name": "Arbër", "family_name": "Hoxha", "gender": "Masculine",
            "trafficking_status": "ActualVictimOfTrafficking", "date_identified": "2026-03-02"}"#,
    );
    let created = scratch.as_caseworker(&["case", "new", "--json", "@intake.json"]);
    assert_success(&created);
    let line = stdout(&created);
    let (id, number) = line.trim().split_once(' ').unwrap();
    assert_eq!(id.len(), 32);
    assert!(number.starts_with("NOR-"), "{number}");

    let shown = scratch.as_caseworker(&["case", "show", id]);
    assert_success(&shown);
    assert!(stdout(&shown).contains(&format!("{number}  Arbër Hoxha")));
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &scratch.as_caseworker(&["case", "show", id, "--json"]),
    ))
    .unwrap();
    assert_eq!(json["case"]["fields"]["gender"], "Masculine");

    // Update from standard input: only the field given changes.
    let mut update = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["--vault", &vault_path(&scratch), "--user", "Dragan"])
        .arg("--passphrase-file")
        .arg(scratch.path("caseworker.pass"))
        .args(["case", "update", id, "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    update
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"risk_level": "High"}"#)
        .unwrap();
    assert_success(&update.wait_with_output().unwrap());
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &scratch.as_caseworker(&["case", "show", id, "--json"]),
    ))
    .unwrap();
    assert_eq!(json["case"]["fields"]["risk_level"], "High");
    assert_eq!(json["case"]["fields"]["given_name"], "Arbër");

    let found = scratch.as_caseworker(&["case", "search", "arber hox"]);
    assert!(stdout(&found).contains(number), "{}", stdout(&found));
    let listed = scratch.as_caseworker(&["case", "list", "--status", "Active", "--json"]);
    let page: serde_json::Value = serde_json::from_str(&stdout(&listed)).unwrap();
    assert_eq!(page["total"], 1);
    let history = stdout(&scratch.as_caseworker(&["case", "history", id]));
    assert!(history.contains("Dragan"), "{history}");
    assert!(history.contains(".risk_level = \"High\""), "{history}");

    // A note, and the caseworker's follow-up due list.
    scratch.write("note.json", r#"{"text": "Met with an interpreter."}"#);
    assert_success(&scratch.as_caseworker(&["note", "add", id, "--json", "@note.json"]));
    let notes = stdout(&scratch.as_caseworker(&["note", "list", id]));
    assert!(notes.contains("Met with an interpreter."), "{notes}");

    // Refusals: a future date, and a field that does not exist; nothing is written.
    scratch.write(
        "future.json",
        r#"{"trafficking_status": "PossibleVictimOfTrafficking", "date_identified": "2999-01-01"}"#,
    );
    assert_fails_with(
        &scratch.as_caseworker(&["case", "new", "--json", "@future.json"]),
        "date_identified is in the future",
    );
    scratch.write("stray.json", r#"{"colour": "blue"}"#);
    assert_fails_with(
        &scratch.as_caseworker(&["case", "update", id, "--json", "@stray.json"]),
        "colour is not a field of this record",
    );
    scratch.write("broken.json", "{not json");
    assert!(
        stderr(&scratch.as_caseworker(&["case", "new", "--json", "@broken.json"]))
            .starts_with("hearth: the input is not valid JSON")
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout(
            &scratch.as_caseworker(&["case", "list", "--json"])
        ))
        .unwrap()["total"],
        1
    );

    // The administrator sees the case but may not close it; that is a supervisor's decision.
    assert_fails_with(
        &scratch.as_admin(&["case", "close", id, "--reason", "Returned home"]),
        "your role (admin) may not change this case",
    );
}

/// `hearth audit`: the caseworker's actions appear for the administrator; verify exits 0 on an
/// intact log and with a checkpoint; a forged checkpoint fails; caseworkers cannot read the log.
#[test]
fn audit_commands_list_verify_export_and_checkpoint() {
    let scratch = Scratch::new().with_vault();
    scratch.write(
        "intake.json",
        r#"{"given_name": "Blerta", "trafficking_status": "ActualVictimOfTrafficking",
            "date_identified": "2026-03-02"}"#,
    );
    let created = stdout(&scratch.as_caseworker(&["case", "new", "--json", "@intake.json"]));
    let (id, number) = created.trim().split_once(' ').unwrap();
    assert_success(&scratch.as_caseworker(&["case", "show", id]));

    let listed = scratch.as_admin(&["audit", "list", "--case", number]);
    assert_success(&listed);
    let text = stdout(&listed);
    assert!(
        text.contains("Dragan") && text.contains("open_case"),
        "{text}"
    );
    assert!(text.contains("create_case"), "{text}");
    assert!(
        !text.contains("Blerta"),
        "an entry shows a field value: {text}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&scratch.as_admin(&[
        "audit",
        "list",
        "--account",
        "Dragan",
        "--action",
        "open_case",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["entries"].as_array().unwrap().len(), 1);
    assert_eq!(json["entries"][0]["target_id"], id);

    assert_fails_with(
        &scratch.as_caseworker(&["audit", "list"]),
        "your role (caseworker) may not see the audit log",
    );

    let verified = scratch.as_admin(&["audit", "verify"]);
    assert_success(&verified);
    assert!(stdout(&verified).starts_with("The audit log is intact"));

    let checkpoint = scratch.path("checkpoint.txt");
    assert_success(&scratch.as_admin(&["audit", "checkpoint", "--out", "@checkpoint.txt"]));
    assert_success(&scratch.as_admin(&["audit", "verify", "--checkpoint", "@checkpoint.txt"]));
    let note = std::fs::read_to_string(&checkpoint).unwrap();
    let mut lines: Vec<&str> = note.lines().collect();
    let size: u64 = lines[1].parse().unwrap();
    let bigger = (size + 1).to_string();
    lines[1] = &bigger;
    scratch.write("forged.txt", &lines.join("\n"));
    let forged = scratch.as_admin(&["audit", "verify", "--checkpoint", "@forged.txt"]);
    assert_eq!(forged.status.code(), Some(1));
    assert!(
        stderr(&forged).contains("the signature does not verify"),
        "{}",
        stderr(&forged)
    );

    assert_success(&scratch.as_admin(&["audit", "export", "--csv", "@audit.csv", "--case", id]));
    let csv = std::fs::read_to_string(scratch.path("audit.csv")).unwrap();
    assert!(csv.starts_with("\"time_utc_ms\""));
    assert!(csv.contains("open_case"));
    // An existing file is never overwritten.
    assert_eq!(
        scratch
            .as_admin(&["audit", "export", "--csv", "@audit.csv"])
            .status
            .code(),
        Some(1)
    );
}

/// `hearth device show`: the same public identity every time, and no secret in it.
#[test]
fn audit_days_are_days_in_the_laptops_time_zone() {
    let scratch = Scratch::new().with_vault();
    // Half past eleven at night UTC on 10 March is half past midnight on 11 March in Tirana.
    let mut late = Command::new("faketime");
    late.args(["-f", "@2026-03-10 23:30:00", env!("CARGO_BIN_EXE_hearth")])
        .env("TZ", "UTC");
    let mut late = scratch.prepare(
        late,
        &[
            "--user",
            "Mirela",
            "--passphrase-file",
            "@admin.pass",
            "status",
        ],
    );
    assert_success(&late.output().unwrap());
    let unlocks_on = |zone: &str, day: &str| -> usize {
        let mut list = scratch.command(&[
            "--user",
            "Mirela",
            "--passphrase-file",
            "@admin.pass",
            "audit",
            "list",
            "--action",
            "unlock",
            "--since",
            day,
            "--until",
            day,
            "--json",
        ]);
        let listed = list.env("TZ", zone).output().unwrap();
        assert_success(&listed);
        let page: serde_json::Value = serde_json::from_str(&stdout(&listed)).unwrap();
        page["entries"].as_array().unwrap().len()
    };
    assert_eq!(unlocks_on("Europe/Tirane", "2026-03-11"), 1);
    assert_eq!(unlocks_on("Europe/Tirane", "2026-03-10"), 0);
    assert_eq!(unlocks_on("UTC", "2026-03-10"), 1);
    assert_eq!(unlocks_on("UTC", "2026-03-11"), 0);
}

#[test]
fn the_man_page_and_completions_are_generated_from_the_commands() {
    let scratch = Scratch::new();
    assert_success(&scratch.hearth(&["write-docs", "@docs"]));
    let page = std::fs::read_to_string(scratch.path("docs/hearth.1")).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH hearth"),
        "{page}"
    );
    for subcommand in ["init", "status", "bundle", "audit"] {
        assert!(page.contains(subcommand), "the man page lacks {subcommand}");
    }
    assert!(
        !page.contains("write-docs"),
        "the hidden command is documented"
    );
    // man reads it, as the package's `man hearth` will (man-db: scripts/install-deps.sh test).
    let rendered = Command::new("man")
        .arg("-l")
        .arg(scratch.path("docs/hearth.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man is installed (make deps)");
    assert_success(&rendered);
    assert!(
        stdout(&rendered).contains("Hearth keeps case records"),
        "{}",
        stdout(&rendered)
    );
    let bash = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p hearth",
            scratch.path("docs/hearth.bash").display()
        ))
        .output()
        .unwrap();
    assert_success(&bash);
    for name in ["_hearth", "hearth.fish"] {
        let script = std::fs::read_to_string(scratch.path(&format!("docs/{name}"))).unwrap();
        assert!(
            script.contains("device") && script.contains("bundle"),
            "{name}"
        );
    }
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(scratch.path("docs/hearth.1"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o044, 0o044, "readable by every user of the laptop");
}

#[test]
fn device_show_prints_the_public_identity() {
    let scratch = Scratch::new().with_vault();
    let first = scratch.as_caseworker(&["device", "show"]);
    assert_success(&first);
    let text = stdout(&first);
    assert!(text.contains("Age recipient: age1"), "{text}");
    assert!(!text.to_uppercase().contains("AGE-SECRET-KEY"), "{text}");
    assert_eq!(stdout(&scratch.as_admin(&["device", "show"])), text);
}

/// Referral packets with the CLI: a supervisor sets the partner's key (its fingerprint printed),
/// a caseworker sends a packet with the sections chosen, the partner (another organisation's
/// vault) receives it as a case and declines with a reason, and the answer moves the referral.
/// The printable summary is a PDF that pdftotext reads.
#[test]
fn referral_commands_carry_a_case_to_a_partner_and_its_answer_back() {
    let shelter = Scratch::new().with_vault();
    shelter.write("supervisor.pass", ADMIN_PASSPHRASE);
    assert_success(&shelter.as_admin(&[
        "user",
        "add",
        "Sofija",
        "--role",
        "supervisor",
        "--new-passphrase-file",
        "@supervisor.pass",
    ]));
    let as_supervisor = |args: &[&str]| {
        let mut all = vec!["--user", "Sofija", "--passphrase-file", "@supervisor.pass"];
        all.extend_from_slice(args);
        shelter.hearth(&all)
    };
    let partner_laptop = Scratch::new().with_vault();
    let key_output = partner_laptop.as_caseworker(&["referral", "key"]);
    assert_success(&key_output);
    let key_text = stdout(&key_output);
    let partner_key = key_text.lines().next().unwrap().trim().to_owned();
    assert!(partner_key.starts_with("age1"), "{key_text}");

    shelter.write(
        "partner.json",
        r#"{"name": "Qendra Partnere", "type": "NGO"}"#,
    );
    let partner = stdout(&as_supervisor(&[
        "partner",
        "add",
        "--json",
        "@partner.json",
    ]));
    let partner = partner.trim();
    // Only a supervisor sets a key; the fingerprint printed is the one `referral key` showed.
    assert_eq!(
        shelter
            .as_admin(&["partner", "set-key", partner, &partner_key])
            .status
            .code(),
        Some(1)
    );
    let set = as_supervisor(&["partner", "set-key", partner, &partner_key]);
    assert_success(&set);
    let fingerprint = key_text
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("Fingerprint: ");
    assert!(stdout(&set).contains(fingerprint), "{}", stdout(&set));

    shelter.write(
        "case.json",
        r#"{"given_name": "Drita", "family_name": "Kastrati", "phone": "0691234567",
            "trafficking_status": "PossibleVictimOfTrafficking", "date_identified": "2026-11-02"}"#,
    );
    let created = stdout(&shelter.as_caseworker(&["case", "new", "--json", "@case.json"]));
    let case = created.split_whitespace().next().unwrap().to_owned();
    shelter.write(
        "consent.json",
        &format!(
            r#"{{"purpose": "ReferralToPartner", "partner": "{partner}", "decision": "Given",
                 "date": "2026-11-20", "method": "Signed"}}"#
        ),
    );
    assert_success(&shelter.as_caseworker(&["consent", "add", &case, "--json", "@consent.json"]));
    shelter.write(
        "referral.json",
        &format!(
            r#"{{"direction": "Outgoing", "partner": "{partner}", "reason": "AdditionalServicesRequired",
                 "date": "2026-11-21", "status": "InProgress"}}"#
        ),
    );
    let referral =
        stdout(&shelter.as_caseworker(&["referral", "add", &case, "--json", "@referral.json"]));
    let referral = referral.trim().to_owned();

    // A section no packet carries is the command line's mistake (exit 2).
    let wrong = shelter.as_caseworker(&[
        "referral",
        "send",
        &referral,
        "--out",
        "@p.age",
        "--sections",
        "consents",
    ]);
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    let sent = shelter.as_caseworker(&[
        "referral",
        "send",
        &referral,
        "--out",
        "@packet.age",
        "--language",
        "sq",
        "--sections",
        "identity,referral",
    ]);
    assert_success(&sent);
    let sent_text = stdout(&sent);
    assert!(
        sent_text.contains("Sections left out: shelter_contact, needs, person_contact"),
        "{sent_text}"
    );
    assert!(sent_text.contains(fingerprint), "{sent_text}");
    assert!(!sent_text.contains("passphrase"), "{sent_text}");
    // The file is never replaced.
    let again = shelter.as_caseworker(&["referral", "send", &referral, "--out", "@packet.age"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    // The partner: the packet becomes a case; it declines, and the answer goes back.
    std::fs::copy(
        shelter.path("packet.age"),
        partner_laptop.path("packet.age"),
    )
    .unwrap();
    let received = partner_laptop.as_caseworker(&["referral", "receive", "@packet.age"]);
    assert_success(&received);
    let their_case = stdout(&received).lines().next().unwrap().trim().to_owned();
    let shown: serde_json::Value = serde_json::from_str(&stdout(&partner_laptop.as_caseworker(&[
        "case",
        "show",
        &their_case,
        "--json",
    ])))
    .unwrap();
    assert_eq!(shown["case"]["fields"]["given_name"], "Drita");
    assert!(
        shown["case"]["fields"]["phone"].is_null(),
        "contact details were not sent"
    );
    let incoming = shown["referrals"][0]["id"].as_str().unwrap().to_owned();
    let answered = partner_laptop.as_caseworker(&[
        "referral",
        "answer",
        &incoming,
        "--decline",
        "LackOfCapacity",
        "--out",
        "@answer.age",
    ]);
    assert_success(&answered);
    std::fs::copy(
        partner_laptop.path("answer.age"),
        shelter.path("answer.age"),
    )
    .unwrap();
    let imported = shelter.as_caseworker(&["referral", "import-answer", "@answer.age"]);
    assert_success(&imported);
    assert!(
        stdout(&imported).contains("declined (LackOfCapacity)"),
        "{}",
        stdout(&imported)
    );
    let replayed = shelter.as_caseworker(&["referral", "import-answer", "@answer.age"]);
    assert_fails_with(&replayed, "this answer was imported here already");

    // The printable summary, in Serbian Cyrillic.
    assert_success(&shelter.as_caseworker(&[
        "case",
        "summary",
        &case,
        "--out",
        "@summary.pdf",
        "--language",
        "sr-Cyrl",
    ]));
    let text = Command::new("pdftotext")
        .arg(shelter.path("summary.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils): `make deps` installs it");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Сажетак случаја"), "{text}");
    assert!(text.contains("Drita"), "{text}");
    assert!(
        text.contains("0691234567"),
        "the printed summary has every section: {text}"
    );
}

/// Joining and syncing with the CLI: a second laptop asks to join, an administrator approves,
/// it enrolls; a case made on the first laptop travels in a bundle and appears on the second.
#[test]
fn a_laptop_joins_and_a_bundle_carries_a_case() {
    let first = Scratch::new().with_vault();
    let second = tempfile::tempdir().unwrap();
    let second_vault = second.path().join("vault");
    let hearth_second = |args: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_hearth"))
            .arg("--vault")
            .arg(&second_vault)
            .arg("--passphrase-file")
            .arg(first.path("admin.pass"))
            .args(args)
            .env_remove("HEARTH_VAULT")
            .env_remove("HEARTH_USER")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let request = second.path().join("request.json");
    assert_success(&hearth_second(&[
        "init",
        "--join",
        "--site",
        "South",
        "--admin",
        "Arta",
        "--unlock-cost-ms",
        "0",
        "--request-out",
        request.to_str().unwrap(),
    ]));
    let enrollment = first.path("enrollment.age");
    assert_success(&first.as_admin(&[
        "device",
        "approve",
        request.to_str().unwrap(),
        "--out",
        enrollment.to_str().unwrap(),
    ]));
    let approver = fingerprint_of(&first);
    let enroll = |fingerprint: &str| {
        hearth_second(&[
            "--user",
            "Arta",
            "device",
            "enroll",
            enrollment.to_str().unwrap(),
            "--approver",
            fingerprint,
        ])
    };
    assert_fails_with(
        &enroll("0000-1111-2222-3333-4444"),
        "the enrollment is not from the laptop whose fingerprint was given",
    );
    assert_success(&enroll(&approver));
    let status = stdout(&hearth_second(&["--user", "Arta", "status"]));
    assert!(status.contains("Organisation:   Safe Harbour"), "{status}");
    let devices = stdout(&first.as_admin(&["device", "list"]));
    assert_eq!(devices.lines().count(), 2, "{devices}");
    // Each with the fingerprint its own laptop shows (what the office checks bundles' keys by).
    let shown = stdout(&hearth_second(&["--user", "Arta", "device", "show"]));
    let second_fingerprint = shown
        .lines()
        .find_map(|line| line.strip_prefix("Fingerprint:"))
        .map(str::trim)
        .unwrap();
    assert!(
        devices
            .lines()
            .any(|line| line.contains(second_fingerprint) && line.contains("active")),
        "{devices}"
    );

    first.write(
        "intake.json",
        r#"{"given_name": "Drita", "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-03-02"}"#,
    );
    let created = first.as_caseworker(&["case", "new", "--json", "@intake.json"]);
    assert_success(&created);
    let case_id = stdout(&created)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    // Without consent to share, the name would stay on this laptop (core/tests/sync.rs).
    first.write(
        "sharing.json",
        r#"{"purpose": "SharingWithinOrganisation", "decision": "Given",
            "date": "2026-03-02", "method": "Signed"}"#,
    );
    assert_success(&first.as_caseworker(&["consent", "add", &case_id, "--json", "@sharing.json"]));
    let bundle = first.path("b1");
    let exported = first.as_caseworker(&["bundle", "export", "--out", bundle.to_str().unwrap()]);
    assert_success(&exported);
    assert!(
        stdout(&exported).contains("1 cases"),
        "{}",
        stdout(&exported)
    );
    let inspected = hearth_second(&[
        "--user",
        "Arta",
        "bundle",
        "inspect",
        bundle.to_str().unwrap(),
    ]);
    assert_success(&inspected);
    assert!(stdout(&inspected).contains("\"format\": 3"));
    let imported = hearth_second(&[
        "--user",
        "Arta",
        "bundle",
        "import",
        bundle.to_str().unwrap(),
    ]);
    assert_success(&imported);
    assert!(
        stdout(&imported).contains("1 cases changed"),
        "{}",
        stdout(&imported)
    );
    let found = stdout(&hearth_second(&[
        "--user", "Arta", "case", "search", "drita",
    ]));
    assert!(found.contains("NOR-"), "{found}");

    // A supervisor on each laptop changes the risk level before seeing the other's change.
    assert_success(&first.as_admin(&[
        "user",
        "add",
        "Sofija",
        "--role",
        "supervisor",
        "--new-passphrase-file",
        "@admin.pass",
    ]));
    let admin_pass = first.path("admin.pass");
    assert_success(&hearth_second(&[
        "--user",
        "Arta",
        "user",
        "add",
        "Mira",
        "--role",
        "supervisor",
        "--new-passphrase-file",
        admin_pass.to_str().unwrap(),
    ]));
    let sofija = |args: &[&str]| {
        let mut all = vec!["--user", "Sofija", "--passphrase-file", "@admin.pass"];
        all.extend_from_slice(args);
        first.hearth(&all)
    };
    first.write("high.json", r#"{"risk_level": "High"}"#);
    let low = first.write("low.json", r#"{"risk_level": "Low"}"#);
    assert_success(&sofija(&[
        "case",
        "update",
        &case_id,
        "--json",
        "@high.json",
    ]));
    assert_success(&hearth_second(&[
        "--user",
        "Mira",
        "case",
        "update",
        &case_id,
        "--json",
        low.to_str().unwrap(),
    ]));
    let to_second = first.path("b2");
    assert_success(&sofija(&[
        "bundle",
        "export",
        "--out",
        to_second.to_str().unwrap(),
    ]));
    assert_success(&hearth_second(&[
        "--user",
        "Mira",
        "bundle",
        "import",
        to_second.to_str().unwrap(),
    ]));
    let to_first = first.path("b3");
    assert_success(&hearth_second(&[
        "--user",
        "Mira",
        "bundle",
        "export",
        "--out",
        to_first.to_str().unwrap(),
    ]));
    assert_success(&sofija(&["bundle", "import", to_first.to_str().unwrap()]));

    let listed = sofija(&["conflicts", "list", "--json"]);
    assert_success(&listed);
    let queue: serde_json::Value = serde_json::from_str(&stdout(&listed)).unwrap();
    let queue = queue.as_array().unwrap();
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0]["field"], "risk_level");
    assert_eq!(queue[0]["current"]["value"], "Low");
    assert_eq!(queue[0]["queued"]["value"], "High");
    let refused = first.as_caseworker(&["conflicts", "list"]);
    assert_fails_with(
        &refused,
        "your role (caseworker) may not resolve conflicting edits",
    );
    let id = queue[0]["id"].to_string();
    assert_success(&sofija(&["conflicts", "resolve", &id, "--keep", "theirs"]));
    assert_eq!(stdout(&sofija(&["conflicts", "list"])), "No conflicts.\n");
    let shown = stdout(&sofija(&["case", "show", &case_id, "--json"]));
    assert!(shown.contains("\"risk_level\": \"High\""), "{shown}");

    // A damaged bundle is refused with one clear line.
    let mut bytes = std::fs::read(&bundle).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(first.path("damaged"), &bytes).unwrap();
    let refused = hearth_second(&[
        "--user",
        "Arta",
        "bundle",
        "import",
        first.path("damaged").to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused),
        "hearth: this bundle is damaged or was altered: it does not decrypt\n"
    );
}

// A bundle import killed at moments inside it: tests/killed_inside_the_work.rs, with the export,
// a case save and an account change.

/// Runs `script` with sh in a mount namespace of its own (`unshare -rm`, which needs no root where
/// user namespaces are allowed), after mounting a tmpfs of `size` at `$DISK`: a small disk that
/// vanishes with the script. `$HEARTH` is the binary.
fn on_a_small_disk(disk: &Path, size: &str, script: &str) -> Output {
    let script = format!("mount -t tmpfs -o size={size} tmpfs \"$DISK\" || exit 99\n{script}");
    let output = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .env("DISK", disk)
        .env("HEARTH", env!("CARGO_BIN_EXE_hearth"))
        .env_remove("HEARTH_VAULT")
        .env_remove("HEARTH_USER")
        .stdin(Stdio::null())
        .output()
        .expect("unshare (util-linux) runs the small-disk tests");
    assert_ne!(
        output.status.code(),
        Some(99),
        "no tmpfs could be mounted in a user namespace: {}",
        stderr(&output)
    );
    output
}

#[test]
fn a_rekey_without_room_for_its_journal_is_refused_before_it_starts() {
    let scratch = Scratch::new().with_vault();
    let disk = scratch.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let vault = vault_path(&scratch);
    let pass = scratch.path("admin.pass").display().to_string();
    let rekey = format!(
        "\"$HEARTH\" --vault \"$DISK/vault\" --user Mirela --passphrase-file '{pass}' vault rekey; \
         echo \"exit $?\""
    );
    // The vault on a small disk, filled until half the database's size is free.
    let output = on_a_small_disk(
        &disk,
        "16m",
        &format!(
            "cp -r '{vault}' \"$DISK/vault\"
             size=$(stat -c %s \"$DISK/vault/vault.db\")
             free=$(df --output=avail -B1 \"$DISK\" | tail -1)
             head -c $((free - size / 2)) /dev/zero > \"$DISK/filler\"
             cp \"$DISK/vault/keyslots\" \"$DISK/keyslots.before\"
             {rekey}
             ls -A \"$DISK/vault\"
             cmp \"$DISK/vault/keyslots\" \"$DISK/keyslots.before\" && echo unchanged
             rm \"$DISK/filler\"
             {rekey}"
        ),
    );
    let (said, listed) = (stderr(&output), stdout(&output));
    assert!(
        said.starts_with("hearth: the disk is full: ") && said.contains(" needed, "),
        "{said}"
    );
    let mut lines = listed.lines();
    assert_eq!(lines.next(), Some("exit 1"), "{listed}");
    let files: Vec<&str> = lines
        .by_ref()
        .take_while(|line| *line != "unchanged")
        .collect();
    assert!(
        !files.contains(&"keyslots.next") && files.contains(&"keyslots"),
        "{files:?}"
    );
    // With room again, the same rekey goes through.
    assert_eq!(
        lines.next(),
        Some("Changed the vault's data key: 3 key slot(s) given the new key.")
    );
    assert_eq!(lines.next(), Some("exit 0"), "{listed}\n{said}");
}

#[test]
fn a_bundle_too_big_for_the_disk_leaves_no_file_and_says_how_much_room_it_needs() {
    let scratch = Scratch::new().with_vault();
    // Enough records that the bundle outgrows a one-page (4 KiB) disk.
    for n in 0..12 {
        scratch.write(
            "intake.json",
            &format!(
                r#"{{"given_name": "Drita {n}", "family_name": "Berisha {n}",
                    "trafficking_status": "PossibleVictimOfTrafficking",
                    "date_identified": "2026-03-02"}}"#
            ),
        );
        assert_success(&scratch.as_caseworker(&["case", "new", "--json", "@intake.json"]));
    }
    let disk = scratch.path("stick");
    std::fs::create_dir(&disk).unwrap();
    let vault = vault_path(&scratch);
    let pass = scratch.path("admin.pass").display().to_string();
    let export = |name: &str| {
        format!(
            "\"$HEARTH\" --vault '{vault}' --user Mirela --passphrase-file '{pass}' \
             bundle export --full --out \"$DISK/{name}\"; echo \"exit $?\"; ls -A \"$DISK\""
        )
    };
    let full = on_a_small_disk(&disk, "4k", &export("sync-1.age"));
    let (said, listed) = (stderr(&full), stdout(&full));
    assert!(
        said.starts_with("hearth: ")
            && said.contains("the disk is full: ")
            && said.contains(" KB needed, 4.1 KB free"),
        "{said}"
    );
    assert_eq!(
        listed, "exit 1\n",
        "nothing may be left on the disk: {listed}"
    );

    // The same export on a disk with room: the file is there, whole, and imports.
    let roomy = on_a_small_disk(
        &disk,
        "1m",
        &format!(
            "{} && cp \"$DISK/sync-1.age\" '{}'",
            export("sync-1.age"),
            scratch.path("copy.age").display()
        ),
    );
    assert_eq!(
        stdout(&roomy).lines().last(),
        Some("sync-1.age"),
        "{}",
        stderr(&roomy)
    );
    let size = std::fs::metadata(scratch.path("copy.age")).unwrap().len();
    assert!(
        size > 4096,
        "the test needs a bundle over 4 KiB, got {size} bytes"
    );
    let needed = said
        .split("the disk is full: ")
        .nth(1)
        .and_then(|rest| rest.split(" KB needed").next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .unwrap();
    assert!(
        (needed * 1000.0 - size as f64).abs() < 1000.0,
        "the error said {needed} KB for a {size}-byte bundle"
    );
}

#[test]
fn init_with_a_full_stdout_leaves_no_vault_behind() {
    let scratch = Scratch::new();
    let init = scratch
        .command(&[
            "--passphrase-file",
            "@admin.pass",
            "init",
            "--org",
            "Safe Harbour",
            "--site",
            "North",
            "--admin",
            "Mirela",
            "--unlock-cost-ms",
            "0",
        ])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_fails_with(
        &init,
        "the recovery key could not be shown (could not write to standard output: No space left \
         on device (os error 28)), so no vault was created; run `hearth init` again with a \
         working terminal or file",
    );
    assert!(!scratch.path("vault").exists(), "a vault was left behind");
    // And the same command with a working stdout makes one.
    Scratch {
        folder: scratch.folder,
    }
    .with_vault();
}

#[test]
fn a_reader_that_stops_reading_is_no_failure() {
    let scratch = Scratch::new().with_vault();
    let mut status = scratch
        .command(&[
            "--user",
            "Mirela",
            "--passphrase-file",
            "@admin.pass",
            "status",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before hearth has unlocked, so its first line meets a closed pipe (`| head -0`).
    drop(status.stdout.take());
    let output = status.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn status_exits_3_when_the_vault_is_damaged() {
    let scratch = Scratch::new().with_vault();
    scratch.write(
        "intake.json",
        r#"{"given_name": "Filler", "trafficking_status": "PossibleVictimOfTrafficking",
            "date_identified": "2026-01-01"}"#,
    );
    let created = scratch.as_caseworker(&["case", "new", "--json", "@intake.json"]);
    let case_id = stdout(&created)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    // Long notes fill pages that unlocking never reads; damage one of them.
    for n in 0..5u32 {
        let text: String = (0..20_000u32)
            .map(|i| char::from(b'a' + u8::try_from((i * 7 + n * 3) % 26).unwrap()))
            .collect();
        scratch.write("note.json", &format!(r#"{{"text": "{text}"}}"#));
        assert_success(&scratch.as_caseworker(&["note", "add", &case_id, "--json", "@note.json"]));
    }
    let database = VaultPaths::new(scratch.path("vault")).database();
    let mut bytes = std::fs::read(&database).unwrap();
    let damaged_page = bytes.len() / 4096 - 25;
    bytes[(damaged_page - 1) * 4096 + 100] ^= 0x01;
    std::fs::write(&database, bytes).unwrap();

    let status = scratch.as_admin(&["status"]);
    assert_eq!(status.status.code(), Some(3), "{}", stderr(&status));
    assert!(
        stdout(&status).contains("Integrity:      DAMAGED: "),
        "{}",
        stdout(&status)
    );
    assert_eq!(
        stderr(&status),
        "hearth: the vault is damaged: the integrity check found 1 problem(s); restore it from a \
         backup or another laptop's bundles\n"
    );
}

/// Runs `hearth ARGS` until it reaches the crash point `point`, and kills it there with SIGKILL.
fn kill_at(scratch: &Scratch, point: &str, args: &[&str]) {
    use std::io::{BufRead, BufReader};
    let mut child = scratch
        .command(args)
        .env("HEARTH_CRASH_AT", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        format!("crash point {point}\n"),
        "{args:?} did not reach {point}"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
}

#[test]
fn an_account_change_killed_at_any_file_step_took_effect_wholly_or_not_at_all() {
    let new_pass = "copper meadow lantern drifting";
    let dragan_with = |scratch: &Scratch, file: &str| {
        scratch
            .hearth(&["--user", "Dragan", "--passphrase-file", file, "status"])
            .status
            .code()
    };
    // Each change, what shows it took effect, and the audit action that must then be recorded.
    type Check = fn(&Scratch, &dyn Fn(&Scratch, &str) -> Option<i32>) -> bool;
    let changes: [(&str, &[&str], Check, &str); 4] = [
        (
            "own passphrase",
            &[
                "--user",
                "Dragan",
                "--passphrase-file",
                "@caseworker.pass",
                "user",
                "passwd",
                "--new-passphrase-file",
                "@new.pass",
            ],
            |s, with| with(s, "@new.pass") == Some(0),
            "change_passphrase",
        ),
        (
            "reset",
            &[
                "--user",
                "Mirela",
                "--passphrase-file",
                "@admin.pass",
                "user",
                "passwd",
                "Dragan",
                "--new-passphrase-file",
                "@new.pass",
            ],
            |s, with| with(s, "@new.pass") == Some(0),
            "reset_passphrase",
        ),
        (
            "disable",
            &[
                "--user",
                "Mirela",
                "--passphrase-file",
                "@admin.pass",
                "user",
                "disable",
                "Dragan",
            ],
            |s, with| with(s, "@caseworker.pass") == Some(1),
            "disable_account",
        ),
        (
            "enable",
            &[
                "--user",
                "Mirela",
                "--passphrase-file",
                "@admin.pass",
                "user",
                "enable",
                "Dragan",
            ],
            |s, with| with(s, "@caseworker.pass") == Some(0),
            "enable_account",
        ),
    ];
    for (what, args, took_effect, action) in changes {
        for (point, committed) in [
            ("key-slots-staged", false),
            ("key-slots-committed", true),
            ("key-slots-in-place", true),
        ] {
            let scratch = Scratch::new().with_vault();
            scratch.write("new.pass", new_pass);
            if what == "enable" {
                assert_success(&scratch.as_admin(&["user", "disable", "Dragan"]));
            }
            kill_at(&scratch, point, args);
            // The first unlock after the crash is Dragan's, with the passphrase he had: it opens
            // only if that is still what the vault says (a committed change is finished first).
            // An interrupted enable is the exception: until its file is in place the disabled
            // slot opens nothing, so the change is finished by the next unlock of anyone else
            // (the admin's, below).
            let old_opens = dragan_with(&scratch, "@caseworker.pass") == Some(0);
            let should_open = if what == "enable" {
                point == "key-slots-in-place"
            } else {
                !committed
            };
            assert_eq!(
                old_opens, should_open,
                "{what} killed at {point}: the old passphrase"
            );
            // The next unlock finishes a committed change, and opens whatever happened.
            assert_success(&scratch.as_admin(&["status"]));
            let leftovers: Vec<String> = std::fs::read_dir(scratch.path("vault"))
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".tmp"))
                .collect();
            assert!(leftovers.is_empty(), "{what} at {point}: {leftovers:?}");
            assert_eq!(
                took_effect(&scratch, &dragan_with),
                committed,
                "{what} killed at {point}"
            );
            let recorded = stdout(&scratch.as_admin(&["audit", "list", "--action", action]))
                .lines()
                .filter(|line| line.contains(action))
                .count();
            assert_eq!(
                recorded,
                usize::from(committed),
                "{what} killed at {point}: the audit log says otherwise"
            );
            assert_success(&scratch.as_admin(&["audit", "verify"]));
        }
    }
}

/// The fingerprint `hearth device show` prints for the laptop of `scratch`'s vault.
fn fingerprint_of(scratch: &Scratch) -> String {
    fingerprint_as(scratch, "Mirela")
}

/// The fingerprint `hearth device show` prints for the administrator `admin`.
fn fingerprint_as(scratch: &Scratch, admin: &str) -> String {
    stdout(&scratch.hearth(&[
        "--user",
        admin,
        "--passphrase-file",
        "@admin.pass",
        "device",
        "show",
    ]))
    .lines()
    .find_map(|line| {
        line.strip_prefix("Fingerprint:")
            .map(|f| f.trim().to_owned())
    })
    .expect("device show prints the fingerprint")
}

/// A new laptop for `site`, joined to `first`'s organisation by request, approval and enrollment.
/// Its administrator is Arta, with the scratch's admin passphrase.
fn join(first: &Scratch, site: &str) -> Scratch {
    join_approved_by(first, "Mirela", site)
}

/// [`join`], approved on `first` by its administrator `approver`.
fn join_approved_by(first: &Scratch, approver: &str, site: &str) -> Scratch {
    let fingerprint = fingerprint_as(first, approver);
    let joining = Scratch::new();
    assert_success(&joining.hearth(&[
        "--passphrase-file",
        "@admin.pass",
        "init",
        "--join",
        "--site",
        site,
        "--admin",
        "Arta",
        "--unlock-cost-ms",
        "0",
        "--request-out",
        "@request.json",
    ]));
    let enrollment = joining.path("enrollment.age").display().to_string();
    assert_success(&first.hearth(&[
        "--user",
        approver,
        "--passphrase-file",
        "@admin.pass",
        "device",
        "approve",
        &joining.expand("@request.json"),
        "--out",
        &enrollment,
    ]));
    assert_success(&joining.hearth(&[
        "--user",
        "Arta",
        "--passphrase-file",
        "@admin.pass",
        "device",
        "enroll",
        &enrollment,
        "--approver",
        &fingerprint,
    ]));
    joining
}

#[test]
fn an_import_without_room_on_this_laptop_is_refused_before_it_starts() {
    let first = Scratch::new().with_vault();
    let second = join(&first, "South");
    let mut case_id = None;
    for n in 0..40 {
        first.write(
            "intake.json",
            &format!(
                r#"{{"given_name": "Drita {n}", "family_name": "Berisha {n}",
                    "trafficking_status": "PossibleVictimOfTrafficking",
                    "date_identified": "2026-03-02"}}"#
            ),
        );
        let created = first.as_caseworker(&["case", "new", "--json", "@intake.json"]);
        assert_success(&created);
        case_id = stdout(&created)
            .split_whitespace()
            .next()
            .map(str::to_owned);
    }
    // Notes of letters that compress poorly make the bundle bigger than the room left below
    // (with consent to share: without it, they would stay on this laptop).
    let id = case_id.clone().unwrap();
    first.write(
        "sharing.json",
        r#"{"purpose": "SharingWithinOrganisation", "decision": "Given",
            "date": "2026-03-02", "method": "Signed"}"#,
    );
    assert_success(&first.as_caseworker(&["consent", "add", &id, "--json", "@sharing.json"]));
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..6 {
        let text: String = (0..8000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(b'a' + u8::try_from(state % 26).unwrap())
            })
            .collect();
        first.write("note.json", &format!(r#"{{"text": "{text}"}}"#));
        assert_success(&first.as_caseworker(&["note", "add", &id, "--json", "@note.json"]));
    }
    let bundle = first.path("new.age");
    assert_success(&first.as_admin(&["bundle", "export", "--out", bundle.to_str().unwrap()]));
    let size = std::fs::metadata(&bundle).unwrap().len();
    // The second laptop's vault, copied onto a small disk with 200 KB left: room to unlock, not
    // the eight times the bundle's size an import asks for.
    assert!(
        size * 8 > 300_000,
        "the bundle is too small for the test: {size} bytes"
    );
    let disk = second.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let script = format!(
        "cp -a '{vault}' \"$DISK/vault\" && \
         free=$(df --output=avail -B1 \"$DISK\" | tail -1) && \
         head -c $((free - 200000)) /dev/zero > \"$DISK/filler\" && \
         \"$HEARTH\" --vault \"$DISK/vault\" --user Arta --passphrase-file '{pass}' \
             bundle import '{bundle}'; echo \"exit $?\"; \
         \"$HEARTH\" --vault \"$DISK/vault\" --user Arta --passphrase-file '{pass}' \
             case list",
        vault = second.path("vault").display(),
        pass = second.path("admin.pass").display(),
        bundle = bundle.display(),
    );
    let output = on_a_small_disk(&disk, "2m", &script);
    let said = stderr(&output);
    assert!(
        said.contains("hearth: the disk is full: ") && said.contains(" KB needed, "),
        "{said}"
    );
    let printed = stdout(&output);
    let listed: Vec<&str> = printed.lines().collect();
    assert_eq!(listed.first(), Some(&"exit 1"), "{listed:?} {said}");
    assert!(
        !printed.contains("Berisha"),
        "nothing was imported: {printed}"
    );
}

/// A laptop of a three-laptop organisation, run through the CLI as its supervisor Sofija.
struct Member {
    scratch: Scratch,
}

/// The coordinating office imports a folder of bundles from several sites, in the wrong order:
/// a site it has not heard of yet (its roster entry comes in another site's bundle) is tried
/// again after the others; a bundle whose earlier one is missing is imported, its changes held,
/// and named; a file that is no bundle is refused and named, and the others still import. Run
/// again with the missing bundle, everything applies; run a third time, nothing changes.
#[test]
fn the_office_imports_a_folder_of_bundles_from_many_sites_in_any_order() {
    let office = Scratch::new().with_vault();
    let shkoder = Member {
        scratch: join(&office, "Shkoder"),
    };
    // Korçë joins through Shkodër: the office learns of it only from Shkodër's bundles.
    let korce = Member {
        scratch: join_approved_by(&shkoder.scratch, "Arta", "Korce"),
    };
    for member in [&shkoder, &korce] {
        member.add_supervisor("Arta");
    }
    let inbox = office.path("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let new_case = |member: &Member, name: &str| {
        member.scratch.write(
            "intake.json",
            &format!(
                r#"{{"given_name": "{name}", "trafficking_status": "PossibleVictimOfTrafficking",
                    "date_identified": "2026-03-02"}}"#
            ),
        );
        member.ok(None, &["case", "new", "--json", "@intake.json"]);
    };
    let export = |member: &Member, name: &str| -> PathBuf {
        let file = member.scratch.path(name);
        member.ok(None, &["bundle", "export", "--out", file.to_str().unwrap()]);
        file
    };
    new_case(&korce, "Korce one");
    let from_korce = export(&korce, "korce.age");
    new_case(&shkoder, "Shkoder one");
    let shkoder_first = export(&shkoder, "shkoder-1.age");
    new_case(&shkoder, "Shkoder two");
    new_case(&shkoder, "Shkoder three");
    let shkoder_second = export(&shkoder, "shkoder-2.age");
    // By name, Korçë's bundle comes first and Shkodër's second bundle before its first.
    std::fs::copy(&from_korce, inbox.join("a-korce.age")).unwrap();
    std::fs::copy(&shkoder_second, inbox.join("b-shkoder-2.age")).unwrap();
    std::fs::write(inbox.join("notes.txt"), "not a bundle\n").unwrap();
    std::fs::write(inbox.join(".hidden"), "skipped\n").unwrap();
    let inbox_arg = inbox.to_str().unwrap();

    let site_row = |out: &str, site: &str| -> Vec<u64> {
        out.lines()
            .find(|line| line.split_whitespace().next() == Some(site))
            .unwrap_or_else(|| panic!("no row for {site} in:\n{out}"))
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().unwrap())
            .collect()
    };
    // Shkodër's first bundle is missing: its second is imported, its changes held and named.
    let first_run = office.as_admin(&["bundle", "import", inbox_arg]);
    assert_fails_with(&first_run, "1 of 3 bundles were refused");
    let out = stdout(&first_run);
    assert!(out.contains("Imported 2 of 3 bundles."), "{out}");
    let [bundles, applied, _, _, waiting] = site_row(&out, "Shkoder")[..] else {
        panic!("{out}")
    };
    assert_eq!((bundles, applied), (1, 0), "{out}");
    assert!(waiting > 0, "{out}");
    let [bundles, applied, ..] = site_row(&out, "Korce")[..] else {
        panic!("{out}")
    };
    assert_eq!(bundles, 1, "{out}");
    assert!(applied > 0, "{out}");
    let held_section = out.split("Held until").nth(1).unwrap_or_default();
    assert!(held_section.contains("b-shkoder-2.age (Shkoder)"), "{out}");
    let refused_section = out.split("Refused").nth(1).unwrap_or_default();
    assert!(refused_section.contains("notes.txt: "), "{out}");
    assert!(!out.contains(".hidden"), "{out}");

    // With the missing bundle, everything applies and nothing waits.
    std::fs::remove_file(inbox.join("notes.txt")).unwrap();
    std::fs::copy(&shkoder_first, inbox.join("c-shkoder-1.age")).unwrap();
    let second_run = office.as_admin(&["bundle", "import", inbox_arg]);
    assert_success(&second_run);
    let out = stdout(&second_run);
    assert!(out.contains("Imported 3 of 3 bundles."), "{out}");
    let [bundles, applied, _, cases, waiting] = site_row(&out, "Shkoder")[..] else {
        panic!("{out}")
    };
    assert_eq!((bundles, waiting), (2, 0), "{out}");
    assert!(applied > 0 && cases >= 3, "{out}");
    assert!(!out.contains("Held until"), "{out}");

    // A third run changes nothing: every change is already here.
    let third_run = office.as_admin(&["bundle", "import", inbox_arg]);
    assert_success(&third_run);
    let out = stdout(&third_run);
    for site in ["Shkoder", "Korce"] {
        let [_, applied, already_here, _, waiting] = site_row(&out, site)[..] else {
            panic!("{out}")
        };
        assert_eq!((applied, waiting), (0, 0), "{out}");
        assert!(already_here > 0, "{out}");
    }
}

impl Member {
    /// `hearth --user Sofija ARGS`, with the clock moved by `clock` (faketime's `-f`) if given.
    fn run(&self, clock: Option<&str>, args: &[&str]) -> Output {
        let mut all = vec!["--user", "Sofija", "--passphrase-file", "@caseworker.pass"];
        all.extend_from_slice(args);
        match clock {
            Some(offset) => self.scratch.hearth_at(offset, &all),
            None => self.scratch.hearth(&all),
        }
    }

    fn ok(&self, clock: Option<&str>, args: &[&str]) -> String {
        let output = self.run(clock, args);
        assert_success(&output);
        stdout(&output)
    }

    fn add_supervisor(&self, admin: &str) {
        assert_success(&self.scratch.hearth(&[
            "--user",
            admin,
            "--passphrase-file",
            "@admin.pass",
            "user",
            "add",
            "Sofija",
            "--role",
            "supervisor",
            "--new-passphrase-file",
            "@caseworker.pass",
        ]));
    }

    /// The shared case's family name here.
    fn family_name(&self, case: &str) -> String {
        let shown: serde_json::Value =
            serde_json::from_str(&self.ok(None, &["case", "show", case, "--json"])).unwrap();
        shown["case"]["fields"]["family_name"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// Three laptops, one of them with its clock three years ahead and later three years behind:
/// nothing is refused, everything converges, every edit is current or in the conflict queue, and
/// the wrong clock is shown.
#[test]
fn a_laptop_with_a_wrong_clock_is_flagged_never_cut_off() {
    let first = Scratch::new().with_vault();
    let tirana = Member { scratch: first };
    tirana.add_supervisor("Mirela");
    let members: Vec<Member> = ["Shkoder", "Vlore"]
        .into_iter()
        .map(|site| {
            let member = Member {
                scratch: join(&tirana.scratch, site),
            };
            member.add_supervisor("Arta");
            member
        })
        .collect();
    let laptops = [&tirana, &members[0], &members[1]];
    let vlore = 2;
    // Everyone learns the whole roster, and the case all three will edit.
    tirana.scratch.write(
        "shared.json",
        r#"{"given_name": "Shared", "family_name": "Start",
            "trafficking_status": "PossibleVictimOfTrafficking", "date_identified": "2026-03-02"}"#,
    );
    let case = tirana
        .ok(None, &["case", "new", "--json", "@shared.json"])
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    tirana.scratch.write(
        "sharing.json",
        r#"{"purpose": "SharingWithinOrganisation", "decision": "Given",
            "date": "2026-03-02", "method": "Signed"}"#,
    );
    tirana.ok(None, &["consent", "add", &case, "--json", "@sharing.json"]);
    let mut bundles = 0;
    let mut exchange = |from: usize, to: usize, clocks: &[Option<&str>; 3]| -> String {
        bundles += 1;
        let file = laptops[from].scratch.path(&format!("b{bundles}.age"));
        let file = file.to_str().unwrap();
        laptops[from].ok(clocks[from], &["bundle", "export", "--full", "--out", file]);
        laptops[to].ok(clocks[to], &["bundle", "import", file])
    };
    let normal = [None, None, None];
    for to in [1, 2] {
        exchange(0, to, &normal);
    }

    // Rounds: each laptop writes a new family name over the one it holds, then bundles go
    // around in a shuffled order. Vlorë's clock is three years ahead, then right, then behind.
    let mut written: Vec<String> = vec![];
    let mut replaced: std::collections::BTreeSet<String> = Default::default();
    let mut random = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        usize::try_from(random % n).unwrap()
    };
    let mut said_ahead = false;
    let mut said_behind = false;
    for round in 0..6 {
        let vlore_clock = match round {
            0 | 1 => Some("+1095d"),
            4 | 5 => Some("-1095d"),
            _ => None,
        };
        let clocks = [None, None, vlore_clock];
        for (index, laptop) in laptops.iter().enumerate() {
            replaced.insert(laptop.family_name(&case));
            let name = format!("Name{round}x{index}");
            laptop
                .scratch
                .write("edit.json", &format!(r#"{{"family_name": "{name}"}}"#));
            laptop.ok(
                clocks[index],
                &["case", "update", &case, "--json", "@edit.json"],
            );
            written.push(name);
        }
        let mut pairs: Vec<(usize, usize)> = (0..3)
            .flat_map(|from| {
                (0..3)
                    .filter(move |to| *to != from)
                    .map(move |to| (from, to))
            })
            .collect();
        for i in (1..pairs.len()).rev() {
            pairs.swap(i, next(i as u64 + 1));
        }
        // Four of the six ways, and in the wrong-clock rounds one more from Vlorë, so that its
        // wrong clock reaches someone in each.
        let mut chosen: Vec<(usize, usize)> = pairs.into_iter().take(4).collect();
        if vlore_clock.is_some() {
            chosen.push((vlore, next(2)));
        }
        for (from, to) in chosen {
            let said = exchange(from, to, &clocks);
            if from == vlore {
                said_ahead |= said.contains("The sender's clock read 1095 days ahead");
                said_behind |= said.contains("The sender's clock read 1095 days behind");
            }
        }
    }
    assert!(
        said_ahead && said_behind,
        "the wrong clock was not told at import"
    );
    let listed = tirana.ok(None, &["device", "list"]);
    assert!(
        listed.contains("(its clock read 1095 days behind"),
        "{listed}"
    );

    // Clocks right again; two full rounds of exchange bring everyone level.
    for _ in 0..2 {
        for from in 0..3 {
            for to in (0..3).filter(|to| *to != from) {
                exchange(from, to, &normal);
            }
        }
    }
    let current: Vec<String> = laptops.iter().map(|l| l.family_name(&case)).collect();
    assert!(
        current.iter().all(|name| *name == current[0]),
        "{current:?}"
    );
    let queues: Vec<String> = laptops
        .iter()
        .map(|l| l.ok(None, &["conflicts", "list", "--json"]))
        .collect::<Vec<_>>();
    let queued = |text: &str| -> Vec<String> {
        let queue: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut values: Vec<String> = queue
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["queued"]["value"].as_str().map(str::to_owned))
            .collect();
        values.sort();
        values
    };
    assert!(
        queues.iter().all(|q| queued(q) == queued(&queues[0])),
        "{queues:?}"
    );
    for name in written.iter().filter(|name| !replaced.contains(*name)) {
        assert!(
            *name == current[0] || queued(&queues[0]).contains(name),
            "{name} was lost: current {:?}, queue {:?}",
            current[0],
            queued(&queues[0])
        );
    }
    // Vlorë's edit made once its clock was right, over the value it held, is not beaten by the
    // ones it made three years ahead.
    assert!(
        !current[0].starts_with("Name0") && !current[0].starts_with("Name1"),
        "{current:?}"
    );
}

#[test]
fn report_commands_show_statistics_and_write_exports_with_their_manifests() {
    let shelter = Scratch::new().with_vault();
    shelter.write("supervisor.pass", ADMIN_PASSPHRASE);
    assert_success(&shelter.as_admin(&[
        "user",
        "add",
        "Sofija",
        "--role",
        "supervisor",
        "--new-passphrase-file",
        "@supervisor.pass",
    ]));
    let as_supervisor = |args: &[&str]| {
        let mut all = vec!["--user", "Sofija", "--passphrase-file", "@supervisor.pass"];
        all.extend_from_slice(args);
        shelter.hearth(&all)
    };
    shelter.write(
        "case.json",
        r#"{"family_name": "Kastrati", "gender": "Feminine", "estimated_age": 24,
            "trafficking_status": "PossibleVictimOfTrafficking", "date_identified": "2026-11-02"}"#,
    );
    let created = stdout(&as_supervisor(&["case", "new", "--json", "@case.json"]));
    let case = created.split_whitespace().next().unwrap().to_owned();
    shelter.write(
        "consent.json",
        r#"{"purpose": "AnonymousStatistics", "decision": "Given", "date": "2026-11-02", "method": "Verbal"}"#,
    );
    assert_success(&as_supervisor(&[
        "consent",
        "add",
        &case,
        "--json",
        "@consent.json",
    ]));

    // On screen: exact counts, for supervisors and administrators only.
    let shown = as_supervisor(&["report", "stats"]);
    assert_success(&shown);
    assert!(
        stdout(&shown).contains("Cases: 1 (0 without consent"),
        "{}",
        stdout(&shown)
    );
    assert!(stdout(&shown).contains("Feminine"), "{}", stdout(&shown));
    assert_eq!(
        shelter.as_caseworker(&["report", "stats"]).status.code(),
        Some(1)
    );

    // As an export: one case is below k, so nothing shows but "<11".
    let out = shelter.path("statistics.csv");
    let period = ["--from", "2026-01-01", "--to", "2026-12-31"];
    let mut arguments = vec!["report", "stats", "--out", out.to_str().unwrap()];
    arguments.extend(period);
    let written = as_supervisor(&arguments);
    assert_success(&written);
    let data = std::fs::read_to_string(&out).unwrap();
    assert!(data.starts_with("panel,unit,key,label,count\n"));
    assert!(
        data.contains("gender,people,Feminine,Feminine,<11"),
        "{data}"
    );
    let manifest = std::fs::read_to_string(shelter.path("statistics.csv.manifest.json")).unwrap();
    assert!(
        manifest.contains("\"cases_included\": \"<11\""),
        "{manifest}"
    );
    // The same file again is refused, and the file is unchanged.
    assert_eq!(
        as_supervisor(&["report", "stats", "--out", out.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), data);

    // CTDC: fewer than k cases give a header and no row, and the manifest says why.
    let ctdc = shelter.path("ctdc.csv");
    let written = as_supervisor(&[
        "report",
        "ctdc",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--out",
        ctdc.to_str().unwrap(),
    ]);
    assert_success(&written);
    let data = std::fs::read_to_string(&ctdc).unwrap();
    assert_eq!(data.lines().count(), 1, "{data}");
    assert!(data.starts_with("yearOfRegistration,gender,ageBroad,"));
    let manifest = std::fs::read_to_string(shelter.path("ctdc.csv.manifest.json")).unwrap();
    assert!(
        manifest.contains("\"rows_withheld\": \"<11\""),
        "{manifest}"
    );
    let refused = as_supervisor(&[
        "report",
        "ctdc",
        "--from",
        "2026-13-01",
        "--to",
        "2026-12-31",
        "--out",
        "x.csv",
    ]);
    assert_fails_with(
        &refused,
        "the first day is not a day as YYYY-MM-DD: \"2026-13-01\"",
    );

    // HTCDS: administrators may not; a supervisor's is encrypted unless --plain.
    let htcds = shelter.path("cases.json.age");
    assert_eq!(
        shelter
            .as_admin(&["report", "htcds", "--out", htcds.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    let written = as_supervisor(&["report", "htcds", "--out", htcds.to_str().unwrap()]);
    assert_success(&written);
    assert!(
        stdout(&written).contains("One-time passphrase"),
        "{}",
        stdout(&written)
    );
    assert!(std::fs::read(&htcds)
        .unwrap()
        .starts_with(b"age-encryption.org/v1"));

    // k is raised by administrators, never lowered.
    assert_success(&shelter.as_admin(&["settings", "statistics-k", "20"]));
    let lowered = shelter.as_admin(&["settings", "statistics-k", "11"]);
    assert_eq!(lowered.status.code(), Some(1));
    assert!(
        stderr(&lowered).contains("k may only be raised"),
        "{}",
        stderr(&lowered)
    );
}

/// `vault wipe` and `settings duress-passphrase` end to end: the duress passphrase typed to any
/// command opens an empty vault in place of the old one; the wipe asks for WIPE on stdin, changes
/// nothing without it, and leaves no file of the vault; caseworkers may do neither.
#[test]
fn the_duress_passphrase_and_the_wipe_from_the_command_line() {
    let scratch = Scratch::new().with_vault();
    scratch.write("duress.pass", "copper meadow whistle eleven");
    let refused = scratch.as_caseworker(&[
        "settings",
        "duress-passphrase",
        "--new-passphrase-file",
        "@duress.pass",
    ]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("may not"), "{}", stderr(&refused));
    assert_success(&scratch.as_admin(&[
        "settings",
        "duress-passphrase",
        "--new-passphrase-file",
        "@duress.pass",
    ]));
    let duress_status = scratch.hearth(&[
        "--user",
        "Dragan",
        "--passphrase-file",
        "@duress.pass",
        "status",
    ]);
    assert_success(&duress_status);
    let said = stdout(&duress_status);
    assert!(
        said.contains("Safe Harbour") && said.contains("Accounts:       1 (1 active)"),
        "{said}"
    );
    assert!(
        !scratch.as_admin(&["status"]).status.success(),
        "the old vault is gone"
    );

    // Dragan administers the new vault; the wipe wants WIPE on stdin.
    let wipe = |answer: &str| {
        let mut command = scratch.command(&[
            "--user",
            "Dragan",
            "--passphrase-file",
            "@duress.pass",
            "vault",
            "wipe",
        ]);
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let unconfirmed = wipe("wipe?\n");
    assert!(!unconfirmed.status.success());
    assert!(
        stderr(&unconfirmed).contains("nothing was changed"),
        "{}",
        stderr(&unconfirmed)
    );
    assert!(VaultPaths::new(scratch.path("vault")).is_complete());
    let wiped = wipe("WIPE\n");
    assert_success(&wiped);
    assert!(
        stdout(&wiped).starts_with("Wiped: the key slots were destroyed after "),
        "{}",
        stdout(&wiped)
    );
    let left: Vec<_> = std::fs::read_dir(scratch.path("vault"))
        .map(|entries| entries.map(|entry| entry.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    let after = scratch.hearth(&[
        "--user",
        "Dragan",
        "--passphrase-file",
        "@duress.pass",
        "status",
    ]);
    assert!(
        stderr(&after).contains("no Hearth vault"),
        "{}",
        stderr(&after)
    );
}
