//! Payment release under concurrency (issues #6 and #8): an agency's finance officers release
//! every milestone payment that has fallen due on hundreds of contracts at once, while double
//! clicks, retries and a second officer paying the same milestone race the first. Every
//! milestone must end up paid exactly once, with exactly what is due (and, when it is late, its
//! late-payment interest, a payable of its own: R-PAY-05), and every acknowledged release must
//! be in the database.
//!
//! The data is written before the server starts, as the app leaves it after signing and
//! acceptance: tenders of ten lots, each lot opened (three bids) and awarded, its contract signed
//! and published, and three milestones per contract delivered and accepted (some in part,
//! R-PAY-04), so that each is payable now: due in up to 5 days, due today, or overdue by up to
//! 40 days. Half the contracts agree a late-payment rate, the others leave the statutory 0.05% a
//! day. (Bid rows and their sealed submissions, notifications and the audit trail of those steps
//! are not written: the payment path reads none of them.)
//!
//! The driver: `connections` concurrent tokio tasks, each taking the next milestone and posting
//! the finance officer's payment form to its server function (`POST /api/contracts/pay`), for
//! the principal and, when late, for the interest, with a session minted with the server's key.
//! For one milestone in four, each of those forms is sent twice at once with the same
//! `request_key` (a double click, or a retry) and a third time, at the same moment, by another
//! officer with a form of their own (another key). wrk cannot tell which request was
//! acknowledged, so this has its own driver, like the deadline rush.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use crate::generate::credit_code;
use crate::Failure;
use app::domain::{china_day, Money};
use app::infra::entities::{
    award, bid_opening, contract, milestone, opened_bid, organisation, payment, person, tender,
    tender_lot,
};
use app::model::bids::ScoreLine;
use app::model::contracts::PaymentKind;

type Result<T = (), E = String> = std::result::Result<T, E>;

/// Rows per INSERT (SQLite's and PostgreSQL's bind-parameter limits).
const BATCH: usize = 400;
/// Lots (each with its contract) per tender.
const LOTS_PER_TENDER: usize = 10;
const MILESTONES_PER_CONTRACT: usize = 3;
const SUPPLIERS: usize = 5;
const OFFICERS: usize = 4;
/// One milestone in this many is contested: each of its forms is sent twice with the same key
/// and once by another officer.
const CONTESTED_EVERY: usize = 4;
/// R-PAY-01/02 as the contract form would set them: the default 30-day term and 10 days to accept.
const PAYMENT_TERM_DAYS: i32 = 30;
const ACCEPTANCE_DAYS: i32 = 10;
/// The 1-year LPR the migrations seed (3.0%), and the rate the other half of the contracts
/// agree (4.35% a year, above the LPR as R-PAY-05 requires).
const LPR_BP: i32 = 300;
const AGREED_RATE_BP: i32 = 435;

/// The payment workload's data, made before the server starts.
pub struct Pay {
    officers: Vec<person::Model>,
    tenders: usize,
    contracts: usize,
    milestones: Vec<Due>,
}

impl Pay {
    /// Public tenders this adds (each is a record of the OCDS export).
    pub fn tenders(&self) -> usize {
        self.tenders
    }

    /// The finance officers who release the payments.
    pub(crate) fn officers(&self) -> &[person::Model] {
        &self.officers
    }

    /// Each accepted milestone's id and its payable principal, in fen.
    pub(crate) fn principals(&self) -> Vec<(Uuid, i64)> {
        self.milestones
            .iter()
            .map(|d| (d.id, d.payable_fen))
            .collect()
    }
}

/// One accepted milestone, as prepared.
struct Due {
    id: Uuid,
    /// What is payable: the accepted (undisputed) amount, in fen.
    payable_fen: i64,
    /// R-PAY-01/02: acceptance day + the payment term.
    due_on: NaiveDate,
    /// The contract's agreed annual late-payment rate (hundredths of a percent), or the
    /// statutory rate.
    interest_annual_bp: Option<i32>,
}

