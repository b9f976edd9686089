//! Demo data for `server seed-demo`: an administrator, an agency with a procurement and a finance
//! officer, two SME suppliers and a few tenders, so a newcomer has something to click. Idempotent.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::domain::auth::Role;
use crate::domain::credit_code::CreditCode;
use crate::domain::tender::{Category, Method, TenderStatus};
use crate::domain::{Money, OrganisationId, TenderId};
use crate::infra::entities::{organisation, tender};
use crate::services::accounts::insert_person;

pub const DEMO_AGENCY_CODE: &str = "11330100MB0000001";

/// The password of every demo account (listed in README.md). `seed-demo` refuses to run in
/// production mode, so these accounts never exist there.
pub const DEMO_PASSWORD: &str = "fairtender-demo-2026";

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded { tenders: usize },
    AlreadyPresent,
}

struct DemoTender {
    title: &'static str,
    description: &'static str,
    category: Category,
    method: Method,
    region: &'static str,
    budget_yuan: i64,
    status: TenderStatus,
    published_days_ago: i64,
    deadline_in_days: i64,
}

const TENDERS: &[DemoTender] = &[
    DemoTender {
        title: "示范区中小学教室照明改造（LED 灯具采购）",
        description: "为示范区 12 所中小学更换教室 LED 照明灯具约 3,600 套，含安装调试和三年质保。要求符合 GB 7793-2010 中小学校教室采光和照明卫生标准。",
        category: Category::Goods,
        method: Method::OpenTender,
        region: "浙江省杭州市",
        budget_yuan: 1_500_000,
        status: TenderStatus::Published,
        published_days_ago: 2,
        deadline_in_days: 21,
    },
    DemoTender {
        title: "教育局政务信息系统运维服务（2027 年度）",
        description: "提供教育局 8 个业务系统的日常运维、安全加固和应急响应服务，服务期一年，要求 7×24 小时响应。",
        category: Category::Services,
        method: Method::CompetitiveConsultation,
        region: "浙江省杭州市",
        budget_yuan: 800_000,
        status: TenderStatus::Published,
        published_days_ago: 1,
        deadline_in_days: 12,
    },
    DemoTender {
        title: "示范区第三小学运动场改造工程",
        description: "塑胶跑道 3,200 平方米、人造草坪足球场一片及排水改造，工期 60 日历天。",
        category: Category::Works,
        method: Method::OpenTender,
        region: "浙江省杭州市",
        budget_yuan: 3_500_000,
        status: TenderStatus::Published,
        published_days_ago: 3,
        deadline_in_days: 25,
    },
    DemoTender {
        title: "学生午餐配送服务（询价）",
        description: "为两所小学配送学生午餐，约 900 份/日，须具备食品经营许可。",
        category: Category::Services,
        method: Method::RequestForQuotation,
        region: "浙江省杭州市",
        budget_yuan: 450_000,
        status: TenderStatus::Draft,
        published_days_ago: 0,
        deadline_in_days: 10,
    },
];

