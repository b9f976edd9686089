//! The text of an uploaded document, so that what an officer publishes in a file is checked like
//! what they type (issue #34, R-BAR-01..03, R-SME-04).
//!
//! - PDF: its text layer, read by `pdf-extract` (on `lopdf`). A PDF protected only by an owner
//!   password is read; one that needs a password to open is not.
//! - Word (DOCX): the body, headers, footers, footnotes and endnotes (`word/*.xml`, zipped).
//! - Excel (XLSX): the shared strings, where the sheets' text is (`xl/sharedStrings.xml`).
//! - OFD (a ZIP holding `OFD.xml`): the text objects of each page (`Content.xml`).
//! - Pictures (PNG, JPEG), other ZIP files, a PDF without a text layer (a scan), an encrypted or
//!   damaged file: no text. The caller lists such a document as "not checked".
//!
//! Reading is bounded: the crates are given at most the stored file (already size-limited by the
//! document store), a zip entry is read to [`MAX_UNZIPPED`] bytes at most, the text kept is at
//! most [`MAX_TEXT_BYTES`], and [`read_text`] gives up after [`READ_TIMEOUT`]. `pdf-extract`
//! panics on some malformed files; a panic is caught and the file counted as damaged.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use bytes::Bytes;

/// The most text kept from one document (bytes of UTF-8). A document with more is not checked
/// rather than checked in part.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// The most bytes unzipped from a DOCX/XLSX/OFD, all entries together (a guard against zip bombs).
pub const MAX_UNZIPPED: u64 = 64 * 1024 * 1024;
/// How long reading one document may take.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// A PDF whose text layer has fewer letters than this is a scan (perhaps with a page number or a
/// stamp's text): its content cannot be checked.
const MIN_LETTERS: usize = 10;

/// `tender_document.text_status` of a document whose text was read (and is checked).
pub const TEXT_CHECKED: &str = "checked";
/// `tender_document.text_status` of a document whose text could not be read (not checked).
pub const TEXT_UNREADABLE: &str = "unreadable";

/// What could be read from a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentText {
    /// Its text, to be checked.
    Readable(String),
    /// No text could be read: the document cannot be checked.
    Unreadable(Unreadable),
}

/// Why a document's text could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// A PDF without a text layer, or with almost none: a scan.
    NoText,
    /// A picture (PNG, JPEG): a scan or a photograph.
    Picture,
    /// A type whose text is not read (a ZIP that is not OFD).
    Unsupported,
    /// Needs a password to open.
    Encrypted,
    /// The file could not be parsed.
    Damaged,
    /// More text than [`MAX_TEXT_BYTES`], or more unzipped content than [`MAX_UNZIPPED`].
    TooLarge,
    /// Reading took longer than [`READ_TIMEOUT`].
    TimedOut,
}

impl DocumentText {
    /// The stored `text_status`.
    pub fn status(&self) -> &'static str {
        match self {
            DocumentText::Readable(_) => TEXT_CHECKED,
            DocumentText::Unreadable(_) => TEXT_UNREADABLE,
        }
    }
}

impl Unreadable {
    /// A short note for the log and the stored row.
    pub fn note(self) -> &'static str {
        match self {
            Unreadable::NoText => "no text layer (scan)",
            Unreadable::Picture => "picture",
            Unreadable::Unsupported => "type not read",
            Unreadable::Encrypted => "encrypted",
            Unreadable::Damaged => "damaged",
            Unreadable::TooLarge => "too much text",
            Unreadable::TimedOut => "took too long to read",
        }
    }
}

/// Reads a document's text off the async runtime, giving up after [`READ_TIMEOUT`].
pub async fn read_text(content_type: &str, bytes: Bytes) -> DocumentText {
    let content_type = content_type.to_string();
    let task = tokio::task::spawn_blocking(move || extract(&content_type, &bytes));
    match tokio::time::timeout(READ_TIMEOUT, task).await {
        Ok(Ok(text)) => text,
        // The blocking task itself failed (it catches the crates' panics, so this is rare).
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "reading a document's text failed");
            DocumentText::Unreadable(Unreadable::Damaged)
        }
        Err(_) => {
            tracing::warn!("reading a document's text took too long");
            DocumentText::Unreadable(Unreadable::TimedOut)
        }
    }
}