#[derive(Debug, Serialize)]
pub struct PayResult {
    pub contracts: usize,
    pub milestones: usize,
    /// Milestones overdue on the day of the run: their interest is released too.
    pub late_milestones: usize,
    /// Principal and interest payables released.
    pub payables: usize,
    /// Payables whose form was sent three times at once (twice with one key, once by another
    /// officer).
    pub contested_payables: usize,
    pub officers: usize,
    pub connections: usize,
    pub requests: usize,
    /// Answered 2xx.
    pub acknowledged: usize,
    /// Acknowledged repeats of a key already acknowledged (a double click or retry answered
    /// "done", recorded once).
    pub duplicates_absorbed: usize,
    /// Refused because the payable was just paid by a request with another key (the second
    /// officer's, or the first officer's when the second won).
    pub duplicates_refused: usize,
    /// Contested payables the second officer's form paid.
    pub second_officer_won: usize,
    /// Payment rows found on these milestones afterwards (equal to `payables`, or the run fails).
    pub payments_found: usize,
    /// Principal and interest paid, in fen (equal to what was due, or the run fails).
    pub paid_fen: i64,
    pub interest_paid_fen: i64,
    /// From the first request to the last acknowledgement.
    pub burst_seconds: f64,
    /// Payments recorded per second over the burst.
    pub releases_per_second: f64,
    /// Over every request, acknowledged or refused.
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Throughput as a share of the baseline's.
    pub ratio_to_baseline: f64,
    /// The server's CPU time (all threads, user and kernel) over the run, divided by the
    /// payments recorded. None off Linux.
    pub server_cpu_ms_per_payment: Option<f64>,
}

/// `day` at `hour` o'clock in China (UTC+8).
fn china_time(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0)
        .map(|t| t.and_utc() - chrono::Duration::hours(8))
        .unwrap_or_default()
}

macro_rules! insert_chunked {
    ($txn:expr, $entity:ty, $rows:expr) => {
        for chunk in $rows.chunks(BATCH) {
            <$entity>::insert_many(chunk.to_vec()).exec($txn).await?;
        }
    };
}

