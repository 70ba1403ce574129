//! A case summary as a document: the printable one from the case page (every section), and the
//! one a referral packet carries (the sections chosen, with the referral's header). A section left
//! out contributes nothing, not even its heading: its fields are absent, not blank.

use serde_json::{Map, Value};

use hearth_records::fields::{FieldKind, FieldSpec};
use hearth_records::{CaseFile, RecordKind, Section};

use crate::layout::{Block, Document};
use crate::Language;

/// What a case summary is made from.
#[derive(Debug, Clone)]
pub struct SummaryInput<'a> {
    /// The case and everything attached to it, as the person printing it may see it.
    pub file: &'a CaseFile,
    /// The sections to print, in any order (they print in [`Section::all`]'s).
    pub sections: &'a [Section],
    /// The language and script.
    pub language: Language,
    /// The organisation and site the vault belongs to.
    pub organisation: &'a str,
    /// This laptop's site.
    pub site: &'a str,
    /// The name of the person printing or sending it.
    pub printed_by: &'a str,
    /// Today, `YYYY-MM-DD`, on this laptop's calendar.
    pub today: &'a str,
    /// For a referral packet: who it is for and what it relies on.
    pub referral: Option<ReferralHeader<'a>>,
}

/// The head of a referral packet's summary.
#[derive(Debug, Clone)]
pub struct ReferralHeader<'a> {
    /// The packet's id.
    pub packet_id: &'a str,
    /// The partner organisation's name.
    pub partner: &'a str,
    /// The referral being sent (its id in `file.referrals`).
    pub referral_id: &'a str,
    /// What the sending relies on.
    pub consent: ConsentBasis<'a>,
    /// The last day the partner should keep it, `YYYY-MM-DD`.
    pub expires: &'a str,
    /// The sections a referral may carry that this one does not.
    pub left_out: &'a [Section],
}

/// Why a case may leave for a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentBasis<'a> {
    /// The person's consent to a referral to this partner, given on this day.
    Given {
        /// `YYYY-MM-DD`.
        date: &'a str,
    },
    /// A supervisor's override, with its reason.
    Override {
        /// The reason written.
        reason: &'a str,
    },
}

/// The case summary as a document to render.
pub fn case_summary(input: &SummaryInput<'_>) -> Document {
    let language = input.language;
    let text = |key: &str, params: &[(&str, &str)]| language.text(key, params);
    let file = input.file;
    let number = file.case.fields.case_number.clone().unwrap_or_default();
    let mut blocks = Vec::new();
    let mut subtitle = vec![text("summary.case", &[("number", &number)])];
    let title = match &input.referral {
        Some(header) => {
            subtitle.push(text("packet.id", &[("id", header.packet_id)]));
            text("packet.title", &[("partner", header.partner)])
        }
        None => text("summary.title", &[]),
    };
    subtitle.push(text(
        "document.printed",
        &[
            ("date", &language.date(input.today)),
            ("name", input.printed_by),
            ("organisation", input.organisation),
        ],
    ));
    if let Some(header) = &input.referral {
        blocks.push(Block::Paragraph(text(
            "packet.from",
            &[("organisation", input.organisation), ("site", input.site)],
        )));
        blocks.push(Block::Paragraph(match header.consent {
            ConsentBasis::Given { date } => {
                text("packet.consentGiven", &[("date", &language.date(date))])
            }
            ConsentBasis::Override { reason } => {
                text("packet.consentOverride", &[("reason", reason)])
            }
        }));
        blocks.push(Block::Paragraph(text(
            "packet.expires",
            &[("date", &language.date(header.expires))],
        )));
        if !header.left_out.is_empty() {
            let names: Vec<String> = header
                .left_out
                .iter()
                .map(|section| text(&section_key(*section), &[]))
                .collect();
            blocks.push(Block::Paragraph(text(
                "packet.leftOut",
                &[("sections", &names.join(", "))],
            )));
        }
    }
    let render = Render { input };
    for section in Section::all().filter(|section| input.sections.contains(section)) {
        let body = render.section(section);
        if body.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(text(&section_key(section), &[])));
        blocks.extend(body);
    }
    Document {
        title,
        subtitle,
        blocks,
        footer: text("document.confidential", &[]),
        page_label: text("document.page", &[]),
        language: language.tag().to_owned(),
    }
}

