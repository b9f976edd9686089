//! Issue #34: the platform administrator uploads a year's working-day calendar file on /admin.
//! New counts use it at once, without a restart; deadlines already set never get shorter; only
//! the administrator may upload; a wrong file is refused, saying what to fix, and changes
//! nothing; the upload is in the audit log and a second server (or a restart) loads it.

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::tenders::{draft, save, signed_in};
use app::infra::entities::{audit_log, award, calendar_upload, tender};
use chrono::TimeZone;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    r_time_03_r_chal_01_an_uploaded_2027_file_changes_new_counts_only,
    only_the_platform_administrator_uploads_a_calendar,
    a_wrong_calendar_file_is_refused_saying_what_to_fix_and_changes_nothing,
    r_sec_01_the_refund_date_is_marked_provisional_and_kept_after_an_upload,
);

/// A 2027 file for the tests (the State Council's is not published yet): every statutory
/// holiday, and Saturday 2 January worked, so counts across New Year end a day earlier than the
/// provisional year's (which works no weekend).
const FILE_2027: &str = r#"
source = "测试用 2027 年放假安排（test notice）"
holidays = [
  "2027-01-01",
  "2027-02-05..2027-02-11",
  "2027-04-05",
  "2027-05-01..2027-05-05",
  "2027-06-09",
  "2027-09-15",
  "2027-10-01..2027-10-07",
]
working_weekends = ["2027-01-02"]
"#;

/// `hour` UTC on Monday 28 December 2026 (10:00 in China at 02:00).
fn dec_28(hour: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 12, 28, hour, 0, 0)
        .unwrap()
}

