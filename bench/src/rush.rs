//! The deadline rush (issues #5 and #8): thousands of suppliers submit sealed bids on one tender
//! in the last seconds before its deadline. Every acknowledged bid must be in the database
//! afterwards, none may be accepted at or after the deadline, and every refusal must be the
//! deadline's.
//!
//! wrk cannot check this (each request is a different supplier, and what matters is which
//! request was acknowledged), so the rush has its own driver: `connections` concurrent tokio
//! tasks, each taking the next bidder and posting its bid through the same server function the
//! bid page uses (`POST /api/bids/submit`), with that bidder's session. Sessions are minted with
//! the key the server was started with (signing in thousands of times would measure argon2).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use crate::generate::credit_code;
use crate::Failure;
use app::infra::entities::{bid, bid_submission, organisation, person, tender, tender_lot};

type Result<T = (), E = String> = std::result::Result<T, E>;

const BATCH: usize = 400;

/// The tender's (and its one lot's) budget: 900 million yuan, in fen.
const BUDGET_FEN: i64 = 900_000_000 * 100;

/// Bidders kept back to try after the deadline.
const LATE_BIDDERS: usize = 20;

/// The rush's tender and bidders, made before the server starts.
pub struct Rush {
    pub tender: Uuid,
    bidders: Vec<person::Model>,
}

#[derive(Debug, Serialize)]
pub struct RushResult {
    pub bidders: usize,
    pub connections: usize,
    /// From the first request to the deadline.
    pub window_seconds: f64,
    /// Bids acknowledged with a receipt.
    pub accepted: usize,
    /// Refused because the deadline had passed when they arrived (in-time bids cut off by the
    /// deadline: correct, not lost).
    pub refused_deadline: usize,
    /// From the first request to the last acknowledgement.
    pub burst_seconds: f64,
    pub accepted_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Throughput as a share of the baseline's.
    pub ratio_to_baseline: f64,
    /// Tries after the deadline (all refused, or the run fails).
    pub late_tries: usize,
    /// Acknowledged bids found in the database afterwards (equal to `accepted`, or the run
    /// fails).
    pub verified_in_database: usize,
    /// Receipts checked through `/api/receipts/verify`.
    pub receipts_verified: usize,
    /// The server's CPU time (all threads, user and kernel) from just before the first bid to
    /// the end of the checks, divided by the bids accepted: what a bid costs, steadier from run
    /// to run than bids/s (which moves with whatever else the machine does). None off Linux.
    pub server_cpu_ms_per_bid: Option<f64>,
}

