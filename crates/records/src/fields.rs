//! The field tables: every field of every kind of record, what it holds, which HTCDS field it maps
//! to, and how a value typed by a person is checked and normalised before it is stored. One table
//! drives validation, storage (the field names are the change log's), the CLI's JSON and the
//! README's field reference.

use serde_json::Value;

use super::codes::{is_code_in, COUNTRY};

use super::dates::Date;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text, at most this many characters.
    Text(usize),
    /// Several lines of text (notes, reasons), at most [`LONG_TEXT_MAX`] characters.
    LongText,
    /// A list of short texts (aliases).
    TextList,
    /// A calendar day (`YYYY-MM-DD`) that has already come: today or earlier.
    PastDate,
    /// A birth date: a past day at most [`AGE_MAX`] years ago, the bound an estimated age has.
    BirthDate,
    /// A calendar day that may lie ahead (due dates, planned ends).
    AnyDate,
    /// An age in whole years, 0 to 120.
    Age,
    /// One code from the named list.
    Code(&'static str),
    /// Codes from the named list, each at most once.
    Codes(&'static str),
    /// An active staff account (its id).
    Account,
    /// Staff accounts (ids), each at most once.
    Accounts,
    /// A partner organisation from the directory (its id).
    Partner,
    /// Yes or no.
    Flag,
    /// Identity documents: `[{"type", "custody", "details"}]`.
    Documents,
    /// Places and dates of recruitment, transit and exploitation:
    /// `[{"type", "country", "locality", "date"}]`.
    Events,
    /// A record id the core sets (a child record's case).
    RecordRef,
    /// Record ids the core sets (cases merged into this one, cases marked as other people).
    RecordRefs,
    /// A partner's public key for referral packets: an age X25519 recipient (`age1...`).
    AgeRecipient,
}

/// Who may set a field, beyond being allowed to edit the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Anyone who may edit the record.
    Open,
    /// Set by the core (when the record is made: case number, author, case; or by a supervisor's
    /// merge); never by input.
    Fixed,
    /// The case's status and closure reason: closing and reopening are supervisors' decisions.
    Status,
    /// The case's owner and assigned caseworkers: reassigning is a supervisor's decision.
    Team,
    /// A referral made without the person's consent: only with the override permission.
    ConsentOverride,
    /// A partner's key for referral packets: only supervisors set it (a wrong key sends a
    /// person's case to whoever holds it).
    PartnerKey,
}

/// One field of a kind of record.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The field's name in JSON, in the change log and in the UI's labels.
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether a record must have it (set when made, never cleared).
    pub required: bool,
    /// Who may set it.
    pub guard: Guard,
    /// The HTCDS 2.0 field it corresponds to, if any (for the README and exports).
    pub htcds: Option<&'static str>,
    /// Whether the field leaves this laptop in a bundle when the person has not given consent to
    /// share within the organisation: only fields that do not identify the person, and no free
    /// text (see README, "What leaves a laptop").
    pub shared_without_consent: bool,
}

const fn field(name: &'static str, kind: FieldKind, htcds: Option<&'static str>) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: false,
        guard: Guard::Open,
        htcds,
        shared_without_consent: false,
    }
}

const fn required(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        required: true,
        ..spec
    }
}

const fn guarded(spec: FieldSpec, guard: Guard) -> FieldSpec {
    FieldSpec { guard, ..spec }
}

/// Marks a field as one that leaves the laptop even without consent to share (see
/// [`FieldSpec::shared_without_consent`]).
const fn shared(spec: FieldSpec) -> FieldSpec {
    FieldSpec {
        shared_without_consent: true,
        ..spec
    }
}

use FieldKind::{
    Account, Accounts, Age, AgeRecipient, AnyDate, BirthDate, Code, Codes, Documents, Events, Flag,
    LongText, Partner, PastDate, RecordRef, RecordRefs, Text, TextList,
};

/// Longest multi-line text, in characters.
pub const LONG_TEXT_MAX: usize = 20_000;

/// Most entries in a list field (aliases, documents, events, codes).
pub const LIST_MAX: usize = 50;

/// Oldest estimated age accepted.
pub const AGE_MAX: u64 = 120;
/// [`AGE_MAX`] as the calendar counts years.
const AGE_MAX_YEARS: i16 = 120;
const _: () = assert!(AGE_MAX_YEARS as u64 == AGE_MAX);

