//! Issue #35, sealed bids that hold against whoever holds the database (R-BID-01): the stored
//! digest confirms no price guess, each ciphertext opens only as its own bid, version and tender
//! (a swapped or altered one is reported to the officers, not counted), bids sealed before stay
//! readable, and the receipt check is a POST whose address never carries the receipt.

use app::domain::bid::BidContent;
use app::infra::entities::{audit_log, bid, bid_submission};
use app::infra::sealing::{Sealing, VersionBinding};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::bids::{bid, deadline, firm, world, World};
use crate::helpers::{Backend, TEST_BID_KEY};
use crate::on_both_backends;

on_both_backends!(
    r_bid_01_issue_35_the_stored_digest_confirms_no_price_guess,
    r_bid_01_issue_35_swapped_ciphertexts_are_reported_not_counted,
    issue_35_the_receipt_check_is_posted_and_its_address_carries_no_receipt,
);

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A submitted version's row, with what its bidder's own copy holds (the test knows the
/// sealing key; someone with a database backup does not).
async fn version(w: &World, bid_id: uuid::Uuid, n: i32) -> (bid_submission::Model, Vec<u8>) {
    let row = bid_submission::Entity::find()
        .filter(bid_submission::Column::BidId.eq(bid_id))
        .filter(bid_submission::Column::Version.eq(n))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    let b = bid::Entity::find_by_id(bid_id)
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    let sealing = Sealing::new(TEST_BID_KEY.as_bytes());
    let plain = sealing
        .open_version(
            &sealing.bidder_key(b.organisation_id, b.tender_id),
            VersionBinding {
                bid: bid_id,
                version: n,
                tender: b.tender_id,
            },
            &row.own_copy,
        )
        .expect("the bidder's copy opens as its own version");
    (row, plain)
}

async fn bid_of(w: &World, code17: &str) -> uuid::Uuid {
    let org = app::infra::entities::organisation::Entity::find()
        .filter(app::infra::entities::organisation::Column::CreditCode.contains(code17))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    bid::Entity::find()
        .filter(bid::Column::OrganisationId.eq(org.id))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Issue #35: with the database alone (digest and every other column), trying prices until the
/// digest matches finds nothing: the content carries a random value sealed with it. Even the
/// true content without that value (what the digest covered before) does not match.
async fn r_bid_01_issue_35_the_stored_digest_confirms_no_price_guess(backend: Backend) {
    let w = world(backend).await;
    let code = "91330106MA2B00081";
    let (a, record) = firm(&w.app, "甲", code, false).await;
    let (status, body) = bid(&w, &a, "0", "2000000", &record, "").await;
    assert_eq!(status, 200, "{body}");
    let (row, plain) = version(&w, bid_of(&w, code).await, 1).await;
    // The digest is still the SHA-256 of the content the receipt vouches for.
    assert_eq!(sha256_hex(&plain), row.digest);
    assert_eq!(body["digest"], row.digest);
    let mut content: BidContent = serde_json::from_slice(&plain).unwrap();
    assert!(content.salt.as_ref().is_some_and(|s| s.len() == 64));
    // The true price, every other field right, without the sealed random value: no match.
    content.salt = None;
    let guess = serde_json::to_vec(&content).unwrap();
    assert!(String::from_utf8_lossy(&guess).contains("2000000"));
    assert_ne!(sha256_hex(&guess), row.digest);
    // The receipt still checks, offline with the public key as on the site.
    let (status, check) = w
        .app
        .call(
            "receipts/verify",
            &[("receipt", body["receipt"].as_str().unwrap())],
        )
        .await;
    assert_eq!(status, 200, "{check}");
    assert_eq!(check["valid"], true, "{check}");
}

/// Issue #35: the opening reports a ciphertext swapped between two versions of a bid or
/// between two bids, on the officers' page and in the audit log, and does not count it; a bid
/// sealed before this change (bound to its bid alone, no salt) still opens and counts.
async fn r_bid_01_issue_35_swapped_ciphertexts_are_reported_not_counted(backend: Backend) {
    let mut w = world(backend).await;
    let codes = [
        "91330106MA2B00091",
        "91330106MA2B00092",
        "91330106MA2B00093",
        "91330106MA2B00094",
    ];
    let mut bids = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let (client, record) = firm(&w.app, &format!("投标人{i}"), code, true).await;
        let (status, body) = bid(&w, &client, "0", "2000000", &record, "p").await;
        assert_eq!(status, 200, "{body}");
        if i == 0 {
            // A second, cheaper version.
            let (status, body) = bid(&w, &client, "1", "1900000", &record, "p").await;
            assert_eq!(status, 200, "{body}");
        }
        bids.push(bid_of(&w, code).await);
    }
    let set_sealed = |row: &bid_submission::Model, sealed: String, digest: Option<String>| {
        let mut m: bid_submission::ActiveModel = row.clone().into();
        m.sealed = Set(sealed);
        if let Some(d) = digest {
            m.digest = Set(d);
        }
        m
    };
    // The first bidder's two versions swap ciphertexts: the older, dearer one would count.
    let (a1, _) = version(&w, bids[0], 1).await;
    let (a2, _) = version(&w, bids[0], 2).await;
    set_sealed(&a2, a1.sealed.clone(), None)
        .update(&w.app.db)
        .await
        .unwrap();
    set_sealed(&a1, a2.sealed.clone(), None)
        .update(&w.app.db)
        .await
        .unwrap();
    // The second and third bidders' ciphertexts swap.
    let (b1, _) = version(&w, bids[1], 1).await;
    let (c1, _) = version(&w, bids[2], 1).await;
    set_sealed(&b1, c1.sealed.clone(), None)
        .update(&w.app.db)
        .await
        .unwrap();
    set_sealed(&c1, b1.sealed.clone(), None)
        .update(&w.app.db)
        .await
        .unwrap();
    // The fourth is made as bids were sealed before issue #35.
    let (d1, plain) = version(&w, bids[3], 1).await;
    let mut old: BidContent = serde_json::from_slice(&plain).unwrap();
    old.salt = None;
    let old = serde_json::to_vec(&old).unwrap();
    let tender: uuid::Uuid = w.tender.parse().unwrap();
    let legacy = Sealing::new(TEST_BID_KEY.as_bytes()).seal_for_tender(tender, bids[3], &old);
    set_sealed(&d1, legacy, Some(sha256_hex(&old)))
        .update(&w.app.db)
        .await
        .unwrap();

    w.at(deadline()).await;
    let (status, body) = w
        .app
        .call_with(&w.officer, "agency/open", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, page) = w
        .app
        .call_with(&w.officer, "agency/evaluation", &[("tender", &w.tender)])
        .await;
    assert_eq!(status, 200, "{page}");
    let faults = page["seal_faults"].as_array().expect("faults listed");
    let mut found: Vec<(String, i64)> = faults
        .iter()
        .map(|f| {
            (
                f["supplier_name"].as_str().unwrap().to_string(),
                f["version"].as_i64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("投标人0".to_string(), 2),
            ("投标人1".to_string(), 1),
            ("投标人2".to_string(), 1)
        ],
        "{page}"
    );
    // Only the bid sealed the old way counts.
    let lot_bids = page["stage"]["Opened"]["lots"][0]["bids"]
        .as_array()
        .unwrap();
    assert_eq!(lot_bids.len(), 1, "{page}");
    assert!(lot_bids[0].to_string().contains("投标人3"), "{page}");
    // In the audit log, and visible on the officers' page.
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("bid.seal_fault"))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(logged, 3);
    let html = w
        .app
        .page_as(
            &w.officer,
            &format!("/agency/tenders/{}/evaluation", w.tender),
        )
        .await;
    assert!(html.contains(r#"data-testid="seal-faults""#), "{html}");
    assert_eq!(html.matches(r#"data-testid="seal-fault""#).count(), 3);
}

/// Issue #35: a receipt in an address lands in proxy logs. The page's form posts; without
/// JavaScript the server answers with a redirect whose address carries the signed result, not
/// the receipt; a result the server did not sign is not shown, and a receipt in the address is
/// not checked.
async fn issue_35_the_receipt_check_is_posted_and_its_address_carries_no_receipt(backend: Backend) {
    let w = world(backend).await;
    let (a, record) = firm(&w.app, "甲", "91330106MA2B00101", true).await;
    let (status, body) = bid(&w, &a, "0", "2000000", &record, "p").await;
    assert_eq!(status, 200, "{body}");
    let receipt = body["receipt"].as_str().unwrap().to_string();
    let browser = w.app.new_client();
    let html = w.app.page_as(&browser, "/receipts/verify").await;
    let at = html
        .find(r#"data-testid="verify-form""#)
        .expect("the form is on the page");
    let tag = &html[html[..at].rfind("<form").unwrap()..at];
    assert!(tag.contains(r#"method="post""#), "{tag}");
    assert!(tag.contains("/api/receipts/verify"), "{tag}");

    let response = browser
        .post(format!("{}/api/receipts/verify", w.app.address))
        .header("origin", &w.app.address)
        .header("accept", "text/html")
        .header("referer", format!("{}/receipts/verify", w.app.address))
        .form(&[("receipt", receipt.as_str())])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let (payload, signature) = receipt.rsplit_once('.').unwrap();
    assert!(!location.contains(signature), "{location}");
    assert!(
        !location.contains(payload.rsplit_once('.').unwrap().1),
        "{location}"
    );
    let shown = w.app.page_as(&browser, &location).await;
    assert!(
        shown.contains(r#"data-testid="receipt-check" data-valid="true""#),
        "{shown}"
    );
    // A result changed in the address is not shown.
    let forged = location.replacen("check=FTRC1.", "check=FTRC1.e", 1);
    let shown = w.app.page_as(&browser, &forged).await;
    assert!(!shown.contains(r#"data-testid="receipt-check""#), "{shown}");
    // The receipt in the address is not read any more.
    let shown = w
        .app
        .page_as(
            &browser,
            &format!(
                "/receipts/verify?receipt={}",
                app::paths::escape_query(&receipt)
            ),
        )
        .await;
    assert!(!shown.contains(r#"data-testid="receipt-check""#), "{shown}");
}