/// One published, non-reserved tender with one lot and no requirements (so every bid is
/// valid), and `bidders + LATE_BIDDERS` supplier firms with one owner each.
pub async fn prepare(
    db: &DatabaseConnection,
    bidders: usize,
    now: DateTime<Utc>,
) -> Result<Rush, sea_orm::DbErr> {
    let agency = Uuid::now_v7();
    let tender_id = Uuid::now_v7();
    let txn = db.begin().await?;
    organisation::Entity::insert(organisation::ActiveModel {
        id: Set(agency),
        kind: Set("agency".into()),
        name: Set("截止冲刺测试采购单位".into()),
        credit_code: Set(Some(credit_code("11339999", 0))),
        created_at: Set(now),
    })
    .exec(&txn)
    .await?;
    tender::Entity::insert(tender::ActiveModel {
        id: Set(tender_id),
        agency_id: Set(agency),
        title: Set("截止冲刺：全市办公设备集中采购".into()),
        description: Set("投标截止前最后时刻的集中投标。".into()),
        category: Set("goods".into()),
        method: Set("open_tender".into()),
        region: Set("浙江省本级".into()),
        budget_fen: Set(BUDGET_FEN),
        status: Set("published".into()),
        // Moved to just after the rush starts (see `run`).
        bid_deadline: Set(now + chrono::Duration::days(30)),
        published_at: Set(Some(now)),
        created_at: Set(now),
        evaluation_method: Set("lowest_evaluated_price".into()),
        price_weight_bp: Set(None),
        bid_security_fen: Set(None),
        bid_security_forms: Set(None),
        imported_goods: Set(false),
        sme_required_share_bp: Set(4000),
        sme_small_micro_share_bp: Set(6000),
        sme_price_deduction_bp: Set(Some(1000)),
        sme_consortium_deduction_bp: Set(None),
        reserved_whole: Set(Some(false)),
        created_by: Set(None),
        updated_at: Set(None),
        draft_form: Set(None),
        cancel_reason: Set(None),
        cancelled_at: Set(None),
        retender_of: Set(None),
    })
    .exec(&txn)
    .await?;
    tender_lot::Entity::insert(tender_lot::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(tender_id),
        position: Set(0),
        title: Set("第1包".into()),
        budget_fen: Set(BUDGET_FEN),
        reserved_for_sme: Set(false),
        small_micro_only: Set(false),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;

    let mut people = Vec::with_capacity(bidders + LATE_BIDDERS);
    for chunk_start in (0..bidders + LATE_BIDDERS).step_by(BATCH) {
        let n = BATCH.min(bidders + LATE_BIDDERS - chunk_start);
        let mut orgs = Vec::with_capacity(n);
        let mut persons = Vec::with_capacity(n);
        for i in chunk_start..chunk_start + n {
            let org = Uuid::now_v7();
            orgs.push(organisation::ActiveModel {
                id: Set(org),
                kind: Set("supplier".into()),
                name: Set(format!("冲刺投标{i}号有限公司")),
                credit_code: Set(Some(credit_code("91339999", i))),
                created_at: Set(now),
            });
            let p = person::Model {
                id: Uuid::now_v7(),
                organisation_id: Some(org),
                email: format!("rush{i}@bench.example.cn"),
                display_name: format!("投标人{i}"),
                role: "supplier_owner".into(),
                // Never signs in: its session is minted.
                password_hash: None,
                token_version: 0,
                created_at: now,
                disabled_at: None,
                disabled_by: None,
            };
            persons.push(person::ActiveModel {
                id: Set(p.id),
                organisation_id: Set(p.organisation_id),
                email: Set(p.email.clone()),
                display_name: Set(p.display_name.clone()),
                role: Set(p.role.clone()),
                password_hash: Set(None),
                token_version: Set(0),
                created_at: Set(now),
                disabled_at: Set(None),
                disabled_by: Set(None),
            });
            people.push(p);
        }
        let txn = db.begin().await?;
        organisation::Entity::insert_many(orgs).exec(&txn).await?;
        person::Entity::insert_many(persons).exec(&txn).await?;
        txn.commit().await?;
    }
    Ok(Rush {
        tender: tender_id,
        bidders: people,
    })
}

/// What one submission came back with.
pub(crate) enum Outcome {
    Accepted {
        receipt: String,
    },
    RefusedDeadline,
    /// 409: this bidder's bid was already counted (a retry of a request whose answer was lost).
    AlreadyCounted,
}

impl Rush {
    /// The bidders (in-time ones first, then the late ones).
    pub(crate) fn bidders(&self) -> &[person::Model] {
        &self.bidders
    }
}

/// Moves the deadline to `window` from now, submits every bidder's bid as fast as
/// `connections` clients can, tries the late bidders after the deadline, then checks the
/// database and a sample of receipts.
pub async fn run(
    rush: &Rush,
    server_url: &str,
    jwt_key: &str,
    database_url: &str,
    connections: usize,
    window: Duration,
    baseline_rps: Option<f64>,
) -> Result<RushResult> {
    let cookies = crate::session_cookies(jwt_key, &rush.bidders)?;
    let (in_time, late) = cookies.split_at(cookies.len() - LATE_BIDDERS);

    let db = app::infra::db::connect(database_url, 1)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let started = Instant::now();
    let deadline = Utc::now() + chrono::Duration::from_std(window).map_err(|e| e.to_string())?;
    tender::Entity::update_many()
        .col_expr(tender::Column::BidDeadline, Expr::value(deadline))
        .filter(tender::Column::Id.eq(rush.tender))
        .exec(&db)
        .await
        .map_err(|e| format!("moving the deadline: {e}"))?;

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .map_err(|e| e.to_string())?;
    let next = Arc::new(AtomicUsize::new(0));
    let cookies = Arc::new(in_time.to_vec());
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, next, cookies) = (client.clone(), next.clone(), cookies.clone());
        let (url, tender) = (server_url.to_string(), rush.tender);
        tasks.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(cookie) = cookies.get(i) else {
                    break;
                };
                let sent = Instant::now();
                let outcome = submit(&client, &url, tender, cookie, i).await;
                seen.push((i, sent.elapsed(), Instant::now(), outcome));
            }
            seen
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.extend(t.await.map_err(|e| e.to_string())?);
    }
    let mut latencies = Vec::new();
    let mut receipts = Vec::new();
    let mut refused_deadline = 0;
    let mut last_ack = started;
    for (i, latency, at, outcome) in outcomes {
        match outcome? {
            Outcome::Accepted { receipt } => {
                latencies.push(latency);
                receipts.push((i, receipt));
                last_ack = last_ack.max(at);
            }
            Outcome::RefusedDeadline => refused_deadline += 1,
            Outcome::AlreadyCounted => {
                return Err(format!("rush: bidder {i} was counted before it submitted"))
            }
        }
    }

    // After the deadline: every try is refused.
    let wait = deadline - Utc::now() + chrono::Duration::milliseconds(20);
    if let Ok(wait) = wait.to_std() {
        tokio::time::sleep(wait).await;
    }
    for (i, cookie) in late.iter().enumerate() {
        match submit(&client, server_url, rush.tender, cookie, in_time.len() + i).await? {
            Outcome::Accepted { .. } => {
                return Err(format!(
                    "rush: a bid was accepted after the deadline (late bidder {i})"
                ))
            }
            Outcome::RefusedDeadline => {}
            Outcome::AlreadyCounted => {
                return Err(format!(
                    "rush: late bidder {i} was counted before it submitted"
                ))
            }
        }
    }

    // Every acknowledged bid is in the database, counted once, and none is dated at or
    // after the deadline.
    let bid_ids: Vec<Uuid> = bid::Entity::find()
        .filter(bid::Column::TenderId.eq(rush.tender))
        .filter(bid::Column::SubmittedVersions.eq(1))
        .all(&db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let bids = bid_ids.len();
    let mut submissions = 0;
    let mut late_rows = 0;
    for chunk in bid_ids.chunks(BATCH) {
        let of_these = || {
            bid_submission::Entity::find()
                .filter(bid_submission::Column::BidId.is_in(chunk.to_vec()))
        };
        submissions += of_these().count(&db).await.map_err(|e| e.to_string())? as usize;
        late_rows += of_these()
            .filter(bid_submission::Column::SubmittedAt.gte(deadline))
            .count(&db)
            .await
            .map_err(|e| e.to_string())?;
    }
    db.close().await.ok();
    if bids != receipts.len() || submissions != receipts.len() {
        return Err(format!(
            "rush: {} bids acknowledged, but the database holds {bids} bids and {submissions} submissions",
            receipts.len()
        ));
    }
    if late_rows > 0 {
        return Err(format!(
            "rush: {late_rows} submissions dated at or after the deadline"
        ));
    }
    // A sample of receipts verifies (every 50th, at least one).
    let mut receipts_verified = 0;
    for (i, receipt) in receipts.iter().step_by(50) {
        let check: serde_json::Value = client
            .post(format!("{server_url}/api/receipts/verify"))
            .header("origin", server_url)
            .form(&[("receipt", receipt)])
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        if check["valid"] != true {
            return Err(format!(
                "rush: bidder {i}'s receipt does not verify: {check}"
            ));
        }
        receipts_verified += 1;
    }

    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let burst_seconds = (last_ack - started).as_secs_f64();
    let accepted_per_second = if burst_seconds > 0.0 {
        receipts.len() as f64 / burst_seconds
    } else {
        0.0
    };
    Ok(RushResult {
        bidders: in_time.len(),
        connections,
        window_seconds: window.as_secs_f64(),
        accepted: receipts.len(),
        refused_deadline,
        burst_seconds,
        accepted_per_second,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        ratio_to_baseline: baseline_rps.map_or(0.0, |b| accepted_per_second / b),
        late_tries: late.len(),
        verified_in_database: bids,
        receipts_verified,
        // Filled in by the caller, which has the server process.
        server_cpu_ms_per_bid: None,
    })
}

