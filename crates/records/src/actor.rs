//! Who is acting, from which laptop, and when: the same for every change of one operation.
//!
//! The session facade (hearth-core) makes an [`Actor`] for the account that unlocked, and every
//! records function takes one: reads use its role and account to decide which cases it reaches,
//! writes stamp its device, account and clock on each change.

use hearth_ids::{Account, AccountId, Denied, DeviceId, Operation, Role};
use hearth_store::audit::{Action, NewEntry, Outcome, Target};
use hearth_store::change_log::ChangeRef;

use crate::dates::Date;

/// Who is acting, from where, and when: the same for every change of one operation.
#[derive(Debug)]
pub struct Actor {
    pub(crate) device: DeviceId,
    pub(crate) account: AccountId,
    pub(crate) role: Role,
    pub(crate) now_ms: u64,
    /// Today where the laptop is: what "not in the future" means.
    pub(crate) today: Date,
    /// Whether writes are audited (always, except in the audit-overhead benchmark).
    pub(crate) audit: bool,
    /// Queued conflict values this operation replaces besides the current ones (a resolution).
    pub(crate) resolves: Vec<(String, ChangeRef)>,
}

impl Actor {
    /// `account` at this laptop (`device`), now. `audit` is false only in the benchmark that
    /// measures what auditing costs.
    pub fn new(device: DeviceId, account: &Account, audit: bool) -> Actor {
        Actor {
            device,
            account: account.id,
            role: account.role,
            now_ms: u64::try_from(hearth_ids::now_unix_ms()).unwrap_or(0),
            today: Date::today(),
            audit,
            resolves: Vec::new(),
        }
    }

    pub(crate) fn me(&self) -> String {
        self.account.to_hex()
    }

    /// Refuses unless the actor's role may perform `operation` at all.
    pub fn require(&self, operation: Operation) -> Result<(), Denied> {
        Denied::unless_allowed(self.role, operation)
    }

    /// The laptop acting.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// The moment of the operation (milliseconds since the epoch, this laptop's clock).
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Today on this laptop's calendar.
    pub fn today(&self) -> Date {
        self.today
    }

    /// The audit entry of something this actor did, for the layers above records that audit
    /// their own actions; `None` when auditing is off (the audit-overhead benchmark).
    pub fn audit_entry(
        &self,
        action: Action,
        target: Target,
        fields: Vec<String>,
    ) -> Option<NewEntry> {
        self.audit.then_some(NewEntry {
            account: Some(self.account),
            role: Some(self.role),
            action,
            target: Some(target),
            fields,
            outcome: Outcome::Ok,
            reason: None,
        })
    }

    /// Whether the field is written even if its value stays: resolving a conflict by keeping the
    /// current value still writes it, so that every laptop learns the conflict is resolved.
    pub(crate) fn rewrites(&self, field: &str) -> bool {
        self.resolves.iter().any(|(name, _)| name == field)
    }

    /// The actor of a conflict's resolution: it also replaces the queued value.
    pub(crate) fn resolving(mut self, field: &str, queued: ChangeRef) -> Actor {
        self.resolves.push((field.to_owned(), queued));
        self
    }
}
