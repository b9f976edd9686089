//! Contracts and milestone payments (issue #6): the award becomes a contract with checked terms
//! (R-PAY-01, R-PAY-05, R-SEC-01), delivery, rejection (R-PAY-03), partial acceptance
//! (R-PAY-04), the payment clock (R-PAY-02), late interest (R-PAY-05), and a release that pays
//! once however often it is sent; late interest paid as a payable of its own, receivable
//! confirmations (R-PAY-06), the public timeliness figures (R-PAY-07), payment reminders, and
//! the contract's publication (R-AWARD-01).

use chrono::{TimeZone, Utc};

use crate::bids::{awarded, World};
use crate::helpers::{error_fields, Backend};
use crate::on_both_backends;
use crate::tenders::signed_in;

on_both_backends!(
    r_pay_01_an_award_becomes_a_contract_only_with_lawful_terms,
    r_pay_05_a_late_payment_bears_interest_until_paid,
    r_pay_03_a_rejection_needs_an_allowed_reason_within_the_period,
    r_pay_02_the_last_day_of_the_acceptance_period_is_inside_it,
    a_release_pays_once_however_often_it_is_sent,
    r_pay_05_late_interest_is_a_payable_of_its_own,
    r_pay_06_the_agency_confirms_a_receivable_within_30_days,
    r_pay_07_the_public_page_counts_on_time_and_late_payments_and_reminders_come_once,
    r_award_01_the_signed_contract_is_published_once_by_the_procurement_officer,
    a_delivery_carries_evidence_only_the_parties_can_read,
    an_amendment_is_a_version_of_its_own_with_reason_and_changes,
);

pub(crate) const WINNER: &str = "91330106MA2B00061";

