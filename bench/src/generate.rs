//! Fills a database with realistic volume (issue #8): agencies with their officers, suppliers
//! with their owners and SME declarations, tenders with lots and criteria, and, on the tenders
//! whose deadline has passed, what the app holds after bidding and evaluation: sealed bids,
//! openings, opened bids, evaluators' marks, awards, and contracts with their milestones and
//! payments in every state (signed only, delivered, accepted, rejected, paid on time, paid late
//! with its late-payment interest, overdue). Deterministic for a given seed (every choice; only
//! ids, nonces and the timestamps' base differ), written in batches inside write transactions,
//! then indexed for full-text search.
//!
//! Rows are written as the app's own code paths write them (`services::bids`, `services::contracts`):
//! amounts in integer fen, bids sealed with keys derived from [`BID_KEY`] (the server must be
//! started with `FAIRTENDER_BID_KEY` set to it for generated bids to open and their receipts to
//! verify), receipts signed, evaluations computed by `domain::evaluation`, due dates and interest
//! by `domain::payment`. Not written: the audit trail and notifications of those steps.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, DatabaseTransaction, EntityTrait, QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use app::domain::bid::{
    BidContent, BidDocumentRef, BidForm, DeclarationSnapshot, LotOffer, LotOfferForm,
};
use app::domain::credit_code::CreditCode;
use app::domain::evaluation::{
    evaluate_lot, BidToEvaluate, CriterionMark, DeductionTerms, PriceDeduction,
};
use app::domain::payment::{late_interest, payment_clock_start, LateInterestTerms, Payment};
use app::domain::policy::Policy;
use app::domain::publication::{Criterion, CriterionKind, EvaluationMethod, Scoring};
use app::domain::region::PROVINCES;
use app::domain::sme::{Industry, SmeDeclaration};
use app::domain::{china_day, Money, Percent};
use app::infra::entities::{
    award, bid, bid_mark, bid_mark_version, bid_opening, bid_submission, contract, lpr_rate,
    milestone, opened_bid, organisation, payment, person, sme_declaration, tender,
    tender_criterion, tender_lot,
};
use app::infra::sealing::Sealing;
use app::model::bids::{MarkLine, ScoreLine};
use app::services::bids::{make_receipt, ReceiptPayload};

/// The bid-sealing secret the generated bids are sealed with and their receipts signed with
/// (keys derive from it as in the server). Start the server with `FAIRTENDER_BID_KEY` set to it,
/// or generated bids do not open (the bidder's page, the opening) and receipts do not verify.
pub const BID_KEY: &str = "fairtender bench bid-sealing key: 64 characters, fixed, not secret";

/// How much to generate.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Volume {
    pub tenders: usize,
    pub agencies: usize,
    pub suppliers: usize,
    /// Bid rows (one per supplier and tender), on tenders whose deadline has passed.
    pub bids: usize,
    /// Signed contracts (one per awarded lot), each with 1 to 4 milestones.
    pub contracts: usize,
}

/// What was generated, for the run's checks and later workloads.
#[derive(Debug, Default, serde::Serialize)]
pub struct Generated {
    pub tenders: usize,
    pub published: usize,
    pub lots: usize,
    pub criteria: usize,
    /// Agency officers (a procurement and a finance officer each) and supplier owners.
    pub people: usize,
    pub sme_declarations: usize,
    /// Bid rows: counted, withdrawn, and drafts never submitted.
    pub bids: usize,
    pub bid_submissions: usize,
    pub openings: usize,
    pub opened_bids: usize,
    pub bid_marks: usize,
    pub awards: usize,
    pub contracts: usize,
    pub milestones: usize,
    /// Payment rows: principal and late-payment interest.
    pub payments: usize,
    pub interest_payments: usize,
    /// Milestones unpaid (wholly or in part) past their due date as of generation.
    pub overdue_milestones: usize,
    /// Milestones paid in full after their due date.
    pub paid_late_milestones: usize,
    /// Published tender ids, for the tender-page workload.
    #[serde(skip)]
    pub sample_ids: Vec<Uuid>,
    /// Owners (role `supplier_owner`, `organisation_id` set) of suppliers that have contracts,
    /// up to 200: mint their sessions with the server's key, as the rush does, for /account and
    /// /receivables.
    #[serde(skip)]
    pub contract_suppliers: Vec<person::Model>,
    /// Procurement officers (`agency_procurement`) of agencies that have contracts, up to 200,
    /// for /agency/contracts.
    #[serde(skip)]
    pub contract_agency_officers: Vec<person::Model>,
    /// Contract ids, up to 500 (party to them: the suppliers and agencies above and others).
    #[serde(skip)]
    pub contract_ids: Vec<Uuid>,
    pub seconds: f64,
}

const BATCH: usize = 400;
/// Tenders whose bids, awards and contracts go into one write transaction.
const TENDERS_PER_TXN: usize = 500;
/// Bind parameters per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535.
const PARAMS_PER_INSERT: usize = 30_000;
/// Published tenders span up to this many days back; most are history (closed, awarded,
/// contracted).
const HISTORY_DAYS: i64 = 540;
/// The rest were published within this many days: most are still open.
const CURRENT_DAYS: i64 = 30;
const SAMPLE_PEOPLE: usize = 200;
const SAMPLE_CONTRACTS: usize = 500;

const PLACES: &[&str] = &[
    "市属学校",
    "区人民医院",
    "市图书馆",
    "档案馆",
    "街道办事处",
    "市政园林",
    "水务集团",
    "疾控中心",
    "博物馆",
    "体育中心",
    "公安分局",
    "交通运输局",
    "农业农村局",
    "生态环境局",
];
const WORKS: &[&str] = &[
    "信息化运维服务",
    "办公家具采购",
    "道路养护工程",
    "绿化养护服务",
    "物业管理服务",
    "网络安全等级保护测评",
    "古籍数字化扫描服务",
    "LED 照明改造",
    "食堂食材配送",
    "安保服务",
    "服务器及存储设备采购",
    "视频监控系统升级",
    "课桌椅采购",
    "排水管网疏通",
    "空调维保服务",
    "电梯维保服务",
    "印刷服务",
    "法律顾问服务",
    "软件开发服务",
    "医疗设备维修",
];
const REQUIREMENTS: &[(&str, &str)] = &[
    ("certification", "具备 ISO 9001 质量管理体系认证"),
    ("certification", "具备 ISO 27001 信息安全管理体系认证"),
    ("licence", "具备安全生产许可证"),
    ("licence", "具备食品经营许可证"),
    ("staff_qualification", "项目负责人具有一级建造师资格"),
    ("staff_qualification", "两名持有网络工程师证书的驻场人员"),
    ("equipment_or_capacity", "具备 600 dpi 以上非接触式扫描设备"),
    ("equipment_or_capacity", "具备冷链配送车辆"),
    ("quality_management", "具备完善的质量控制流程"),
];
const APPROACHES: &[(&str, &str)] = &[
    ("technical_approach", "技术方案的完整性与可行性"),
    ("delivery_plan", "实施计划与进度保障"),
    ("after_sales_service", "售后服务响应时间"),
    ("sample_or_demonstration", "样品演示"),
];
const PROPOSALS: &[&str] = &[
    "按招标文件要求供货，含三年质保。",
    "驻场团队 5 人，7×24 小时响应，季度巡检。",
    "分两批交付，每批交付后五个工作日内完成安装调试。",
    "采用成熟方案，项目经理具备同类项目经验，提供培训与文档。",
    "本地化服务网点，故障 2 小时到场，备品备件充足。",
];
const DELIVERABLES: &[&str] = &[
    "首批交付及安装调试",
    "阶段性成果交付",
    "中期服务考核",
    "系统上线试运行",
    "第二批交付",
];
const REJECTIONS: &[(&str, &str)] = &[
    (
        "non_conforming",
        "交付的设备型号与合同约定不符，请按合同更换。",
    ),
    (
        "incomplete_delivery",
        "清单中的部分货物未到货，请补齐后重新交付。",
    ),
    ("defects", "试运行期间发现故障，请整改后重新交付。"),
    (
        "missing_documents",
        "缺少出厂合格证和检测报告，请补充后重新交付。",
    ),
];
const BANKS: &[&str] = &["ICBC", "CCB", "BOC", "ABC", "BOCOM", "CMB"];

