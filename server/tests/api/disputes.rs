//! R-PAY-10 (issue #33): an acceptance of less than the delivered amount is a partial rejection
//! (an allowed reason, within the acceptance period; 0 is a rejection), and the disputed part
//! has a way to end: delivered again and accepted (or left undecided past its period), a
//! reduction the supplier confirms, or a decision the supplier records. What is owed then falls
//! due a payment term later and bears interest of its own; no decision reduces interest already
//! accrued.
//!
//! The contract (tests/api/contracts.rs): signed 2026-12-17, 10-day acceptance period, 30-day
//! term, statutory interest (0.05% a day); the delivery milestone is ¥2,280,000.

use serde_json::{json, Value};

use crate::bids::World;
use crate::contracts::{beijing_noon, milestone, signed, WINNER};
use crate::helpers::{error_fields, Backend};
use crate::on_both_backends;
use crate::tenders::signed_in;

on_both_backends!(
    r_pay_10_a_shortfall_is_a_partial_rejection_within_the_period,
    r_pay_10_the_disputed_part_falls_due_when_delivered_again_and_accepted,
    r_pay_10_a_redelivery_left_undecided_is_accepted_at_the_end_of_its_period,
    r_pay_10_a_reduction_ends_the_dispute_only_when_the_supplier_confirms,
    r_pay_10_only_the_supplier_records_the_outcome_of_a_dispute,
);

const FINANCE: &str = "finance@demo.fairtender.cn";

async fn post(
    w: &World,
    who: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let (status, body) = w.app.call_with(who, endpoint, form).await;
    (status.as_u16(), body)
}

/// Delivered on the signing day (2026-12-17) and accepted in part on 2026-12-18: ¥2,000,000
/// undisputed (due 2027-01-17), ¥280,000 disputed.
async fn accepted_in_part(backend: Backend) -> (World, String, String) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let (status, _) = post(
        &w,
        &winner,
        "contracts/deliver",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 200);
    w.at(beijing_noon(2026, 12, 18)).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[
            ("milestone", &delivery),
            ("accepted_amount", "2000000"),
            ("reason", "incomplete_delivery"),
            ("explanation", "第四季度巡检记录未交付。"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["payable"], "2000000", "{m}");
    assert_eq!(m["due_date"], "2027-01-17");
    assert_eq!(m["dispute"]["disputed"], "280000", "{m}");
    assert_eq!(m["dispute"]["status"]["state"], "open");
    assert_eq!(m["dispute"]["explanation"], "第四季度巡检记录未交付。");
    (w, contract, delivery)
}

