//! R-PAY-07 (issue #33): the public figures per contract as PAY Art. 18 reports them (the
//! number and value of contracts with overdue payments), the per-milestone detail kept, and a
//! past year counted as of its 31 December, not today.

use chrono::{TimeZone, Utc};

use crate::bids::{bid, firm, open_mark_and_award, open_tender_form, world, World};
use crate::contracts::{call, payment, WINNER};
use crate::helpers::Backend;
use crate::on_both_backends;
use crate::tenders::{save, signed_in};

on_both_backends!(r_pay_07_a_past_year_counts_contracts_overdue_at_its_end_with_their_value,);

fn beijing_noon(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

/// A contract of `value` with a 10-day payment term: 20% in advance (payable from signing), the
/// rest on delivery.
fn contract_form(lot: &str, advance: &str, rest: &str) -> Vec<(String, String)> {
    [
        ("lot", lot),
        ("form[payment_term]", "10"),
        ("form[acceptance_days]", "10"),
        ("form[interest_rate]", ""),
        ("form[performance_security]", ""),
        ("form[milestones][0][deliverable]", "预付款"),
        ("form[milestones][0][amount]", advance),
        ("form[milestones][0][planned_date]", "2026-12-20"),
        ("form[milestones][0][advance]", "on"),
        ("form[milestones][1][deliverable]", "运维服务第一年"),
        ("form[milestones][1][amount]", rest),
        ("form[milestones][1][planned_date]", "2027-06-30"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Two tenders of the demo agency, both awarded to 小微甲公司 on Thursday 17 December 2026
/// (at 2,850,000 and 2,600,000), and both contracts signed then. Returns the world and, for
/// each contract, its advance and delivery milestones' ids.
async fn two_contracts(backend: Backend) -> (World, [(String, String); 2]) {
    let mut w = world(backend).await;
    let first = w.tender.clone();
    let (status, second) = save(&w.app, &w.officer, &open_tender_form()).await;
    assert_eq!(status, 200, "{second}");
    let second = second.as_str().unwrap().to_string();
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/tenders/publish", &[("id", &second)])
        .await;
    assert_eq!(status, 200, "{body}");
    for (name, code, small, prices) in [
        ("小微甲公司", WINNER, true, ["2850000", "2600000"]),
        (
            "大型乙集团",
            "91330106MA2B00062",
            false,
            ["2700000", "2700000"],
        ),
        (
            "小微丙公司",
            "91330106MA2B00063",
            true,
            ["2990000", "2990000"],
        ),
    ] {
        let (client, record) = firm(&w.app, name, code, small).await;
        for (tender, price) in [&first, &second].into_iter().zip(prices) {
            w.tender = tender.clone();
            let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
            assert_eq!(status, 200, "{body}");
        }
    }
    let mut lots = Vec::new();
    for tender in [&first, &second] {
        w.tender = tender.clone();
        lots.push(open_mark_and_award(&mut w).await);
    }
    let mut milestones = Vec::new();
    for (lot, (advance, rest)) in lots
        .iter()
        .zip([("570000", "2280000"), ("520000", "2080000")])
    {
        let (status, id) = call(
            &w,
            &w.officer,
            "contracts/create",
            &contract_form(lot, advance, rest),
        )
        .await;
        assert_eq!(status, 200, "{id}");
        let (_, c) = w
            .app
            .call_with(&w.officer, "contracts/get", &[("id", id.as_str().unwrap())])
            .await;
        let m = |i: usize| c["milestones"][i]["id"].as_str().unwrap().to_string();
        milestones.push((m(0), m(1)));
    }
    let b = milestones.pop().unwrap();
    let a = milestones.pop().unwrap();
    (w, [a, b])
}

async fn figures(w: &World, year: Option<&str>) -> serde_json::Value {
    let form: Vec<(&str, &str)> = year.map(|y| ("year", y)).into_iter().collect();
    let public = w.app.new_client();
    let (status, r) = w.app.call_with(&public, "payments/timeliness", &form).await;
    assert_eq!(status, 200, "{r}");
    r
}

async fn pay(w: &World, milestone: &str, amount: &str, on: &str) {
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let key = uuid::Uuid::new_v4().to_string();
    let (status, body) = call(
        w,
        &finance,
        "contracts/pay",
        &payment(milestone, &key, "", amount, on),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn r_pay_07_a_past_year_counts_contracts_overdue_at_its_end_with_their_value(
    backend: Backend,
) {
    let (mut w, [(a_advance, _), (b_advance, b_delivery)]) = two_contracts(backend).await;
    // Contract A (2,850,000): its advance of 570,000 falls due on 27 December (signed 17
    // December, 10 days) and is paid only on 10 January 2027.
    // Contract B (2,600,000): its advance of 520,000 is paid on 26 December, on time; its
    // delivery (2,080,000), accepted on 21 December, falls due on 31 December and stays
    // unpaid: overdue only from 1 January 2027.
    w.at(beijing_noon(2026, 12, 21)).await;
    let winner = w.again(WINNER).await;
    let (status, body) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", &b_delivery)])
        .await;
    assert_eq!(status, 200, "{body}");
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let (status, body) = w
        .app
        .call_with(&finance, "contracts/accept", &[("milestone", &b_delivery)])
        .await;
    assert_eq!(status, 200, "{body}");
    w.at(beijing_noon(2026, 12, 26)).await;
    pay(&w, &b_advance, "520000", "2026-12-26").await;

    // On 31 December: A is overdue (its advance since 28 December), B is not yet.
    w.at(beijing_noon(2026, 12, 31)).await;
    let on_the_day = figures(&w, Some("2026")).await;
    let s = &on_the_day["overall"];
    assert_eq!(
        (s["overdue_count"].as_u64(), s["overdue_value"].as_str()),
        (Some(1), Some("570000")),
        "{on_the_day}"
    );

    // A's advance is paid on 10 January 2027; on 20 January 2027 the figures of 2026 are still
    // those of 31 December: A was overdue then (paid in 2027); B's delivery, due on 31 December,
    // became overdue only in 2027.
    w.at(beijing_noon(2027, 1, 10)).await;
    pay(&w, &a_advance, "570000", "2027-01-10").await;
    w.at(beijing_noon(2027, 1, 20)).await;
    let r = figures(&w, Some("2026")).await;
    assert_eq!(r["as_of"], "2026-12-31", "{r}");
    let s = &r["overall"];
    assert_eq!(
        (
            s["payables"].as_u64(),
            s["paid"].as_u64(),
            s["paid_on_time"].as_u64(),
            s["paid_late"].as_u64(),
            s["overdue_count"].as_u64(),
        ),
        (Some(3), Some(1), Some(1), Some(0), Some(1)),
        "per milestone, as of 31 December: {r}"
    );
    assert_eq!(s["overdue_value"], "570000", "{r}");
    // Per contract (PAY Art. 18): A only, and the value counted is the contract's, not only
    // the overdue 570,000.
    assert_eq!(
        (
            s["overdue_contracts"].as_u64(),
            s["overdue_contract_value"].as_str()
        ),
        (Some(1), Some("2850000")),
        "per contract: A only: {r}"
    );
    assert_eq!(r["overall"], on_the_day["overall"], "2026 no longer moves");
    assert_eq!(r["agencies"][0]["stats"], r["overall"], "one agency");

    // Today (all years, and 2027 that runs): B is the contract with an overdue payment; A's
    // advance was paid late.
    for year in [None, Some("2027")] {
        let r = figures(&w, year).await;
        let s = &r["overall"];
        assert_eq!(r["as_of"], "2027-01-20", "{r}");
        assert_eq!(
            (
                s["overdue_contracts"].as_u64(),
                s["overdue_contract_value"].as_str()
            ),
            (Some(1), Some("2600000")),
            "{year:?}: {r}"
        );
    }
    let s = figures(&w, None).await["overall"].clone();
    assert_eq!(
        (
            s["paid_on_time"].as_u64(),
            s["paid_late"].as_u64(),
            s["overdue_count"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "{s}"
    );
    assert_eq!(s["overdue_value"], "2080000", "{s}");
    assert_eq!(figures(&w, Some("2027")).await["overall"]["payables"], 0);

    // The CSV, the open-data API and the page say the same for 2026, as of its last day.
    let csv = w
        .app
        .get("/payments.csv?year=2026")
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert!(
        rows[0].contains(",interest_paid_cny,overdue_contracts,overdue_contract_value_cny"),
        "{csv}"
    );
    assert!(
        rows.last().is_some_and(|r| r.starts_with(
            "\"全部 / All\",2026-12-31,2026,3,1,1,0,0.5,9,1,570000.00,0.00,1,2850000.00"
        )),
        "{csv}"
    );
    let (status, api) = w
        .app
        .get_text("/api/v1/statistics/payment-timeliness?year=2026")
        .await;
    assert_eq!(status, 200, "{api}");
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["as_of"], "2026-12-31", "{api}");
    assert_eq!(api["overall"]["overdue_contracts"], 1, "{api}");
    assert_eq!(
        api["overall"]["overdue_contract_value"]["amount"], "2850000.00",
        "{api}"
    );
    assert_eq!(
        api["overall"]["overdue_count"], 1,
        "the per-milestone detail is kept"
    );
    let (status, page) = w.app.get_text("/payments?year=2026").await;
    assert_eq!(status, 200);
    let start = page
        .find(r#"data-testid="overdue-contracts""#)
        .unwrap_or_else(|| panic!("no per-contract line in {page}"));
    let line = &page[start..start + page[start..].find("</dd>").unwrap()];
    assert!(
        line.contains("¥2,850,000.00") && line.contains('1'),
        "{line}"
    );
    assert!(page.contains("2026-12-31"), "the page says as of when");
}