/// The catalogue key of a section's heading.
pub fn section_key(section: Section) -> String {
    format!("section.{}", section.as_str())
}

struct Render<'a, 'b> {
    input: &'b SummaryInput<'a>,
}

impl Render<'_, '_> {
    fn language(&self) -> Language {
        self.input.language
    }

    fn label(&self, name: &str) -> String {
        self.language().text(&format!("field.{name}"), &[])
    }

    fn section(&self, section: Section) -> Vec<Block> {
        let file = self.input.file;
        let mut blocks = Vec::new();
        let case_fields = as_map(&file.case.fields);
        for name in section.case_fields() {
            if let Some(block) = self.field(RecordKind::Case, &case_fields, name) {
                blocks.push(block);
            }
        }
        match section {
            Section::Identity => {
                // The age today, from the birth date or else the estimate (which it replaces).
                if let Some(age) = file.age {
                    let estimated = self.label("estimated_age");
                    blocks.retain(
                        |block| !matches!(block, Block::Field { label, .. } if *label == estimated),
                    );
                    let key = if file.case.fields.birth_date.is_some() {
                        "document.age"
                    } else {
                        "document.estimated"
                    };
                    blocks.push(Block::Field {
                        label: self.language().text("document.ageLabel", &[]),
                        value: self.language().text(key, &[("age", &age.to_string())]),
                    });
                }
            }
            Section::ShelterContact => {
                let owner = file
                    .case
                    .fields
                    .owner
                    .as_ref()
                    .and_then(|id| file.people.get(id))
                    .cloned()
                    .unwrap_or_else(|| self.input.printed_by.to_owned());
                for (key, value) in [
                    ("packet.organisation", self.input.organisation),
                    ("packet.site", self.input.site),
                    ("packet.caseworker", owner.as_str()),
                ] {
                    blocks.push(Block::Field {
                        label: self.language().text(key, &[]),
                        value: value.to_owned(),
                    });
                }
            }
            Section::Referral => {
                let referrals = file.referrals.iter().filter(|referral| {
                    self.input
                        .referral
                        .as_ref()
                        .is_none_or(|header| header.referral_id == referral.id)
                });
                // A packet names its own referral; the printed summary lists every one.
                let names: &[&str] = match self.input.referral {
                    Some(_) => &["partner", "reason", "date", "details"],
                    None => &[
                        "direction",
                        "partner",
                        "reason",
                        "date",
                        "status",
                        "decline_reason",
                        "details",
                    ],
                };
                for referral in referrals {
                    let fields = as_map(&referral.fields);
                    if self.input.referral.is_none() {
                        blocks.push(Block::Space(4.0));
                    }
                    for name in names {
                        blocks.extend(self.field(RecordKind::Referral, &fields, name));
                    }
                }
            }
            Section::Services => {
                for service in &file.services {
                    let fields = as_map(&service.fields);
                    blocks.push(Block::Space(4.0));
                    for name in [
                        "type",
                        "status",
                        "provider",
                        "start_date",
                        "end_date",
                        "notes",
                    ] {
                        blocks.extend(self.field(RecordKind::Service, &fields, name));
                    }
                }
            }
            Section::Consents => {
                for consent in &file.current_consents {
                    let fields = as_map(&consent.fields);
                    blocks.push(Block::Space(4.0));
                    for name in ["purpose", "partner", "decision", "date", "method"] {
                        blocks.extend(self.field(RecordKind::Consent, &fields, name));
                    }
                }
            }
            Section::Notes => {
                for note in &file.notes {
                    let author = note
                        .fields
                        .created_by
                        .as_ref()
                        .and_then(|id| file.people.get(id))
                        .map(String::as_str)
                        .unwrap_or("");
                    let day = local_day(note.created_ms);
                    blocks.push(Block::Meta(format!(
                        "{} · {author}",
                        self.language().date(&day)
                    )));
                    blocks.push(Block::Paragraph(
                        note.fields.text.clone().unwrap_or_default(),
                    ));
                }
            }
            _ => {}
        }
        blocks
    }

