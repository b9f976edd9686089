//! Bids (issue #5): sealing on every route (R-BID-01), the deadline to the millisecond
//! (R-BID-02), bad bids (R-BID-03, R-SME-01), receipts, the opening (R-BID-04), evaluation with
//! the SME deduction (R-SME-03, R-EVAL-01), award (R-SME-04) and challenges (R-CHAL-01).

use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};

use crate::helpers::{error_fields, spawn_app, Backend, TestApp, SUPPLIER_PASSWORD};
use crate::on_both_backends;
use crate::tenders::{save, signed_in};
use sha2::{Digest, Sha256};

on_both_backends!(
    r_bid_01_nobody_but_the_bidder_learns_of_a_bid_before_the_deadline,
    r_bid_01_bid_documents_are_sealed_and_the_counted_version_keeps_its_own,
    r_bid_02_the_deadline_is_exact_to_the_millisecond,
    bad_bids_are_refused_and_the_last_good_submission_stays,
    a_firms_first_bid_sent_twice_at_once_counts_once,
    receipts_verify_and_a_tampered_one_fails,
    r_sme_03_a_small_firm_wins_on_price_after_the_deduction,
    r_bid_04_a_lot_with_fewer_than_three_bids_fails,
    r_chal_01_challenges_are_answered_and_overdue_ones_flagged,
);

/// 2026-12-17 17:00 Beijing time, the test tender's deadline.
pub(crate) fn deadline() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 17, 9, 0, 0).unwrap()
}

/// The prices and words planted in bids: none may appear anywhere before the deadline.
pub(crate) const SECRET_PRICE: &str = "2850000.17";
const SECRET_PRICE_SHOWN: &str = "2,850,000.17";
pub(crate) const SECRET_WORDS: &str = "SEALED-PROPOSAL-7f3a";

