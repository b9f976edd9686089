//! Tender documents, and what a supplier keeps between visits: the watch list with its
//! notifications, how its profile fits each lot, and saved searches (issue #4).

use crate::helpers::{
    error_fields, spawn_app, spawn_app_with, Backend, TestApp, PDF, SUPPLIER_PASSWORD,
};
use crate::on_both_backends;
use crate::tenders::{draft, save, signed_in};

on_both_backends!(
    tender_documents_attach_to_drafts_and_become_public_with_the_tender,
    watchers_are_notified_of_clarifications_and_cancellation,
    the_fit_names_what_the_profile_is_missing,
    saved_searches_run_again_and_bad_input_saves_nothing,
);

/// The officer's new draft (two lots, reserved whole for SMEs), and the officer's client.
async fn new_draft(app: &TestApp) -> (reqwest::Client, String) {
    app.seed_demo().await;
    let officer = signed_in(app, "buyer@demo.fairtender.cn").await;
    let (status, id) = save(app, &officer, &draft("两名持有网络工程师证书的驻场人员")).await;
    assert_eq!(status, 200, "{id}");
    (officer, id.as_str().unwrap().to_string())
}

async fn publish(app: &TestApp, officer: &reqwest::Client, id: &str) {
    let (status, body) = app
        .call_with(officer, "agency/tenders/publish", &[("id", id)])
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    tender: &str,
    name: &str,
    bytes: &[u8],
    accept: &str,
) -> reqwest::Response {
    let path = format!("/agency/tenders/{tender}/documents");
    app.upload(client, &path, name, bytes, accept).await
}

async fn draft_documents(
    app: &TestApp,
    officer: &reqwest::Client,
    id: &str,
) -> Vec<serde_json::Value> {
    let (status, body) = app
        .call_with(officer, "agency/tenders/get", &[("id", id)])
        .await;
    assert_eq!(status, 200, "{body}");
    body["documents"].as_array().unwrap().clone()
}

