//! Synthetic case records for demo mode and the benchmark: invented people with names from the
//! region's languages (Albanian, Serbian, Bosnian, Macedonian, Romanian, Ukrainian) and from
//! countries many trafficked people come from, every code list used somewhere. Deterministic for a
//! seed, so a benchmark run and its baseline see the same data. No real person is in here.

use serde_json::{json, Map, Value};

use super::codes::{codes_of, COUNTRY, LANGUAGE};
use super::dates::{today_since_epoch, Date};
use super::{CaseDraft, RecordKind};

/// (given names, family names, citizenship, language) of one origin.
struct Origin {
    given: &'static [&'static str],
    family: &'static [&'static str],
    country: &'static str,
    language: &'static str,
}

const ORIGINS: &[Origin] = &[
    Origin {
        given: &[
            "Arbëresha",
            "Blerta",
            "Drita",
            "Elira",
            "Fjolla",
            "Arbër",
            "Besnik",
            "Gëzim",
            "Mirela",
            "Shpresa",
            "Ilir",
            "Lule",
        ],
        family: &[
            "Hoxha", "Krasniqi", "Gashi", "Berisha", "Shehu", "Çela", "Dervishi", "Leka",
            "Mërkuri", "Zeneli",
        ],
        country: "AL",
        language: "sqi",
    },
    Origin {
        given: &[
            "Dragića", "Jelena", "Milica", "Snežana", "Đurđa", "Ljiljana", "Nikola", "Đorđe",
            "Žaklina", "Vesna", "Stefan", "Teodora",
        ],
        family: &[
            "Petrović",
            "Jovanović",
            "Nikolić",
            "Đurić",
            "Marković",
            "Šćepanović",
            "Ilić",
            "Stojanović",
            "Pavlović",
            "Živković",
        ],
        country: "RS",
        language: "srp",
    },
    Origin {
        given: &[
            "Amra", "Lejla", "Emina", "Selma", "Adnan", "Edin", "Aida", "Mirza",
        ],
        family: &[
            "Hodžić",
            "Begović",
            "Delić",
            "Mehmedović",
            "Kovačević",
            "Hadžić",
        ],
        country: "BA",
        language: "bos",
    },
    Origin {
        given: &["Elena", "Marija", "Bisera", "Kiril", "Ana", "Despina"],
        family: &[
            "Stojanovska",
            "Trajkovska",
            "Petreska",
            "Angelov",
            "Ristovski",
        ],
        country: "MK",
        language: "mkd",
    },
    Origin {
        given: &[
            "Ioana",
            "Andreea",
            "Mihaela",
            "Ștefania",
            "Bogdan",
            "Cristina",
            "Răzvan",
        ],
        family: &[
            "Popescu",
            "Ionescu",
            "Dumitrescu",
            "Stănescu",
            "Constantin",
            "Munteanu",
        ],
        country: "RO",
        language: "ron",
    },
    Origin {
        given: &["Oksana", "Olena", "Iryna", "Natalia", "Taras", "Yuliia"],
        family: &[
            "Shevchenko",
            "Kovalenko",
            "Bondarenko",
            "Tkachenko",
            "Melnyk",
        ],
        country: "UA",
        language: "ukr",
    },
    Origin {
        given: &["Blessing", "Joy", "Precious", "Favour", "Chinwe", "Osas"],
        family: &["Okafor", "Eze", "Osagie", "Igbinosa", "Adeyemi"],
        country: "NG",
        language: "eng",
    },
    Origin {
        given: &["Thi Lan", "Ngoc Anh", "Van Minh", "Thu Trang", "Hoa"],
        family: &["Nguyen", "Tran", "Le", "Pham", "Hoang"],
        country: "VN",
        language: "vie",
    },
];

const LOCALITIES: &[&str] = &[
    "Elbasan",
    "Durrës",
    "Shkodër",
    "Niš",
    "Novi Sad",
    "Subotica",
    "Tuzla",
    "Bitola",
    "Iași",
    "Constanța",
    "Odesa",
    "Benin City",
    "Lagos",
    "Milano",
    "Thessaloniki",
    "Istanbul",
];