/// One bid: lot 1 at a price of its own, through the bid page's server function.
pub(crate) async fn submit(
    client: &reqwest::Client,
    url: &str,
    tender: Uuid,
    cookie: &str,
    i: usize,
) -> Result<Outcome, Failure> {
    let price = format!("{}.{:02}", 800_000 + i, i % 100);
    // R-SME-02: the tender asks 40% for SMEs (24% for small and micro firms) and the bidders
    // declared no size: each names a small subcontractor performing 40%, as a real one would.
    let partner_code = crate::generate::credit_code("91338888", i);
    let response = client
        .post(format!("{url}/api/bids/submit"))
        .header("origin", url)
        .header("cookie", cookie)
        .form(&[
            ("tender", tender.to_string().as_str()),
            ("intent", "submit"),
            ("seen_versions", "0"),
            ("form[lots][0][include]", "on"),
            ("form[lots][0][price]", &price),
            ("form[proposal]", "按招标文件要求供货，含三年质保。"),
            ("form[partners][0][role]", "subcontractor"),
            ("form[partners][0][name]", "小微配套服务有限公司"),
            ("form[partners][0][credit_code]", &partner_code),
            ("form[partners][0][share]", "40"),
            ("form[partners][0][industry]", "wholesale"),
            ("form[partners][0][headcount]", "8"),
            ("form[partners][0][annual_revenue]", "6000000"),
            ("form[partners][0][total_assets]", "1000000"),
        ])
        .send()
        .await
        .map_err(|e| Failure::NoAnswer(format!("rush: bidder {i}: {e}")))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| Failure::NoAnswer(format!("rush: bidder {i}: {e}")))?;
    let wrong = |why: String| Err(Failure::Wrong(format!("rush: bidder {i}: {why}")));
    match status.as_u16() {
        200 => {
            let view: serde_json::Value = match serde_json::from_str(&body) {
                Ok(view) => view,
                Err(e) => return wrong(e.to_string()),
            };
            match view["receipt"].as_str() {
                Some(r) => Ok(Outcome::Accepted {
                    receipt: r.to_string(),
                }),
                None => wrong(format!("200 without a receipt: {body}")),
            }
        }
        409 if body.contains("R-BID-02") => Ok(Outcome::RefusedDeadline),
        409 if body.contains("it was not counted twice") => Ok(Outcome::AlreadyCounted),
        _ => wrong(format!("{status}: {body}")),
    }
}