/// One agency with a procurement officer and `OFFICERS` finance officers, `SUPPLIERS`
/// suppliers, and `milestones` accepted milestones on `milestones / 3` contracts (rounded up).
pub async fn prepare(
    db: &DatabaseConnection,
    milestones: usize,
    now: DateTime<Utc>,
) -> Result<Pay, sea_orm::DbErr> {
    let today = china_day(now);
    let days_ago = |n: i64| now - chrono::Duration::days(n);
    let agency = Uuid::now_v7();
    let mut orgs = vec![organisation::ActiveModel {
        id: Set(agency),
        kind: Set("agency".into()),
        name: Set("付款压力测试市财政局".into()),
        credit_code: Set(Some(credit_code("11339998", 0))),
        created_at: Set(days_ago(400)),
    }];
    let suppliers: Vec<(Uuid, String)> = (0..SUPPLIERS)
        .map(|i| (Uuid::now_v7(), format!("付款测试供应{i}号有限公司")))
        .collect();
    for (i, (id, name)) in suppliers.iter().enumerate() {
        orgs.push(organisation::ActiveModel {
            id: Set(*id),
            kind: Set("supplier".into()),
            name: Set(name.clone()),
            credit_code: Set(Some(credit_code("91339998", i))),
            created_at: Set(days_ago(400)),
        });
    }
    let person = |email: String, name: String, role: &str| person::Model {
        id: Uuid::now_v7(),
        organisation_id: Some(agency),
        email,
        display_name: name,
        role: role.into(),
        // Never signs in: its session is minted.
        password_hash: None,
        token_version: 0,
        created_at: days_ago(400),
        disabled_at: None,
        disabled_by: None,
    };
    let procurement = person(
        "pay-procurement@bench.example.cn".into(),
        "采购经办人".into(),
        "agency_procurement",
    );
    let officers: Vec<person::Model> = (0..OFFICERS)
        .map(|i| {
            person(
                format!("pay-finance{i}@bench.example.cn"),
                format!("财务人员{i}"),
                "agency_finance",
            )
        })
        .collect();
    let people: Vec<person::ActiveModel> = std::iter::once(&procurement)
        .chain(&officers)
        .map(|p| person::ActiveModel {
            id: Set(p.id),
            organisation_id: Set(p.organisation_id),
            email: Set(p.email.clone()),
            display_name: Set(p.display_name.clone()),
            role: Set(p.role.clone()),
            password_hash: Set(None),
            token_version: Set(0),
            created_at: Set(p.created_at),
            disabled_at: Set(None),
            disabled_by: Set(None),
        })
        .collect();
    let txn = db.begin().await?;
    organisation::Entity::insert_many(orgs).exec(&txn).await?;
    person::Entity::insert_many(people).exec(&txn).await?;
    txn.commit().await?;

    // The procurement's timeline, as the app would have recorded it.
    let published = days_ago(150);
    let deadline = days_ago(120);
    let opened = deadline + chrono::Duration::hours(1);
    let decided = days_ago(110);
    let signed = days_ago(100);
    let contracts = milestones.div_ceil(MILESTONES_PER_CONTRACT);
    let tenders = contracts.div_ceil(LOTS_PER_TENDER);
    let mut dues = Vec::with_capacity(milestones);
    // A few tenders per transaction.
    for first_tender in (0..tenders).step_by(20) {
        let mut rows = Rows::default();
        for t in first_tender..(first_tender + 20).min(tenders) {
            let tender_id = Uuid::now_v7();
            let lots = (contracts - t * LOTS_PER_TENDER).min(LOTS_PER_TENDER);
            let mut tender_budget = 0;
            for l in 0..lots {
                let c = t * LOTS_PER_TENDER + l;
                let lot_id = Uuid::now_v7();
                let contract_id = Uuid::now_v7();
                let count = (milestones - c * MILESTONES_PER_CONTRACT).min(MILESTONES_PER_CONTRACT);
                // Lateness on the day of the run: position 0 the latest (19..=40 days overdue),
                // each later one 12 days less (down to due in 5 days).
                let late0 = 19 + (c * 7 % 22) as i64;
                let amounts: Vec<i64> = (0..count)
                    .map(|p| {
                        let yuan = 100_000 + ((c * 37 + p * 11) % 400) as i64 * 1_000;
                        yuan * 100 + ((c * 13 + p * 7) % 100) as i64
                    })
                    .collect();
                let value: i64 = amounts.iter().sum();
                let budget = value / 100 * 120;
                tender_budget += budget;
                let interest_annual_bp = (c % 2 == 1).then_some(AGREED_RATE_BP);
                rows.lots.push(tender_lot::ActiveModel {
                    id: Set(lot_id),
                    tender_id: Set(tender_id),
                    position: Set(l as i32),
                    title: Set(format!("第{}包", l + 1)),
                    budget_fen: Set(budget),
                    reserved_for_sme: Set(false),
                    small_micro_only: Set(false),
                });
                // Three bids, the lowest (first) wins under the lowest evaluated price.
                let mut lines = Vec::new();
                let mut winner = None;
                for b in 0..3 {
                    let (org, name) = &suppliers[(c + b) % SUPPLIERS];
                    let id = Uuid::now_v7();
                    let price = value + b as i64 * value / 50;
                    rows.opened.push(opened_bid::ActiveModel {
                        id: Set(id),
                        tender_id: Set(tender_id),
                        lot_id: Set(lot_id),
                        bid_id: Set(Uuid::now_v7()),
                        organisation_id: Set(*org),
                        supplier_name: Set(name.clone()),
                        version: Set(1),
                        submitted_at: Set(deadline - chrono::Duration::days(2)),
                        price_fen: Set(price),
                        size_class: Set(None),
                        declaration: Set(None),
                        subcontract_share_bp: Set(None),
                        partners: Set(None),
                        deduction_bp: Set(0),
                        content: Set(serde_json::json!({
                            "answers": [],
                            "proposal": "按招标文件要求履约。",
                            "documents": [],
                        })
                        .to_string()),
                    });
                    lines.push((
                        id,
                        *org,
                        ScoreLine {
                            supplier_name: name.clone(),
                            price: Money::from_fen(price),
                            deduction: Money::ZERO.amount(),
                            evaluated_price: Money::from_fen(price),
                            technical_score: Money::ZERO.amount(),
                            price_score: None,
                            total: None,
                            qualified: true,
                            rank: Some(b as u32 + 1),
                            marks: Vec::new(),
                        },
                    ));
                    winner.get_or_insert((id, *org));
                }
                let (winning_bid, supplier) = winner.unwrap_or_default();
                rows.awards.push(award::ActiveModel {
                    lot_id: Set(lot_id),
                    tender_id: Set(tender_id),
                    opened_bid_id: Set(winning_bid),
                    organisation_id: Set(supplier),
                    price_fen: Set(value),
                    decided_at: Set(decided),
                    decided_by: Set(procurement.id),
                    notice_published_at: Set(decided),
                    evaluation: Set(serde_json::to_string(&lines).unwrap_or_default()),
                });
                rows.contracts.push(contract::ActiveModel {
                    id: Set(contract_id),
                    lot_id: Set(lot_id),
                    tender_id: Set(tender_id),
                    agency_id: Set(agency),
                    supplier_id: Set(supplier),
                    value_fen: Set(value),
                    payment_term_days: Set(PAYMENT_TERM_DAYS),
                    acceptance_days: Set(ACCEPTANCE_DAYS),
                    interest_annual_bp: Set(interest_annual_bp),
                    lpr_bp: Set(LPR_BP),
                    performance_security_fen: Set(None),
                    awarded_on: Set(china_day(decided)),
                    signed_at: Set(signed),
                    signed_by: Set(procurement.id),
                    published_at: Set(Some(signed + chrono::Duration::hours(20))),
                    security_forms: Set(None),
                    version: Set(1),
                    other_terms: Set(None),
                });
                for (p, amount) in amounts.iter().enumerate() {
                    let late = late0 - 12 * p as i64;
                    let due_on = today - chrono::Duration::days(late);
                    // Accepted within the acceptance period: the payment clock starts on the
                    // day of acceptance (R-PAY-02), the term later it is due.
                    let accepted_on = due_on - chrono::Duration::days(PAYMENT_TERM_DAYS.into());
                    let delivered_on = accepted_on - chrono::Duration::days(3);
                    // R-PAY-04: one milestone in ten accepted in part (90%), the rest disputed.
                    let accepted_fen = if (c + p) % 10 == 3 {
                        amount / 10 * 9
                    } else {
                        *amount
                    };
                    let id = Uuid::now_v7();
                    rows.milestones.push(milestone::ActiveModel {
                        id: Set(id),
                        contract_id: Set(contract_id),
                        position: Set(p as i32),
                        deliverable: Set(format!("第{}阶段交付及验收", p + 1)),
                        amount_fen: Set(*amount),
                        planned_on: Set(delivered_on),
                        advance: Set(false),
                        delivered_at: Set(Some(china_time(delivered_on, 15))),
                        delivery_note: Set(Some("已按合同交付，附交付清单。".into())),
                        accepted_on: Set(Some(accepted_on)),
                        accepted_at: Set(Some(china_time(accepted_on, 10))),
                        accepted_fen: Set(Some(accepted_fen)),
                        rejected_at: Set(None),
                        rejection_reason: Set(None),
                        rejection_text: Set(None),
                        paid_fen: Set(0),
                        interest_paid_fen: Set(0),
                        receivable_requested_on: Set(None),
                        receivable_confirmed_on: Set(None),
                        // No dispute (R-PAY-10) in the generated data.
                        ..Default::default()
                    });
                    dues.push(Due {
                        id,
                        payable_fen: accepted_fen,
                        due_on,
                        interest_annual_bp,
                    });
                }
            }
            rows.tenders.push(tender::ActiveModel {
                id: Set(tender_id),
                agency_id: Set(agency),
                title: Set(format!("付款测试：市级信息化设备分包采购（第{t}批）")),
                description: Set("十个包分别签订合同，按节点验收付款。".into()),
                category: Set("goods".into()),
                method: Set("open_tender".into()),
                region: Set("浙江省本级".into()),
                budget_fen: Set(tender_budget),
                status: Set("published".into()),
                bid_deadline: Set(deadline),
                published_at: Set(Some(published)),
                created_at: Set(published - chrono::Duration::days(1)),
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
                created_by: Set(Some(procurement.id)),
                updated_at: Set(None),
                draft_form: Set(None),
                cancel_reason: Set(None),
                cancelled_at: Set(None),
                retender_of: Set(None),
            });
            rows.openings.push(bid_opening::ActiveModel {
                tender_id: Set(tender_id),
                opened_at: Set(opened),
                opened_by: Set(procurement.id),
            });
        }
        rows.write(db).await?;
    }
    Ok(Pay {
        officers,
        tenders,
        contracts,
        milestones: dues,
    })
}

