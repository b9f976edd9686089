//! Issue #34: the text of uploaded tender documents is checked at publication like the form
//! (R-BAR-01..03); a document whose text cannot be read (a scan) is published marked "not
//! checked", on the officer's page and the public one.

use std::io::Write;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::tenders::{draft, save, signed_in};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

on_both_backends!(
    r_bar_01_r_bar_02_a_tender_document_pdf_with_forbidden_conditions_is_refused_with_the_span_quoted,
    r_bar_01_a_scanned_document_is_published_marked_not_checked,
    r_bar_01_r_bar_02_lawful_pdf_documents_pass,
    r_bar_01_documents_attached_before_texts_were_read_are_read_at_publication,
    r_bar_01_a_document_clause_the_administrator_lets_through_is_published_after_review,
);

const CAPITAL: &str = "投标人注册资本不少于1000万元。";
const TRACK_RECORD: &str =
    "Bidders must have completed at least three similar projects in the last three years.";

/// A one-page PDF with `content` as its content stream and `fonts` as objects 5, 6, ... (the
/// page's font F1 is object 5), with a correct cross-reference table.
fn pdf_with(content: &str, fonts: &[String]) -> Vec<u8> {
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
    bodies.extend(fonts.iter().cloned());
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

/// A PDF whose text layer is `lines`, in Helvetica (Latin text only).
fn latin_pdf(lines: &[&str]) -> Vec<u8> {
    let content: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("BT /F1 11 Tf 40 {} Td ({l}) Tj ET\n", 780 - 20 * i))
        .collect();
    pdf_with(
        &content,
        &[
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
        ],
    )
}

