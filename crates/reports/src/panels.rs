//! What a report is made of: its panels, what each counts and from which code list, the rows and
//! counts they hold, and the bands ages and closures fall into. Shared by the screen's exact
//! counts and the exports ([`crate::dashboard`]), and by the CTDC columns (age bands).

use serde::{Deserialize, Serialize};

use crate::suppression::Count;
use crate::Scope;

/// The key of a row that gathers what was not recorded.
pub const NOT_RECORDED: &str = "";
/// The key of the row that gathers an open-ended panel's rows below k, in an export.
pub const OTHER: &str = "other";

/// The panels, in the order the screen shows them.
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
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PanelId.ts"))]
pub enum PanelId {
    /// People identified, by the month of the day identified.
    IdentifiedPerMonth,
    /// People by trafficking status (possible, actual, not a victim).
    TraffickingStatus,
    /// People by gender.
    Gender,
    /// People by age when identified, in the CTDC's bands.
    AgeBand,
    /// People by type of exploitation (several per person).
    ExploitationType,
    /// People by means of control (several per person).
    MeansOfControl,
    /// People by (first) citizenship.
    Citizenship,
    /// People by (first) country of exploitation.
    ExploitationCountry,
    /// Cases by status.
    CaseStatus,
    /// Closed cases by days from opening to closure (Primero's buckets).
    TimeToClosure,
    /// Services by type.
    ServiceType,
    /// Services by status.
    ServiceStatus,
    /// Referrals by partner.
    ReferralPartner,
    /// Referrals by status (their outcome).
    ReferralOutcome,
    /// Declined referrals by the partner's reason.
    DeclineReason,
    /// Open follow-ups: overdue or not yet due.
    FollowUps,
}

impl PanelId {
    /// The name exports use.
    pub fn as_str(&self) -> &'static str {
        match self {
            PanelId::IdentifiedPerMonth => "identified_per_month",
            PanelId::TraffickingStatus => "trafficking_status",
            PanelId::Gender => "gender",
            PanelId::AgeBand => "age_band",
            PanelId::ExploitationType => "exploitation_type",
            PanelId::MeansOfControl => "means_of_control",
            PanelId::Citizenship => "citizenship",
            PanelId::ExploitationCountry => "exploitation_country",
            PanelId::CaseStatus => "case_status",
            PanelId::TimeToClosure => "time_to_closure",
            PanelId::ServiceType => "service_type",
            PanelId::ServiceStatus => "service_status",
            PanelId::ReferralPartner => "referral_partner",
            PanelId::ReferralOutcome => "referral_outcome",
            PanelId::DeclineReason => "decline_reason",
            PanelId::FollowUps => "follow_ups",
        }
    }

    /// What the panel counts.
    pub fn unit(&self) -> Unit {
        match self {
            PanelId::CaseStatus | PanelId::TimeToClosure => Unit::Cases,
            PanelId::ServiceType | PanelId::ServiceStatus => Unit::Services,
            PanelId::ReferralPartner | PanelId::ReferralOutcome | PanelId::DeclineReason => {
                Unit::Referrals
            }
            PanelId::FollowUps => Unit::FollowUps,
            _ => Unit::People,
        }
    }

    /// Whether its rows add up to its total (one row per person or thing).
    pub fn adds_up(&self) -> bool {
        !matches!(self, PanelId::ExploitationType | PanelId::MeansOfControl)
    }

    /// Whether its rows are whatever values occur (countries, partners) rather than a fixed list.
    pub(crate) fn open_ended(&self) -> bool {
        matches!(
            self,
            PanelId::Citizenship | PanelId::ExploitationCountry | PanelId::ReferralPartner
        )
    }

    /// The code list its keys come from, for the screen's labels.
    pub fn code_list(&self) -> Option<&'static str> {
        match self {
            PanelId::TraffickingStatus => Some("trafficking_status"),
            PanelId::Gender => Some("gender"),
            PanelId::ExploitationType => Some("exploitation_type"),
            PanelId::MeansOfControl => Some("means_of_control"),
            PanelId::Citizenship | PanelId::ExploitationCountry => {
                Some(hearth_records::codes::COUNTRY)
            }
            PanelId::CaseStatus => Some("case_status"),
            PanelId::ServiceType => Some("support_type"),
            PanelId::ServiceStatus => Some("service_status"),
            PanelId::ReferralOutcome => Some("referral_status"),
            PanelId::DeclineReason => Some("referral_decline_reason"),
            _ => None,
        }
    }
}

