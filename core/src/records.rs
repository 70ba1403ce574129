//! Case records as a session uses them. The records themselves (model, validation, the write
//! path, lists and search) are `hearth_records`; each method here takes the actor from the
//! session, runs the domain function in one transaction, and records a refusal in the audit log.

pub use hearth_records::*;

use rusqlite::Transaction;
use serde_json::{Map, Value};

use crate::access::{Operation, Session};
use crate::audit::{Action, NewEntry, Target};
use crate::crash_point::crash_point;

impl Session {
    /// The account that unlocked, at this laptop, now: who every records function acts as.
    fn actor(&self) -> Actor {
        Actor::new(self.device(), self.account(), self.audit_enabled())
    }

    /// Runs `write` as this session's actor in one transaction, committed only if it succeeds.
    fn write_records<T>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>, &Actor) -> Result<T, RecordError>,
    ) -> Result<T, RecordError> {
        let actor = self.actor();
        let transaction = self.database_mut().transaction()?;
        let result = write(&transaction, &actor)?;
        crash_point("records-written");
        transaction.commit()?;
        crash_point("records-committed");
        Ok(result)
    }

    /// Records a refusal (a role's, a case team's, or consent's) in the audit log, then returns
    /// the result unchanged. The refused action's own transaction wrote nothing.
    pub(crate) fn audit_if_refused<T>(
        &self,
        result: Result<T, RecordError>,
        action: Action,
        target: Option<Target>,
    ) -> Result<T, RecordError> {
        if let Err(error) = &result {
            let action = match error {
                RecordError::Denied(denied) => Some(Action::attempting(denied.operation)),
                RecordError::NotOnTeam | RecordError::ConsentRequired => Some(action),
                _ => None,
            };
            if let Some(action) = action {
                self.audit_refusal(action, target, &error.to_string());
            }
        }
        result
    }

    /// Opens a new case; returns its id and number. The person creating it becomes its owner
    /// unless a supervisor names another.
    pub fn create_case(&mut self, case: &Map<String, Value>) -> Result<CaseCreated, RecordError> {
        let draft = CaseDraft {
            case: case.clone(),
            children: Vec::new(),
        };
        let mut created = self.create_cases(std::slice::from_ref(&draft))?;
        created.pop().ok_or(RecordError::NotFound(RecordKind::Case))
    }

    /// Opens several cases, with records attached, in one transaction: all or none.
    pub fn create_cases(&mut self, drafts: &[CaseDraft]) -> Result<Vec<CaseCreated>, RecordError> {
        let result = self
            .write_records(|transaction, actor| write::create_cases(transaction, actor, drafts));
        self.audit_if_refused(result, Action::CreateCase, None)
    }

    /// Changes the fields given (`null` clears one); the others stay. Closing, reopening and
    /// reassigning go through here too, and need a supervisor.
    pub fn update_case(
        &mut self,
        case: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        let result = self.write_records(|transaction, actor| {
            write::update_case(transaction, actor, case, input)
        });
        self.audit_if_refused(result, Action::UpdateCase, Some(Target::case(case)))
    }

    /// Closes a case (`Closed` or `ClosedReferred`) with the reason.
    pub fn close_case(
        &mut self,
        case: RecordId,
        status: &str,
        reason: &str,
    ) -> Result<(), RecordError> {
        let input = write::closing(status, reason)?;
        self.update_case(case, &input)
    }

    /// Reopens a closed case as Active.
    pub fn reopen_case(&mut self, case: RecordId) -> Result<(), RecordError> {
        let mut input = Map::new();
        input.insert("status".into(), Value::from("Active"));
        self.update_case(case, &input)
    }

    /// Everything about one case, for its page. The opening is recorded in the audit log (and a
    /// refused one too).
    pub fn open_case(&self, case: RecordId) -> Result<CaseFile, RecordError> {
        let result = self.case_file(case).and_then(|file| {
            self.audit_alone(
                &NewEntry::ok(self.account(), Action::OpenCase).on(Target::case(case)),
            )?;
            Ok(file)
        });
        self.audit_if_refused(result, Action::OpenCase, Some(Target::case(case)))
    }

    /// The case page again after a change made in this session (the change is audited, and so
    /// was the opening): no new "opened" entry.
    pub fn case_file(&self, case: RecordId) -> Result<CaseFile, RecordError> {
        case_file::load(self.database(), &self.actor(), case)
    }

    /// Attaches a record (consent decision, service, referral, note, follow-up) to a case.
    pub fn add_record(
        &mut self,
        kind: RecordKind,
        case: RecordId,
        input: &Map<String, Value>,
    ) -> Result<RecordId, RecordError> {
        let result = self.write_records(|transaction, actor| {
            write::add_record(transaction, actor, kind, case, input)
        });
        let action = if kind == RecordKind::Consent {
            Action::ConsentChange
        } else {
            Action::AddRecord
        };
        self.audit_if_refused(result, action, Some(Target::case(case)))
    }

    /// Changes the fields given of a record attached to a case. Consent decisions are never
    /// changed: record a new one.
    pub fn update_record(
        &mut self,
        kind: RecordKind,
        id: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        if !RecordKind::CHILDREN.contains(&kind) {
            return Err(RecordError::NotFound(kind));
        }
        if kind == RecordKind::Consent {
            return Err(RecordError::ConsentIsHistory);
        }
        let result = self.write_records(|transaction, actor| {
            write::update_record(transaction, actor, kind, id, input)
        });
        let target = Target {
            kind: kind.as_str(),
            id: id.to_string(),
        };
        self.audit_if_refused(result, Action::UpdateRecord, Some(target))
    }

    /// A page of the cases this person may see, filtered and sorted. With `text`, this is the
    /// search: each word must start a word of the person's names, aliases or case number.
    pub fn list_cases(&self, query: &CaseQuery) -> Result<CasePage, RecordError> {
        queries::list_cases(self.database(), &self.actor(), query)
    }

    /// The cases this person may see that may be the same person as the one an intake is being
    /// typed for (names folded and in any order, birth years within two years). Not recorded,
    /// like a search.
    pub fn possible_duplicates(
        &self,
        query: &duplicates::DuplicateQuery,
    ) -> Result<Vec<duplicates::PossibleDuplicate>, RecordError> {
        duplicates::possible_duplicates(self.database(), &self.actor(), query)
    }

    /// Merges the case `merged` into `keep`: a supervisor found them to be one person. Both cases
    /// keep their history; `merged` takes the status `Merged` and takes no more changes.
    pub fn merge_cases(&mut self, keep: RecordId, merged: RecordId) -> Result<(), RecordError> {
        let result = self.write_records(|transaction, actor| {
            merge::merge_cases(transaction, actor, keep, merged)
        });
        self.audit_if_refused(result, Action::MergeCases, Some(Target::case(merged)))
    }

    /// Records that the cases `a` and `b` are two people (supervisors).
    pub fn mark_different(&mut self, a: RecordId, b: RecordId) -> Result<(), RecordError> {
        let result = self
            .write_records(|transaction, actor| merge::mark_different(transaction, actor, a, b));
        self.audit_if_refused(result, Action::MarkDifferent, Some(Target::case(b)))
    }

    /// The cases that may be the same person as `case`'s, for a supervisor to merge or mark as
    /// different.
    pub fn case_duplicates(
        &self,
        case: RecordId,
    ) -> Result<Vec<duplicates::PossibleDuplicate>, RecordError> {
        merge::case_duplicates(self.database(), &self.actor(), case)
    }

    /// Every field-level change to a case and its attached records, oldest first.
    pub fn case_history(&self, case: RecordId) -> Result<Vec<HistoryEntry>, RecordError> {
        let result = queries::case_history(self.database(), &self.actor(), case);
        self.audit_if_refused(result, Action::OpenCase, Some(Target::case(case)))
    }

    /// The open follow-ups assigned to the person signed in, on cases they may see, soonest
    /// first.
    pub fn my_follow_ups(&self) -> Result<Vec<FollowUpDue>, RecordError> {
        queries::my_follow_ups(self.database(), &self.actor())
    }

    /// The staff who can work on cases (caseworkers and supervisors, active), for choosing an
    /// owner or assignee. Names only: no roles or other account details.
    pub fn case_staff(&self) -> Result<Vec<(String, String)>, RecordError> {
        queries::case_staff(self.database())
    }

    /// The partner organisation directory, by name. Partners' keys are shown only to those who
    /// may set them (supervisors).
    pub fn list_partners(&self) -> Result<Vec<Record<PartnerFields>>, RecordError> {
        self.require(Operation::ViewPartners)?;
        let mut partners = partners::list(self.database())?;
        let sees_keys =
            hearth_ids::Denied::unless_allowed(self.account().role, Operation::ManagePartnerKeys)
                .is_ok();
        if !sees_keys {
            for partner in &mut partners {
                partner.fields.age_recipient = None;
            }
        }
        Ok(partners)
    }

    /// Adds a partner organisation to the directory.
    pub fn add_partner(&mut self, input: &Map<String, Value>) -> Result<RecordId, RecordError> {
        self.require(Operation::ManagePartners)?;
        self.write_records(|transaction, actor| partners::add(transaction, actor, input))
    }

    /// Changes the fields given of a partner organisation.
    pub fn update_partner(
        &mut self,
        id: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        self.require(Operation::ManagePartners)?;
        self.write_records(|transaction, actor| partners::update(transaction, actor, id, input))
    }

    /// The conflict queue, oldest first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, RecordError> {
        self.require(Operation::ResolveConflicts)?;
        let connection = self.database();
        conflicts::list(connection, &|device| {
            hearth_sync::device_name(connection, device)
        })
    }

    /// Resolves one conflict: validated and permitted like any edit of that field, in one
    /// transaction, and audited as a resolution.
    pub fn resolve_conflict(&mut self, id: i64, resolution: Resolution) -> Result<(), RecordError> {
        self.require(Operation::ResolveConflicts)?;
        let target = conflicts::target_of(self.database(), id)?;
        let actor = self.actor();
        let result = self
            .write_records(|transaction, _| conflicts::resolve(transaction, actor, id, resolution));
        self.audit_if_refused(result, Action::ResolveConflict, Some(target))
    }
}