/// A PDF whose text layer is `lines`, as Chinese PDFs carry it: a CID font (Identity-H) whose
/// ToUnicode map gives each code's character.
fn cjk_pdf(lines: &[&str]) -> Vec<u8> {
    let mut codes: Vec<u16> = lines.iter().flat_map(|l| l.encode_utf16()).collect();
    codes.sort_unstable();
    codes.dedup();
    let entries: String = codes
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
        codes.len()
    );
    let content: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let hex: String = l.encode_utf16().map(|u| format!("{u:04X}")).collect();
            format!("BT /F1 11 Tf 40 {} Td <{hex}> Tj ET\n", 780 - 20 * i)
        })
        .collect();
    pdf_with(
        &content,
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

/// A scanned page: where the picture would be, a grey rectangle; no text layer.
fn scanned_pdf() -> Vec<u8> {
    pdf_with(
        "q 0.5 g 40 40 515 762 re f Q",
        &["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string()],
    )
}

/// The officer's new, lawful draft (two lots, reserved whole for SMEs).
async fn new_draft(app: &TestApp) -> (reqwest::Client, String) {
    app.seed_demo().await;
    let officer = signed_in(app, "buyer@demo.fairtender.cn").await;
    let (status, id) = save(app, &officer, &draft("两名持有网络工程师证书的驻场人员")).await;
    assert_eq!(status, 200, "{id}");
    (officer, id.as_str().unwrap().to_string())
}

async fn attach(app: &TestApp, officer: &reqwest::Client, id: &str, name: &str, bytes: &[u8]) {
    let path = format!("/agency/tenders/{id}/documents");
    let response = app.upload(officer, &path, name, bytes, "*/*").await;
    assert_eq!(response.status(), 204, "{name}");
}

async fn draft_view(app: &TestApp, officer: &reqwest::Client, id: &str) -> serde_json::Value {
    let (status, body) = app
        .call_with(officer, "agency/tenders/get", &[("id", id)])
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn r_bar_01_r_bar_02_a_tender_document_pdf_with_forbidden_conditions_is_refused_with_the_span_quoted(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    attach(
        &app,
        &officer,
        &id,
        "资格要求.pdf",
        &cjk_pdf(&["第三章 投标人资格要求", CAPITAL, "其余要求见采购需求。"]),
    )
    .await;
    attach(
        &app,
        &officer,
        &id,
        "qualification.pdf",
        &latin_pdf(&["Chapter 3. Qualification of bidders", TRACK_RECORD]),
    )
    .await;
    let documents = draft_view(&app, &officer, &id).await["documents"].clone();
    assert_eq!(documents[0]["not_checked"], false, "{documents}");
    assert_eq!(documents[1]["not_checked"], false, "{documents}");

    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 422, "{body}");
    let errors = body["Fields"]["errors"].as_array().unwrap();
    let on = |field: &str| -> Vec<(String, String)> {
        errors
            .iter()
            .filter(|e| e["field"] == field)
            .map(|e| {
                (
                    e["message"]["zh"].as_str().unwrap().to_string(),
                    e["message"]["en"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // Each refusal names the rule and quotes the clause as the document has it.
    let capital = on("documents[资格要求.pdf]");
    assert_eq!(capital.len(), 1, "{body}");
    assert!(capital[0].1.starts_with("[R-BAR-01]"), "{body}");
    let squeezed: String = capital[0]
        .0
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(squeezed.contains("注册资本不少于1000万元"), "{body}");
    let record = on("documents[qualification.pdf]");
    assert_eq!(record.len(), 1, "{body}");
    assert!(record[0].1.starts_with("[R-BAR-02]"), "{body}");
    assert!(record[0].1.contains("three similar projects"), "{body}");
    assert_eq!(
        errors.len(),
        2,
        "nothing else is wrong with the draft: {body}"
    );

    // Nothing was published: still a draft, not public.
    let stored =
        app::infra::entities::tender::Entity::find_by_id(id.parse::<uuid::Uuid>().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(stored.status, "draft");
    assert!(stored.published_at.is_none());
    assert_eq!(app.call("tenders/get", &[("id", &id)]).await.0, 404);
}

async fn r_bar_01_a_scanned_document_is_published_marked_not_checked(backend: Backend) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    attach(&app, &officer, &id, "扫描件.pdf", &scanned_pdf()).await;
    let documents = draft_view(&app, &officer, &id).await["documents"].clone();
    assert_eq!(documents[0]["not_checked"], true, "{documents}");
    // The officer is warned before publishing.
    let edit = app
        .page_as(&officer, &format!("/agency/tenders/{id}"))
        .await;
    assert!(
        edit.contains("data-testid=\"document-not-checked\""),
        "{edit}"
    );
    assert!(edit.contains("未检查：无法读取文本"), "{edit}");

    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, public) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["documents"][0]["name"], "扫描件.pdf", "{public}");
    assert_eq!(public["documents"][0]["not_checked"], true, "{public}");
    let page = app
        .page_as(&app.new_client(), &format!("/tenders/{id}"))
        .await;
    assert!(page.contains("扫描件.pdf"), "{page}");
    assert!(page.contains("未检查：无法读取文本"), "{page}");
    let english = app.new_client();
    let page = english
        .get(format!("{}/tenders/{id}", app.address))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Not checked: no readable text"), "{page}");
}

async fn r_bar_01_r_bar_02_lawful_pdf_documents_pass(backend: Backend) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    attach(
        &app,
        &officer,
        &id,
        "采购需求.pdf",
        &cjk_pdf(&[
            "第三章 采购需求",
            "投标人须具备ISO 9001质量管理体系认证。",
            "驻场人员须持有网络工程师证书。",
        ]),
    )
    .await;
    attach(
        &app,
        &officer,
        &id,
        "requirements.pdf",
        &latin_pdf(&[
            "Chapter 3. Requirements",
            "The supplier provides on-site support on working days from 8:30 to 17:30.",
        ]),
    )
    .await;
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, public) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(status, 200, "{public}");
    let documents = public["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2, "{public}");
    assert!(
        documents.iter().all(|d| d["not_checked"] == false),
        "{public}"
    );
    let page = app
        .page_as(&app.new_client(), &format!("/tenders/{id}"))
        .await;
    assert!(!page.contains("未检查：无法读取文本"), "{page}");
}

/// A document attached before this release has no text status: publication reads it then, so
/// no document escapes the check.
async fn r_bar_01_documents_attached_before_texts_were_read_are_read_at_publication(
    backend: Backend,
) {
    use app::infra::entities::{tender_document, tender_document_text};
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    attach(&app, &officer, &id, "旧扫描件.pdf", &scanned_pdf()).await;
    attach(
        &app,
        &officer,
        &id,
        "old.pdf",
        &latin_pdf(&[
            "Chapter 3. Requirements",
            "On-site support on working days.",
        ]),
    )
    .await;
    // As the rows were before the migration: no status, no text.
    let tender_id: uuid::Uuid = id.parse().unwrap();
    let links = tender_document::Entity::find()
        .filter(tender_document::Column::TenderId.eq(tender_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(links.len(), 2);
    for link in links {
        tender_document_text::Entity::delete_by_id(link.id)
            .exec(&app.db)
            .await
            .unwrap();
        let mut row: tender_document::ActiveModel = link.into();
        row.text_status = Set(None);
        row.text_note = Set(None);
        row.update(&app.db).await.unwrap();
    }
    let documents = draft_view(&app, &officer, &id).await["documents"].clone();
    assert_eq!(
        documents[0]["not_checked"], false,
        "not known yet: {documents}"
    );

    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, public) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(public["documents"][0]["not_checked"], true, "{public}");
    assert_eq!(public["documents"][1]["not_checked"], false, "{public}");
    let texts = tender_document_text::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(texts.len(), 1, "the readable one's text is stored");
    assert!(texts[0].text.contains("On-site support"), "{:?}", texts[0]);
}

/// A clause in a document's text can be sent for review like the form's: once the platform
/// administrator approves it, the tender publishes and says so in public; an approval of the
/// form's clauses alone would not have let it through (issue #34).
async fn r_bar_01_a_document_clause_the_administrator_lets_through_is_published_after_review(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    attach(
        &app,
        &officer,
        &id,
        "资格要求.pdf",
        &cjk_pdf(&["第三章 投标人资格要求", CAPITAL]),
    )
    .await;
    let publish_args = [("id", id.as_str())];
    let publish = || app.call_with(&officer, "agency/tenders/publish", &publish_args);
    assert_eq!(publish().await.0, 422);

    let (status, desk) = app
        .call_with(&officer, "agency/tenders/review", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{desk}");
    assert_eq!(
        desk["findings"][0]["field"], "documents[资格要求.pdf]",
        "{desk}"
    );
    assert_eq!(desk["findings"][0]["rule"], "R-BAR-01", "{desk}");
    let (status, review) = app
        .call_with(
            &officer,
            "agency/tenders/review/request",
            &[
                ("id", &id),
                ("reason", "该条款引自上级部门批复，经法律顾问确认。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{review}");
    let review = review.as_str().unwrap().to_string();
    let admin = app.admin_client().await;
    let (status, body) = app
        .call_with(
            &admin,
            "admin/reviews/decide",
            &[
                ("id", review.as_str()),
                ("decision", "approve"),
                ("note", "经核实，该段为引用说明，不作为资格条件。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = publish().await;
    assert_eq!(status, 200, "{body}");
    let (status, html) = app.get_text(&format!("/tenders/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("经平台审核后发布"), "{html}");
    assert!(html.contains("不作为资格条件"), "{html}");
}
