use std::path::Path;

use std::time::{Duration, SystemTime};

use hearth_ids::DeviceId;

use rusqlite::Connection;

use serde::Serialize;

mod accounts;
mod create;
mod emergency;
mod integrity;
mod key_slot_journal;
mod recovery;
mod rekey;
mod settings;

use integrity::Integrity;

use accounts::load_account_by_id;
pub use create::create_vault;
pub use integrity::IntegrityStatus;
pub use recovery::recover_admin;
pub use rekey::Rekeyed;
pub use settings::VaultStatus;

use super::{
    normalise_account_name, AccessError, Account, AccountId, Denied, OpenError, Operation,
};

use crate::audit::{self, Action, NewEntry, Outcome, Target};

use crate::crash_point::crash_point;

use crate::crypto::{KdfParams, Passphrase, SecretKey};

use crate::vault::{self, VaultPaths, VaultWriteLock};

use hearth_format::keyslots::{KeySlot, KeySlotFile, SlotKind, SlotOpenError};

use hearth_store::throttle::{whole_seconds, ThrottleKey, UnlockThrottle};

/// The most accounts (slots) a vault holds; the slot file counts them in 16 bits.
const MAX_SLOTS: usize = 4096;

/// The recovery slot belongs to no account.
const RECOVERY_SLOT_ACCOUNT: AccountId = AccountId::from_bytes([0; 16]);

/// How to choose the Argon2id cost of a new vault's slots.
#[derive(Debug, Clone, Copy)]
pub enum KdfChoice {
    /// Measure this machine and choose parameters for which one unlock takes about this long
    /// (never below the floor). What a real vault uses: [`KdfChoice::default`] is one second.
    Calibrate(Duration),
    /// Use these parameters (refused if below the floor). For tests and benchmarks.
    Fixed(KdfParams),
}

impl Default for KdfChoice {
    fn default() -> Self {
        KdfChoice::Calibrate(Duration::from_secs(1))
    }
}

/// What it takes to create a vault.
#[derive(Debug)]
pub struct NewVault<'a> {
    /// The organisation's name (encrypted inside the vault; never in a file in clear).
    pub organisation: &'a str,
    /// The site (shelter, office) this laptop serves.
    pub site: &'a str,
    /// The first administrator's account name.
    pub admin_name: &'a str,
    /// The first administrator's passphrase.
    pub admin_passphrase: &'a Passphrase,
    /// How to choose the KDF cost.
    pub kdf: KdfChoice,
}

/// What the app needs to know right after unlocking: who, where, and their preferences.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "SessionOverview.ts")
)]
pub struct SessionOverview {
    /// The account that unlocked.
    pub account: Account,
    /// The organisation's name.
    pub organisation: String,
    /// The site's name.
    pub site: String,
    /// The account's chosen language, if it chose one.
    pub language: Option<String>,
    /// Lock after this many seconds without activity.
    pub idle_timeout_seconds: u32,
}

/// An unlocked vault and the account that unlocked it. Dropping it (locking) closes the database
/// and zeroes the data key.
#[derive(Debug)]
pub struct Session {
    paths: VaultPaths,
    /// This laptop's device id, read once: every change and audit entry of the session names it.
    device: DeviceId,
    database: Connection,
    data_key: SecretKey,
    account: Account,
    /// Off only in the benchmark that measures what auditing costs (feature `bench`).
    audit_enabled: bool,
    /// Set once the unlock is recorded: only then does locking record a lock.
    unlock_recorded: bool,
    /// The page-by-page check started after the unlock, if any.
    integrity: Integrity,
}

fn read_slots(paths: &VaultPaths) -> Result<KeySlotFile, OpenError> {
    if !paths.is_complete() {
        return Err(OpenError::NoVault);
    }
    Ok(KeySlotFile::read(&paths.key_slots())?)
}