/// A valid unified social credit code: `prefix` and `n` as its first 17 characters.
pub fn credit_code(prefix: &str, n: usize) -> String {
    let first17 = format!("{prefix}{n:09}");
    CreditCode::complete(&first17)
        .map(|c| c.to_string())
        .unwrap_or(first17)
}

/// A published tender whose deadline has passed and that was not cancelled: bids, the opening,
/// awards and contracts hang on it.
struct TenderMeta {
    id: Uuid,
    agency: usize,
    published_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
    scoring: bool,
    price_deduction_bp: Option<i32>,
    lots: Vec<LotMeta>,
}

struct LotMeta {
    id: Uuid,
    budget_fen: i64,
    /// Reserved for SMEs by the lot or the whole tender (R-SME-01).
    reserved: bool,
    criteria: Vec<CriterionMeta>,
}

struct CriterionMeta {
    id: Uuid,
    kind: &'static str,
    requirement: &'static str,
    weight_bp: Option<i32>,
}

/// What becomes of a lot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// The tender is not opened yet (its deadline passed within the last day).
    Sealed,
    /// Fewer than 3 bids (R-BID-04): no evaluation.
    Failed,
    /// Opened, being evaluated: no award yet.
    Evaluating,
    /// Awarded; the contract is not signed (yet).
    Awarded,
    /// Awarded and its contract signed.
    Contracted,
}

struct TenderPlan {
    opened_at: Option<DateTime<Utc>>,
    fates: Vec<Fate>,
    /// Bid rows on this tender.
    bidders: usize,
}

struct Supplier {
    id: Uuid,
    name: String,
    owner: person::Model,
    declaration: Option<DeclarationSnapshot>,
}

impl Supplier {
    fn is_sme(&self) -> bool {
        self.declaration
            .as_ref()
            .is_some_and(|d| d.size_class.is_sme())
    }
}

struct Agency {
    id: Uuid,
    officer: person::Model,
    finance: Uuid,
    /// The share of its payables it pays on time.
    punctuality: f64,
}

/// Everything the bid and contract rows are made from, shared with the threads that make them.
struct Ctx {
    seed: u64,
    now: DateTime<Utc>,
    today: NaiveDate,
    sealing: Sealing,
    suppliers: Vec<Supplier>,
    sme_pool: Vec<usize>,
    agencies: Vec<Agency>,
    tenders: Vec<TenderMeta>,
    plans: Vec<TenderPlan>,
    /// The 1-year LPR from each day on (`lpr_rate`), oldest first.
    lpr: Vec<(NaiveDate, i32)>,
}

/// The rows of a run of tenders, in the order they are inserted (foreign keys).
#[derive(Default)]
struct Rows {
    bids: Vec<bid::ActiveModel>,
    submissions: Vec<bid_submission::ActiveModel>,
    openings: Vec<bid_opening::ActiveModel>,
    opened: Vec<opened_bid::ActiveModel>,
    marks: Vec<bid_mark::ActiveModel>,
    /// R-REC-01: each mark as version 1 of its bid's marks.
    mark_versions: Vec<bid_mark_version::ActiveModel>,
    awards: Vec<award::ActiveModel>,
    contracts: Vec<contract::ActiveModel>,
    milestones: Vec<milestone::ActiveModel>,
    payments: Vec<payment::ActiveModel>,
    interest_payments: usize,
    overdue: usize,
    paid_late: usize,
    /// (contract, supplier index, agency index), in order.
    signed: Vec<(Uuid, usize, usize)>,
}

