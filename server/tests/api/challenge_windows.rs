//! R-CHAL-01 (IR Art. 53, issue #33): each challenge window starts on the day the law says: the
//! tender documents at the end of their availability period (R-TIME-03), a procurement step
//! (the opening, the evaluation) on the day it is made public, the award at the end of the award
//! notice period (1 working day, IR Art. 43). The supplier's page shows each window; a challenge
//! outside it is refused with the rule named. The dates cross the year end 2026 -> 2027, whose
//! holiday notice is not loaded (counted provisionally).

use chrono::{Duration, TimeZone, Utc};

use crate::bids::{bid, deadline, firm, mark_all_and_award, world, World};
use crate::helpers::Backend;
use crate::on_both_backends;

on_both_backends!(r_chal_01_each_challenge_window_starts_on_the_day_the_law_says);

/// 10:00 in Beijing on a day.
fn beijing_ten(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

const FIRMS: [(&str, &str, bool, &str); 3] = [
    ("小微甲公司", "91330106MA2B00081", true, "2850000"),
    ("大型乙集团", "91330106MA2B00082", false, "2700000"),
    ("小微丙公司", "91330106MA2B00083", true, "2990000"),
];

async fn challenge(
    w: &World,
    client: &reqwest::Client,
    subject: &str,
    body: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    w.app
        .call_with(
            client,
            "bids/challenge",
            &[("tender", &w.tender), ("subject", subject), ("body", body)],
        )
        .await
}

/// The supplier's windows as its bid page's data has them: subject -> (runs from, until,
/// provisional, open).
async fn windows(
    w: &World,
    client: &reqwest::Client,
) -> std::collections::BTreeMap<String, (String, String, bool, bool)> {
    let (status, desk) = w
        .app
        .call_with(client, "bids/desk", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{desk}");
    desk["challenge_windows"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|x| {
            (
                x["subject"].as_str().unwrap().to_lowercase(),
                (
                    x["runs_from"].as_str().unwrap().to_string(),
                    x["until"].as_str().unwrap().to_string(),
                    x["provisional"].as_bool().unwrap(),
                    x["open"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

fn window(from: &str, until: &str, provisional: bool, open: bool) -> (String, String, bool, bool) {
    (from.to_string(), until.to_string(), provisional, open)
}

async fn r_chal_01_each_challenge_window_starts_on_the_day_the_law_says(backend: Backend) {
    // Published Thursday 2026-11-26 10:00; bids close Thursday 2026-12-17 17:00.
    let mut w = world(backend).await;
    for (name, code, small, price) in FIRMS {
        let (client, record) = firm(&w.app, name, code, small).await;
        let (status, body) = bid(&w, &client, "0", price, &record, "方案").await;
        assert_eq!(status, 200, "{body}");
    }
    let first = FIRMS[0].1;

    // The documents are available until Thursday 2026-12-03 (R-TIME-03, 5 working days), and
    // the terms may be challenged 7 working days from then, until Monday 2026-12-14; today's
    // code ended the window on 2026-12-07, 7 working days from the publication.
    w.at(beijing_ten(2026, 12, 8)).await;
    let a = w.again(first).await;
    let shown = windows(&w, &a).await;
    assert_eq!(
        shown.get("terms"),
        Some(&window("2026-12-03", "2026-12-14", false, true)),
        "{shown:?}"
    );
    assert_eq!(shown.len(), 1, "nothing else is public yet: {shown:?}");
    let (status, body) = challenge(&w, &a, "terms", "评分标准不明确").await;
    assert_eq!(status, 200, "{body}");
    // The opening cannot be challenged before the bids are opened.
    let (status, body) = challenge(&w, &a, "opening", "开标程序").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("R-CHAL-01"), "{body}");
    w.at(beijing_ten(2026, 12, 15)).await;
    let a = w.again(first).await;
    let (status, body) = challenge(&w, &a, "terms", "太晚了").await;
    assert_eq!(status, 409, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("R-CHAL-01") && text.contains("2026-12-14"),
        "{text}"
    );

    // The opening record is published when the bids are opened (17:05 on Thursday
    // 2026-12-17): 7 working days from that day, until Monday 2026-12-28.
    w.at(deadline() + Duration::minutes(5)).await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let a = w.again(first).await;
    assert_eq!(
        windows(&w, &a).await.get("opening"),
        Some(&window("2026-12-17", "2026-12-28", false, true))
    );
    // A firm that did not bid has the terms' window only.
    let (outsider, _) = firm(&w.app, "旁观者", "91330106MA2B00084", true).await;
    assert_eq!(
        windows(&w, &outsider)
            .await
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        ["terms"]
    );
    let (status, body) = challenge(&w, &outsider, "opening", "开标").await;
    assert_eq!(status, 422, "{body}");
    w.at(beijing_ten(2026, 12, 28)).await;
    let a = w.again(first).await;
    let (status, body) = challenge(&w, &a, "opening", "开标记录有误").await;
    assert_eq!(status, 200, "{body}");
    // The evaluation's results are not published yet.
    let (status, body) = challenge(&w, &a, "evaluation", "评分").await;
    assert_eq!(status, 422, "{body}");
    w.at(beijing_ten(2026, 12, 29)).await;
    let a = w.again(first).await;
    let (status, body) = challenge(&w, &a, "opening", "开标记录有误").await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("R-CHAL-01"), "{body}");

    // Marked and awarded on Wednesday 2026-12-30: the evaluation's results and the award
    // notice are published that day. The evaluation runs 7 working days from it (31 December,
    // 4-8 and 11 January 2027); the award from the end of the notice period (1 working day,
    // Thursday 31 December), until Tuesday 2027-01-12. 2027 is provisional.
    w.at(beijing_ten(2026, 12, 30)).await;
    mark_all_and_award(&w).await;
    let a = w.again(first).await;
    let shown = windows(&w, &a).await;
    assert_eq!(
        shown.get("evaluation"),
        Some(&window("2026-12-30", "2027-01-11", true, true)),
        "{shown:?}"
    );
    assert_eq!(
        shown.get("award"),
        Some(&window("2026-12-31", "2027-01-12", true, true)),
        "{shown:?}"
    );
    assert_eq!(
        shown.get("opening"),
        Some(&window("2026-12-17", "2026-12-28", false, false))
    );
    // The page says where each window runs from and until when, in both languages' forms.
    let page = w
        .app
        .page_as(&a, &format!("/tenders/{}/bid", w.tender))
        .await;
    assert!(page.contains("data-subject=\"award\""), "{page}");
    assert!(page.contains("2027-01-12"), "{page}");

    // On Tuesday 2027-01-12 the award may still be challenged (today's code ended it on
    // 2027-01-11, 7 working days from the notice); the evaluation may not.
    w.at(beijing_ten(2027, 1, 12)).await;
    let a = w.again(first).await;
    let (status, body) = challenge(&w, &a, "award", "中标人资格存疑").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = challenge(&w, &a, "evaluation", "评分有误").await;
    assert_eq!(status, 409, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("R-CHAL-01") && text.contains("2027-01-11"),
        "{text}"
    );
    w.at(beijing_ten(2027, 1, 13)).await;
    let a = w.again(first).await;
    let (status, body) = challenge(&w, &a, "award", "中标人资格存疑").await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("2027-01-12"), "{body}");
    // The agency answers each within 7 working days of its receipt (kept).
    let (_, open) = w.app.call_with(&w.officer, "agency/challenges", &[]).await;
    let dues: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["answer_due"].as_str().unwrap())
        .collect();
    // Filed 2026-12-08 (terms), 2026-12-28 (opening), 2027-01-12 (award).
    assert_eq!(dues, ["2026-12-17", "2027-01-07", "2027-01-21"], "{open}");
}