    /// A field as a label and value row; `None` when it has no value.
    fn field(&self, kind: RecordKind, fields: &Map<String, Value>, name: &str) -> Option<Block> {
        let spec = kind.fields().iter().find(|spec| spec.name == name)?;
        let value = fields.get(name).filter(|value| !value.is_null())?;
        let shown = self.value(spec, value)?;
        Some(Block::Field {
            label: self.label(name),
            value: shown,
        })
    }

    fn value(&self, spec: &FieldSpec, value: &Value) -> Option<String> {
        let language = self.language();
        let file = self.input.file;
        let texts = || -> Vec<&str> {
            value
                .as_array()
                .map(|items| items.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default()
        };
        let shown = match spec.kind {
            FieldKind::Code(list) => language.code_label(list, value.as_str()?),
            FieldKind::Codes(list) => texts()
                .into_iter()
                .map(|code| language.code_label(list, code))
                .collect::<Vec<_>>()
                .join(", "),
            FieldKind::PastDate | FieldKind::BirthDate | FieldKind::AnyDate => {
                language.date(value.as_str()?)
            }
            FieldKind::Account => file.people.get(value.as_str()?)?.clone(),
            FieldKind::Accounts => texts()
                .into_iter()
                .filter_map(|id| file.people.get(id).cloned())
                .collect::<Vec<_>>()
                .join(", "),
            FieldKind::Partner => file.partners.get(value.as_str()?)?.clone(),
            FieldKind::TextList => texts().join(", "),
            FieldKind::Age => value.as_u64()?.to_string(),
            FieldKind::Flag => language.text(
                if value.as_bool()? {
                    "document.yes"
                } else {
                    "document.no"
                },
                &[],
            ),
            FieldKind::Documents => self.entries(
                value,
                &[
                    ("type", Some("identity_document_type")),
                    ("custody", Some("document_custody")),
                    ("details", None),
                ],
            ),
            FieldKind::Events => self.entries(
                value,
                &[
                    ("type", Some("trafficking_event_type")),
                    ("locality", None),
                    ("country", Some("country")),
                    ("date", None),
                ],
            ),
            FieldKind::Text(_) | FieldKind::LongText => value.as_str()?.to_owned(),
            // Ids of other records and keys: nothing a reader could use.
            FieldKind::RecordRef | FieldKind::RecordRefs | FieldKind::AgeRecipient => return None,
        };
        (!shown.is_empty()).then_some(shown)
    }

    /// Entries of a list of objects (documents, events), one per line, parts by comma.
    fn entries(&self, value: &Value, parts: &[(&str, Option<&str>)]) -> String {
        let language = self.language();
        let lines: Vec<String> = value
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                parts
                    .iter()
                    .filter_map(|(name, list)| {
                        let text = entry.get(name)?.as_str()?;
                        Some(match (list, *name) {
                            (Some(list), _) => language.code_label(list, text),
                            (None, "date") => language.date(text),
                            (None, _) => text.to_owned(),
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        lines.join("\n")
    }
}

fn as_map(fields: &impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(fields) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The day of an instant on this laptop's calendar, `YYYY-MM-DD`.
fn local_day(ms: u64) -> String {
    let Ok(ms) = i64::try_from(ms) else {
        return String::new();
    };
    jiff::Timestamp::from_millisecond(ms)
        .map(|at| at.to_zoned(jiff::tz::TimeZone::system()).date().to_string())
        .unwrap_or_default()
}
