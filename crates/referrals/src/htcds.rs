//! A referral packet's `case.json`: the sections sent, with HTCDS 2.0 field names and codes, so
//! that a partner's own system can read it. A field HTCDS has no name for keeps Hearth's, prefixed
//! `hearth_`; codes are HTCDS value names (countries ISO 3166-1 alpha-2, languages ISO 639-2/T),
//! as Hearth stores them. The same file is what a partner running Hearth opens the case from.
//!
//! ```json
//! { "standard": "HTCDS 2.0", "packet_id": "…",
//!   "case": { "prs_FirstName": "…", "prs_Gender": "Feminine", "hearth_languages": ["sqi"], … },
//!   "shelter_contact": { "org_Name": "…", "hearth_site": "…", "hearth_caseworker": "…" },
//!   "referral": { "cas_ReferredOrganisation": "…", "cas_ReasonForOutgoingReferral": "…", … },
//!   "services": [ { "spl_Type": "…", … } ],
//!   "notes": [ { "cco_CaseComment": "…", "hearth_date": "YYYY-MM-DD" } ] }
//! ```

use serde_json::{Map, Value};

use hearth_records::fields::{FieldKind, FieldSpec};
use hearth_records::{CaseFile, Record, RecordKind, ReferralFields, Section};

use crate::ReferralError;

/// The name a field has in `case.json`: its HTCDS 2.0 name where the field is one HTCDS field
/// (the first, where HTCDS splits the field by direction), otherwise `hearth_` and its own name.
pub fn key_of(spec: &FieldSpec) -> String {
    // Hearth's lists of objects are several HTCDS fields each; a list of codes that HTCDS splits
    // in two (primary and secondary language) is not one field either.
    let several = match spec.kind {
        FieldKind::Documents | FieldKind::Events => true,
        FieldKind::Codes(_) | FieldKind::TextList => spec.htcds.is_some_and(|n| n.contains(',')),
        _ => false,
    };
    match spec.htcds {
        // "cas_ReferringOrganisation (type)": HTCDS's field holds a name, Hearth's a type.
        Some(name) if !several && !name.contains('(') => {
            name.split(',').next().unwrap_or(name).trim().to_owned()
        }
        _ => format!("hearth_{}", spec.name),
    }
}

/// The parts of a trafficking event, as HTCDS names them.
const EVENT_PARTS: &[(&str, &str)] = &[
    ("type", "hte_Type"),
    ("country", "hte_Country"),
    ("locality", "hte_City"),
    ("date", "hte_Date"),
];

/// What goes into a packet's `case.json`.
#[derive(Debug, Clone)]
pub struct Shared<'a> {
    /// The case as the sender sees it.
    pub file: &'a CaseFile,
    /// The sections sent.
    pub sections: &'a [Section],
    /// The referral the packet is for.
    pub referral: &'a Record<ReferralFields>,
    /// Names the partner reads instead of ids.
    pub partner_name: &'a str,
    /// The sending organisation.
    pub organisation: &'a str,
    /// The sending site.
    pub site: &'a str,
    /// The caseworker responsible for the case.
    pub caseworker: &'a str,
    /// The packet's id.
    pub packet_id: &'a str,
}