/// Inserts the demo data unless it is already there.
pub async fn seed_demo(
    db: &crate::infra::db::Db,
    now: DateTime<Utc>,
) -> Result<SeedOutcome, DbErr> {
    let code = demo_code(DEMO_AGENCY_CODE);
    let existing = organisation::Entity::find()
        .filter(organisation::Column::CreditCode.eq(code.as_str()))
        .one(db)
        .await?;
    if existing.is_some() {
        return Ok(SeedOutcome::AlreadyPresent);
    }

    let txn = crate::infra::db::begin_write(db).await?;
    let agency = OrganisationId::new();
    insert_org(&txn, agency, "agency", "杭州市示范区教育局", &code, now).await?;
    // One hash for every demo account: they share the published demo password.
    let hash = crate::infra::auth::hash_password(DEMO_PASSWORD)
        .map_err(|_| DbErr::Custom("could not hash the demo password".into()))?;
    let person =
        |org: Option<OrganisationId>, email: &'static str, name: &'static str, role: Role| {
            let (txn, hash) = (&txn, &hash);
            async move {
                insert_person(txn, org.map(|o| o.0), email, name, role, hash, now)
                    .await
                    .map(drop)
            }
        };
    person(
        None,
        "admin@demo.fairtender.cn",
        "平台管理员",
        Role::PlatformAdmin,
    )
    .await?;
    person(
        Some(agency),
        "buyer@demo.fairtender.cn",
        "王采购",
        Role::AgencyProcurement,
    )
    .await?;
    person(
        Some(agency),
        "finance@demo.fairtender.cn",
        "李财务",
        Role::AgencyFinance,
    )
    .await?;
    // Issue #35: disables officers, revokes invitations, sets separation of duties.
    person(
        Some(agency),
        "officers@demo.fairtender.cn",
        "赵管理",
        Role::AgencyAdmin,
    )
    .await?;

    for (name, code17, email, person_name) in [
        (
            "杭州小溪软件有限公司",
            "91330106MA2B00001",
            "owner@xiaoxi.example.cn",
            "陈小溪",
        ),
        (
            "宁波明光照明科技有限公司",
            "91330201MA2C00002",
            "owner@mingguang.example.cn",
            "周明光",
        ),
    ] {
        let supplier = OrganisationId::new();
        insert_org(&txn, supplier, "supplier", name, &demo_code(code17), now).await?;
        person(Some(supplier), email, person_name, Role::SupplierOwner).await?;
    }

    let mut published = 0;
    for t in TENDERS {
        let published_at = (t.status == TenderStatus::Published)
            .then(|| now - Duration::days(t.published_days_ago));
        published += usize::from(published_at.is_some());
        let tender_id = TenderId::new().0;
        let published_now = published_at.is_some();
        tender::ActiveModel {
            id: Set(tender_id),
            agency_id: Set(agency.0),
            title: Set(t.title.into()),
            description: Set(t.description.into()),
            category: Set(t.category.as_str().into()),
            method: Set(t.method.as_str().into()),
            region: Set(t.region.into()),
            budget_fen: Set(Money::from_fen(t.budget_yuan * 100).to_fen()),
            status: Set(t.status.as_str().into()),
            bid_deadline: Set(deadline(now, t.deadline_in_days)),
            published_at: Set(published_at),
            created_at: Set(now),
            // Every demo tender is within the R-SME-01 threshold: reserved whole for SMEs.
            reserved_whole: Set(published_now.then_some(true)),
            price_weight_bp: Set(Some(3000)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if published_now {
            demo_lot(&txn, tender_id, t).await?;
            crate::infra::search::index_tender(&txn, tender_id, t.title, t.description).await?;
        }
    }
    txn.commit().await?;
    Ok(SeedOutcome::Seeded { tenders: published })
}

/// One lot with the whole budget: a pass/fail capability requirement and a scored approach.
async fn demo_lot(
    txn: &impl ConnectionTrait,
    tender_id: uuid::Uuid,
    t: &DemoTender,
) -> Result<(), DbErr> {
    use crate::infra::entities::{tender_criterion, tender_lot};
    let lot = uuid::Uuid::now_v7();
    tender_lot::ActiveModel {
        id: Set(lot),
        tender_id: Set(tender_id),
        position: Set(0),
        title: Set("全部内容".into()),
        budget_fen: Set(t.budget_yuan * 100),
        reserved_for_sme: Set(true),
        small_micro_only: Set(false),
    }
    .insert(txn)
    .await?;
    let (kind, requirement) = match t.category {
        Category::Goods => ("certification", "灯具具备 CQC 节能认证"),
        Category::Services => (
            "staff_qualification",
            "项目负责人具备信息系统运维相关职业资格",
        ),
        Category::Works => ("licence", "具备建筑工程施工总承包三级及以上资质"),
    };
    for (position, kind, requirement, weight) in [
        (0, kind, requirement, None),
        (
            1,
            "technical_approach",
            "实施方案的完整性与可行性",
            Some(7000),
        ),
    ] {
        tender_criterion::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            lot_id: Set(lot),
            position: Set(position),
            kind: Set(kind.into()),
            requirement: Set(requirement.into()),
            weight_bp: Set(weight),
            withdrawn_at: Set(None),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// 09:30 Beijing time (01:30 UTC), `days` days from now: deadlines are set at office hours.
fn deadline(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let day = (now + Duration::days(days)).date_naive();
    day.and_hms_opt(1, 30, 0)
        .map_or(now + Duration::days(days), |t| t.and_utc())
}

fn demo_code(first17: &str) -> CreditCode {
    CreditCode::complete(first17).expect("demo credit codes use only valid characters")
}

async fn insert_org(
    txn: &impl ConnectionTrait,
    id: OrganisationId,
    kind: &str,
    name: &str,
    code: &CreditCode,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    organisation::ActiveModel {
        id: Set(id.0),
        kind: Set(kind.into()),
        name: Set(name.into()),
        credit_code: Set(Some(code.to_string())),
        created_at: Set(now),
    }
    .insert(txn)
    .await
    .map(drop)
}
