//! The barrier review (issue #34): a clause the barrier check refuses (R-BAR-01..03, R-SME-04)
//! goes to the platform administrator with the officer's reason; an approval lets exactly that
//! clause through, in public and in the audit log (R-REC-01); nothing else gets through.

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::tenders::{draft, save, signed_in};
use app::domain::review::{ReviewAudit, ReviewStatus, ReviewedFinding};
use app::infra::entities::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

on_both_backends!(
    r_bar_01_a_refused_clause_approved_by_the_administrator_is_published_and_shown,
    r_bar_02_a_clause_added_after_the_approval_is_still_refused,
    r_bar_01_only_the_administrator_decides_and_only_the_agency_asks,
    r_bar_01_a_rejected_request_leaves_the_draft_unpublishable_and_says_why,
    r_bar_01_a_request_without_a_reason_is_refused_with_a_clear_message,
);

/// R-BAR-01: a size condition the recogniser refuses.
const CAPITAL: &str = "投标人注册资本不少于1000万元。";
/// R-BAR-02: a track record the recogniser refuses.
const TRACK_RECORD: &str = "Bidders must have completed at least three similar projects.";

const REASON: &str = "该条款引自上级主管部门的批复文件，经法律顾问确认符合规定。";
const NOTE: &str = "经核实，该条款系引用法规原文说明，不作为资格条件。";

/// A draft of the demo agency whose description asks for registered capital; returns its id.
async fn refused_draft(app: &TestApp, officer: &reqwest::Client, extra: &str) -> String {
    let form = with_description(draft(extra), "");
    let (status, id) = save(app, officer, &form).await;
    assert_eq!(status, 200, "{id}");
    id.as_str().unwrap().to_string()
}

/// The demo draft form with `CAPITAL` in its description, saved as `id` (empty: a new draft).
fn with_description(mut form: Vec<(String, String)>, id: &str) -> Vec<(String, String)> {
    for (k, v) in form.iter_mut() {
        match k.as_str() {
            "id" => *v = id.to_string(),
            "form[description]" => *v = format!("为 12 所学校提供三年的网络与终端运维。{CAPITAL}"),
            _ => {}
        }
    }
    form
}

async fn publish(app: &TestApp, officer: &reqwest::Client, id: &str) -> (u16, Value) {
    let (status, body) = app
        .call_with(officer, "agency/tenders/publish", &[("id", id)])
        .await;
    (status.as_u16(), body)
}

