//! R-TIME-02 (IR Art. 31, issue #33): a structured amendment of a published tender is judged by
//! what it changes. One that changes a lot's ceiling or a requirement moves the deadline so
//! that 15 days remain, though the officer did not tick "affects bids"; one that changes only
//! the title does not; a free-text clarification is still the officer's to mark. The amended
//! terms are what bids are checked against at once; the public page and OCDS say what changed,
//! the tender release keeps the terms as published. The second amendment crosses the year end.

use chrono::{TimeZone, Utc};
use sea_orm::{ConnectionTrait, Statement};

use crate::bids::{bid, firm, open_tender_form, world, World};
use crate::helpers::{error_fields, Backend};
use crate::on_both_backends;
use crate::open_data::{assert_valid, get_json};

on_both_backends!(r_time_02_what_a_structured_amendment_changes_decides_whether_the_deadline_moves);

/// 10:00 in Beijing on a day.
fn beijing_ten(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

/// The test tender's form with `changes` applied, as an amendment of it with `body`.
fn amendment(
    w: &World,
    body: &str,
    deadline: &str,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = open_tender_form()
        .into_iter()
        .filter(|(k, _)| k != "id")
        .collect();
    for (k, v) in form.iter_mut() {
        if k == "form[bid_deadline]" {
            *v = deadline.to_string();
        }
    }
    for (key, value) in changes {
        match form.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value.to_string(),
            None => form.push((key.to_string(), value.to_string())),
        }
    }
    form.push(("id".into(), w.tender.clone()));
    form.push(("body".into(), body.into()));
    form
}

async fn amend(w: &World, form: &[(String, String)]) -> (reqwest::StatusCode, serde_json::Value) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    w.app
        .call_with(&w.officer, "agency/tenders/amend", &pairs)
        .await
}

async fn detail(w: &World) -> serde_json::Value {
    let (status, d) = w.app.call("tenders/get", &[("id", &w.tender)]).await;
    assert_eq!(status, 200, "{d}");
    d
}

