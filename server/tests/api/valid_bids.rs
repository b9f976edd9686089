//! Counting valid bids, not opened ones (issue #33): a lot fails when fewer than 3 of its
//! opened bids pass every pass/fail requirement (R-BID-04, GPL Art. 36), and a lot reserved for
//! SMEs is suspended when fewer than 3 qualified SME bids remain (R-SME-05). Either way the
//! public sees why, OCDS marks the lot unsuccessful, and the award is refused on the server.

use chrono::Duration;

use crate::bids::{bid, deadline, firm, world, World};
use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;
use crate::tenders::{save, signed_in};

on_both_backends!(
    r_bid_04_three_bids_open_but_two_fail_a_requirement_so_the_lot_fails,
    r_sme_05_a_reserved_lot_left_with_two_qualified_sme_bids_is_suspended,
);

/// Opens the tender five minutes after the deadline; returns lot 0 of the evaluation page.
pub(crate) async fn open(w: &mut World) -> serde_json::Value {
    w.at(deadline() + Duration::minutes(5)).await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    evaluation_lot(w).await
}

pub(crate) async fn evaluation_lot(w: &World) -> serde_json::Value {
    let (status, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{page}");
    page["stage"]["Opened"]["lots"][0].clone()
}

/// The evaluators' marks for one bid: ISO 9001 passed or failed (with the reason), the
/// approach scored 50 of 60.
pub(crate) async fn mark(w: &World, lot: &serde_json::Value, supplier: &str, passed: bool) {
    let criteria = lot["criteria"].as_array().unwrap();
    let opened_bid = lot["bids"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["score"]["supplier_name"] == supplier)
        .unwrap()["opened_bid_id"]
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
                ("opened_bid", &opened_bid),
                ("marks[0][criterion]", criteria[0]["id"].as_str().unwrap()),
                ("marks[0][passed]", if passed { "pass" } else { "fail" }),
                (
                    "marks[0][reason]",
                    if passed {
                        "证书有效"
                    } else {
                        "未提供有效证书"
                    },
                ),
                ("marks[1][criterion]", criteria[1]["id"].as_str().unwrap()),
                ("marks[1][score]", "50"),
                ("marks[1][reason]", "方案完整"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn award(w: &World, lot: &serde_json::Value) -> (reqwest::StatusCode, serde_json::Value) {
    w.app
        .call_with(
            &w.officer,
            "agency/award",
            &[
                ("tender", &w.tender),
                ("lot", lot["lot_id"].as_str().unwrap()),
            ],
        )
        .await
}

/// Every lot status the tender's OCDS releases give.
async fn ocds_lot_statuses(w: &World) -> Vec<String> {
    let ocid = format!("{}-{}", w.app.settings.ocid_prefix, w.tender);
    let (status, text) = w
        .app
        .get_text(&format!("/api/v1/ocds/releases/{ocid}"))
        .await;
    assert_eq!(status, 200, "{text}");
    let package: serde_json::Value = serde_json::from_str(&text).unwrap();
    package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["tender"]["lots"].as_array())
        .flatten()
        .filter_map(|l| l["status"].as_str().map(String::from))
        .collect()
}

async fn r_bid_04_three_bids_open_but_two_fail_a_requirement_so_the_lot_fails(backend: Backend) {
    let mut w = world(backend).await;
    for (name, code, price) in [
        ("甲公司", "91330106MA2B00071", "2700000"),
        ("乙公司", "91330106MA2B00072", "2800000"),
        ("丙公司", "91330106MA2B00073", "2900000"),
    ] {
        let (client, record) = firm(&w.app, name, code, true).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    let lot = open(&mut w).await;
    // Three opened: the lot goes to evaluation.
    assert_eq!(lot["state"], "Evaluating", "{lot}");
    mark(&w, &lot, "甲公司", true).await;
    mark(&w, &lot, "乙公司", false).await;
    mark(&w, &lot, "丙公司", false).await;

    // One valid bid of three: the lot fails (R-BID-04), it is not awarded to the only one.
    let lot = evaluation_lot(&w).await;
    assert_eq!(lot["state"], "Failed", "{lot}");
    let (status, body) = award(&w, &lot).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-BID-04"), "{body}");
    let (_, detail) = w.app.call("tenders/get", &[("id", &w.tender)]).await;
    assert_eq!(detail["awards"], serde_json::json!([]), "{detail}");

    // The public reason, in both languages, on the tender page and its data.
    let outcome = &detail["lot_outcomes"][0];
    assert_eq!(outcome["state"], "Failed", "{detail}");
    assert_eq!(outcome["valid_bids"], 1, "{detail}");
    assert!(
        outcome["reason"]["zh"]
            .as_str()
            .unwrap()
            .contains("有效投标不足三家（GPL 第三十六条）"),
        "{outcome}"
    );
    assert!(
        outcome["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("Fewer than three valid bids (GPL Art. 36)"),
        "{outcome}"
    );
    let (status, html) = w.app.get_text(&format!("/tenders/{}", w.tender)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("有效投标不足三家（GPL 第三十六条）"),
        "the tender page shows no reason"
    );
    let statuses = ocds_lot_statuses(&w).await;
    assert!(statuses.iter().any(|s| s == "unsuccessful"), "{statuses:?}");

    // Re-marking a failed bid as passing brings the count back to two: still failed.
    mark(&w, &lot, "乙公司", true).await;
    let lot = evaluation_lot(&w).await;
    assert_eq!(lot["state"], "Failed", "{lot}");
    // All three pass: the lot proceeds and is awarded to the first-ranked bid.
    mark(&w, &lot, "丙公司", true).await;
    let lot = evaluation_lot(&w).await;
    assert_eq!(lot["state"], "Evaluating", "{lot}");
    let (status, body) = award(&w, &lot).await;
    assert_eq!(status, 200, "{body}");
}

/// A services tender of 1,500,000: reserved whole for SMEs (R-SME-01). One lot with a
/// pass/fail ISO 9001 requirement and a scored approach.
pub(crate) fn reserved_tender_form() -> Vec<(String, String)> {
    [
        ("id", ""),
        ("form[title]", "市属学校网络运维服务"),
        ("form[description]", "两年的网络运维。"),
        ("form[category]", "services"),
        ("form[method]", "open_tender"),
        ("form[region]", "浙江省杭州市"),
        ("form[budget]", "1500000"),
        ("form[bid_deadline]", "2026-12-17T17:00"),
        ("form[evaluation]", "comprehensive_scoring"),
        ("form[price_weight]", "40"),
        ("form[lots][0][title]", "网络运维"),
        ("form[lots][0][budget]", "1500000"),
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

async fn r_sme_05_a_reserved_lot_left_with_two_qualified_sme_bids_is_suspended(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;
    let (status, id) = save(&app, &officer, &reserved_tender_form()).await;
    assert_eq!(status, 200, "{id}");
    let tender = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let mut w = World {
        app,
        officer,
        tender,
    };
    // R-SME-01: only SMEs may bid on it; three do.
    for (name, code, price) in [
        ("小微甲公司", "91330106MA2B00081", "1200000"),
        ("小微乙公司", "91330106MA2B00082", "1300000"),
        ("小微丙公司", "91330106MA2B00083", "1400000"),
    ] {
        let (client, record) = firm(&w.app, name, code, true).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    let lot = open(&mut w).await;
    assert_eq!(lot["state"], "Evaluating", "{lot}");
    assert_eq!(lot["reserved"], true, "{lot}");
    mark(&w, &lot, "小微甲公司", true).await;
    mark(&w, &lot, "小微乙公司", true).await;
    mark(&w, &lot, "小微丙公司", false).await;

    // Two qualified SME bids: suspended and re-tendered as non-reserved (R-SME-05), not
    // awarded, and not merely failed.
    let lot = evaluation_lot(&w).await;
    assert_eq!(lot["state"], "Suspended", "{lot}");
    let (status, body) = award(&w, &lot).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-SME-05"), "{body}");
    let (_, detail) = w.app.call("tenders/get", &[("id", &w.tender)]).await;
    assert_eq!(detail["awards"], serde_json::json!([]), "{detail}");
    let outcome = &detail["lot_outcomes"][0];
    assert_eq!(outcome["state"], "Suspended", "{detail}");
    assert!(
        outcome["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("non-reserved"),
        "{outcome}"
    );
    let (_, html) = w.app.get_text(&format!("/tenders/{}", w.tender)).await;
    assert!(html.contains("R-SME-05"), "the tender page shows no reason");
    let statuses = ocds_lot_statuses(&w).await;
    assert!(statuses.iter().any(|s| s == "unsuccessful"), "{statuses:?}");
}