async fn tender_documents_attach_to_drafts_and_become_public_with_the_tender(backend: Backend) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;

    // A file of a type that is not allowed is refused on its field; the draft keeps its documents.
    let response = upload(
        &app,
        &officer,
        &id,
        "招标文件.pdf",
        b"\x7fELF\x02\x01\x01\0",
        "*/*",
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "file", "{body}");
    assert!(draft_documents(&app, &officer, &id).await.is_empty());
    // Without JavaScript the refusal comes back to the draft's page, at the documents.
    let response = upload(&app, &officer, &id, "x.exe", b"MZ\x90\0", "text/html").await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("/agency/tenders/{id}?__path=")),
        "{location}"
    );
    assert!(location.ends_with("#documents"), "{location}");

    assert_eq!(
        upload(&app, &officer, &id, "招标文件.pdf", PDF, "*/*")
            .await
            .status(),
        204
    );
    let mut second = PDF.to_vec();
    second.extend_from_slice(b"% second\n");
    assert_eq!(
        upload(&app, &officer, &id, "附件二.pdf", &second, "*/*")
            .await
            .status(),
        204
    );
    let docs = draft_documents(&app, &officer, &id).await;
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["name"], "招标文件.pdf");
    let href = docs[0]["href"].as_str().unwrap().to_string();

    // Before publication only the agency reads its draft's documents.
    let anonymous = app.new_client();
    let url = format!("{}{href}", app.address);
    assert_eq!(anonymous.get(&url).send().await.unwrap().status(), 404);
    let draft_copy = officer.get(&url).send().await.unwrap();
    assert_eq!(draft_copy.status(), 200);
    assert_eq!(
        draft_copy.headers()["cache-control"],
        "private, no-store",
        "no shared cache keeps a draft's document"
    );
    // Nobody else may add one.
    let supplier = app.new_client();
    app.register_supplier(&supplier, "小溪软件", "91330106MA2C00011")
        .await;
    assert_eq!(
        upload(&app, &supplier, &id, "x.pdf", PDF, "*/*")
            .await
            .status(),
        403
    );

    // The second is taken off before publication.
    let (status, body) = app
        .call_with(
            &officer,
            "agency/tenders/documents/remove",
            &[
                ("tender", id.as_str()),
                ("document", docs[1]["id"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(draft_documents(&app, &officer, &id).await.len(), 1);

    publish(&app, &officer, &id).await;
    let (_, public) = app.call("tenders/get", &[("id", &id)]).await;
    // R-TIME-03: published Thursday 26 November; five working days end Thursday 3 December.
    assert_eq!(public["documents_available_until"], "2026-12-03");
    let listed = public["documents"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{public}");
    assert_eq!(listed[0]["href"], href.as_str());
    let response = anonymous.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["cache-control"], "public, max-age=300");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

    // Published documents are fixed (R-REC-01).
    assert_eq!(
        upload(&app, &officer, &id, "late.pdf", &second, "*/*")
            .await
            .status(),
        422
    );
    let (status, _) = app
        .call_with(
            &officer,
            "agency/tenders/documents/remove",
            &[
                ("tender", id.as_str()),
                ("document", listed[0]["id"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        app.call("tenders/get", &[("id", &id)]).await.1["documents"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_oversized_tender_document_is_refused_with_the_limit_and_nothing_changes() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.max_upload_bytes = 1024 * 1024).await;
    let (officer, id) = new_draft(&app).await;
    assert_eq!(
        upload(&app, &officer, &id, "a.pdf", PDF, "*/*")
            .await
            .status(),
        204
    );
    let mut big = PDF.to_vec();
    big.resize(1024 * 1024 + 1, b' ');
    let response = upload(&app, &officer, &id, "big.pdf", &big, "*/*").await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "file", "{body}");
    assert!(
        body["Invalid"]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("at most 1 MB"),
        "{body}"
    );
    let docs = draft_documents(&app, &officer, &id).await;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["name"], "a.pdf");
}

/// A registered supplier (not yet declared an SME) and its client.
async fn supplier(app: &TestApp, name: &str, code: &str) -> reqwest::Client {
    supplier_with_email(app, name, code).await.0
}

async fn supplier_with_email(app: &TestApp, name: &str, code: &str) -> (reqwest::Client, String) {
    let client = app.new_client();
    let email = app.register_supplier(&client, name, code).await;
    (client, email)
}

/// Signs a supplier's owner in again (after the test clock has moved past the session's life).
async fn sign_in_again(app: &TestApp, email: &str) -> reqwest::Client {
    app.sign_in(email, SUPPLIER_PASSWORD).await
}

async fn desk(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    let (status, body) = app.call_with(client, "supplier/desk", &[]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn watchers_are_notified_of_clarifications_and_cancellation(backend: Backend) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    let (watcher, watcher_email) = supplier_with_email(&app, "小溪软件", "91330106MA2C00011").await;
    let (_, bystander_email) = supplier_with_email(&app, "青石科技", "91330106MA2C00012").await;

    // A draft cannot be watched: it is not public.
    let (status, _) = app
        .call_with(
            &watcher,
            "supplier/watch",
            &[("id", id.as_str()), ("watch", "1")],
        )
        .await;
    assert_eq!(status, 404);
    publish(&app, &officer, &id).await;
    for _ in 0..2 {
        let (status, body) = app
            .call_with(
                &watcher,
                "supplier/watch",
                &[("id", id.as_str()), ("watch", "1")],
            )
            .await;
        assert_eq!((status.as_u16(), body), (200, serde_json::json!(true)));
    }
    // Only suppliers watch.
    let (status, _) = app
        .call_with(
            &officer,
            "supplier/watch",
            &[("id", id.as_str()), ("watch", "1")],
        )
        .await;
    assert_eq!(status, 403);
    let watched = desk(&app, &watcher).await;
    assert_eq!(
        watched["watched"].as_array().unwrap().len(),
        1,
        "watching twice is once"
    );
    assert_eq!(
        watched["watched"][0]["summary"]["title"],
        "市属学校信息化运维服务"
    );

    // An amendment that affects bids: the watcher hears of it and of the new deadline.
    let (_, detail) = app.call("tenders/get", &[("id", &id)]).await;
    let deadline: chrono::DateTime<chrono::Utc> = detail["summary"]["bid_deadline"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.clock.set(deadline - chrono::Duration::days(10));
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let watcher = sign_in_again(&app, &watcher_email).await;
    let bystander = sign_in_again(&app, &bystander_email).await;
    let (status, c) = app
        .call_with(
            &officer,
            "agency/tenders/clarify",
            &[
                ("id", id.as_str()),
                ("body", "修改：服务期改为两年。"),
                ("affects_bids", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let moved = app::i18n::format_datetime(c["deadline_after"].as_str().unwrap().parse().unwrap());
    let notes = desk(&app, &watcher).await["notifications"].clone();
    assert_eq!(notes.as_array().unwrap().len(), 1, "{notes}");
    assert_eq!(notes[0]["tender_id"], id.as_str());
    assert_eq!(notes[0]["read"], false);
    assert!(
        notes[0]["body"]["zh"].as_str().unwrap().contains(&moved),
        "{notes}"
    );
    assert!(notes[0]["body"]["en"]
        .as_str()
        .unwrap()
        .contains("clarification"));
    assert!(desk(&app, &bystander).await["notifications"]
        .as_array()
        .unwrap()
        .is_empty());

    let (status, _) = app
        .call_with(&watcher, "supplier/notifications/read", &[])
        .await;
    assert_eq!(status, 200);
    app.call_with(
        &officer,
        "agency/tenders/cancel",
        &[("id", id.as_str()), ("reason", "预算调整，项目取消。")],
    )
    .await;
    let notes = desk(&app, &watcher).await["notifications"].clone();
    assert_eq!(notes.as_array().unwrap().len(), 2);
    // Newest first: the cancellation, unread, with its reason; the clarification stays read.
    assert!(notes[0]["body"]["zh"]
        .as_str()
        .unwrap()
        .contains("预算调整"));
    assert_eq!(notes[0]["read"], false);
    assert_eq!(notes[1]["read"], true);

    let (status, body) = app
        .call_with(
            &watcher,
            "supplier/watch",
            &[("id", id.as_str()), ("watch", "0")],
        )
        .await;
    assert_eq!((status.as_u16(), body), (200, serde_json::json!(false)));
    assert!(desk(&app, &watcher).await["watched"]
        .as_array()
        .unwrap()
        .is_empty());
}

async fn fit(app: &TestApp, client: &reqwest::Client, id: &str) -> serde_json::Value {
    let (status, body) = app.call_with(client, "supplier/fit", &[("id", id)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn the_fit_names_what_the_profile_is_missing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    publish(&app, &officer, &id).await;
    let firm = supplier(&app, "小溪软件", "91330106MA2C00011").await;

    // Nobody but a supplier gets an answer, and it is no refusal either.
    assert_eq!(
        fit(&app, &app.new_client(), &id).await,
        serde_json::Value::Null
    );
    assert_eq!(fit(&app, &officer, &id).await, serde_json::Value::Null);

    // An empty profile: each lot's pass/fail requirement is missing, and the tender is reserved
    // for SMEs, which the firm has not declared (R-SME-01).
    let f = fit(&app, &firm, &id).await;
    let lots = f["lots"].as_array().unwrap();
    assert_eq!(lots.len(), 2);
    assert_eq!(
        (
            lots[0]["fit"]["met"].as_u64(),
            lots[0]["fit"]["total"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(
        lots[0]["fit"]["missing"][0]["requirement"],
        "具备 ISO 9001 质量管理体系认证"
    );
    assert_eq!(
        lots[1]["fit"]["missing"][0]["requirement"],
        "两名持有网络工程师证书的驻场人员"
    );
    assert_eq!(lots[0]["fit"]["reserved_not_sme"], true);
    assert_eq!(f["watching"], false);

    // An ISO 9001 record answers the first lot; an expired staff record does not answer the
    // second, and is named.
    for (kind, title, until) in [
        (
            "quality_system",
            "ISO 9001:2015 质量管理体系认证",
            "2029-06-30",
        ),
        ("staff_qualification", "网络工程师", "2026-11-01"),
    ] {
        let (status, body) = app
            .call_with(
                &firm,
                "profile/capabilities/add",
                &[
                    ("form[kind]", kind),
                    ("form[title]", title),
                    ("form[number]", "A-100200"),
                    ("form[issuer]", "认证机构"),
                    ("form[valid_until]", until),
                    ("form[details]", ""),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app
        .call_with(
            &firm,
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
    let f = fit(&app, &firm, &id).await;
    let lots = f["lots"].as_array().unwrap();
    assert_eq!(lots[0]["fit"]["met"], 1, "{f}");
    assert_eq!(lots[0]["fit"]["reserved_not_sme"], false);
    assert_eq!(lots[1]["fit"]["met"], 0, "{f}");
    assert_eq!(lots[1]["fit"]["missing"][0]["expired_record"], "网络工程师");

    // The search list says the same, per result, to this supplier only.
    let query = [("query[q]", "信息化运维")];
    let (_, results) = app.call_with(&firm, "tenders/search", &query).await;
    assert_eq!(
        results["fits"][id.as_str()],
        serde_json::json!({"eligible_lots": 1, "lots": 2}),
        "{results}"
    );
    let (_, results) = app.call("tenders/search", &query).await;
    assert_eq!(results["fits"], serde_json::json!({}));
}

async fn save_search(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    query: &[(&str, &str)],
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut form: Vec<(String, String)> = vec![("name".into(), name.into())];
    form.extend(
        query
            .iter()
            .map(|(k, v)| (format!("query[{k}]"), v.to_string())),
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_with(client, "supplier/searches/save", &form).await
}

async fn saved_searches_run_again_and_bad_input_saves_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (officer, id) = new_draft(&app).await;
    publish(&app, &officer, &id).await;
    let firm = supplier(&app, "小溪软件", "91330106MA2C00011").await;
    let other = supplier(&app, "青石科技", "91330106MA2C00012").await;

    let (status, saved) = save_search(
        &app,
        &firm,
        "学校运维",
        &[("q", "信息化运维"), ("sme", "1")],
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    // Bad input: every field named, nothing saved.
    let (status, body) = save_search(&app, &firm, " ", &[("budget_min", "1.234")]).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&body), ["name", "budget_min"]);

    let searches = desk(&app, &firm).await["searches"].clone();
    assert_eq!(searches.as_array().unwrap().len(), 1, "{searches}");
    assert_eq!(searches[0]["name"], "学校运维");
    assert_eq!(
        searches[0]["href"],
        "/?q=%E4%BF%A1%E6%81%AF%E5%8C%96%E8%BF%90%E7%BB%B4&sme=1"
    );
    assert_eq!(searches[0]["open_matches"], 1);
    // The link finds what the count says.
    let (status, page) = app.get_text(searches[0]["href"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains("市属学校信息化运维服务"));

    // Another firm neither sees nor deletes it.
    assert!(desk(&app, &other).await["searches"]
        .as_array()
        .unwrap()
        .is_empty());
    let sid = saved.as_str().unwrap();
    assert_eq!(
        app.call_with(&other, "supplier/searches/delete", &[("id", sid)])
            .await
            .0,
        404
    );
    assert_eq!(
        app.call_with(&firm, "supplier/searches/delete", &[("id", sid)])
            .await
            .0,
        200
    );
    assert!(desk(&app, &firm).await["searches"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        app.call_with(&firm, "supplier/searches/delete", &[("id", sid)])
            .await
            .0,
        404
    );
}