/// A negotiation tender (R-TIME-01: 3 working days; R-TIME-03: documents for 5), published now.
async fn publish_negotiation(app: &TestApp, officer: &reqwest::Client) -> String {
    let mut form = draft("两名持证网络工程师");
    for (k, v) in form.iter_mut() {
        match k.as_str() {
            "form[method]" => *v = "competitive_negotiation".into(),
            "form[bid_deadline]" => *v = "2027-01-20T17:00".into(),
            _ => {}
        }
    }
    let (status, id) = save(app, officer, &form).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn documents_until(app: &TestApp, id: &str) -> (String, bool) {
    let (_, detail) = app.call("tenders/get", &[("id", id)]).await;
    (
        detail["documents_available_until"]
            .as_str()
            .unwrap()
            .to_string(),
        detail["documents_available_until_provisional"]
            .as_bool()
            .unwrap(),
    )
}

async fn challenge(app: &TestApp, supplier: &reqwest::Client, tender: &str) {
    let (status, body) = app
        .call_with(
            supplier,
            "bids/challenge",
            &[
                ("tender", tender),
                ("subject", "terms"),
                ("body", "谈判文件的评分标准不明确"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The supplier's last day to challenge the terms (R-CHAL-01), as its bid page shows it.
async fn terms_until(app: &TestApp, supplier: &reqwest::Client, tender: &str) -> (String, bool) {
    let (status, desk) = app
        .call_with(supplier, "bids/desk", &[("tender", tender)])
        .await;
    assert_eq!(status, 200, "{desk}");
    (
        desk["challenge_terms_until"].as_str().unwrap().to_string(),
        desk["challenge_terms_until_provisional"].as_bool().unwrap(),
    )
}

/// The agency's open challenges: (tender id, answer due, provisional).
async fn answers_due(app: &TestApp, officer: &reqwest::Client) -> Vec<(String, String, bool)> {
    let (status, open) = app.call_with(officer, "agency/challenges", &[]).await;
    assert_eq!(status, 200, "{open}");
    open.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["tender_id"].as_str().unwrap().to_string(),
                c["answer_due"].as_str().unwrap().to_string(),
                c["answer_due_provisional"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    year: &str,
    file: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    app.call_with(
        client,
        "admin/calendar/upload",
        &[("year", year), ("file", file)],
    )
    .await
}

async fn uploads_and_audit_entries(app: &TestApp) -> (u64, u64) {
    let rows = calendar_upload::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("upload_calendar"))
        .count(&app.db)
        .await
        .unwrap();
    (rows, audited)
}

async fn r_time_03_r_chal_01_an_uploaded_2027_file_changes_new_counts_only(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    app.clock.set(dec_28(2));
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let supplier = signed_in(&app, "owner@xiaoxi.example.cn").await;
    let admin = signed_in(&app, "admin@demo.fairtender.cn").await;

    // Before the upload, 2027 is provisional. R-TIME-03: 29, 30, 31 December, then (1 January
    // off, no weekend worked) 4 and 5 January. R-CHAL-01 (IR Art. 53, issue #33): the 7 working
    // days run from the END of that availability period, 6-8 and 11-14 January (this test
    // said 7 January, 7 working days from the publication, before issue #33). The agency's
    // answer is still due 7 working days after the challenge's receipt: 7 January.
    let before = publish_negotiation(&app, &officer).await;
    assert_eq!(
        documents_until(&app, &before).await,
        ("2027-01-05".into(), true)
    );
    assert_eq!(
        terms_until(&app, &supplier, &before).await,
        ("2027-01-14".into(), true)
    );
    challenge(&app, &supplier, &before).await;
    assert_eq!(
        answers_due(&app, &officer).await,
        [(before.clone(), "2027-01-07".into(), true)]
    );

    // An hour later the administrator uploads 2027's file: no restart.
    app.clock.set(dec_28(3));
    let (status, body) = upload(&app, &admin, "2027", FILE_2027).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["year"], 2027);
    assert!(body["origin"]["Uploaded"]["by"]
        .as_str()
        .unwrap()
        .contains("admin@demo.fairtender.cn"));

    // What was set before keeps its day, now counted on an official year: no marker.
    assert_eq!(
        documents_until(&app, &before).await,
        ("2027-01-05".into(), false),
        "R-TIME-03: the documents stay available as announced"
    );
    assert_eq!(
        terms_until(&app, &supplier, &before).await,
        ("2027-01-14".into(), false),
        "R-CHAL-01: the supplier keeps the time it was told"
    );
    assert_eq!(
        answers_due(&app, &officer).await,
        [(before.clone(), "2027-01-07".into(), false)],
        "the stored answer date is unchanged"
    );

    // A tender published after the upload counts with the file at once: Saturday 2 January is
    // worked, so the documents end Monday 4 January and the time to challenge, 7 working days
    // from then (IR Art. 53), 13 January (6 January, from the publication, before issue #33).
    app.clock.set(dec_28(4));
    let after = publish_negotiation(&app, &officer).await;
    assert_eq!(
        documents_until(&app, &after).await,
        ("2027-01-04".into(), false)
    );
    assert_eq!(
        terms_until(&app, &supplier, &after).await,
        ("2027-01-13".into(), false)
    );
    challenge(&app, &supplier, &after).await;
    let mut due = answers_due(&app, &officer).await;
    due.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        due,
        [
            (after.clone(), "2027-01-06".into(), false),
            (before.clone(), "2027-01-07".into(), false),
        ]
    );

    // The tender page shows the new date without the provisional marker.
    let (status, html) = app.get_text(&format!("/tenders/{after}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("2027-01-04"));
    assert!(!html.contains("provisional-date"), "no marker on the page");

    // Audited: who, which year, the file's SHA-256.
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("upload_calendar"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an audit entry");
    assert_eq!(entry.entity, "calendar_year");
    assert_eq!(entry.entity_id, "2027");
    assert_eq!(entry.at, dec_28(3));
    assert!(entry.actor_id.is_some());
    assert_eq!(uploads_and_audit_entries(&app).await, (1, 1));

    // The administrator's list says where 2027 comes from now.
    let (status, years) = app.call_with(&admin, "admin/calendar", &[]).await;
    assert_eq!(status, 200, "{years}");
    let years = years.as_array().unwrap();
    let year = |y: i64| years.iter().find(|v| v["year"] == y).unwrap();
    assert_eq!(year(2026)["origin"], "BuiltIn");
    assert!(
        year(2027)["origin"]["Uploaded"]["sha256"]
            .as_str()
            .unwrap()
            .len()
            == 64
    );
    assert!(year(2027)["source"]["en"]
        .as_str()
        .unwrap()
        .contains("test notice"));
    // And the /admin page, rendered on the server (no JavaScript needed).
    let page = app.page_as(&admin, "/admin").await;
    assert!(
        page.contains(r#"data-testid="calendar-upload-form""#),
        "{page}"
    );
    assert!(
        page.contains(r#"data-testid="calendar-year-2027""#),
        "{page}"
    );
    assert!(
        page.contains("uploaded by") || page.contains("上传"),
        "{page}"
    );

    // A second server on the same database (or this one restarted) loads the upload, and keeps
    // the deadline set before it.
    let second = app::infra::calendar::SharedCalendar::load(
        app::infra::calendar::load(None).unwrap(),
        &app.db,
    )
    .await
    .unwrap();
    assert!(second.current().is_official(2027));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
    let documents = |c: &app::domain::calendar::WorkingCalendar| c.add_working_days_marked(day, 5);
    assert_eq!(
        second
            .book()
            .as_set_at(dec_28(2), documents)
            .unwrap()
            .date
            .to_string(),
        "2027-01-05"
    );
    assert_eq!(
        second
            .book()
            .as_set_at(dec_28(4), documents)
            .unwrap()
            .date
            .to_string(),
        "2027-01-04"
    );
}

async fn only_the_platform_administrator_uploads_a_calendar(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    app.clock.set(dec_28(2));
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let supplier = signed_in(&app, "owner@xiaoxi.example.cn").await;
    for client in [&officer, &supplier] {
        let (status, body) = upload(&app, client, "2027", FILE_2027).await;
        assert_eq!(status, 403, "{body}");
        let (status, _) = app.call_with(client, "admin/calendar", &[]).await;
        assert_eq!(status, 403);
    }
    let (status, _) = upload(&app, &app.new_client(), "2027", FILE_2027).await;
    assert_eq!(status, 401);
    assert_eq!(uploads_and_audit_entries(&app).await, (0, 0));
    // Counts still use the provisional 2027.
    let id = publish_negotiation(&app, &officer).await;
    assert_eq!(
        documents_until(&app, &id).await,
        ("2027-01-05".into(), true)
    );
}

async fn a_wrong_calendar_file_is_refused_saying_what_to_fix_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    app.clock.set(dec_28(2));
    let admin = signed_in(&app, "admin@demo.fairtender.cn").await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;

    let outside = FILE_2027.replace("\"2027-01-01\",", "\"2026-12-31\",");
    let weekday = FILE_2027.replace("[\"2027-01-02\"]", "[\"2027-01-04\"]");
    let no_new_year = FILE_2027.replace("\"2027-01-01\",", "");
    for (year, file, field, zh, en) in [
        (
            "2027",
            outside.as_str(),
            "file",
            "2026-12-31",
            "2026-12-31 is not in 2027",
        ),
        (
            "2027",
            weekday.as_str(),
            "file",
            "2027-01-04",
            "2027-01-04 is a weekday, not a weekend working day",
        ),
        (
            "2027",
            no_new_year.as_str(),
            "file",
            "元旦",
            "2027-01-01 (元旦) is a statutory holiday but not among the days off",
        ),
        (
            "2027",
            "source = \"x\"\nholidays = [2027-01-01",
            "file",
            "TOML",
            "line 2",
        ),
        ("2027", "", "file", "粘贴", "Paste the year's calendar file"),
        (
            "二〇二七",
            FILE_2027,
            "year",
            "年份",
            "Enter a year from 2000 to 2100",
        ),
        // The file of 2027 given as 2028's: every date is out of the year.
        (
            "2028",
            FILE_2027,
            "file",
            "2027-01-01",
            "2027-01-01 is not in 2028",
        ),
    ] {
        let (status, body) = upload(&app, &admin, year, file).await;
        assert_eq!(status, 422, "{body}");
        let text = body.to_string();
        assert_eq!(body["Invalid"]["field"], field, "{text}");
        let message = &body["Invalid"]["message"];
        assert!(message["zh"].as_str().unwrap().contains(zh), "{text}");
        assert!(message["en"].as_str().unwrap().contains(en), "{text}");
    }
    assert_eq!(
        uploads_and_audit_entries(&app).await,
        (0, 0),
        "nothing saved"
    );
    let id = publish_negotiation(&app, &officer).await;
    assert_eq!(
        documents_until(&app, &id).await,
        ("2027-01-05".into(), true)
    );
}

/// The bid-security refund line of a bidder's page (R-SEC-01).
async fn refund_by(app: &TestApp, supplier: &reqwest::Client, tender: &str) -> (String, bool) {
    let (status, desk) = app
        .call_with(supplier, "bids/desk", &[("tender", tender)])
        .await;
    assert_eq!(status, 200, "{desk}");
    (
        desk["bid_security_refund_by"]
            .as_str()
            .unwrap_or("none")
            .to_string(),
        desk["bid_security_refund_by_provisional"]
            .as_bool()
            .unwrap(),
    )
}

fn refund_line(html: &str) -> &str {
    let start = html
        .find(r#"data-testid="bid-security-refund""#)
        .unwrap_or_else(|| panic!("no refund line in {html}"));
    let end = start + html[start..].find("</p>").unwrap();
    &html[start..end]
}

async fn r_sec_01_the_refund_date_is_marked_provisional_and_kept_after_an_upload(backend: Backend) {
    let (mut w, _) = crate::bids::awarded(backend).await;
    let loser = w.again("91330106MA2B00062").await;
    let id: uuid::Uuid = w.tender.parse().unwrap();
    // No bid security asked: nothing to refund, no line.
    assert_eq!(
        refund_by(&w.app, &loser, &w.tender).await,
        ("none".into(), false)
    );

    // With a bid security: 5 working days after the notice of Thursday 17 December 2026.
    tender::Entity::update_many()
        .col_expr(
            tender::Column::BidSecurityFen,
            Expr::value(Some(5_000_000_i64)),
        )
        .filter(tender::Column::Id.eq(id))
        .exec(&w.app.db)
        .await
        .unwrap();
    assert_eq!(
        refund_by(&w.app, &loser, &w.tender).await,
        ("2026-12-24".into(), false)
    );

    // The notice published on Monday 28 December instead: 29-31 December, 4 and 5 January 2027,
    // counted on the provisional 2027 and marked so on the page.
    award::Entity::update_many()
        .col_expr(award::Column::NoticePublishedAt, Expr::value(dec_28(2)))
        .filter(award::Column::TenderId.eq(id))
        .exec(&w.app.db)
        .await
        .unwrap();
    w.at(dec_28(2)).await;
    let loser = w.again("91330106MA2B00062").await;
    assert_eq!(
        refund_by(&w.app, &loser, &w.tender).await,
        ("2027-01-05".into(), true)
    );
    let html = w
        .app
        .page_as(&loser, &app::paths::tender_bid(&w.tender))
        .await;
    let line = refund_line(&html);
    assert!(line.contains("2027-01-05"), "{line}");
    assert!(line.contains("（暂定：2027年放假安排尚未公布）"), "{line}");

    // 2027's file uploaded: the day announced stays (the file alone would give 4 January), no
    // longer provisional.
    w.at(dec_28(3)).await;
    let admin = signed_in(&w.app, "admin@demo.fairtender.cn").await;
    let (status, body) = upload(&w.app, &admin, "2027", FILE_2027).await;
    assert_eq!(status, 200, "{body}");
    let loser = w.again("91330106MA2B00062").await;
    assert_eq!(
        refund_by(&w.app, &loser, &w.tender).await,
        ("2027-01-05".into(), false)
    );
    let html = w
        .app
        .page_as(&loser, &app::paths::tender_bid(&w.tender))
        .await;
    assert!(!refund_line(&html).contains("暂定"), "{html}");
}
