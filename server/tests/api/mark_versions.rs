//! Evaluation marks are kept when re-marked (R-REC-01, issue #33): every save of a bid's marks
//! is a version with who and when; the latest counts in the score, the earlier ones stay as
//! they were and are shown to those who may read the marks, nobody else.

use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::bids::{bid, deadline, firm, world, World};
use crate::helpers::{Backend, SUPPLIER_PASSWORD};
use crate::on_both_backends;
use crate::tenders::signed_in;

on_both_backends!(r_rec_01_a_re_marked_bid_keeps_every_earlier_mark_with_who_and_when);

const EVALUATOR: &str = "evaluator@demo.fairtender.cn";

/// The demo agency gets an evaluator, invited by the administrator.
async fn evaluator(w: &World) {
    let agency = app::infra::entities::person::Entity::find()
        .filter(app::infra::entities::person::Column::Email.eq("buyer@demo.fairtender.cn"))
        .one(&w.app.db)
        .await
        .unwrap()
        .and_then(|p| p.organisation_id)
        .unwrap()
        .to_string();
    let admin = w.app.admin_client().await;
    let (status, link) = w
        .app
        .call_with(
            &admin,
            "admin/invite",
            &[
                ("agency_id", agency.as_str()),
                ("email", EVALUATOR),
                ("role", "agency_evaluator"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{link}");
    let client = w.app.new_client();
    let (status, body) = w.app.accept_invitation(&client, &link, "评审专家赵").await;
    assert_eq!(status, 200, "{body}");
}

/// Lot 0 of the evaluation page as `client` reads it.
async fn lot(w: &World, client: &reqwest::Client) -> serde_json::Value {
    let (status, page) = w
        .app
        .call_with(client, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{page}");
    page["stage"]["Opened"]["lots"][0].clone()
}

/// `supplier`'s bid on the evaluation page.
fn bid_of<'a>(lot: &'a serde_json::Value, supplier: &str) -> &'a serde_json::Value {
    lot["bids"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["score"]["supplier_name"] == supplier)
        .unwrap()
}

/// `client` marks the bid: ISO 9001 as `passed`, the approach `score` points, with reasons.
async fn mark(
    w: &World,
    client: &reqwest::Client,
    lot: &serde_json::Value,
    opened_bid: &str,
    passed: &str,
    score: &str,
    reason: &str,
) {
    let criteria = lot["criteria"].as_array().unwrap();
    let (status, body) = w
        .app
        .call_with(
            client,
            "agency/marks",
            &[
                ("tender", &w.tender),
                ("opened_bid", opened_bid),
                ("marks[0][criterion]", criteria[0]["id"].as_str().unwrap()),
                ("marks[0][passed]", passed),
                ("marks[0][reason]", "证书有效"),
                ("marks[1][criterion]", criteria[1]["id"].as_str().unwrap()),
                ("marks[1][score]", score),
                ("marks[1][reason]", reason),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn r_rec_01_a_re_marked_bid_keeps_every_earlier_mark_with_who_and_when(backend: Backend) {
    let mut w = world(backend).await;
    for (name, code, price) in [
        ("甲公司", "91330106MA2B00081", "2700000"),
        ("乙公司", "91330106MA2B00082", "2800000"),
        ("丙公司", "91330106MA2B00083", "2900000"),
    ] {
        let (client, record) = firm(&w.app, name, code, true).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    let first_at = deadline() + Duration::minutes(5);
    w.at(first_at).await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    evaluator(&w).await;
    let l = lot(&w, &w.officer).await;
    let opened = bid_of(&l, "甲公司")["opened_bid_id"]
        .as_str()
        .unwrap()
        .to_string();

    // The procurement officer marks; later the evaluator re-marks.
    mark(&w, &w.officer, &l, &opened, "pass", "30", "方案一般").await;
    let second_at = deadline() + Duration::minutes(40);
    w.at(second_at).await;
    // Sessions follow the clock: the evaluator signs in again.
    let evaluator_client = w.app.sign_in(EVALUATOR, SUPPLIER_PASSWORD).await;
    mark(
        &w,
        &evaluator_client,
        &l,
        &opened,
        "pass",
        "55",
        "复核后：方案完整",
    )
    .await;

    // The latest marks count in the score.
    let l = lot(&w, &evaluator_client).await;
    let b = bid_of(&l, "甲公司");
    assert_eq!(b["score"]["technical_score"], "55", "{b}");
    assert_eq!(b["score"]["marks"][1]["reason"], "复核后：方案完整");
    // Both versions are there, the earlier one as it was, with who and when.
    let versions = b["mark_versions"].as_array().expect("mark versions");
    assert_eq!(versions.len(), 2, "{versions:?}");
    let (v1, v2) = (&versions[0], &versions[1]);
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["marked_by"], "王采购");
    assert_eq!(
        v1["marked_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        first_at
    );
    assert_eq!(v1["marks"][1]["score"], "30");
    assert_eq!(v1["marks"][1]["reason"], "方案一般");
    assert_eq!(v1["marks"][0]["passed"], true);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["marked_by"], "评审专家赵");
    assert_eq!(
        v2["marked_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        second_at
    );
    assert_eq!(v2["marks"][1]["score"], "55");

    // The same marks sent again (a double click) are no new version.
    mark(
        &w,
        &evaluator_client,
        &l,
        &opened,
        "pass",
        "55",
        "复核后：方案完整",
    )
    .await;
    let l = lot(&w, &w.officer).await;
    assert_eq!(
        bid_of(&l, "甲公司")["mark_versions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A mark taken back is a version too: nothing is deleted.
    mark(&w, &w.officer, &l, &opened, "", "", "").await;
    let l = lot(&w, &w.officer).await;
    let b = bid_of(&l, "甲公司");
    assert_eq!(b["score"]["technical_score"], "0", "{b}");
    let versions = b["mark_versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert_eq!(versions[0]["marks"][1]["score"], "30");
    assert_eq!(versions[1]["marks"][1]["score"], "55");
    assert_eq!(versions[2]["marks"][1]["score"], serde_json::Value::Null);
    let id: uuid::Uuid = opened.parse().unwrap();
    let kept = app::infra::entities::bid_mark_version::Entity::find()
        .filter(app::infra::entities::bid_mark_version::Column::OpenedBidId.eq(id))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(kept, 6, "two criteria in each of three versions");
    let in_force = app::infra::entities::bid_mark::Entity::find()
        .filter(app::infra::entities::bid_mark::Column::OpenedBidId.eq(id))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(
        in_force, 2,
        "the marks in force are replaced, never deleted"
    );

    // The page shows the history.
    let html = w
        .app
        .page_as(
            &w.officer,
            &format!("/agency/tenders/{}/evaluation", w.tender),
        )
        .await;
    assert!(
        html.contains("已重新评审 2 次") || html.contains("Re-marked 2 times"),
        "{html}"
    );
    assert!(html.contains("评审专家赵"));

    // Only those who may read marks read their history: not the bidders, not the finance
    // officer.
    let bidder = w.again("91330106MA2B00081").await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    for client in [&bidder, &finance] {
        let (status, body) = w
            .app
            .call_with(client, "agency/evaluation", &[("tender", &w.tender)])
            .await;
        assert_eq!(status, 403, "{body}");
    }
    let (status, desk) = w
        .app
        .call_with(&bidder, "bids/desk", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{desk}");
    let desk = desk.to_string();
    assert!(
        !desk.contains("方案一般") && !desk.contains("评审专家赵"),
        "{desk}"
    );
}
