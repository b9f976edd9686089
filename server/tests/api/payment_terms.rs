//! Contract terms the payment decree forbids (issue #33): R-PAY-09 (payment waiting on a third
//! party's funds, an audit as the settlement basis, forced commercial bills or receivable
//! e-vouchers; PAY Arts. 9, 11, 12) and R-PAY-03 (delay for internal approval or a change of
//! legal representative or leadership; PAY Art. 14) are refused in the contract's other terms
//! and its milestones' deliverables, at signing and in an amendment, with the clause quoted and
//! the rule named; lawful wording (negations included) is signed and shown on the contract.

use sea_orm::{EntityTrait, PaginatorTrait};

use crate::bids::{awarded, World};
use crate::contracts::{call, signed};
use crate::helpers::{error_fields, Backend};
use crate::on_both_backends;

on_both_backends!(
    r_pay_09_a_contract_making_payment_wait_on_funds_audit_or_bills_is_refused,
    r_pay_03_a_contract_delaying_payment_for_approval_or_leadership_is_refused,
    r_pay_09_an_amendment_cannot_bring_in_a_forbidden_payment_term,
);

/// The contract form for the 2,850,000 award with `other_terms` and the second milestone's
/// deliverable as given.
fn form(lot: &str, other_terms: &str, deliverable: &str) -> Vec<(String, String)> {
    [
        ("lot", lot),
        ("form[payment_term]", "30"),
        ("form[acceptance_days]", "10"),
        ("form[interest_rate]", ""),
        ("form[performance_security]", ""),
        ("form[milestones][0][deliverable]", "预付款"),
        ("form[milestones][0][amount]", "570000"),
        ("form[milestones][0][planned_date]", "2026-12-20"),
        ("form[milestones][0][advance]", "on"),
        ("form[milestones][1][deliverable]", deliverable),
        ("form[milestones][1][amount]", "2280000"),
        ("form[milestones][1][planned_date]", "2027-12-17"),
        ("form[other_terms]", other_terms),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The refusal of `form`: 422 on `field` alone, naming `rule` and quoting `quote`; nothing saved.
async fn refused(w: &World, form: &[(String, String)], field: &str, rule: &str, quote: &str) {
    let (status, body) = call(w, &w.officer, "contracts/create", form).await;
    assert_eq!(status, 422, "{quote}: {body}");
    assert_eq!(error_fields(&body), [field], "{body}");
    let message = &body["Fields"]["errors"][0]["message"];
    for lang in ["zh", "en"] {
        let text = message[lang].as_str().unwrap_or_default();
        assert!(text.contains(rule), "{rule} in {text}");
        assert!(text.contains(quote), "the clause quoted as written: {text}");
    }
    let (_, lots) = w.app.call_with(&w.officer, "contracts/awarded", &[]).await;
    assert_eq!(lots[0]["contract_id"], serde_json::Value::Null, "{lots}");
    let contracts = app::infra::entities::contract::Entity::find()
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(contracts, 0, "nothing saved");
}

/// Signs `form`; returns the contract as the officer reads it.
async fn signs(w: &World, form: &[(String, String)]) -> serde_json::Value {
    let (status, id) = call(w, &w.officer, "contracts/create", form).await;
    assert_eq!(status, 200, "{id}");
    let (status, c) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", id.as_str().unwrap())])
        .await;
    assert_eq!(status, 200, "{c}");
    c
}

async fn r_pay_09_a_contract_making_payment_wait_on_funds_audit_or_bills_is_refused(
    backend: Backend,
) {
    let (w, lot) = awarded(backend).await;
    // In the other terms, each kind, written in several ways (traditional characters, a
    // zero-width space, English), each quoted as written.
    for (other, quote) in [
        (
            "验收合格后付款。尾款待上级拨款到位后支付。",
            "尾款待上级拨款到位后支付",
        ),
        (
            "甲方收到财政局拨付的项目资金后十日内向乙方付款。",
            "甲方收到财政局拨付的项目资金后十日内向乙方付款",
        ),
        (
            "Payment terms are back-to-back with the funding body.",
            "Payment terms are back-to-back with the funding body",
        ),
        (
            "本合同最终结算价以審計結果為準。",
            "本合同最终结算价以審計結果為準",
        ),
        (
            "决算审\u{200B}计完成后付清余款",
            "决算审\u{200B}计完成后付清余款",
        ),
        (
            "The final payment is subject to audit.",
            "The final payment is subject to audit",
        ),
        (
            "货款以商业承兑汇票方式支付，期限六个月。",
            "货款以商业承兑汇票方式支付，期限六个月",
        ),
        (
            "The agency may pay by receivable e-voucher.",
            "The agency may pay by receivable e-voucher",
        ),
    ] {
        refused(
            &w,
            &form(&lot, other, "运维服务第一年"),
            "other_terms",
            "R-PAY-09",
            quote,
        )
        .await;
    }
    // In a milestone's deliverable too.
    refused(
        &w,
        &form(&lot, "", "运维服务第一年，以审计结论作为结算依据"),
        "milestones[1].deliverable",
        "R-PAY-09",
        "运维服务第一年，以审计结论作为结算依据",
    )
    .await;

    // The same contract with lawful wording, negations of the same subjects included, is
    // signed, and its other terms are on the contract.
    let lawful = "以银行转账方式支付，验收合格后30日内支付。审计不影响付款期限；不以审计结果作为付款条件；付款不以上级拨款到位为前提。采购人不得以商业汇票或应收账款电子凭证支付。";
    let c = signs(&w, &form(&lot, lawful, "运维服务第一年")).await;
    assert_eq!(c["other_terms"], lawful, "{c}");
}

async fn r_pay_03_a_contract_delaying_payment_for_approval_or_leadership_is_refused(
    backend: Backend,
) {
    let (w, lot) = awarded(backend).await;
    for (other, quote) in [
        ("内部审批流程完成后支付。", "内部审批流程完成后支付"),
        (
            "付款须经甲方领导签字审批后办理",
            "付款须经甲方领导签字审批后办理",
        ),
        (
            "Invoices are paid once internal sign-off has been obtained.",
            "Invoices are paid once internal sign-off has been obtained",
        ),
        (
            "如甲方法定代表人变更，付款时间相应顺延。",
            "如甲方法定代表人变更，付款时间相应顺延",
        ),
        (
            "During a change of leadership at the agency, payments are suspended.",
            "During a change of leadership at the agency, payments are suspended",
        ),
    ] {
        refused(
            &w,
            &form(&lot, other, "运维服务第一年"),
            "other_terms",
            "R-PAY-03",
            quote,
        )
        .await;
    }
    // Saying the opposite is lawful.
    let lawful = "付款不因法定代表人变更而延迟。内部审批不影响付款期限。";
    let c = signs(&w, &form(&lot, lawful, "运维服务第一年")).await;
    assert_eq!(c["other_terms"], lawful, "{c}");
}

async fn r_pay_09_an_amendment_cannot_bring_in_a_forbidden_payment_term(backend: Backend) {
    let (w, contract, _, delivery) = signed(backend).await;
    let amend = |deliverable: &str| -> Vec<(String, String)> {
        [
            ("id", contract.as_str()),
            ("form[reason]", "调整交付内容"),
            ("form[milestones][0][id]", delivery.as_str()),
            ("form[milestones][0][deliverable]", deliverable),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let (status, body) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &amend("运维服务第一年，待财政资金到位后支付"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["milestones[0].deliverable"]);
    assert!(body.to_string().contains("R-PAY-09"), "{body}");
    let (_, c) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", &contract)])
        .await;
    assert_eq!(c["version"], 1, "nothing saved: {c}");
    assert_eq!(c["milestones"][1]["deliverable"], "运维服务第一年");
    // A lawful change is made.
    let (status, body) = call(
        &w,
        &w.officer,
        "contracts/amend",
        &amend("运维服务第一年（含驻场）"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