pub async fn generate(
    db: &app::infra::db::Db,
    volume: Volume,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<Generated, sea_orm::DbErr> {
    let started = std::time::Instant::now();
    app::infra::db::migrate(db).await?;
    // Whole seconds: every instant below is stored and read back (and signed) exactly.
    let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Generated::default();
    let history_days = history_days(now);

    let agency_ids: Vec<Uuid> = (0..volume.agencies).map(|_| Uuid::now_v7()).collect();
    let orgs = agency_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                *id,
                "agency",
                format!("{}第{i}采购单位", pick(&mut rng, PLACES)),
                credit_code("11330000", i),
            )
        })
        .chain((0..volume.suppliers).map(|i| {
            (
                Uuid::now_v7(),
                "supplier",
                format!("示范中小企业{i}有限公司"),
                credit_code("91330000", i),
            )
        }))
        .collect::<Vec<_>>();
    for chunk in orgs.chunks(BATCH) {
        let txn = db.begin().await?;
        organisation::Entity::insert_many(chunk.iter().map(|(id, kind, name, code)| {
            organisation::ActiveModel {
                id: Set(*id),
                kind: Set((*kind).into()),
                name: Set(name.clone()),
                credit_code: Set(Some(code.clone())),
                created_at: Set(now),
            }
        }))
        .exec(&txn)
        .await?;
        txn.commit().await?;
    }

    // People: a procurement and a finance officer per agency, an owner per supplier (they never
    // sign in with a password: sessions are minted, as for the rush), and the suppliers' SME
    // declarations (R-SME-04), made before any of the generated tenders.
    let person = |org: Uuid, email: String, name: String, role: &str| person::Model {
        id: Uuid::now_v7(),
        organisation_id: Some(org),
        email,
        display_name: name,
        role: role.into(),
        password_hash: None,
        token_version: 0,
        created_at: now - Duration::days(history_days + 60),
        disabled_at: None,
        disabled_by: None,
    };
    let agencies: Vec<Agency> = agency_ids
        .iter()
        .enumerate()
        .map(|(i, id)| Agency {
            id: *id,
            officer: person(
                *id,
                format!("buyer{i}@agency.bench.example.cn"),
                format!("采购经办人{i}"),
                "agency_procurement",
            ),
            finance: Uuid::now_v7(),
            punctuality: rng.gen_range(0.55..0.98),
        })
        .collect();
    let declared_at = now - Duration::days(history_days + 30);
    let suppliers: Vec<Supplier> = orgs[volume.agencies..]
        .iter()
        .enumerate()
        .map(|(i, (id, _, name, _))| {
            let owner = person(
                *id,
                format!("owner{i}@supplier.bench.example.cn"),
                format!("负责人{i}"),
                "supplier_owner",
            );
            let declaration = declaration(&mut rng).map(|d| DeclarationSnapshot {
                version: 1,
                size_class: d.size_class(),
                declaration: d,
                declared_at,
            });
            Supplier {
                id: *id,
                name: name.clone(),
                owner,
                declaration,
            }
        })
        .collect();
    let mut people: Vec<person::ActiveModel> = Vec::new();
    for (i, a) in agencies.iter().enumerate() {
        people.push(person_row(&a.officer));
        people.push(person_row(&person::Model {
            id: a.finance,
            ..person(
                a.id,
                format!("finance{i}@agency.bench.example.cn"),
                format!("财务{i}"),
                "agency_finance",
            )
        }));
    }
    people.extend(suppliers.iter().map(|s| person_row(&s.owner)));
    out.people = people.len();
    let declarations: Vec<sme_declaration::ActiveModel> = suppliers
        .iter()
        .filter_map(|s| {
            let d = s.declaration.as_ref()?;
            Some(sme_declaration::ActiveModel {
                id: Set(Uuid::now_v7()),
                organisation_id: Set(s.id),
                version: Set(d.version),
                industry: Set(d.declaration.industry.as_str().into()),
                headcount: Set(d.declaration.headcount as i32),
                annual_revenue_fen: Set(d.declaration.annual_revenue.to_fen()),
                total_assets_fen: Set(d.declaration.total_assets.to_fen()),
                size_class: Set(d.size_class.as_str().into()),
                declared_by: Set(s.owner.id),
                declared_at: Set(d.declared_at),
            })
        })
        .collect();
    out.sme_declarations = declarations.len();
    let txn = db.begin().await?;
    insert_rows(&txn, people, 8).await?;
    insert_rows(&txn, declarations, 10).await?;
    txn.commit().await?;

    let mut metas: Vec<TenderMeta> = Vec::new();
    let mut remaining = volume.tenders;
    while remaining > 0 {
        let n = remaining.min(BATCH);
        remaining -= n;
        let mut tenders = Vec::with_capacity(n);
        let mut lots = Vec::new();
        let mut criteria = Vec::new();
        for _ in 0..n {
            let id = Uuid::now_v7();
            let roll: f64 = rng.gen();
            let status = if roll < 0.05 {
                "draft"
            } else if roll < 0.07 {
                "cancelled"
            } else {
                "published"
            };
            // Two in three are history (closed, most long ago); the rest were published in the
            // last 30 days and are mostly open (about a third of all tenders, as before history
            // was generated, for the list and search workloads).
            let history = rng.gen_bool(0.65);
            let published_at = if history {
                now - Duration::minutes(
                    rng.gen_range(60 * 24 * CURRENT_DAYS..60 * 24 * history_days),
                )
            } else {
                now - Duration::minutes(rng.gen_range(0..60 * 24 * CURRENT_DAYS))
            };
            let deadline = published_at + Duration::days(rng.gen_range(20..50));
            let budget_yuan: i64 = rng.gen_range(50..8_000) * 1_000;
            let budget_fen = budget_yuan * 100;
            let reserved_whole = budget_yuan <= 2_000_000;
            let scoring = rng.gen_bool(0.7);
            let province = &PROVINCES[rng.gen_range(0..PROVINCES.len())];
            let place = pick(&mut rng, PLACES);
            let work = pick(&mut rng, WORKS);
            let title = format!(
                "{}{place}{work}（{}）",
                province.zh,
                rng.gen_range(2026..2028)
            );
            let description = format!(
                "为{place}提供{work}，服务期 {} 年，地点位于{}。投标人须满足各包的资格要求；评审只看能力，不设注册资本、营业收入、从业人员数量或业绩门槛。",
                rng.gen_range(1..4),
                province.zh
            );
            let agency = rng.gen_range(0..agencies.len());
            let price_deduction_bp = (!reserved_whole).then_some(1000);
            tenders.push(tender::ActiveModel {
                id: Set(id),
                agency_id: Set(agencies[agency].id),
                title: Set(title),
                description: Set(description),
                category: Set(["goods", "services", "works"][rng.gen_range(0..3)].into()),
                method: Set([
                    "open_tender",
                    "open_tender",
                    "competitive_consultation",
                    "competitive_negotiation",
                    "request_for_quotation",
                ][rng.gen_range(0..5)]
                .into()),
                region: Set(format!("{}本级", province.zh)),
                budget_fen: Set(budget_fen),
                status: Set(status.into()),
                bid_deadline: Set(deadline),
                published_at: Set((status != "draft").then_some(published_at)),
                created_at: Set(published_at - Duration::days(2)),
                evaluation_method: Set(if scoring {
                    "comprehensive_scoring"
                } else {
                    "lowest_evaluated_price"
                }
                .into()),
                price_weight_bp: Set(scoring.then_some(4000)),
                bid_security_fen: Set(None),
                bid_security_forms: Set(None),
                imported_goods: Set(false),
                sme_required_share_bp: Set(if reserved_whole { 0 } else { 4000 }),
                sme_small_micro_share_bp: Set(if reserved_whole { 0 } else { 6000 }),
                sme_price_deduction_bp: Set(price_deduction_bp),
                sme_consortium_deduction_bp: Set(None),
                reserved_whole: Set((status != "draft").then_some(reserved_whole)),
                created_by: Set(None),
                updated_at: Set(None),
                draft_form: Set(None),
                cancel_reason: Set((status == "cancelled").then(|| "预算调整。".to_string())),
                cancelled_at: Set(
                    (status == "cancelled").then_some((published_at + Duration::days(3)).min(now))
                ),
                retender_of: Set(None),
            });
            out.tenders += 1;
            if status == "draft" {
                continue;
            }
            out.published += 1;
            if out.sample_ids.len() < 500 {
                out.sample_ids.push(id);
            }
            // Older procurements are split into more lots (up to 7), so that their awarded lots
            // carry the volume of contracts.
            let lot_count: i32 = if history {
                1 + weighted(&mut rng, &[8, 14, 18, 20, 16, 13, 11]) as i32
            } else {
                rng.gen_range(1..=3)
            };
            let mut meta_lots = Vec::new();
            for position in 0..lot_count {
                let lot_id = Uuid::now_v7();
                let lot_budget = budget_fen / i64::from(lot_count);
                let reserved_for_sme = reserved_whole || position == 0;
                lots.push(tender_lot::ActiveModel {
                    id: Set(lot_id),
                    tender_id: Set(id),
                    position: Set(position),
                    title: Set(format!("第{}包", position + 1)),
                    budget_fen: Set(lot_budget),
                    reserved_for_sme: Set(reserved_for_sme),
                    small_micro_only: Set(false),
                });
                let pass_fail = REQUIREMENTS[rng.gen_range(0..REQUIREMENTS.len())];
                let scored = APPROACHES[rng.gen_range(0..APPROACHES.len())];
                let mut meta_criteria = Vec::new();
                for (j, ((kind, requirement), weight)) in
                    [(pass_fail, None), (scored, scoring.then_some(6000))]
                        .into_iter()
                        .enumerate()
                {
                    let criterion_id = Uuid::now_v7();
                    criteria.push(tender_criterion::ActiveModel {
                        id: Set(criterion_id),
                        lot_id: Set(lot_id),
                        position: Set(j as i32),
                        kind: Set(kind.into()),
                        requirement: Set(requirement.into()),
                        weight_bp: Set(weight),
                        withdrawn_at: Set(None),
                    });
                    meta_criteria.push(CriterionMeta {
                        id: criterion_id,
                        kind,
                        requirement,
                        weight_bp: weight,
                    });
                }
                meta_lots.push(LotMeta {
                    id: lot_id,
                    budget_fen: lot_budget,
                    reserved: reserved_for_sme,
                    criteria: meta_criteria,
                });
            }
            if status == "published" && deadline < now {
                metas.push(TenderMeta {
                    id,
                    agency,
                    published_at,
                    deadline,
                    scoring,
                    price_deduction_bp,
                    lots: meta_lots,
                });
            }
        }
        out.lots += lots.len();
        out.criteria += criteria.len();
        let txn = db.begin().await?;
        tender::Entity::insert_many(tenders).exec(&txn).await?;
        for chunk in lots.chunks(BATCH) {
            tender_lot::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        for chunk in criteria.chunks(BATCH) {
            tender_criterion::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
    }

    // What becomes of each closed tender and lot, and how many bid on it.
    let plans = plan(&metas, &suppliers, volume, now, &mut rng);
    let lpr = lpr_rate::Entity::find()
        .order_by_asc(lpr_rate::Column::EffectiveOn)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.effective_on, r.rate_bp))
        .collect();
    let sme_pool = (0..suppliers.len())
        .filter(|&i| suppliers[i].is_sme())
        .collect();
    let ctx = Arc::new(Ctx {
        seed,
        now,
        today: china_day(now),
        sealing: Sealing::new(BID_KEY.as_bytes()),
        suppliers,
        sme_pool,
        agencies,
        tenders: metas,
        plans,
        lpr,
    });

    // The rows of one run of tenders are made on a blocking thread while the previous run is
    // written (sealing and signing take as long as the inserts).
    let build = |range: Range<usize>| {
        let ctx = Arc::clone(&ctx);
        tokio::task::spawn_blocking(move || {
            let mut rows = Rows::default();
            for i in range {
                tender_rows(&ctx, i, &mut rows);
            }
            rows
        })
    };
    let total = ctx.tenders.len();
    let mut next = Some(build(0..total.min(TENDERS_PER_TXN)));
    let mut start = 0;
    let mut supplier_seen = HashSet::new();
    let mut agency_seen = HashSet::new();
    while let Some(building) = next.take() {
        let rows = building
            .await
            .map_err(|e| sea_orm::DbErr::Custom(format!("making bid rows: {e}")))?;
        start += TENDERS_PER_TXN;
        if start < total {
            next = Some(build(start..total.min(start + TENDERS_PER_TXN)));
        }
        for (contract_id, supplier, agency) in &rows.signed {
            if out.contract_ids.len() < SAMPLE_CONTRACTS {
                out.contract_ids.push(*contract_id);
            }
            if out.contract_suppliers.len() < SAMPLE_PEOPLE && supplier_seen.insert(*supplier) {
                out.contract_suppliers
                    .push(ctx.suppliers[*supplier].owner.clone());
            }
            if out.contract_agency_officers.len() < SAMPLE_PEOPLE && agency_seen.insert(*agency) {
                out.contract_agency_officers
                    .push(ctx.agencies[*agency].officer.clone());
            }
        }
        out.bids += rows.bids.len();
        out.bid_submissions += rows.submissions.len();
        out.openings += rows.openings.len();
        out.opened_bids += rows.opened.len();
        out.bid_marks += rows.marks.len();
        out.awards += rows.awards.len();
        out.contracts += rows.contracts.len();
        out.milestones += rows.milestones.len();
        out.payments += rows.payments.len();
        out.interest_payments += rows.interest_payments;
        out.overdue_milestones += rows.overdue;
        out.paid_late_milestones += rows.paid_late;
        let txn = db.begin().await?;
        insert_rows(&txn, rows.bids, 9).await?;
        insert_rows(&txn, rows.submissions, 9).await?;
        insert_rows(&txn, rows.openings, 3).await?;
        insert_rows(&txn, rows.opened, 15).await?;
        insert_rows(&txn, rows.marks, 7).await?;
        insert_rows(&txn, rows.mark_versions, 8).await?;
        insert_rows(&txn, rows.awards, 9).await?;
        insert_rows(&txn, rows.contracts, 18).await?;
        insert_rows(&txn, rows.milestones, 20).await?;
        insert_rows(&txn, rows.payments, 9).await?;
        txn.commit().await?;
    }

    // The search index, as a server start would build it.
    let txn = db.begin().await?;
    app::infra::search::index_missing(&txn).await?;
    txn.commit().await?;
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}

