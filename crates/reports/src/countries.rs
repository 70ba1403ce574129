//! Countries as exports write them: ISO 3166-1 alpha-3 (Hearth stores alpha-2), and the UN M49
//! sub-region a country is generalised to when it would single someone out. The table is data,
//! `assets/code-lists/country-regions.json`, compiled in.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Country {
    alpha3: String,
    region: String,
}

#[derive(Debug, Deserialize)]
struct Table {
    countries: BTreeMap<String, Country>,
}

static TABLE: LazyLock<BTreeMap<String, Country>> = LazyLock::new(|| {
    // Compiled in and checked by the test below: a parse failure is a build no test passed.
    serde_json::from_str::<Table>(include_str!(
        "../../../assets/code-lists/country-regions.json"
    ))
    .map(|table| table.countries)
    .unwrap_or_default()
});

/// The alpha-3 code of an alpha-2 code Hearth stores.
pub fn alpha3(alpha2: &str) -> Option<&'static str> {
    TABLE.get(alpha2).map(|country| country.alpha3.as_str())
}

/// The UN M49 sub-region of an alpha-2 code ("Southern Europe").
pub fn region(alpha2: &str) -> Option<&'static str> {
    TABLE.get(alpha2).map(|country| country.region.as_str())
}

/// Every alpha-3 code and every region name, the values a country column of an export may hold.
pub fn every_form() -> impl Iterator<Item = &'static str> {
    TABLE
        .values()
        .flat_map(|country| [country.alpha3.as_str(), country.region.as_str()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_hearth_stores_has_a_code_and_a_region() {
        let stored = hearth_records::codes::codes_of(hearth_records::codes::COUNTRY);
        assert!(stored.len() > 240);
        for code in stored {
            let three = alpha3(code).unwrap_or_else(|| panic!("{code} has no alpha-3 code"));
            assert!(three.len() == 3 && three.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(region(code).is_some_and(|r| !r.is_empty()), "{code}");
        }
        assert_eq!(alpha3("AL"), Some("ALB"));
        assert_eq!(alpha3("RS"), Some("SRB"));
        assert_eq!(alpha3("XK"), Some("XKX"));
        assert_eq!(region("AL"), Some("Southern Europe"));
        assert_eq!(region("DE"), Some("Western Europe"));
    }
}
