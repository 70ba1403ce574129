//! THE field tables: every field of every kind of record, what it holds, whether it is required,
//! who may set it, its HTCDS 2.0 name, and whether it leaves the laptop without consent. The
//! structs in `model.rs` name the same fields (a test holds them together).

use super::*;
use FieldKind::{
    Account, Accounts, Age, AgeRecipient, AnyDate, Code, Codes, Documents, Events, Flag, LongText,
    Partner, PastDate, RecordRef, RecordRefs, Text, TextList,
};

/// Who made a record; set by the core on every kind of record.
const CREATED_BY: FieldSpec = guarded(field("created_by", Account, None), Guard::Fixed);

/// The case a child record belongs to.
const CASE_ID: FieldSpec = guarded(field("case_id", RecordRef, None), Guard::Fixed);

/// The person and the case (HTCDS person, victim context, case and support plan).
pub const CASE_FIELDS: &[FieldSpec] = &[
    shared(guarded(field("case_number", Text(40), None), Guard::Fixed)),
    shared(CREATED_BY),
    // The person. Names are optional: many people arrive without papers or do not give them.
    field("given_name", Text(100), Some("prs_FirstName")),
    field("family_name", Text(100), Some("prs_SecondName")),
    field("aliases", TextList, None),
    shared(field("gender", Code("gender"), Some("prs_Gender"))),
    field("birth_date", BirthDate, Some("prs_Birthdate")),
    shared(field("estimated_age", Age, None)),
    shared(field(
        "citizenships",
        Codes(COUNTRY),
        Some("prs_Citizenship"),
    )),
    field(
        "languages",
        Codes(crate::codes::LANGUAGE),
        Some("prs_PrimaryLanguage, prs_SecondaryLanguage"),
    ),
    field("phone", Text(40), Some("prs_MobilePhone")),
    field("email", Text(200), Some("prs_Email")),
    field("address", Text(300), Some("prs_MailingStreet")),
    field("identity_documents", Documents, Some("prs_IdentityNumber")),
    // The case.
    shared(guarded(
        required(field("status", Code("case_status"), Some("cas_Status"))),
        Guard::Status,
    )),
    guarded(
        field("closure_reason", LongText, Some("cas_ReasonForCaseClosure")),
        Guard::Status,
    ),
    shared(required(field(
        "trafficking_status",
        Code("trafficking_status"),
        Some("vic_TraffickingStatus"),
    ))),
    shared(field(
        "status_decided_by",
        Code("status_decided_by"),
        Some("vic_TraffickingStatusDecisionMakingOrg"),
    )),
    shared(required(field("date_identified", PastDate, None))),
    shared(field(
        "identified_by",
        Code("organisation_type"),
        Some("cas_ReferringOrganisation (type)"),
    )),
    field(
        "referral_source",
        Text(200),
        Some("cas_ReferringOrganisation"),
    ),
    shared(guarded(
        required(field("owner", Account, Some("cas_CaseOwner"))),
        Guard::Team,
    )),
    shared(guarded(field("assigned", Accounts, None), Guard::Team)),
    shared(field("risk_level", Code("risk_level"), None)),
    field("guardian", Text(200), None),
    field("best_interests_notes", LongText, None),
    // The trafficking profile.
    shared(field(
        "exploitation_types",
        Codes("exploitation_type"),
        Some("vic_TypeOfExploitation"),
    )),
    shared(field(
        "labour_industry",
        Code("labour_industry"),
        Some("vic_ForcedLabourIndustry"),
    )),
    shared(field(
        "sexual_exploitation_types",
        Codes("sexual_exploitation_type"),
        Some("vic_TypeOfSexExploitation"),
    )),
    shared(field(
        "means_of_control",
        Codes("means_of_control"),
        Some("vic_MethodsOfControl"),
    )),
    shared(field(
        "recruitment_methods",
        Codes("recruitment_method"),
        Some("vic_MethodOfRecruitment"),
    )),
    shared(field(
        "relation_to_recruiter",
        Code("relation_to_recruiter"),
        Some("vic_RelationshipToTrafficker"),
    )),
    shared(field(
        "vulnerabilities",
        Codes("vulnerability"),
        Some("vic_Vulnerabilities"),
    )),
    field(
        "trafficking_events",
        Events,
        Some("hte_Type, hte_Country, hte_City, hte_Date"),
    ),
    // The support plan.
    field("support_objectives", LongText, Some("spl_Objectives")),
    field("support_action_plan", LongText, Some("spl_ActionPlan")),
    shared(field(
        "support_planned_end",
        AnyDate,
        Some("spl_PlannedEndDate"),
    )),
    // One person, one case: what a supervisor decided about possible duplicates. Ids only.
    shared(guarded(field("merged_into", RecordRef, None), Guard::Fixed)),
    shared(guarded(
        field("merged_from", RecordRefs, None),
        Guard::Fixed,
    )),
    shared(guarded(
        field("different_from", RecordRefs, None),
        Guard::Fixed,
    )),
];

