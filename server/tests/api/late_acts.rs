//! R-AWARD-01 (GPL Art. 46, IR Art. 50, issue #33): a contract signed more than 30 days after
//! the award, or published more than 2 working days after signing, is still allowed (the
//! contract must exist) but carries a public "late" mark with by how many days: on the contract
//! page, in the OCDS release (`contracts[].milestones`, valid against the 1.1.5 schema), and in
//! the agency's figures on /payments, its CSV and /api/v1. The dates cross the year end.

use chrono::{TimeZone, Utc};

use crate::bids::awarded;
use crate::contracts::{call, contract_form};
use crate::helpers::Backend;
use crate::on_both_backends;
use crate::open_data::{assert_valid, get_json};

on_both_backends!(r_award_01_a_late_signature_and_a_late_publication_are_allowed_and_marked);

/// Beijing noon on a day.
fn noon(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap()
}

/// The demo agency's figures as /api/v1 gives them (the only agency with contracts).
async fn figures(w: &crate::bids::World) -> serde_json::Value {
    let (status, body) = get_json(&w.app, "/api/v1/statistics/payment-timeliness").await;
    assert_eq!(status, 200, "{body}");
    body["agencies"][0]["figures"].clone()
}

async fn r_award_01_a_late_signature_and_a_late_publication_are_allowed_and_marked(
    backend: Backend,
) {
    // Awarded Thursday 2026-12-17: the contract is due to be signed by Saturday 2027-01-16.
    let (mut w, lot) = awarded(backend).await;
    // Signed Monday 2027-01-18, 2 days late: allowed.
    w.at(noon(2027, 1, 18)).await;
    let (status, id) = call(&w, &w.officer, "contracts/create", &contract_form(&lot)).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_string();
    let (_, c) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", &id)])
        .await;
    assert_eq!(c["sign_by"], "2027-01-16", "{c}");
    assert_eq!(
        c["signing"],
        serde_json::json!({ "Late": { "days": 2 } }),
        "{c}"
    );
    // Publish by Wednesday 2027-01-20 (2 working days; 2027 provisional).
    assert_eq!(c["publish_by"], "2027-01-20");
    assert_eq!(c["publication"], "Pending", "{c}");
    let page = w.app.page_as(&w.officer, &format!("/contracts/{id}")).await;
    assert!(page.contains("data-late-days=\"2\""), "{page}");

    // Thursday 2027-01-21, still unpublished: counted as published late on the agency's
    // figures, and the signature as signed late.
    w.at(noon(2027, 1, 21)).await;
    let f = figures(&w).await;
    assert_eq!(
        (
            &f["contracts"],
            &f["contracts_signed_late"],
            &f["contracts_published_late"]
        ),
        (&1.into(), &1.into(), &1.into()),
        "{f}"
    );
    // Published Friday 2027-01-22: 2 days late, allowed, and marked.
    w.at(noon(2027, 1, 22)).await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "contracts/publish", &[("id", &id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, c) = w
        .app
        .call_with(&w.officer, "contracts/get", &[("id", &id)])
        .await;
    assert_eq!(
        c["publication"],
        serde_json::json!({ "Late": { "days": 2 } }),
        "{c}"
    );
    let page = w.app.page_as(&w.officer, &format!("/contracts/{id}")).await;
    assert_eq!(page.matches("data-late-days=\"2\"").count(), 2, "{page}");
    assert!(page.contains("R-AWARD-01"), "{page}");

    // The public page, its CSV and the API count the agency's late acts.
    let (status, payments) = w.app.get_text("/payments").await;
    assert_eq!(status, 200);
    for testid in ["signed-late", "published-late"] {
        assert!(
            payments.contains(&format!("data-testid=\"{testid}\">1<")),
            "{testid}: {payments}"
        );
    }
    let (status, csv) = w.app.get_text("/payments.csv").await;
    assert_eq!(status, 200);
    let csv = csv.trim_start_matches('\u{feff}');
    // The agency's row, read by the header's column names (more columns may follow).
    let header: Vec<&str> = csv.lines().next().unwrap().trim_end().split(',').collect();
    let row: Vec<&str> = csv.lines().nth(1).unwrap().trim_end().split(',').collect();
    let cell = |name: &str| {
        let i = header.iter().position(|h| *h == name).expect(name);
        // The first cell, the agency's name, may hold a comma: count from the end.
        row[row.len() - header.len() + i]
    };
    assert_eq!(
        (
            cell("contracts"),
            cell("signed_late"),
            cell("published_late")
        ),
        ("1", "1", "1"),
        "{csv}"
    );
    let f = figures(&w).await;
    assert_eq!(f["contracts_published_late"], 1, "{f}");
    // The year of signing: 2027 has the contract, 2026 none.
    let (_, by_year) = get_json(&w.app, "/api/v1/statistics/payment-timeliness?year=2026").await;
    assert_eq!(by_year["overall"]["contracts"], 0, "{by_year}");

    // OCDS: the contract's milestones say when each act was due, when it was met, and that it
    // was late and by how much; the packages stay valid against the 1.1.5 schemas.
    let ocid = format!("{}-{}", w.app.settings.ocid_prefix, w.tender);
    let (status, package) = get_json(&w.app, &format!("/api/v1/ocds/releases/{ocid}")).await;
    assert_eq!(status, 200, "{package}");
    assert_valid("release-package-schema.json", &package);
    let (status, records) = get_json(&w.app, &format!("/api/v1/ocds/records/{ocid}")).await;
    assert_eq!(status, 200, "{records}");
    assert_valid("record-package-schema.json", &records);
    let milestones = records["records"][0]["compiledRelease"]["contracts"][0]["milestones"]
        .as_array()
        .unwrap_or_else(|| panic!("no contract milestones: {records}"))
        .clone();
    let by_code = |code: &str| {
        milestones
            .iter()
            .find(|m| m["code"] == code)
            .unwrap_or_else(|| panic!("{code}: {milestones:?}"))
            .clone()
    };
    let signing = by_code("contractSigning");
    assert_eq!(signing["dueDate"], "2027-01-16T23:59:59+08:00");
    assert_eq!(signing["status"], "met");
    let text = signing["description"].as_str().unwrap();
    assert!(
        text.contains("逾期签订") && text.contains("2 days"),
        "{text}"
    );
    let publication = by_code("contractPublication");
    assert_eq!(publication["dueDate"], "2027-01-20T23:59:59+08:00");
    assert_eq!(publication["status"], "met");
    let met =
        chrono::DateTime::parse_from_rfc3339(publication["dateMet"].as_str().unwrap()).unwrap();
    assert_eq!(met, noon(2027, 1, 22));
    let text = publication["description"].as_str().unwrap();
    assert!(
        text.contains("逾期公开") && text.contains("2 days"),
        "{text}"
    );
    // The publication is an event of the feed too.
    let releases = package["releases"].as_array().unwrap();
    assert!(
        releases.iter().any(|r| r["tag"][0] == "contractUpdate"),
        "{package}"
    );
}