/// What a panel counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PanelUnit.ts"))]
pub enum Unit {
    /// People (one case each).
    People,
    /// Cases.
    Cases,
    /// Services.
    Services,
    /// Referrals.
    Referrals,
    /// Follow-ups.
    FollowUps,
}

/// One row of a panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PanelRow.ts"))]
pub struct PanelRow {
    /// A code of the panel's list, a month (`YYYY-MM`), a band, a partner's id; [`NOT_RECORDED`]
    /// or [`OTHER`].
    pub key: String,
    /// A name to show for the key where no code list has one (a partner's name).
    pub label: Option<String>,
    /// The count.
    pub count: Count,
}

/// One panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Panel.ts"))]
pub struct Panel {
    /// Which panel.
    pub id: PanelId,
    /// What it counts.
    pub unit: Unit,
    /// Whether its rows add up to the total.
    pub adds_up: bool,
    /// The code list of its keys, if any.
    pub code_list: Option<String>,
    /// Its rows.
    pub rows: Vec<PanelRow>,
    /// How many people, cases, services, referrals or follow-ups it describes.
    pub total: Count,
}

/// A report's panels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Statistics.ts"))]
pub struct Statistics {
    /// The period and site.
    pub scope: Scope,
    /// The k small counts were hidden below (an export), or `None` (exact counts).
    pub k: Option<u32>,
    /// The cases counted.
    pub cases: Count,
    /// Cases in the scope without consent to anonymous statistics: counted on screen, left out
    /// of every export.
    pub without_consent: Count,
    /// The sites the vault holds cases of (for choosing one).
    pub sites: Vec<String>,
    /// The panels.
    pub panels: Vec<Panel>,
}

/// The CTDC's age bands (ageBroad), which the dashboard uses too.
pub const AGE_BANDS: &[(u32, u32, &str)] = &[
    (0, 8, "0--8"),
    (9, 17, "09--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, u32::MAX, "48+"),
];

/// The band an age falls in.
pub fn age_band(age: i64) -> &'static str {
    let age = u32::try_from(age.max(0)).unwrap_or(0);
    AGE_BANDS
        .iter()
        .find(|(low, high, _)| (*low..=*high).contains(&age))
        .map(|(_, _, band)| *band)
        .unwrap_or("48+")
}

/// Primero's buckets of days from a case's opening to its closure.
pub const CLOSURE_BUCKETS: &[(i64, i64, &str)] = &[
    (i64::MIN, 30, "0-30"),
    (31, 90, "31-90"),
    (91, 180, "91-180"),
    (181, i64::MAX, "181+"),
];

pub(crate) fn closure_bucket(days: i64) -> &'static str {
    CLOSURE_BUCKETS
        .iter()
        .find(|(low, high, _)| (*low..=*high).contains(&days))
        .map(|(_, _, bucket)| *bucket)
        .unwrap_or("181+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fall_in_the_ctdc_bands() {
        assert_eq!(age_band(0), "0--8");
        assert_eq!(age_band(8), "0--8");
        assert_eq!(age_band(9), "09--17");
        assert_eq!(age_band(17), "09--17");
        assert_eq!(age_band(18), "18--20");
        assert_eq!(age_band(38), "30--38");
        assert_eq!(age_band(48), "48+");
        assert_eq!(age_band(120), "48+");
    }

    #[test]
    fn closures_fall_in_primeros_buckets() {
        assert_eq!(closure_bucket(0), "0-30");
        assert_eq!(closure_bucket(30), "0-30");
        assert_eq!(closure_bucket(31), "31-90");
        assert_eq!(closure_bucket(180), "91-180");
        assert_eq!(closure_bucket(181), "181+");
    }
}