/// Days of history: up to [`HISTORY_DAYS`], but from the first year of the server's built-in
/// working-day calendar on (before it, every page that counts working days, such as a contract's
/// publication deadline, falls back to weekdays and logs a warning each time).
fn history_days(now: DateTime<Utc>) -> i64 {
    use chrono::Datelike;
    let Ok(calendar) = app::infra::calendar::load(None) else {
        return HISTORY_DAYS;
    };
    let years: HashSet<i32> = calendar.years().collect();
    let today = china_day(now);
    let mut first = today.year();
    while years.contains(&(first - 1)) {
        first -= 1;
    }
    let start = NaiveDate::from_ymd_opt(first, 1, 2).unwrap_or(today);
    (today - start)
        .num_days()
        .clamp(CURRENT_DAYS + 120, HISTORY_DAYS)
}

/// Inserts `rows` as multi-row INSERTs of as many rows as the bind-parameter limit allows.
async fn insert_rows<A>(
    txn: &DatabaseTransaction,
    rows: Vec<A>,
    columns: usize,
) -> Result<(), sea_orm::DbErr>
where
    A: ActiveModelTrait + Send,
{
    let per = (PARAMS_PER_INSERT / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

fn person_row(p: &person::Model) -> person::ActiveModel {
    person::ActiveModel {
        id: Set(p.id),
        organisation_id: Set(p.organisation_id),
        email: Set(p.email.clone()),
        display_name: Set(p.display_name.clone()),
        role: Set(p.role.clone()),
        password_hash: Set(p.password_hash.clone()),
        token_version: Set(p.token_version),
        created_at: Set(p.created_at),
        disabled_at: Set(None),
        disabled_by: Set(None),
    }
}

/// A supplier's SME declaration (facts; the platform computes the size class), or none (one in
/// twenty: it then counts as large).
fn declaration(rng: &mut StdRng) -> Option<SmeDeclaration> {
    const INDUSTRIES: &[Industry] = &[
        Industry::SoftwareAndIt,
        Industry::Industrial,
        Industry::Construction,
        Industry::LeasingAndBusinessServices,
        Industry::PropertyManagement,
        Industry::Wholesale,
        Industry::Retail,
        Industry::Catering,
        Industry::Transport,
    ];
    let wan = |n: i64| Money::from_fen(n * 10_000 * 100);
    // Micro, small, medium, large, none.
    let (headcount, revenue, assets) = match weighted(rng, &[35, 33, 15, 12, 5]) {
        0 => (
            rng.gen_range(2..9),
            wan(rng.gen_range(20..90)),
            wan(rng.gen_range(20..200)),
        ),
        1 => (
            rng.gen_range(20..90),
            wan(rng.gen_range(300..2_000)),
            wan(rng.gen_range(300..4_000)),
        ),
        2 => (
            rng.gen_range(150..290),
            wan(rng.gen_range(5_000..15_000)),
            wan(rng.gen_range(6_000..40_000)),
        ),
        3 => (
            rng.gen_range(1_200..6_000),
            wan(rng.gen_range(50_000..300_000)),
            wan(rng.gen_range(100_000..500_000)),
        ),
        _ => return None,
    };
    Some(SmeDeclaration {
        industry: INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())],
        headcount,
        annual_revenue: revenue,
        total_assets: assets,
    })
}

/// Decides every closed tender's opening, every lot's fate (exactly `volume.contracts` lots
/// contracted, drawn uniformly among those opened at least 12 days ago) and how many suppliers
/// bid on each tender (`volume.bids` in all).
fn plan(
    metas: &[TenderMeta],
    suppliers: &[Supplier],
    volume: Volume,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> Vec<TenderPlan> {
    let sme = suppliers.iter().filter(|s| s.is_sme()).count();
    let mut plans: Vec<TenderPlan> = metas
        .iter()
        .map(|m| TenderPlan {
            // Opened a few minutes to hours after the deadline; a tender that closed within
            // the last day is not opened yet.
            opened_at: (m.deadline <= now - Duration::days(1))
                .then(|| m.deadline + Duration::seconds(rng.gen_range(300..3 * 3600))),
            fates: vec![Fate::Sealed; m.lots.len()],
            bidders: 0,
        })
        .collect();
    if sme < 3 {
        return plans;
    }
    let ripe = now - Duration::days(12);
    let mut eligible: usize = metas
        .iter()
        .zip(&plans)
        .filter(|(_, p)| p.opened_at.is_some_and(|o| o <= ripe))
        .map(|(m, _)| m.lots.len())
        .sum();
    let mut wanted = volume.contracts;
    for p in &mut plans {
        let Some(opened) = p.opened_at else { continue };
        let recent = opened > now - Duration::days(45);
        for fate in &mut p.fates {
            if opened <= ripe {
                // Selection sampling: exactly `volume.contracts`, uniformly.
                let take = wanted > 0 && rng.gen_range(0..eligible) < wanted;
                eligible -= 1;
                if take {
                    wanted -= 1;
                    *fate = Fate::Contracted;
                    continue;
                }
            }
            let roll: f64 = rng.gen();
            *fate = if recent {
                if roll < 0.25 && opened <= now - Duration::days(2) {
                    Fate::Awarded
                } else if roll < 0.7 {
                    Fate::Evaluating
                } else {
                    Fate::Failed
                }
            } else if roll < 0.03 {
                // Awarded long ago, never signed (R-AWARD-01's deadline missed).
                Fate::Awarded
            } else {
                Fate::Failed
            };
        }
    }
    // Bidders: at least 3 where a lot goes on to evaluation, a fixed 0 to 2 where every lot
    // failed, at least 1 on a tender not opened yet; the rest of `volume.bids` shared out.
    let cap = (suppliers.len() / 3).clamp(3, 120).min(sme.max(3));
    let mut weights = Vec::new();
    for (i, p) in plans.iter_mut().enumerate() {
        let all_failed = p.fates.iter().all(|f| *f == Fate::Failed);
        if p.opened_at.is_some() && all_failed {
            p.bidders = rng.gen_range(0..=2);
        } else {
            p.bidders = if p.opened_at.is_some() { 3 } else { 1 };
            let lots = metas[i].lots.len() as f64;
            weights.push((i, rng.gen_range(0.3..1.7) * lots.sqrt()));
        }
    }
    let assigned: usize = plans.iter().map(|p| p.bidders).sum();
    let mut extra = volume.bids.saturating_sub(assigned);
    let total_weight: f64 = weights.iter().map(|(_, w)| w).sum();
    if total_weight > 0.0 {
        let share = extra as f64 / total_weight;
        for (i, w) in &weights {
            let add = ((share * w) as usize)
                .min(cap - plans[*i].bidders)
                .min(extra);
            plans[*i].bidders += add;
            extra -= add;
        }
        // What rounding (or the cap) left, one at a time.
        while extra > 0 {
            let before = extra;
            for (i, _) in &weights {
                if extra > 0 && plans[*i].bidders < cap {
                    plans[*i].bidders += 1;
                    extra -= 1;
                }
            }
            if extra == before {
                break;
            }
        }
    }
    plans
}

/// How a supplier's bid on a tender ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BidEnd {
    Counted,
    Withdrawn,
    DraftOnly,
}