/// Opens `slot` with the passphrase's normalised form, or else with a form a slot sealed before
/// Hearth normalised passphrases may be under; says whether it was one of those.
pub(super) fn open_with_any_form(
    slot: &KeySlot,
    passphrase: &Passphrase,
) -> Result<(SecretKey, bool), SlotOpenError> {
    match slot.open(passphrase.expose_secret().as_bytes()) {
        Err(SlotOpenError::WrongSecretOrAltered) => {}
        opened => return opened.map(|key| (key, false)),
    }
    for form in passphrase.earlier_forms() {
        match slot.open(form.as_bytes()) {
            Err(SlotOpenError::WrongSecretOrAltered) => continue,
            opened => return opened.map(|key| (key, true)),
        }
    }
    Err(SlotOpenError::WrongSecretOrAltered)
}

fn wait_error(wait: Duration) -> OpenError {
    OpenError::MustWait {
        seconds: whole_seconds(wait),
    }
}

/// Unlocks the vault in `folder` as the account named `account_name`.
pub fn unlock(
    folder: &Path,
    account_name: &str,
    passphrase: &Passphrase,
) -> Result<Session, OpenError> {
    let paths = VaultPaths::new(folder);
    if !paths.is_complete() {
        return Err(OpenError::NoVault);
    }
    // Attempts queue here, so that each sees the failures counted before it.
    let _write_lock = VaultWriteLock::acquire(&paths).map_err(OpenError::Folder)?;
    let slots = read_slots(&paths)?;
    let name_key = normalise_account_name(account_name);
    let candidates = slots.candidates_for(&name_key);
    if candidates.is_empty() {
        return Err(OpenError::UnknownAccount);
    }

    let now = SystemTime::now();
    let mut throttle = UnlockThrottle::load(&paths.throttle(), now);
    let keys: Vec<ThrottleKey> = candidates
        .iter()
        .map(|slot| ThrottleKey::Account(slot.header.account))
        .collect();
    let wait = keys
        .iter()
        .map(|key| throttle.remaining_wait(*key, now))
        .max()
        .unwrap_or_default();
    if !wait.is_zero() {
        return Err(wait_error(wait));
    }

    // Which error to give if no slot opens. If any slot with a key was tried, the passphrase was
    // wrong: count it. Only when every candidate is a disabled account (or an altered slot) does
    // the person hear that, and nothing is counted, as no guess was tested.
    let mut tried_a_key = false;
    let mut saw_disabled = false;
    let mut saw_altered = false;
    for slot in &candidates {
        match open_with_any_form(slot, passphrase) {
            Ok((data_key, sealed_unnormalised)) => {
                tried_a_key = true;
                let session = open_session(&paths, data_key, slot.header.account, passphrase)?;
                // One-byte tags collide: the passphrase may have opened another person's slot.
                let Some(session) =
                    session.filter(|s| normalise_account_name(&s.account.name) == name_key)
                else {
                    continue;
                };
                if !session.account.active {
                    session.audit_refusal(Action::Unlock, None, "the account is disabled");
                    return Err(OpenError::AccountDisabled);
                }
                let key = ThrottleKey::Account(session.account.id);
                let mut session = session;
                if sealed_unnormalised || slot.version() < 2 {
                    // Seal it again under the normalised form, so that the passphrase opens it
                    // however its letters are typed from now on; and as a slot of the version
                    // whose data key can change (`rekey`). Best effort: it opened.
                    let account = session.account.clone();
                    let _ = session.replace_slot(&_write_lock, &account, passphrase, None);
                }
                session.audit_unlock(throttle.failures(key))?;
                session.unlock_recorded = true;
                crash_point("unlocked");
                throttle.forget(key, &paths.throttle());
                return Ok(session);
            }
            Err(SlotOpenError::WrongSecretOrAltered) => tried_a_key = true,
            Err(SlotOpenError::NoKey) => saw_disabled = true,
            Err(SlotOpenError::ParamsOutOfRange) => saw_altered = true,
            Err(SlotOpenError::Crypto(error)) => return Err(error.into()),
        }
    }
    // Tried only now, so that a person's own passphrase costs nothing more to unlock with.
    if let Some(session) = emergency::unlock_under_duress(&paths, &slots, account_name, passphrase)?
    {
        return Ok(session);
    }
    if !tried_a_key {
        return Err(if saw_disabled {
            OpenError::AccountDisabled
        } else if saw_altered {
            OpenError::SlotAltered
        } else {
            OpenError::WrongPassphrase
        });
    }
    for slot in candidates
        .iter()
        .filter(|s| s.header.kind == SlotKind::Passphrase)
    {
        throttle.record_failure(ThrottleKey::Account(slot.header.account), now);
    }
    // Best effort: the throttle is a speed bump, and a read-only folder must not turn a wrong
    // passphrase into a confusing storage error.
    let _ = throttle.save(&paths.throttle());
    Err(OpenError::WrongPassphrase)
}

