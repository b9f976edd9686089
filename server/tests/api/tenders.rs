//! Tenders from the procurement officer's side: drafts, publication refused with rule IDs,
//! publication, and what the public then sees.

use crate::helpers::{error_fields, spawn_app, Backend, TestApp};
use crate::on_both_backends;
use app::infra::entities::{tender, tender_criterion, tender_lot};
use app::services::seed::DEMO_PASSWORD;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    an_officer_drafts_is_refused_for_a_track_record_requirement_fixes_it_and_publishes,
    bad_draft_input_is_refused_per_field_and_changes_nothing_saved,
    the_public_search_filters_sorts_and_pages,
    r_time_02_an_amendment_moves_the_deadline_and_a_cancellation_is_public,
    tenders_published_before_the_search_index_existed_are_indexed_at_start,
    r_time_03_a_date_counted_into_2027_is_shown_provisional_on_the_tender_page,
);

pub(crate) async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    app.sign_in(email, DEMO_PASSWORD).await
}

/// Two lots; the second asks for a track record (R-BAR-02). Budget 1,500,000: reserved whole
/// for SMEs (R-SME-01). Deadline 21 days out.
pub(crate) fn draft(second_requirement: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("id", ""),
        ("form[title]", "市属学校信息化运维服务"),
        (
            "form[description]",
            "为 12 所学校提供三年的网络与终端运维。",
        ),
        ("form[category]", "services"),
        ("form[method]", "open_tender"),
        ("form[region]", "浙江省杭州市"),
        ("form[budget]", "1500000"),
        ("form[bid_deadline]", "2026-12-17T17:00"),
        ("form[evaluation]", "comprehensive_scoring"),
        ("form[price_weight]", "40"),
        ("form[lots][0][title]", "第一包：网络运维"),
        ("form[lots][0][budget]", "800000"),
        ("form[lots][0][criteria][0][kind]", "certification"),
        (
            "form[lots][0][criteria][0][requirement]",
            "具备 ISO 9001 质量管理体系认证",
        ),
        ("form[lots][0][criteria][1][kind]", "technical_approach"),
        (
            "form[lots][0][criteria][1][requirement]",
            "运维方案的完整性",
        ),
        ("form[lots][0][criteria][1][weight]", "60"),
        ("form[lots][1][title]", "第二包：终端运维"),
        ("form[lots][1][budget]", "700000"),
        ("form[lots][1][criteria][0][kind]", "staff_qualification"),
        ("form[lots][1][criteria][1][kind]", "delivery_plan"),
        ("form[lots][1][criteria][1][requirement]", "驻场服务计划"),
        ("form[lots][1][criteria][1][weight]", "60"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    f.push((
        "form[lots][1][criteria][0][requirement]".into(),
        second_requirement.into(),
    ));
    f
}

pub(crate) async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(String, String)],
) -> (reqwest::StatusCode, serde_json::Value) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call_with(client, "agency/tenders/save", &form).await
}

async fn an_officer_drafts_is_refused_for_a_track_record_requirement_fixes_it_and_publishes(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;

    let (status, id) = save(&app, &officer, &draft("近三年具有类似项目业绩")).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();
    // A draft is not public.
    assert_eq!(app.call("tenders/get", &[("id", &id)]).await.0, 404);

    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 422, "{body}");
    let errors = body["Fields"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["field"], "lots[1].criteria[0].requirement");
    assert!(errors[0]["message"]["en"]
        .as_str()
        .unwrap()
        .starts_with("[R-BAR-02]"));
    assert!(errors[0]["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("业绩"));

    // The officer rewrites the requirement as a capability and publishes.
    let mut fixed = draft("两名持有网络工程师证书的驻场人员");
    fixed[0].1 = id.clone();
    let (status, body) = save(&app, &officer, &fixed).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, public) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["summary"]["title"], "市属学校信息化运维服务");
    let uuid: uuid::Uuid = id.parse().unwrap();
    let lots = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(uuid))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(lots.len(), 2);
    assert!(
        lots.iter().all(|l| l.reserved_for_sme),
        "R-SME-01 reserves every lot"
    );
    let criteria = tender_criterion::Entity::find()
        .filter(tender_criterion::Column::LotId.is_in(lots.iter().map(|l| l.id)))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(criteria, 4);
    let row = tender::Entity::find_by_id(uuid)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.reserved_whole, Some(true), "R-SME-01");
    assert_eq!(row.price_weight_bp, Some(4000));

    // Published means fixed: the draft can no longer be saved or published again.
    let (status, body) = save(&app, &officer, &fixed).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 422);
    let lots_now = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(uuid))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(lots_now, 2, "publishing twice writes no lots twice");

    // A finance officer may not draft or read drafts.
    let finance = signed_in(&app, "finance@demo.fairtender.cn").await;
    assert_eq!(
        app.call_with(&finance, "agency/tenders/get", &[("id", &id)])
            .await
            .0,
        403
    );
}

