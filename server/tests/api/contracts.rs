//! Contracts and milestone payments (issue #6): the award becomes a contract with checked terms
//! (R-PAY-01, R-PAY-05, R-SEC-01), delivery, rejection (R-PAY-03), partial acceptance
//! (R-PAY-04), the payment clock (R-PAY-02), late interest (R-PAY-05), and a release that pays
//! once however often it is sent.

use chrono::{TimeZone, Utc};

use crate::bids::{awarded, World};
use crate::helpers::{error_fields, Backend};
use crate::on_both_backends;
use crate::tenders::signed_in;

on_both_backends!(
    r_pay_01_an_award_becomes_a_contract_only_with_lawful_terms,
    r_pay_05_a_late_payment_bears_interest_until_paid,
    r_pay_03_a_rejection_needs_an_allowed_reason_within_the_period,
    a_release_pays_once_however_often_it_is_sent,
);

const WINNER: &str = "91330106MA2B00061";

/// Beijing noon on a day, as the clock's instant.
fn beijing_noon(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

/// A valid contract form for the 2,850,000 award: 20% advance, the rest on delivery.
fn contract_form(lot: &str) -> Vec<(String, String)> {
    [
        ("lot", lot),
        ("form[payment_term]", "30"),
        ("form[acceptance_days]", "10"),
        ("form[interest_rate]", ""),
        ("form[performance_security]", "142500"),
        ("form[milestones][0][deliverable]", "预付款"),
        ("form[milestones][0][amount]", "570000"),
        ("form[milestones][0][planned_date]", "2026-12-20"),
        ("form[milestones][0][advance]", "on"),
        ("form[milestones][1][deliverable]", "运维服务第一年"),
        ("form[milestones][1][amount]", "2280000"),
        ("form[milestones][1][planned_date]", "2027-12-17"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn call(
    w: &World,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(String, String)],
) -> (reqwest::StatusCode, serde_json::Value) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    w.app.call_with(client, endpoint, &pairs).await
}

/// An awarded tender with its contract signed; returns the world, the contract's id and its two
/// milestones' ids (advance, delivery).
async fn signed(backend: Backend) -> (World, String, String, String) {
    let (w, lot) = awarded(backend).await;
    let (status, id) = call(&w, &w.officer, "contracts/create", &contract_form(&lot)).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();
    let (_, contract) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", &id)])
        .await;
    let m = |i: usize| {
        contract["milestones"][i]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (advance, delivery) = (m(0), m(1));
    (w, id, advance, delivery)
}

async fn milestone(
    w: &World,
    client: &reqwest::Client,
    contract: &str,
    i: usize,
) -> serde_json::Value {
    let (status, c) = w
        .app
        .call_with(client, "contracts/get", &[("id", contract)])
        .await;
    assert_eq!(status, 200, "{c}");
    c["milestones"][i].clone()
}

async fn r_pay_01_an_award_becomes_a_contract_only_with_lawful_terms(backend: Backend) {
    let (w, lot) = awarded(backend).await;
    let winner = w.again(WINNER).await;
    // Only the procurement officer signs.
    let (status, _) = call(&w, &winner, "contracts/create", &contract_form(&lot)).await;
    assert_eq!(status, 403);

    // Every problem at once: a 61-day term (R-PAY-01), an agreed rate below the 3% LPR
    // (R-PAY-05), a security above 10% (R-SEC-01), milestones a fen short.
    let mut bad = contract_form(&lot);
    for (k, v) in bad.iter_mut() {
        match k.as_str() {
            "form[payment_term]" => *v = "61".into(),
            "form[interest_rate]" => *v = "2.5".into(),
            "form[performance_security]" => *v = "285000.01".into(),
            "form[milestones][1][amount]" => *v = "2279999.99".into(),
            _ => {}
        }
    }
    let (status, body) = call(&w, &w.officer, "contracts/create", &bad).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        error_fields(&body),
        [
            "payment_term",
            "interest_rate",
            "performance_security",
            "milestones"
        ]
    );
    let text = body.to_string();
    assert!(
        text.contains("R-PAY-01") && text.contains("R-PAY-05"),
        "{text}"
    );
    assert!(text.contains("0.01"), "the difference is shown: {text}");
    let (_, lots) = w.app.call_with(&w.officer, "contracts/awarded", &[]).await;
    assert_eq!(lots[0]["contract_id"], serde_json::Value::Null, "{lots}");
    // R-AWARD-01: signed within 30 days of the award (2026-12-17).
    assert_eq!(lots[0]["sign_by"], "2027-01-16");

    // The lawful terms: signed, at the awarded price; once only.
    let (status, id) = call(&w, &w.officer, "contracts/create", &contract_form(&lot)).await;
    assert_eq!(status, 200, "{id}");
    let (status, _) = call(&w, &w.officer, "contracts/create", &contract_form(&lot)).await;
    assert_eq!(status, 409);
    let (_, lots) = w.app.call_with(&w.officer, "contracts/awarded", &[]).await;
    assert_eq!(lots[0]["contract_id"], id);

    // The supplier sees it among its receivables: the advance is payable from signing, due 30
    // days later (2026-12-17 + 30 = 2027-01-16); the delivery milestone is not yet payable.
    let (status, rec) = w.app.call_with(&winner, "contracts/receivables", &[]).await;
    assert_eq!(status, 200, "{rec}");
    let c = &rec[0];
    assert_eq!(c["value"], "2850000");
    assert_eq!(c["interest"], "statutory");
    assert_eq!(c["performance_security"], "142500");
    assert_eq!(c["milestones"][0]["due_date"], "2027-01-16");
    assert_eq!(c["milestones"][0]["outstanding"], "570000");
    assert_eq!(c["milestones"][1]["due_date"], serde_json::Value::Null);
    assert_eq!(c["milestones"][1]["payable"], "0");
    // Another supplier does not.
    let (other, _) = (w.again("91330106MA2B00062").await, ());
    let (_, rec) = w.app.call_with(&other, "contracts/receivables", &[]).await;
    assert_eq!(rec, serde_json::json!([]));
    let (status, _) = w
        .app
        .call_with(&other, "contracts/get", &[("id", id.as_str().unwrap())])
        .await;
    assert_eq!(status, 404);
}

async fn r_pay_03_a_rejection_needs_an_allowed_reason_within_the_period(backend: Backend) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let (status, body) = w
        .app
        .call_with(
            &winner,
            "contracts/deliver",
            &[("milestone", &delivery), ("note", "第一年服务报告")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // A supplier cannot accept its own delivery.
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/accept", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 403);
    // R-PAY-03: waiting for an audit is no reason; an explanation is required.
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/reject",
            &[
                ("milestone", &delivery),
                ("reason", "awaiting_audit"),
                ("explanation", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["reason", "explanation"]);
    assert!(body.to_string().contains("R-PAY-03"), "{body}");
    assert_eq!(
        milestone(&w, &finance, &contract, 1).await["stage"],
        "Delivered"
    );
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/reject",
            &[
                ("milestone", &delivery),
                ("reason", "incomplete_delivery"),
                ("explanation", "缺少第四季度巡检记录。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(m["stage"], "Rejected");
    assert_eq!(m["rejection"][1], "缺少第四季度巡检记录。");

    // Delivered again; the agency lets the 10-day period pass: the clock starts at its end
    // (R-PAY-02) and a rejection is no longer possible.
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200);
    w.at(beijing_noon(2026, 12, 28)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/reject",
            &[
                ("milestone", &delivery),
                ("reason", "defects"),
                ("explanation", "发现缺陷。"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-PAY-02"), "{body}");
    // Delivered 2026-12-17 + 10 = 2026-12-27, + 30 days = 2027-01-26: all of it payable.
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["due_date"], "2027-01-26", "{m}");
    assert_eq!(m["payable"], "2280000");
}

async fn r_pay_05_a_late_payment_bears_interest_until_paid(backend: Backend) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200);
    // Accepted the next day, in part (R-PAY-04): 2,000,000 undisputed, due 2026-12-18 + 30.
    w.at(beijing_noon(2026, 12, 18)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/accept",
            &[("milestone", &delivery), ("accepted_amount", "2280000.01")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/accept",
            &[("milestone", &delivery), ("accepted_amount", "2000000")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["due_date"], "2027-01-17");
    assert_eq!(m["payable"], "2000000");
    assert_eq!(m["accepted_amount"], "2000000");
    assert_eq!(m["status"]["status"], "not_yet_due");

    // Ten days after the due date: 2,000,000 x 0.05% x 10 days = 10,000.00 (R-PAY-05).
    w.at(beijing_noon(2027, 1, 27)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let winner = w.again(WINNER).await;
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(
        m["status"],
        serde_json::json!({"status": "overdue", "days_overdue": 10})
    );
    assert_eq!(m["interest"], "10000");
    // The finance dashboard lists it (overdue) with the advance (due 2027-01-16, unpaid).
    let (_, due) = w.app.call_with(&finance, "contracts/finance", &[]).await;
    assert_eq!(due.as_array().unwrap().len(), 2, "{due}");

    // A procurement officer cannot pay; a payment above what is due or dated tomorrow is
    // refused; nothing changes.
    let officer = signed_in(&w.app, "buyer@demo.fairtender.cn").await;
    let pay = |amount: &'static str, on: &'static str| {
        vec![
            ("milestone".to_string(), delivery.clone()),
            ("request_key".to_string(), uuid::Uuid::new_v4().to_string()),
            ("amount".to_string(), amount.to_string()),
            ("paid_on".to_string(), on.to_string()),
            ("bank_reference".to_string(), "ICBC-2027-0001".to_string()),
        ]
    };
    let (status, _) = call(&w, &officer, "contracts/pay", &pay("2000000", "2027-01-27")).await;
    assert_eq!(status, 403);
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &pay("2000000.01", "2027-01-28"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["amount", "paid_on"]);
    assert_eq!(milestone(&w, &finance, &contract, 1).await["paid"], "0");

    // Half now, half two days later: 1,000,000 x 10 days + 1,000,000 x 12 days = 22,000,000
    // yuan-days x 0.0005 = 11,000.00.
    let (status, body) = call(&w, &finance, "contracts/pay", &pay("1000000", "2027-01-27")).await;
    assert_eq!(status, 200, "{body}");
    w.at(beijing_noon(2027, 1, 29)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let (status, body) = call(&w, &finance, "contracts/pay", &pay("1000000", "2027-01-29")).await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(
        m["status"],
        serde_json::json!({"status": "paid_late", "days_late": 12})
    );
    assert_eq!(m["interest"], "11000");
    assert_eq!(m["outstanding"], "0");
    assert_eq!(m["payments"].as_array().unwrap().len(), 2);
}

async fn a_release_pays_once_however_often_it_is_sent(backend: Backend) {
    let (mut w, contract, advance, _) = signed(backend).await;
    w.at(beijing_noon(2026, 12, 20)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    // Each release is its own task, sent at once, as separate requests would be.
    let release_all = |keys: Vec<String>, amount: &'static str| {
        let mut set = tokio::task::JoinSet::new();
        for key in keys {
            let (client, address, advance) =
                (finance.clone(), w.app.address.clone(), advance.clone());
            set.spawn(async move {
                client
                    .post(format!("{address}/api/contracts/pay"))
                    .header("origin", &address)
                    .form(&[
                        ("milestone", advance.as_str()),
                        ("request_key", key.as_str()),
                        ("amount", amount),
                        ("paid_on", "2026-12-20"),
                        ("bank_reference", "CCB-0001"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
            });
        }
        set.join_all()
    };
    // A double click, a retry: the same key eight times at once records one payment.
    let key = uuid::Uuid::new_v4().to_string();
    let statuses = release_all(vec![key; 8], "100000").await;
    assert!(statuses.iter().all(|s| s.as_u16() == 200), "{statuses:?}");
    let m = milestone(&w, &finance, &contract, 0).await;
    assert_eq!(m["paid"], "100000");
    assert_eq!(m["payments"].as_array().unwrap().len(), 1);
    // Two officers (different keys) paying the whole rest at once: exactly one is paid.
    let keys = (0..8).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let statuses = release_all(keys, "470000").await;
    assert_eq!(
        statuses.iter().filter(|s| s.as_u16() == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses
        .iter()
        .all(|s| [200, 409, 422].contains(&s.as_u16())));
    let m = milestone(&w, &finance, &contract, 0).await;
    assert_eq!(m["paid"], "570000");
    assert_eq!(m["outstanding"], "0");
    assert_eq!(m["payments"].as_array().unwrap().len(), 2);
    assert_eq!(m["status"]["status"], "paid_on_time");
}