async fn r_pay_10_a_shortfall_is_a_partial_rejection_within_the_period(backend: Backend) {
    let (mut w, contract, _, delivery) = signed(backend).await;
    let winner = w.again(WINNER).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let (status, _) = post(
        &w,
        &winner,
        "contracts/deliver",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 200);
    // Less than all of it without a reason: refused, saying why; nothing is saved.
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[("milestone", &delivery), ("accepted_amount", "2000000")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["reason", "explanation"]);
    assert!(body.to_string().contains("R-PAY-10"), "{body}");
    // A reason the law forbids (R-PAY-03) is no better for a part than for the whole.
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[
            ("milestone", &delivery),
            ("accepted_amount", "2000000"),
            ("reason", "awaiting_audit"),
            ("explanation", "等待审计。"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("R-PAY-03"), "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["stage"], "Delivered", "{m}");
    assert_eq!(m["payable"], "0");
    // Accepting 0 is a rejection, with rejection's rules: the supplier delivers again.
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[("milestone", &delivery), ("accepted_amount", "0")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[
            ("milestone", &delivery),
            ("accepted_amount", "0.00"),
            ("reason", "defects"),
            ("explanation", "设备无法启动。"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["stage"], "Rejected", "{m}");
    assert!(m["accepted_on"].is_null() && m["dispute"].is_null(), "{m}");

    // Delivered again; the period (to 2026-12-27) passes without a decision: all of it is
    // payable from 12-27, due 2027-01-26 (R-PAY-02), and can no longer be cut down.
    let (status, _) = post(
        &w,
        &winner,
        "contracts/deliver",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 200);
    w.at(beijing_noon(2027, 2, 5)).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let before = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(before["due_date"], "2027-01-26", "{before}");
    assert_eq!(before["payable"], "2280000");
    // 10 days late: 2,280,000 × 0.05% × 10 = 11,400 (R-PAY-05).
    assert_eq!(before["interest"], "11400");
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[
            ("milestone", &delivery),
            ("accepted_amount", "1"),
            ("reason", "defects"),
            ("explanation", "发现缺陷。"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["accepted_amount"]);
    assert!(body.to_string().contains("R-PAY-02"), "{body}");
    assert_eq!(milestone(&w, &finance, &contract, 1).await, before);
    // Accepting all of it late is allowed and changes neither the due date nor the interest.
    let (status, body) = post(
        &w,
        &finance,
        "contracts/accept",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["stage"], "Accepted");
    assert_eq!(m["due_date"], "2027-01-26");
    assert_eq!(m["payable"], "2280000");
    assert_eq!(m["interest"], "11400");
}

async fn r_pay_10_the_disputed_part_falls_due_when_delivered_again_and_accepted(backend: Backend) {
    let (mut w, contract, delivery) = accepted_in_part(backend).await;
    let winner = w.again(WINNER).await;
    let finance = signed_in(&w.app, FINANCE).await;
    // Each side acts only for itself.
    let (status, _) = post(
        &w,
        &finance,
        "contracts/redeliver-disputed",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &w,
        &winner,
        "contracts/decide-redelivery",
        &[("milestone", &delivery), ("decision", "accept")],
    )
    .await;
    assert_eq!(status, 403);
    // Nothing re-delivered yet: nothing to decide.
    let (status, _) = post(
        &w,
        &finance,
        "contracts/decide-redelivery",
        &[("milestone", &delivery), ("decision", "accept")],
    )
    .await;
    assert_eq!(status, 409);

    w.at(beijing_noon(2027, 1, 5)).await;
    let (winner, finance) = (w.again(WINNER).await, signed_in(&w.app, FINANCE).await);
    let (status, body) = post(
        &w,
        &winner,
        "contracts/redeliver-disputed",
        &[("milestone", &delivery), ("note", "补交巡检记录")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(
        m["dispute"]["status"],
        json!({"state": "redelivered", "decide_by": "2027-01-15"}),
        "{m}"
    );
    // Rejected again: only with an allowed reason and an explanation; the dispute stays open.
    let (status, body) = post(
        &w,
        &finance,
        "contracts/decide-redelivery",
        &[("milestone", &delivery), ("decision", "reject")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["reason", "explanation"]);
    let (status, body) = post(
        &w,
        &finance,
        "contracts/decide-redelivery",
        &[
            ("milestone", &delivery),
            ("decision", "reject"),
            ("reason", "missing_documents"),
            ("explanation", "缺少签字页。"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(m["dispute"]["status"]["state"], "open", "{m}");
    assert_eq!(m["dispute"]["explanation"], "缺少签字页。");

    // Delivered again on 01-06, accepted on 01-08: ¥280,000 due 01-08 + 30 = 2027-02-07.
    w.at(beijing_noon(2027, 1, 6)).await;
    let winner = w.again(WINNER).await;
    let (status, _) = post(
        &w,
        &winner,
        "contracts/redeliver-disputed",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 200);
    w.at(beijing_noon(2027, 1, 8)).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let (status, body) = post(
        &w,
        &finance,
        "contracts/decide-redelivery",
        &[("milestone", &delivery), ("decision", "accept")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(
        m["dispute"]["status"],
        json!({"state": "ended", "how": "redelivered", "on": "2027-01-08", "owed": "280000"}),
        "{m}"
    );
    assert_eq!(m["dispute"]["due_date"], "2027-02-07");
    assert_eq!(m["payable"], "2280000");
    // It cannot be reopened.
    let (status, _) = post(
        &w,
        &finance,
        "contracts/propose-reduction",
        &[
            ("milestone", &delivery),
            ("reduction", "1000"),
            ("explanation", "再议"),
        ],
    )
    .await;
    assert_eq!(status, 409);

    // 2027-02-10: the undisputed ¥2,000,000 is 24 days late (from 01-17): 24,000; the disputed
    // ¥280,000 is 3 days late (from 02-07): 420. Each bears its own interest.
    w.at(beijing_noon(2027, 2, 10)).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(m["interest"], "24420", "{m}");
    assert_eq!(
        m["status"],
        json!({"status": "overdue", "days_overdue": 24})
    );
    assert_eq!(
        m["dispute"]["payable_status"],
        json!({"status": "overdue", "days_overdue": 3})
    );
}

async fn r_pay_10_a_redelivery_left_undecided_is_accepted_at_the_end_of_its_period(
    backend: Backend,
) {
    let (mut w, contract, delivery) = accepted_in_part(backend).await;
    w.at(beijing_noon(2026, 12, 20)).await;
    let winner = w.again(WINNER).await;
    let (status, _) = post(
        &w,
        &winner,
        "contracts/redeliver-disputed",
        &[("milestone", &delivery)],
    )
    .await;
    assert_eq!(status, 200);
    // Its period ends 12-30; on the last day the agency may still decide.
    w.at(beijing_noon(2026, 12, 30)).await;
    let m = milestone(&w, &w.again(WINNER).await, &contract, 1).await;
    assert_eq!(m["dispute"]["status"]["state"], "redelivered", "{m}");
    // The day after, silence is acceptance (R-PAY-02): due 12-30 + 30 = 2027-01-29.
    w.at(beijing_noon(2026, 12, 31)).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(
        m["dispute"]["status"],
        json!({"state": "ended", "how": "redelivered", "on": "2026-12-30", "owed": "280000"}),
        "{m}"
    );
    assert_eq!(m["dispute"]["due_date"], "2027-01-29");
    assert_eq!(m["payable"], "2280000");
    let (status, _) = post(
        &w,
        &finance,
        "contracts/decide-redelivery",
        &[
            ("milestone", &delivery),
            ("decision", "reject"),
            ("reason", "defects"),
            ("explanation", "迟到的退回。"),
        ],
    )
    .await;
    assert_eq!(status, 409, "too late to reject");
}

async fn r_pay_10_a_reduction_ends_the_dispute_only_when_the_supplier_confirms(backend: Backend) {
    let (mut w, contract, delivery) = accepted_in_part(backend).await;
    let winner = w.again(WINNER).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let propose = |amount: &'static str| {
        vec![
            ("milestone", delivery.clone()),
            ("reduction", amount.to_string()),
            ("explanation", "按实际完成数量结算。".to_string()),
        ]
    };
    let form = propose("280000.01");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&w, &finance, "contracts/propose-reduction", &pairs).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["reduction"]);
    // The supplier cannot propose; the agency can.
    let form = propose("50000");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = post(&w, &winner, "contracts/propose-reduction", &pairs).await;
    assert_eq!(status, 403);
    let (status, body) = post(&w, &finance, "contracts/propose-reduction", &pairs).await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(m["dispute"]["proposed_reduction"][0], "50000", "{m}");
    assert_eq!(m["dispute"]["status"]["state"], "open");
    assert_eq!(m["payable"], "2000000", "a proposal alone changes nothing");
    // The agency cannot answer its own proposal; the supplier declines it.
    let (status, _) = post(
        &w,
        &finance,
        "contracts/answer-reduction",
        &[("milestone", &delivery), ("answer", "confirm")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &w,
        &winner,
        "contracts/answer-reduction",
        &[("milestone", &delivery), ("answer", "decline")],
    )
    .await;
    assert_eq!(status, 200);
    let m = milestone(&w, &winner, &contract, 1).await;
    assert!(m["dispute"]["proposed_reduction"].is_null(), "{m}");
    assert_eq!(m["dispute"]["status"]["state"], "open");

    // A smaller reduction, confirmed on 2027-01-04: ¥250,000 due 01-04 + 30 = 2027-02-03.
    let form = propose("30000");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = post(&w, &finance, "contracts/propose-reduction", &pairs).await;
    assert_eq!(status, 200);
    w.at(beijing_noon(2027, 1, 4)).await;
    let winner = w.again(WINNER).await;
    let (status, body) = post(
        &w,
        &winner,
        "contracts/answer-reduction",
        &[("milestone", &delivery), ("answer", "confirm")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(
        m["dispute"]["status"],
        json!({"state": "ended", "how": "reduced", "on": "2027-01-04", "owed": "250000"}),
        "{m}"
    );
    assert_eq!(m["dispute"]["due_date"], "2027-02-03");
    assert_eq!(m["payable"], "2250000");
    assert_eq!(m["outstanding"], "2250000");
}

async fn r_pay_10_only_the_supplier_records_the_outcome_of_a_dispute(backend: Backend) {
    let (mut w, contract, delivery) = accepted_in_part(backend).await;
    w.at(beijing_noon(2027, 1, 12)).await;
    let winner = w.again(WINNER).await;
    let finance = signed_in(&w.app, FINANCE).await;
    let decision = |owed: &'static str, on: &'static str| {
        vec![
            ("milestone", delivery.clone()),
            ("owed", owed.to_string()),
            ("decided_on", on.to_string()),
            ("reference", "（2027）京0105民初17号".to_string()),
        ]
    };
    // The agency owes the money and cannot close the dispute on its own word.
    let form = decision("0", "2027-01-10");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = post(&w, &finance, "contracts/record-decision", &pairs).await;
    assert_eq!(status, 403);
    // More than was disputed, and a date after today: refused on both fields.
    let form = decision("280000.01", "2027-01-13");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&w, &winner, "contracts/record-decision", &pairs).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["owed", "decided_on"]);
    let m = milestone(&w, &winner, &contract, 1).await;
    assert_eq!(m["dispute"]["status"]["state"], "open");
    // Decided on 01-10 that ¥200,000 is owed: due 01-10 + 30 = 2027-02-09.
    let form = decision("200000", "2027-01-10");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = post(&w, &winner, "contracts/record-decision", &pairs).await;
    assert_eq!(status, 200, "{body}");
    let m = milestone(&w, &finance, &contract, 1).await;
    assert_eq!(
        m["dispute"]["status"],
        json!({"state": "ended", "how": "decided", "on": "2027-01-10", "owed": "200000"}),
        "{m}"
    );
    assert_eq!(m["dispute"]["reference"], "（2027）京0105民初17号");
    assert_eq!(m["dispute"]["due_date"], "2027-02-09");
    assert_eq!(m["payable"], "2200000");
}