const NOTES: &[&str] = &[
    "First conversation with an interpreter present. She asked that her family not be contacted.",
    "Medical check done; follow-up with the clinic next week.",
    "Discussed options for return; no decision yet, will talk again after the hearing.",
    "Attended the vocational course twice this week.",
    "Called the legal aid office about the residence permit application.",
];

const FOLLOW_UPS: &[&str] = &[
    "Accompany to the clinic",
    "Call the legal aid office",
    "Check on the residence permit",
    "Visit the family placement",
    "Review the support plan",
];

/// A small, fast, seeded generator (SplitMix64): good enough for invented data, and the same
/// sequence on every machine.
#[derive(Debug, Clone)]
pub struct DemoGenerator {
    state: u64,
    today: i64,
}

impl DemoGenerator {
    /// A generator whose output depends only on `seed` (and today's date).
    pub fn new(seed: u64) -> Self {
        DemoGenerator {
            state: seed,
            today: today_since_epoch(),
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn some_of(&mut self, list: &str, most: usize) -> Vec<&'static str> {
        let codes = codes_of(list);
        let count = 1 + self.below(most);
        let mut chosen: Vec<&'static str> = Vec::new();
        for _ in 0..count {
            let code = codes[self.below(codes.len())];
            if !chosen.contains(&code) {
                chosen.push(code);
            }
        }
        chosen
    }

    fn code(&mut self, list: &str) -> &'static str {
        let codes = codes_of(list);
        codes[self.below(codes.len())]
    }

    /// A day `days` before today (negative: after).
    fn days_ago(&self, days: i64) -> String {
        Date::from_days_since_epoch(self.today - days).to_string()
    }

    /// A partner organisation for the directory.
    pub fn partner(&mut self, index: usize) -> Map<String, Value> {
        const NAMES: &[&str] = &[
            "Qendra për Ndihmë Ligjore",
            "Dom zdravlja Novi Grad",
            "Legal Aid Network",
            "Shelter Nadežda",
            "Municipal Social Services",
            "Border Police Liaison Office",
            "Vocational Training Centre",
            "Child Protection Unit",
        ];
        let name = format!("{} {}", NAMES[index % NAMES.len()], index / NAMES.len() + 1);
        let mut partner = object(json!({
            "name": name,
            "type": codes_of("organisation_type")[index % codes_of("organisation_type").len()],
            "contact": format!("+355 4 22{:05}", self.below(100_000)),
            "city": self.pick(LOCALITIES),
        }));
        partner.insert("country".into(), Value::from(self.code(COUNTRY)));
        partner
    }

