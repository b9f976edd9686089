//! Reading documents' text (issue #34): PDF, DOCX, XLSX, OFD built here, pictures and scans.

use std::io::Write;

use super::*;

const PDF_TYPE: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A one-page PDF with `content` as its page's content stream and `objects` after the page
/// (numbered from 5; the page's font F1 is object 5), with a correct cross-reference table.
pub(crate) fn pdf_with(content: &str, objects: &[String]) -> Vec<u8> {
    let mut bodies = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
    ];
    bodies.extend(objects.iter().cloned());
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", bodies.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        bodies.len() + 1
    )
    .unwrap();
    out
}

/// A PDF whose text layer says `text` (Latin, Helvetica).
pub(crate) fn latin_pdf(text: &str) -> Vec<u8> {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)");
    pdf_with(
        &format!("BT /F1 12 Tf 50 700 Td ({escaped}) Tj ET"),
        &[
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
        ],
    )
}

/// A PDF whose text layer says `text` (any BMP characters, Chinese included), the way Chinese
/// PDFs carry it: a CID font (Identity-H) with a ToUnicode map.
pub(crate) fn cjk_pdf(text: &str) -> Vec<u8> {
    let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
    let mut chars: Vec<u16> = text.encode_utf16().collect();
    chars.sort_unstable();
    chars.dedup();
    let entries: String = chars
        .iter()
        .map(|u| format!("<{u:04X}> <{u:04X}>\n"))
        .collect();
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
         {} beginbfchar\n{entries}endbfchar\nendcmap\n\
         CMapName currentdict /CMap defineresource pop\nend\nend",
        chars.len()
    );
    pdf_with(
        &format!("BT /F1 12 Tf 50 700 Td <{hex}> Tj ET"),
        &[
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H \
             /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"
                .to_string(),
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor 8 0 R /DW 1000 >>"
                .to_string(),
            format!(
                "<< /Length {} >>\nstream\n{cmap}\nendstream",
                cmap.len() + 1
            ),
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
             /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 \
             /CapHeight 880 /StemV 93 >>"
                .to_string(),
        ],
    )
}

/// A scanned page: a filled rectangle where the picture would be, no text at all.
pub(crate) fn scanned_pdf() -> Vec<u8> {
    pdf_with(
        "q 0.5 g 50 50 495 742 re f Q",
        &["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string()],
    )
}

/// A zip of `entries` (name, content).
fn zipped(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A DOCX whose body has one paragraph per item of `paragraphs`.
pub(crate) fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    zipped(&[
        ("[Content_Types].xml", "<Types/>"),
        (
            "word/document.xml",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
                 <w:body>{body}</w:body></w:document>"
            ),
        ),
    ])
}

#[test]
fn reads_a_latin_pdf_text_layer() {
    let text = extract(
        PDF_TYPE,
        &latin_pdf("Bidders must have completed at least three similar projects."),
    );
    let DocumentText::Readable(text) = text else {
        panic!("not read: {text:?}");
    };
    assert!(
        text.contains("three similar projects"),
        "text read: {text:?}"
    );
}

#[test]
fn reads_a_chinese_pdf_text_layer_through_its_tounicode_map() {
    let text = extract(PDF_TYPE, &cjk_pdf("投标人注册资本不少于1000万元。"));
    let DocumentText::Readable(text) = text else {
        panic!("not read: {text:?}");
    };
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed.contains("注册资本不少于1000万元"),
        "text read: {text:?}"
    );
}

#[test]
fn a_scan_without_a_text_layer_is_unreadable() {
    assert_eq!(
        extract(PDF_TYPE, &scanned_pdf()),
        DocumentText::Unreadable(Unreadable::NoText)
    );
}

#[test]
fn pictures_are_unreadable() {
    let png = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
    ];
    assert_eq!(
        extract("image/png", &png),
        DocumentText::Unreadable(Unreadable::Picture)
    );
    assert_eq!(
        extract("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]),
        DocumentText::Unreadable(Unreadable::Picture)
    );
}

#[test]
fn a_damaged_pdf_is_unreadable_not_a_panic() {
    let mut broken = latin_pdf("Some text that is long enough to count.");
    broken.truncate(broken.len() / 2);
    for bytes in [
        broken.as_slice(),
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        b"%PDF-1.4\ngarbage",
    ] {
        assert!(
            matches!(extract(PDF_TYPE, bytes), DocumentText::Unreadable(_)),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn reads_a_docx_body_paragraph_by_paragraph_with_entities() {
    let text = extract(
        DOCX,
        &docx(&[
            "第一章 投标人资格要求",
            "投标人注册资本不少于1000万元。",
            "Tom &amp; Jerry &#x4E2D;",
        ]),
    );
    assert_eq!(
        text,
        DocumentText::Readable(
            "第一章 投标人资格要求\n投标人注册资本不少于1000万元。\nTom & Jerry 中\n".into()
        )
    );
}

#[test]
fn reads_xlsx_shared_strings_and_ofd_text_objects() {
    let xlsx = zipped(&[(
        "xl/sharedStrings.xml",
        "<sst><si><t>Annual revenue of at least 50 million</t></si><si><t>年营业收入</t></si></sst>",
    )]);
    assert_eq!(
        extract(XLSX, &xlsx),
        DocumentText::Readable("Annual revenue of at least 50 million\n年营业收入\n".into())
    );
    let ofd = zipped(&[
        (
            "OFD.xml",
            "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"/>",
        ),
        (
            "Doc_0/Pages/Page_0/Content.xml",
            "<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:TextObject>\
             <ofd:TextCode X=\"0\" Y=\"0\">投标人注册资本不少于</ofd:TextCode>\
             <ofd:TextCode X=\"0\" Y=\"0\">1000万元。</ofd:TextCode></ofd:TextObject></ofd:Page>",
        ),
    ]);
    assert_eq!(
        extract("application/zip", &ofd),
        DocumentText::Readable("投标人注册资本不少于1000万元。\n".into())
    );
}

#[test]
fn a_plain_zip_and_a_broken_docx_are_unreadable() {
    let plain = zipped(&[("notes.txt", "anything at all, long enough")]);
    assert_eq!(
        extract("application/zip", &plain),
        DocumentText::Unreadable(Unreadable::Unsupported)
    );
    assert_eq!(
        extract(DOCX, b"PK\x03\x04 not really a zip"),
        DocumentText::Unreadable(Unreadable::Damaged)
    );
    let bad_xml = zipped(&[("word/document.xml", "<w:p><w:t>unclosed</w:p>")]);
    assert!(matches!(
        extract(DOCX, &bad_xml),
        DocumentText::Unreadable(_)
    ));
}

#[tokio::test]
async fn read_text_runs_off_the_runtime() {
    assert!(matches!(
        read_text(
            PDF_TYPE,
            Bytes::from(latin_pdf("A tender document in plain English."))
        )
        .await,
        DocumentText::Readable(_)
    ));
}
