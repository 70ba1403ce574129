//! The recovery key on paper: what first run offers to save as a PDF, to print and lock away.
//! It names the vault's organisation and site (so that the right key is found years later) and
//! nothing about what the vault holds.

use crate::layout::{Block, Document};
use crate::Language;

/// The recovery key sheet for `key` (its groups of digits, as the screen shows them).
pub fn recovery_sheet(
    key_groups: &[&str],
    organisation: &str,
    site: &str,
    today: &str,
    language: Language,
) -> Document {
    let text = |key: &str, params: &[(&str, &str)]| language.text(key, params);
    let lines: Vec<Block> = key_groups
        .chunks(4)
        .map(|groups| Block::Large(groups.join("  ")))
        .collect();
    let mut blocks = vec![
        Block::Paragraph(text("recovery.printInstructions", &[])),
        Block::Space(12.0),
        Block::Meta(text("recovery.keyLabel", &[])),
    ];
    blocks.extend(lines);
    Document {
        title: text("recovery.printTitle", &[]),
        subtitle: vec![text(
            "recovery.printFor",
            &[
                ("organisation", organisation),
                ("site", site),
                ("date", &language.date(today)),
            ],
        )],
        blocks,
        footer: String::new(),
        page_label: text("document.page", &[]),
        language: language.tag().to_owned(),
    }
}