async fn bad_draft_input_is_refused_per_field_and_changes_nothing_saved(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (_, id) = save(&app, &officer, &draft("驻场工程师两名")).await;
    let id = id.as_str().unwrap().to_string();
    let (_, before) = app
        .call_with(&officer, "agency/tenders/get", &[("id", &id)])
        .await;

    let mut bad = draft("驻场工程师两名");
    bad[0].1 = id.clone();
    for (k, v) in bad.iter_mut() {
        match k.as_str() {
            "form[budget]" => *v = "1500000.001".into(),
            "form[region]" => *v = "Atlantis".into(),
            "form[bid_deadline]" => *v = "2026-11-01T09:00".into(),
            "form[lots][0][budget]" => *v = "0".into(),
            _ => {}
        }
    }
    let (status, body) = save(&app, &officer, &bad).await;
    assert_eq!(status, 422, "{body}");
    let fields = error_fields(&body);
    assert_eq!(
        fields,
        ["region", "budget", "bid_deadline", "lots[0].budget"]
    );
    let (_, after) = app
        .call_with(&officer, "agency/tenders/get", &[("id", &id)])
        .await;
    assert_eq!(before, after, "the saved draft is unchanged");

    // Lot budgets above the tender's budget are refused at publication, on the lots.
    let mut over = draft("驻场工程师两名");
    over[0].1 = id.clone();
    for (k, v) in over.iter_mut() {
        if k == "form[lots][1][budget]" {
            *v = "700000.01".into();
        }
    }
    assert_eq!(save(&app, &officer, &over).await.0, 200);
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Fields"]["errors"][0]["field"], "lots", "{body}");
}

/// Titles of a search's results, in order, after checking it succeeded.
async fn search(app: &TestApp, query: &[(&str, &str)]) -> (Vec<String>, serde_json::Value) {
    let form: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (format!("query[{k}]"), v.to_string()))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call("tenders/search", &form).await;
    assert_eq!(status, 200, "{query:?}: {body}");
    let titles = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect();
    (titles, body)
}

