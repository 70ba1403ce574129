//! The records operations of a [`Session`]: create, open, change, list and search cases and what is
//! attached to them. Each write checks the permission table, validates every field, and writes all
//! its changes and projections in one transaction; a refusal writes nothing.

use std::collections::BTreeMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::dates::Date;
use super::fields::{normalise, FieldError, FieldProblem, FieldSpec, Guard, References};
use super::model::*;
use super::projection::{self, Stored};
use super::search::{prefix_upper_bound, query_words};
use super::{RecordError, RecordId, RecordKind};
use crate::access::{is_allowed, reach, AccessError, AccountId, Operation, Reach, Role, Session};
use crate::audit::{self, Action, NewEntry, Outcome, Target};
use crate::change_log::{changes_of, record_local_edit, Change, ChangeRef, DeviceId};

/// A case to create together with records attached to it, in one transaction. Used by `hearth
/// case new`, the demo data generator and the benchmark.
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    /// The case's fields, as in `hearth case new --json`.
    pub case: Map<String, Value>,
    /// Records to attach, in order (a consent decision before the referral that needs it).
    pub children: Vec<(RecordKind, Map<String, Value>)>,
}

/// Who is writing, from where, and when: the same for every change of one operation.
pub(super) struct Writer {
    device: DeviceId,
    account: AccountId,
    role: Role,
    now_ms: u64,
    /// Today where the laptop is: what "not in the future" means.
    today: Date,
    /// Whether writes are audited (always, except in the audit-overhead benchmark).
    audit: bool,
    /// Queued conflict values this operation replaces besides the current ones (a resolution).
    resolves: Vec<(String, ChangeRef)>,
}

impl Writer {
    fn me(&self) -> String {
        self.account.to_hex()
    }

    fn may(&self, operation: Operation) -> bool {
        is_allowed(self.role, operation)
    }

    fn require(&self, operation: Operation) -> Result<(), RecordError> {
        if self.may(operation) {
            Ok(())
        } else {
            Err(RecordError::denied(self.role, operation))
        }
    }

    /// Whether the field is written even if its value stays: resolving a conflict by keeping the
    /// current value still writes it, so that every laptop learns the conflict is resolved.
    fn rewrites(&self, field: &str) -> bool {
        self.resolves.iter().any(|(name, _)| name == field)
    }

    /// The writer of a conflict's resolution: it also replaces the queued value.
    pub(super) fn resolving(mut self, field: &str, queued: ChangeRef) -> Writer {
        self.resolves.push((field.to_owned(), queued));
        self
    }
}

/// Validation's view of the vault: accounts and partners that exist.
struct VaultReferences<'c>(&'c Connection);

impl References for VaultReferences<'_> {
    fn is_active_account(&self, id: &str) -> bool {
        let Some(bytes) = hearth_ids::parse_hex16(id) else {
            return false;
        };
        self.0
            .prepare_cached("SELECT 1 FROM accounts WHERE id = ?1 AND active = 1")
            .and_then(|mut statement| statement.query_row([bytes.as_slice()], |_| Ok(())))
            .optional()
            .ok()
            .flatten()
            .is_some()
    }

    fn is_partner(&self, id: &str) -> bool {
        let Some(bytes) = hearth_ids::parse_hex16(id) else {
            return false;
        };
        self.0
            .prepare_cached("SELECT 1 FROM partners WHERE id = ?1")
            .and_then(|mut statement| statement.query_row([bytes.as_slice()], |_| Ok(())))
            .optional()
            .ok()
            .flatten()
            .is_some()
    }
}

/// The most matches a case list counts (see [`CasePage::more_than_total`]).
pub const COUNT_CAP: u64 = 1_000;

/// Field name and its new value (`None` clears it).
type Changes = Vec<(&'static str, Option<Value>)>;

fn spec_of(kind: RecordKind, name: &str) -> Option<&'static FieldSpec> {
    kind.fields().iter().find(|spec| spec.name == name)
}

/// Checks every field given; refuses unknown fields and fields Hearth sets itself.
fn validate_input(
    connection: &Connection,
    writer: &Writer,
    kind: RecordKind,
    input: &Map<String, Value>,
) -> Result<Changes, FieldError> {
    let references = VaultReferences(connection);
    let mut changes = Changes::new();
    for (name, value) in input {
        let spec = spec_of(kind, name)
            .ok_or_else(|| FieldError::new(name.as_str(), FieldProblem::UnknownField))?;
        if spec.guard == Guard::Fixed {
            return Err(FieldError::new(spec.name, FieldProblem::NotEditable));
        }
        changes.push((
            spec.name,
            normalise(spec, value, writer.today, &references)?,
        ));
    }
    Ok(changes)
}

fn apply(fields: &mut Map<String, Value>, changes: &Changes) {
    for (name, value) in changes {
        match value {
            Some(value) => fields.insert((*name).to_owned(), value.clone()),
            None => fields.remove(*name),
        };
    }
}

fn check_required(kind: RecordKind, fields: &Map<String, Value>) -> Result<(), FieldError> {
    match kind
        .fields()
        .iter()
        .find(|spec| spec.required && !fields.contains_key(spec.name))
    {
        Some(missing) => Err(FieldError::new(missing.name, FieldProblem::Required)),
        None => Ok(()),
    }
}

fn is_closed(status: Option<&str>) -> bool {
    matches!(status, Some("Closed" | "ClosedReferred"))
}

fn text<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(Value::as_str)
}