/// The rows of a few tenders, written in one transaction (parents first).
#[derive(Default)]
struct Rows {
    tenders: Vec<tender::ActiveModel>,
    lots: Vec<tender_lot::ActiveModel>,
    openings: Vec<bid_opening::ActiveModel>,
    opened: Vec<opened_bid::ActiveModel>,
    awards: Vec<award::ActiveModel>,
    contracts: Vec<contract::ActiveModel>,
    milestones: Vec<milestone::ActiveModel>,
}

impl Rows {
    async fn write(self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let txn: DatabaseTransaction = db.begin().await?;
        insert_chunked!(&txn, tender::Entity, self.tenders);
        insert_chunked!(&txn, tender_lot::Entity, self.lots);
        insert_chunked!(&txn, bid_opening::Entity, self.openings);
        insert_chunked!(&txn, opened_bid::Entity, self.opened);
        insert_chunked!(&txn, award::Entity, self.awards);
        insert_chunked!(&txn, contract::Entity, self.contracts);
        insert_chunked!(&txn, milestone::Entity, self.milestones);
        txn.commit().await
    }
}

/// R-PAY-05, in integer fen: interest on `fen` overdue for `days` days, at the statutory 0.05%
/// a day or at an agreed annual rate / 365, rounded once to the fen, half away from zero. (An
/// independent reckoning of what the server should ask for: it computes in decimals.)
fn interest_fen(fen: i64, days: i64, annual_bp: Option<i32>) -> i64 {
    let yuan_days_fen = i128::from(fen) * i128::from(days.max(0));
    let (num, den) = match annual_bp {
        // 0.0005 = 5 / 10,000.
        None => (yuan_days_fen * 5, 10_000i128),
        // annual_pct / 100 / 365 = bp / (100 × 100 × 365).
        Some(bp) => (yuan_days_fen * i128::from(bp), 3_650_000i128),
    };
    ((2 * num + den) / (2 * den)) as i64
}

