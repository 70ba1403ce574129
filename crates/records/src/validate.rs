//! Validation of what a person typed, against the field tables and the rules between fields.
//! Nothing here writes.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use hearth_ids::Operation;

use crate::actor::Actor;
use crate::children::consent_in_force;
use crate::dates::Date;
use crate::fields::{
    normalise, FieldError, FieldErrors, FieldProblem, FieldSpec, Guard, References,
};
use crate::{RecordError, RecordId, RecordKind};

/// Validation's view of the vault: accounts and partners that exist.
pub(crate) struct VaultReferences<'c>(&'c Connection);

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

/// Field name and its new value (`None` clears it).
pub(crate) type Changes = Vec<(&'static str, Option<Value>)>;

pub(crate) fn spec_of(kind: RecordKind, name: &str) -> Option<&'static FieldSpec> {
    kind.fields().iter().find(|spec| spec.name == name)
}

/// The fields refused so far in one write. Every check adds to it rather than stopping at the
/// first, so the person is told every field to correct at once; nothing is written while it holds
/// any ([`Problems::finish`]).
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Whether a field (or an entry of it) was refused already.
    fn names(&self, field: &str) -> bool {
        self.0.iter().any(|error| {
            error.field == field
                || error
                    .field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// `Ok` if nothing was refused, else every refusal.
    pub(crate) fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(self.0))
        }
    }
}

/// Checks every field given; refuses unknown fields and fields Hearth sets itself. The fields
/// that pass are returned; the others are added to `problems`.
pub(crate) fn validate_input(
    connection: &Connection,
    actor: &Actor,
    kind: RecordKind,
    input: &Map<String, Value>,
    problems: &mut Problems,
) -> Changes {
    validate_against(
        &VaultReferences(connection),
        actor.today,
        kind,
        input,
        problems,
    )
}

/// [`validate_input`] against any view of the accounts and partners (the fuzz target's has no
/// vault).
pub(crate) fn validate_against(
    references: &dyn References,
    today: Date,
    kind: RecordKind,
    input: &Map<String, Value>,
    problems: &mut Problems,
) -> Changes {
    let mut changes = Changes::new();
    for (name, value) in input {
        let Some(spec) = spec_of(kind, name) else {
            problems.add(FieldError::new(name.as_str(), FieldProblem::UnknownField));
            continue;
        };
        if spec.guard == Guard::Fixed {
            problems.add(FieldError::new(spec.name, FieldProblem::NotEditable));
            continue;
        }
        match normalise(spec, value, today, references) {
            Ok(value) => changes.push((spec.name, value)),
            Err(error) => problems.add(error),
        }
    }
    changes
}

pub(crate) fn apply(fields: &mut Map<String, Value>, changes: &Changes) {
    for (name, value) in changes {
        match value {
            Some(value) => fields.insert((*name).to_owned(), value.clone()),
            None => fields.remove(*name),
        };
    }
}

/// Adds each required field that is missing (and not refused already) to `problems`.
pub(crate) fn check_required(
    kind: RecordKind,
    fields: &Map<String, Value>,
    problems: &mut Problems,
) {
    for missing in kind
        .fields()
        .iter()
        .filter(|spec| spec.required && !fields.contains_key(spec.name))
    {
        if !problems.names(missing.name) {
            problems.add(FieldError::new(missing.name, FieldProblem::Required));
        }
    }
}

pub(crate) fn is_closed(status: Option<&str>) -> bool {
    matches!(status, Some("Closed" | "ClosedReferred"))
}

pub(crate) fn text<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(Value::as_str)
}

/// Rules across fields of a case, given its fields after the edit and what the edit changed.
pub(crate) fn check_case(
    fields: &Map<String, Value>,
    changes: &Changes,
    today: Date,
    problems: &mut Problems,
) {
    let birth = text(fields, "birth_date").and_then(Date::parse);
    let estimated = fields.get("estimated_age").and_then(Value::as_i64);
    // Checked when either is given: an estimate recorded years ago drifts from the birth date,
    // and must not block later edits of other fields.
    let age_given = changes
        .iter()
        .any(|(name, _)| matches!(*name, "birth_date" | "estimated_age"));
    if let (true, Some(birth), Some(estimated)) = (age_given, birth, estimated) {
        if (i64::from(birth.years_until(today)) - estimated).abs() > super::fields::AGE_TOLERANCE {
            problems.add(FieldError::new("estimated_age", FieldProblem::AgeMismatch));
        }
    }
    let closed = is_closed(text(fields, "status"));
    if closed && !fields.contains_key("closure_reason") && !problems.names("closure_reason") {
        problems.add(FieldError::new("closure_reason", FieldProblem::Required));
    }
    if !closed && fields.contains_key("closure_reason") {
        problems.add(FieldError::new(
            "closure_reason",
            FieldProblem::OnlyWhenClosed,
        ));
    }
}

/// Age in whole years today: from the birth date, or else the estimated age.
pub(crate) fn age_of(fields: &Map<String, Value>, today: Date) -> Option<u32> {
    match text(fields, "birth_date").and_then(Date::parse) {
        Some(birth) => u32::try_from(birth.years_until(today)).ok(),
        None => fields
            .get("estimated_age")
            .and_then(Value::as_u64)
            .and_then(|age| u32::try_from(age).ok()),
    }
}

/// The operation a change of status needs beyond editing the case, if any.
pub(crate) fn status_operation(before: Option<&str>, after: Option<&str>) -> Option<Operation> {
    match (is_closed(before), is_closed(after)) {
        (false, true) => Some(Operation::CloseCase),
        (true, false) => Some(Operation::ReopenCase),
        // Changing how or why a closed case was closed is part of closing it.
        (true, true) if before != after => Some(Operation::CloseCase),
        _ => None,
    }
}

/// Rules of a child record, given its fields after the change and what changed.
pub(crate) fn check_child(
    connection: &Connection,
    actor: &Actor,
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
                actor.require(Operation::OverrideReferralConsent)?;
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
