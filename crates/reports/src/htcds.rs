//! The organisation's cases in HTCDS 2.0 shape, for the office's own systems. Identifying: the
//! facade lets only supervisors make it, and only cases whose consent to sharing within the
//! organisation is Given are in it (never a merged duplicate). Field names are HTCDS's where
//! Hearth's field is one HTCDS field, otherwise `hearth_` and Hearth's name (the same names a
//! referral packet's `case.json` uses, `hearth_referrals::htcds::key_of`).
//!
//! - JSON: `{"standard": "HTCDS 2.0", "cases": [{…case fields…, "consents": […],
//!   "services": […], "referrals": […]}]}`.
//! - CSV: one row per case, the case's fields only; a list of codes is joined with "; ", and a
//!   list of places or documents is its JSON in one cell.
//!
//! Case notes stay out of both: they are the running record of conversations, and the office
//! reads those it needs in the case itself, through sync. The case's own fields, free text
//! included (the support plan, the closure reason), are in it.

use std::io::Write;

use rusqlite::Connection;
use serde_json::{Map, Value};

use hearth_records::facts::SHARING_PURPOSE;
use hearth_records::fields::{FieldKind, FieldSpec, Guard};
use hearth_records::{Actor, CaseFile, RecordId, RecordKind};
use hearth_referrals::htcds::{exported, key_of};

use crate::ReportError;

/// The age scrypt work factor of a passphrase-protected export (2^18).
const SCRYPT_WORK_FACTOR: u8 = 18;

/// The two shapes the export comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "HtcdsShape.ts"))]
pub enum Shape {
    /// One row per case.
    Csv,
    /// Cases with what is attached to them.
    Json,
}

impl Shape {
    /// Reads `csv` or `json`.
    pub fn parse(text: &str) -> Option<Shape> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Shape::Csv),
            "json" => Some(Shape::Json),
            _ => None,
        }
    }
}

/// How the file is protected.
pub enum Protection {
    /// Encrypted to the office's age recipient.
    Recipient(age::x25519::Recipient),
    /// Encrypted with a passphrase (age's scrypt recipient).
    Passphrase(String),
    /// Plain text, because the person asked for it.
    Plain,
}

impl std::fmt::Debug for Protection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Protection::Recipient(recipient) => write!(f, "Protection::Recipient({recipient})"),
            Protection::Passphrase(_) => f.write_str("Protection::Passphrase([redacted])"),
            Protection::Plain => f.write_str("Protection::Plain"),
        }
    }
}

/// What the export holds.
#[derive(Debug)]
pub struct HtcdsExport {
    /// The file's bytes (encrypted unless [`Protection::Plain`]).
    pub bytes: Vec<u8>,
    /// Cases in it.
    pub cases: u64,
    /// Cases left out: no consent to sharing within the organisation.
    pub left_out: u64,
    /// Hearth's names of the case fields it carries (for the audit entry).
    pub fields: Vec<String>,
}

/// Fields that hold staff or record ids, which mean nothing outside this organisation's vaults.
fn is_internal(spec: &FieldSpec) -> bool {
    matches!(
        spec.kind,
        FieldKind::Account | FieldKind::Accounts | FieldKind::RecordRef | FieldKind::RecordRefs
    ) || spec.guard == Guard::PartnerKey
}

/// The export of every case with consent to sharing within the organisation.
pub fn export(
    connection: &Connection,
    actor: &Actor,
    shape: Shape,
    protection: &Protection,
) -> Result<HtcdsExport, ReportError> {
    let mut consented: Vec<Vec<u8>> = Vec::new();
    let mut left_out = 0u64;
    {
        let mut statement = connection.prepare(
            "SELECT case_id, sharing_consent FROM case_facts WHERE status != 'Merged'
             ORDER BY case_id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if row.get::<_, bool>(1)? {
                consented.push(row.get(0)?);
            } else {
                left_out += 1;
            }
        }
    }
    let mut files = Vec::with_capacity(consented.len());
    for id in consented {
        let Ok(id) = <[u8; 16]>::try_from(id.as_slice()) else {
            continue;
        };
        let file = hearth_records::case_file::load(connection, actor, RecordId(id))?;
        // The facts table said Given; the decisions themselves must say so too (identifying
        // records leave on them, so the rule is checked where it is kept, not only in a copy).
        let shared = file.current_consents.iter().any(|consent| {
            consent.fields.purpose.as_deref() == Some(SHARING_PURPOSE)
                && consent.fields.partner.is_none()
                && consent.fields.decision.as_deref() == Some("Given")
        });
        if shared {
            files.push(file);
        } else {
            left_out += 1;
        }
    }
    files.sort_by(|a, b| a.case.fields.case_number.cmp(&b.case.fields.case_number));
    let mut fields: Vec<String> = Vec::new();
    let plain = match shape {
        Shape::Json => json(&files, &mut fields)?,
        Shape::Csv => csv(&files, &mut fields)?,
    };
    fields.sort();
    fields.dedup();
    Ok(HtcdsExport {
        bytes: protect(plain, protection)?,
        cases: u64::try_from(files.len()).unwrap_or(u64::MAX),
        left_out,
        fields,
    })
}

