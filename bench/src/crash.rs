//! Crash safety (issue #9): the server is killed with SIGKILL in the middle of a deadline rush
//! and a payment run, started again, and killed again, several times. Afterwards every bid and
//! payment acknowledged to a client must be in the database, nothing may be half-written, and
//! the audit chain must verify.
//!
//! The clients behave as a browser does when a connection breaks: a request that got no answer
//! is sent again, unchanged, once the server is back. A bid that was saved before the kill is
//! then refused as already counted (it was submitted against version 0); a payment is found by
//! its request key and acknowledged without being paid twice.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde::Serialize;
use uuid::Uuid;

use crate::{load, pay, rush, Failure, Result};
use app::infra::entities::{audit_log, bid, bid_submission, milestone, payment};
use app::model::contracts::PaymentKind;

#[derive(clap::Args)]
pub struct CrashArgs {
    /// The server binary.
    #[arg(long)]
    server_bin: PathBuf,
    /// The built site (wasm, CSS) the server serves.
    #[arg(long)]
    site_root: PathBuf,
    /// How many times the server is killed (it then runs once more to the end).
    #[arg(long, default_value_t = 3)]
    kills: usize,
    /// Suppliers that each submit one bid on the rush's tender.
    #[arg(long, default_value_t = 1_200)]
    bidders: usize,
    /// Accepted milestones whose payment is released.
    #[arg(long, default_value_t = 400)]
    milestones: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Where to write the results as JSON.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
pub struct CrashResult {
    /// SIGKILLs sent to the server while clients were writing.
    pub faults_injected: usize,
    pub bids: usize,
    pub payments: usize,
    /// Requests sent, retries included.
    pub requests_tried: usize,
    /// Requests answered 200 (a receipt, a recorded payment).
    pub acknowledged: usize,
    /// Requests the kill left without an answer (sent again after the restart).
    pub cut_off: usize,
    /// Of the bids among those, how many the retry found already saved (a payment's retry is
    /// acknowledged either way).
    pub cut_off_bids_found_saved: usize,
    /// Items checked in the database afterwards: every bid and every payment, acknowledged or not.
    pub items_verified: usize,
    /// Acknowledged items missing or wrong afterwards (the run fails unless 0).
    pub items_lost: usize,
    /// Audit entries whose chain was verified after the last restart.
    pub audit_entries_verified: u64,
    pub seconds: f64,
}

/// One piece of work: a bidder's bid or a milestone's payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Job {
    Bid(usize),
    Pay(usize),
}

/// What the clients saw, over all the server's lives.
#[derive(Default)]
struct Seen {
    requests: usize,
    cut_off: usize,
    found_saved: usize,
    /// Per bidder: the receipt it was given.
    receipts: HashMap<usize, String>,
    /// Bidders whose retry was refused as already counted (saved before the kill).
    counted_before: HashSet<usize>,
    /// Milestones whose payment was acknowledged.
    paid: HashSet<usize>,
    /// Requests that got no answer in this life: sent again in the next.
    retry: Vec<Job>,
    /// Jobs whose last request got no answer (a retry's answer tells what became of it).
    unanswered: HashSet<Job>,
}