/// The packet's `case.json`, and the names (Hearth's, as the audit log writes them: `given_name`,
/// `note.text`) of every field it carries.
pub fn case_json(shared: &Shared<'_>) -> (Value, Vec<String>) {
    let mut fields = Vec::new();
    let has = |section| shared.sections.contains(&section);
    let file = shared.file;

    let mut case = Map::new();
    let case_values = as_map(&file.case.fields);
    for section in Section::all().filter(|section| has(*section)) {
        for name in section.case_fields() {
            let Some(spec) = spec(RecordKind::Case, name) else {
                continue;
            };
            let Some(value) = case_values.get(*name).filter(|value| !value.is_null()) else {
                continue;
            };
            case.insert(key_of(spec), exported(spec, value));
            fields.push((*name).to_owned());
        }
    }

    let mut document = Map::new();
    document.insert("standard".into(), Value::from("HTCDS 2.0"));
    document.insert("packet_id".into(), Value::from(shared.packet_id));
    document.insert("case".into(), Value::Object(case));
    if has(Section::ShelterContact) {
        let mut contact = Map::new();
        contact.insert("org_Name".into(), Value::from(shared.organisation));
        contact.insert("hearth_site".into(), Value::from(shared.site));
        contact.insert("hearth_caseworker".into(), Value::from(shared.caseworker));
        document.insert("shelter_contact".into(), Value::Object(contact));
        fields.extend(["organisation", "site", "caseworker"].map(String::from));
    }
    if has(Section::Referral) {
        let values = as_map(&shared.referral.fields);
        let mut referral = Map::new();
        for name in ["partner", "reason", "date", "details"] {
            let Some(spec) = spec(RecordKind::Referral, name) else {
                continue;
            };
            let value = match name {
                "partner" => Some(Value::from(shared.partner_name)),
                _ => values.get(name).filter(|value| !value.is_null()).cloned(),
            };
            if let Some(value) = value {
                referral.insert(key_of(spec), value);
                fields.push(format!("referral.{name}"));
            }
        }
        document.insert("referral".into(), Value::Object(referral));
    }
    if has(Section::Services) {
        let services = children(
            RecordKind::Service,
            file.services.iter().map(|s| as_map(&s.fields)),
            &[
                "type",
                "status",
                "provider",
                "start_date",
                "end_date",
                "notes",
            ],
            &mut fields,
        );
        document.insert("services".into(), Value::Array(services));
    }
    if has(Section::Notes) {
        let notes: Vec<Value> = file
            .notes
            .iter()
            .filter_map(|note| {
                let text = note.fields.text.as_deref()?;
                let mut entry = Map::new();
                entry.insert("cco_CaseComment".into(), Value::from(text));
                entry.insert("hearth_date".into(), Value::from(day_of(note.created_ms)));
                Some(Value::Object(entry))
            })
            .collect();
        if !notes.is_empty() {
            fields.push("note.text".to_owned());
        }
        document.insert("notes".into(), Value::Array(notes));
    }
    fields.sort();
    fields.dedup();
    (Value::Object(document), fields)
}

fn children(
    kind: RecordKind,
    records: impl Iterator<Item = Map<String, Value>>,
    names: &[&str],
    fields: &mut Vec<String>,
) -> Vec<Value> {
    records
        .map(|values| {
            let mut entry = Map::new();
            for name in names {
                let (Some(spec), Some(value)) = (
                    spec(kind, name),
                    values.get(*name).filter(|value| !value.is_null()),
                ) else {
                    continue;
                };
                entry.insert(key_of(spec), value.clone());
                fields.push(format!("{}.{name}", kind.as_str()));
            }
            Value::Object(entry)
        })
        .collect()
}

/// A field's value as `case.json` holds it (events with HTCDS's names for their parts).
pub fn exported(spec: &FieldSpec, value: &Value) -> Value {
    rename_event_parts(spec, value, |(ours, theirs)| (ours, theirs))
}

/// A value of `case.json` as Hearth holds it (events with Hearth's names for their parts).
fn imported(spec: &FieldSpec, value: &Value) -> Value {
    rename_event_parts(spec, value, |(ours, theirs)| (theirs, ours))
}

/// `value` with each event's parts renamed by `direction` (from, to); other fields as they are.
fn rename_event_parts(
    spec: &FieldSpec,
    value: &Value,
    direction: fn((&'static str, &'static str)) -> (&'static str, &'static str),
) -> Value {
    if spec.kind != FieldKind::Events {
        return value.clone();
    }
    let renamed = value
        .as_array()
        .into_iter()
        .flatten()
        .map(|event| {
            let mut entry = Map::new();
            for parts in EVENT_PARTS {
                let (from, to) = direction(*parts);
                if let Some(part) = event.get(from).filter(|part| !part.is_null()) {
                    entry.insert(to.to_owned(), part.clone());
                }
            }
            Value::Object(entry)
        })
        .collect();
    Value::Array(renamed)
}

