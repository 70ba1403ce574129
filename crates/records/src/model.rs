//! The shapes records take when they leave the core: one struct per kind of record, whose fields
//! are exactly the field table's (a test holds them together). These are what `hearth case show
//! --json` prints and what the desktop app receives; README documents them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An identity document and who holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "IdentityDocument.ts")
)]
pub struct IdentityDocument {
    /// `identity_document_type` code.
    #[serde(rename = "type")]
    pub document_type: String,
    /// `document_custody` code: held by the person, withheld by someone, ...
    pub custody: String,
    /// Free text (number, issuing country), optional.
    #[serde(default)]
    pub details: Option<String>,
}

/// A place and date of recruitment, transit or exploitation (HTCDS historic trafficking event).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "TraffickingEvent.ts")
)]
pub struct TraffickingEvent {
    /// `trafficking_event_type` code (hte_Type).
    #[serde(rename = "type")]
    pub event_type: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    pub country: Option<String>,
    /// Town or place.
    #[serde(default)]
    pub locality: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
}

/// The person and the case. Every field may be absent (`null`) except those the field table
/// requires. Account fields hold account ids (hex).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseFields.ts"))]
#[serde(default)]
#[allow(missing_docs)] // documented field by field in the field table and README
pub struct CaseFields {
    pub case_number: Option<String>,
    pub created_by: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub estimated_age: Option<u32>,
    pub citizenships: Option<Vec<String>>,
    pub languages: Option<Vec<String>>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub identity_documents: Option<Vec<IdentityDocument>>,
    pub status: Option<String>,
    pub closure_reason: Option<String>,
    pub trafficking_status: Option<String>,
    pub status_decided_by: Option<String>,
    pub date_identified: Option<String>,
    pub identified_by: Option<String>,
    pub referral_source: Option<String>,
    pub owner: Option<String>,
    pub assigned: Option<Vec<String>>,
    pub risk_level: Option<String>,
    pub guardian: Option<String>,
    pub best_interests_notes: Option<String>,
    pub exploitation_types: Option<Vec<String>>,
    pub labour_industry: Option<String>,
    pub sexual_exploitation_types: Option<Vec<String>>,
    pub means_of_control: Option<Vec<String>>,
    pub recruitment_methods: Option<Vec<String>>,
    pub relation_to_recruiter: Option<String>,
    pub vulnerabilities: Option<Vec<String>>,
    pub trafficking_events: Option<Vec<TraffickingEvent>>,
    pub support_objectives: Option<String>,
    pub support_action_plan: Option<String>,
    pub support_planned_end: Option<String>,
    /// The case this one was merged into (its status is then `Merged`).
    pub merged_into: Option<String>,
    /// The cases merged into this one.
    pub merged_from: Option<Vec<String>>,
    /// Cases a supervisor marked as other people, never offered as this one's duplicates.
    pub different_from: Option<Vec<String>>,
}

/// A consent decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ConsentFields.ts"))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ConsentFields {
    pub case_id: Option<String>,
    pub created_by: Option<String>,
    pub purpose: Option<String>,
    pub partner: Option<String>,
    pub decision: Option<String>,
    pub date: Option<String>,
    pub method: Option<String>,
    pub notes: Option<String>,
}

/// A service in the support plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ServiceFields.ts"))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ServiceFields {
    pub case_id: Option<String>,
    pub created_by: Option<String>,
    #[serde(rename = "type")]
    pub service_type: Option<String>,
    pub provider: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
}

/// A referral to or from a partner organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ReferralFields.ts"))]
#[serde(default)]
#[allow(missing_docs)]
pub struct ReferralFields {
    pub case_id: Option<String>,
    pub created_by: Option<String>,
    pub direction: Option<String>,
    pub partner: Option<String>,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub date: Option<String>,
    pub status: Option<String>,
    pub consent_override_reason: Option<String>,
    pub packet_id: Option<String>,
    pub decline_reason: Option<String>,
}

/// A case note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "NoteFields.ts"))]
#[serde(default)]
#[allow(missing_docs)]
pub struct NoteFields {
    pub case_id: Option<String>,
    pub created_by: Option<String>,
    pub text: Option<String>,
}

/// A follow-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "FollowUpFields.ts"))]
#[serde(default)]
#[allow(missing_docs)]
pub struct FollowUpFields {
    pub case_id: Option<String>,
    pub created_by: Option<String>,
    pub due_date: Option<String>,
    pub assigned_to: Option<String>,
    pub description: Option<String>,
    pub done: Option<bool>,
}

/// A partner organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PartnerFields.ts"))]
#[serde(default)]
#[allow(missing_docs)]
pub struct PartnerFields {
    pub created_by: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub organisation_type: Option<String>,
    pub contact: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub age_recipient: Option<String>,
}