async fn r_time_02_what_a_structured_amendment_changes_decides_whether_the_deadline_moves(
    backend: Backend,
) {
    // Published 2026-11-26; bids close Thursday 2026-12-17 17:00.
    let mut w = world(backend).await;
    let (_, record) = firm(&w.app, "小微甲公司", "91330106MA2B00091", true).await;

    // Wednesday 2026-12-16 10:00: the budget and the lot's ceiling drop to 2,950,000, "affects
    // bids" not ticked. The domain decides it does: the deadline moves to 15 days on,
    // 2026-12-31 10:00.
    w.at(beijing_ten(2026, 12, 16)).await;
    let form = amendment(
        &w,
        "预算及最高限价调整为 2,950,000 元。",
        "2026-12-17T17:00",
        &[
            ("form[budget]", "2950000"),
            ("form[lots][0][budget]", "2950000"),
        ],
    );
    let (status, c) = amend(&w, &form).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["affects_bids"], true, "{c}");
    assert_eq!(c["deadline_after"], "2026-12-31T02:00:00Z", "{c}");
    assert_eq!(
        c["changes"],
        serde_json::json!([{ "change": "budget" }, { "change": "lot_ceiling", "lot": 0 }])
    );
    let d = detail(&w).await;
    assert_eq!(d["summary"]["bid_deadline"], "2026-12-31T02:00:00Z");
    assert!(
        d["lots"][0]["budget"].to_string().contains("2950000"),
        "{d}"
    );
    // Bids are checked against the amended ceiling at once (R-BID-03).
    let supplier = w.again("91330106MA2B00091").await;
    let (status, body) = bid(&w, &supplier, "0", "2960000", &record, "方案").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = bid(&w, &supplier, "0", "2940000", &record, "方案").await;
    assert_eq!(status, 200, "{body}");

    // A new title alone does not affect bids: the deadline stays.
    let form = amendment(
        &w,
        "项目名称更正。",
        "2026-12-31T10:00",
        &[
            ("form[title]", "政务云平台运维服务（2027）"),
            ("form[budget]", "2950000"),
            ("form[lots][0][budget]", "2950000"),
        ],
    );
    let (status, c) = amend(&w, &form).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["affects_bids"], false, "{c}");
    assert_eq!(c["deadline_after"], c["deadline_before"]);

    // Monday 2026-12-28: a requirement changes, 3 days before the deadline: moved to Tuesday
    // 2027-01-12 10:00. The replaced requirement stays on record, out of the terms.
    w.at(beijing_ten(2026, 12, 28)).await;
    let form = amendment(
        &w,
        "资格要求更正：接受 ISO 20000 认证。",
        "2026-12-31T10:00",
        &[
            ("form[title]", "政务云平台运维服务（2027）"),
            ("form[budget]", "2950000"),
            ("form[lots][0][budget]", "2950000"),
            (
                "form[lots][0][criteria][0][requirement]",
                "具备 ISO 9001 或 ISO 20000 认证",
            ),
        ],
    );
    let (status, c) = amend(&w, &form).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["deadline_after"], "2027-01-12T02:00:00Z", "{c}");
    assert_eq!(
        c["changes"],
        serde_json::json!([{ "change": "requirements", "lot": 0 }])
    );
    let d = detail(&w).await;
    assert_eq!(
        d["lots"][0]["criteria"][0]["requirement"],
        "具备 ISO 9001 或 ISO 20000 认证"
    );
    assert_eq!(d["lots"][0]["criteria"].as_array().unwrap().len(), 2);
    let backend = w.app.db.get_database_backend();
    let withdrawn = w
        .app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM tender_criterion \
             WHERE withdrawn_at IS NOT NULL",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(
        withdrawn, 2,
        "both criteria of the lot replaced, kept on record"
    );
    let page = w
        .app
        .page_as(&w.app.client, &format!("/tenders/{}", w.tender))
        .await;
    assert!(page.contains("data-testid=\"amended-terms\""), "{page}");

    // What an amendment may not do, every problem on its field, nothing saved.
    let form = amendment(
        &w,
        "改为竞争性磋商。",
        "2027-01-05T10:00",
        &[("form[method]", "competitive_consultation")],
    );
    let (status, body) = amend(&w, &form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["method", "bid_deadline"], "{body}");
    assert_eq!(
        detail(&w).await["summary"]["bid_deadline"],
        "2027-01-12T02:00:00Z"
    );

    // A free-text clarification is still the officer's to mark: unticked, nothing moves.
    w.at(beijing_ten(2027, 1, 4)).await;
    let (status, c) = w
        .app
        .call_with(
            &w.officer,
            "agency/tenders/clarify",
            &[("id", &w.tender), ("body", "答疑：驻场人员可轮换。")],
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["deadline_after"], c["deadline_before"]);

    // OCDS: the tender release keeps the ceiling as published; the amendment carries the new
    // one and says what changed; the package validates.
    let ocid = format!("{}-{}", w.app.settings.ocid_prefix, w.tender);
    let (status, package) = get_json(&w.app, &format!("/api/v1/ocds/releases/{ocid}")).await;
    assert_eq!(status, 200, "{package}");
    assert_valid("release-package-schema.json", &package);
    let releases = package["releases"].as_array().unwrap();
    let tender = &releases[0]["tender"];
    assert_eq!(tender["lots"][0]["value"]["amount"], 3000000, "{tender}");
    assert_eq!(tender["tenderPeriod"]["endDate"], "2026-12-17T09:00:00Z");
    let amended = &releases[1];
    assert_eq!(amended["tag"][0], "tenderAmendment", "{amended}");
    assert_eq!(amended["tender"]["lots"][0]["value"]["amount"], 2950000);
    let rationale = amended["tender"]["amendments"][0]["rationale"]
        .as_str()
        .unwrap();
    assert!(
        rationale.contains("ceiling") && rationale.contains("R-TIME-02"),
        "{rationale}"
    );
}
