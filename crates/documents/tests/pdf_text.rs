//! The PDFs read back with poppler's `pdftotext`, the tool a partner or an auditor would use:
//! every included text extracts exactly, in order, and a section left out leaves no trace.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::Command;

use hearth_documents::{case_summary, recovery_sheet, render, Language, SummaryInput};
use hearth_records::{
    CaseActions, CaseFields, CaseFile, IdentityDocument, NoteFields, Record, Section,
};

/// The text poppler extracts from `pdf`, its whitespace runs made single spaces (lines are
/// broken where the layout broke them; nothing else may differ).
fn pdf_text(pdf: &[u8]) -> String {
    extract(pdf, &[])
}

/// The text of the pages above their footers (the confidentiality notice and page number), so
/// that a note running onto the next page reads as one text.
fn body_text(pdf: &[u8]) -> String {
    // At 72 dpi a pixel is a point: A4 is 595 x 842, and the footer starts 66 points up.
    extract(
        pdf,
        &["-r", "72", "-x", "0", "-y", "0", "-W", "596", "-H", "770"],
    )
}

fn extract(pdf: &[u8], crop: &[&str]) -> String {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("summary.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .args(crop)
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is missing: `make deps` installs poppler-utils");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    normalise(&String::from_utf8(output.stdout).unwrap())
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn record<F>(id: &str, fields: F, created_ms: u64) -> Record<F> {
    Record {
        id: id.to_owned(),
        fields,
        created_ms,
        updated_ms: created_ms,
    }
}

const AUTHOR: &str = "aa00000000000000000000000000aa00";

fn case_with_notes(notes: &[String]) -> CaseFile {
    let case = CaseFields {
        case_number: Some("TIR-2026-0042".into()),
        given_name: Some("Јелена".into()),
        family_name: Some("Ђорђевић".into()),
        gender: Some("Feminine".into()),
        birth_date: Some("2001-05-17".into()),
        citizenships: Some(vec!["RS".into(), "AL".into()]),
        phone: Some("CANARY-PHONE-0691234567".into()),
        identity_documents: Some(vec![IdentityDocument {
            document_type: "Passport".into(),
            custody: "HeldByPerson".into(),
            details: Some("CANARY-PASSPORT-X1234".into()),
        }]),
        status: Some("Active".into()),
        owner: Some(AUTHOR.into()),
        vulnerabilities: Some(vec![]),
        ..CaseFields::default()
    };
    let base = 1_780_000_000_000;
    CaseFile {
        case: record("c1", case, base),
        age: Some(25),
        is_minor: false,
        consents: vec![],
        current_consents: vec![],
        services: vec![],
        referrals: vec![],
        notes: notes
            .iter()
            .enumerate()
            .map(|(n, text)| {
                let fields = NoteFields {
                    case_id: Some("c1".into()),
                    created_by: Some(AUTHOR.into()),
                    text: Some(text.clone()),
                };
                record(&format!("n{n}"), fields, base + n as u64 * 86_400_000)
            })
            .rev()
            .collect(),
        follow_ups: vec![],
        people: BTreeMap::from([(AUTHOR.to_owned(), "Mirela Hoxha".to_owned())]),
        partners: BTreeMap::new(),
        case_numbers: BTreeMap::new(),
        allowed: CaseActions::default(),
    }
}

fn notes(words: &[&str]) -> Vec<String> {
    (0..50)
        .map(|n| {
            let mut text = format!("{n}. ");
            for i in 0..(8 + n % 30) {
                text.push_str(words[(n + i) % words.len()]);
                text.push(' ');
            }
            text.trim_end().to_owned()
        })
        .collect()
}

fn summary_pdf(file: &CaseFile, sections: &[Section], language: Language) -> Vec<u8> {
    let document = case_summary(&SummaryInput {
        file,
        sections,
        language,
        organisation: "Strehë e Sigurt",
        site: "Tiranë",
        printed_by: "Mirela Hoxha",
        today: "2026-12-03",
        referral: None,
    });
    render(&document).unwrap()
}

fn assert_in_order(text: &str, parts: &[String]) {
    let mut from = 0;
    for part in parts {
        let part = normalise(part);
        match text[from..].find(&part) {
            Some(at) => from += at + part.len(),
            None => panic!("{part:?} is not in the PDF's text (after byte {from}):\n{text}"),
        }
    }
}

#[test]
fn fifty_notes_in_serbian_cyrillic_extract_exactly() {
    let words = [
        "Клијенткиња",
        "је",
        "данас",
        "дошла",
        "у",
        "склониште",
        "са",
        "дететом;",
        "љубазна",
        "њена",
        "џамија",
        "ђак",
        "ћерка",
        "шума",
        "жена",
        "чаша",
        "разговор",
        "трајао",
        "сат",
        "времена.",
    ];
    let notes = notes(&words);
    let file = case_with_notes(&notes);
    let pdf = summary_pdf(
        &file,
        &[Section::Identity, Section::Notes],
        Language::SerbianCyrillic,
    );
    assert!(pdf_text(&pdf).contains("Страна 1 од"));
    let text = body_text(&pdf);
    assert!(text.starts_with("Сажетак случаја"), "{text}");
    assert!(
        text.contains("Јелена") && text.contains("Ђорђевић"),
        "{text}"
    );
    assert!(text.contains("Србија, Албанија"), "{text}");
    assert!(text.contains("17. маја 2001."), "{text}");
    assert!(text.contains("Белешке о случају"), "{text}");
    // Newest first, as the case page shows them (and as the case file lists them).
    let newest_first: Vec<String> = notes.iter().rev().cloned().collect();
    assert_in_order(&text, &newest_first);
    assert!(
        !text.contains("Страна 1 од"),
        "the footer is cropped off: {text}"
    );
}

#[test]
fn fifty_notes_in_albanian_extract_exactly() {
    let words = [
        "Viktima",
        "u",
        "takua",
        "sot",
        "në",
        "strehëz;",
        "ajo",
        "kërkoi",
        "ndihmë",
        "mjekësore",
        "dhe",
        "juridike.",
        "Çështja",
        "është",
        "e",
        "ndjeshme",
        "për",
        "fëmijën",
        "e",
        "saj.",
    ];
    let notes = notes(&words);
    let file = case_with_notes(&notes);
    let text = body_text(&summary_pdf(
        &file,
        &[Section::Identity, Section::Notes],
        Language::Albanian,
    ));
    assert!(text.starts_with("Përmbledhje e rastit"), "{text}");
    assert!(text.contains("Femërore"), "{text}");
    let newest_first: Vec<String> = notes.iter().rev().cloned().collect();
    assert_in_order(&text, &newest_first);
}

#[test]
fn sections_left_out_leave_no_trace() {
    let file = case_with_notes(&["CANARY-NOTE-TEXT".to_owned()]);
    let text = pdf_text(&summary_pdf(&file, &[Section::Identity], Language::English));
    assert!(text.contains("Јелена"), "{text}");
    for canary in [
        "CANARY-PHONE",
        "CANARY-PASSPORT",
        "CANARY-NOTE",
        "Case notes",
        "How to reach",
    ] {
        assert!(!text.contains(canary), "{canary} is in:\n{text}");
    }
    let every = pdf_text(&summary_pdf(
        &file,
        &Section::all().collect::<Vec<_>>(),
        Language::English,
    ));
    for canary in [
        "CANARY-PHONE-0691234567",
        "CANARY-PASSPORT-X1234",
        "CANARY-NOTE-TEXT",
    ] {
        assert!(every.contains(canary), "{canary} is not in:\n{every}");
    }
}

#[test]
fn the_recovery_key_sheet_reads_back_in_each_language() {
    let groups = [
        "123456", "234567", "345678", "456789", "567890", "678901", "789012", "890123",
    ];
    for (language, title) in [
        (Language::English, "Hearth recovery key"),
        (Language::Albanian, "Çelësi i rikuperimit të Hearth"),
        (Language::SerbianCyrillic, "Hearth: кључ за опоравак"),
    ] {
        let pdf = render(&recovery_sheet(
            &groups,
            "Strehë e Sigurt",
            "Tiranë",
            "2026-12-03",
            language,
        ))
        .unwrap();
        let text = pdf_text(&pdf);
        assert!(text.starts_with(title), "{text}");
        assert!(text.contains("Strehë e Sigurt"), "{text}");
        assert!(text.contains(&groups.join(" ")), "{text}");
    }
}