/// How far an estimated age may be from the age a birth date gives, in years.
pub const AGE_TOLERANCE: i64 = 1;

/// Below this age a person is a minor: the case gets a guardian and best-interests notes.
pub const ADULT_AGE: i64 = 18;

/// What is wrong with a value, in terms the UI translates (with the field's label).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldProblem {
    /// A required field is missing or empty.
    #[error("is required")]
    Required,
    /// No such field on this kind of record.
    #[error("is not a field of this record")]
    UnknownField,
    /// Set by Hearth, not by hand.
    #[error("is set by Hearth and cannot be changed")]
    NotEditable,
    /// The JSON type is wrong (a number where text belongs, ...).
    #[error("must be {0}")]
    WrongType(&'static str),
    /// Too long.
    #[error("is longer than {0} characters")]
    TooLong(usize),
    /// Too many entries.
    #[error("has more than {0} entries")]
    TooMany(usize),
    /// A line break or another control character in a one-line field.
    #[error("contains a line break or another control character")]
    ControlCharacter,
    /// Not a real `YYYY-MM-DD` day.
    #[error("is not a date in the form YYYY-MM-DD")]
    NotADate,
    /// A day that has not come yet.
    #[error("is in the future")]
    InTheFuture,
    /// A real day before the earliest one records hold.
    #[error("is before {earliest}, the earliest date Hearth accepts")]
    TooEarly {
        /// The earliest day accepted (`YYYY-MM-DD`).
        earliest: String,
    },
    /// A birth date more than [`AGE_MAX`] years ago: the oldest age Hearth accepts, as for an
    /// estimated age.
    #[error("is more than {AGE_MAX} years ago (the earliest accepted is {earliest})")]
    OlderThanMaxAge {
        /// The earliest birth date accepted today (`YYYY-MM-DD`).
        earliest: String,
    },
    /// A number outside what makes sense.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Smallest accepted.
        min: u64,
        /// Largest accepted.
        max: u64,
    },
    /// A code missing from the field's list. What was given is not repeated: it may be text
    /// about a person typed into the wrong field, and error messages reach terminals and logs.
    #[error("is not a value of the list {list}")]
    UnknownCode {
        /// The list.
        list: &'static str,
    },
    /// The same entry twice.
    #[error("lists the same entry twice")]
    Duplicate,
    /// No active account with that id.
    #[error("is not an active staff account")]
    UnknownAccount,
    /// No partner organisation with that id.
    #[error("is not a partner organisation in the directory")]
    UnknownPartner,
    /// Birth date and estimated age disagree.
    #[error("does not match the birth date (more than {AGE_TOLERANCE} year apart)")]
    AgeMismatch,
    /// A purpose that names a partner needs one; the others must not.
    #[error("must name the partner organisation for a referral consent, and only then")]
    PartnerForReferralOnly,
    /// Someone who neither works on the case nor supervises.
    #[error("is not on this case's team (its owner, an assigned caseworker) or a supervisor")]
    NotOnCaseTeam,
    /// A closure reason on a case that is not closed.
    #[error("can only be given when the case is closed")]
    OnlyWhenClosed,
    /// Not an age public key (`age1` and 58 more letters and digits).
    #[error("is not an age public key (it starts with age1)")]
    NotAnAgeKey,
}

impl FieldProblem {
    /// What is allowed, where the problem is a limit: the smallest and the largest accepted
    /// (a number, or a `YYYY-MM-DD` day), for the UI to say in the person's language.
    pub fn limits(&self) -> (Option<String>, Option<String>) {
        match self {
            FieldProblem::TooLong(max) | FieldProblem::TooMany(max) => {
                (None, Some(max.to_string()))
            }
            FieldProblem::OutOfRange { min, max } => (Some(min.to_string()), Some(max.to_string())),
            FieldProblem::TooEarly { earliest } | FieldProblem::OlderThanMaxAge { earliest } => {
                (Some(earliest.clone()), None)
            }
            FieldProblem::AgeMismatch => (None, Some(AGE_TOLERANCE.to_string())),
            _ => (None, None),
        }
    }

