//! `hearth`: the command line over hearth-core. It parses arguments, reads passphrases, calls the
//! core and prints results; every rule lives in the core.
// A command-line program talks to people through stdout and stderr.

mod audit;
mod docs;
mod emergency;
mod output;
mod progress_bar;
mod records;
mod referrals;
mod reports;
mod secret_input;
mod sync;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand};
use hearth_core::access::{
    self, normalise_account_name, KdfChoice, NewVault, OpenError, Role, Session, VaultStatus,
};
use hearth_core::crypto::{Passphrase, RecoveryKey};
use hearth_core::records::RecordKind;
use hearth_core::vault::VaultPaths;

use output::{say, StdoutError};
use secret_input::{read_new_passphrase, read_passphrase, read_secret_file};

/// Hearth keeps case records for shelters and assistance programmes in an encrypted vault.
#[derive(Debug, Parser)]
#[command(name = "hearth", version = hearth_core::VERSION)]
struct Cli {
    /// The vault folder [default: $HEARTH_VAULT, or hearth/vault in your data folder]
    #[arg(long, global = true, value_name = "DIR")]
    vault: Option<PathBuf>,

    /// The account to unlock with
    #[arg(long, global = true, value_name = "NAME", env = "HEARTH_USER")]
    user: Option<String>,