pub async fn run(args: CrashArgs) -> Result {
    let started = Instant::now();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}/crash.db?mode=rwc", dir.path().display());
    // The first start applies the migrations.
    load::Server::start(&args.server_bin, &args.site_root, &url, dir.path())
        .await?
        .stop();
    let db = app::infra::db::connect(&url, 2)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let now = chrono::Utc::now();
    let rush = rush::prepare(&db, args.bidders, now)
        .await
        .map_err(|e| format!("preparing the bidders: {e}"))?;
    let pay = pay::prepare(&db, args.milestones, now)
        .await
        .map_err(|e| format!("preparing the payments: {e}"))?;
    db.close().await.ok();
    let principals = pay.principals();
    // Each milestone's one payment key: a retry sends the same form again.
    let keys: Vec<Uuid> = principals.iter().map(|_| Uuid::now_v7()).collect();
    let today = app::domain::china_day(now).to_string();

    // Bids and payments interleaved, so each kill lands among both.
    let mut queue = VecDeque::new();
    let (b, p) = (args.bidders, principals.len());
    for i in 0..b.max(p) {
        if i < b {
            queue.push_back(Job::Bid(i));
        }
        if i < p {
            queue.push_back(Job::Pay(i));
        }
    }
    let total = queue.len();
    let queue = Arc::new(Mutex::new(queue));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;

    let mut faults = 0;
    for life in 0..=args.kills {
        {
            // What the last kill cut off goes first, as a browser's retry would.
            let mut seen = seen.lock().map_err(|_| "poisoned")?;
            let mut queue = queue.lock().map_err(|_| "poisoned")?;
            for job in seen.retry.drain(..).rev() {
                queue.push_front(job);
            }
        }
        let server =
            load::Server::start(&args.server_bin, &args.site_root, &url, dir.path()).await?;
        let bidder_cookies = Arc::new(crate::session_cookies(&server.jwt_key, rush.bidders())?);
        let officer_cookies = Arc::new(crate::session_cookies(&server.jwt_key, pay.officers())?);
        let answered = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for c in 0..args.connections {
            let (queue, seen, answered) = (queue.clone(), seen.clone(), answered.clone());
            let (client, base) = (client.clone(), server.url.clone());
            let (bidder_cookies, officer_cookies) =
                (bidder_cookies.clone(), officer_cookies.clone());
            let (principals, keys, today, tender) =
                (principals.clone(), keys.clone(), today.clone(), rush.tender);
            tasks.push(tokio::spawn(async move {
                loop {
                    let Some(job) = queue.lock().map_err(|_| "poisoned")?.pop_front() else {
                        return Ok::<_, String>(());
                    };
                    let answer = match job {
                        Job::Bid(i) => {
                            match rush::submit(&client, &base, tender, &bidder_cookies[i], i).await
                            {
                                Ok(rush::Outcome::Accepted { receipt }) => {
                                    Ok(Answer::Receipt(receipt))
                                }
                                Ok(rush::Outcome::AlreadyCounted) => Ok(Answer::CountedBefore),
                                Ok(rush::Outcome::RefusedDeadline) => Err(Failure::Wrong(
                                    format!("bidder {i}: refused by a deadline 30 days away"),
                                )),
                                Err(e) => Err(e),
                            }
                        }
                        Job::Pay(i) => {
                            let (milestone, fen) = principals[i];
                            let form = pay::Form {
                                milestone,
                                key: keys[i],
                                kind: PaymentKind::Principal,
                                amount: pay::fen_text(fen),
                                paid_on: today.clone(),
                                reference: format!("CRASH{i:06}"),
                            };
                            let officer = &officer_cookies[c % officer_cookies.len()];
                            match pay::release(&client, &base, officer, &form).await {
                                Ok(pay::Outcome::Paid) => Ok(Answer::Paid),
                                Ok(other) => Err(Failure::Wrong(format!(
                                    "milestone {i}: {other:?} though it was paid only with its own key"
                                ))),
                                Err(e) => Err(e),
                            }
                        }
                    };
                    let mut seen = seen.lock().map_err(|_| "poisoned")?;
                    seen.requests += 1;
                    match answer {
                        Err(Failure::NoAnswer(_)) => {
                            // The server is gone: this client stops until it is back.
                            seen.cut_off += 1;
                            seen.unanswered.insert(job);
                            seen.retry.push(job);
                            return Ok(());
                        }
                        Err(Failure::Wrong(e)) => return Err(e),
                        Ok(answer) => {
                            answered.fetch_add(1, Ordering::Relaxed);
                            let retried = seen.unanswered.remove(&job);
                            match (job, answer) {
                                (Job::Bid(i), Answer::Receipt(r)) => {
                                    seen.receipts.insert(i, r);
                                }
                                (Job::Bid(i), Answer::CountedBefore) if retried => {
                                    seen.found_saved += 1;
                                    seen.counted_before.insert(i);
                                }
                                (Job::Bid(i), _) => {
                                    return Err(format!(
                                        "bidder {i} was refused as already counted on its first try"
                                    ))
                                }
                                (Job::Pay(i), _) => {
                                    // A retried payment is acknowledged either way (found by
                                    // its key, or recorded now): the database must hold one
                                    // row with that key.
                                    seen.paid.insert(i);
                                }
                            }
                        }
                    }
                }
            }));
        }
        if life < args.kills {
            // Kill once a share of what is left has been answered: mid-stream, every life.
            let left = queue.lock().map_err(|_| "poisoned")?.len();
            let kill_after = (left / (args.kills - life + 1)).max(1);
            while answered.load(Ordering::Relaxed) < kill_after
                && !tasks.iter().all(|t| t.is_finished())
            {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            server.kill();
            faults += 1;
            eprintln!(
                "bench: crash: SIGKILL after {} answers in this life",
                answered.load(Ordering::Relaxed)
            );
            for t in tasks {
                t.await.map_err(|e| e.to_string())??;
            }
        } else {
            for t in tasks {
                t.await.map_err(|e| e.to_string())??;
            }
            server.stop();
        }
    }
    let seen = Arc::try_unwrap(seen)
        .map_err(|_| "clients still running")?
        .into_inner()
        .map_err(|_| "poisoned")?;
    let answered = seen.receipts.len() + seen.counted_before.len() + seen.paid.len();
    if answered != total || !seen.retry.is_empty() {
        return Err(format!(
            "crash: {answered} of {total} bids and payments answered after the last life"
        ));
    }

    let db = app::infra::db::connect(&url, 2)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let check = verify(&db, &rush, args.bidders, &principals, &keys, &seen).await;
    db.close().await.ok();
    let (items_verified, lost, audit_entries_verified) = check?;
    let result = CrashResult {
        faults_injected: faults,
        bids: args.bidders,
        payments: principals.len(),
        requests_tried: seen.requests,
        acknowledged: seen.receipts.len() + seen.paid.len(),
        cut_off: seen.cut_off,
        cut_off_bids_found_saved: seen.found_saved,
        items_verified,
        items_lost: lost.len(),
        audit_entries_verified,
        seconds: started.elapsed().as_secs_f64(),
    };
    eprintln!(
        "bench: crash: {} kills; {} bids and {} payments, {} requests ({} cut off by a kill, {} of \
         whose retries found the bid already saved); {} items verified, {} lost; audit chain of {} \
         entries verified; {:.1} s",
        result.faults_injected,
        result.bids,
        result.payments,
        result.requests_tried,
        result.cut_off,
        result.cut_off_bids_found_saved,
        result.items_verified,
        result.items_lost,
        result.audit_entries_verified,
        result.seconds
    );
    if let Some(out) = &args.out {
        let json = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
        std::fs::write(out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    }
    if !lost.is_empty() {
        return Err(format!(
            "crash: {} acknowledged items lost or wrong: {}",
            lost.len(),
            lost.join("; ")
        ));
    }
    Ok(())
}

enum Answer {
    Receipt(String),
    CountedBefore,
    Paid,
}

/// Checks the database against what the clients were told. Returns the items checked, what
/// was lost or wrong, and the audit entries verified.
async fn verify(
    db: &app::infra::db::Db,
    rush: &rush::Rush,
    bidders: usize,
    principals: &[(Uuid, i64)],
    keys: &[Uuid],
    seen: &Seen,
) -> Result<(usize, Vec<String>, u64)> {
    let e = |e: sea_orm::DbErr| e.to_string();
    let mut lost = Vec::new();
    let integrity = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(e)?
        .and_then(|row| row.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    if integrity != "ok" {
        lost.push(format!("SQLite's integrity check: {integrity}"));
    }

    // Bids: one per bidder, each with exactly the submissions it counts, each submission with
    // its audit entry; every receipt given is a saved submission's.
    let bids = bid::Entity::find()
        .filter(bid::Column::TenderId.eq(rush.tender))
        .all(db)
        .await
        .map_err(e)?;
    let by_org: HashMap<Uuid, &bid::Model> = bids.iter().map(|b| (b.organisation_id, b)).collect();
    let mut submissions: HashMap<Uuid, Vec<bid_submission::Model>> = HashMap::new();
    let ids: Vec<Uuid> = bids.iter().map(|b| b.id).collect();
    let audited = audit_entries(db, "bid.submit", &ids).await?;
    for chunk in ids.chunks(400) {
        for s in bid_submission::Entity::find()
            .filter(bid_submission::Column::BidId.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(e)?
        {
            submissions.entry(s.bid_id).or_default().push(s);
        }
    }
    let mut verified = 0;
    // Every bidder was answered in the end (a receipt, or its retry found it counted).
    for (i, person) in rush.bidders().iter().take(bidders).enumerate() {
        let org = person.organisation_id.unwrap_or_default();
        let Some(row) = by_org.get(&org) else {
            lost.push(format!("bidder {i}: its bid is missing"));
            continue;
        };
        let saved = submissions.get(&row.id).map_or(&[][..], Vec::as_slice);
        let audit = audited.get(&row.id.to_string()).copied().unwrap_or(0);
        if saved.len() != row.submitted_versions as usize || audit != saved.len() {
            lost.push(format!(
                "bidder {i}: the bid counts {} versions, {} are saved and {} audited (half-written)",
                row.submitted_versions,
                saved.len(),
                audit
            ));
        }
        match seen.receipts.get(&i) {
            Some(receipt) if !saved.iter().any(|s| &s.receipt == receipt) => lost.push(format!(
                "bidder {i}: its acknowledged submission is missing"
            )),
            _ if saved.len() != 1 => lost.push(format!(
                "bidder {i}: {} submissions saved, one expected",
                saved.len()
            )),
            _ => {}
        }
        verified += 1;
    }

    // Payments: each milestone paid exactly once (every one was acknowledged in the end), with
    // its own key, the amount recorded on the milestone, and one audit entry.
    let ids: Vec<Uuid> = principals.iter().map(|(id, _)| *id).collect();
    let mut paid: HashMap<Uuid, Vec<payment::Model>> = HashMap::new();
    let mut milestones: HashMap<Uuid, milestone::Model> = HashMap::new();
    let audited = audit_entries(db, "milestone.pay", &ids).await?;
    for chunk in ids.chunks(400) {
        for p in payment::Entity::find()
            .filter(payment::Column::MilestoneId.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(e)?
        {
            paid.entry(p.milestone_id).or_default().push(p);
        }
        for m in milestone::Entity::find()
            .filter(milestone::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(e)?
        {
            milestones.insert(m.id, m);
        }
    }
    for (i, ((id, fen), key)) in principals.iter().zip(keys).enumerate() {
        let rows = paid.get(id).map_or(&[][..], Vec::as_slice);
        let recorded = milestones.get(id).map_or(0, |m| m.paid_fen);
        let audit = audited.get(&id.to_string()).copied().unwrap_or(0);
        match rows {
            [row] if row.request_key == *key && row.amount_fen == *fen && recorded == *fen => {}
            _ => lost.push(format!(
                "milestone {i}: {} payment rows, {} recorded as paid of {} due (acknowledged: {})",
                rows.len(),
                pay::fen_text(recorded),
                pay::fen_text(*fen),
                seen.paid.contains(&i)
            )),
        }
        if audit != rows.len() {
            lost.push(format!(
                "milestone {i}: {} payments but {audit} audit entries (half-written)",
                rows.len()
            ));
        }
        verified += 1;
    }

    let chain = app::infra::audit::verify_chain(db)
        .await
        .map_err(|e| format!("the audit chain does not verify: {e}"))?;
    Ok((verified, lost, chain))
}

/// How many audit entries of `action` each of `ids` has (keyed by the id as the log writes it).
async fn audit_entries(
    db: &app::infra::db::Db,
    action: &str,
    ids: &[Uuid],
) -> Result<HashMap<String, usize>> {
    let mut counts = HashMap::new();
    for chunk in ids.chunks(400) {
        let chunk: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        for a in audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(action))
            .filter(audit_log::Column::EntityId.is_in(chunk))
            .all(db)
            .await
            .map_err(|e| e.to_string())?
        {
            *counts.entry(a.entity_id).or_default() += 1;
        }
    }
    Ok(counts)
}