    /// A stable name for the problem, for the UI to choose a message by.
    pub fn kind(&self) -> &'static str {
        match self {
            FieldProblem::Required => "required",
            FieldProblem::UnknownField => "unknown_field",
            FieldProblem::NotEditable => "not_editable",
            FieldProblem::WrongType(_) => "wrong_type",
            FieldProblem::TooLong(_) => "too_long",
            FieldProblem::TooMany(_) => "too_many",
            FieldProblem::ControlCharacter => "control_character",
            FieldProblem::NotADate => "not_a_date",
            FieldProblem::InTheFuture => "in_the_future",
            FieldProblem::TooEarly { .. } => "too_early",
            FieldProblem::OlderThanMaxAge { .. } => "older_than_max_age",
            FieldProblem::OutOfRange { .. } => "out_of_range",
            FieldProblem::UnknownCode { .. } => "unknown_code",
            FieldProblem::Duplicate => "duplicate",
            FieldProblem::UnknownAccount => "unknown_account",
            FieldProblem::UnknownPartner => "unknown_partner",
            FieldProblem::AgeMismatch => "age_mismatch",
            FieldProblem::PartnerForReferralOnly => "partner_for_referral_only",
            FieldProblem::OnlyWhenClosed => "only_when_closed",
            FieldProblem::NotOnCaseTeam => "not_on_case_team",
            FieldProblem::NotAnAgeKey => "not_an_age_key",
        }
    }
}

/// A field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {problem}")]
pub struct FieldError {
    /// The field's name (dotted for an entry of a list: `trafficking_events.2.country`).
    pub field: String,
    /// What is wrong.
    pub problem: FieldProblem,
}

/// Every field refused in one write, in the order found: the person sees them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The first field refused.
    pub fn first(&self) -> Option<&FieldError> {
        self.0.first()
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        FieldErrors(vec![error])
    }
}

impl FieldError {
    /// `field` refused for `problem`.
    pub fn new(field: impl Into<String>, problem: FieldProblem) -> Self {
        FieldError {
            field: field.into(),
            problem,
        }
    }
}

/// What validation needs to know about the vault.
pub(crate) trait References {
    /// Whether `id` (hex) is an active account.
    fn is_active_account(&self, id: &str) -> bool;
    /// Whether `id` (hex) is a partner organisation in the directory.
    fn is_partner(&self, id: &str) -> bool;
}

