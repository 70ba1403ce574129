//! The sections a case is shared and printed in. A referral packet carries only the sections the
//! sender chose (with the person: consent decisions do not record sections); a printed case
//! summary carries every section but the shelter's contact. Each
//! case field belongs to at most one section, so leaving a section out leaves its fields out,
//! absent rather than blank.

use serde::{Deserialize, Serialize};

/// A part of a case, as a referral packet or a printed summary includes it or leaves it out.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Section.ts"))]
pub enum Section {
    /// The case itself: number, status, dates, who identified and who works on it. Printed
    /// summaries only: a partner opens a case of its own.
    Case,
    /// Who the person is: names, gender, birth date or age, citizenship, languages.
    Identity,
    /// Whom the partner contacts at the referring organisation: organisation, site, caseworker.
    ShelterContact,
    /// Why and when the person is referred (the referral's reason, details and date).
    Referral,
    /// What the person needs: risk, vulnerabilities, guardian, support objectives.
    Needs,
    /// How to reach the person directly: phone, e-mail, address.
    PersonContact,
    /// Identity documents and who holds them.
    Documents,
    /// The trafficking situation: status, forms of exploitation, means of control, places.
    Trafficking,
    /// The support plan and its services.
    Services,
    /// Consent decisions. Printed summaries only: a packet names the one decision it relies on.
    Consents,
    /// Case notes.
    Notes,
}

impl Section {
    /// Every section, in the order documents print them.
    pub fn all() -> impl Iterator<Item = Section> {
        <Section as strum::IntoEnumIterator>::iter()
    }

    /// The stored and typed name ("shelter_contact").
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Reads a section's name as typed.
    pub fn parse(name: &str) -> Option<Section> {
        name.trim().parse().ok()
    }

    /// The sections a referral packet may carry, in order.
    pub fn for_referrals() -> impl Iterator<Item = Section> {
        Section::all().filter(|section| !matches!(section, Section::Case | Section::Consents))
    }

    /// The minimum a partner needs to take the person on: who they are, whom to call back, why
    /// they are referred and what they need. What a packet carries unless the sender chooses.
    pub const MINIMUM_NECESSARY: &'static [Section] = &[
        Section::Identity,
        Section::ShelterContact,
        Section::Referral,
        Section::Needs,
    ];

    /// The case fields (names in the field table) this section holds.
    pub fn case_fields(&self) -> &'static [&'static str] {
        match self {
            Section::Case => &[
                "case_number",
                "status",
                "closure_reason",
                "date_identified",
                "identified_by",
                "referral_source",
                "owner",
                "assigned",
            ],
            Section::Identity => &[
                "given_name",
                "family_name",
                "aliases",
                "gender",
                "birth_date",
                "estimated_age",
                "citizenships",
                "languages",
            ],
            Section::PersonContact => &["phone", "email", "address"],
            Section::Documents => &["identity_documents"],
            Section::Needs => &[
                "risk_level",
                "vulnerabilities",
                "guardian",
                "best_interests_notes",
                "support_objectives",
            ],
            Section::Trafficking => &[
                "trafficking_status",
                "status_decided_by",
                "exploitation_types",
                "labour_industry",
                "sexual_exploitation_types",
                "means_of_control",
                "recruitment_methods",
                "relation_to_recruiter",
                "trafficking_events",
            ],
            Section::Services => &["support_action_plan", "support_planned_end"],
            Section::ShelterContact | Section::Referral | Section::Consents | Section::Notes => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::RecordKind;

    #[test]
    fn each_case_field_is_in_one_section_at_most_and_names_a_real_field() {
        let mut seen = BTreeSet::new();
        for section in Section::all() {
            for name in section.case_fields() {
                assert!(
                    RecordKind::Case
                        .fields()
                        .iter()
                        .any(|spec| spec.name == *name),
                    "{name} is not a case field"
                );
                assert!(seen.insert(*name), "{name} is in two sections");
            }
        }
    }

    #[test]
    fn names_read_back_and_the_minimum_is_shareable() {
        for section in Section::all() {
            assert_eq!(Section::parse(section.as_str()), Some(section));
        }
        assert_eq!(Section::parse("nonsense"), None);
        for section in Section::MINIMUM_NECESSARY {
            assert!(Section::for_referrals().any(|s| s == *section));
        }
    }
}