/// A non-reserved services tender (budget 3,000,000 > R-SME-01's threshold): one lot with a
/// pass/fail ISO 9001 requirement and a scored approach (60 points), comprehensive scoring
/// with price weight 40, 10% deduction for small and micro firms (R-SME-03), and a 30% SME
/// share by subcontract (R-SME-02).
pub(crate) fn open_tender_form() -> Vec<(String, String)> {
    [
        ("id", ""),
        ("form[title]", "政务云平台运维服务"),
        ("form[description]", "三年政务云平台运维。"),
        ("form[category]", "services"),
        ("form[method]", "open_tender"),
        ("form[region]", "浙江省杭州市"),
        ("form[budget]", "3000000"),
        ("form[bid_deadline]", "2026-12-17T17:00"),
        ("form[evaluation]", "comprehensive_scoring"),
        ("form[price_weight]", "40"),
        ("form[sme_required_share]", "30"),
        ("form[sme_small_micro_share]", "60"),
        ("form[sme_price_deduction]", "10"),
        ("form[lots][0][title]", "运维服务"),
        ("form[lots][0][budget]", "3000000"),
        ("form[lots][0][criteria][0][kind]", "certification"),
        (
            "form[lots][0][criteria][0][requirement]",
            "具备 ISO 9001 质量管理体系认证",
        ),
        ("form[lots][0][criteria][1][kind]", "technical_approach"),
        ("form[lots][0][criteria][1][requirement]", "运维方案"),
        ("form[lots][0][criteria][1][weight]", "60"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) officer: reqwest::Client,
    pub(crate) tender: String,
}

impl World {
    /// Moves the clock; sessions last 8 hours, so the officer signs in again.
    pub(crate) async fn at(&mut self, at: chrono::DateTime<Utc>) {
        self.app.clock.set(at);
        self.officer = signed_in(&self.app, "buyer@demo.fairtender.cn").await;
    }

    /// A firm made by [`firm`] signs in again (after the clock moved).
    pub(crate) async fn again(&self, code17: &str) -> reqwest::Client {
        let email = format!("owner@{}.example.cn", code17.to_lowercase());
        self.app.sign_in(&email, SUPPLIER_PASSWORD).await
    }
}

/// The demo agency publishes the test tender.
pub(crate) async fn world(backend: Backend) -> World {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (status, id) = save(&app, &officer, &open_tender_form()).await;
    assert_eq!(status, 200, "{id}");
    let tender = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    World {
        app,
        officer,
        tender,
    }
}

/// A new supplier firm: registered, optionally declared small (R-SME-04), with an ISO 9001
/// record. Returns its client and the record's id.
pub(crate) async fn firm(
    app: &TestApp,
    name: &str,
    code17: &str,
    small: bool,
) -> (reqwest::Client, String) {
    let client = app.new_client();
    app.register_supplier(&client, name, code17).await;
    if small {
        let (status, body) = app
            .call_with(
                &client,
                "profile/sme",
                &[
                    ("form[industry]", "software_and_it"),
                    ("form[headcount]", "12"),
                    ("form[annual_revenue]", "800000"),
                    ("form[total_assets]", "2000000"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, record) = app
        .call_with(
            &client,
            "profile/capabilities/add",
            &[
                ("form[kind]", "certification"),
                ("form[title]", "质量管理体系认证"),
                ("form[number]", "ISO 9001:2015"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{record}");
    (client, record["id"].as_str().unwrap().to_string())
}

/// The test tender asks 30% of each bid for SMEs, 18% for small and micro firms (R-SME-02):
/// the form fields of a small subcontractor performing 30%, which meets it for any bidder.
pub(crate) fn small_subcontractor(i: usize, share: &str) -> Vec<(String, String)> {
    let code = app::domain::credit_code::CreditCode::complete(&format!("91330106MA2B0990{i}"))
        .unwrap()
        .as_str()
        .to_string();
    [
        ("role", "subcontractor"),
        ("name", &format!("小微分包{i}号有限公司")),
        ("credit_code", &code),
        ("share", share),
        ("industry", "software_and_it"),
        ("headcount", "20"),
        ("annual_revenue", "3000000"),
        ("total_assets", "1000000"),
    ]
    .iter()
    .map(|(k, v)| (format!("form[partners][{i}][{k}]"), v.to_string()))
    .collect()
}

/// Submits a bid on lot 0 (with a small subcontractor performing 30%, so that a large firm
/// meets the tender's R-SME-02 share too); returns status and body.
pub(crate) async fn bid(
    w: &World,
    client: &reqwest::Client,
    seen: &str,
    price: &str,
    record: &str,
    proposal: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut form: Vec<(String, String)> = [
        ("tender", w.tender.as_str()),
        ("intent", "submit"),
        ("seen_versions", seen),
        ("form[lots][0][include]", "on"),
        ("form[lots][0][price]", price),
        ("form[lots][0][answers][0]", record),
        ("form[proposal]", proposal),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    form.extend(small_subcontractor(0, "30"));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    w.app.call_with(client, "bids/submit", &pairs).await
}

async fn desk(w: &World, client: &reqwest::Client) -> serde_json::Value {
    let (status, body) = w
        .app
        .call_with(client, "bids/desk", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Every table's rows as text, for "the database alone reveals nothing".
async fn dump(app: &TestApp, table: &str) -> String {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => format!("SELECT CAST(t AS TEXT) AS row FROM {table} t"),
        _ => format!("SELECT * FROM {table}"),
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap();
    format!("{rows:?}")
}

/// A double click on a firm's very first bid: its bid row is made with the first version, so
/// on PostgreSQL (no writers' queue) the two race to make it. One counts, the other is told it
/// was already submitted, never a 500 (issue #8 made the row at the end of the submission).
async fn a_firms_first_bid_sent_twice_at_once_counts_once(backend: Backend) {
    let w = world(backend).await;
    let (bidder, record) = firm(&w.app, "双击公司", "91330106MA2B00031", true).await;
    let (a, b) = tokio::join!(
        bid(&w, &bidder, "0", "2430000", &record, "click a"),
        bid(&w, &bidder, "0", "2420000", &record, "click b"),
    );
    let mut statuses = [a.0.as_u16(), b.0.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    let own = desk(&w, &bidder).await;
    assert_eq!(own["submitted_versions"], 1, "{own}");
    assert_eq!(own["submissions"].as_array().unwrap().len(), 1, "{own}");
    // The counted one's audit entry is on the chain, the refused one's is not (its batch was
    // undone with it).
    let submits = app::infra::entities::audit_log::Entity::find()
        .filter(app::infra::entities::audit_log::Column::Action.eq("bid.submit"))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(submits, 1);
    app::infra::audit::verify_chain(&w.app.db)
        .await
        .expect("the audit chain verifies");
}

async fn r_bid_01_nobody_but_the_bidder_learns_of_a_bid_before_the_deadline(backend: Backend) {
    let mut w = world(backend).await;
    let (bidder, record) = firm(&w.app, "密封测试投标人", "91330106MA2B00011", true).await;
    let (status, body) = bid(&w, &bidder, "0", SECRET_PRICE, &record, SECRET_WORDS).await;
    assert_eq!(status, 200, "{body}");
    // A draft change too (sealed with the bidder's key).
    let (status, body) = w
        .app
        .call_with(
            &bidder,
            "bids/submit",
            &[
                ("tender", &w.tender),
                ("intent", "save"),
                ("form[lots][0][price]", "2850000.18"),
                ("form[proposal]", "SEALED-DRAFT-WORDS"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The bidder itself sees its bid.
    let own = desk(&w, &bidder).await;
    assert_eq!(own["submitted_versions"], 1);
    assert_eq!(own["form"]["proposal"], "SEALED-DRAFT-WORDS", "{own}");
    assert_eq!(own["submissions"][0]["counts"], true);

    // Everyone else: anonymous, another supplier, the officer, finance, the administrator.
    let (other, _) = firm(&w.app, "另一家供应商", "91330106MA2B00012", true).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let admin = signed_in(&w.app, "admin@demo.fairtender.cn").await;
    let anonymous = w.app.new_client();
    let tender = w.tender.clone();
    let secrets = [
        SECRET_PRICE,
        SECRET_PRICE_SHOWN,
        "2850000.18",
        SECRET_WORDS,
        "SEALED-DRAFT-WORDS",
        "密封测试投标人",
    ];
    let check = |what: String, body: String| {
        for secret in secrets {
            assert!(!body.contains(secret), "{what} leaks {secret:?}: {body}");
        }
    };
    // Every page the app routes (a parameter filled with the tender's id), and the exports.
    let mut pages: Vec<String> = leptos_axum::generate_route_list(app::ui::App)
        .iter()
        .map(|route| {
            route
                .path()
                .split('/')
                .map(|segment| {
                    if segment.starts_with(':') || segment.starts_with('{') {
                        tender.as_str()
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    assert!(
        pages.len() > 15 && pages.contains(&format!("/tenders/{tender}/bid")),
        "every page route: {pages:?}"
    );
    pages.extend(["/payments.csv".to_string(), "/receipts/verify".to_string()]);
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("tenders/get", vec![("id", &tender)]),
        ("tenders/search", vec![("query[status]", "all")]),
        ("supplier/fit", vec![("id", &tender)]),
        ("supplier/desk", vec![]),
        ("bids/desk", vec![("tender", &tender)]),
        ("agency/evaluation", vec![("tender", &tender)]),
        ("agency/tenders", vec![]),
        ("agency/tenders/get", vec![("id", &tender)]),
        ("agency/open", vec![("tender", &tender)]),
        ("agency/challenges", vec![]),
        ("admin/agencies", vec![]),
    ];
    for (who, client) in [
        ("anonymous", &anonymous),
        ("other supplier", &other),
        ("officer", &w.officer),
        ("finance", &finance),
        ("administrator", &admin),
    ] {
        for page in &pages {
            let response = client
                .get(format!("{}{page}", w.app.address))
                .send()
                .await
                .unwrap();
            check(format!("{who} GET {page}"), response.text().await.unwrap());
        }
        for (endpoint, form) in &calls {
            let (status, body) = w.app.call_with(client, endpoint, form).await;
            check(format!("{who} {endpoint} ({status})"), body.to_string());
        }
    }
    // The officer is told only that bids are sealed, not whether any exist; opening is refused.
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &tender)])
        .await;
    assert!(page["stage"]["Sealed"].is_object(), "{page}");
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &tender)])
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-BID-01"), "{body}");
    // The administrator's audit log names neither the bidder nor the tender for a bid.
    let audit = dump(&w.app, "audit_log").await;
    // A copy of the database alone reveals no price or words of an open bid.
    for table in ["bid", "bid_submission", "audit_log", "notification"] {
        let rows = dump(&w.app, table).await;
        check(format!("table {table}"), rows);
    }
    assert!(!audit.contains("密封测试投标人"));

    // After the deadline the officer opens; the prices are then on the opening record.
    w.at(deadline()).await;
    let bidder = w.again("91330106MA2B00011").await;
    let other = w.again("91330106MA2B00012").await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &tender)])
        .await;
    assert!(page.to_string().contains("2850000.17"), "{page}");
    // The submitted version counts, not the later draft.
    assert!(!page.to_string().contains("2850000.18"), "{page}");
    // The bidder sees the opening record of its lot; a firm that did not bid sees none.
    assert!(desk(&w, &bidder).await["opening"].is_object());
    assert!(desk(&w, &other).await["opening"].is_null());
}

/// Every file under `dir`, read whole.
fn files_under(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(std::fs::read(&path).unwrap());
        }
    }
    out
}

async fn r_bid_01_bid_documents_are_sealed_and_the_counted_version_keeps_its_own(backend: Backend) {
    let mut w = world(backend).await;
    let code = "91330106MA2B00031";
    let (bidder, record) = firm(&w.app, "文件投标人", code, true).await;
    let upload_path = format!("/tenders/{}/bid/documents", w.tender);
    let pdf = b"%PDF-1.7\n% SEALED-DOCUMENT-TEXT unit prices 1234567.89\n%%EOF\n".to_vec();
    let json = "application/json";

    // Bad files are refused on the field, and nothing is attached.
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
    let response = w
        .app
        .upload(&bidder, &upload_path, "price.pdf", elf, json)
        .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body.to_string().contains("PDF"),
        "the accepted types are named: {body}"
    );
    let response = w
        .app
        .upload(&bidder, &upload_path, "empty.pdf", b"", json)
        .await;
    assert_eq!(response.status(), 422);
    assert!(desk(&w, &bidder).await["documents"]
        .as_array()
        .is_none_or(|d| d.is_empty()));

    let response = w
        .app
        .upload(&bidder, &upload_path, "报价明细-SECRETNAME.pdf", &pdf, json)
        .await;
    assert_eq!(response.status(), 204, "{}", response.text().await.unwrap());
    // A browser's form post comes back to the bid page.
    let response = w
        .app
        .upload(
            &bidder,
            &upload_path,
            "附件二.pdf",
            crate::helpers::PDF,
            "text/html",
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        format!("/tenders/{}/bid#documents", w.tender)
    );
    let own = desk(&w, &bidder).await;
    let docs = own["documents"].as_array().unwrap().clone();
    assert_eq!(docs.len(), 2, "{own}");
    assert_eq!(docs[0]["document"]["name"], "报价明细-SECRETNAME.pdf");
    let sha = hex::encode(Sha256::digest(&pdf));
    assert_eq!(docs[0]["document"]["sha256"], sha.as_str());
    let own_href = docs[0]["href"].as_str().unwrap().to_string();
    let second = docs[1]["document"]["id"].as_str().unwrap().to_string();
    // The bidder reads its own document back.
    let response = bidder
        .get(format!("{}{own_href}", w.app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    assert_eq!(response.bytes().await.unwrap().as_ref(), pdf.as_slice());

    // Submitted with both documents; then the second is taken off the draft and a third added,
    // without submitting again: the counted version keeps the two it listed.
    let (status, body) = bid(&w, &bidder, "0", "2700000", &record, "方案").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = w
        .app
        .call_with(
            &bidder,
            "bids/documents/remove",
            &[("tender", &w.tender), ("document", &second)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let response = w
        .app
        .upload(
            &bidder,
            &upload_path,
            "NOT-SUBMITTED.pdf",
            crate::helpers::PDF,
            json,
        )
        .await;
    assert_eq!(response.status(), 204);
    let names: Vec<String> = desk(&w, &bidder).await["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["报价明细-SECRETNAME.pdf", "NOT-SUBMITTED.pdf"]);

    // Nobody else reads it: another supplier, the officer, anonymous.
    let (other, _) = firm(&w.app, "旁观供应商", "91330106MA2B00032", true).await;
    for (who, client) in [
        ("other supplier", &other),
        ("officer", &w.officer),
        ("anonymous", &w.app.new_client()),
    ] {
        let response = client
            .get(format!("{}{own_href}", w.app.address))
            .send()
            .await
            .unwrap();
        assert!(
            [401, 403, 404].contains(&response.status().as_u16()),
            "{who}: {}",
            response.status()
        );
        assert!(!response
            .text()
            .await
            .unwrap()
            .contains("SEALED-DOCUMENT-TEXT"));
    }
    // At rest: neither the stored files nor the table hold the text or the name.
    for file in files_under(&w.app.settings.storage_path) {
        assert!(!file.windows(20).any(|x| x == b"SEALED-DOCUMENT-TEXT"));
        assert!(!String::from_utf8_lossy(&file).contains("SECRETNAME"));
    }
    let rows = dump(&w.app, "bid_document").await;
    assert!(
        !rows.contains("SECRETNAME") && !rows.contains(&sha),
        "{rows}"
    );

    // R-BID-02: after the deadline nothing is added or removed.
    w.at(deadline()).await;
    let bidder = w.again(code).await;
    let response = w
        .app
        .upload(&bidder, &upload_path, "late.pdf", crate::helpers::PDF, json)
        .await;
    assert_eq!(response.status(), 409);
    let kept = desk(&w, &bidder).await["documents"][0]["document"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = w
        .app
        .call_with(
            &bidder,
            "bids/documents/remove",
            &[("tender", &w.tender), ("document", &kept)],
        )
        .await;
    assert_eq!(status, 409);

    // After the opening the officer reads the counted version's documents, and only those.
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let opened = &page["stage"]["Opened"]["lots"][0]["bids"][0];
    let names: Vec<&str> = opened["documents"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|d| d["document"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["报价明细-SECRETNAME.pdf", "附件二.pdf"], "{page}");
    let href = opened["documents"][0]["href"].as_str().unwrap();
    let response = w
        .officer
        .get(format!("{}{href}", w.app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), pdf.as_slice());
    // The document added after the submission is not the agency's to read, nor is the
    // bidder's own route the agency's.
    let not_submitted = desk(&w, &bidder).await["documents"][1]["document"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let opened_id = opened["opened_bid_id"].as_str().unwrap();
    let response = w
        .officer
        .get(format!(
            "{}/agency/tenders/{}/bids/{opened_id}/documents/{not_submitted}",
            w.app.address, w.tender
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let response = bidder
        .get(format!("{}{href}", w.app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

async fn r_bid_02_the_deadline_is_exact_to_the_millisecond(backend: Backend) {
    let mut w = world(backend).await;
    let (_, record) = firm(&w.app, "准时投标人", "91330106MA2B00021", true).await;
    w.at(deadline() - Duration::hours(1)).await;
    let bidder = w.again("91330106MA2B00021").await;
    w.app.clock.set(deadline() - Duration::milliseconds(1));
    let (status, body) = bid(&w, &bidder, "0", "2900000", &record, "v1").await;
    assert_eq!(
        status, 200,
        "R-BID-02: one millisecond before is in time: {body}"
    );

    for at in [deadline(), deadline() + Duration::milliseconds(1)] {
        w.app.clock.set(at);
        let (status, body) = bid(&w, &bidder, "1", "2000000", &record, "late").await;
        assert_eq!(status, 409, "R-BID-02 at {at}: {body}");
        assert!(body.to_string().contains("R-BID-02"), "{body}");
        let (status, _) = w
            .app
            .call_with(&bidder, "bids/withdraw", &[("tender", &w.tender)])
            .await;
        assert_eq!(status, 409);
        let (status, _) = w
            .app
            .call_with(
                &bidder,
                "bids/submit",
                &[
                    ("tender", &w.tender),
                    ("intent", "save"),
                    ("form[proposal]", "x"),
                ],
            )
            .await;
        assert_eq!(status, 409);
    }
    // The bid in time is intact.
    let own = desk(&w, &bidder).await;
    assert_eq!(own["submitted_versions"], 1);
    assert_eq!(own["withdrawn"], false);
    assert_eq!(own["form"]["lots"][0]["price"], "2900000", "{own}");
    assert_eq!(own["form"]["proposal"], "v1");
}

/// R-BID-02 under contention (SQLite, where writers take turns): a bid that arrives in time
/// but gets its turn to write only at the deadline is refused, and nothing of it is stored. Its
/// time is read when it may write, not when it arrived.
#[tokio::test]
async fn r_bid_02_a_bid_whose_turn_to_write_comes_at_the_deadline_is_refused() {
    let mut w = world(Backend::Sqlite).await;
    let (_, record) = firm(&w.app, "排队投标人", "91330106MA2B00031", true).await;
    w.at(deadline() - Duration::hours(1)).await;
    let bidder = w.again("91330106MA2B00031").await;
    w.app.clock.set(deadline() - Duration::milliseconds(5));

    // Another write holds the turn while the bid arrives, and ends at the deadline.
    let other = app::infra::db::begin_write(&w.app.db)
        .await
        .expect("a write begins");
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        w.app.clock.set(deadline());
        other.commit().await.expect("the other write commits");
    };
    let ((status, body), ()) =
        tokio::join!(bid(&w, &bidder, "0", "2900000", &record, "queued"), release);
    assert_eq!(
        status, 409,
        "R-BID-02: accepted after waiting past the deadline: {body}"
    );
    assert!(body.to_string().contains("R-BID-02"), "{body}");
    let own = desk(&w, &bidder).await;
    assert_eq!(own["submitted_versions"], 0, "{own}");
}

async fn bad_bids_are_refused_and_the_last_good_submission_stays(backend: Backend) {
    let w = world(backend).await;
    let (bidder, record) = firm(&w.app, "认真投标人", "91330106MA2B00031", true).await;
    let (_, theirs) = firm(&w.app, "别家公司", "91330106MA2B00032", true).await;
    let (status, body) = bid(&w, &bidder, "0", "2500000", &record, "good").await;
    assert_eq!(status, 200, "{body}");

    for (price, answer, field) in [
        ("2500000.123", record.as_str(), "lots[0].price"),
        ("-5", record.as_str(), "lots[0].price"),
        // R-BID-03: above the ceiling, shown.
        ("3000000.01", record.as_str(), "lots[0].price"),
        // Another firm's record.
        ("2400000", theirs.as_str(), "lots[0].answers[0]"),
    ] {
        let (status, body) = bid(&w, &bidder, "1", price, answer, "bad").await;
        assert_eq!(status, 422, "{price}: {body}");
        assert_eq!(error_fields(&body), vec![field], "{body}");
        if price == "3000000.01" {
            assert!(body.to_string().contains("¥3,000,000.00"), "{body}");
        }
    }
    // An answer to a criterion the lot does not have.
    let (status, body) = w
        .app
        .call_with(
            &bidder,
            "bids/submit",
            &[
                ("tender", &w.tender),
                ("intent", "submit"),
                ("seen_versions", "1"),
                ("form[lots][0][include]", "on"),
                ("form[lots][0][price]", "2400000"),
                ("form[lots][0][answers][0]", &record),
                ("form[lots][0][answers][1]", ""),
                ("form[lots][0][answers][2]", &record),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), vec!["lots[0].answers[2]"]);
    // A second submit of the same page (same seen count) is refused, not counted twice.
    let (status, body) = bid(&w, &bidder, "1", "2450000", &record, "second").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = bid(&w, &bidder, "1", "2440000", &record, "double click").await;
    assert_eq!(status, 409, "{body}");
    let own = desk(&w, &bidder).await;
    assert_eq!(own["submitted_versions"], 2);
    assert_eq!(own["form"]["lots"][0]["price"], "2450000", "{own}");
    assert_eq!(own["form"]["proposal"], "second");

    // Two submits at once of the same page: exactly one counts.
    let (a, b) = tokio::join!(
        bid(&w, &bidder, "2", "2430000", &record, "race a"),
        bid(&w, &bidder, "2", "2420000", &record, "race b"),
    );
    let mut statuses = [a.0.as_u16(), b.0.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    assert_eq!(desk(&w, &bidder).await["submitted_versions"], 3);

    // A supplier that started a bid hears of clarifications without watching the tender.
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/tenders/clarify",
            &[("id", &w.tender), ("body", "运维时间为工作日 8:00-18:00")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, mine) = w.app.call_with(&bidder, "supplier/desk", &[]).await;
    assert_eq!(mine["notifications"].as_array().unwrap().len(), 1, "{mine}");
    assert!(mine["notifications"][0]["body"]["en"]
        .as_str()
        .unwrap()
        .contains("watch or bid on"));

    // A cancelled tender takes no bids; the bid stays as it was.
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/tenders/cancel",
            &[("id", &w.tender), ("reason", "预算调整")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = bid(&w, &bidder, "3", "2400000", &record, "after cancel").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(desk(&w, &bidder).await["submitted_versions"], 3);
}

async fn receipts_verify_and_a_tampered_one_fails(backend: Backend) {
    let w = world(backend).await;
    let (bidder, record) = firm(&w.app, "回执投标人", "91330106MA2B00041", true).await;
    let (status, first) = bid(&w, &bidder, "0", "2600000", &record, "v1").await;
    assert_eq!(status, 200, "{first}");
    let receipt = first["receipt"].as_str().unwrap().to_string();
    assert_eq!(first["digest"].as_str().unwrap().len(), 64);

    let check = |receipt: String| {
        let app = &w.app;
        async move {
            let (status, body) = app.call("receipts/verify", &[("receipt", &receipt)]).await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let ok = check(receipt.clone()).await;
    assert_eq!(ok["valid"], true, "{ok}");
    assert_eq!(ok["version"], 1);
    assert!(ok["message"]["en"].as_str().unwrap().contains("counts"));

    // Tampered: a changed digest (re-encoded payload) or a changed signature.
    let (signed, signature) = receipt.rsplit_once('.').unwrap();
    let (prefix, payload) = signed.split_once('.').unwrap();
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut json: serde_json::Value =
        serde_json::from_slice(&engine.decode(payload).unwrap()).unwrap();
    json["version"] = serde_json::json!(2);
    let forged = format!(
        "{prefix}.{}.{signature}",
        engine.encode(serde_json::to_vec(&json).unwrap())
    );
    assert_eq!(check(forged).await["valid"], false);
    let mut sig = signature.to_string();
    let last = if sig.ends_with('A') { "B" } else { "A" };
    sig.replace_range(sig.len() - 1.., last);
    assert_eq!(check(format!("{signed}.{sig}")).await["valid"], false);
    assert_eq!(check("not a receipt".into()).await["valid"], false);

    // A later version replaces the first: its receipt stays valid but no longer counts.
    let (status, _) = bid(&w, &bidder, "1", "2550000", &record, "v2").await;
    assert_eq!(status, 200);
    let old = check(receipt).await;
    assert_eq!(old["valid"], true);
    assert!(
        old["message"]["en"].as_str().unwrap().contains("replaced"),
        "{old}"
    );
}

/// Marks a bid: ISO 9001 passed, the approach scored 50 of 60.
pub(crate) async fn mark(w: &World, opened_bid: &str, criteria: &[serde_json::Value], score: &str) {
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/marks",
            &[
                ("tender", &w.tender),
                ("opened_bid", opened_bid),
                ("marks[0][criterion]", criteria[0]["id"].as_str().unwrap()),
                ("marks[0][passed]", "pass"),
                ("marks[0][reason]", "证书有效"),
                ("marks[1][criterion]", criteria[1]["id"].as_str().unwrap()),
                ("marks[1][score]", score),
                ("marks[1][reason]", "方案完整"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The test tender awarded: three firms bid, the officer opens five minutes after the deadline,
/// marks every bid alike and awards lot 1 to the small firm "小微甲公司" (code
/// `91330106MA2B00061`) at 2,850,000. Returns the world and the lot's id.
pub(crate) async fn awarded(backend: Backend) -> (World, String) {
    let mut w = world(backend).await;
    for (name, code, small, price) in [
        ("小微甲公司", "91330106MA2B00061", true, "2850000"),
        ("大型乙集团", "91330106MA2B00062", false, "2700000"),
        ("小微丙公司", "91330106MA2B00063", true, "2990000"),
    ] {
        let (client, record) = firm(&w.app, name, code, small).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    let lot_id = open_mark_and_award(&mut w).await;
    (w, lot_id)
}

/// Five minutes after the deadline the officer opens the test tender, marks every bid on lot 1
/// alike (ISO 9001 passed, 50 points) and awards it. Returns the lot's id.
pub(crate) async fn open_mark_and_award(w: &mut World) -> String {
    w.at(deadline() + Duration::minutes(5)).await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    mark_all_and_award(w).await
}

/// The officer marks every opened bid on lot 1 of `w.tender` alike (ISO 9001 passed, 50
/// points) and awards it. Returns the lot's id.
pub(crate) async fn mark_all_and_award(w: &World) -> String {
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let lot = page["stage"]["Opened"]["lots"][0].clone();
    let criteria = lot["criteria"].as_array().unwrap().clone();
    for b in lot["bids"].as_array().unwrap() {
        mark(w, b["opened_bid_id"].as_str().unwrap(), &criteria, "50").await;
    }
    let lot_id = lot["lot_id"].as_str().unwrap().to_string();
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/award",
            &[("tender", &w.tender), ("lot", &lot_id)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    lot_id
}

async fn r_sme_03_a_small_firm_wins_on_price_after_the_deduction(backend: Backend) {
    let mut w = world(backend).await;
    let (small_a, rec_a) = firm(&w.app, "小微甲公司", "91330106MA2B00051", true).await;
    let (large_b, rec_b) = firm(&w.app, "大型乙集团", "91330106MA2B00052", false).await;
    let (small_c, rec_c) = firm(&w.app, "小微丙公司", "91330106MA2B00053", true).await;
    for (client, price, record) in [
        (&small_a, "2850000", &rec_a),
        (&large_b, "2700000", &rec_b),
        (&small_c, "2990000", &rec_c),
    ] {
        let (status, body) = bid(&w, client, "0", price, record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    w.at(deadline() + Duration::minutes(5)).await;
    let large_b = w.again("91330106MA2B00052").await;
    let small_a = w.again("91330106MA2B00051").await;
    let small_c = w.again("91330106MA2B00053").await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let lot = &page["stage"]["Opened"]["lots"][0];
    assert_eq!(lot["state"], "Evaluating", "{page}");
    // Not final before every mark is in: award refused.
    let lot_id = lot["lot_id"].as_str().unwrap().to_string();
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/award",
            &[("tender", &w.tender), ("lot", &lot_id)],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let criteria = lot["criteria"].as_array().unwrap().clone();
    // A score above the criterion's weight is refused on its field.
    let b0 = lot["bids"][0]["opened_bid_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/marks",
            &[
                ("tender", &w.tender),
                ("opened_bid", &b0),
                ("marks[0][criterion]", criteria[1]["id"].as_str().unwrap()),
                ("marks[0][score]", "60.5"),
                ("marks[0][reason]", "x"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), vec!["marks[0].score"]);
    for b in lot["bids"].as_array().unwrap() {
        mark(&w, b["opened_bid_id"].as_str().unwrap(), &criteria, "50").await;
    }
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let lot = &page["stage"]["Opened"]["lots"][0];
    assert_eq!(lot["incomplete"], serde_json::json!([]), "{lot}");
    let line = |name: &str| {
        lot["bids"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["score"]["supplier_name"] == name)
            .unwrap()["score"]
            .clone()
    };
    // Hand-computed (R-SME-03, R-EVAL-01): A 2,850,000 less 10% = 2,565,000 (lowest) scores
    // 40.00; B 2,700,000 (no deduction) scores 2,565,000 / 2,700,000 x 40 = 38.00; C 2,990,000
    // less 10% = 2,691,000 scores 38.127... = 38.13. Totals with 50 technical points: A 90.00,
    // C 88.13, B 88.00. Without the deduction B (lowest at 2,700,000) would have 90.00 and A
    // 2,700,000 / 2,850,000 x 40 + 50 = 87.89.
    let (a, b, c) = (line("小微甲公司"), line("大型乙集团"), line("小微丙公司"));
    assert_eq!(a["evaluated_price"], "2565000");
    assert_eq!(a["deduction"], "10");
    assert_eq!(b["evaluated_price"], "2700000");
    assert_eq!(b["deduction"], "0");
    assert_eq!(c["evaluated_price"], "2691000");
    assert_eq!(a["price_score"], "40");
    assert_eq!(b["price_score"], "38");
    assert_eq!(c["price_score"], "38.13");
    assert_eq!(
        (a["rank"].clone(), c["rank"].clone(), b["rank"].clone()),
        (1.into(), 2.into(), 3.into())
    );

    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/award",
            &[("tender", &w.tender), ("lot", &lot_id)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Twice is refused.
    let (status, _) = w
        .app
        .call_with(
            &w.officer,
            "agency/award",
            &[("tender", &w.tender), ("lot", &lot_id)],
        )
        .await;
    assert_eq!(status, 409);
    // The public award notice: the winner at its bid price (not the evaluated price), with its
    // SME declaration (R-SME-04), and the contract date (R-AWARD-01).
    let (_, detail) = w.app.call("tenders/get", &[("id", &w.tender)]).await;
    let award = &detail["awards"][0];
    assert_eq!(award["supplier_name"], "小微甲公司", "{detail}");
    assert_eq!(award["price"], "2850000");
    assert_eq!(award["size_class"], "small");
    assert_eq!(award["declaration"]["headcount"], 12);
    assert_eq!(award["sign_contract_by"], "2027-01-16");
    // Each bidder sees its own breakdown and rank, and only its own.
    let own_b = desk(&w, &large_b).await;
    let results = own_b["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0][1]["supplier_name"], "大型乙集团");
    assert_eq!(results[0][1]["rank"], 3);
    assert_eq!(results[0][1]["total"], "88");
    assert!(!own_b["results"].to_string().contains("小微丙公司"));
    let own_a = desk(&w, &small_a).await;
    assert_eq!(own_a["results"][0][1]["rank"], 1);
    assert_eq!(desk(&w, &small_c).await["results"][0][1]["rank"], 2);
}

async fn r_bid_04_a_lot_with_fewer_than_three_bids_fails(backend: Backend) {
    let mut w = world(backend).await;
    let (a, rec_a) = firm(&w.app, "甲", "91330106MA2B00061", true).await;
    let (b, rec_b) = firm(&w.app, "乙", "91330106MA2B00062", true).await;
    let (c, rec_c) = firm(&w.app, "丙", "91330106MA2B00063", true).await;
    for (client, record) in [(&a, &rec_a), (&b, &rec_b), (&c, &rec_c)] {
        let (status, body) = bid(&w, client, "0", "2000000", record, "p").await;
        assert_eq!(status, 200, "{body}");
    }
    // One withdraws: two bids count.
    let (status, body) = w
        .app
        .call_with(&c, "bids/withdraw", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(desk(&w, &c).await["withdrawn"], true);
    w.at(deadline()).await;
    let a = w.again("91330106MA2B00061").await;
    let c = w.again("91330106MA2B00063").await;
    let (status, _) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200);
    let (_, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    let lot = &page["stage"]["Opened"]["lots"][0];
    assert_eq!(lot["state"], "Failed", "{page}");
    assert_eq!(lot["bids"].as_array().unwrap().len(), 2);
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/award",
            &[
                ("tender", &w.tender),
                ("lot", lot["lot_id"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(body.to_string().contains("R-BID-04"), "{body}");
    // The withdrawn bidder is not on the opening record.
    assert!(desk(&w, &c).await["opening"].is_null());
    assert_eq!(desk(&w, &a).await["opening"]["lots"][0]["state"], "Failed");
}

async fn r_chal_01_challenges_are_answered_and_overdue_ones_flagged(backend: Backend) {
    let mut w = world(backend).await;
    let (supplier, _) = firm(&w.app, "质疑人", "91330106MA2B00071", true).await;
    let (status, body) = w
        .app
        .call_with(
            &supplier,
            "bids/challenge",
            &[("tender", &w.tender), ("subject", "terms"), ("body", "")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = w
        .app
        .call_with(
            &supplier,
            "bids/challenge",
            &[
                ("tender", &w.tender),
                ("subject", "terms"),
                ("body", "运维方案评分标准不明确"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // An award challenge before any award is refused.
    let (status, _) = w
        .app
        .call_with(
            &supplier,
            "bids/challenge",
            &[("tender", &w.tender), ("subject", "award"), ("body", "x")],
        )
        .await;
    assert_eq!(status, 422);

    let (_, open) = w.app.call_with(&w.officer, "agency/challenges", &[]).await;
    let c = &open[0];
    // Filed Thursday 2026-11-26: 7 working days later is Monday 2026-12-07.
    assert_eq!(c["answer_due"], "2026-12-07", "{open}");
    assert_eq!(c["overdue"], false);
    w.at(Utc.with_ymd_and_hms(2026, 12, 8, 2, 0, 0).unwrap())
        .await;
    let supplier = w.again("91330106MA2B00071").await;
    let (_, open) = w.app.call_with(&w.officer, "agency/challenges", &[]).await;
    assert_eq!(open[0]["overdue"], true, "{open}");
    // Another agency's officer cannot answer it; the supplier cannot either.
    let (status, _) = w
        .app
        .call_with(
            &supplier,
            "agency/challenges/answer",
            &[("challenge", c["id"].as_str().unwrap()), ("answer", "x")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = w
        .app
        .call_with(
            &w.officer,
            "agency/challenges/answer",
            &[
                ("challenge", c["id"].as_str().unwrap()),
                ("answer", "评分标准见第三章"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, open) = w.app.call_with(&w.officer, "agency/challenges", &[]).await;
    assert_eq!(open, serde_json::json!([]));
    let own = desk(&w, &supplier).await;
    assert_eq!(own["challenges"][0]["answer"], "评分标准见第三章");
    // IR Art. 53 (R-CHAL-01, issue #33): the terms' 7 working days run from the END of the
    // documents' availability period (R-TIME-03: 5 working days from publication, Thursday
    // 2026-11-26, so Thursday 2026-12-03), to Monday 2026-12-14; before issue #33 this test
    // refused this challenge on 2026-12-08 (7 working days from the publication).
    let (status, body) = w
        .app
        .call_with(
            &supplier,
            "bids/challenge",
            &[
                ("tender", &w.tender),
                ("subject", "terms"),
                ("body", "第二项评分标准仍不明确"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    w.at(Utc.with_ymd_and_hms(2026, 12, 15, 2, 0, 0).unwrap())
        .await;
    let supplier = w.again("91330106MA2B00071").await;
    let (status, body) = w
        .app
        .call_with(
            &supplier,
            "bids/challenge",
            &[
                ("tender", &w.tender),
                ("subject", "terms"),
                ("body", "太晚了"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-CHAL-01"));
    assert!(body.to_string().contains("2026-12-14"), "{body}");
}