/// A consent decision. Decisions are never changed: a new one is recorded, and the history stays.
pub const CONSENT_FIELDS: &[FieldSpec] = &[
    shared(CASE_ID),
    shared(CREATED_BY),
    shared(required(field("purpose", Code("consent_purpose"), None))),
    shared(field("partner", Partner, None)),
    shared(required(field(
        "decision",
        Code("consent_decision"),
        Some("con_Consent"),
    ))),
    shared(required(field("date", PastDate, None))),
    shared(required(field("method", Code("consent_method"), None))),
    field("notes", LongText, None),
];

/// A service in the support plan.
pub const SERVICE_FIELDS: &[FieldSpec] = &[
    shared(CASE_ID),
    shared(CREATED_BY),
    shared(required(field(
        "type",
        Code("support_type"),
        Some("spl_Type"),
    ))),
    shared(field("provider", Text(200), None)),
    shared(field("start_date", AnyDate, None)),
    shared(field("end_date", AnyDate, Some("spl_ActualEndDate"))),
    shared(required(field("status", Code("service_status"), None))),
    field("notes", LongText, None),
];

/// A referral to or from a partner organisation.
pub const REFERRAL_FIELDS: &[FieldSpec] = &[
    shared(CASE_ID),
    shared(CREATED_BY),
    shared(required(field(
        "direction",
        Code("referral_direction"),
        None,
    ))),
    shared(required(field(
        "partner",
        Partner,
        Some("cas_ReferredOrganisation, cas_ReferringOrganisation"),
    ))),
    shared(field(
        "reason",
        Code("referral_reason"),
        Some("cas_ReasonForOutgoingReferral, cas_ReasonForIncomingReferral"),
    )),
    field(
        "details",
        LongText,
        Some("cas_OutgoingReferralDetails, cas_IncomingReferralDetails"),
    ),
    shared(required(field(
        "date",
        PastDate,
        Some("cas_OutgoingReferralDate, cas_IncomingReferralDate"),
    ))),
    shared(required(field("status", Code("referral_status"), None))),
    guarded(
        field("consent_override_reason", LongText, None),
        Guard::ConsentOverride,
    ),
    // The referral packet last sent for it (set by the core when a packet is written).
    shared(guarded(field("packet_id", Text(32), None), Guard::Fixed)),
    // Why the partner declined (Primero's reasons), from its answer or recorded by hand.
    shared(field(
        "decline_reason",
        Code("referral_decline_reason"),
        None,
    )),
];

/// A case note.
pub const NOTE_FIELDS: &[FieldSpec] = &[
    shared(CASE_ID),
    shared(CREATED_BY),
    required(field("text", LongText, Some("cco_CaseComment"))),
];

/// A follow-up: something to do for the person by a date.
pub const FOLLOW_UP_FIELDS: &[FieldSpec] = &[
    shared(CASE_ID),
    shared(CREATED_BY),
    shared(required(field("due_date", AnyDate, None))),
    shared(required(field("assigned_to", Account, None))),
    required(field("description", Text(300), None)),
    shared(field("done", Flag, None)),
];

/// A partner organisation in the directory.
pub const PARTNER_FIELDS: &[FieldSpec] = &[
    shared(CREATED_BY),
    shared(required(field("name", Text(200), Some("org_Name")))),
    shared(required(field(
        "type",
        Code("organisation_type"),
        Some("org_Type"),
    ))),
    shared(field("contact", Text(300), Some("org_Phone"))),
    shared(field("city", Text(100), Some("org_ShippingCity"))),
    shared(field("country", Code(COUNTRY), Some("org_ShippingCountry"))),
    // Where referral packets to it are encrypted to; without one, a packet gets a one-time
    // passphrase. A public key: it syncs to every laptop of the organisation.
    shared(guarded(
        field("age_recipient", AgeRecipient, None),
        Guard::PartnerKey,
    )),
];