pub(crate) fn fen_text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// Who sent a request of a payable, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sender {
    /// The officer whose turn it is.
    First,
    /// The same form again, same key: a double click or a retry.
    Repeat,
    /// Another officer paying the same payable at the same moment, with a form of their own.
    SecondOfficer,
}

/// One request and what came of it.
struct Sent {
    milestone: usize,
    kind: PaymentKind,
    key: Uuid,
    officer: usize,
    sender: Sender,
    latency: Duration,
    done: Instant,
    outcome: Result<Outcome, Failure>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Paid,
    /// The payable was just paid with another key (the race's loser, R-PAY-05's "paid once").
    AlreadyPaid,
}

/// Releases every payable of every milestone from `connections` concurrent clients, then checks
/// the database.
pub async fn run(
    pay: &Pay,
    server_url: &str,
    jwt_key: &str,
    database_url: &str,
    connections: usize,
    baseline_rps: Option<f64>,
) -> Result<PayResult> {
    let now = Utc::now();
    // The day every payment is dated (the form's payment date), and interest reckoned to.
    let today = china_day(now);
    let cookies = crate::session_cookies(jwt_key, &pay.officers)?;
    // What is due on each milestone: the principal, and the interest when late.
    let expected: Vec<(i64, i64)> = pay
        .milestones
        .iter()
        .map(|d| {
            let late = (today - d.due_on).num_days();
            (
                d.payable_fen,
                interest_fen(d.payable_fen, late, d.interest_annual_bp),
            )
        })
        .collect();

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections * 6)
        .build()
        .map_err(|e| e.to_string())?;
    let jobs: Arc<Vec<(Uuid, i64, i64)>> = Arc::new(
        pay.milestones
            .iter()
            .zip(&expected)
            .map(|(d, (principal, interest))| (d.id, *principal, *interest))
            .collect(),
    );
    let cookies = Arc::new(cookies);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..connections {
        let (client, next, jobs, cookies) =
            (client.clone(), next.clone(), jobs.clone(), cookies.clone());
        let url = server_url.to_string();
        tasks.push(tokio::spawn(async move {
            let me = t % OFFICERS;
            let other = (t + 1) % OFFICERS;
            let mut seen = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(milestone, principal, interest)) = jobs.get(i) else {
                    break;
                };
                let contested = i % CONTESTED_EVERY == 1;
                let mut set = tokio::task::JoinSet::new();
                for (kind, fen) in [
                    (PaymentKind::Principal, principal),
                    (PaymentKind::Interest, interest),
                ] {
                    if fen == 0 {
                        continue;
                    }
                    let key = Uuid::now_v7();
                    let mut sends = vec![(Sender::First, me, key)];
                    if contested {
                        sends.push((Sender::Repeat, me, key));
                        sends.push((Sender::SecondOfficer, other, Uuid::now_v7()));
                    }
                    for (sender, officer, key) in sends {
                        let form = Form {
                            milestone,
                            key,
                            kind,
                            amount: fen_text(fen),
                            paid_on: today.to_string(),
                            reference: format!(
                                "BENCH{}{i:06}{}{officer}",
                                today.format("%Y%m%d"),
                                &kind.code()[..1]
                            ),
                        };
                        let (client, url, cookie) =
                            (client.clone(), url.clone(), cookies[officer].clone());
                        set.spawn(async move {
                            let sent = Instant::now();
                            let outcome = release(&client, &url, &cookie, &form).await;
                            Sent {
                                milestone: i,
                                kind,
                                key,
                                officer,
                                sender,
                                latency: sent.elapsed(),
                                done: Instant::now(),
                                outcome,
                            }
                        });
                    }
                }
                while let Some(sent) = set.join_next().await {
                    seen.push(sent.map_err(|e| e.to_string())?);
                }
            }
            Ok::<_, String>(seen)
        }));
    }
    let mut requests = Vec::new();
    for t in tasks {
        requests.extend(t.await.map_err(|e| e.to_string())??);
    }

    // Every answer is an acknowledgement or the race's refusal.
    let mut latencies = Vec::with_capacity(requests.len());
    let mut last_ack = started;
    // Per payable: the keys sent (and by whom), acknowledged, refused.
    #[derive(Default)]
    struct Tally {
        sent: HashMap<Uuid, (usize, Sender)>,
        acked: Vec<Uuid>,
        refused: Vec<Uuid>,
    }
    let mut tallies: HashMap<(usize, &'static str), Tally> = HashMap::new();
    for r in &requests {
        latencies.push(r.latency);
        let tally = tallies.entry((r.milestone, r.kind.code())).or_default();
        tally.sent.entry(r.key).or_insert((r.officer, r.sender));
        match &r.outcome {
            Ok(Outcome::Paid) => {
                tally.acked.push(r.key);
                last_ack = last_ack.max(r.done);
            }
            Ok(Outcome::AlreadyPaid) => tally.refused.push(r.key),
            Err(e) => {
                return Err(format!(
                    "payments: milestone {} ({}, {:?}): {e}",
                    r.milestone,
                    r.kind.code(),
                    r.sender
                ))
            }
        }
    }

    // The database: each payable paid exactly once, with what is due, by an acknowledged key.
    let db = app::infra::db::connect(database_url, 1)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let ids: Vec<Uuid> = pay.milestones.iter().map(|d| d.id).collect();
    let mut rows: HashMap<Uuid, milestone::Model> = HashMap::new();
    let mut payments: HashMap<Uuid, Vec<payment::Model>> = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        for m in milestone::Entity::find()
            .filter(milestone::Column::Id.is_in(chunk.to_vec()))
            .all(&db)
            .await
            .map_err(|e| e.to_string())?
        {
            rows.insert(m.id, m);
        }
        for p in payment::Entity::find()
            .filter(payment::Column::MilestoneId.is_in(chunk.to_vec()))
            .all(&db)
            .await
            .map_err(|e| e.to_string())?
        {
            payments.entry(p.milestone_id).or_default().push(p);
        }
    }
    db.close().await.ok();

    let fail = |i: usize, why: String| Err(format!("payments: milestone {i}: {why}"));
    let mut payments_found = 0;
    let (mut paid_fen, mut interest_paid_fen) = (0i64, 0i64);
    let (mut absorbed, mut refused, mut second_won, mut payables, mut contested) = (0, 0, 0, 0, 0);
    for (i, (d, (principal, interest))) in pay.milestones.iter().zip(&expected).enumerate() {
        let Some(m) = rows.get(&d.id) else {
            return fail(i, "not in the database".into());
        };
        let found = payments.remove(&d.id).unwrap_or_default();
        payments_found += found.len();
        if m.paid_fen != *principal || m.interest_paid_fen != *interest {
            return fail(
                i,
                format!(
                    "paid {} + {} interest, but {} + {} was due",
                    fen_text(m.paid_fen),
                    fen_text(m.interest_paid_fen),
                    fen_text(*principal),
                    fen_text(*interest)
                ),
            );
        }
        for (kind, due) in [
            (PaymentKind::Principal, *principal),
            (PaymentKind::Interest, *interest),
        ] {
            let paid: Vec<&payment::Model> =
                found.iter().filter(|p| p.kind == kind.code()).collect();
            let tally = tallies.remove(&(i, kind.code()));
            if due == 0 {
                if !paid.is_empty() || tally.is_some() {
                    return fail(i, format!("{} paid though none was due", kind.code()));
                }
                continue;
            }
            let Some(tally) = tally else {
                return fail(i, format!("{} never released", kind.code()));
            };
            payables += 1;
            let [row] = paid.as_slice() else {
                return fail(
                    i,
                    format!(
                        "{} payment rows for its {} (one expected): {:?}",
                        paid.len(),
                        kind.code(),
                        paid.iter()
                            .map(|p| (fen_text(p.amount_fen), p.request_key))
                            .collect::<Vec<_>>()
                    ),
                );
            };
            if row.amount_fen != due || row.paid_on != today {
                return fail(
                    i,
                    format!(
                        "its {} was paid {} on {}, but {} was due on {today}",
                        kind.code(),
                        fen_text(row.amount_fen),
                        row.paid_on,
                        fen_text(due)
                    ),
                );
            }
            let Some(&(officer, sender)) = tally.sent.get(&row.request_key) else {
                return fail(
                    i,
                    format!(
                        "its {} was paid with a key never sent: {}",
                        kind.code(),
                        row.request_key
                    ),
                );
            };
            if row.recorded_by != pay.officers[officer].id {
                return fail(
                    i,
                    format!("its {} is recorded by another officer", kind.code()),
                );
            }
            // Every acknowledged request is this payment; no refused one is.
            if let Some(lost) = tally.acked.iter().find(|k| **k != row.request_key) {
                return fail(
                    i,
                    format!(
                        "a release of its {} was acknowledged (key {lost}) but is not in the database",
                        kind.code()
                    ),
                );
            }
            if tally.acked.is_empty() {
                return fail(
                    i,
                    format!(
                        "its {} was paid but no release was acknowledged",
                        kind.code()
                    ),
                );
            }
            if tally.refused.contains(&row.request_key) {
                return fail(
                    i,
                    format!(
                        "a release of its {} was refused as already paid, though its own key paid it",
                        kind.code()
                    ),
                );
            }
            absorbed += tally.acked.len() - 1;
            refused += tally.refused.len();
            if tally.sent.len() > 1 {
                contested += 1;
                second_won += usize::from(sender == Sender::SecondOfficer);
            }
            match kind {
                PaymentKind::Principal => paid_fen += row.amount_fen,
                PaymentKind::Interest => interest_paid_fen += row.amount_fen,
            }
        }
        if let Some(extra) = found.iter().find(|p| {
            p.kind != PaymentKind::Principal.code() && p.kind != PaymentKind::Interest.code()
        }) {
            return fail(i, format!("a payment of unknown kind {:?}", extra.kind));
        }
    }
    if payments_found != payables {
        return Err(format!(
            "payments: {payments_found} payment rows for {payables} payables"
        ));
    }

    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let burst_seconds = (last_ack - started).as_secs_f64();
    let releases_per_second = if burst_seconds > 0.0 {
        payables as f64 / burst_seconds
    } else {
        0.0
    };
    Ok(PayResult {
        contracts: pay.contracts,
        milestones: pay.milestones.len(),
        late_milestones: expected.iter().filter(|(_, i)| *i > 0).count(),
        payables,
        contested_payables: contested,
        officers: OFFICERS,
        connections,
        requests: requests.len(),
        acknowledged: requests
            .iter()
            .filter(|r| matches!(r.outcome, Ok(Outcome::Paid)))
            .count(),
        duplicates_absorbed: absorbed,
        duplicates_refused: refused,
        second_officer_won: second_won,
        payments_found,
        paid_fen,
        interest_paid_fen,
        burst_seconds,
        releases_per_second,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        ratio_to_baseline: baseline_rps.map_or(0.0, |b| releases_per_second / b),
        // Filled in by the caller, which has the server process.
        server_cpu_ms_per_payment: None,
    })
}