/// What `services::bids` stores of one lot of an opened bid (its `LotPart`).
#[derive(Serialize)]
struct LotPart<'a> {
    answers: Vec<Option<Uuid>>,
    proposal: &'a str,
    documents: Vec<BidDocumentRef>,
}

/// An evaluator's mark of one criterion: passed (pass/fail), points in hundredths (scored), the
/// reason.
type Mark = (Option<bool>, Option<i32>, &'static str);

/// One counted bid's part of a lot, at the opening.
struct Entry {
    opened_id: Uuid,
    bidder: usize,
    price_fen: i64,
    submitted_at: DateTime<Utc>,
    deduction_bp: i32,
}

/// The bids, opening, evaluation, awards and contracts of tender `i`.
fn tender_rows(ctx: &Ctx, i: usize, rows: &mut Rows) {
    let m = &ctx.tenders[i];
    let p = &ctx.plans[i];
    let agency = &ctx.agencies[m.agency];
    if p.bidders == 0 {
        // Opened with no bid at all: every lot failed (R-BID-04).
        if let Some(opened_at) = p.opened_at {
            rows.openings.push(bid_opening::ActiveModel {
                tender_id: Set(m.id),
                opened_at: Set(opened_at),
                opened_by: Set(agency.officer.id),
            });
        }
        return;
    }
    let mut rng =
        StdRng::seed_from_u64(ctx.seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let open_lot = |l: usize| p.fates[l] != Fate::Failed;
    // A large firm bids only where a lot it may bid on goes on (R-SME-01).
    let large_welcome = (0..m.lots.len()).any(|l| open_lot(l) && !m.lots[l].reserved);
    let mut chosen: Vec<usize> = Vec::with_capacity(p.bidders);
    let mut tries = 0;
    while chosen.len() < p.bidders && tries < 100 * p.bidders {
        tries += 1;
        let s = if chosen.len() < 3 || !large_welcome {
            ctx.sme_pool[rng.gen_range(0..ctx.sme_pool.len())]
        } else {
            rng.gen_range(0..ctx.suppliers.len())
        };
        if !chosen.contains(&s) {
            chosen.push(s);
        }
    }
    let all_failed = p.opened_at.is_some() && p.fates.iter().all(|f| *f == Fate::Failed);
    let ends: Vec<BidEnd> = (0..chosen.len())
        .map(|j| {
            let roll: f64 = rng.gen();
            if j < 3 || all_failed {
                BidEnd::Counted
            } else if roll < 0.02 {
                BidEnd::Withdrawn
            } else if roll < 0.03 {
                BidEnd::DraftOnly
            } else {
                BidEnd::Counted
            }
        })
        .collect();
    let sme = |j: usize| ctx.suppliers[chosen[j]].is_sme();
    let may_bid = |j: usize, l: usize| sme(j) || !m.lots[l].reserved;
    let counted: Vec<usize> = (0..chosen.len())
        .filter(|&j| ends[j] == BidEnd::Counted)
        .collect();
    // Which lots each bidder bids on.
    let mut lots_of: Vec<Vec<usize>> = vec![Vec::new(); chosen.len()];
    for (l, fate) in p.fates.iter().enumerate() {
        let mut eligible: Vec<usize> = counted.iter().copied().filter(|&j| may_bid(j, l)).collect();
        let share =
            |rng: &mut StdRng| (counted.len() as f64 * rng.gen_range(0.35..1.0)).round() as usize;
        let n = match fate {
            Fate::Failed => rng.gen_range(0..=2),
            Fate::Sealed => share(&mut rng).max(1),
            _ => share(&mut rng).max(3),
        }
        .min(eligible.len());
        let (taken, _) = eligible.partial_shuffle(&mut rng, n);
        for &j in taken.iter() {
            lots_of[j].push(l);
        }
    }
    for j in 0..chosen.len() {
        if !lots_of[j].is_empty() {
            continue;
        }
        // A bidder on no lot yet: one that goes on (and so takes another bid), or, where every
        // lot failed, one with room under 3 bids.
        let candidates: Vec<usize> = (0..m.lots.len())
            .filter(|&l| may_bid(j, l))
            .filter(|&l| {
                open_lot(l)
                    || ends[j] != BidEnd::Counted
                    || lots_of.iter().filter(|ls| ls.contains(&l)).count() < 2
            })
            .collect();
        if let Some(&l) = candidates.choose(&mut rng) {
            lots_of[j].push(l);
        }
    }
    // R-BID-01: the tender's key exists only after its deadline, which has passed.
    let Ok(tender_key) = ctx.sealing.tender_key(m.id, m.deadline, ctx.now) else {
        return;
    };
    let proposal = pick(&mut rng, PROPOSALS);
    let window = (m.deadline - m.published_at - Duration::hours(1))
        .num_seconds()
        .max(120);
    let mut entries: Vec<Vec<Entry>> = (0..m.lots.len()).map(|_| Vec::new()).collect();
    for (j, &s) in chosen.iter().enumerate() {
        if lots_of[j].is_empty() {
            continue;
        }
        lots_of[j].sort_unstable();
        let supplier = &ctx.suppliers[s];
        let bid_id = Uuid::now_v7();
        let prices: Vec<i64> = lots_of[j]
            .iter()
            .map(|&l| {
                let budget = m.lots[l].budget_fen;
                ((budget as f64 * rng.gen_range(0.70..0.995)) as i64 / 100 * 100).clamp(100, budget)
            })
            .collect();
        let offers = |prices: &[i64]| -> Vec<LotOffer> {
            lots_of[j]
                .iter()
                .zip(prices)
                .map(|(&l, &fen)| LotOffer {
                    lot: l,
                    price: Money::from_fen(fen),
                    answers: vec![None; m.lots[l].criteria.len()],
                })
                .collect()
        };
        // Bids come in close to the deadline.
        let last = m.deadline
            - Duration::seconds(((window as f64) * rng.gen::<f64>().powi(3)) as i64)
                .max(Duration::seconds(60));
        let key = ctx.sealing.bidder_key(supplier.id, m.id);
        let created_by = supplier.owner.id;
        let row = |created: DateTime<Utc>, updated, draft, versions, withdrawn| bid::ActiveModel {
            id: Set(bid_id),
            tender_id: Set(m.id),
            organisation_id: Set(supplier.id),
            created_by: Set(created_by),
            created_at: Set(created),
            updated_at: Set(updated),
            draft: Set(draft),
            submitted_versions: Set(versions),
            withdrawn_at: Set(withdrawn),
        };
        if ends[j] == BidEnd::DraftOnly {
            // Saved, never submitted: the draft as typed, sealed with the bidder's key.
            let mut form = BidForm {
                lots: vec![LotOfferForm::default(); m.lots.len()],
                proposal: proposal.to_string(),
                partners: Vec::new(),
                bid_security_form: String::new(),
            };
            for (&l, &fen) in lots_of[j].iter().zip(&prices) {
                form.lots[l] = LotOfferForm {
                    include: Some("on".into()),
                    price: Money::from_fen(fen).amount().to_string(),
                    answers: vec![String::new(); m.lots[l].criteria.len()],
                };
            }
            let json = serde_json::to_vec(&form).unwrap_or_default();
            let created = last - Duration::days(rng.gen_range(1..4));
            let created = created.max(m.published_at + Duration::minutes(5));
            rows.bids.push(row(
                created,
                last,
                Some(ctx.sealing.seal(&key, bid_id, &json)),
                0,
                None,
            ));
            continue;
        }
        // A tenth replaced their first version before the deadline.
        let mut times = vec![last];
        if ends[j] == BidEnd::Counted && rng.gen_bool(0.1) {
            let first = last - Duration::minutes(rng.gen_range(60..60 * 24 * 5));
            if first > m.published_at + Duration::minutes(10) {
                times.insert(0, first);
            }
        }
        let created = (times[0] - Duration::minutes(rng.gen_range(5..60 * 48)))
            .max(m.published_at + Duration::minutes(5))
            .min(times[0]);
        let mut withdrawn = None;
        if ends[j] == BidEnd::Withdrawn {
            let left = (m.deadline - last).num_seconds().max(2);
            withdrawn = Some(last + Duration::seconds(rng.gen_range(1..left)));
        }
        let versions = times.len() as i32;
        for (v, &at) in times.iter().enumerate() {
            let version = v as i32 + 1;
            // The first of two versions was 2% dearer (within the ceiling).
            let these: Vec<i64> = if version < versions {
                lots_of[j]
                    .iter()
                    .zip(&prices)
                    .map(|(&l, &fen)| (fen + fen / 50).min(m.lots[l].budget_fen))
                    .collect()
            } else {
                prices.clone()
            };
            let content = BidContent {
                tender_id: m.id,
                supplier_id: supplier.id,
                supplier_name: supplier.name.clone(),
                lots: offers(&these),
                proposal: proposal.to_string(),
                subcontract_share: None,
                partners: Vec::new(),
                sme_declaration: supplier.declaration.clone(),
                documents: Vec::new(),
                bid_security_form: None,
                submitted_at: at,
                // Sealed the way bids were before issue #35 (no salt, bound to the bid alone):
                // the server still opens them.
                salt: None,
            };
            let canonical = serde_json::to_vec(&content).unwrap_or_default();
            let digest = app::domain::audit::digest_of(&content);
            let receipt = make_receipt(
                &ctx.sealing,
                &ReceiptPayload {
                    tender: m.id,
                    bid: bid_id,
                    supplier: supplier.id,
                    version,
                    submitted_at: at,
                    digest: digest.clone(),
                },
            )
            .expect("a receipt's payload always serialises");
            rows.submissions.push(bid_submission::ActiveModel {
                id: Set(Uuid::now_v7()),
                bid_id: Set(bid_id),
                version: Set(version),
                submitted_at: Set(at),
                submitted_by: Set(created_by),
                sealed: Set(ctx.sealing.seal(&tender_key, bid_id, &canonical)),
                own_copy: Set(ctx.sealing.seal(&key, bid_id, &canonical)),
                digest: Set(digest.clone()),
                receipt: Set(receipt),
            });
        }
        rows.bids.push(row(
            created,
            withdrawn.unwrap_or(last),
            None,
            versions,
            withdrawn,
        ));
        if ends[j] != BidEnd::Counted || p.opened_at.is_none() {
            continue;
        }
        // The opening reads the counted version's lots into `opened_bid`.
        let size = supplier.declaration.as_ref().map(|d| d.size_class);
        let declaration = supplier
            .declaration
            .as_ref()
            .map(|d| serde_json::to_string(d).unwrap_or_default());
        for (&l, &fen) in lots_of[j].iter().zip(&prices) {
            let lot = &m.lots[l];
            let deduction = PriceDeduction::decide(
                &Policy::CHINA,
                &DeductionTerms {
                    price_deduction: m.price_deduction_bp.map(|bp| Percent::from_bp(bp).value()),
                    consortium_deduction: None,
                    reserved: lot.reserved,
                },
                size,
                None,
            );
            // The lot's part of the bid as submitted (`LotPart`).
            let content = serde_json::to_string(&LotPart {
                answers: vec![None; lot.criteria.len()],
                proposal,
                documents: Vec::new(),
            })
            .unwrap_or_default();
            let opened_id = Uuid::now_v7();
            let deduction_bp = Percent::new(deduction.pct)
                .to_bp_truncated()
                .expect("an R-SME-03 deduction fits in basis points");
            rows.opened.push(opened_bid::ActiveModel {
                id: Set(opened_id),
                tender_id: Set(m.id),
                lot_id: Set(lot.id),
                bid_id: Set(bid_id),
                organisation_id: Set(supplier.id),
                supplier_name: Set(supplier.name.clone()),
                version: Set(versions),
                submitted_at: Set(last),
                price_fen: Set(fen),
                size_class: Set(size.map(|s| s.as_str().to_string())),
                declaration: Set(declaration.clone()),
                subcontract_share_bp: Set(None),
                partners: Set(None),
                deduction_bp: Set(deduction_bp),
                content: Set(content),
            });
            entries[l].push(Entry {
                opened_id,
                bidder: j,
                price_fen: fen,
                submitted_at: last,
                deduction_bp,
            });
        }
    }
    let Some(opened_at) = p.opened_at else {
        return;
    };
    rows.openings.push(bid_opening::ActiveModel {
        tender_id: Set(m.id),
        opened_at: Set(opened_at),
        opened_by: Set(agency.officer.id),
    });
    let since_opening = ctx.now - opened_at;
    for (l, fate) in p.fates.iter().enumerate() {
        if !matches!(fate, Fate::Awarded | Fate::Contracted) || entries[l].len() < 3 {
            continue;
        }
        let decided_at = if *fate == Fate::Contracted || since_opening > Duration::days(45) {
            let most = (since_opening.num_minutes() / 2).min(60 * 24 * 20);
            opened_at + Duration::minutes(rng.gen_range(60 * 24..=most.max(60 * 24)))
        } else {
            let most = (since_opening.num_minutes() - 60).max(61);
            opened_at + Duration::minutes(rng.gen_range(60..most))
        };
        let Some((winner, evaluation)) = evaluate(
            ctx,
            m,
            l,
            &mut entries[l],
            &chosen,
            opened_at,
            decided_at,
            &mut rng,
            rows,
        ) else {
            continue;
        };
        let supplier = chosen[entries[l][winner].bidder];
        let price_fen = entries[l][winner].price_fen;
        rows.awards.push(award::ActiveModel {
            lot_id: Set(m.lots[l].id),
            tender_id: Set(m.id),
            opened_bid_id: Set(entries[l][winner].opened_id),
            organisation_id: Set(ctx.suppliers[supplier].id),
            // R-SME-03: the contract is at the bid price, not the evaluated price.
            price_fen: Set(price_fen),
            decided_at: Set(decided_at),
            decided_by: Set(agency.officer.id),
            notice_published_at: Set(decided_at),
            evaluation: Set(evaluation),
        });
        if *fate == Fate::Contracted {
            contract_rows(ctx, m, l, supplier, price_fen, decided_at, &mut rng, rows);
        }
    }
}

/// Marks every opened bid on lot `l` on every criterion and evaluates the lot as
/// `services::bids::award` does: the winner's index in `entries` and the evaluation as decided.
#[allow(clippy::too_many_arguments)]
fn evaluate(
    ctx: &Ctx,
    m: &TenderMeta,
    l: usize,
    entries: &mut [Entry],
    chosen: &[usize],
    opened_at: DateTime<Utc>,
    decided_at: DateTime<Utc>,
    rng: &mut StdRng,
    rows: &mut Rows,
) -> Option<(usize, String)> {
    let lot = &m.lots[l];
    // The evaluation's order: as `scored_lot` reads them.
    entries.sort_by_key(|e| (e.submitted_at, e.opened_id));
    let mut marks: Vec<Vec<Mark>> = entries
        .iter()
        .map(|_| {
            lot.criteria
                .iter()
                .map(|c| match c.weight_bp {
                    None if rng.gen_bool(0.05) => {
                        (Some(false), None, "投标文件未提供相应证明材料。")
                    }
                    None => (Some(true), None, ""),
                    Some(w) => (
                        None,
                        Some(rng.gen_range(w / 2..=w) / 50 * 50),
                        "方案完整，措施具体可行。",
                    ),
                })
                .collect()
        })
        .collect();
    // Someone passes every pass/fail requirement, or the lot could not be awarded.
    if !marks
        .iter()
        .any(|ms| ms.iter().all(|(passed, _, _)| *passed != Some(false)))
    {
        for mark in &mut marks[0] {
            if mark.0 == Some(false) {
                *mark = (Some(true), None, "");
            }
        }
    }
    let marked_span = (decided_at - opened_at).num_minutes().max(2);
    let evaluator = ctx.agencies[m.agency].officer.id;
    for (e, ms) in entries.iter().zip(&marks) {
        let marked_at = opened_at + Duration::minutes(rng.gen_range(1..marked_span));
        for (c, (passed, score_bp, reason)) in lot.criteria.iter().zip(ms) {
            rows.marks.push(bid_mark::ActiveModel {
                opened_bid_id: Set(e.opened_id),
                criterion_id: Set(c.id),
                passed: Set(*passed),
                score_bp: Set(*score_bp),
                reason: Set((*reason).into()),
                marked_by: Set(evaluator),
                marked_at: Set(marked_at),
            });
            rows.mark_versions.push(bid_mark_version::ActiveModel {
                opened_bid_id: Set(e.opened_id),
                version: Set(1),
                criterion_id: Set(c.id),
                passed: Set(*passed),
                score_bp: Set(*score_bp),
                reason: Set((*reason).into()),
                marked_by: Set(evaluator),
                marked_at: Set(marked_at),
            });
        }
    }
    let method = if m.scoring {
        EvaluationMethod::ComprehensiveScoring {
            price_weight: Percent::from_bp(4000).value(),
        }
    } else {
        EvaluationMethod::LowestEvaluatedPrice
    };
    let plan: Vec<Criterion> = lot
        .criteria
        .iter()
        .map(|c| Criterion {
            kind: CriterionKind::parse(c.kind).unwrap_or(CriterionKind::TechnicalApproach),
            requirement: c.requirement.into(),
            scoring: match c.weight_bp {
                Some(bp) => Scoring::Scored {
                    weight: Percent::from_bp(bp).value(),
                },
                None => Scoring::PassFail,
            },
        })
        .collect();
    let inputs: Vec<BidToEvaluate> = entries
        .iter()
        .zip(&marks)
        .map(|(e, ms)| BidToEvaluate {
            id: e.opened_id,
            price: Money::from_fen(e.price_fen),
            deduction_pct: Percent::from_bp(e.deduction_bp).value(),
            submitted_at: e.submitted_at,
            marks: ms
                .iter()
                .map(|(passed, score_bp, _)| CriterionMark {
                    passed: *passed,
                    score: score_bp.map(|bp| Percent::from_bp(bp).value()),
                })
                .collect(),
        })
        .collect();
    let result = evaluate_lot(method, &plan, Money::from_fen(lot.budget_fen), &inputs).ok()?;
    let snapshot: Vec<(Uuid, Uuid, ScoreLine)> = entries
        .iter()
        .zip(&marks)
        .map(|(e, ms)| {
            let supplier = &ctx.suppliers[chosen[e.bidder]];
            let r = result.bid(e.opened_id);
            let line = ScoreLine {
                supplier_name: supplier.name.clone(),
                price: Money::from_fen(e.price_fen),
                deduction: Percent::from_bp(e.deduction_bp).value(),
                evaluated_price: r.map_or(Money::from_fen(e.price_fen), |r| r.evaluated_price),
                technical_score: r.map_or(Percent::from_bp(0).value(), |r| r.technical_score),
                price_score: r.and_then(|r| r.price_score),
                total: r.and_then(|r| r.total),
                qualified: r.is_some_and(|r| r.qualified),
                rank: r.and_then(|r| r.rank).and_then(|n| u32::try_from(n).ok()),
                marks: lot
                    .criteria
                    .iter()
                    .zip(ms)
                    .map(|(c, (passed, score_bp, reason))| MarkLine {
                        requirement: c.requirement.into(),
                        passed: *passed,
                        score: score_bp.map(|bp| Percent::from_bp(bp).value()),
                        weight: c.weight_bp.map(|bp| Percent::from_bp(bp).value()),
                        reason: (*reason).into(),
                    })
                    .collect(),
            };
            (e.opened_id, supplier.id, line)
        })
        .collect();
    let winner = result.winner()?.id;
    let index = entries.iter().position(|e| e.opened_id == winner)?;
    Some((index, serde_json::to_string(&snapshot).ok()?))
}

/// The 1-year LPR in force on `day` (%, in basis points), as `lpr_rate` holds it.
fn lpr_on(ctx: &Ctx, day: NaiveDate) -> i32 {
    ctx.lpr
        .iter()
        .rev()
        .find(|(from, _)| *from <= day)
        .or(ctx.lpr.first())
        .map_or(300, |(_, bp)| *bp)
}

/// An instant on a China calendar day, at `minute` minutes past midnight there.
fn at_china(day: NaiveDate, minute: i64) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8)
        + Duration::minutes(minute)
}