/// Rules across fields of a case, given its fields after the edit and what the edit changed.
fn check_case(
    fields: &Map<String, Value>,
    changes: &Changes,
    today: Date,
) -> Result<(), FieldError> {
    let birth = text(fields, "birth_date").and_then(Date::parse);
    let estimated = fields.get("estimated_age").and_then(Value::as_i64);
    // Checked when either is given: an estimate recorded years ago drifts from the birth date,
    // and must not block later edits of other fields.
    let age_given = changes
        .iter()
        .any(|(name, _)| matches!(*name, "birth_date" | "estimated_age"));
    if let (true, Some(birth), Some(estimated)) = (age_given, birth, estimated) {
        if (i64::from(birth.years_until(today)) - estimated).abs() > super::fields::AGE_TOLERANCE {
            return Err(FieldError::new("estimated_age", FieldProblem::AgeMismatch));
        }
    }
    let closed = is_closed(text(fields, "status"));
    if closed && !fields.contains_key("closure_reason") {
        return Err(FieldError::new("closure_reason", FieldProblem::Required));
    }
    if !closed && fields.contains_key("closure_reason") {
        return Err(FieldError::new(
            "closure_reason",
            FieldProblem::OnlyWhenClosed,
        ));
    }
    Ok(())
}

/// Age in whole years today: from the birth date, or else the estimated age.
fn age_of(fields: &Map<String, Value>, today: Date) -> Option<u32> {
    match text(fields, "birth_date").and_then(Date::parse) {
        Some(birth) => u32::try_from(birth.years_until(today)).ok(),
        None => fields
            .get("estimated_age")
            .and_then(Value::as_u64)
            .and_then(|age| u32::try_from(age).ok()),
    }
}