    /// One invented case. With `partners` (directory ids), some cases carry a consent to and a
    /// referral to one of them; `full` adds services, notes and follow-ups as a worked case has.
    pub fn case(&mut self, partners: &[String], full: bool) -> CaseDraft {
        let origin = &ORIGINS[self.below(ORIGINS.len())];
        let age = 14 + self.below(30);
        let identified_days_ago = i64::try_from(self.below(3 * 365)).unwrap_or(0);
        let mut case = object(json!({
            "given_name": self.pick(origin.given),
            "family_name": self.pick(origin.family),
            "gender": if self.chance(80) { "Feminine" } else { self.code("gender") },
            "citizenships": [origin.country],
            "languages": [origin.language],
            "trafficking_status": self.code("trafficking_status"),
            "status_decided_by": self.code("status_decided_by"),
            "date_identified": self.days_ago(identified_days_ago),
            "identified_by": self.code("organisation_type"),
            "risk_level": self.code("risk_level"),
            "exploitation_types": self.some_of("exploitation_type", 2),
            "means_of_control": self.some_of("means_of_control", 4),
            "recruitment_methods": self.some_of("recruitment_method", 2),
            "relation_to_recruiter": self.code("relation_to_recruiter"),
            "vulnerabilities": self.some_of("vulnerability", 3),
            "trafficking_events": [
                {"type": "Recruitment", "country": origin.country, "locality": self.pick(LOCALITIES),
                 "date": self.days_ago(identified_days_ago + 200)},
                {"type": "Exploitation", "country": self.code(COUNTRY), "locality": self.pick(LOCALITIES),
                 "date": self.days_ago(identified_days_ago + 30)},
            ],
        }));
        if self.chance(60) {
            let born = Date::from_days_since_epoch(
                self.today - i64::try_from(age * 365 + self.below(300)).unwrap_or(0),
            );
            case.insert("birth_date".into(), Value::from(born.to_string()));
        } else {
            case.insert("estimated_age".into(), Value::from(age));
        }
        if self.chance(30) {
            // A short form of another name from the same language, as nicknames often are.
            let short: String = self.pick(origin.given).chars().take(3).collect();
            case.insert("aliases".into(), json!([format!("{short}a")]));
        }
        if self.chance(40) {
            case.insert(
                "labour_industry".into(),
                Value::from(self.code("labour_industry")),
            );
            case.insert(
                "sexual_exploitation_types".into(),
                json!(self.some_of("sexual_exploitation_type", 2)),
            );
        }
        if self.chance(50) {
            case.insert(
                "identity_documents".into(),
                json!([{"type": self.code("identity_document_type"), "custody": self.code("document_custody")}]),
            );
            let second = self.code(LANGUAGE);
            if second != origin.language {
                case.insert("languages".into(), json!([origin.language, second]));
            }
        }
        if age < 18 {
            case.insert(
                "guardian".into(),
                Value::from("Municipal guardianship office"),
            );
            case.insert(
                "best_interests_notes".into(),
                Value::from("Best-interests assessment scheduled with the child protection unit."),
            );
        }
        if self.chance(20) {
            case.insert("status".into(), Value::from("FollowUp"));
        }

        let mut children = Vec::new();
        let consent = |purpose: &str, decision: &str, date: String, method: &str| {
            object(
                json!({"purpose": purpose, "decision": decision, "date": date, "method": method}),
            )
        };
        children.push((
            RecordKind::Consent,
            consent(
                "Services",
                "Given",
                self.days_ago(identified_days_ago),
                self.code("consent_method"),
            ),
        ));
        if full {
            let sharing = if self.chance(85) {
                "Given"
            } else {
                self.code("consent_decision")
            };
            children.push((
                RecordKind::Consent,
                consent(
                    "SharingWithinOrganisation",
                    sharing,
                    self.days_ago(identified_days_ago),
                    "Signed",
                ),
            ));
            children.push((
                RecordKind::Consent,
                consent(
                    "AnonymousStatistics",
                    "Given",
                    self.days_ago(identified_days_ago),
                    "Verbal",
                ),
            ));
            if !partners.is_empty() && self.chance(50) {
                let partner = partners[self.below(partners.len())].clone();
                let mut referral_consent = consent(
                    "ReferralToPartner",
                    "Given",
                    self.days_ago(identified_days_ago / 2),
                    "Signed",
                );
                referral_consent.insert("partner".into(), Value::from(partner.as_str()));
                children.push((RecordKind::Consent, referral_consent));
                children.push((
                    RecordKind::Referral,
                    object(json!({
                        "direction": "Outgoing",
                        "partner": partner,
                        "reason": self.code("referral_reason"),
                        "date": self.days_ago(identified_days_ago / 2),
                        "status": self.code("referral_status"),
                    })),
                ));
            }
            for _ in 0..1 + self.below(3) {
                children.push((
                    RecordKind::Service,
                    object(json!({
                        "type": self.code("support_type"),
                        "provider": "Shelter team",
                        "start_date": self.days_ago(identified_days_ago / 2),
                        "status": self.code("service_status"),
                    })),
                ));
            }
            for _ in 0..1 + self.below(2) {
                children.push((RecordKind::Note, object(json!({"text": self.pick(NOTES)}))));
            }
            if self.chance(60) {
                let due = i64::try_from(self.below(60)).unwrap_or(0) - 20;
                children.push((
                    RecordKind::FollowUp,
                    object(json!({"due_date": self.days_ago(due), "description": self.pick(FOLLOW_UPS)})),
                ));
            }
        }
        CaseDraft { case, children }
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
