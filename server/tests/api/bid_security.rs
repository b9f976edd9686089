//! R-SEC-01 (issue #33): a bid security may be given as a guarantee (never demanded in cash
//! only, R-PAY-08), the supplier chooses its form when it bids, and its refund, due 5 working
//! days after the award notice, is tracked: the agency records it, both sides see the day and
//! whether it was refunded, late and overdue refunds are flagged and counted in the agency's
//! public figures (the year's as of its 31 December).

use chrono::{TimeZone, Utc};

use crate::bids::{firm, open_mark_and_award, open_tender_form, World};
use crate::helpers::{error_fields, spawn_app, Backend};
use crate::on_both_backends;
use crate::tenders::{save, signed_in};

on_both_backends!(
    r_sec_01_a_bid_security_may_be_a_guarantee_and_its_refund_is_tracked_late_and_overdue,
);

const JIA: &str = "91330106MA2B00061";
const YI: &str = "91330106MA2B00062";
const BING: &str = "91330106MA2B00063";

fn beijing_noon(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

/// The test tender (budget 3,000,000) with a bid security of 50,000 in one of `forms`.
fn with_security(id: &str, forms: &[&str]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = open_tender_form()
        .into_iter()
        .map(|(k, v)| {
            if k == "id" {
                (k, id.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    form.push(("form[bid_security]".into(), "50000".into()));
    for (i, code) in forms.iter().enumerate() {
        form.push((format!("form[bid_security_forms][{i}]"), code.to_string()));
    }
    form
}

async fn submit(
    w: &World,
    client: &reqwest::Client,
    price: &str,
    record: &str,
    security_form: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut form: Vec<(String, String)> = [
        ("tender", w.tender.as_str()),
        ("intent", "submit"),
        ("seen_versions", "0"),
        ("form[lots][0][include]", "on"),
        ("form[lots][0][price]", price),
        ("form[lots][0][answers][0]", record),
        ("form[proposal]", "方案"),
        ("form[bid_security_form]", security_form),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // R-SME-02: the tender asks 30% for SMEs; a small subcontractor gives it for any bidder.
    form.extend(crate::bids::small_subcontractor(0, "30"));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    w.app.call_with(client, "bids/submit", &pairs).await
}

async fn desk(w: &World, code: &str) -> serde_json::Value {
    let client = w.again(code).await;
    let (status, desk) = w
        .app
        .call_with(&client, "bids/desk", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{desk}");
    desk
}

async fn securities(w: &World, client: &reqwest::Client) -> Vec<serde_json::Value> {
    let (status, list) = w.app.call_with(client, "agency/bid-securities", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn of<'a>(list: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|s| s["supplier_name"] == name)
        .unwrap_or_else(|| panic!("no security of {name}: {list:?}"))
}

async fn refund(
    w: &World,
    client: &reqwest::Client,
    organisation: &str,
    on: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    w.app
        .call_with(
            client,
            "agency/bid-securities/refund",
            &[
                ("tender", w.tender.as_str()),
                ("organisation", organisation),
                ("refunded_on", on),
            ],
        )
        .await
}

/// The public bid-security figures of the only agency: (due, on time, late, overdue).
async fn public_refunds(w: &World, year: Option<&str>) -> (u64, u64, u64, u64) {
    let form: Vec<(&str, &str)> = year.map(|y| ("year", y)).into_iter().collect();
    let public = w.app.new_client();
    let (status, r) = w.app.call_with(&public, "payments/timeliness", &form).await;
    assert_eq!(status, 200, "{r}");
    let b = &r["agencies"][0]["bid_security"];
    assert_eq!(b, &r["overall_bid_security"], "one agency: {r}");
    let n = |k: &str| b[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}"));
    (
        n("due"),
        n("refunded_on_time"),
        n("refunded_late"),
        n("overdue"),
    )
}

async fn r_sec_01_a_bid_security_may_be_a_guarantee_and_its_refund_is_tracked_late_and_overdue(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;

    // A bid security demanded in cash only is refused at publication (R-SEC-01, R-PAY-08).
    let (status, id) = save(&app, &officer, &with_security("", &["cash"])).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 422, "cash only must be refused: {body}");
    assert_eq!(error_fields(&body), ["bid_security_forms"], "{body}");
    let message = body["Fields"]["errors"][0]["message"]["en"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("R-SEC-01") && message.contains("cash only"),
        "{message}"
    );
    // Cash, a bank guarantee or guarantee insurance: published.
    let forms = ["cash", "bank_guarantee", "guarantee_insurance"];
    let (status, body) = save(&app, &officer, &with_security(&id, &forms)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let mut w = World {
        app,
        officer,
        tender: id,
    };

    // The supplier chooses the form when it bids: one of the tender's, and it must choose.
    let (jia, record) = firm(&w.app, "小微甲公司", JIA, true).await;
    let desk_before = w
        .app
        .call_with(&jia, "bids/desk", &[("tender", &w.tender)])
        .await
        .1;
    assert_eq!(desk_before["bid_security"], "50000", "{desk_before}");
    assert_eq!(desk_before["bid_security_forms"], serde_json::json!(forms));
    let page = w
        .app
        .page_as(&jia, &app::paths::tender_bid(&w.tender))
        .await;
    assert!(
        page.contains(r#"data-testid="bid-security-form""#) && page.contains("保证保险"),
        "the bid form offers the forms"
    );
    for refused in ["", "surety_guarantee"] {
        let (status, body) = submit(&w, &jia, "2850000", &record, refused).await;
        assert_eq!(status, 422, "{refused:?}: {body}");
        assert_eq!(error_fields(&body), ["bid_security_form"], "{body}");
    }
    let (status, body) = submit(&w, &jia, "2850000", &record, "bank_guarantee").await;
    assert_eq!(status, 200, "{body}");
    for (name, code, small, price, form) in [
        ("大型乙集团", YI, false, "2700000", "cash"),
        ("小微丙公司", BING, true, "2990000", "guarantee_insurance"),
    ] {
        let (client, record) = firm(&w.app, name, code, small).await;
        let (status, body) = submit(&w, &client, price, &record, form).await;
        assert_eq!(status, 200, "{body}");
    }

    // Opened five minutes after the deadline and awarded on Thursday 17 December 2026.
    open_mark_and_award(&mut w).await;

    // Every bidder's security, the winner's too, is due back 5 working days after the notice:
    // Thursday 24 December. The agency sees each with the form chosen.
    let list = securities(&w, &w.officer).await;
    assert_eq!(list.len(), 3, "{list:?}");
    for (name, form) in [
        ("小微甲公司", "bank_guarantee"),
        ("大型乙集团", "cash"),
        ("小微丙公司", "guarantee_insurance"),
    ] {
        let s = of(&list, name);
        assert_eq!(
            (
                s["form"].as_str(),
                s["refund_by"].as_str(),
                s["status"].as_str()
            ),
            (Some(form), Some("2026-12-24"), Some("due")),
            "{s}"
        );
    }
    let org = |name: &str| {
        of(&list, name)["organisation_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (jia_org, yi_org, bing_org) = (org("小微甲公司"), org("大型乙集团"), org("小微丙公司"));
    let d = desk(&w, JIA).await;
    assert_eq!(d["own_security"]["refund_by"], "2026-12-24", "{d}");
    assert_eq!(d["own_security"]["form"], "bank_guarantee");
    assert_eq!(d["own_security"]["status"], "due");

    // Only the tender's agency records a refund; a supplier neither records nor lists.
    let jia = w.again(JIA).await;
    assert_eq!(refund(&w, &jia, &jia_org, "2026-12-17").await.0, 403);
    assert_eq!(
        w.app.call_with(&jia, "agency/bid-securities", &[]).await.0,
        403
    );

    // Tuesday 22 December: the finance officer records the winner's guarantee returned.
    w.at(beijing_noon(2026, 12, 22)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    for (bad, why) in [
        ("2026-12-23", "after today"),
        ("2026-12-16", "before the bid deadline"),
        ("22/12/2026", "not a date"),
    ] {
        let (status, body) = refund(&w, &finance, &jia_org, bad).await;
        assert_eq!(status, 422, "{why}: {body}");
        assert_eq!(body["Invalid"]["field"], "refunded_on", "{body}");
    }
    let (status, body) = refund(&w, &finance, &jia_org, "2026-12-22").await;
    assert_eq!(status, 200, "{body}");
    // Once: it cannot be moved afterwards.
    let (status, body) = refund(&w, &finance, &jia_org, "2026-12-21").await;
    assert_eq!(status, 409, "{body}");

    // Monday 28 December: the cash security is refunded four days late; the guarantee
    // insurance of 丙 is still held: overdue.
    w.at(beijing_noon(2026, 12, 28)).await;
    let (status, body) = refund(&w, &w.officer, &yi_org, "2026-12-28").await;
    assert_eq!(status, 200, "{body}");
    for (code, status, refunded) in [
        (JIA, "refunded_on_time", serde_json::json!("2026-12-22")),
        (YI, "refunded_late", serde_json::json!("2026-12-28")),
        (BING, "overdue", serde_json::Value::Null),
    ] {
        let d = desk(&w, code).await;
        let own = &d["own_security"];
        assert_eq!(own["status"], status, "{code}: {d}");
        assert_eq!(own["refunded_on"], refunded, "{code}: {d}");
        // A supplier sees its own security only.
        let mine = match code {
            JIA => &jia_org,
            YI => &yi_org,
            _ => &bing_org,
        };
        assert_eq!(own["organisation_id"].as_str(), Some(mine.as_str()));
        assert_eq!(d["bid_security_refund_by"], "2026-12-24");
    }
    let bing = w.again(BING).await;
    let page = w
        .app
        .page_as(&bing, &app::paths::tender_bid(&w.tender))
        .await;
    assert!(
        page.contains(r#"data-testid="own-bid-security""#)
            && page.contains("逾期未退回（R-SEC-01）"),
        "the bidder's page flags the overdue return"
    );
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let page = w.app.page_as(&finance, app::paths::AGENCY_CONTRACTS).await;
    assert!(
        page.contains(r#"data-testid="bid-securities""#)
            && page.contains("逾期退还（R-SEC-01）")
            && page.contains("逾期未退回（R-SEC-01）"),
        "the agency's page flags the late and the overdue one"
    );

    // The agency's public figures: 3 due, 1 on time, 1 late, 1 overdue; the CSV, the open
    // data API and the page say the same.
    assert_eq!(public_refunds(&w, None).await, (3, 1, 1, 1));
    let csv = w.app.get("/payments.csv").await.text().await.unwrap();
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert!(
        rows[0].ends_with(
            "bid_security_refunds_due,bid_security_refunded_late,bid_security_refunds_overdue"
        ),
        "{csv}"
    );
    assert!(rows.iter().skip(1).all(|r| r.ends_with(",3,1,1")), "{csv}");
    let (status, api) = w
        .app
        .get_text("/api/v1/statistics/payment-timeliness")
        .await;
    assert_eq!(status, 200, "{api}");
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    let figures = &api["agencies"][0]["bid_security_refunds"];
    assert_eq!(
        (
            figures["refunded_late"].as_u64(),
            figures["overdue"].as_u64()
        ),
        (Some(1), Some(1)),
        "{api}"
    );
    assert_eq!(api["overall_bid_security_refunds"]["due"], 3, "{api}");
    let (_, page) = w.app.get_text("/payments").await;
    assert!(
        page.contains(r#"data-testid="bid-security-refunds""#),
        "the public page shows the refunds"
    );

    // Across the year end: 丙's insurance returned on Monday 4 January 2027. For 2026 it stays
    // overdue (as of 31 December); over all years it is now a late refund.
    w.at(beijing_noon(2027, 1, 5)).await;
    let (status, body) = refund(&w, &w.officer, &bing_org, "2027-01-04").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(public_refunds(&w, Some("2026")).await, (3, 1, 1, 1));
    assert_eq!(public_refunds(&w, None).await, (3, 1, 2, 0));
    assert_eq!(public_refunds(&w, Some("2027")).await, (0, 0, 0, 0));
}