/// Opens the database with the unwrapped data key and loads the account. `None` if the vault has
/// no such account (a slot left over from a failed write, or a name-tag collision).
///
/// The caller holds the write lock. A key-slot change a crash interrupted is finished first; if
/// that replaced the slot `passphrase` opened (a passphrase changed or reset, an account
/// disabled, just before the crash), the passphrase no longer opens the vault and
/// `WrongPassphrase` is returned: what the audit log says took effect has.
fn open_session(
    paths: &VaultPaths,
    data_key: SecretKey,
    account_id: AccountId,
    passphrase: &Passphrase,
) -> Result<Option<Session>, OpenError> {
    let (mut database, data_key) = rekey::open_after_any_rekey(paths, data_key, |next| {
        Ok(next
            .slot_of(account_id)
            .and_then(|slot| open_with_any_form(slot, passphrase).ok())
            .map(|(key, _)| key))
    })?;
    vault::migrate(&mut database)?;
    if key_slot_journal::complete_pending::<OpenError>(paths, &database)? {
        let slots = read_slots(paths)?;
        let still_opens = slots
            .slot_of(account_id)
            .is_some_and(|slot| open_with_any_form(slot, passphrase).is_ok());
        if !still_opens {
            return Err(OpenError::WrongPassphrase);
        }
    }
    let account = load_account_by_id(&database, account_id)?;
    let device = hearth_store::device::this_device(&database)?;
    Ok(account.map(|account| Session {
        paths: paths.clone(),
        device,
        database,
        data_key,
        account,
        audit_enabled: true,
        unlock_recorded: false,
        integrity: Integrity::NotStarted,
    }))
}

impl Session {
    /// This laptop's device id.
    pub(crate) fn device(&self) -> DeviceId {
        self.device
    }

    /// The account that unlocked this session.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// The organisation's name and this laptop's site.
    pub(crate) fn organisation_and_site(&self) -> Result<(String, String), rusqlite::Error> {
        accounts::organisation_and_site(&self.database)
    }

    /// The vault's folder.
    pub fn vault_folder(&self) -> &Path {
        self.paths.folder()
    }

    /// Closes the database and zeroes the data key. (Dropping the session does the same.)
    pub fn lock(self) {}

    /// The database, for the other parts of the core that work in a session (records).
    /// The vault's folder and files.
    pub(crate) fn paths(&self) -> &VaultPaths {
        &self.paths
    }

    pub(crate) fn database(&self) -> &Connection {
        &self.database
    }

    /// The database, to write in a transaction.
    pub(crate) fn database_mut(&mut self) -> &mut Connection {
        &mut self.database
    }

    /// Whether record changes are audited (always, outside the audit-overhead benchmark).
    pub(crate) fn audit_enabled(&self) -> bool {
        self.audit_enabled
    }

    /// Turns off the audit entries of record changes, so that a benchmark can measure what they
    /// cost. Only in builds with the `bench` feature; no shell enables it.
    #[cfg(feature = "bench")]
    pub fn disable_audit_for_benchmark(&mut self) {
        self.audit_enabled = false;
    }

    /// The vault's database connection, so that a benchmark's baseline reads the same rows
    /// through the same SQLCipher connection. Only with the `bench` feature.
    #[cfg(feature = "bench")]
    pub fn database_for_bench(&self) -> &Connection {
        &self.database
    }