/// Checks and normalises one value for `spec`; returns the JSON to store, or `None` to clear the
/// field (`null`, an empty text or an empty list).
pub(crate) fn normalise(
    spec: &FieldSpec,
    value: &Value,
    today: Date,
    references: &dyn References,
) -> Result<Option<Value>, FieldError> {
    let name = spec.name;
    if value.is_null() {
        return Ok(None);
    }
    let problem = |p| FieldError::new(name, p);
    let normalised = match spec.kind {
        Text(max) => text(value, Some(max)).map_err(problem)?.map(Value::from),
        LongText => text(value, None).map_err(problem)?.map(Value::from),
        TextList => {
            let items = list(value).map_err(problem)?;
            let mut texts = Vec::new();
            for (index, item) in items.iter().enumerate() {
                if let Some(t) = text(item, Some(100))
                    .map_err(|p| FieldError::new(format!("{name}.{index}"), p))?
                {
                    if texts.contains(&t) {
                        return Err(problem(FieldProblem::Duplicate));
                    }
                    texts.push(t);
                }
            }
            (!texts.is_empty()).then(|| Value::from(texts))
        }
        PastDate => Some(Value::from(date(value, Some(today)).map_err(problem)?)),
        BirthDate => {
            let day = date(value, Some(today)).map_err(problem)?;
            let earliest = today.years_before(AGE_MAX_YEARS);
            if Date::parse(&day).is_some_and(|birth| birth < earliest) {
                return Err(problem(FieldProblem::OlderThanMaxAge {
                    earliest: earliest.to_string(),
                }));
            }
            Some(Value::from(day))
        }
        AnyDate => Some(Value::from(date(value, None).map_err(problem)?)),
        Age => {
            let age = value
                .as_u64()
                .ok_or(FieldProblem::WrongType("a whole number"))
                .map_err(problem)?;
            if age > AGE_MAX {
                return Err(problem(FieldProblem::OutOfRange {
                    min: 0,
                    max: AGE_MAX,
                }));
            }
            Some(Value::from(age))
        }
        Code(list_name) => Some(Value::from(code(value, list_name).map_err(problem)?)),
        Codes(list_name) => {
            let items = list(value).map_err(problem)?;
            let mut codes = Vec::new();
            for item in items {
                let c = code(item, list_name).map_err(problem)?;
                if codes.contains(&c) {
                    return Err(problem(FieldProblem::Duplicate));
                }
                codes.push(c);
            }
            (!codes.is_empty()).then(|| Value::from(codes))
        }
        Account => Some(Value::from(account(value, references).map_err(problem)?)),
        Accounts => {
            let items = list(value).map_err(problem)?;
            let mut ids = Vec::new();
            for item in items {
                let id = account(item, references).map_err(problem)?;
                if ids.contains(&id) {
                    return Err(problem(FieldProblem::Duplicate));
                }
                ids.push(id);
            }
            (!ids.is_empty()).then(|| Value::from(ids))
        }
        Partner => {
            let id = value
                .as_str()
                .ok_or(FieldProblem::WrongType("a partner organisation's id"))
                .map_err(problem)?;
            if !references.is_partner(id) {
                return Err(problem(FieldProblem::UnknownPartner));
            }
            Some(Value::from(id.trim().to_lowercase()))
        }
        Flag => Some(Value::from(
            value
                .as_bool()
                .ok_or(FieldProblem::WrongType("true or false"))
                .map_err(problem)?,
        )),
        Documents => objects(name, value, today, DOCUMENT_PARTS)?,
        Events => objects(name, value, today, EVENT_PARTS)?,
        RecordRef | RecordRefs => return Err(problem(FieldProblem::NotEditable)),
        AgeRecipient => {
            let key = value
                .as_str()
                .ok_or(FieldProblem::WrongType("an age public key"))
                .map_err(problem)?
                .trim();
            if key.parse::<age::x25519::Recipient>().is_err() {
                return Err(problem(FieldProblem::NotAnAgeKey));
            }
            Some(Value::from(key))
        }
    };
    Ok(normalised)
}

/// The parts of an identity document entry.
const DOCUMENT_PARTS: &[FieldSpec] = &[
    required(field("type", Code("identity_document_type"), None)),
    required(field("custody", Code("document_custody"), None)),
    field("details", Text(200), None),
];

/// The parts of a trafficking event (HTCDS historic trafficking events).
const EVENT_PARTS: &[FieldSpec] = &[
    required(field(
        "type",
        Code("trafficking_event_type"),
        Some("hte_Type"),
    )),
    field("country", Code(COUNTRY), Some("hte_Country")),
    field("locality", Text(200), Some("hte_City")),
    field("date", PastDate, Some("hte_Date")),
];

/// A list of small objects, each checked part by part against `parts`.
fn objects(
    name: &str,
    value: &Value,
    today: Date,
    parts: &[FieldSpec],
) -> Result<Option<Value>, FieldError> {
    struct NoReferences;
    impl References for NoReferences {
        fn is_active_account(&self, _: &str) -> bool {
            false
        }
        fn is_partner(&self, _: &str) -> bool {
            false
        }
    }
    let items = list(value).map_err(|p| FieldError::new(name, p))?;
    let mut normalised = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = |part: &str| format!("{name}.{index}.{part}");
        let object = item.as_object().ok_or_else(|| {
            FieldError::new(
                format!("{name}.{index}"),
                FieldProblem::WrongType("an object"),
            )
        })?;
        if let Some(unknown) = object.keys().find(|k| !parts.iter().any(|p| p.name == *k)) {
            return Err(FieldError::new(at(unknown), FieldProblem::UnknownField));
        }
        let mut entry = serde_json::Map::new();
        for part in parts {
            let given = object.get(part.name).unwrap_or(&Value::Null);
            let value = normalise(part, given, today, &NoReferences)
                .map_err(|e| FieldError::new(at(part.name), e.problem))?;
            match value {
                Some(v) => {
                    entry.insert(part.name.to_owned(), v);
                }
                None if part.required => {
                    return Err(FieldError::new(at(part.name), FieldProblem::Required))
                }
                None => {}
            }
        }
        normalised.push(Value::Object(entry));
    }
    Ok((!normalised.is_empty()).then(|| Value::from(normalised)))
}

