//! Fills a database with realistic volume: agencies, suppliers and tenders with lots and criteria
//! (bids, contracts and payments join as those features land). Deterministic for a given seed,
//! written in batches inside write transactions, then indexed for full-text search.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseConnection, EntityTrait, Set, TransactionTrait};
use uuid::Uuid;

use app::domain::credit_code::CreditCode;
use app::domain::region::PROVINCES;
use app::infra::entities::{organisation, tender, tender_criterion, tender_lot};

/// How much to generate.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Volume {
    pub tenders: usize,
    pub agencies: usize,
    pub suppliers: usize,
}

/// What was generated, for the run's checks.
#[derive(Debug, Default, serde::Serialize)]
pub struct Generated {
    pub tenders: usize,
    pub published: usize,
    pub lots: usize,
    pub criteria: usize,
    /// Published tender ids, for the tender-page workload.
    #[serde(skip)]
    pub sample_ids: Vec<Uuid>,
    pub seconds: f64,
}

const BATCH: usize = 400;

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

fn credit_code(prefix: &str, n: usize) -> String {
    let first17 = format!("{prefix}{n:09}");
    CreditCode::complete(&first17)
        .map(|c| c.to_string())
        .unwrap_or(first17)
}

pub async fn generate(
    db: &DatabaseConnection,
    volume: Volume,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<Generated, sea_orm::DbErr> {
    let started = std::time::Instant::now();
    app::infra::db::migrate(db).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Generated::default();

    let agencies: Vec<Uuid> = (0..volume.agencies).map(|_| Uuid::now_v7()).collect();
    let orgs = agencies
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
            let published_at = now - Duration::minutes(rng.gen_range(0..60 * 24 * 90));
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
            tenders.push(tender::ActiveModel {
                id: Set(id),
                agency_id: Set(agencies[rng.gen_range(0..agencies.len())]),
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
                imported_goods: Set(false),
                sme_required_share_bp: Set(if reserved_whole { 0 } else { 4000 }),
                sme_small_micro_share_bp: Set(if reserved_whole { 0 } else { 6000 }),
                sme_price_deduction_bp: Set((!reserved_whole).then_some(1000)),
                sme_consortium_deduction_bp: Set(None),
                reserved_whole: Set((status != "draft").then_some(reserved_whole)),
                created_by: Set(None),
                updated_at: Set(None),
                draft_form: Set(None),
                cancel_reason: Set((status == "cancelled").then(|| "预算调整。".to_string())),
                cancelled_at: Set(
                    (status == "cancelled").then_some(published_at + Duration::days(3))
                ),
            });
            out.tenders += 1;
            if status == "draft" {
                continue;
            }
            out.published += 1;
            if out.sample_ids.len() < 500 {
                out.sample_ids.push(id);
            }
            let lot_count = rng.gen_range(1..=3);
            for position in 0..lot_count {
                let lot_id = Uuid::now_v7();
                lots.push(tender_lot::ActiveModel {
                    id: Set(lot_id),
                    tender_id: Set(id),
                    position: Set(position),
                    title: Set(format!("第{}包", position + 1)),
                    budget_fen: Set(budget_fen / i64::from(lot_count)),
                    reserved_for_sme: Set(reserved_whole || position == 0),
                });
                let pass_fail = REQUIREMENTS[rng.gen_range(0..REQUIREMENTS.len())];
                let scored = APPROACHES[rng.gen_range(0..APPROACHES.len())];
                for (j, ((kind, requirement), weight)) in
                    [(pass_fail, None), (scored, scoring.then_some(6000))]
                        .into_iter()
                        .enumerate()
                {
                    criteria.push(tender_criterion::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        lot_id: Set(lot_id),
                        position: Set(j as i32),
                        kind: Set(kind.into()),
                        requirement: Set(requirement.into()),
                        weight_bp: Set(weight),
                    });
                }
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
    // The search index, as a server start would build it.
    let txn = db.begin().await?;
    app::infra::search::index_missing(&txn).await?;
    txn.commit().await?;
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.gen_range(0..from.len())]
}