/// Reads a document's text, by its detected content type (`DocumentStore::check`).
pub fn extract(content_type: &str, bytes: &[u8]) -> DocumentText {
    let read = match content_type {
        "application/pdf" => pdf_text(bytes),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            zipped_text(bytes, Zipped::Word)
        }
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            zipped_text(bytes, Zipped::Excel)
        }
        "application/zip" => zipped_text(bytes, Zipped::Ofd),
        t if t.starts_with("image/") => Err(Unreadable::Picture),
        "text/plain" => std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| Unreadable::Damaged),
        _ => Err(Unreadable::Unsupported),
    };
    match read {
        Ok(text) if text.len() > MAX_TEXT_BYTES => DocumentText::Unreadable(Unreadable::TooLarge),
        Ok(text) if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS => {
            DocumentText::Unreadable(Unreadable::NoText)
        }
        // PostgreSQL's text cannot hold NUL, and no clause needs it.
        Ok(text) => DocumentText::Readable(text.replace('\0', "")),
        Err(why) => DocumentText::Unreadable(why),
    }
}

fn pdf_text(bytes: &[u8]) -> Result<String, Unreadable> {
    // pdf-extract indexes and unwraps freely inside malformed files: a panic means "damaged".
    match catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem(bytes)
    })) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => {
            let e = e.to_string();
            if e.to_ascii_lowercase().contains("encrypt") || e.contains("password") {
                Err(Unreadable::Encrypted)
            } else {
                tracing::info!(error = %e, "a PDF's text could not be read");
                Err(Unreadable::Damaged)
            }
        }
        Err(_) => {
            tracing::info!("reading a PDF's text panicked; counted as damaged");
            Err(Unreadable::Damaged)
        }
    }
}

/// The zipped XML formats whose text is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Zipped {
    Word,
    Excel,
    Ofd,
}

impl Zipped {
    /// Whether the entry holds text to read, in archive order.
    fn reads(self, name: &str) -> bool {
        match self {
            Zipped::Word => {
                name == "word/document.xml"
                    || name == "word/footnotes.xml"
                    || name == "word/endnotes.xml"
                    || (name.starts_with("word/header") || name.starts_with("word/footer"))
                        && name.ends_with(".xml")
            }
            Zipped::Excel => name == "xl/sharedStrings.xml",
            Zipped::Ofd => name.ends_with("/Content.xml"),
        }
    }

    /// The element whose text is the document's text.
    fn text_element(self) -> &'static str {
        match self {
            Zipped::Word | Zipped::Excel => "t",
            Zipped::Ofd => "TextCode",
        }
    }

    /// The elements after which a line ends.
    fn line_ends(self, name: &str) -> bool {
        match self {
            Zipped::Word => matches!(name, "p" | "br" | "cr"),
            Zipped::Excel => name == "si",
            Zipped::Ofd => name == "TextObject",
        }
    }
}

fn zipped_text(bytes: &[u8], kind: Zipped) -> Result<String, Unreadable> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| Unreadable::Damaged)?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(std::borrow::Cow::into_owned))
        .collect::<Result<_, _>>()
        .map_err(|_| Unreadable::Damaged)?;
    if kind == Zipped::Ofd && !names.iter().any(|n| n == "OFD.xml") {
        return Err(Unreadable::Unsupported);
    }
    let mut wanted: Vec<&String> = names.iter().filter(|n| kind.reads(n)).collect();
    // Word's body first, then the rest in name order; OFD's pages in name order.
    wanted.sort_by_key(|n| (n.as_str() != "word/document.xml", n.as_str()));
    let mut budget = MAX_UNZIPPED;
    let mut text = String::new();
    for name in wanted {
        let entry = match archive.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(Unreadable::Encrypted)
            }
            Err(_) => return Err(Unreadable::Damaged),
        };
        let mut xml = String::new();
        entry
            .take(budget + 1)
            .read_to_string(&mut xml)
            .map_err(|_| Unreadable::Damaged)?;
        let read = xml.len() as u64;
        if read > budget {
            return Err(Unreadable::TooLarge);
        }
        budget -= read;
        xml_text(&xml, kind, &mut text)?;
        if text.len() > MAX_TEXT_BYTES {
            return Err(Unreadable::TooLarge);
        }
    }
    Ok(text)
}

/// Appends the text of `kind`'s text elements in `xml` to `out`, a line per paragraph.
fn xml_text(xml: &str, kind: Zipped, out: &mut String) -> Result<(), Unreadable> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside = 0usize;
    loop {
        match reader.read_event().map_err(|_| Unreadable::Damaged)? {
            Event::Start(e) if e.local_name().as_ref() == kind.text_element() => inside += 1,
            Event::End(e) => {
                let name = e.local_name();
                if name.as_ref() == kind.text_element() {
                    inside = inside.saturating_sub(1);
                } else if kind.line_ends(name.as_ref()) {
                    out.push('\n');
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                if kind == Zipped::Word && name.as_ref() == "tab" {
                    out.push('\t');
                } else if kind.line_ends(name.as_ref()) {
                    out.push('\n');
                }
            }
            Event::Text(t) if inside > 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if inside > 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside > 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    out.push_str(s);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "document_text_tests.rs"]
mod tests;