/// The finance officer's payment form, as the contract page renders it.
pub(crate) struct Form {
    pub(crate) milestone: Uuid,
    pub(crate) key: Uuid,
    pub(crate) kind: PaymentKind,
    pub(crate) amount: String,
    pub(crate) paid_on: String,
    pub(crate) reference: String,
}

/// Posts one payment form to the page's server function.
pub(crate) async fn release(
    client: &reqwest::Client,
    url: &str,
    cookie: &str,
    form: &Form,
) -> Result<Outcome, Failure> {
    let mut fields = vec![
        ("milestone", form.milestone.to_string()),
        ("request_key", form.key.to_string()),
        ("amount", form.amount.clone()),
        ("paid_on", form.paid_on.clone()),
        ("bank_reference", form.reference.clone()),
    ];
    if form.kind == PaymentKind::Interest {
        fields.push(("kind", "interest".into()));
    }
    let response = client
        .post(format!("{url}/api/contracts/pay"))
        .header("origin", url)
        .header("cookie", cookie)
        .form(&fields)
        .send()
        .await
        .map_err(|e| Failure::NoAnswer(e.to_string()))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| Failure::NoAnswer(e.to_string()))?;
    match status.as_u16() {
        200..=299 => Ok(Outcome::Paid),
        // Lost the race while in flight: another key's payment was recorded meanwhile.
        409 if body.contains("Another payment was just recorded") => Ok(Outcome::AlreadyPaid),
        // Arrived after another key's payment: nothing is left to pay.
        409 if body.contains("no late interest outstanding") => Ok(Outcome::AlreadyPaid),
        422 if body.contains("more than the ¥0.00 outstanding") => Ok(Outcome::AlreadyPaid),
        _ => Err(Failure::Wrong(format!("{status}: {body}"))),
    }
}
