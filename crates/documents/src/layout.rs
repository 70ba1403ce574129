//! Hearth's page layout: a document is a title and a list of blocks (headings, label and value
//! rows, paragraphs, notes), flowed onto A4 pages with a footer on each, then drawn with krilla.
//!
//! Lines are broken between words, measured with the same shaper krilla draws with (rustybuzz),
//! so a line never runs past the margin; a word longer than a line is broken between letters.
//! Nothing is hyphenated, so the text a reader copies out of the PDF is the text that was put in
//! (`pdftotext` checks this in the tests).

use std::cell::RefCell;
use std::collections::HashMap;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document as PdfDocument;

use crate::DocumentError;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// A document before layout: what it says, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The title on the first page (and the PDF's title: never a person's name).
    pub title: String,
    /// Lines under the title (who printed it, when, for whom).
    pub subtitle: Vec<String>,
    /// The body.
    pub blocks: Vec<Block>,
    /// Printed at the foot of every page, above the page number (the confidentiality notice).
    pub footer: String,
    /// `{page}` and `{pages}` are replaced on each page ("Page 2 of 5").
    pub page_label: String,
    /// The BCP 47 tag of its language.
    pub language: String,
}

/// One part of a document's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section's heading: kept on the page of what follows it.
    Heading(String),
    /// A label and its value side by side; the value may run over several lines.
    Field {
        /// What the value is ("Given name").
        label: String,
        /// The value; `\n` starts a new line.
        value: String,
    },
    /// Running text; `\n` starts a new line.
    Paragraph(String),
    /// A small grey line above the next block (a note's date and author).
    Meta(String),
    /// Large text on lines of its own (the recovery key's groups).
    Large(String),
    /// Space between blocks, in points.
    Space(f32),
}

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const FOOTER_TOP: f32 = PAGE_HEIGHT - MARGIN - 10.0;
const LABEL_WIDTH: f32 = 150.0;
const GAP: f32 = 12.0;

/// How a line of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    bold: bool,
    size: f32,
    grey: bool,
}

impl Style {
    const TITLE: Style = Style::bold(18.0);
    const HEADING: Style = Style::bold(12.5);
    const LABEL: Style = Style::bold(9.0);
    const BODY: Style = Style::regular(10.0);
    const META: Style = Style {
        grey: true,
        ..Style::regular(8.5)
    };
    const LARGE: Style = Style::bold(20.0);
    const FOOTER: Style = Style {
        grey: true,
        ..Style::regular(7.5)
    };

    const fn regular(size: f32) -> Style {
        Style {
            bold: false,
            size,
            grey: false,
        }
    }

    const fn bold(size: f32) -> Style {
        Style {
            bold: true,
            size,
            grey: false,
        }
    }

    fn line_height(&self) -> f32 {
        self.size * 1.35
    }
}

/// A line of text at its place: `y` is the baseline, from the top of the page.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    x: f32,
    y: f32,
    text: String,
    style: Style,
}

/// A horizontal rule at `y`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rule {
    y: f32,
}

#[derive(Debug, Default)]
struct Page {
    lines: Vec<Placed>,
    rules: Vec<Rule>,
}

/// Measures text as krilla will draw it. Shaping is the costly part, so each word is shaped once
/// per document and a line's width is the sum of its words' and spaces' (what a space does to
/// kerning at a word's edge is far below a line's slack).
struct Measure {
    regular: rustybuzz::Face<'static>,
    bold: rustybuzz::Face<'static>,
    /// Words' advances in font units, by weight and text.
    words: RefCell<HashMap<(bool, String), i32>>,
}

impl Measure {
    fn new() -> Result<Measure, DocumentError> {
        Ok(Measure {
            regular: rustybuzz::Face::from_slice(REGULAR, 0).ok_or(DocumentError::Font)?,
            bold: rustybuzz::Face::from_slice(BOLD, 0).ok_or(DocumentError::Font)?,
            words: RefCell::new(HashMap::new()),
        })
    }

