//! Serbian Latin to Cyrillic. The two scripts of Serbian map letter for letter, with three
//! digraphs (lj, nj, dž) that are one Cyrillic letter each. Placeholders (`{name}`) and the
//! product's name stay as they are.
//!
//! A digraph is always read as one letter here; the few words where "dž" is two letters across a
//! prefix (nadživeti) do not occur in Hearth's catalogue or code lists.

/// Words that stay in Latin script: names of products and standards.
const KEEP_LATIN: &[&str] = &["Hearth", "HTCDS", "PDF"];

/// `text` in Serbian Cyrillic.
pub fn to_cyrillic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            // A placeholder is copied through to its closing brace.
            while i < chars.len() {
                out.push(chars[i]);
                i += 1;
                if chars[i - 1] == '}' {
                    break;
                }
            }
            continue;
        }
        if let Some(word) = KEEP_LATIN
            .iter()
            .find(|word| starts_with(&chars[i..], word))
        {
            out.push_str(word);
            i += word.chars().count();
            continue;
        }
        let next = chars.get(i + 1).copied();
        if let Some(letter) = next.and_then(|next| digraph(c, next)) {
            out.push(letter);
            i += 2;
            continue;
        }
        out.push(letter(c).unwrap_or(c));
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], word: &str) -> bool {
    let mut n = 0;
    for (a, b) in chars.iter().zip(word.chars()) {
        if *a != b {
            return false;
        }
        n += 1;
    }
    n == word.chars().count() && !chars.get(n).is_some_and(|after| after.is_alphabetic())
}

fn digraph(first: char, second: char) -> Option<char> {
    Some(match (first, second) {
        ('L', 'j' | 'J') => 'Љ',
        ('l', 'j') => 'љ',
        ('N', 'j' | 'J') => 'Њ',
        ('n', 'j') => 'њ',
        ('D', 'ž' | 'Ž') => 'Џ',
        ('d', 'ž') => 'џ',
        _ => return None,
    })
}

fn letter(c: char) -> Option<char> {
    #[rustfmt::skip]
    const PAIRS: &[(char, char)] = &[
        ('A', 'А'), ('B', 'Б'), ('V', 'В'), ('G', 'Г'), ('D', 'Д'), ('Đ', 'Ђ'), ('E', 'Е'),
        ('Ž', 'Ж'), ('Z', 'З'), ('I', 'И'), ('J', 'Ј'), ('K', 'К'), ('L', 'Л'), ('M', 'М'),
        ('N', 'Н'), ('O', 'О'), ('P', 'П'), ('R', 'Р'), ('S', 'С'), ('T', 'Т'), ('Ć', 'Ћ'),
        ('U', 'У'), ('F', 'Ф'), ('H', 'Х'), ('C', 'Ц'), ('Č', 'Ч'), ('Š', 'Ш'),
        ('a', 'а'), ('b', 'б'), ('v', 'в'), ('g', 'г'), ('d', 'д'), ('đ', 'ђ'), ('e', 'е'),
        ('ž', 'ж'), ('z', 'з'), ('i', 'и'), ('j', 'ј'), ('k', 'к'), ('l', 'л'), ('m', 'м'),
        ('n', 'н'), ('o', 'о'), ('p', 'п'), ('r', 'р'), ('s', 'с'), ('t', 'т'), ('ć', 'ћ'),
        ('u', 'у'), ('f', 'ф'), ('h', 'х'), ('c', 'ц'), ('č', 'ч'), ('š', 'ш'),
    ];
    PAIRS
        .iter()
        .find(|(latin, _)| *latin == c)
        .map(|(_, cyrillic)| *cyrillic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_digraphs_map_as_serbian_writes_them() {
        assert_eq!(
            to_cyrillic("Ljubljana, Njegoš, Džakula"),
            "Љубљана, Његош, Џакула"
        );
        assert_eq!(
            to_cyrillic("LJUBAV džep đak ćup čaša šuma žena"),
            "ЉУБАВ џеп ђак ћуп чаша шума жена"
        );
        assert_eq!(to_cyrillic("Beleške o slučaju"), "Белешке о случају");
    }

    #[test]
    fn placeholders_names_and_other_characters_stay() {
        assert_eq!(
            to_cyrillic("Strana {page} od {pages}"),
            "Страна {page} од {pages}"
        );
        assert_eq!(to_cyrillic("Hearth: ključ"), "Hearth: кључ");
        assert_eq!(to_cyrillic("Hearthstone"), "Хеартхстоне");
        assert_eq!(to_cyrillic("2026. (X) – 14%"), "2026. (X) – 14%");
        assert_eq!(to_cyrillic("{unclosed"), "{unclosed");
    }
}