fn text(value: &Value, max_chars: Option<usize>) -> Result<Option<String>, FieldProblem> {
    let text = value.as_str().ok_or(FieldProblem::WrongType("text"))?;
    let trimmed = text.trim();
    let limit = max_chars.unwrap_or(LONG_TEXT_MAX);
    if trimmed.chars().count() > limit {
        return Err(FieldProblem::TooLong(limit));
    }
    let single_line = max_chars.is_some();
    if trimmed
        .chars()
        .any(|c| c.is_control() && (single_line || !matches!(c, '\n' | '\t')))
    {
        return Err(FieldProblem::ControlCharacter);
    }
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

fn list(value: &Value) -> Result<&Vec<Value>, FieldProblem> {
    let items = value.as_array().ok_or(FieldProblem::WrongType("a list"))?;
    if items.len() > LIST_MAX {
        return Err(FieldProblem::TooMany(LIST_MAX));
    }
    Ok(items)
}

fn date(value: &Value, not_after: Option<Date>) -> Result<String, FieldProblem> {
    let text = value.as_str().ok_or(FieldProblem::NotADate)?.trim();
    if Date::is_before_earliest(text) {
        return Err(FieldProblem::TooEarly {
            earliest: Date::EARLIEST.to_string(),
        });
    }
    let day = Date::parse(text).ok_or(FieldProblem::NotADate)?;
    if not_after.is_some_and(|today| day > today) {
        return Err(FieldProblem::InTheFuture);
    }
    Ok(day.to_string())
}

fn code(value: &Value, list: &'static str) -> Result<String, FieldProblem> {
    let code = value.as_str().ok_or(FieldProblem::WrongType("a code"))?;
    if !is_code_in(list, code) {
        return Err(FieldProblem::UnknownCode { list });
    }
    Ok(code.to_owned())
}

fn account(value: &Value, references: &dyn References) -> Result<String, FieldProblem> {
    let id = value
        .as_str()
        .ok_or(FieldProblem::WrongType("an account id"))?;
    if !references.is_active_account(id) {
        return Err(FieldProblem::UnknownAccount);
    }
    // Ids are compared as stored: one spelling (lowercase hex) whatever was typed.
    Ok(id.trim().to_lowercase())
}

mod reference;
mod tables;

pub use reference::reference_markdown;
pub use tables::*;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Known;
    impl References for Known {
        fn is_active_account(&self, id: &str) -> bool {
            id == "a1"
        }
        fn is_partner(&self, id: &str) -> bool {
            id == "p1"
        }
    }

    fn spec(name: &str) -> &'static FieldSpec {
        CASE_FIELDS.iter().find(|s| s.name == name).unwrap()
    }

    fn check(name: &str, value: Value) -> Result<Option<Value>, FieldProblem> {
        let today = Date::parse("2026-11-28").unwrap();
        normalise(spec(name), &value, today, &Known).map_err(|e| e.problem)
    }

    #[test]
    fn texts_are_trimmed_and_empty_means_cleared() {
        assert_eq!(
            check("given_name", json!("  Arbër ")),
            Ok(Some(json!("Arbër")))
        );
        assert_eq!(check("given_name", json!("   ")), Ok(None));
        assert_eq!(check("given_name", json!(null)), Ok(None));
        assert_eq!(
            check("given_name", json!("a\nb")),
            Err(FieldProblem::ControlCharacter)
        );
        assert_eq!(
            check("given_name", json!("x".repeat(101))),
            Err(FieldProblem::TooLong(100))
        );
        assert_eq!(
            check("best_interests_notes", json!("line one\nline two")),
            Ok(Some(json!("line one\nline two")))
        );
        assert_eq!(
            check("given_name", json!(5)),
            Err(FieldProblem::WrongType("text"))
        );
    }

    #[test]
    fn a_birth_date_and_an_estimated_age_have_the_same_bound() {
        // `check` runs on 2026-11-28: 120 years before is 1906-11-28.
        assert_eq!(
            check("birth_date", json!("1906-11-28")),
            Ok(Some(json!("1906-11-28")))
        );
        assert_eq!(
            check("birth_date", json!("1900-01-01")),
            Err(FieldProblem::OlderThanMaxAge {
                earliest: "1906-11-28".into()
            })
        );
        assert_eq!(check("estimated_age", json!(120)), Ok(Some(json!(120))));
        assert!(check("estimated_age", json!(121)).is_err());
        // A real day before 1900 is refused for what it is, not as "not a date".
        assert_eq!(
            check("birth_date", json!("1800-01-01")),
            Err(FieldProblem::TooEarly {
                earliest: "1900-01-01".into()
            })
        );
        assert_eq!(
            check("date_identified", json!("1899-12-31")),
            Err(FieldProblem::TooEarly {
                earliest: "1900-01-01".into()
            })
        );
        assert_eq!(
            check("birth_date", json!("1800-02-30")),
            Err(FieldProblem::NotADate)
        );
    }

    #[test]
    fn dates_must_be_real_and_not_ahead_unless_planned() {
        assert_eq!(
            check("date_identified", json!("2026-11-28")),
            Ok(Some(json!("2026-11-28")))
        );
        assert_eq!(
            check("date_identified", json!("2026-11-29")),
            Err(FieldProblem::InTheFuture)
        );
        assert_eq!(
            check("birth_date", json!("2026-02-30")),
            Err(FieldProblem::NotADate)
        );
        assert_eq!(
            check("support_planned_end", json!("2027-06-01")),
            Ok(Some(json!("2027-06-01")))
        );
    }

    #[test]
    fn codes_come_only_from_their_list() {
        assert_eq!(
            check("gender", json!("Feminine")),
            Ok(Some(json!("Feminine")))
        );
        assert!(matches!(
            check("gender", json!("female")),
            Err(FieldProblem::UnknownCode { list: "gender", .. })
        ));
        assert_eq!(
            check("citizenships", json!(["AL", "XK"])).map(|v| v.is_some()),
            Ok(true)
        );
        assert_eq!(
            check("citizenships", json!(["AL", "AL"])),
            Err(FieldProblem::Duplicate)
        );
        assert_eq!(check("exploitation_types", json!([])), Ok(None));
    }

    #[test]
    fn accounts_and_partners_must_exist() {
        assert_eq!(check("owner", json!("a1")), Ok(Some(json!("a1"))));
        assert_eq!(
            check("owner", json!("zz")),
            Err(FieldProblem::UnknownAccount)
        );
        assert_eq!(
            check("estimated_age", json!(121)),
            Err(FieldProblem::OutOfRange { min: 0, max: 120 })
        );
    }

    #[test]
    fn list_entries_are_checked_part_by_part_and_named() {
        let today = Date::parse("2026-11-28").unwrap();
        let events = spec("trafficking_events");
        let ok = normalise(
            events,
            &json!([{"type": "Recruitment", "country": "AL", "locality": " Elbasan ", "date": "2024-03-01"}]),
            today,
            &Known,
        )
        .unwrap()
        .unwrap();
        assert_eq!(ok[0]["locality"], "Elbasan");
        let error = normalise(
            events,
            &json!([{"type": "Recruitment"}, {"type": "Exploitation", "country": "Atlantis"}]),
            today,
            &Known,
        )
        .unwrap_err();
        assert_eq!(error.field, "trafficking_events.1.country");
        let error = normalise(events, &json!([{"country": "AL"}]), today, &Known).unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.problem),
            ("trafficking_events.0.type", FieldProblem::Required)
        );
    }

    /// Every coded field names a list that exists.
    #[test]
    fn every_coded_field_has_its_list() {
        let tables = [
            CASE_FIELDS,
            CONSENT_FIELDS,
            SERVICE_FIELDS,
            REFERRAL_FIELDS,
            NOTE_FIELDS,
            FOLLOW_UP_FIELDS,
            PARTNER_FIELDS,
            DOCUMENT_PARTS,
            EVENT_PARTS,
        ];
        for spec in tables.iter().flat_map(|t| t.iter()) {
            if let Code(list) | Codes(list) = spec.kind {
                assert!(
                    super::super::codes::code_lists().contains_key(list),
                    "{}: {list}",
                    spec.name
                );
            }
        }
    }
}
