//! The search key of a name: what "Dragica" and "Dragića", "Arber" and "Arbër", "Драгица" and
//! "dragica" have in common. Names and case numbers are folded into terms stored in the
//! `search_terms` table inside the encrypted database; a query is folded the same way and each of
//! its words must be the start of some term of the case.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for matching: lowercase, accents and other combining marks removed, Serbian
/// Cyrillic written in Latin letters, and the few letters that carry no combining mark (đ, ł, ß,
/// æ, ø) spelled plainly.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        for lower in c.to_lowercase() {
            match plain_spelling(lower) {
                Some(spelled) => folded.push_str(spelled),
                None => folded.push(lower),
            }
        }
    }
    folded
}

/// Letters whose plain spelling is not their base letter plus marks. Serbian Cyrillic follows
/// the official Latin alphabet (ђ = đ, ћ = ć, ...) and then drops marks like the Latin letters do.
fn plain_spelling(c: char) -> Option<&'static str> {
    Some(match c {
        'đ' => "d",
        'ł' => "l",
        'ß' => "ss",
        'æ' => "ae",
        'ø' => "o",
        'ı' => "i",
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "d",
        'е' => "e",
        'ж' => "z",
        'з' => "z",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "c",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "c",
        'џ' => "dz",
        'ш' => "s",
        _ => return None,
    })
}

/// The words of a text, folded: what a name is indexed under and what a query looks for.
/// Anything that is not a letter or a digit separates words ("TIR-2026-0042" is three words).
pub fn terms(text: &str) -> Vec<String> {
    let text = compose(text);
    let mut terms: Vec<String> = words(&fold(&text)).map(str::to_owned).collect();
    // Đ is written "Dj" as often as "D" ("Đorđe", "Djordje"): index both spellings.
    let with_dj: Vec<String> = words(&text)
        .filter(|word| word.chars().any(|c| matches!(c, 'đ' | 'Đ' | 'ђ' | 'Ђ')))
        .map(|word| fold(&word.replace(['đ', 'ђ'], "dj").replace(['Đ', 'Ђ'], "Dj")))
        .collect();
    terms.extend(with_dj);
    terms.sort();
    terms.dedup();
    terms
}

/// The words of a search, each with its spellings: a case matches when, for every word, one of
/// its spellings starts a term of the case ("Đorđe" is looked up as "dorde" or "djordje").
pub fn query_words(text: &str) -> Vec<Vec<String>> {
    let text = compose(text);
    words(&text)
        .map(|word| {
            let mut spellings = terms(word);
            spellings.dedup();
            spellings
        })
        .filter(|spellings| !spellings.is_empty())
        .collect()
}

/// Text in its composed compatibility form (NFKC): "e" and a combining diaeresis become "ë", a
/// full-width "Ｄ" becomes "D", "ﬁ" becomes "fi". Whatever keyboard or input method typed a name
/// or a query, it is then one spelling, and no word is cut at a combining mark.
fn compose(text: &str) -> String {
    text.nfkc().collect()
}

/// The words of a text: runs of letters and digits, with the marks that belong to them (a mark
/// with no composed form, such as "g̃", stays in its word).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|word| !word.is_empty())
}

/// The smallest string greater than every string that starts with `prefix`, for a range scan of
/// the term index (`term >= prefix AND term < upper`).
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_case_do_not_matter() {
        assert_eq!(fold("Dragića"), "dragica");
        assert_eq!(fold("ARBËR"), "arber");
        assert_eq!(fold("Çela"), "cela");
        assert_eq!(fold("Šćepanović"), "scepanovic");
        assert_eq!(fold("Žaklina Đurić"), "zaklina duric");
    }

    #[test]
    fn serbian_cyrillic_reads_as_latin() {
        assert_eq!(fold("Драгица"), "dragica");
        assert_eq!(fold("Љубица Њего Џајић"), "ljubica njego dzajic");
    }

    #[test]
    fn words_are_split_on_anything_but_letters_and_digits() {
        assert_eq!(terms("TIR-2026-0042"), ["0042", "2026", "tir"]);
        assert_eq!(
            terms("  Marie-Anne  O'Neil "),
            ["anne", "marie", "neil", "o"]
        );
    }

    #[test]
    fn dj_is_indexed_as_well_as_d() {
        assert_eq!(terms("Đorđe"), ["djordje", "dorde"]);
    }

    #[test]
    fn a_query_word_with_dj_has_two_spellings() {
        assert_eq!(
            query_words("Đorđe ana"),
            [
                vec!["djordje".to_owned(), "dorde".to_owned()],
                vec!["ana".to_owned()]
            ]
        );
    }

    #[test]
    fn composed_and_decomposed_letters_search_alike() {
        // NFC, NFD, and compatibility forms (full-width letters, a ligature) of each name.
        for (composed, other) in [
            ("Dragića", "Dragic\u{301}a"),
            ("Ëlirë", "E\u{308}lire\u{308}"),
            ("Çelaj", "C\u{327}elaj"),
            ("Јовановић", "Јовановић".nfd().collect::<String>().as_str()),
            ("آمال", "\u{627}\u{653}\u{645}\u{627}\u{644}"),
            (
                "Dragica",
                "\u{ff24}\u{ff52}\u{ff41}\u{ff47}\u{ff49}\u{ff43}\u{ff41}",
            ),
            ("Rafiq", "Ra\u{fb01}q"),
        ] {
            assert_eq!(terms(other), terms(composed), "{other:?}");
            assert_eq!(query_words(other), query_words(composed), "{other:?}");
            assert_eq!(query_words(other).len(), 1, "{other:?} is one word");
        }
        // A mark with no composed form stays in its word.
        assert_eq!(terms("Ag\u{303}ata"), ["agata"]);
    }

    #[test]
    fn the_upper_bound_is_above_every_completion() {
        let upper = prefix_upper_bound("drag");
        assert!("dragica" < upper.as_str());
        assert!("drah" > upper.as_str());
        assert!("drag" < upper.as_str());
    }
}