/// The rules of a refusal's errors, read from each message's `[R-...]` prefix.
fn refused_rules(body: &Value) -> Vec<String> {
    body["Fields"]["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("not a Fields error: {body}"))
        .iter()
        .map(|e| {
            let en = e["message"]["en"].as_str().unwrap();
            en.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

async fn desk(app: &TestApp, officer: &reqwest::Client, id: &str) -> Value {
    let (status, desk) = app
        .call_with(officer, "agency/tenders/review", &[("id", id)])
        .await;
    assert_eq!(status, 200, "{desk}");
    desk
}

async fn request(app: &TestApp, officer: &reqwest::Client, id: &str, reason: &str) -> (u16, Value) {
    let (status, body) = app
        .call_with(
            officer,
            "agency/tenders/review/request",
            &[("id", id), ("reason", reason)],
        )
        .await;
    (status.as_u16(), body)
}

async fn decide(
    app: &TestApp,
    who: &reqwest::Client,
    review: &str,
    decision: &str,
    note: &str,
) -> (u16, Value) {
    let (status, body) = app
        .call_with(
            who,
            "admin/reviews/decide",
            &[("id", review), ("decision", decision), ("note", note)],
        )
        .await;
    (status.as_u16(), body)
}

/// The audit entries of one review, oldest first.
async fn audit_of(app: &TestApp, review: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("barrier_review"))
        .filter(audit_log::Column::EntityId.eq(review))
        .order_by_asc(audit_log::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
}

async fn r_bar_01_a_refused_clause_approved_by_the_administrator_is_published_and_shown(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let id = refused_draft(&app, &officer, "两名持有网络工程师证书的驻场人员").await;

    let (status, body) = publish(&app, &officer, &id).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(refused_rules(&body), ["R-BAR-01"], "{body}");

    // The draft page lists the refused clause and offers the review.
    let before = desk(&app, &officer, &id).await;
    let findings: Vec<ReviewedFinding> =
        serde_json::from_value(before["findings"].clone()).unwrap();
    assert_eq!(findings.len(), 1, "{before}");
    assert_eq!(findings[0].rule, "R-BAR-01");
    assert_eq!(findings[0].field, "description");
    assert!(findings[0].quote.contains("注册资本"), "{before}");
    let quote = findings[0].quote.clone();
    let page = app
        .page_as(&officer, &format!("/agency/tenders/{id}"))
        .await;
    assert!(page.contains("review-request-form"), "the form is offered");

    let (status, review) = request(&app, &officer, &id, REASON).await;
    assert_eq!(status, 200, "{review}");
    let review = review.as_str().unwrap().to_string();
    // One pending request per tender.
    let (status, body) = request(&app, &officer, &id, REASON).await;
    assert_eq!(status, 409, "{body}");
    let pending = desk(&app, &officer, &id).await;
    assert_eq!(pending["requests"][0]["status"], "Pending", "{pending}");
    // Pending is not approved: publication still refuses the clause.
    assert_eq!(publish(&app, &officer, &id).await.0, 422);

    // The administrator sees the tender, the finding with its rule, quote and why, and the
    // reason; and approves with a note.
    let admin = app.admin_client().await;
    let (status, list) = app.call_with(&admin, "admin/reviews", &[]).await;
    assert_eq!(status, 200, "{list}");
    let listed = &list[0];
    assert_eq!(listed["tender_title"], "市属学校信息化运维服务");
    assert_eq!(listed["findings"][0]["rule"], "R-BAR-01");
    assert_eq!(listed["findings"][0]["quote"], quote.as_str());
    assert!(listed["findings"][0]["why"]["zh"]
        .as_str()
        .unwrap()
        .contains("注册资本"));
    assert_eq!(listed["reason"], REASON);
    let admin_page = app.page_as(&admin, "/admin").await;
    assert!(admin_page.contains(REASON) && admin_page.contains("review-decide-form"));
    let (status, body) = decide(&app, &admin, &review, "approve", NOTE).await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = app.call_with(&admin, "admin/reviews", &[]).await;
    assert_eq!(
        list,
        serde_json::json!([]),
        "decided requests leave the list"
    );
    let (status, body) = decide(&app, &admin, &review, "reject", NOTE).await;
    assert_eq!(status, 409, "a request is decided once: {body}");

    // The officer publishes; the public page says it was published after review, with the
    // note and the clause let through.
    let (status, body) = publish(&app, &officer, &id).await;
    assert_eq!(status, 200, "{body}");
    let (status, public) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["reviews"][0]["note"], NOTE, "{public}");
    assert_eq!(public["reviews"][0]["clauses"][0]["rule"], "R-BAR-01");
    assert_eq!(public["reviews"][0]["clauses"][0]["quote"], quote.as_str());
    let (_, html) = app.get_text(&format!("/tenders/{id}")).await;
    assert!(html.contains("经平台审核后发布："), "{html}");
    assert!(html.contains(NOTE) && html.contains(&quote));
    let english = app.new_client();
    app.call_with(&english, "language", &[("lang", "en")]).await;
    let html = app.page_as(&english, &format!("/tenders/{id}")).await;
    assert!(html.contains("Published after review: "), "{html}");

    // R-REC-01: the request and the decision are in the audit log, with the quotes.
    let entries = audit_of(&app, &review).await;
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "request_barrier_review",
            "approve_barrier_review",
            "publish_after_review"
        ]
    );
    let tender: uuid::Uuid = id.parse().unwrap();
    let digest = |status, note| {
        app::domain::audit::digest_of(&ReviewAudit::new(tender, &findings, status, REASON, note))
    };
    assert_eq!(entries[0].state_digest, digest(ReviewStatus::Pending, None));
    assert_eq!(
        entries[1].state_digest,
        digest(ReviewStatus::Approved, Some(NOTE))
    );
    assert!(
        entries[1].organisation_id.is_none(),
        "the administrator decided"
    );
    app::infra::audit::verify_chain(&app.db).await.unwrap();
}

async fn r_bar_02_a_clause_added_after_the_approval_is_still_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let id = refused_draft(&app, &officer, "两名持有网络工程师证书的驻场人员").await;
    let (status, review) = request(&app, &officer, &id, REASON).await;
    assert_eq!(status, 200, "{review}");
    let admin = app.admin_client().await;
    let (status, body) = decide(&app, &admin, review.as_str().unwrap(), "approve", NOTE).await;
    assert_eq!(status, 200, "{body}");

    // After the approval the officer adds a track record requirement: that one is refused,
    // the approved clause is not.
    let changed = with_description(draft(TRACK_RECORD), &id);
    let (status, body) = save(&app, &officer, &changed).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = publish(&app, &officer, &id).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(refused_rules(&body), ["R-BAR-02"], "{body}");
    assert_eq!(
        body["Fields"]["errors"][0]["field"],
        "lots[1].criteria[0].requirement"
    );
    let now = desk(&app, &officer, &id).await;
    assert_eq!(now["findings"].as_array().unwrap().len(), 1, "{now}");
    assert_eq!(now["findings"][0]["rule"], "R-BAR-02");
    assert!(now["findings"][0]["quote"]
        .as_str()
        .unwrap()
        .contains("similar projects"));
    let (status, _) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(status, 404, "still a draft, not public");
}

