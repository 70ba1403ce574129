//! The field reference README shows, generated from the field tables so that it cannot drift.

use super::*;

/// The field reference README shows: one table per kind of record, generated from the field
/// tables so that the documentation cannot drift (`cargo run -p hearth-core --example
/// field_reference` prints it; a test compares README with it).
pub fn reference_markdown() -> String {
    let kinds = [
        ("Case (`hearth case new|update`)", CASE_FIELDS),
        ("Consent decision (`hearth consent add`)", CONSENT_FIELDS),
        ("Service (`hearth service add|update`)", SERVICE_FIELDS),
        ("Referral (`hearth referral add|update`)", REFERRAL_FIELDS),
        ("Note (`hearth note add|update`)", NOTE_FIELDS),
        (
            "Follow-up (`hearth follow-up add|update`)",
            FOLLOW_UP_FIELDS,
        ),
        (
            "Partner organisation (`hearth partner add|update`)",
            PARTNER_FIELDS,
        ),
        ("An entry of `identity_documents`", DOCUMENT_PARTS),
        ("An entry of `trafficking_events`", EVENT_PARTS),
    ];
    let mut text = String::new();
    for (title, fields) in kinds {
        text.push_str(&format!(
            "**{title}**\n\n| field | holds | required | set by | HTCDS 2.0 | leaves without consent |\n|---|---|---|---|---|---|\n"
        ));
        for spec in fields {
            let holds = match spec.kind {
                Text(max) => format!("text, one line, ≤ {max} characters"),
                LongText => format!("text, ≤ {LONG_TEXT_MAX} characters"),
                TextList => "list of short texts".to_owned(),
                PastDate => "date `YYYY-MM-DD`, not in the future".to_owned(),
                BirthDate => {
                    format!("date `YYYY-MM-DD`, not in the future, at most {AGE_MAX} years ago")
                }
                AnyDate => "date `YYYY-MM-DD`".to_owned(),
                Age => format!("whole number 0–{AGE_MAX}"),
                Code(list) => format!("code from `{list}`"),
                Codes(list) => format!("list of codes from `{list}`"),
                Account => "account id".to_owned(),
                Accounts => "list of account ids".to_owned(),
                Partner => "partner organisation id".to_owned(),
                Flag => "true / false".to_owned(),
                Documents => "list of identity documents (below)".to_owned(),
                Events => "list of trafficking events (below)".to_owned(),
                RecordRef => "record id".to_owned(),
                RecordRefs => "record ids".to_owned(),
                AgeRecipient => "age public key (`age1…`)".to_owned(),
            };
            let set_by = match spec.guard {
                Guard::Open => "anyone who may edit",
                Guard::Fixed => "Hearth",
                Guard::Status => "anyone; closing and reopening: supervisors",
                Guard::Team => "supervisors (reassigning)",
                Guard::ConsentOverride => "supervisors, to refer without consent",
                Guard::PartnerKey => "supervisors",
            };
            text.push_str(&format!(
                "| `{}` | {holds} | {} | {set_by} | {} | {} |\n",
                spec.name,
                if spec.required { "yes" } else { "" },
                spec.htcds.unwrap_or(""),
                if spec.shared_without_consent {
                    "yes"
                } else {
                    ""
                }
            ));
        }
        text.push('\n');
    }
    text
}