    /// Appends `count` varied entries in one transaction, so that a benchmark can time verifying
    /// a long log without a million separate actions. Only with the `bench` feature.
    #[cfg(feature = "bench")]
    pub fn append_audit_entries_for_benchmark(&self, count: u64) -> Result<(), AccessError> {
        let transaction = self.database.unchecked_transaction()?;
        let all: Vec<Action> = Action::all().collect();
        for i in 0..count {
            let action = all[usize::try_from(i).unwrap_or(0) % all.len()];
            let entry = NewEntry::ok(&self.account, action)
                .on(Target::case(format!("{i:032x}")))
                .with_fields(vec!["given_name".into(), "risk_level".into()]);
            audit::append(&transaction, &entry)?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Checks the permission table; a refusal is recorded in the audit log before it is returned.
    pub(crate) fn require(&self, operation: Operation) -> Result<(), Denied> {
        let allowed = Denied::unless_allowed(self.account.role, operation);
        if let Err(denied) = &allowed {
            self.audit_refusal(Action::attempting(operation), None, &denied.to_string());
        }
        allowed
    }

    /// Records a refused attempt. Best effort: the refusal stands even if the log cannot be
    /// written (the person is told why; the failure to audit must not turn into a permission).
    pub(crate) fn audit_refusal(&self, action: Action, target: Option<Target>, reason: &str) {
        let mut entry = NewEntry::ok(&self.account, action).denied(reason.to_owned());
        entry.target = target;
        let _ = audit::append_alone(&self.database, &entry);
    }

    /// Appends an entry for an action that has no transaction of its own.
    pub(crate) fn audit_alone(&self, entry: &NewEntry) -> Result<(), audit::AuditError> {
        audit::append_alone(&self.database, entry)?;
        Ok(())
    }

    /// Takes the vault's write lock for an account change, first finishing a key-slot change
    /// another process committed but did not put in place.
    fn write_lock(&self) -> Result<VaultWriteLock, AccessError> {
        let lock = VaultWriteLock::acquire(&self.paths).map_err(AccessError::WriteLock)?;
        key_slot_journal::complete_pending::<AccessError>(&self.paths, &self.database)?;
        rekey::complete_rename(&self.paths, &self.database)?;
        Ok(lock)
    }
}

impl Session {
    /// Records a successful unlock, after the wrong passphrases counted against the account since
    /// its last one (they could not be written when they happened: the vault was locked).
    fn audit_unlock(&self, failures_before: u32) -> Result<(), OpenError> {
        let transaction = self.database.unchecked_transaction()?;
        if failures_before > 0 {
            let mut failed = NewEntry::ok(&self.account, Action::UnlockFailed);
            failed.outcome = Outcome::Failed;
            failed.reason = Some(format!(
                "{failures_before} wrong passphrase(s) in a row before this unlock"
            ));
            audit::append(&transaction, &failed).map_err(audit_open_error)?;
        }
        audit::append(&transaction, &NewEntry::ok(&self.account, Action::Unlock))
            .map_err(audit_open_error)?;
        transaction.commit()?;
        Ok(())
    }
}

fn audit_open_error(error: audit::AuditError) -> OpenError {
    match error {
        audit::AuditError::Database(error) => error.into(),
        audit::AuditError::Crypto(error) => error.into(),
        other => OpenError::Database(vault::DatabaseOpenError::Sqlite(
            rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
        )),
    }
}

/// Locking: the lock is recorded and the chain's head is signed (a checkpoint), then the database
/// closes and the data key is zeroed. Best effort: a vault whose disk is full still locks.
impl Drop for Session {
    fn drop(&mut self) {
        // A check still running is waited for: its keyed connection must not outlive the lock.
        let _ = self.finish_integrity_check();
        if !self.unlock_recorded {
            return;
        }
        let Ok(transaction) = self.database.unchecked_transaction() else {
            return;
        };
        let recorded = audit::append(&transaction, &NewEntry::ok(&self.account, Action::Lock))
            .and_then(|_| audit::make_checkpoint(&transaction));
        if recorded.is_ok() {
            let _ = transaction.commit();
        }
    }
}