/// A record with its id and times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export_to = "HearthRecord.ts", rename = "HearthRecord")
)]
pub struct Record<F> {
    /// The record's id (hex).
    pub id: String,
    /// Its current fields.
    pub fields: F,
    /// When it was made (milliseconds since the epoch, by the clock of the laptop that made it).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_ms: u64,
    /// When a field of it last changed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub updated_ms: u64,
}

/// What the person looking at a case may do with it, so that screens offer only that.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseActions.ts"))]
#[allow(missing_docs)]
pub struct CaseActions {
    pub edit: bool,
    pub close: bool,
    pub reopen: bool,
    pub reassign: bool,
    pub override_consent: bool,
    /// Merge it with another case, or mark two cases as different people.
    pub merge: bool,
}

/// Everything a case page shows: the case and all that is attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseFile.ts"))]
pub struct CaseFile {
    /// The person and the case.
    pub case: Record<CaseFields>,
    /// Age in whole years today, from the birth date or else the estimated age.
    pub age: Option<u32>,
    /// Under 18 by that age: the case needs a guardian and best-interests notes.
    pub is_minor: bool,
    /// Every consent decision, newest first (the history).
    pub consents: Vec<Record<ConsentFields>>,
    /// The decision in force for each purpose (and partner): the newest of each.
    pub current_consents: Vec<Record<ConsentFields>>,
    /// Services, by start date.
    pub services: Vec<Record<ServiceFields>>,
    /// Referrals, newest first.
    pub referrals: Vec<Record<ReferralFields>>,
    /// Notes, newest first.
    pub notes: Vec<Record<NoteFields>>,
    /// Follow-ups, by due date.
    pub follow_ups: Vec<Record<FollowUpFields>>,
    /// Names of the staff accounts the case refers to, by id.
    pub people: BTreeMap<String, String>,
    /// Names of the partner organisations the case refers to, by id.
    pub partners: BTreeMap<String, String>,
    /// The numbers of the cases this one was merged into or from, by id.
    pub case_numbers: BTreeMap<String, String>,
    /// What the viewer may do.
    pub allowed: CaseActions,
}

/// A case in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseSummary.ts"))]
#[allow(missing_docs)]
pub struct CaseSummary {
    pub id: String,
    pub number: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub status: String,
    pub risk_level: Option<String>,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub date_identified: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub updated_ms: u64,
    /// The earliest due date of its open follow-ups.
    pub next_follow_up: Option<String>,
}

/// How a case list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseSort.ts"))]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// By family name, then given name.
    Name,
    /// By case number.
    Number,
    /// Most recently identified first.
    Identified,
}

/// Which cases to list: every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseQuery.ts"))]
#[serde(default)]
pub struct CaseQuery {
    /// Words that must each start a name, alias or case-number word (case and diacritics do not
    /// matter).
    pub text: Option<String>,
    /// `case_status` code.
    pub status: Option<String>,
    /// Owned by or assigned to this account (id).
    pub assigned_to: Option<String>,
    /// `risk_level` code.
    pub risk_level: Option<String>,
    /// Only cases with an open follow-up due today or earlier.
    pub follow_ups_due: bool,
    /// Order.
    pub sort: CaseSort,
    /// Page number, from 0.
    pub page: u32,
    /// Cases per page (1 to 200; 0 means 50).
    pub page_size: u32,
}

/// One page of a case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CasePage.ts"))]
pub struct CasePage {
    /// The cases on this page.
    pub cases: Vec<CaseSummary>,
    /// How many cases match in all, counted up to 1,000.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// More cases match than `total` says (it stopped counting at 1,000): show "1,000+".
    pub more_than_total: bool,
    /// This page's number, from 0.
    pub page: u32,
    /// Cases per page.
    pub page_size: u32,
}

/// A follow-up due for the person who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "FollowUpDue.ts"))]
#[allow(missing_docs)]
pub struct FollowUpDue {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub due_date: String,
    pub description: Option<String>,
    /// Due before today.
    pub overdue: bool,
}

/// One field-level change in a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "HistoryEntry.ts"))]
pub struct HistoryEntry {
    /// When (milliseconds since the epoch, by the hybrid logical clock of the laptop that made it).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at_ms: u64,
    /// Who (account id).
    pub account: String,
    /// Their name, if this vault knows the account.
    pub account_name: Option<String>,
    /// Which kind of record ("case", "consent", "service", ...).
    pub record_kind: String,
    /// Which record.
    pub record_id: String,
    /// Which field.
    pub field: String,
    /// The new value as JSON; `None` when the field was cleared.
    pub value: Option<String>,
    /// Whether `at_ms` is more than a day ahead of this laptop's clock: a laptop's date was wrong
    /// (the one that made the edit, or the one whose value it replaced), so the time is not to be
    /// believed.
    pub clock_ahead: bool,
}

/// A new case's id and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CaseCreated.ts"))]
pub struct CaseCreated {
    /// Its id (hex).
    pub id: String,
    /// Its human-friendly number ("TIR-2026-0042").
    pub number: String,
}