/// Beijing noon on a day, as the clock's instant.
pub(crate) fn beijing_noon(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

/// A valid contract form for the 2,850,000 award: 20% advance, the rest on delivery.
pub(crate) fn contract_form(lot: &str) -> Vec<(String, String)> {
    [
        ("lot", lot),
        ("form[payment_term]", "30"),
        ("form[acceptance_days]", "10"),
        ("form[interest_rate]", ""),
        ("form[performance_security]", "142500"),
        ("form[security_forms][1]", "bank_guarantee"),
        ("form[security_forms][2]", "guarantee_insurance"),
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

pub(crate) async fn call(
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
pub(crate) async fn signed(backend: Backend) -> (World, String, String, String) {
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

pub(crate) async fn milestone(
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
            // R-PAY-08: cash only.
            "form[security_forms][1]" | "form[security_forms][2]" => *v = "cash".into(),
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
            "security_forms",
            "milestones"
        ]
    );
    let text = body.to_string();
    assert!(
        text.contains("R-PAY-01") && text.contains("R-PAY-05") && text.contains("R-PAY-08"),
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
    assert_eq!(
        c["security_forms"],
        serde_json::json!(["bank_guarantee", "guarantee_insurance"])
    );
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

/// R-PAY-02, R-PAY-03 (issue #33): one rule for the period's last day. The page says "accept by"
/// that day, so a rejection on it is in time, and the payment clock has not started yet; the day
/// after, it counts from the last day. (Before, the clock had started on the last day while a
/// rejection was still accepted.)
async fn r_pay_02_the_last_day_of_the_acceptance_period_is_inside_it(backend: Backend) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200);
    // Delivered 2026-12-17 with a 10-day period: its last day is 2026-12-27.
    w.at(beijing_noon(2026, 12, 27)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["acceptance_until"], "2026-12-27", "{m}");
    assert!(m["due_date"].is_null(), "the clock has not started: {m}");
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/reject",
            &[
                ("milestone", &delivery),
                ("reason", "defects"),
                ("explanation", "第三项服务记录缺失。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        milestone(&w, &finance, &contract, 1).await["stage"],
        "Rejected"
    );
}

async fn r_pay_05_a_late_payment_bears_interest_until_paid(backend: Backend) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200);
    // Accepted the next day, in part with a reason (R-PAY-04, R-PAY-10): 2,000,000 undisputed,
    // due 2026-12-18 + 30.
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
            &[
                ("milestone", &delivery),
                ("accepted_amount", "2000000"),
                ("reason", "incomplete_delivery"),
                ("explanation", "第四季度巡检未完成。"),
            ],
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

/// A payment form's fields.
pub(crate) fn payment(
    milestone: &str,
    key: &str,
    kind: &str,
    amount: &str,
    on: &str,
) -> Vec<(String, String)> {
    [
        ("milestone", milestone),
        ("request_key", key),
        ("kind", kind),
        ("amount", amount),
        ("paid_on", on),
        ("bank_reference", "ICBC-2027-0002"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The delivery milestone delivered and accepted in full on the signing day (2026-12-17):
/// both milestones then fall due on 2027-01-16.
pub(crate) async fn delivered_and_accepted(w: &World, delivery: &str) {
    let winner = w.again(WINNER).await;
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", delivery)])
        .await;
    assert_eq!(status, 200);
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let (status, body) = w
        .app
        .call_with(&finance, "contracts/accept", &[("milestone", delivery)])
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn notices(w: &World, client: &reqwest::Client) -> Vec<String> {
    let (status, list) = w.app.call_with(client, "contracts/notices", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"]["en"].as_str().unwrap().to_string())
        .collect()
}

async fn r_pay_05_late_interest_is_a_payable_of_its_own(backend: Backend) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    delivered_and_accepted(&w, &delivery).await;
    // Paid ten days late: 2,280,000 x 0.05% x 10 = 11,400.00 of interest.
    w.at(beijing_noon(2027, 1, 26)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let key = uuid::Uuid::new_v4().to_string();
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &payment(&delivery, &key, "", "2280000", "2027-01-26"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["interest"], "11400");
    assert_eq!(m["interest_outstanding"], "11400");

    // More than the interest owed is refused, and so is a procurement officer paying it.
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &payment(
            &delivery,
            &uuid::Uuid::new_v4().to_string(),
            "interest",
            "11400.01",
            "",
        ),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["amount"]);
    let (status, _) = call(
        &w,
        &w.officer,
        "contracts/pay",
        &payment(
            &delivery,
            &uuid::Uuid::new_v4().to_string(),
            "interest",
            "100",
            "",
        ),
    )
    .await;
    assert_eq!(status, 403);
    // The principal form's key cannot be reused to pay interest.
    let (status, _) = call(
        &w,
        &finance,
        "contracts/pay",
        &payment(&delivery, &key, "interest", "100", ""),
    )
    .await;
    assert_eq!(status, 409);

    // Part of the interest, sent twice with one key: paid once.
    let interest_key = uuid::Uuid::new_v4().to_string();
    for _ in 0..2 {
        let (status, body) = call(
            &w,
            &finance,
            "contracts/pay",
            &payment(&delivery, &interest_key, "interest", "5000", ""),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    // Ten days on the interest has not grown (the principal is paid) and 6,400 is still owed.
    w.at(beijing_noon(2027, 2, 5)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let winner = w.again(WINNER).await;
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(m["interest"], "11400");
    assert_eq!(m["interest_paid"], "5000");
    assert_eq!(m["interest_outstanding"], "6400");
    assert_eq!(m["paid"], "2280000", "interest is not counted as principal");
    let (_, due) = w.app.call_with(&finance, "contracts/finance", &[]).await;
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|row| row[1]["interest_outstanding"] == "6400"),
        "the unpaid interest stays on the finance dashboard: {due}"
    );
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &payment(
            &delivery,
            &uuid::Uuid::new_v4().to_string(),
            "interest",
            "6400",
            "",
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["interest_outstanding"], "0");
    let kinds: Vec<&str> = m["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Principal", "Interest", "Interest"]);
    // Nothing more is owed: another interest payment is refused.
    let (status, _) = call(
        &w,
        &finance,
        "contracts/pay",
        &payment(
            &delivery,
            &uuid::Uuid::new_v4().to_string(),
            "interest",
            "1",
            "",
        ),
    )
    .await;
    assert_eq!(status, 409);
}

async fn r_pay_06_the_agency_confirms_a_receivable_within_30_days(backend: Backend) {
    let (mut w, contract, advance, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    // The advance is payable from signing; the delivery milestone is not yet a receivable.
    let (status, _) = w
        .app
        .call_with(
            &winner,
            "contracts/request_confirmation",
            &[("milestone", &delivery)],
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = w
        .app
        .call_with(
            &winner,
            "contracts/request_confirmation",
            &[("milestone", &advance)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = w
        .app
        .call_with(
            &winner,
            "contracts/request_confirmation",
            &[("milestone", &advance)],
        )
        .await;
    assert_eq!(status, 409, "asked once");
    let m = milestone(&w, &winner, &contract, 0).await;
    assert_eq!(m["confirmation"]["requested_on"], "2026-12-17");
    assert_eq!(m["confirmation"]["confirm_by"], "2027-01-16");
    assert_eq!(m["confirmation"]["overdue"], false);
    // The agency is told; the supplier cannot confirm its own receivable.
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    assert!(
        notices(&w, &finance)
            .await
            .iter()
            .any(|n| n.contains("R-PAY-06")),
        "the agency is told"
    );
    let (status, _) = w
        .app
        .call_with(
            &winner,
            "contracts/confirm_receivable",
            &[("milestone", &advance)],
        )
        .await;
    assert_eq!(status, 403);

    // The day after the 30th day, unconfirmed: overdue.
    w.at(beijing_noon(2027, 1, 17)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let m = milestone(&w, &finance, &contract, 0).await;
    assert_eq!(m["confirmation"]["overdue"], true);
    let (status, body) = w
        .app
        .call_with(
            &finance,
            "contracts/confirm_receivable",
            &[("milestone", &advance)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = w
        .app
        .call_with(
            &finance,
            "contracts/confirm_receivable",
            &[("milestone", &advance)],
        )
        .await;
    assert_eq!(status, 409);
    let winner = w.again(WINNER).await;
    let m = milestone(&w, &winner, &contract, 0).await;
    assert_eq!(m["confirmation"]["confirmed_on"], "2027-01-17");
    assert_eq!(m["confirmation"]["overdue"], false);
    assert!(notices(&w, &winner)
        .await
        .iter()
        .any(|n| n.contains("confirmed the receivable")));
}

async fn r_pay_07_the_public_page_counts_on_time_and_late_payments_and_reminders_come_once(
    backend: Backend,
) {
    let (mut w, contract, advance, delivery) = signed(backend).await;
    delivered_and_accepted(&w, &delivery).await;
    let winner = w.again(WINNER).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    // Acceptance tells both sides when payment is due.
    for client in [&winner, &finance] {
        let list = notices(&w, client).await;
        assert!(
            list.iter()
                .any(|n| n.contains("was accepted") && n.contains("2027-01-16")),
            "{list:?}"
        );
    }

    // Seven days before the due date, a reminder per unpaid milestone; asking again adds none.
    w.at(beijing_noon(2027, 1, 9)).await;
    let winner = w.again(WINNER).await;
    let first = notices(&w, &winner).await;
    assert_eq!(
        first.iter().filter(|n| n.contains("within 7 days")).count(),
        2,
        "{first:?}"
    );
    assert_eq!(notices(&w, &winner).await, first);

    // The advance is paid on time; the delivery milestone is not.
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let pay = |milestone: &str, amount: &str, on: &str| {
        payment(milestone, &uuid::Uuid::new_v4().to_string(), "", amount, on)
    };
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &pay(&advance, "570000", "2027-01-09"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    w.at(beijing_noon(2027, 1, 15)).await;
    let winner = w.again(WINNER).await;
    let list = notices(&w, &winner).await;
    assert_eq!(
        list.iter().filter(|n| n.contains("tomorrow")).count(),
        1,
        "only the unpaid milestone: {list:?}"
    );
    w.at(beijing_noon(2027, 1, 20)).await;
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    assert!(notices(&w, &finance)
        .await
        .iter()
        .any(|n| n.contains("is overdue")));

    // The public figures, read without signing in: one paid on time, one overdue.
    let public = w.app.new_client();
    let (status, r) = w.app.call_with(&public, "payments/timeliness", &[]).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["overall"]["paid_on_time"], 1);
    assert_eq!(r["overall"]["overdue_count"], 1);
    assert_eq!(r["overall"]["overdue_value"], "2280000");
    assert_eq!(r["overall"]["on_time_rate"], "0.5");
    assert_eq!(r["agencies"].as_array().unwrap().len(), 1);

    // Paid four days late: one on time, one late; clock start 2026-12-17, paid after 23 and
    // 34 days, median 28.5.
    let (status, body) = call(
        &w,
        &finance,
        "contracts/pay",
        &pay(&delivery, "2280000", "2027-01-20"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, r) = w
        .app
        .call_with(&public, "payments/timeliness", &[("year", "2027")])
        .await;
    let s = &r["overall"];
    assert_eq!(
        (s["paid_on_time"].as_u64(), s["paid_late"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["overdue_count"], 0);
    assert_eq!(s["median_days_to_pay"], "28.5");
    assert_eq!(r["years"], serde_json::json!([2027]));
    // The figures read before the payment are shared (issue #8), but not past a change.
    let (_, r) = w.app.call_with(&public, "payments/timeliness", &[]).await;
    assert_eq!(
        r["overall"]["paid_late"], 1,
        "the late payment counts at once"
    );
    assert_eq!(r["overall"]["overdue_count"], 0);
    // Agencies come 50 to a page; a page past the last lists none, a page that is not one is
    // refused.
    assert_eq!(
        (r["agency_total"].as_u64(), r["agency_offset"].as_u64()),
        (Some(1), Some(0))
    );
    let (_, r) = w
        .app
        .call_with(&public, "payments/timeliness", &[("page", "2")])
        .await;
    assert_eq!(r["agencies"].as_array().map(Vec::len), Some(0));
    assert_eq!(r["overall"]["paid_late"], 1, "the totals are on every page");
    let (status, _) = w
        .app
        .call_with(&public, "payments/timeliness", &[("page", "0")])
        .await;
    assert_eq!(status, 422);
    // Another year has nothing; a year that is not one is refused.
    let (_, r) = w
        .app
        .call_with(&public, "payments/timeliness", &[("year", "2026")])
        .await;
    assert_eq!(r["overall"]["payables"], 0);
    let (status, _) = w
        .app
        .call_with(&public, "payments/timeliness", &[("year", "next")])
        .await;
    assert_eq!(status, 422);

    // The same figures as CSV, and the page itself, without JavaScript.
    let response = w.app.get("/payments.csv?year=2027").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].contains("on_time_rate"), "{csv}");
    assert!(
        rows[2].starts_with("\"全部 / All\",2027-01-20,2027,2,2,1,1,0.5,28.5,0,0.00,0.00"),
        "{csv}"
    );
    assert_eq!(w.app.get("/payments.csv?year=x").await.status(), 400);
    let (status, page) = w.app.get_text("/payments?year=2027").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<svg") && page.contains("50%"),
        "charts are drawn on the server"
    );
    assert!(
        page.contains("this page shows 1–1") || page.contains("本页第 1–1 个"),
        "{page}"
    );
    let (status, past) = w.app.get_text("/payments?page=3").await;
    assert_eq!(status, 200);
    assert!(
        past.contains("ends at page 1;") || past.contains("只到第 1 页"),
        "a page past the last says so: {past}"
    );
    assert!(past.contains("href=\"/payments?page=1\""), "{past}");
    let _ = contract;
}

async fn r_award_01_the_signed_contract_is_published_once_by_the_procurement_officer(
    backend: Backend,
) {
    let (w, contract, _, _) = signed(backend).await;
    let (_, c) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", &contract)])
        .await;
    // Signed Thursday 2026-12-17: publish by Monday 2026-12-21 (2 working days).
    assert_eq!(c["publish_by"], "2026-12-21");
    assert_eq!(c["published_at"], serde_json::Value::Null);
    assert_eq!(c["can_publish"], true);
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let winner = w.again(WINNER).await;
    for client in [&finance, &winner] {
        let (status, _) = w
            .app
            .call_with(client, "contracts/publish", &[("id", &contract)])
            .await;
        assert_eq!(status, 403);
    }
    let (status, body) = w
        .app
        .call_with(&w.officer, "contracts/publish", &[("id", &contract)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = w
        .app
        .call_with(&w.officer, "contracts/publish", &[("id", &contract)])
        .await;
    assert_eq!(status, 409);
    let (_, c) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", &contract)])
        .await;
    assert_ne!(c["published_at"], serde_json::Value::Null);
    assert_eq!(c["can_publish"], false);
}

async fn a_delivery_carries_evidence_only_the_parties_can_read(backend: Backend) {
    let (w, contract, advance, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let path = format!("/contracts/milestones/{delivery}/evidence");
    let pdf = b"%PDF-1.4\n% acceptance sheet\n";
    // The agency cannot add evidence for the supplier, nor can anyone for an advance payment.
    let response = w
        .app
        .upload(&w.officer, &path, "验收单.pdf", pdf, "application/json")
        .await;
    assert_eq!(response.status(), 403);
    let response = w
        .app
        .upload(
            &winner,
            &format!("/contracts/milestones/{advance}/evidence"),
            "验收单.pdf",
            pdf,
            "application/json",
        )
        .await;
    assert_eq!(response.status(), 409);
    // The supplier's browser form: stored, then back to the contract page.
    let response = w
        .app
        .upload(&winner, &path, "验收单.pdf", pdf, "text/html")
        .await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(&format!("/contracts/{contract}")));
    let (status, _) = w
        .app
        .call_with(&winner, "contracts/deliver", &[("milestone", &delivery)])
        .await;
    assert_eq!(status, 200);
    // Delivered: no more evidence until a decision.
    let response = w
        .app
        .upload(&winner, &path, "补充.pdf", pdf, "application/json")
        .await;
    assert_eq!(response.status(), 409);

    // The finance officer reads it; another supplier cannot.
    let finance = signed_in(&w.app, "finance@demo.fairtender.cn").await;
    let m = milestone(&w, &finance, &contract, 1).await;
    let evidence = m["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1, "{m}");
    assert_eq!(evidence[0]["name"], "验收单.pdf");
    let href = evidence[0]["href"].as_str().unwrap();
    let response = finance
        .get(format!("{}{href}", w.app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), pdf);
    let stranger = w.again("91330106MA2B00062").await;
    let response = stranger
        .get(format!("{}{href}", w.app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

async fn an_amendment_is_a_version_of_its_own_with_reason_and_changes(backend: Backend) {
    let (w, contract, advance, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let amend = |reason: &str, id: &str, date: &str| -> Vec<(String, String)> {
        [
            ("id", contract.as_str()),
            ("form[reason]", reason),
            ("form[milestones][0][id]", id),
            ("form[milestones][0][planned_date]", date),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    // Only the procurement officer amends; a reason is required; an advance cannot move.
    let (status, _) = call(
        &w,
        &winner,
        "contracts/amend",
        &amend("延期", &delivery, "2028-01-31"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &amend("", &delivery, "2028-01-31"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["reason"]);
    let (status, body) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &amend("调整", &advance, "2027-01-05"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &amend("无变化", &delivery, "2027-12-17"),
    )
    .await;
    assert_eq!(status, 422, "nothing changed: {body}");
    let c = milestone(&w, &w.officer, &contract, 1).await;
    assert_eq!(c["planned_on"], "2027-12-17", "nothing saved by a refusal");

    let (status, version) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &amend("机房搬迁，第一年服务顺延一个月。", &delivery, "2028-01-17"),
    )
    .await;
    assert_eq!(status, 200, "{version}");
    assert_eq!(version, 2);
    let (_, c) = w
        .app
        .call_with(&winner, "contracts/get", &[("id", &contract)])
        .await;
    assert_eq!(c["version"], 2);
    assert_eq!(c["milestones"][1]["planned_on"], "2028-01-17");
    let a = &c["amendments"][0];
    assert_eq!(a["version"], 2);
    assert_eq!(a["reason"], "机房搬迁，第一年服务顺延一个月。");
    assert_eq!(
        a["changes"][0]["en"],
        "Milestone 2 planned date: 2027-12-17 → 2028-01-17"
    );
    assert!(notices(&w, &winner)
        .await
        .iter()
        .any(|n| n.contains("amended (version 2)")));
}