fn case_specs() -> impl Iterator<Item = &'static FieldSpec> {
    RecordKind::Case
        .fields()
        .iter()
        .filter(|spec| !is_internal(spec))
}

fn as_map(fields: &impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(fields) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn json(files: &[CaseFile], fields: &mut Vec<String>) -> Result<Vec<u8>, ReportError> {
    let mut cases = Vec::with_capacity(files.len());
    for file in files {
        let values = as_map(&file.case.fields);
        let mut case = Map::new();
        for spec in case_specs() {
            if let Some(value) = values.get(spec.name).filter(|value| !value.is_null()) {
                case.insert(key_of(spec), exported(spec, value));
                fields.push(spec.name.to_owned());
            }
        }
        let children = |kind: RecordKind, records: Vec<Map<String, Value>>| -> Value {
            Value::Array(
                records
                    .into_iter()
                    .map(|values| {
                        let mut entry = Map::new();
                        for spec in kind.fields().iter().filter(|spec| !is_internal(spec)) {
                            let Some(value) = values.get(spec.name).filter(|v| !v.is_null()) else {
                                continue;
                            };
                            let value = match spec.kind {
                                FieldKind::Partner => value
                                    .as_str()
                                    .and_then(|id| file.partners.get(id))
                                    .map(|name| Value::from(name.as_str()))
                                    .unwrap_or(Value::Null),
                                _ => exported(spec, value),
                            };
                            entry.insert(key_of(spec), value);
                        }
                        Value::Object(entry)
                    })
                    .collect(),
            )
        };
        case.insert(
            "hearth_consents".into(),
            children(
                RecordKind::Consent,
                file.current_consents
                    .iter()
                    .map(|r| as_map(&r.fields))
                    .collect(),
            ),
        );
        case.insert(
            "hearth_services".into(),
            children(
                RecordKind::Service,
                file.services.iter().map(|r| as_map(&r.fields)).collect(),
            ),
        );
        case.insert(
            "hearth_referrals".into(),
            children(
                RecordKind::Referral,
                file.referrals.iter().map(|r| as_map(&r.fields)).collect(),
            ),
        );
        for (kind, any) in [
            ("consent", !file.current_consents.is_empty()),
            ("service", !file.services.is_empty()),
            ("referral", !file.referrals.is_empty()),
        ] {
            if any {
                fields.push(format!("{kind}.*"));
            }
        }
        cases.push(Value::Object(case));
    }
    let mut document = Map::new();
    document.insert("standard".into(), Value::from("HTCDS 2.0"));
    document.insert("cases".into(), Value::Array(cases));
    let mut bytes = serde_json::to_vec_pretty(&Value::Object(document))
        .map_err(|error| ReportError::Export(error.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn csv(files: &[CaseFile], fields: &mut Vec<String>) -> Result<Vec<u8>, ReportError> {
    let specs: Vec<&FieldSpec> = case_specs().collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(specs.iter().map(|spec| key_of(spec)))?;
    for file in files {
        let values = as_map(&file.case.fields);
        let row: Vec<String> = specs
            .iter()
            .map(|spec| {
                let Some(value) = values.get(spec.name).filter(|value| !value.is_null()) else {
                    return String::new();
                };
                fields.push(spec.name.to_owned());
                cell(spec, value)
            })
            .collect();
        writer.write_record(row)?;
    }
    writer
        .into_inner()
        .map_err(|error| ReportError::Export(error.to_string()))
}

/// A value in one CSV cell.
fn cell(spec: &FieldSpec, value: &Value) -> String {
    match (spec.kind, value) {
        (_, Value::String(text)) => text.clone(),
        (FieldKind::Codes(_) | FieldKind::TextList, Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        (_, other) => exported(spec, other).to_string(),
    }
}

fn protect(plain: Vec<u8>, protection: &Protection) -> Result<Vec<u8>, ReportError> {
    let failed = |error: &dyn std::fmt::Display| ReportError::Export(error.to_string());
    let passphrase_recipient;
    let recipient: &dyn age::Recipient = match protection {
        Protection::Plain => return Ok(plain),
        Protection::Recipient(recipient) => recipient,
        Protection::Passphrase(passphrase) => {
            let mut recipient = age::scrypt::Recipient::new(passphrase.clone().into());
            // Fixed, as a referral packet's: what Go's age writes, and opens on any laptop.
            recipient.set_work_factor(SCRYPT_WORK_FACTOR);
            passphrase_recipient = recipient;
            &passphrase_recipient
        }
    };
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient)).map_err(|e| failed(&e))?;
    let mut sealed = Vec::with_capacity(plain.len() + 512);
    let mut writer = encryptor.wrap_output(&mut sealed).map_err(|e| failed(&e))?;
    writer
        .write_all(&plain)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| failed(&e))?;
    Ok(sealed)
}