    fn face(&self, bold: bool) -> &rustybuzz::Face<'static> {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// One word's advance in font units.
    fn word_units(&self, word: &str, bold: bool) -> i32 {
        let key = (bold, word.to_owned());
        if let Some(units) = self.words.borrow().get(&key) {
            return *units;
        }
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(word);
        let shaped = rustybuzz::shape(self.face(bold), &[], buffer);
        let units = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        self.words.borrow_mut().insert(key, units);
        units
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        let words = text.split(' ');
        let gaps = text.matches(' ').count() as i32;
        let units = words
            .map(|word| self.word_units(word, style.bold))
            .sum::<i32>()
            + gaps * self.word_units(" ", style.bold);
        units as f32 * style.size / f32::from(self.face(style.bold).units_per_em() as u16)
    }

    /// `text` broken into lines at most `width` wide: at spaces, or between letters within a
    /// word too long for a line. `\n` always starts a new line; a blank line stays blank.
    fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, style) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone: broken between letters while it is too wide.
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, style) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// Places blocks on pages, top to bottom.
struct Flow<'m> {
    measure: &'m Measure,
    pages: Vec<Page>,
    y: f32,
}

impl<'m> Flow<'m> {
    fn new(measure: &'m Measure) -> Flow<'m> {
        Flow {
            measure,
            pages: vec![Page::default()],
            y: MARGIN,
        }
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` more fits on this one.
    fn need(&mut self, height: f32) {
        if self.y + height > FOOTER_TOP - 24.0 && !self.page().lines.is_empty() {
            self.pages.push(Page::default());
            self.y = MARGIN;
        }
    }

    /// One line at `x`, advancing the flow by its height.
    fn line(&mut self, x: f32, text: String, style: Style) {
        self.need(style.line_height());
        self.y += style.size;
        let y = self.y;
        self.page().lines.push(Placed { x, y, text, style });
        self.y += style.line_height() - style.size;
    }

    fn text(&mut self, x: f32, width: f32, text: &str, style: Style) {
        for line in self.measure.wrap(text, style, width) {
            self.line(x, line, style);
        }
    }

    fn block(&mut self, block: &Block) {
        let full = PAGE_WIDTH - 2.0 * MARGIN;
        match block {
            Block::Heading(text) => {
                // The heading, its rule and the first line after it stay together.
                self.need(Style::HEADING.line_height() + 6.0 + 2.0 * Style::BODY.line_height());
                self.y += 8.0;
                self.text(MARGIN, full, text, Style::HEADING);
                let y = self.y - 2.0;
                self.page().rules.push(Rule { y });
                self.y += 4.0;
            }
            Block::Field { label, value } => {
                let labels = self.measure.wrap(label, Style::LABEL, LABEL_WIDTH);
                let values = self
                    .measure
                    .wrap(value, Style::BODY, full - LABEL_WIDTH - GAP);
                // Short rows stay whole; a long value may run onto the next page.
                let rows = labels.len().max(values.len());
                self.need(rows.min(4) as f32 * Style::BODY.line_height());
                let value_x = MARGIN + LABEL_WIDTH + GAP;
                let mut labels = labels.into_iter();
                for value in values {
                    self.need(Style::BODY.line_height());
                    let baseline = self.y + Style::BODY.size;
                    if let Some(label) = labels.next() {
                        self.page().lines.push(Placed {
                            x: MARGIN,
                            y: baseline,
                            text: label,
                            style: Style::LABEL,
                        });
                    }
                    self.line(value_x, value, Style::BODY);
                }
                for label in labels {
                    self.line(MARGIN, label, Style::LABEL);
                }
                self.y += 3.0;
            }
            Block::Paragraph(text) => {
                self.text(MARGIN, full, text, Style::BODY);
                self.y += 4.0;
            }
            Block::Meta(text) => {
                self.need(Style::META.line_height() + 2.0 * Style::BODY.line_height());
                self.text(MARGIN, full, text, Style::META);
            }
            Block::Large(text) => {
                self.text(MARGIN, full, text, Style::LARGE);
                self.y += 4.0;
            }
            Block::Space(points) => self.y += points,
        }
    }
}

/// Lays `document` out and writes it as a PDF.
pub fn render(document: &Document) -> Result<Vec<u8>, DocumentError> {
    let measure = Measure::new()?;
    let mut flow = Flow::new(&measure);
    let full = PAGE_WIDTH - 2.0 * MARGIN;
    flow.text(MARGIN, full, &document.title, Style::TITLE);
    for line in &document.subtitle {
        flow.text(MARGIN, full, line, Style::META);
    }
    flow.y += 6.0;
    for block in &document.blocks {
        flow.block(block);
    }
    let mut pages = flow.pages;
    let count = pages.len();
    for (number, page) in pages.iter_mut().enumerate() {
        footer(&measure, document, page, number + 1, count);
    }
    draw(document, &pages)
}

/// The confidentiality notice and the page number at the foot of a page.
fn footer(measure: &Measure, document: &Document, page: &mut Page, number: usize, count: usize) {
    let label = document
        .page_label
        .replace("{page}", &number.to_string())
        .replace("{pages}", &count.to_string());
    let label_width = measure.width(&label, Style::FOOTER);
    let notice_width = PAGE_WIDTH - 2.0 * MARGIN - label_width - GAP;
    let mut y = FOOTER_TOP;
    page.rules.push(Rule { y: y - 4.0 });
    for (index, line) in measure
        .wrap(&document.footer, Style::FOOTER, notice_width)
        .into_iter()
        .enumerate()
    {
        y += Style::FOOTER.line_height();
        if index == 0 {
            page.lines.push(Placed {
                x: PAGE_WIDTH - MARGIN - label_width,
                y,
                text: label.clone(),
                style: Style::FOOTER,
            });
        }
        page.lines.push(Placed {
            x: MARGIN,
            y,
            text: line,
            style: Style::FOOTER,
        });
    }
}

fn draw(document: &Document, pages: &[Page]) -> Result<Vec<u8>, DocumentError> {
    let regular = Font::new(REGULAR.into(), 0).ok_or(DocumentError::Font)?;
    let bold = Font::new(BOLD.into(), 0).ok_or(DocumentError::Font)?;
    let mut pdf = PdfDocument::new();
    // The title says what kind of document it is, never whom it is about.
    pdf.set_metadata(
        Metadata::new()
            .title(document.title.clone())
            .language(document.language.clone())
            .creator("Hearth".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(DocumentError::Layout)?;
    for page in pages {
        let mut pdf_page = pdf.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        for rule in &page.rules {
            let mut path = PathBuilder::new();
            path.move_to(MARGIN, rule.y);
            path.line_to(PAGE_WIDTH - MARGIN, rule.y);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(170, 170, 170).into(),
                    width: 0.5,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        for line in &page.lines {
            let grey = if line.style.grey { 90 } else { 0 };
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(grey, grey, grey).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            let font = if line.style.bold { &bold } else { &regular };
            surface.draw_text(
                Point::from_xy(line.x, line.y),
                font.clone(),
                line.style.size,
                &line.text,
                false,
                TextDirection::LeftToRight,
            );
        }
        surface.finish();
        pdf_page.finish();
    }
    pdf.finish().map_err(|_| DocumentError::Layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_never_run_past_the_width_and_keep_every_word() {
        let measure = Measure::new().unwrap();
        let text = "Një shënim i gjatë për rastin, me fjalë shqipe: çdo ditë, ëndërr. \
                    Дуга белешка на српском ћириличном писму, са словима љ, њ, џ, ђ, ћ. \
                    Averyveryverylongwordwithoutanyspacesthatcannotfitononelineatallnomatterwhat";
        let lines = measure.wrap(text, Style::BODY, 200.0);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(measure.width(line, Style::BODY) <= 200.0, "{line}");
        }
        let joined: String = lines.concat();
        let without_spaces: String = text.split_whitespace().collect();
        assert_eq!(joined.replace(' ', ""), without_spaces);
    }

    #[test]
    fn line_breaks_in_the_text_are_kept() {
        let measure = Measure::new().unwrap();
        assert_eq!(
            measure.wrap("one\n\ntwo", Style::BODY, 400.0),
            vec!["one", "", "two"]
        );
    }

    #[test]
    fn a_long_document_flows_onto_numbered_pages() {
        let document = Document {
            title: "Title".into(),
            blocks: (0..200)
                .map(|n| Block::Paragraph(format!("Paragraph {n}")))
                .collect(),
            footer: "Confidential".into(),
            page_label: "Page {page} of {pages}".into(),
            language: "en".into(),
            ..Document::default()
        };
        let measure = Measure::new().unwrap();
        let mut flow = Flow::new(&measure);
        for block in &document.blocks {
            flow.block(block);
        }
        assert!(flow.pages.len() >= 4, "{}", flow.pages.len());
        for page in &flow.pages {
            for line in &page.lines {
                assert!(line.y < FOOTER_TOP, "{line:?}");
            }
        }
        let pdf = render(&document).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
