//! The code lists (vocabularies) that coded fields take their values from, with labels in every
//! UI language. They are data files under `assets/code-lists/`, compiled in: HTCDS 2.0 picklists
//! (stored codes are HTCDS value names) and Hearth's own lists in `htcds.json`, ISO 3166-1
//! countries and ISO 639-2/T languages in their own files.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// One value of a code list: the stored code and its label in each UI language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "Code.ts"))]
pub struct Code {
    /// What is stored (an HTCDS value name, an ISO code, or one of Hearth's own).
    pub code: String,
    /// English label.
    pub en: String,
    /// Albanian label.
    pub sq: String,
    /// Serbian label (Latin script).
    pub sr: String,
}

/// A code list and where its values come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "CodeList.ts"))]
pub struct CodeList {
    /// The standard and field it follows ("HTCDS 2.0 prs_Gender", "ISO 3166-1 ...", "Hearth").
    pub source: String,
    /// Its values, in the order forms offer them.
    pub values: Vec<Code>,
}

/// The list of countries (ISO 3166-1 alpha-2).
pub const COUNTRY: &str = "country";
/// The list of languages (ISO 639-2/T).
pub const LANGUAGE: &str = "language";

static CODE_LISTS: LazyLock<BTreeMap<String, CodeList>> = LazyLock::new(|| {
    // The files are compiled in and checked by the tests below, so a parse failure here is a
    // build that no test passed.
    let mut lists: BTreeMap<String, CodeList> =
        serde_json::from_str(include_str!("../../../assets/code-lists/htcds.json"))
            .unwrap_or_default();
    for (name, text) in [
        (
            COUNTRY,
            include_str!("../../../assets/code-lists/countries.json"),
        ),
        (
            LANGUAGE,
            include_str!("../../../assets/code-lists/languages.json"),
        ),
    ] {
        if let Ok(list) = serde_json::from_str(text) {
            lists.insert(name.to_owned(), list);
        }
    }
    lists
});

/// Every code list, by name.
pub fn code_lists() -> &'static BTreeMap<String, CodeList> {
    &CODE_LISTS
}

/// Whether `code` is in the list called `list`.
pub fn is_code_in(list: &str, code: &str) -> bool {
    CODE_LISTS
        .get(list)
        .is_some_and(|values| values.values.iter().any(|value| value.code == code))
}

/// Every code of a list, in order (for the demo data generator and tests).
pub fn codes_of(list: &str) -> Vec<&'static str> {
    CODE_LISTS
        .get(list)
        .map(|values| values.values.iter().map(|v| v.code.as_str()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_every_value_has_every_label() {
        let htcds: BTreeMap<String, CodeList> =
            serde_json::from_str(include_str!("../../../assets/code-lists/htcds.json")).unwrap();
        assert!(htcds.len() >= 20);
        let countries: CodeList =
            serde_json::from_str(include_str!("../../../assets/code-lists/countries.json"))
                .unwrap();
        let languages: CodeList =
            serde_json::from_str(include_str!("../../../assets/code-lists/languages.json"))
                .unwrap();
        assert!(countries.values.len() > 240);
        assert!(languages.values.len() > 150);
        assert_eq!(code_lists().len(), htcds.len() + 2);
        for (name, list) in code_lists() {
            let mut codes: Vec<&str> = list.values.iter().map(|v| v.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.values.len(), "{name} repeats a code");
            for value in &list.values {
                for label in [&value.code, &value.en, &value.sq, &value.sr] {
                    assert!(!label.trim().is_empty(), "{name}/{}", value.code);
                }
            }
        }
    }

    #[test]
    fn lookups_find_htcds_and_iso_codes() {
        assert!(is_code_in("gender", "Feminine"));
        assert!(is_code_in(COUNTRY, "AL"));
        assert!(is_code_in(LANGUAGE, "sqi"));
        assert!(!is_code_in("gender", "feminine"));
        assert!(!is_code_in("no such list", "Feminine"));
    }
}