async fn the_public_search_filters_sorts_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    // Three published demo tenders (goods 1.5m closing in 21 days, services 0.8m in 12, works
    // 3.5m in 25, all in Zhejiang and reserved for SMEs) and one draft.
    app.seed_demo().await;
    let (all, body) = search(&app, &[]).await;
    assert_eq!(all.len(), 3, "drafts are never found");
    assert_eq!(body["total"], 3);
    assert_eq!(body["pages"], 1);

    let (found, _) = search(&app, &[("q", "照明 LED")]).await;
    assert_eq!(found, ["示范区中小学教室照明改造（LED 灯具采购）"]);
    let (found, _) = search(&app, &[("q", "led")]).await;
    assert_eq!(found.len(), 1, "any case");
    let (found, _) = search(&app, &[("q", "100%_")]).await;
    assert!(found.is_empty(), "wildcards in the words are plain text");
    // Chinese: the characters in that order, anywhere; Latin words from their start.
    let (found, _) = search(&app, &[("q", "运动场改造")]).await;
    assert_eq!(found, ["示范区第三小学运动场改造工程"]);
    let (found, _) = search(&app, &[("q", "改造")]).await;
    assert_eq!(found.len(), 2, "{found:?}");
    let (found, _) = search(&app, &[("q", "场改运动")]).await;
    assert!(
        found.is_empty(),
        "the same characters in another order are another word"
    );
    let (found, _) = search(&app, &[("q", "程")]).await;
    assert_eq!(
        found,
        ["示范区第三小学运动场改造工程"],
        "a last character alone"
    );
    let (found, _) = search(&app, &[("q", "le")]).await;
    assert_eq!(found.len(), 1, "a word's beginning");
    let (found, _) = search(&app, &[("q", "ed")]).await;
    assert!(found.is_empty(), "not a word's middle");
    let (all, _) = search(&app, &[("q", "，。")]).await;
    assert_eq!(all.len(), 3, "punctuation asks for nothing");
    let (found, _) = search(&app, &[("category", "works")]).await;
    assert_eq!(found, ["示范区第三小学运动场改造工程"]);
    let (found, _) = search(&app, &[("budget_min", "1000000"), ("sort", "budget")]).await;
    assert_eq!(
        found,
        [
            "示范区第三小学运动场改造工程",
            "示范区中小学教室照明改造（LED 灯具采购）"
        ]
    );
    let (found, _) = search(&app, &[("closes_within", "30"), ("sort", "deadline")]).await;
    assert_eq!(found[0], "教育局政务信息系统运维服务（2027 年度）");
    let (found, _) = search(&app, &[("province", "350000")]).await;
    assert!(found.is_empty(), "none in Fujian");
    let (found, _) = search(&app, &[("province", "330000"), ("sme", "1")]).await;
    assert_eq!(found.len(), 3);
    let (found, _) = search(&app, &[("status", "closed")]).await;
    assert!(found.is_empty());

    // A month later every deadline has passed: closed tenders are found only when asked for.
    app.clock.advance(chrono::Duration::days(30));
    assert!(search(&app, &[]).await.0.is_empty());
    assert_eq!(search(&app, &[("status", "closed")]).await.0.len(), 3);
    let (_, body) = search(&app, &[("status", "all"), ("page", "2")]).await;
    assert_eq!(body["items"], serde_json::json!([]));

    // A mistyped filter says which one, instead of silently showing everything.
    let (status, body) = app
        .call(
            "tenders/search",
            &[
                ("query[category]", "weapons"),
                ("query[budget_min]", "1.001"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields = error_fields(&body);
    assert_eq!(fields, ["category", "budget_min"]);
}

/// The demo agency's officer saves the two-lot draft and publishes it: the tender's id and its
/// bid deadline.
async fn publish_draft(
    app: &TestApp,
    officer: &reqwest::Client,
) -> (String, chrono::DateTime<chrono::Utc>) {
    let (_, id) = save(app, officer, &draft("两名持证网络工程师")).await;
    let id = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, detail) = app.call("tenders/get", &[("id", &id)]).await;
    (id, deadline_of(&detail))
}

fn deadline_of(detail: &serde_json::Value) -> chrono::DateTime<chrono::Utc> {
    detail["summary"]["bid_deadline"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn r_time_02_an_amendment_moves_the_deadline_and_a_cancellation_is_public(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (id, original) = publish_draft(&app, &officer).await;

    // Ten days before the deadline: an answer that changes nothing leaves it alone...
    app.clock.set(original - chrono::Duration::days(10));
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (status, c) = app
        .call_with(
            &officer,
            "agency/tenders/clarify",
            &[("id", &id), ("body", "答疑：驻场人员可分两班轮换。")],
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["deadline_after"], c["deadline_before"]);
    // ...an amendment that can affect bids leaves 15 days from its publication (R-TIME-02).
    let (status, c) = app
        .call_with(
            &officer,
            "agency/tenders/clarify",
            &[
                ("id", &id),
                ("body", "修改：服务期由三年改为两年。"),
                ("affects_bids", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let now = app::domain::Clock::now(&app.clock);
    let (_, detail) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(deadline_of(&detail), now + chrono::Duration::days(15));
    assert_eq!(detail["clarifications"].as_array().unwrap().len(), 2);
    // An amendment cannot bring in a barrier (R-BAR-02).
    let (status, body) = app
        .call_with(
            &officer,
            "agency/tenders/clarify",
            &[("id", &id), ("body", "补充：须提供近三年类似项目业绩。")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("R-BAR-02"), "{body}");

    // Cancelling needs a public reason; then the tender stays, marked and explained.
    let (status, body) = app
        .call_with(
            &officer,
            "agency/tenders/cancel",
            &[("id", &id), ("reason", " ")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Fields"]["errors"][0]["field"], "reason");
    let (status, _) = app
        .call_with(
            &officer,
            "agency/tenders/cancel",
            &[("id", &id), ("reason", "预算调整，项目取消。")],
        )
        .await;
    assert_eq!(status, 200);
    let (status, detail) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(status, 200, "a cancelled tender stays public (R-REC-01)");
    assert_eq!(detail["status"], "Cancelled");
    assert_eq!(detail["cancel_reason"], "预算调整，项目取消。");
    let (found, _) = search(&app, &[("q", "信息化运维")]).await;
    assert!(found.is_empty(), "not open any more");
    let (found, _) = search(&app, &[("q", "信息化运维"), ("status", "closed")]).await;
    assert_eq!(found.len(), 1);
    let (status, _) = app
        .call_with(
            &officer,
            "agency/tenders/clarify",
            &[("id", &id), ("body", "x")],
        )
        .await;
    assert_eq!(status, 422, "no clarifications after cancellation");
}

/// R-TIME-02 under contention (SQLite, where writers take turns): an amendment that waits for
/// its turn to write leaves 15 days from when it is written, not from when it arrived. Before,
/// the time was read before the wait, so the moved deadline fell short by the wait.
#[tokio::test]
async fn r_time_02_an_amendment_that_waits_for_its_turn_counts_15_days_from_when_it_is_written() {
    let app = spawn_app(Backend::Sqlite).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (id, original) = publish_draft(&app, &officer).await;
    let arrived = original - chrono::Duration::days(10);
    app.clock.set(arrived);
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;

    // Another write holds the turn while the amendment arrives; an hour passes before it ends.
    let other = app::infra::db::begin_write(&app.db)
        .await
        .expect("a write begins");
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app.clock.advance(chrono::Duration::hours(1));
        other.commit().await.expect("the other write commits");
    };
    let form = [
        ("id", id.as_str()),
        ("body", "修改：服务期由三年改为两年。"),
        ("affects_bids", "on"),
    ];
    let ((status, c), ()) = tokio::join!(
        app.call_with(&officer, "agency/tenders/clarify", &form),
        release
    );
    assert_eq!(status, 200, "{c}");
    let written = arrived + chrono::Duration::hours(1);
    let moved: chrono::DateTime<chrono::Utc> =
        c["deadline_after"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        moved,
        written + chrono::Duration::days(15),
        "R-TIME-02: 15 days from when the amendment was written"
    );
    let (_, detail) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(detail["summary"]["bid_deadline"], c["deadline_after"]);
}

async fn tenders_published_before_the_search_index_existed_are_indexed_at_start(backend: Backend) {
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    // Written straight into the table, as an older version (or an import) would have.
    let agency = tender::Entity::find().one(&app.db).await.unwrap().unwrap();
    let now = app::domain::Clock::now(&app.clock);
    tender::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        agency_id: Set(agency.agency_id),
        title: Set("档案馆库房恒温恒湿改造".into()),
        description: Set("更换空调机组。".into()),
        category: Set("works".into()),
        method: Set("open_tender".into()),
        region: Set("浙江省杭州市".into()),
        budget_fen: Set(50_000_000),
        status: Set("published".into()),
        bid_deadline: Set(now + chrono::Duration::days(30)),
        published_at: Set(Some(now)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert!(search(&app, &[("q", "恒温恒湿")]).await.0.is_empty());
    app::infra::db::migrate(&app.db).await.unwrap();
    let (found, _) = search(&app, &[("q", "恒温恒湿")]).await;
    assert_eq!(found, ["档案馆库房恒温恒湿改造"]);
    // Indexed once: starting again adds nothing twice.
    app::infra::db::migrate(&app.db).await.unwrap();
    assert_eq!(search(&app, &[("q", "恒温恒湿")]).await.0.len(), 1);
}

#[tokio::test]
async fn a_search_that_finds_more_than_a_thousand_says_so_and_stays_fast() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app(Backend::Sqlite).await;
    app.seed_demo().await;
    let agency = tender::Entity::find().one(&app.db).await.unwrap().unwrap();
    let now = app::domain::Clock::now(&app.clock);
    for i in 0..1005 {
        tender::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            agency_id: Set(agency.agency_id),
            title: Set(format!("路灯维护第{i}标段")),
            description: Set("更换路灯。".into()),
            category: Set("services".into()),
            method: Set("open_tender".into()),
            region: Set("浙江省杭州市".into()),
            budget_fen: Set(10_000_000 + i),
            status: Set("published".into()),
            bid_deadline: Set(now + chrono::Duration::days(30)),
            published_at: Set(Some(now)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    app::infra::db::migrate(&app.db).await.unwrap();
    let (found, body) = search(&app, &[("q", "路灯"), ("sort", "budget")]).await;
    assert_eq!(
        (body["total"].as_u64(), body["more"].as_bool()),
        (Some(1000), Some(true))
    );
    assert_eq!(body["pages"], 50);
    assert_eq!(found[0], "路灯维护第1004标段", "the largest budget first");
    let (found, body) = search(&app, &[("q", "路灯"), ("sort", "budget"), ("page", "2")]).await;
    assert_eq!(
        found[0], "路灯维护第984标段",
        "page two goes on where page one stopped"
    );
    assert_eq!(body["items"].as_array().unwrap().len(), 20);
    // Under the cap the count is exact.
    let (_, body) = search(&app, &[("q", "路灯维护第1004标段")]).await;
    assert_eq!(
        (body["total"].as_u64(), body["more"].as_bool()),
        (Some(1), Some(false))
    );
}

/// The `<p data-testid="documents-until">` of a tender page: the R-TIME-03 line.
fn documents_until_line(html: &str) -> &str {
    let start = html
        .find(r#"data-testid="documents-until""#)
        .unwrap_or_else(|| panic!("no documents-until line in {html}"));
    let end = start + html[start..].find("</p>").unwrap();
    &html[start..end]
}

/// Issue #34 (R-TIME-03, R-TIME-01): 2027's holiday notice is not loaded, so a date counted
/// into 2027 is only provisional and the tender page says so, naming the year; a date counted
/// within 2026 (official) carries no marker.
async fn r_time_03_a_date_counted_into_2027_is_shown_provisional_on_the_tender_page(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;

    // Published 26 November 2026: five working days end Thursday 3 December, all in 2026.
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (official, _) = publish_draft(&app, &officer).await;
    let (_, detail) = app.call("tenders/get", &[("id", &official)]).await;
    assert_eq!(detail["documents_available_until"], "2026-12-03");
    assert_eq!(detail["documents_available_until_provisional"], false);
    let (status, html) = app.get_text(&format!("/tenders/{official}")).await;
    assert_eq!(status, 200);
    let line = documents_until_line(&html);
    assert!(line.contains("2026-12-03"), "{line}");
    assert!(!line.contains("暂定"), "{line}");
    assert!(
        !html.contains("provisional-date"),
        "no marker anywhere on the page"
    );

    // Monday 28 December 2026, 10:00 in China: a negotiation tender (R-TIME-01: 3 working days).
    app.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 28, 2, 0, 0).unwrap());
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let mut form = draft("两名持证网络工程师");
    let set = |form: &mut Vec<(String, String)>, key: &str, value: &str| {
        form.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.to_string();
    };
    set(&mut form, "form[method]", "competitive_negotiation");
    set(&mut form, "form[bid_deadline]", "2026-12-29T17:00");
    let (status, id) = save(&app, &officer, &form).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();
    // Too early: the earliest day (Thursday 31 December) is counted within official 2026, so
    // the refusal carries no provisional marker.
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 422, "{body}");
    let refusal = body.to_string();
    assert!(
        refusal.contains("R-TIME-01") && refusal.contains("2026-12-31"),
        "{refusal}"
    );
    assert!(!refusal.contains("暂定"), "{refusal}");
    set(&mut form, "id", &id);
    set(&mut form, "form[bid_deadline]", "2027-01-20T17:00");
    let (status, body) = save(&app, &officer, &form).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");

    // R-TIME-03: 29, 30, 31 December, then (1 January off) 4 and 5 January 2027.
    let (_, detail) = app.call("tenders/get", &[("id", &id)]).await;
    assert_eq!(detail["documents_available_until"], "2027-01-05");
    assert_eq!(detail["documents_available_until_provisional"], true);
    let (status, html) = app.get_text(&format!("/tenders/{id}")).await;
    assert_eq!(status, 200);
    let line = documents_until_line(&html);
    assert!(line.contains("2027-01-05"), "{line}");
    assert!(line.contains("（暂定：2027年放假安排尚未公布）"), "{line}");
    // In English too.
    let english = app.new_client();
    let html = english
        .get(format!("{}/tenders/{id}", app.address))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = documents_until_line(&html);
    assert!(
        line.contains("(provisional: the 2027 holiday notice is not loaded yet)"),
        "{line}"
    );
    // The 2026 tender's page still has no marker.
    let (_, html) = app.get_text(&format!("/tenders/{official}")).await;
    assert!(!documents_until_line(&html).contains("暂定"));

    // R-TIME-01 on Wednesday 30 December: the earliest day, 5 January 2027, is provisional and
    // the refusal says so, naming the year.
    app.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 30, 2, 0, 0).unwrap());
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    set(&mut form, "id", "");
    set(&mut form, "form[bid_deadline]", "2026-12-31T17:00");
    let (status, late) = save(&app, &officer, &form).await;
    assert_eq!(status, 200, "{late}");
    let (status, body) = app
        .call_with(
            &officer,
            "agency/tenders/publish",
            &[("id", late.as_str().unwrap())],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let refusal = body.to_string();
    assert!(refusal.contains("2027-01-05"), "{refusal}");
    assert!(
        refusal.contains("（暂定：2027年放假安排尚未公布）")
            && refusal.contains("(provisional: the 2027 holiday notice is not loaded yet)"),
        "{refusal}"
    );
}