async fn r_bar_01_only_the_administrator_decides_and_only_the_agency_asks(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let id = refused_draft(&app, &officer, "两名持有网络工程师证书的驻场人员").await;

    // Another agency's officer can neither see nor ask for this draft: it is not found.
    let admin = app.admin_client().await;
    let other = app
        .create_agency(&admin, "另一局", "11330100MB0000002")
        .await;
    let (_, link) = app
        .call_with(
            &admin,
            "admin/invite",
            &[
                ("agency_id", other["id"].as_str().unwrap()),
                ("email", "buyer@other.example.cn"),
                ("role", "agency_procurement"),
            ],
        )
        .await;
    let stranger = app.new_client();
    assert_eq!(
        app.accept_invitation(&stranger, &link, "别局经办人")
            .await
            .0,
        200
    );
    let (status, body) = request(&app, &stranger, &id, REASON).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = app
        .call_with(&stranger, "agency/tenders/review", &[("id", &id)])
        .await;
    assert_eq!(status, 404);
    // The administrator drafts nothing, so asks for nothing; a finance officer neither.
    assert_eq!(request(&app, &admin, &id, REASON).await.0, 403);
    let finance = signed_in(&app, "finance@demo.fairtender.cn").await;
    assert_eq!(request(&app, &finance, &id, REASON).await.0, 403);
    assert!(desk(&app, &officer, &id).await["requests"]
        .as_array()
        .unwrap()
        .is_empty());

    // The draft's own officer asks; no agency officer may decide, only the administrator.
    let (status, review) = request(&app, &officer, &id, REASON).await;
    assert_eq!(status, 200, "{review}");
    let review = review.as_str().unwrap();
    for who in [&officer, &finance, &stranger] {
        let (status, body) = decide(&app, who, review, "approve", NOTE).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(
            app.call_with(who, "admin/reviews", &[]).await.0,
            403,
            "only the administrator lists requests"
        );
    }
    assert_eq!(publish(&app, &officer, &id).await.0, 422, "still refused");
    let (_, list) = app.call_with(&admin, "admin/reviews", &[]).await;
    assert_eq!(list[0]["status"], "Pending", "{list}");
    assert_eq!(audit_of(&app, review).await.len(), 1, "only the request");
}

async fn r_bar_01_a_rejected_request_leaves_the_draft_unpublishable_and_says_why(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let id = refused_draft(&app, &officer, "两名持有网络工程师证书的驻场人员").await;
    let (_, review) = request(&app, &officer, &id, REASON).await;
    let review = review.as_str().unwrap().to_string();
    let admin = app.admin_client().await;
    let rejection = "注册资本属于企业规模条件，D46 第五条明确禁止，请改为能力要求。";
    let (status, body) = decide(&app, &admin, &review, "reject", rejection).await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = publish(&app, &officer, &id).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(refused_rules(&body), ["R-BAR-01"]);
    let now = desk(&app, &officer, &id).await;
    assert_eq!(now["requests"][0]["status"], "Rejected", "{now}");
    assert_eq!(now["requests"][0]["decision_note"], rejection);
    assert_eq!(
        now["findings"].as_array().unwrap().len(),
        1,
        "still refused"
    );
    let page = app
        .page_as(&officer, &format!("/agency/tenders/{id}"))
        .await;
    assert!(page.contains(rejection), "the officer reads the note");
    assert!(page.contains("review-rejected"));
    let actions: Vec<String> = audit_of(&app, &review)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["request_barrier_review", "reject_barrier_review"]);
}

async fn r_bar_01_a_request_without_a_reason_is_refused_with_a_clear_message(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let id = refused_draft(&app, &officer, "两名持有网络工程师证书的驻场人员").await;
    for reason in ["", "  \n  "] {
        let (status, body) = request(&app, &officer, &id, reason).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["Invalid"]["field"], "reason", "{body}");
        assert!(body["Invalid"]["message"]["zh"]
            .as_str()
            .unwrap()
            .starts_with("请填写申请审核的理由"));
        assert!(body["Invalid"]["message"]["en"]
            .as_str()
            .unwrap()
            .starts_with("Please give a reason for the review"));
    }
    let long = "理".repeat(app::domain::review::MAX_NOTE_CHARS + 1);
    assert_eq!(request(&app, &officer, &id, &long).await.0, 422);
    assert!(desk(&app, &officer, &id).await["requests"]
        .as_array()
        .unwrap()
        .is_empty());

    // The administrator's note is required too, for an approval as for a rejection.
    let (_, review) = request(&app, &officer, &id, REASON).await;
    let admin = app.admin_client().await;
    for decision in ["approve", "reject"] {
        let (status, body) = decide(&app, &admin, review.as_str().unwrap(), decision, " ").await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["Invalid"]["field"], "note", "{body}");
    }
    let (status, body) = decide(&app, &admin, review.as_str().unwrap(), "maybe", NOTE).await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = app.call_with(&admin, "admin/reviews", &[]).await;
    assert_eq!(list[0]["status"], "Pending", "nothing was decided: {list}");
}
