//! The languages documents are printed in, and their texts: the UI's own catalogue (the part of it
//! in `ui/src/lib/i18n/documents/`, which the UI spreads into its catalogues), the code lists'
//! labels, and dates written as people of the language write them.
//!
//! Serbian is one catalogue in Latin script; Cyrillic is the same text transliterated
//! ([`crate::cyrillic`]), as Serbian's two scripts map letter for letter.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use hearth_records::codes::code_lists;

use crate::cyrillic::to_cyrillic;

/// A language (and, for Serbian, a script) a document is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "PrintLanguage.ts"))]
pub enum Language {
    /// English.
    #[default]
    #[serde(rename = "en")]
    English,
    /// Albanian.
    #[serde(rename = "sq")]
    Albanian,
    /// Serbian, Latin script.
    #[serde(rename = "sr")]
    SerbianLatin,
    /// Serbian, Cyrillic script.
    #[serde(rename = "sr-Cyrl")]
    SerbianCyrillic,
}

impl Language {
    /// Every language, for tests and menus.
    pub const ALL: [Language; 4] = [
        Language::English,
        Language::Albanian,
        Language::SerbianLatin,
        Language::SerbianCyrillic,
    ];

    /// The name typed on the command line and sent over IPC ("en", "sq", "sr", "sr-Cyrl").
    pub fn as_str(&self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Albanian => "sq",
            Language::SerbianLatin => "sr",
            Language::SerbianCyrillic => "sr-Cyrl",
        }
    }

    /// Reads a language as typed: "en", "sq", "sr" (or "sr-Latn"), "sr-Cyrl"; any case.
    pub fn parse(text: &str) -> Option<Language> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Language::English),
            "sq" => Some(Language::Albanian),
            "sr" | "sr-latn" => Some(Language::SerbianLatin),
            "sr-cyrl" => Some(Language::SerbianCyrillic),
            _ => None,
        }
    }

    /// The BCP 47 tag a PDF declares as its language.
    pub fn tag(&self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Albanian => "sq",
            Language::SerbianLatin => "sr-Latn",
            Language::SerbianCyrillic => "sr-Cyrl",
        }
    }

    /// The text of `key`, with each `{name}` replaced by its value in `params`. A key missing
    /// from the catalogue prints as the key (a test checks that every key used exists).
    pub fn text(&self, key: &str, params: &[(&str, &str)]) -> String {
        let template = catalogue(*self).get(key).map(String::as_str).unwrap_or(key);
        let template = self.script(template);
        fill(&template, params)
    }

    /// A code's label from its code list ("Feminine" is "Femër" in Albanian); an unknown code
    /// prints as stored.
    pub fn code_label(&self, list: &str, code: &str) -> String {
        let label = code_lists()
            .get(list)
            .and_then(|values| values.values.iter().find(|value| value.code == code))
            .map(|value| match self {
                Language::English => value.en.as_str(),
                Language::Albanian => value.sq.as_str(),
                Language::SerbianLatin | Language::SerbianCyrillic => value.sr.as_str(),
            });
        match label {
            Some(label) => self.script(label),
            None => code.to_owned(),
        }
    }

    /// A calendar day (`YYYY-MM-DD`) as the language writes it ("14 March 2026",
    /// "14. marta 2026."); anything else as it is.
    pub fn date(&self, day: &str) -> String {
        let Ok(date) = day.parse::<jiff::civil::Date>() else {
            return day.to_owned();
        };
        let month = self.text(&format!("document.month.{}", date.month()), &[]);
        self.text(
            "document.date",
            &[
                ("day", &date.day().to_string()),
                ("month", &month),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// Catalogue text in this language's script.
    fn script(&self, text: &str) -> String {
        match self {
            Language::SerbianCyrillic => to_cyrillic(text),
            _ => text.to_owned(),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Replaces each `{name}` of `template` with its value; an unknown `{name}` stays as written (as
/// the UI's `format` does).
fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let replaced = after.find('}').and_then(|close| {
            let name = &after[1..close];
            params
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (close, *value))
        });
        match replaced {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

type Texts = BTreeMap<String, String>;

static CATALOGUES: LazyLock<[Texts; 3]> = LazyLock::new(|| {
    // Compiled in and parsed by a test, so a broken file is a build no test passed.
    let parse = |text: &str| serde_json::from_str::<Texts>(text).unwrap_or_default();
    [
        parse(include_str!("../../../ui/src/lib/i18n/documents/en.json")),
        parse(include_str!("../../../ui/src/lib/i18n/documents/sq.json")),
        parse(include_str!("../../../ui/src/lib/i18n/documents/sr.json")),
    ]
});

fn catalogue(language: Language) -> &'static Texts {
    let [en, sq, sr] = &*CATALOGUES;
    match language {
        Language::English => en,
        Language::Albanian => sq,
        Language::SerbianLatin | Language::SerbianCyrillic => sr,
    }
}

/// Whether the catalogue of `language` has `key` (for tests of the documents' keys).
pub fn has_text(language: Language, key: &str) -> bool {
    catalogue(language).contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_catalogues_parse_and_have_the_same_keys() {
        let [en, sq, sr] = &*CATALOGUES;
        assert!(en.len() > 100, "{}", en.len());
        let keys = |texts: &Texts| texts.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(en), keys(sq));
        assert_eq!(keys(en), keys(sr));
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            fill("Page {page} of {pages}", &[("page", "1"), ("pages", "3")]),
            "Page 1 of 3"
        );
        assert_eq!(fill("{a} {b} {", &[("a", "x")]), "x {b} {");
        assert_eq!(
            Language::SerbianCyrillic.text("document.page", &[("page", "2"), ("pages", "5")]),
            "Страна 2 од 5"
        );
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        assert_eq!(Language::English.date("2026-03-14"), "14 March 2026");
        assert_eq!(Language::Albanian.date("2026-03-14"), "14 mars 2026");
        assert_eq!(Language::SerbianLatin.date("2026-03-04"), "4. marta 2026.");
        assert_eq!(
            Language::SerbianCyrillic.date("2026-12-01"),
            "1. децембра 2026."
        );
        assert_eq!(Language::English.date("not a date"), "not a date");
    }

    #[test]
    fn code_labels_come_from_the_code_lists_in_the_language() {
        assert_eq!(Language::English.code_label("country", "AL"), "Albania");
        assert_eq!(Language::Albanian.code_label("country", "AL"), "Shqipëri");
        assert_eq!(
            Language::SerbianCyrillic.code_label("country", "RS"),
            "Србија"
        );
        assert_eq!(
            Language::English.code_label("gender", "NoSuchCode"),
            "NoSuchCode"
        );
    }

    #[test]
    fn languages_read_back() {
        for language in Language::ALL {
            assert_eq!(Language::parse(language.as_str()), Some(language));
        }
        assert_eq!(Language::parse("SR-latn"), Some(Language::SerbianLatin));
        assert_eq!(Language::parse("de"), None);
    }
}