/// In office hours on a China day.
fn office_hours(day: NaiveDate, rng: &mut StdRng) -> DateTime<Utc> {
    at_china(day, rng.gen_range(9 * 60..18 * 60))
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// The contract of an awarded lot (as `services::contracts::create` signs it), its milestones as
/// delivered, accepted or rejected since, and the payments released on them.
#[allow(clippy::too_many_arguments)]
fn contract_rows(
    ctx: &Ctx,
    m: &TenderMeta,
    l: usize,
    supplier: usize,
    value_fen: i64,
    decided_at: DateTime<Utc>,
    rng: &mut StdRng,
    rows: &mut Rows,
) {
    let agency = &ctx.agencies[m.agency];
    let (now, today) = (ctx.now, ctx.today);
    // R-AWARD-01: signed within 30 days of the award, published within 2 working days.
    let room = (now - decided_at - Duration::hours(1))
        .num_minutes()
        .max(61);
    let signed_at = decided_at + Duration::minutes(rng.gen_range(60..=room.min(60 * 24 * 28)));
    let signed_on = china_day(signed_at);
    let published_at = Some(signed_at + Duration::minutes(rng.gen_range(60..60 * 40)))
        .filter(|p| *p <= now && rng.gen_bool(0.98));
    let term_days: i32 = [30, 30, 30, 30, 30, 30, 15, 20, 45, 60][rng.gen_range(0..10)];
    let acceptance_days: i32 = [10, 10, 10, 10, 10, 5, 7, 7, 15, 30][rng.gen_range(0..10)];
    let lpr_bp = lpr_on(ctx, signed_on);
    // R-PAY-05: a quarter agree a rate (never below the LPR at signing); the rest leave the
    // statutory 0.05% a day.
    let interest_bp = rng
        .gen_bool(0.25)
        .then(|| [lpr_bp, 400, 500, 600][rng.gen_range(0..4)].max(lpr_bp));
    let terms = match interest_bp {
        Some(bp) => LateInterestTerms::Agreed {
            annual_pct: Percent::from_bp(bp).value(),
        },
        None => LateInterestTerms::Statutory,
    };
    // R-SEC-01: at most 10% of the value; R-PAY-08: never in cash only.
    let security = rng
        .gen_bool(0.4)
        .then(|| value_fen * [2, 3, 5, 10][rng.gen_range(0..4)] / 100);
    let forms = security.map(|_| {
        [
            "bank_guarantee,guarantee_insurance",
            "cash,bank_guarantee",
            "bank_guarantee,guarantee_insurance,surety_guarantee",
        ][rng.gen_range(0..3)]
        .to_string()
    });
    let contract_id = Uuid::now_v7();
    rows.contracts.push(contract::ActiveModel {
        id: Set(contract_id),
        lot_id: Set(m.lots[l].id),
        tender_id: Set(m.id),
        agency_id: Set(agency.id),
        supplier_id: Set(ctx.suppliers[supplier].id),
        value_fen: Set(value_fen),
        payment_term_days: Set(term_days),
        acceptance_days: Set(acceptance_days),
        interest_annual_bp: Set(interest_bp),
        lpr_bp: Set(lpr_bp),
        performance_security_fen: Set(security),
        awarded_on: Set(china_day(decided_at)),
        signed_at: Set(signed_at),
        signed_by: Set(agency.officer.id),
        published_at: Set(published_at),
        security_forms: Set(forms),
        version: Set(1),
        other_terms: Set(None),
    });
    rows.signed.push((contract_id, supplier, m.agency));

    // The payment plan: 1 to 4 milestones summing exactly to the value, an advance first on
    // some.
    let count = 1 + weighted(rng, &[25, 30, 30, 15]);
    let advance = count >= 2 && rng.gen_bool(0.2);
    let mut amounts = Vec::with_capacity(count);
    let mut left = value_fen;
    for k in 0..count {
        let amount = if k + 1 == count {
            left
        } else {
            let share = if advance && k == 0 {
                rng.gen_range(0.1..0.3)
            } else {
                rng.gen_range(0.6..1.4) / (count - k) as f64
            };
            ((value_fen as f64 * share) as i64 / 100 * 100).clamp(1, left - (count - k - 1) as i64)
        };
        amounts.push(amount);
        left -= amount;
    }
    let mut planned = signed_on;
    // Each delivery follows the previous one; once one is outstanding, later ones wait.
    let mut after = signed_at;
    let mut halted = false;
    for (k, &amount) in amounts.iter().enumerate() {
        let is_advance = advance && k == 0;
        planned += days(if is_advance {
            rng.gen_range(3..10)
        } else if k == 0 {
            rng.gen_range(15..60)
        } else {
            rng.gen_range(20..100)
        });
        let deliverable = if is_advance {
            "合同预付款".to_string()
        } else if k + 1 == count {
            "项目终验".to_string()
        } else {
            format!(
                "第{}期：{}",
                k + 1,
                DELIVERABLES[rng.gen_range(0..DELIVERABLES.len())]
            )
        };
        let milestone_id = Uuid::now_v7();
        let mut ms = milestone::ActiveModel {
            id: Set(milestone_id),
            contract_id: Set(contract_id),
            position: Set(k as i32),
            deliverable: Set(deliverable),
            amount_fen: Set(amount),
            planned_on: Set(planned),
            advance: Set(is_advance),
            delivered_at: Set(None),
            delivery_note: Set(None),
            accepted_on: Set(None),
            accepted_at: Set(None),
            accepted_fen: Set(None),
            rejected_at: Set(None),
            rejection_reason: Set(None),
            rejection_text: Set(None),
            paid_fen: Set(0),
            interest_paid_fen: Set(0),
            receivable_requested_on: Set(None),
            receivable_confirmed_on: Set(None),
            // No dispute (R-PAY-10) in the generated data.
            ..Default::default()
        };
        // Where the payment clock starts, and what is payable (R-PAY-02, R-PAY-04).
        let mut clock = None;
        let mut payable = amount;
        if is_advance {
            // An advance is payable from signing, with no delivery.
            clock = Some(signed_on);
        } else if !halted {
            let late_delivery = rng.gen_bool(0.05);
            let day = planned
                + days(if late_delivery {
                    rng.gen_range(10..60)
                } else {
                    rng.gen_range(-5..10)
                });
            let delivered_at = office_hours(day, rng).max(after + Duration::hours(2));
            if delivered_at > now {
                halted = true;
            } else if rng.gen_bool(0.04) && now - delivered_at < days(90) {
                // R-PAY-03: rejected within the acceptance period, for an allowed reason; the
                // supplier is to deliver again.
                let rejected_at = delivered_at
                    + Duration::minutes(rng.gen_range(60..60 * 24 * i64::from(acceptance_days)));
                if rejected_at <= now {
                    let (code, text) = REJECTIONS[rng.gen_range(0..REJECTIONS.len())];
                    ms.rejected_at = Set(Some(rejected_at));
                    ms.rejection_reason = Set(Some(code.into()));
                    ms.rejection_text = Set(Some(text.into()));
                } else {
                    ms.delivered_at = Set(Some(delivered_at));
                }
                halted = true;
            } else {
                after = delivered_at;
                ms.delivered_at = Set(Some(delivered_at));
                ms.delivery_note = Set(rng
                    .gen_bool(0.5)
                    .then(|| "已按合同交付，交付清单及验收资料见附件。".to_string()));
                let delivered_on = china_day(delivered_at);
                let period = i64::from(acceptance_days);
                // Accepted within the period mostly; late (the clock started anyway, R-PAY-02)
                // or not at all on some.
                let roll: f64 = rng.gen();
                let accepted_on = if roll < 0.85 {
                    Some(delivered_on + days(rng.gen_range(0..=period)))
                } else if roll < 0.92 {
                    Some(delivered_on + days(period + rng.gen_range(1..20)))
                } else {
                    None
                };
                let mut accepted = None;
                if let Some(on) = accepted_on {
                    let at = office_hours(on, rng).max(delivered_at + Duration::minutes(30));
                    if at <= now && china_day(at) == on {
                        accepted = Some(on);
                        ms.accepted_on = Set(Some(on));
                        ms.accepted_at = Set(Some(at));
                        // R-PAY-04: a few accepted in part (the undisputed part).
                        if rng.gen_bool(0.03) {
                            payable = amount * rng.gen_range(80..96) / 100;
                        }
                        ms.accepted_fen = Set(Some(payable));
                    }
                }
                clock = payment_clock_start(delivered_on, acceptance_days as u32, accepted, today);
            }
        }
        if let Some(start) = clock {
            let due = start + days(i64::from(term_days));
            let paid = pay(start, due, payable, agency.punctuality, today, rng);
            let mut principal = 0;
            for &(on, fen) in &paid {
                principal += fen;
                rows.payments.push(payment_row(
                    milestone_id,
                    on,
                    fen,
                    "principal",
                    agency,
                    ctx,
                    rng,
                ));
            }
            ms.paid_fen = Set(principal);
            let completed = paid
                .last()
                .filter(|_| principal == payable)
                .map(|(on, _)| *on);
            if principal < payable && today > due {
                rows.overdue += 1;
                // R-PAY-06: some suppliers ask the agency to confirm what it owes.
                if rng.gen_bool(0.35) {
                    let requested = due + days(rng.gen_range(1..45));
                    if requested <= today {
                        ms.receivable_requested_on = Set(Some(requested));
                        let confirmed = requested + days(rng.gen_range(2..45));
                        if confirmed <= today && rng.gen_bool(0.6) {
                            ms.receivable_confirmed_on = Set(Some(confirmed));
                        }
                    }
                }
            }
            if let Some(done) = completed.filter(|d| *d > due) {
                rows.paid_late += 1;
                // R-PAY-05: interest from the day after the due date until paid; about half
                // the agencies also paid it.
                let made: Vec<Payment> = paid
                    .iter()
                    .map(|&(paid_on, fen)| Payment {
                        paid_on,
                        amount: Money::from_fen(fen),
                    })
                    .collect();
                let interest = late_interest(Money::from_fen(payable), due, &made, terms, today)
                    .map_or(0, Money::to_fen);
                let on = done + days(rng.gen_range(0..30));
                if interest > 0 && on <= today && rng.gen_bool(0.55) {
                    rows.payments.push(payment_row(
                        milestone_id,
                        on,
                        interest,
                        "interest",
                        agency,
                        ctx,
                        rng,
                    ));
                    rows.interest_payments += 1;
                    ms.interest_paid_fen = Set(interest);
                }
            }
        }
        rows.milestones.push(ms);
    }
}

/// The principal payments on a payable whose clock started on `start`, made by `today`: on
/// time (within the term) as often as the agency pays on time, late otherwise; one in ten in two
/// instalments; some part-paid and left so.
fn pay(
    start: NaiveDate,
    due: NaiveDate,
    payable: i64,
    punctuality: f64,
    today: NaiveDate,
    rng: &mut StdRng,
) -> Vec<(NaiveDate, i64)> {
    let term = (due - start).num_days().max(0);
    let on = if rng.gen_bool(punctuality) {
        start + days(rng.gen_range(0..=term))
    } else if rng.gen_bool(0.2) {
        // In arrears: not paid at all so far.
        return Vec::new();
    } else {
        due + days(1 + (89.0 * rng.gen::<f64>().powi(2)) as i64)
    };
    let mut out = Vec::new();
    if payable >= 20_000 && rng.gen_bool(0.1) {
        let first = payable * rng.gen_range(30..70) / 100;
        let first_on = (on - days(rng.gen_range(3..20))).max(start);
        out.push((first_on, first));
        // A few stop at the first instalment.
        if !rng.gen_bool(0.2) {
            out.push((on, payable - first));
        }
    } else {
        out.push((on, payable));
    }
    out.retain(|(d, _)| *d <= today);
    out
}

fn payment_row(
    milestone_id: Uuid,
    paid_on: NaiveDate,
    amount_fen: i64,
    kind: &str,
    agency: &Agency,
    ctx: &Ctx,
    rng: &mut StdRng,
) -> payment::ActiveModel {
    // Recorded on the day paid or within two days after, never before the day nor after now.
    let recorded_at = (office_hours(paid_on, rng) + Duration::minutes(rng.gen_range(0..60 * 48)))
        .min(ctx.now)
        .max(at_china(paid_on, 0));
    payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        milestone_id: Set(milestone_id),
        amount_fen: Set(amount_fen),
        paid_on: Set(paid_on),
        bank_reference: Set(format!(
            "{}{}{:08}",
            BANKS[rng.gen_range(0..BANKS.len())],
            paid_on.format("%Y%m%d"),
            rng.gen_range(0..100_000_000)
        )),
        request_key: Set(Uuid::now_v7()),
        recorded_by: Set(agency.finance),
        recorded_at: Set(recorded_at),
        kind: Set(kind.into()),
    }
}

/// An index drawn with the given weights.
fn weighted(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut roll = rng.gen_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.gen_range(0..from.len())]
}
