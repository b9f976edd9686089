//! R-SME-02 through the whole process (issue #33): the SME share a tender requires by
//! consortium or subcontract is declared in the bid with each partner's own SME declaration,
//! a bid below it is refused at submission, the award notice publishes it and the contract
//! carries it; the 60% for small and micro firms is reached by what the tender does (lots only
//! they may bid on, their part of the share), not typed as a number.

use crate::bids::{firm, open_mark_and_award, small_subcontractor, world, World};
use crate::contracts::{call, contract_form};
use crate::helpers::{error_fields, spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::tenders::{save, signed_in};

on_both_backends!(
    r_sme_02_a_bid_below_the_required_sme_share_is_refused_and_the_winners_share_is_published,
    r_sme_02_sixty_percent_for_small_and_micro_firms_is_reached_not_typed,
);

/// A firm whose declaration makes it `size` ("micro" or "medium"), with an ISO 9001 record.
async fn declared(
    app: &TestApp,
    name: &str,
    code17: &str,
    size: &str,
) -> (reqwest::Client, String) {
    let (client, record) = firm(app, name, code17, false).await;
    let (headcount, revenue) = match size {
        "micro" => ("5", "300000"),
        _ => ("150", "20000000"),
    };
    let (status, body) = app
        .call_with(
            &client,
            "profile/sme",
            &[
                ("form[industry]", "software_and_it"),
                ("form[headcount]", headcount),
                ("form[annual_revenue]", revenue),
                ("form[total_assets]", "2000000"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (client, record)
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A bid on lot `lot` at `price` with these partner fields.
async fn bid_with(
    w: &World,
    client: &reqwest::Client,
    lot: usize,
    price: &str,
    record: &str,
    partners: Vec<(String, String)>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut form: Vec<(String, String)> = vec![
        ("tender".into(), w.tender.clone()),
        ("intent".into(), "submit".into()),
        ("seen_versions".into(), "0".into()),
        (format!("form[lots][{lot}][include]"), "on".into()),
        (format!("form[lots][{lot}][price]"), price.into()),
        (format!("form[lots][{lot}][answers][0]"), record.into()),
        ("form[proposal]".into(), "方案".into()),
    ];
    // The page sends every lot; a lot left out would shift the others' positions.
    for j in 0..lot {
        form.push((format!("form[lots][{j}][price]"), String::new()));
    }
    form.extend(partners);
    w.app.call_with(client, "bids/submit", &pairs(&form)).await
}

/// A partner row `i` that is medium-sized (150 people, 20,000,000 revenue).
fn medium_partner(i: usize, share: &str) -> Vec<(String, String)> {
    small_subcontractor(i, share)
        .into_iter()
        .map(|(k, v)| {
            let v = if k.ends_with("[headcount]") {
                "150".to_string()
            } else if k.ends_with("[annual_revenue]") {
                "20000000".to_string()
            } else if k.ends_with("[role]") {
                "consortium_member".to_string()
            } else {
                v
            };
            (k, v)
        })
        .collect()
}

fn message(body: &serde_json::Value, field: &str) -> String {
    body["Fields"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .map(|e| e["message"]["en"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

async fn r_sme_02_a_bid_below_the_required_sme_share_is_refused_and_the_winners_share_is_published(
    backend: Backend,
) {
    // The test tender: 3,000,000, one non-reserved lot, 30% for SMEs of which 60% for small
    // and micro firms: each bid gives SMEs 30% and small and micro firms 18%.
    let mut w = world(backend).await;
    let (large, rec_large) = firm(&w.app, "大型乙集团", "91330106MA2B00231", false).await;

    // Alone, a large firm gives SMEs nothing: refused, saying what is asked and what it gives.
    let (status, body) = bid_with(&w, &large, 0, "2000000", &rec_large, vec![]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["partners"]);
    let text = message(&body, "partners");
    assert!(
        text.contains("R-SME-02") && text.contains("30%") && text.contains("18"),
        "{text}"
    );

    // A medium consortium member with 30%: SMEs get 30% but small and micro firms none.
    let (status, body) = bid_with(
        &w,
        &large,
        0,
        "2000000",
        &rec_large,
        medium_partner(0, "30"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["partners"]);
    // A partner that is the bidder itself does not count.
    let mut own = small_subcontractor(0, "30");
    for (k, v) in own.iter_mut() {
        if k.ends_with("[credit_code]") {
            *v = app::domain::credit_code::CreditCode::complete("91330106MA2B00231")
                .unwrap()
                .as_str()
                .to_string();
        }
    }
    let (status, body) = bid_with(&w, &large, 0, "2000000", &rec_large, own).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error_fields(&body).contains(&"partners[0].credit_code"),
        "{body}"
    );
    // Nothing refused was kept: no version counts.
    let (_, desk) = w
        .app
        .call_with(&large, "bids/desk", &[("tender", &w.tender)])
        .await;
    assert_eq!(desk["submitted_versions"], 0, "{desk}");

    // A small subcontractor with 20% and the medium member with 10%: 30% and 20%, accepted.
    let mut partners = small_subcontractor(0, "20");
    partners.extend(medium_partner(1, "10"));
    let (status, body) = bid_with(&w, &large, 0, "2000000", &rec_large, partners).await;
    assert_eq!(status, 200, "{body}");
    // The bidder's desk shows the partners as declared.
    let (_, desk) = w
        .app
        .call_with(&large, "bids/desk", &[("tender", &w.tender)])
        .await;
    assert_eq!(
        desk["form"]["partners"][1]["role"], "consortium_member",
        "{desk}"
    );
    // Sealed: nobody else sees the partners before the deadline.
    let (_, page) = w.app.get_text(&format!("/tenders/{}", w.tender)).await;
    assert!(
        !page.contains("小微分包0号"),
        "partners leaked before the deadline"
    );

    // Two small firms: their own part counts, no partner needed.
    for (name, code, price) in [
        ("小微甲公司", "91330106MA2B00232", "2900000"),
        ("小微丙公司", "91330106MA2B00233", "2950000"),
    ] {
        let (client, record) = firm(&w.app, name, code, true).await;
        let (status, body) = bid_with(&w, &client, 0, price, &record, vec![]).await;
        assert_eq!(status, 200, "{body}");
    }

    // The large firm wins on price; the award notice publishes what it undertook.
    let lot_id = open_mark_and_award(&mut w).await;
    let (status, html) = w.app.get_text(&format!("/tenders/{}", w.tender)).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"sme-obligation\""), "{html}");
    assert!(html.contains("data-testid=\"sme-share\">30%<"), "{html}");
    assert!(
        html.contains("data-testid=\"small-micro-share\">20%<"),
        "{html}"
    );
    assert!(html.contains("小微分包0号有限公司") && html.contains("小微分包1号有限公司"));

    // The contract carries the obligation.
    let mut form = contract_form(&lot_id);
    for (k, v) in form.iter_mut() {
        match k.as_str() {
            "form[performance_security]" => *v = "100000".into(),
            "form[milestones][0][amount]" => *v = "400000".into(),
            "form[milestones][1][amount]" => *v = "1600000".into(),
            _ => {}
        }
    }
    let (status, id) = call(&w, &w.officer, "contracts/create", &form).await;
    assert_eq!(status, 200, "{id}");
    let (_, contract) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", id.as_str().unwrap())])
        .await;
    let o = &contract["sme_obligation"];
    assert_eq!(o["demand"]["sme"], "30", "{contract}");
    assert_eq!(o["shares"]["sme"], "30", "{o}");
    assert_eq!(o["shares"]["small_micro"], "20", "{o}");
    assert_eq!(o["partners"].as_array().unwrap().len(), 2, "{o}");
    assert_eq!(o["partners"][0]["size_class"], "small", "{o}");
    assert_eq!(o["partners"][1]["size_class"], "medium", "{o}");
}

/// A 3,000,000 services tender with lot 0 (1,000,000) set aside and lot 1 (2,000,000) not,
/// no share asked of lot 1: the reserve is the set-aside lot alone.
fn set_aside_form(small_micro_only: bool) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("id", ""),
        ("form[title]", "档案数字化服务"),
        ("form[description]", "两个采购包。"),
        ("form[category]", "services"),
        ("form[method]", "open_tender"),
        ("form[region]", "浙江省杭州市"),
        ("form[budget]", "3000000"),
        ("form[bid_deadline]", "2026-12-17T17:00"),
        ("form[evaluation]", "lowest_evaluated_price"),
        ("form[sme_required_share]", "0"),
        ("form[sme_small_micro_share]", "60"),
        ("form[sme_price_deduction]", "10"),
        ("form[lots][0][title]", "扫描"),
        ("form[lots][0][budget]", "1000000"),
        ("form[lots][0][reserved]", "on"),
        ("form[lots][0][criteria][0][kind]", "certification"),
        (
            "form[lots][0][criteria][0][requirement]",
            "具备 ISO 9001 质量管理体系认证",
        ),
        ("form[lots][1][title]", "著录"),
        ("form[lots][1][budget]", "2000000"),
        ("form[lots][1][criteria][0][kind]", "certification"),
        (
            "form[lots][1][criteria][0][requirement]",
            "具备 ISO 9001 质量管理体系认证",
        ),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if small_micro_only {
        form.push(("form[lots][0][small_micro_only]".into(), "on".into()));
    }
    form
}

async fn r_sme_02_sixty_percent_for_small_and_micro_firms_is_reached_not_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    app.seed_demo().await;
    let officer = signed_in(&app, "buyer@demo.fairtender.cn").await;

    // "60%" typed, with a lot any SME may bid on: none of the reserve is sure to reach small
    // and micro firms. Refused on the field, with what is missing; nothing published.
    let (status, id) = save(&app, &officer, &set_aside_form(false)).await;
    assert_eq!(status, 200, "{id}");
    let (status, body) = app
        .call_with(
            &officer,
            "agency/tenders/publish",
            &[("id", id.as_str().unwrap())],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("R-SME-02") && text.contains("sme.small_micro_share"),
        "{text}"
    );
    assert!(text.contains("¥600,000.00"), "{text}");

    // The lot only small and micro firms may bid on reaches them: published.
    let (status, id) = save(&app, &officer, &set_aside_form(true)).await;
    assert_eq!(status, 200, "{id}");
    let tender = id.as_str().unwrap().to_string();
    let (status, body) = app
        .call_with(&officer, "agency/tenders/publish", &[("id", &tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.get_text(&format!("/tenders/{tender}")).await;
    assert!(html.contains("data-testid=\"small-micro-only\""), "{html}");

    let w = World {
        app,
        officer,
        tender,
    };
    // A medium firm is an SME but not small: refused on the lot, accepted on the other.
    let (medium, rec_m) = declared(&w.app, "中型乙公司", "91330106MA2B00241", "medium").await;
    let (status, body) = bid_with(&w, &medium, 0, "900000", &rec_m, vec![]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), ["lots[0]"]);
    assert!(message(&body, "lots[0]").contains("R-SME-02"), "{body}");
    let (status, body) = bid_with(&w, &medium, 1, "1900000", &rec_m, vec![]).await;
    assert_eq!(status, 200, "{body}");
    // A micro firm bids on the set-aside lot.
    let (micro, rec_u) = declared(&w.app, "微型丙工作室", "91330106MA2B00242", "micro").await;
    let (status, body) = bid_with(&w, &micro, 0, "900000", &rec_u, vec![]).await;
    assert_eq!(status, 200, "{body}");
}