/// What a received `case.json` gives a new case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceivedContent {
    /// Case fields, by Hearth's names.
    pub case: Map<String, Value>,
    /// Services, by Hearth's names.
    pub services: Vec<Map<String, Value>>,
    /// Note texts.
    pub notes: Vec<String>,
    /// The referral's reason, details and date, by Hearth's names.
    pub referral: Map<String, Value>,
}

/// Reads a `case.json` back into Hearth's fields. Only fields a new case may be given by its
/// author are taken; anything else in the file is left out (and the case's validation checks the
/// values like any typed by hand).
pub fn read_case_json(document: &Value) -> Result<ReceivedContent, ReferralError> {
    let damaged = || ReferralError::Damaged("case.json");
    let object = document.as_object().ok_or_else(damaged)?;
    let mut received = ReceivedContent::default();
    if let Some(case) = object.get("case") {
        let case = case.as_object().ok_or_else(damaged)?;
        for section in Section::for_referrals() {
            for name in section.case_fields() {
                let Some(spec) = spec(RecordKind::Case, name) else {
                    continue;
                };
                if let Some(value) = case.get(&key_of(spec)) {
                    received
                        .case
                        .insert((*name).to_owned(), imported(spec, value));
                }
            }
        }
    }
    if let Some(referral) = object.get("referral") {
        let referral = referral.as_object().ok_or_else(damaged)?;
        for name in ["reason", "date", "details"] {
            if let Some(spec) = spec(RecordKind::Referral, name) {
                if let Some(value) = referral.get(&key_of(spec)) {
                    received.referral.insert(name.to_owned(), value.clone());
                }
            }
        }
    }
    for service in object
        .get("services")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let service = service.as_object().ok_or_else(damaged)?;
        let mut fields = Map::new();
        for name in [
            "type",
            "status",
            "provider",
            "start_date",
            "end_date",
            "notes",
        ] {
            if let Some(spec) = spec(RecordKind::Service, name) {
                if let Some(value) = service.get(&key_of(spec)) {
                    fields.insert(name.to_owned(), value.clone());
                }
            }
        }
        received.services.push(fields);
    }
    for note in object
        .get("notes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = note
            .get("cco_CaseComment")
            .and_then(Value::as_str)
            .ok_or_else(damaged)?;
        received.notes.push(text.to_owned());
    }
    Ok(received)
}

fn spec(kind: RecordKind, name: &str) -> Option<&'static FieldSpec> {
    kind.fields().iter().find(|spec| spec.name == name)
}

fn as_map(fields: &impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(fields) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The day of an instant on this laptop's calendar, `YYYY-MM-DD` (as the summary prints it).
fn day_of(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|at| at.to_zoned(jiff::tz::TimeZone::system()).date().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_htcds_names_where_the_field_is_one() {
        let case = |name| key_of(spec(RecordKind::Case, name).unwrap());
        assert_eq!(case("given_name"), "prs_FirstName");
        assert_eq!(case("gender"), "prs_Gender");
        assert_eq!(case("exploitation_types"), "vic_TypeOfExploitation");
        assert_eq!(case("aliases"), "hearth_aliases");
        assert_eq!(case("languages"), "hearth_languages");
        assert_eq!(case("identified_by"), "hearth_identified_by");
        assert_eq!(case("trafficking_events"), "hearth_trafficking_events");
        assert_eq!(case("identity_documents"), "hearth_identity_documents");
        assert_eq!(case("citizenships"), "prs_Citizenship");
        let referral = |name| key_of(spec(RecordKind::Referral, name).unwrap());
        assert_eq!(referral("partner"), "cas_ReferredOrganisation");
        assert_eq!(referral("date"), "cas_OutgoingReferralDate");
    }

    #[test]
    fn no_two_fields_of_a_kind_share_a_key() {
        for kind in [RecordKind::Case, RecordKind::Referral, RecordKind::Service] {
            let mut keys: Vec<String> = kind.fields().iter().map(key_of).collect();
            let count = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), count, "{kind:?}");
        }
    }
}