fn on_team(
    connection: &Connection,
    case: RecordId,
    account: AccountId,
) -> Result<bool, RecordError> {
    Ok(connection
        .prepare_cached("SELECT 1 FROM case_team WHERE case_id = ?1 AND account = ?2")?
        .query_row(
            params![case.0.as_slice(), account.as_bytes().as_slice()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether `role` may do `operation` to this case.
fn may_on_case(
    connection: &Connection,
    role: Role,
    account: AccountId,
    operation: Operation,
    case: RecordId,
) -> Result<bool, RecordError> {
    Ok(match reach(role, operation) {
        None => false,
        Some(Reach::All) => true,
        Some(Reach::OwnOrAssignedCases) => on_team(connection, case, account)?,
    })
}

/// Loads a case after checking that `role` may do `operation` to it.
fn require_case(
    connection: &Connection,
    role: Role,
    account: AccountId,
    operation: Operation,
    case: RecordId,
) -> Result<Stored, RecordError> {
    let Some(granted) = reach(role, operation) else {
        return Err(RecordError::denied(role, operation));
    };
    let stored = projection::load(connection, RecordKind::Case, case)?
        .ok_or(RecordError::NotFound(RecordKind::Case))?;
    if granted == Reach::OwnOrAssignedCases && !on_team(connection, case, account)? {
        return Err(RecordError::NotOnTeam);
    }
    Ok(stored)
}

/// Writes the changes of one record, brings its projections up to date, and appends the audit
/// entry (field names, never values): all in the caller's transaction.
fn write(
    connection: &rusqlite::Transaction<'_>,
    writer: &Writer,
    kind: RecordKind,
    id: RecordId,
    changes: &Changes,
    action: Action,
    target: Target,
) -> Result<(), RecordError> {
    // A resolution is recorded as what it is, whichever field it wrote.
    let action = if writer.resolves.is_empty() {
        action
    } else {
        Action::ResolveConflict
    };
    if writer.audit {
        let prefix = match kind {
            RecordKind::Case | RecordKind::Partner => String::new(),
            child => format!("{}.", child.as_str()),
        };
        let entry = NewEntry {
            account: Some(writer.account),
            role: Some(writer.role),
            action,
            target: Some(target),
            fields: changes
                .iter()
                .filter(|(name, _)| !matches!(*name, "case_id" | "created_by"))
                .map(|(name, _)| format!("{prefix}{name}"))
                .collect(),
            outcome: Outcome::Ok,
            reason: None,
        };
        audit::append(connection, &entry)?;
    }
    let fields: Map<String, Value> = changes
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone().unwrap_or(Value::Null)))
        .collect();
    record_local_edit(
        connection,
        writer.device,
        writer.account,
        writer.now_ms,
        kind.as_str(),
        id.0,
        fields,
        &writer.resolves,
    )?;
    projection::refresh(connection, kind, id)
}

/// The operation a change of status needs beyond editing the case, if any.
fn status_operation(before: Option<&str>, after: Option<&str>) -> Option<Operation> {
    match (is_closed(before), is_closed(after)) {
        (false, true) => Some(Operation::CloseCase),
        (true, false) => Some(Operation::ReopenCase),
        // Changing how or why a closed case was closed is part of closing it.
        (true, true) if before != after => Some(Operation::CloseCase),
        _ => None,
    }
}

/// The prefix of this vault's case numbers: the first three letters of the site's name.
fn site_code(site: &str) -> String {
    let letters: String = super::search::fold(site)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_uppercase();
    if letters.len() < 2 {
        "CASE".to_owned()
    } else {
        letters
    }
}

fn next_case_number(
    connection: &Connection,
    site: &str,
    today: Date,
) -> Result<String, RecordError> {
    let prefix = format!("{}-{}", site_code(site), today.year());
    let mut last: i64 = connection
        .prepare_cached("SELECT last FROM case_number_counters WHERE prefix = ?1")?
        .query_row([&prefix], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    let mut taken = connection.prepare_cached("SELECT 1 FROM cases WHERE number = ?1")?;
    let number = loop {
        last += 1;
        let candidate = format!("{prefix}-{last:04}");
        // A number can already exist if a case came from elsewhere: skip it.
        if taken
            .query_row([&candidate], |_| Ok(()))
            .optional()?
            .is_none()
        {
            break candidate;
        }
    };
    connection
        .prepare_cached(
            "INSERT INTO case_number_counters (prefix, last) VALUES (?1, ?2)
             ON CONFLICT (prefix) DO UPDATE SET last = excluded.last",
        )?
        .execute(params![prefix, last])?;
    Ok(number)
}

/// The decision in force for each purpose (and partner): the newest by date, then by entry.
fn current_consents(consents: &[Record<ConsentFields>]) -> Vec<Record<ConsentFields>> {
    let mut newest: BTreeMap<(Option<String>, Option<String>), &Record<ConsentFields>> =
        BTreeMap::new();
    for consent in consents {
        let key = (
            consent.fields.purpose.clone(),
            consent.fields.partner.clone(),
        );
        let order = |c: &Record<ConsentFields>| (c.fields.date.clone(), c.created_ms);
        match newest.get(&key) {
            Some(current) if order(current) >= order(consent) => {}
            _ => {
                newest.insert(key, consent);
            }
        }
    }
    newest.into_values().cloned().collect()
}

fn children_of(
    connection: &Connection,
    case: RecordId,
    kind: RecordKind,
) -> Result<Vec<(RecordId, Stored)>, RecordError> {
    let mut statement = connection
        .prepare_cached("SELECT id FROM case_children WHERE case_id = ?1 AND kind = ?2")?;
    let ids = statement
        .query_map(params![case.0.as_slice(), kind.as_str()], |row| {
            row.get::<_, Vec<u8>>(0)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut children = Vec::with_capacity(ids.len());
    for bytes in ids {
        let id = RecordId(<[u8; 16]>::try_from(bytes).map_err(|_| RecordError::NotFound(kind))?);
        if let Some(stored) = projection::load(connection, kind, id)? {
            children.push((id, stored));
        }
    }
    Ok(children)
}

fn typed_children<F: serde::de::DeserializeOwned>(
    connection: &Connection,
    case: RecordId,
    kind: RecordKind,
) -> Result<Vec<Record<F>>, RecordError> {
    children_of(connection, case, kind)?
        .into_iter()
        .map(|(id, stored)| stored.into_record(id))
        .collect()
}

fn consent_in_force(
    connection: &Connection,
    case: RecordId,
    partner: Option<&str>,
) -> Result<bool, RecordError> {
    let consents: Vec<Record<ConsentFields>> =
        typed_children(connection, case, RecordKind::Consent)?;
    Ok(current_consents(&consents).iter().any(|consent| {
        consent.fields.purpose.as_deref() == Some("ReferralToPartner")
            && consent.fields.partner.as_deref() == partner
            && consent.fields.decision.as_deref() == Some("Given")
    }))
}

/// Rules of a child record, given its fields after the change and what changed.
fn check_child(
    connection: &Connection,
    writer: &Writer,
    kind: RecordKind,
    case: RecordId,
    fields: &Map<String, Value>,
    changes: &Changes,
) -> Result<(), RecordError> {
    let changed = |name: &str| changes.iter().any(|(n, _)| *n == name);
    match kind {
        RecordKind::Consent => {
            let for_referral = text(fields, "purpose") == Some("ReferralToPartner");
            if for_referral != fields.contains_key("partner") {
                return Err(
                    FieldError::new("partner", FieldProblem::PartnerForReferralOnly).into(),
                );
            }
        }
        RecordKind::Referral => {
            if changed("consent_override_reason") {
                writer.require(Operation::OverrideReferralConsent)?;
            }
            let outgoing = text(fields, "direction") == Some("Outgoing");
            let newly_addressed = changed("partner") || changed("direction");
            // An override covers the partner it was given for: readdressing the referral needs
            // consent to the new partner, or a new override given in the same edit.
            let overridden_now = changed("consent_override_reason")
                && fields.contains_key("consent_override_reason");
            if outgoing
                && newly_addressed
                && !overridden_now
                && !consent_in_force(connection, case, text(fields, "partner"))?
            {
                return Err(RecordError::ConsentRequired);
            }
        }
        RecordKind::FollowUp if changed("assigned_to") => {
            let assignee = text(fields, "assigned_to").and_then(hearth_ids::parse_hex16);
            let on_case = match assignee {
                Some(bytes) => connection
                    .prepare_cached(
                        "SELECT 1 FROM case_team WHERE case_id = ?1 AND account = ?2
                         UNION ALL
                         SELECT 1 FROM accounts WHERE id = ?2 AND role = 'supervisor'",
                    )?
                    .query_row(params![case.0.as_slice(), bytes.as_slice()], |_| Ok(()))
                    .optional()?
                    .is_some(),
                None => false,
            };
            if !on_case {
                return Err(FieldError::new("assigned_to", FieldProblem::NotOnCaseTeam).into());
            }
        }
        _ => {}
    }
    Ok(())
}

/// Creates one case and what is attached to it.
fn create_case_in(
    transaction: &rusqlite::Transaction<'_>,
    writer: &Writer,
    site: &str,
    draft: &CaseDraft,
) -> Result<CaseCreated, RecordError> {
    let mut changes = validate_input(transaction, writer, RecordKind::Case, &draft.case)?;
    let mut fields = Map::new();
    apply(&mut fields, &changes);
    let me = writer.me();
    if !fields.contains_key("status") {
        changes.push(("status", Some(Value::from("Active"))));
    }
    if !fields.contains_key("owner") {
        changes.push(("owner", Some(Value::from(me.as_str()))));
    }
    apply(&mut fields, &changes);
    if let Some(operation) = status_operation(None, text(&fields, "status")) {
        writer.require(operation)?;
    }
    if text(&fields, "owner") != Some(me.as_str()) || fields.contains_key("assigned") {
        writer.require(Operation::ReassignCase)?;
    }
    check_required(RecordKind::Case, &fields)?;
    check_case(&fields, &changes, writer.today)?;

    let number = next_case_number(transaction, site, writer.today)?;
    changes.push(("case_number", Some(Value::from(number.as_str()))));
    changes.push(("created_by", Some(Value::from(me))));
    let id = RecordId::generate().map_err(|_| crate::crypto::CryptoError::Randomness)?;
    write(
        transaction,
        writer,
        RecordKind::Case,
        id,
        &changes,
        Action::CreateCase,
        Target::case(id),
    )?;
    for (kind, input) in &draft.children {
        add_child_in(transaction, writer, *kind, id, input)?;
    }
    Ok(CaseCreated {
        id: id.to_string(),
        number,
    })
}

fn add_child_in(
    transaction: &rusqlite::Transaction<'_>,
    writer: &Writer,
    kind: RecordKind,
    case: RecordId,
    input: &Map<String, Value>,
) -> Result<RecordId, RecordError> {
    if !RecordKind::CHILDREN.contains(&kind) {
        return Err(RecordError::NotFound(kind));
    }
    require_case(
        transaction,
        writer.role,
        writer.account,
        Operation::EditCase,
        case,
    )?;
    let mut changes = validate_input(transaction, writer, kind, input)?;
    let mut fields = Map::new();
    apply(&mut fields, &changes);
    if kind == RecordKind::FollowUp {
        if !fields.contains_key("assigned_to") {
            changes.push(("assigned_to", Some(Value::from(writer.me()))));
        }
        if !fields.contains_key("done") {
            changes.push(("done", Some(Value::from(false))));
        }
        apply(&mut fields, &changes);
    }
    check_required(kind, &fields)?;
    check_child(transaction, writer, kind, case, &fields, &changes)?;
    changes.push(("case_id", Some(Value::from(case.to_string()))));
    changes.push(("created_by", Some(Value::from(writer.me()))));
    let id = RecordId::generate().map_err(|_| crate::crypto::CryptoError::Randomness)?;
    let action = if kind == RecordKind::Consent {
        Action::ConsentChange
    } else {
        Action::AddRecord
    };
    write(
        transaction,
        writer,
        kind,
        id,
        &changes,
        action,
        Target::case(case),
    )?;
    Ok(id)
}

impl Session {
    pub(super) fn writer(&self) -> Result<Writer, RecordError> {
        let device = hearth_store::device::this_device(self.database())?;
        Ok(Writer {
            device,
            account: self.account().id,
            role: self.account().role,
            now_ms: u64::try_from(crate::access::now_unix_ms()).unwrap_or(0),
            today: Date::today(),
            audit: self.audit_enabled(),
            resolves: Vec::new(),
        })
    }

    fn site(&self) -> Result<String, RecordError> {
        Ok(self
            .database()
            .query_row("SELECT site FROM organisation WHERE id = 1", [], |row| {
                row.get(0)
            })?)
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
        let result = self.create_cases_unaudited_refusals(drafts);
        self.audit_if_refused(result, Action::CreateCase, None)
    }

    /// Records a refusal (a role's, a case team's, or consent's) in the audit log, then returns
    /// the result unchanged. The refused action's own transaction wrote nothing.
    pub(super) fn audit_if_refused<T>(
        &self,
        result: Result<T, RecordError>,
        action: Action,
        target: Option<Target>,
    ) -> Result<T, RecordError> {
        if let Err(error) = &result {
            let action = match error {
                RecordError::Access(AccessError::Denied { operation, .. }) => {
                    Some(Action::attempting(*operation))
                }
                RecordError::NotOnTeam | RecordError::ConsentRequired => Some(action),
                _ => None,
            };
            if let Some(action) = action {
                self.audit_refusal(action, target, &error.to_string());
            }
        }
        result
    }

    fn create_cases_unaudited_refusals(
        &mut self,
        drafts: &[CaseDraft],
    ) -> Result<Vec<CaseCreated>, RecordError> {
        let writer = self.writer()?;
        writer.require(Operation::CreateCase)?;
        let site = self.site()?;
        let transaction = self.database_mut().transaction()?;
        let created = drafts
            .iter()
            .map(|draft| create_case_in(&transaction, &writer, &site, draft))
            .collect::<Result<Vec<_>, _>>()?;
        transaction.commit()?;
        Ok(created)
    }

    /// Changes the fields given (`null` clears one); the others stay. Closing, reopening and
    /// reassigning go through here too, and need a supervisor.
    pub fn update_case(
        &mut self,
        case: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        let result = self
            .writer()
            .and_then(|writer| self.update_case_as(writer, case, input));
        self.audit_if_refused(result, Action::UpdateCase, Some(Target::case(case)))
    }

    /// [`Session::update_case`] by `writer`, without auditing a refusal.
    pub(super) fn update_case_as(
        &mut self,
        writer: Writer,
        case: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        let transaction = self.database_mut().transaction()?;
        let current = require_case(
            &transaction,
            writer.role,
            writer.account,
            Operation::EditCase,
            case,
        )?;
        let mut changes: Changes = validate_input(&transaction, &writer, RecordKind::Case, input)?
            .into_iter()
            .filter(|(name, value)| {
                current.fields.get(*name) != value.as_ref() || writer.rewrites(name)
            })
            .collect();
        let mut fields = current.fields.clone();
        apply(&mut fields, &changes);
        let operation = status_operation(text(&current.fields, "status"), text(&fields, "status"));
        if operation == Some(Operation::ReopenCase) && fields.contains_key("closure_reason") {
            // The reason belonged to the closure; its history keeps it.
            changes.push(("closure_reason", None));
            apply(&mut fields, &changes);
        }
        if let Some(operation) = operation {
            writer.require(operation)?;
        } else if changes.iter().any(|(name, _)| *name == "closure_reason") {
            writer.require(Operation::CloseCase)?;
        }
        let reassigned = changes.iter().any(|(name, _)| {
            spec_of(RecordKind::Case, name).is_some_and(|s| s.guard == Guard::Team)
        });
        if reassigned {
            writer.require(Operation::ReassignCase)?;
        }
        check_required(RecordKind::Case, &fields)?;
        check_case(&fields, &changes, writer.today)?;
        let action = match operation {
            Some(Operation::CloseCase) => Action::CloseCase,
            Some(Operation::ReopenCase) => Action::ReopenCase,
            _ if reassigned => Action::ReassignCase,
            _ => Action::UpdateCase,
        };
        if !changes.is_empty() {
            write(
                &transaction,
                &writer,
                RecordKind::Case,
                case,
                &changes,
                action,
                Target::case(case),
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Closes a case (`Closed` or `ClosedReferred`) with the reason.
    pub fn close_case(
        &mut self,
        case: RecordId,
        status: &str,
        reason: &str,
    ) -> Result<(), RecordError> {
        let mut input = Map::new();
        input.insert("status".into(), Value::from(status));
        input.insert("closure_reason".into(), Value::from(reason));
        if !is_closed(Some(status)) {
            return Err(FieldError::new(
                "status",
                FieldProblem::UnknownCode {
                    list: "case_status (Closed, ClosedReferred)",
                },
            )
            .into());
        }
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
        let result = self.load_case_file(case).and_then(|file| {
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
        self.load_case_file(case)
    }

    fn load_case_file(&self, case: RecordId) -> Result<CaseFile, RecordError> {
        let connection = self.database();
        let (role, account) = (self.account().role, self.account().id);
        let stored = require_case(connection, role, account, Operation::ViewCase, case)?;
        let today = Date::today();
        let age = age_of(&stored.fields, today);
        let closed = is_closed(stored.text("status"));

        let consents_newest_first = {
            let mut consents: Vec<Record<ConsentFields>> =
                typed_children(connection, case, RecordKind::Consent)?;
            consents.sort_by(|a, b| {
                (&b.fields.date, b.created_ms).cmp(&(&a.fields.date, a.created_ms))
            });
            consents
        };
        let mut services: Vec<Record<ServiceFields>> =
            typed_children(connection, case, RecordKind::Service)?;
        services.sort_by(|a, b| {
            (&a.fields.start_date, a.created_ms).cmp(&(&b.fields.start_date, b.created_ms))
        });
        let mut referrals: Vec<Record<ReferralFields>> =
            typed_children(connection, case, RecordKind::Referral)?;
        referrals
            .sort_by(|a, b| (&b.fields.date, b.created_ms).cmp(&(&a.fields.date, a.created_ms)));
        let mut notes: Vec<Record<NoteFields>> =
            typed_children(connection, case, RecordKind::Note)?;
        notes.sort_by_key(|note| std::cmp::Reverse(note.created_ms));
        let mut follow_ups: Vec<Record<FollowUpFields>> =
            typed_children(connection, case, RecordKind::FollowUp)?;
        follow_ups.sort_by(|a, b| {
            (&a.fields.due_date, a.created_ms).cmp(&(&b.fields.due_date, b.created_ms))
        });

        let case_record: Record<CaseFields> = stored.into_record(case)?;
        let mut people_ids: Vec<&String> = Vec::new();
        let f = &case_record.fields;
        people_ids.extend(f.owner.iter().chain(f.created_by.iter()));
        people_ids.extend(f.assigned.iter().flatten());
        people_ids.extend(
            consents_newest_first
                .iter()
                .filter_map(|r| r.fields.created_by.as_ref()),
        );
        people_ids.extend(services.iter().filter_map(|r| r.fields.created_by.as_ref()));
        people_ids.extend(
            referrals
                .iter()
                .filter_map(|r| r.fields.created_by.as_ref()),
        );
        people_ids.extend(notes.iter().filter_map(|r| r.fields.created_by.as_ref()));
        for follow_up in &follow_ups {
            people_ids.extend(
                follow_up
                    .fields
                    .created_by
                    .iter()
                    .chain(follow_up.fields.assigned_to.iter()),
            );
        }
        let people = account_names(connection, people_ids.into_iter())?;
        let partner_ids = consents_newest_first
            .iter()
            .filter_map(|r| r.fields.partner.as_ref())
            .chain(referrals.iter().filter_map(|r| r.fields.partner.as_ref()));
        let partners = partner_names(connection, partner_ids)?;

        let may = |operation| may_on_case(connection, role, account, operation, case);
        let allowed = CaseActions {
            edit: may(Operation::EditCase)?,
            close: !closed && is_allowed(role, Operation::CloseCase),
            reopen: closed && is_allowed(role, Operation::ReopenCase),
            reassign: is_allowed(role, Operation::ReassignCase),
            override_consent: is_allowed(role, Operation::OverrideReferralConsent),
        };
        Ok(CaseFile {
            case: case_record,
            age,
            is_minor: age.is_some_and(|age| i64::from(age) < super::fields::ADULT_AGE),
            current_consents: current_consents(&consents_newest_first),
            consents: consents_newest_first,
            services,
            referrals,
            notes,
            follow_ups,
            people,
            partners,
            allowed,
        })
    }

    /// Attaches a record (consent decision, service, referral, note, follow-up) to a case.
    pub fn add_record(
        &mut self,
        kind: RecordKind,
        case: RecordId,
        input: &Map<String, Value>,
    ) -> Result<RecordId, RecordError> {
        let result = self.add_record_unaudited_refusals(kind, case, input);
        let action = if kind == RecordKind::Consent {
            Action::ConsentChange
        } else {
            Action::AddRecord
        };
        self.audit_if_refused(result, action, Some(Target::case(case)))
    }

    fn add_record_unaudited_refusals(
        &mut self,
        kind: RecordKind,
        case: RecordId,
        input: &Map<String, Value>,
    ) -> Result<RecordId, RecordError> {
        let writer = self.writer()?;
        let transaction = self.database_mut().transaction()?;
        let id = add_child_in(&transaction, &writer, kind, case, input)?;
        transaction.commit()?;
        Ok(id)
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
        let result = self
            .writer()
            .and_then(|writer| self.update_record_as(writer, kind, id, input));
        let target = Target {
            kind: kind.as_str(),
            id: id.to_string(),
        };
        self.audit_if_refused(result, Action::UpdateRecord, Some(target))
    }

    /// [`Session::update_record`] by `writer`, without auditing a refusal.
    pub(super) fn update_record_as(
        &mut self,
        writer: Writer,
        kind: RecordKind,
        id: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        let transaction = self.database_mut().transaction()?;
        let current =
            projection::load(&transaction, kind, id)?.ok_or(RecordError::NotFound(kind))?;
        let case = current
            .text("case_id")
            .and_then(RecordId::parse)
            .ok_or(RecordError::NotFound(kind))?;
        require_case(
            &transaction,
            writer.role,
            writer.account,
            Operation::EditCase,
            case,
        )?;
        let changes: Changes = validate_input(&transaction, &writer, kind, input)?
            .into_iter()
            .filter(|(name, value)| {
                current.fields.get(*name) != value.as_ref() || writer.rewrites(name)
            })
            .collect();
        let mut fields = current.fields.clone();
        apply(&mut fields, &changes);
        check_required(kind, &fields)?;
        check_child(&transaction, &writer, kind, case, &fields, &changes)?;
        if !changes.is_empty() {
            write(
                &transaction,
                &writer,
                kind,
                id,
                &changes,
                Action::UpdateRecord,
                Target::case(case),
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// A page of the cases this person may see, filtered and sorted. With `text`, this is the
    /// search: each word must start a word of the person's names, aliases or case number.
    pub fn list_cases(&self, query: &CaseQuery) -> Result<CasePage, RecordError> {
        let role = self.account().role;
        let Some(granted) = reach(role, Operation::ViewCase) else {
            return Err(RecordError::denied(role, Operation::ViewCase));
        };
        let me = self.account().id.as_bytes().to_vec();
        // The plan is chosen here rather than left to SQLite: with 100,000 cases it would walk
        // the whole name index checking each case against the search words. Search drives from
        // the first word's matches, a caseworker's list from their team rows, and only a
        // supervisor's unfiltered list walks `cases`.
        let words = query_words(query.text.as_deref().unwrap_or(""));
        let mut from = String::from("cases c");
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<SqlValue> = Vec::new();
        // The cases with a term starting with one of a word's spellings.
        let matching = |spellings: &Vec<String>, values: &mut Vec<SqlValue>| {
            let ranges: Vec<&str> = spellings
                .iter()
                .map(|spelling| {
                    values.push(SqlValue::Text(spelling.clone()));
                    values.push(SqlValue::Text(prefix_upper_bound(spelling)));
                    "(term >= ? AND term < ?)"
                })
                .collect();
            format!(
                "SELECT DISTINCT case_id FROM search_terms WHERE {}",
                ranges.join(" OR ")
            )
        };
        if let Some((first, others)) = words.split_first() {
            from = format!(
                "({}) hit CROSS JOIN cases c ON c.id = hit.case_id",
                matching(first, &mut values)
            );
            for word in others {
                let subquery = matching(word, &mut values);
                conditions.push(format!("c.id IN ({subquery})"));
            }
            if granted == Reach::OwnOrAssignedCases {
                conditions.push(
                    "EXISTS (SELECT 1 FROM case_team mine WHERE mine.case_id = c.id
                             AND mine.account = ?)"
                        .into(),
                );
                values.push(SqlValue::Blob(me));
            }
        } else if granted == Reach::OwnOrAssignedCases {
            from = "case_team mine CROSS JOIN cases c ON c.id = mine.case_id".into();
            conditions.push("mine.account = ?".into());
            values.push(SqlValue::Blob(me));
        }
        if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
            conditions.push("c.status = ?".into());
            values.push(SqlValue::Text(status.to_owned()));
        }
        if let Some(risk) = query.risk_level.as_deref().filter(|s| !s.is_empty()) {
            conditions.push("c.risk_level = ?".into());
            values.push(SqlValue::Text(risk.to_owned()));
        }
        if let Some(person) = query.assigned_to.as_deref().filter(|s| !s.is_empty()) {
            let bytes = hearth_ids::parse_hex16(person)
                .ok_or_else(|| FieldError::new("assigned_to", FieldProblem::UnknownAccount))?;
            conditions.push(
                "EXISTS (SELECT 1 FROM case_team t WHERE t.case_id = c.id AND t.account = ?)"
                    .into(),
            );
            values.push(SqlValue::Blob(bytes.to_vec()));
        }
        if query.follow_ups_due {
            conditions.push(
                "EXISTS (SELECT 1 FROM follow_ups f WHERE f.case_id = c.id AND f.done = 0
                         AND f.due_date <= ?)"
                    .into(),
            );
            values.push(SqlValue::Text(Date::today().to_string()));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        // Counting every match of a broad filter reads the whole table; a list needs to know
        // only whether there are more than it can sensibly page through.
        let total: i64 = self.database().query_row(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM {from} {filter} LIMIT {})",
                COUNT_CAP + 1
            ),
            params_from_iter(values.iter()),
            |row| row.get(0),
        )?;
        let total = u64::try_from(total).unwrap_or(0);
        let order = match query.sort {
            CaseSort::Updated => "c.updated_ms DESC, c.number",
            CaseSort::Name => "c.sort_name, c.number",
            CaseSort::Number => "c.number",
            CaseSort::Identified => "c.date_identified DESC, c.number",
        };
        let page_size = match query.page_size {
            0 => 50,
            size => size.min(200),
        };
        values.push(SqlValue::Integer(i64::from(page_size)));
        values.push(SqlValue::Integer(
            i64::from(query.page) * i64::from(page_size),
        ));
        // The page is chosen first (ids and sort keys only), and only its rows get the owner's
        // name and the next follow-up: SQLite would otherwise work those out for every match.
        let sql = format!(
            "SELECT c.id, c.number, c.given_name, c.family_name, c.status, c.risk_level, c.owner,
                    a.name, c.date_identified, c.updated_ms,
                    (SELECT min(due_date) FROM follow_ups f WHERE f.case_id = c.id AND f.done = 0)
             FROM (SELECT c.id FROM {from} {filter} ORDER BY {order} LIMIT ? OFFSET ?) page
             CROSS JOIN cases c ON c.id = page.id
             LEFT JOIN accounts a ON a.id = c.owner
             ORDER BY {order}"
        );
        let mut statement = self.database().prepare_cached(&sql)?;
        let cases = statement
            .query_map(params_from_iter(values.iter()), |row| {
                Ok(CaseSummary {
                    id: hex::encode(&row.get::<_, Vec<u8>>(0)?),
                    number: row.get(1)?,
                    given_name: row.get(2)?,
                    family_name: row.get(3)?,
                    status: row.get(4)?,
                    risk_level: row.get(5)?,
                    owner: row
                        .get::<_, Option<Vec<u8>>>(6)?
                        .map(|owner| hex::encode(&owner)),
                    owner_name: row.get(7)?,
                    date_identified: row.get(8)?,
                    updated_ms: u64::try_from(row.get::<_, i64>(9)?).unwrap_or(0),
                    next_follow_up: row.get(10)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CasePage {
            cases,
            total: total.min(COUNT_CAP),
            more_than_total: total > COUNT_CAP,
            page: query.page,
            page_size,
        })
    }

    /// Every field-level change to a case and its attached records, oldest first.
    pub fn case_history(&self, case: RecordId) -> Result<Vec<HistoryEntry>, RecordError> {
        let result = self.load_case_history(case);
        self.audit_if_refused(result, Action::OpenCase, Some(Target::case(case)))
    }

    fn load_case_history(&self, case: RecordId) -> Result<Vec<HistoryEntry>, RecordError> {
        let connection = self.database();
        require_case(
            connection,
            self.account().role,
            self.account().id,
            Operation::ViewCase,
            case,
        )?;
        let mut ids: Vec<Vec<u8>> = vec![case.0.to_vec()];
        let mut statement =
            connection.prepare_cached("SELECT id FROM case_children WHERE case_id = ?1")?;
        ids.extend(
            statement
                .query_map([case.0.as_slice()], |row| row.get::<_, Vec<u8>>(0))?
                .collect::<Result<Vec<_>, _>>()?,
        );
        let mut changes = Vec::new();
        for id in &ids {
            let Ok(id) = <[u8; 16]>::try_from(id.as_slice()) else {
                continue;
            };
            changes.extend(changes_of(connection, id)?);
        }
        changes.sort_by_key(Change::precedence);
        let names = account_names(
            connection,
            changes
                .iter()
                .map(|c| c.account.to_hex())
                .collect::<Vec<_>>()
                .iter(),
        )?;
        let mut entries = Vec::new();
        for change in changes {
            let account = change.account.to_hex();
            for (field, value) in change.fields {
                entries.push(HistoryEntry {
                    at_ms: change.hlc.wall_ms,
                    account_name: names.get(&account).cloned(),
                    account: account.clone(),
                    record_kind: change.entity_kind.clone(),
                    record_id: hex::encode(change.entity_id),
                    field,
                    value: (!value.is_null()).then(|| value.to_string()),
                });
            }
        }
        Ok(entries)
    }

    /// The open follow-ups assigned to the person signed in, on cases they may see, soonest
    /// first.
    pub fn my_follow_ups(&self) -> Result<Vec<FollowUpDue>, RecordError> {
        let connection = self.database();
        let (role, account) = (self.account().role, self.account().id);
        let mut statement = connection.prepare_cached(
            "SELECT f.id, f.case_id, c.number, c.given_name, c.family_name, f.due_date
             FROM follow_ups f JOIN cases c ON c.id = f.case_id
             WHERE f.assigned_to = ?1 AND f.done = 0 ORDER BY f.due_date, c.number LIMIT 500",
        )?;
        let rows = statement
            .query_map([account.as_bytes().as_slice()], |row| {
                Ok((
                    row.get::<_, Vec<u8>>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let today = Date::today().to_string();
        let mut due = Vec::with_capacity(rows.len());
        for (id, case_id, case_number, given_name, family_name, due_date) in rows {
            let (Ok(id), Ok(case)) = (<[u8; 16]>::try_from(id), <[u8; 16]>::try_from(case_id))
            else {
                continue;
            };
            let (id, case) = (RecordId(id), RecordId(case));
            if !may_on_case(connection, role, account, Operation::ViewCase, case)? {
                continue;
            }
            let description = projection::load(connection, RecordKind::FollowUp, id)?
                .and_then(|stored| stored.text("description").map(str::to_owned));
            due.push(FollowUpDue {
                id: id.to_string(),
                case_id: case.to_string(),
                case_number,
                given_name,
                family_name,
                overdue: due_date < today,
                due_date,
                description,
            });
        }
        Ok(due)
    }

    /// The partner organisation directory, by name.
    pub fn list_partners(&self) -> Result<Vec<Record<PartnerFields>>, RecordError> {
        self.require(Operation::ViewPartners)?;
        let connection = self.database();
        let mut statement =
            connection.prepare_cached("SELECT id FROM partners ORDER BY sort_name")?;
        let ids = statement
            .query_map([], |row| row.get::<_, Vec<u8>>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut partners = Vec::with_capacity(ids.len());
        for bytes in ids {
            let Ok(bytes) = <[u8; 16]>::try_from(bytes) else {
                continue;
            };
            let id = RecordId(bytes);
            if let Some(stored) = projection::load(connection, RecordKind::Partner, id)? {
                partners.push(stored.into_record(id)?);
            }
        }
        Ok(partners)
    }

    /// Adds a partner organisation to the directory.
    pub fn add_partner(&mut self, input: &Map<String, Value>) -> Result<RecordId, RecordError> {
        self.require(Operation::ManagePartners)?;
        let writer = self.writer()?;
        let transaction = self.database_mut().transaction()?;
        let mut changes = validate_input(&transaction, &writer, RecordKind::Partner, input)?;
        let mut fields = Map::new();
        apply(&mut fields, &changes);
        check_required(RecordKind::Partner, &fields)?;
        changes.push(("created_by", Some(Value::from(writer.me()))));
        let id = RecordId::generate().map_err(|_| crate::crypto::CryptoError::Randomness)?;
        write(
            &transaction,
            &writer,
            RecordKind::Partner,
            id,
            &changes,
            Action::AddPartner,
            Target::partner(id),
        )?;
        transaction.commit()?;
        Ok(id)
    }

    /// Changes the fields given of a partner organisation.
    pub fn update_partner(
        &mut self,
        id: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        self.require(Operation::ManagePartners)?;
        let writer = self.writer()?;
        self.update_partner_as(writer, id, input)
    }

    /// [`Session::update_partner`] by `writer`, who may manage partners.
    pub(super) fn update_partner_as(
        &mut self,
        writer: Writer,
        id: RecordId,
        input: &Map<String, Value>,
    ) -> Result<(), RecordError> {
        writer.require(Operation::ManagePartners)?;
        let transaction = self.database_mut().transaction()?;
        let current = projection::load(&transaction, RecordKind::Partner, id)?
            .ok_or(RecordError::NotFound(RecordKind::Partner))?;
        let changes: Changes = validate_input(&transaction, &writer, RecordKind::Partner, input)?
            .into_iter()
            .filter(|(name, value)| {
                current.fields.get(*name) != value.as_ref() || writer.rewrites(name)
            })
            .collect();
        let mut fields = current.fields.clone();
        apply(&mut fields, &changes);
        check_required(RecordKind::Partner, &fields)?;
        if !changes.is_empty() {
            write(
                &transaction,
                &writer,
                RecordKind::Partner,
                id,
                &changes,
                Action::UpdatePartner,
                Target::partner(id),
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// The staff who can work on cases (caseworkers and supervisors, active), for choosing an
    /// owner or assignee. Names only: no roles or other account details.
    pub fn case_staff(&self) -> Result<Vec<(String, String)>, RecordError> {
        let mut statement = self.database().prepare_cached(
            "SELECT id, name FROM accounts WHERE active = 1 AND role IN ('caseworker', 'supervisor')
             ORDER BY name_key",
        )?;
        let staff = statement
            .query_map([], |row| {
                Ok((hex::encode(&row.get::<_, Vec<u8>>(0)?), row.get(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(staff)
    }
}

fn account_names<'a>(
    connection: &Connection,
    ids: impl Iterator<Item = &'a String>,
) -> Result<BTreeMap<String, String>, RecordError> {
    let mut names = BTreeMap::new();
    let mut statement = connection.prepare_cached("SELECT name FROM accounts WHERE id = ?1")?;
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        let Some(bytes) = hearth_ids::parse_hex16(id) else {
            continue;
        };
        if let Some(name) = statement
            .query_row([bytes.as_slice()], |row| row.get::<_, String>(0))
            .optional()?
        {
            names.insert(id.clone(), name);
        }
    }
    Ok(names)
}

fn partner_names<'a>(
    connection: &Connection,
    ids: impl Iterator<Item = &'a String>,
) -> Result<BTreeMap<String, String>, RecordError> {
    let mut names = BTreeMap::new();
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        let Some(partner) = RecordId::parse(id) else {
            continue;
        };
        if let Some(name) = projection::load(connection, RecordKind::Partner, partner)?
            .and_then(|stored| stored.text("name").map(str::to_owned))
        {
            names.insert(id.clone(), name);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_codes_are_three_plain_letters() {
        assert_eq!(site_code("Tirana shelter"), "TIR");
        assert_eq!(site_code("Šabac"), "SAB");
        assert_eq!(site_code("7"), "CASE");
    }

    #[test]
    fn closing_and_reopening_need_their_own_operations() {
        assert_eq!(status_operation(Some("Active"), Some("FollowUp")), None);
        assert_eq!(
            status_operation(Some("Active"), Some("Closed")),
            Some(Operation::CloseCase)
        );
        assert_eq!(
            status_operation(Some("ClosedReferred"), Some("Active")),
            Some(Operation::ReopenCase)
        );
        assert_eq!(
            status_operation(Some("Closed"), Some("ClosedReferred")),
            Some(Operation::CloseCase)
        );
    }
}