    /// Read the passphrase from the first line of FILE instead of asking on the terminal
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the man page and the shell completions into DIR (for the packages; not shown in
    /// --help)
    #[command(hide = true)]
    WriteDocs {
        /// The folder to write hearth.1, hearth.bash, _hearth (zsh) and hearth.fish into
        #[arg(value_name = "DIR")]
        out: PathBuf,
    },
    /// Create a vault, its organisation and first administrator; print the recovery key once
    Init {
        /// The organisation's name (not with --join: the enrollment brings it)
        #[arg(long, value_name = "NAME", required_unless_present = "join")]
        org: Option<String>,
        /// Join an existing organisation: also write a join request for an administrator of a
        /// member laptop to approve (`hearth device approve`)
        #[arg(long, requires = "request_out", conflicts_with = "org")]
        join: bool,
        /// Where to write the join request (with --join)
        #[arg(long, value_name = "FILE")]
        request_out: Option<PathBuf>,
        /// This site's name (shelter, office)
        #[arg(long, value_name = "NAME")]
        site: String,
        /// The first administrator's account name
        #[arg(long, value_name = "NAME")]
        admin: String,
        /// How long one unlock should take on this laptop, in milliseconds. Sets the Argon2id
        /// cost; Hearth never goes below its minimum (64 MiB, 3 passes) whatever is asked
        #[arg(long, value_name = "MS", default_value_t = 1000)]
        unlock_cost_ms: u64,
    },
    /// Unlock and show the organisation, site, device, accounts, schema and integrity check
    Status,
    /// Manage accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Show or change vault-wide settings (administrators change them)
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The vault's data key, and the emergency wipe (administrators)
    #[command(subcommand)]
    Vault(VaultCommand),
    /// Case records: open, show, change, list, search, close and reopen cases, and their history
    #[command(subcommand)]
    Case(records::CaseCommand),
    /// Consent decisions of a case (never changed: add a new decision)
    #[command(subcommand)]
    Consent(records::AttachedCommand),
    /// Services in a case's support plan
    #[command(subcommand)]
    Service(records::AttachedCommand),
    /// Referrals of a case to and from partner organisations, and the packets that carry them
    #[command(subcommand)]
    Referral(referrals::ReferralCommand),
    /// Case notes
    #[command(subcommand)]
    Note(records::AttachedCommand),
    /// Follow-ups of a case, and your follow-ups due
    #[command(subcommand)]
    FollowUp(records::FollowUpCommand),
    /// The partner organisation directory
    #[command(subcommand)]
    Partner(records::PartnerCommand),
    /// The audit log: list, verify, export to CSV, sign a checkpoint (supervisors, administrators)
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// This laptop and the organisation's other devices; joining and revoking
    #[command(subcommand)]
    Device(sync::DeviceCommand),
    /// The organisation (administrators)
    #[command(subcommand)]
    Org(sync::OrgCommand),
    /// Sync bundles: export, import, inspect
    #[command(subcommand)]
    Bundle(sync::BundleCommand),
    /// Statistics and standard exports: the dashboard's counts, CTDC-style records, HTCDS
    #[command(subcommand)]
    Report(reports::ReportCommand),
    /// Edits made concurrently on two laptops: list and resolve (supervisors)
    #[command(subcommand)]
    Conflicts(sync::ConflictsCommand),
    /// Set a new passphrase for an administrator with the recovery key (--user names the
    /// administrator; the first one by default)
    Recover {
        /// A file holding the recovery key as written down (eight groups of six digits)
        #[arg(long, value_name = "FILE")]
        recovery_key_file: PathBuf,
        /// A file holding the new passphrase (asked on the terminal if omitted)
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum VaultCommand {
    /// Re-encrypt the vault under a new data key and give every live account's key slot (and the
    /// recovery key's) the new one: after it, a disabled account's passphrase opens nothing, even
    /// with a copy of the key-slot file made before. Close the app first
    Rekey,
    /// Make the vault unreadable for good (the emergency wipe): destroy every key slot, then
    /// overwrite and remove every file of the vault. Asks to type WIPE to confirm
    Wipe,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account
    Add {
        /// The new account's name
        name: String,
        /// admin, supervisor or caseworker
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A file holding the new account's first passphrase (asked on the terminal if omitted)
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// List the accounts
    List,
    /// Disable an account: its passphrase stops opening the vault
    Disable {
        /// The account's name
        name: String,
    },
    /// Enable a disabled account, with the passphrase it had
    Enable {
        /// The account's name
        name: String,
    },
    /// Change your passphrase, or (administrators) reset someone else's
    Passwd {
        /// Whose passphrase to reset [default: your own]
        name: Option<String>,
        /// A file holding the new passphrase (asked on the terminal if omitted)
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Show, or set, how many seconds without activity the desktop app waits before it locks
    IdleTimeout {
        /// The new timeout in seconds (10 to 14400)
        seconds: Option<u32>,
    },
    /// Show, or raise, k: exported statistics show no count below it (11 at least; it is never
    /// lowered)
    StatisticsK {
        /// The new k (11 to 100, not below the current one)
        k: Option<u32>,
    },
    /// Set the duress passphrase (administrators): typed at unlock with any account's name, it
    /// wipes the vault silently and opens an empty new one in its place
    DuressPassphrase {
        /// Remove the duress passphrase instead
        #[arg(long, conflicts_with = "new_passphrase_file")]
        off: bool,
        /// A file holding the duress passphrase (asked twice on the terminal if omitted)
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| "a role is admin, supervisor or caseworker".to_owned())
}

/// The exit code when `hearth status` found damage in the vault. The others: 0 done, 1 failed
/// (with one line on stderr), 2 the command line was not understood (clap's). README lists them.
const EXIT_DAMAGED: u8 = 3;

/// `hearth status` printed everything, and the page-by-page check found damage.
#[derive(Debug, thiserror::Error)]
#[error("the vault is damaged: the integrity check found {problems} problem(s); restore it from a backup or another laptop's bundles")]
struct Damaged {
    problems: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let closed_pipe = error
                .downcast_ref::<StdoutError>()
                .is_some_and(StdoutError::is_closed_pipe);
            if closed_pipe {
                // The reader stopped reading (`hearth status | head -1`): it has what it wanted.
                return ExitCode::SUCCESS;
            }
            // One line a person can act on: the chain of contexts, outermost first. If stderr is
            // closed too, the exit code is all that is left to say it.
            let _ = writeln!(std::io::stderr(), "hearth: {error:#}");
            if error.downcast_ref::<Damaged>().is_some() {
                ExitCode::from(EXIT_DAMAGED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let folder = match cli.vault.clone() {
        Some(folder) => folder,
        None => VaultPaths::default_folder()
            .ok_or_else(|| anyhow!("no data folder is known for this user; pass --vault DIR"))?,
    };
    match &cli.command {
        Command::WriteDocs { out } => docs::write(out),
        Command::Init {
            org,
            join: _,
            request_out,
            site,
            admin,
            unlock_cost_ms,
        } => init(
            &cli,
            &folder,
            org.as_deref(),
            request_out.as_deref(),
            site,
            admin,
            *unlock_cost_ms,
        ),
        Command::Status => status(&unlock(&cli, &folder)?),
        Command::User(command) => user(&cli, &folder, command),
        Command::Settings(SettingsCommand::IdleTimeout { seconds }) => {
            let mut session = unlock(&cli, &folder)?;
            if let Some(seconds) = seconds {
                session.set_idle_timeout_seconds(*seconds)?;
            }
            say!("Idle timeout: {} s", session.idle_timeout_seconds()?)?;
            Ok(())
        }
        Command::Settings(SettingsCommand::StatisticsK { k }) => {
            let mut session = unlock(&cli, &folder)?;
            if let Some(k) = k {
                session.set_statistics_k(*k)?;
            }
            say!("k = {}", session.statistics_k()?)?;
            Ok(())
        }
        Command::Vault(VaultCommand::Rekey) => rekey(&mut unlock(&cli, &folder)?),
        Command::Vault(VaultCommand::Wipe) => emergency::wipe(unlock(&cli, &folder)?, &folder),
        Command::Settings(SettingsCommand::DuressPassphrase {
            off,
            new_passphrase_file,
        }) => emergency::duress_passphrase(
            &mut unlock(&cli, &folder)?,
            *off,
            new_passphrase_file.as_deref(),
        ),
        Command::Case(command) => records::case(&mut unlock(&cli, &folder)?, command),
        Command::Consent(command) => {
            records::attached(&mut unlock(&cli, &folder)?, RecordKind::Consent, command)
        }
        Command::Service(command) => {
            records::attached(&mut unlock(&cli, &folder)?, RecordKind::Service, command)
        }
        Command::Referral(command) => referrals::referral(&mut unlock(&cli, &folder)?, command),
        Command::Note(command) => {
            records::attached(&mut unlock(&cli, &folder)?, RecordKind::Note, command)
        }
        Command::FollowUp(command) => records::follow_up(&mut unlock(&cli, &folder)?, command),
        Command::Partner(command) => records::partner(&mut unlock(&cli, &folder)?, command),
        Command::Audit(command) => audit::audit(&mut unlock(&cli, &folder)?, command),
        Command::Device(command) => sync::device(&mut unlock(&cli, &folder)?, command),
        Command::Org(command) => sync::org(&mut unlock(&cli, &folder)?, command),
        Command::Bundle(command) => sync::bundle(&mut unlock(&cli, &folder)?, command),
        Command::Conflicts(command) => sync::conflicts(&mut unlock(&cli, &folder)?, command),
        Command::Report(command) => reports::report(&mut unlock(&cli, &folder)?, command),
        Command::Recover {
            recovery_key_file,
            new_passphrase_file,
        } => recover(
            &cli,
            &folder,
            recovery_key_file,
            new_passphrase_file.as_deref(),
        ),
    }
}

/// The core's message, with a hint about what to do next where the CLI knows one.
fn explain(error: OpenError, folder: &Path) -> anyhow::Error {
    let hint = match &error {
        OpenError::NoVault => format!(" ({}); create one with `hearth init`", folder.display()),
        OpenError::VaultExists => format!(" ({}); choose another --vault folder", folder.display()),
        OpenError::UnknownAccount => "; check the name given with --user".to_owned(),
        _ => String::new(),
    };
    anyhow!("{error}{hint}")
}

fn account_name(cli: &Cli) -> Result<&str> {
    cli.user
        .as_deref()
        .ok_or_else(|| anyhow!("which account? name it with --user NAME (or HEARTH_USER)"))
}

fn unlock(cli: &Cli, folder: &Path) -> Result<Session> {
    unlock_keeping_passphrase(cli, folder).map(|(session, _)| session)
}

/// Unlocks and also returns the passphrase, for commands that must prove it again.
fn unlock_keeping_passphrase(cli: &Cli, folder: &Path) -> Result<(Session, Passphrase)> {
    let name = account_name(cli)?;
    if !VaultPaths::new(folder).is_complete() {
        return Err(explain(OpenError::NoVault, folder));
    }
    let passphrase = read_passphrase(cli.passphrase_file.as_deref(), name)?;
    let session = access::unlock(folder, name, &passphrase).map_err(|e| explain(e, folder))?;
    Ok((session, passphrase))
}

/// The organisation name a joining laptop has until its enrollment brings the real one.
const JOINING_ORGANISATION: &str = "Hearth (joining)";

fn init(
    cli: &Cli,
    folder: &Path,
    org: Option<&str>,
    request_out: Option<&Path>,
    site: &str,
    admin: &str,
    cost_ms: u64,
) -> Result<()> {
    let org = org.unwrap_or(JOINING_ORGANISATION);
    if VaultPaths::new(folder).any_vault_file_exists() {
        return Err(explain(OpenError::VaultExists, folder));
    }
    let passphrase = read_new_passphrase(cli.passphrase_file.as_deref(), admin)?;
    let (session, recovery_key) = access::create_vault(
        folder,
        NewVault {
            organisation: org,
            site,
            admin_name: admin,
            admin_passphrase: &passphrase,
            kdf: KdfChoice::Calibrate(Duration::from_millis(cost_ms)),
        },
    )
    .map_err(|e| explain(e, folder))?;
    // A recovery key nobody saw is a vault nobody can recover: if it cannot be shown (stdout is
    // full or closed), the vault goes too, and the person runs `init` again.
    let shown = session
        .status()
        .map_err(anyhow::Error::from)
        .and_then(|status| {
            show_new_vault(&status, &session.account().name, &recovery_key, folder)
                .map_err(anyhow::Error::from)
        });
    if let Err(error) = shown {
        drop(session);
        VaultPaths::new(folder).remove_new_vault();
        return Err(anyhow!(
            "the recovery key could not be shown ({error:#}), so no vault was created; run `hearth init` again with a working terminal or file"
        ));
    }
    if let Some(path) = request_out {
        let request = session.join_request()?;
        output::write_new_file(path, serde_json::to_string_pretty(&request)?.as_bytes())?;
        say!()?;
        say!(
            "Join request written to {}: an administrator of a member laptop approves it with \
             `hearth device approve`, and this laptop imports the file they give back with \
             `hearth device enroll`.",
            path.display()
        )?;
    }
    Ok(())
}

fn show_new_vault(
    status: &VaultStatus,
    admin: &str,
    recovery_key: &RecoveryKey,
    folder: &Path,
) -> Result<(), StdoutError> {
    say!(
        "Created the vault for {} ({}) in {}",
        status.organisation,
        status.site,
        folder.display()
    )?;
    say!("Administrator: {admin}   key derivation: {}", status.kdf)?;
    say!()?;
    say!("RECOVERY KEY (shown only this once):")?;
    say!()?;
    say!("    {}", recovery_key.expose_secret_display().as_str())?;
    say!()?;
    say!("Write it on paper and keep it locked away, apart from this laptop. With it an")?;
    say!("administrator who has forgotten their passphrase can set a new one; without it")?;
    say!("and without any passphrase, nobody can open this vault.")
}

fn rekey(session: &mut Session) -> Result<()> {
    let rekeyed = session.rekey_vault()?;
    say!(
        "Changed the vault's data key: {} key slot(s) given the new key.",
        rekeyed.slots
    )?;
    if let Some(recovery_key) = &rekeyed.new_recovery_key {
        say!()?;
        say!(
            "The recovery key was made by an older Hearth and could not follow. NEW RECOVERY KEY"
        )?;
        say!("(shown only this once; the old one opens nothing now):")?;
        say!()?;
        say!("    {}", recovery_key.expose_secret_display().as_str())?;
        say!()?;
        say!("Write it on paper and keep it locked away, apart from this laptop; destroy the old one.")?;
    }
    Ok(())
}

fn status(session: &Session) -> Result<()> {
    // Start the page-by-page check first, then gather the rest while it runs.
    let integrity = session.start_integrity_check();
    let status = session.status()?;
    say!("Organisation:   {}", status.organisation)?;
    say!("Site:           {}", status.site)?;
    say!("Device:         {}", status.device_id)?;
    say!(
        "Accounts:       {} ({} active)",
        status.accounts,
        status.active_accounts
    )?;
    say!("Schema version: {}", status.schema_version)?;
    say!("SQLCipher:      {}", status.sqlcipher_version)?;
    say!("Key derivation: Argon2id {}", status.kdf)?;
    say!(
        "Signed in as:   {} ({})",
        session.account().name,
        session.account().role
    )?;
    let report = integrity
        .map_err(anyhow::Error::from)
        .and_then(|check| Ok(check.wait()?));
    match report {
        Ok(report) if report.is_intact() => {
            say!("Integrity:      ok (every page verified)")?;
            Ok(())
        }
        Ok(report) => {
            say!(
                "Integrity:      DAMAGED: {} problem(s), first: {}",
                report.problems.len(),
                report.problems[0]
            )?;
            Err(Damaged {
                problems: report.problems.len(),
            }
            .into())
        }
        // A check that could not run proves nothing: that is a failure too, not an "ok".
        Err(error) => {
            say!("Integrity:      could not run")?;
            Err(error.context("the integrity check could not run"))
        }
    }
}

fn user(cli: &Cli, folder: &Path, command: &UserCommand) -> Result<()> {
    let (mut session, current_passphrase) = unlock_keeping_passphrase(cli, folder)?;
    match command {
        UserCommand::Add {
            name,
            role,
            new_passphrase_file,
        } => {
            let passphrase = read_new_passphrase(new_passphrase_file.as_deref(), name)?;
            let account = session.add_account(name, *role, &passphrase)?;
            say!("Added {} ({})", account.name, account.role)?;
        }
        UserCommand::List => {
            for account in session.list_accounts()? {
                let state = if account.active { "active" } else { "disabled" };
                say!("{:<32} {:<11} {state}", account.name, account.role.as_str())?;
            }
        }
        UserCommand::Disable { name } => {
            let account = session.disable_account(name)?;
            say!("Disabled {}", account.name)?;
        }
        UserCommand::Enable { name } => {
            let account = session.enable_account(name)?;
            say!("Enabled {}", account.name)?;
        }
        UserCommand::Passwd {
            name,
            new_passphrase_file,
        } => {
            let own = session.account().name.clone();
            let target = name.as_deref().unwrap_or(&own);
            let passphrase = read_new_passphrase(new_passphrase_file.as_deref(), target)?;
            let is_own = normalise_account_name(target) == normalise_account_name(&own);
            if is_own {
                session.change_own_passphrase(&current_passphrase, &passphrase)?;
                say!("Changed your passphrase")?;
            } else {
                session.reset_passphrase(target, &passphrase)?;
                say!("Set a new passphrase for {target}")?;
            }
        }
    }
    Ok(())
}

fn recover(
    cli: &Cli,
    folder: &Path,
    recovery_key_file: &Path,
    new_passphrase_file: Option<&Path>,
) -> Result<()> {
    if !VaultPaths::new(folder).is_complete() {
        return Err(explain(OpenError::NoVault, folder));
    }
    let written = read_secret_file(recovery_key_file, "recovery key")?;
    let recovery_key = RecoveryKey::parse(&written).map_err(OpenError::from)?;
    let admin_label = cli.user.as_deref().unwrap_or("the administrator");
    let passphrase = read_new_passphrase(new_passphrase_file, admin_label)?;
    let admin = access::recover_admin(folder, &recovery_key, cli.user.as_deref(), &passphrase)
        .map_err(|e| explain(e, folder))?;
    say!("Set a new passphrase for {admin}")?;
    Ok(())
}
