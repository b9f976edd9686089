use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tender")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agency_id: Uuid,
    pub title: String,
    pub description: String,
    pub category: String,
    pub method: String,
    pub region: String,
    /// Money as integer fen: exact on SQLite and PostgreSQL.
    pub budget_fen: i64,
    pub status: String,
    pub bid_deadline: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// `comprehensive_scoring` or `lowest_evaluated_price`.
    pub evaluation_method: String,
    /// Percentages as integer hundredths (`3000` is 30%).
    pub price_weight_bp: Option<i32>,
    pub bid_security_fen: Option<i64>,
    /// R-SEC-01, R-PAY-08: comma-separated `SecurityForm` codes the bid security may take;
    /// NULL without a bid security, or for a tender published before they were recorded.
    pub bid_security_forms: Option<String>,
    pub imported_goods: bool,
    pub sme_required_share_bp: i32,
    pub sme_small_micro_share_bp: i32,
    pub sme_price_deduction_bp: Option<i32>,
    pub sme_consortium_deduction_bp: Option<i32>,
    /// R-SME-01, decided at publication.
    pub reserved_whole: Option<bool>,
    pub created_by: Option<Uuid>,
    pub updated_at: Option<DateTimeUtc>,
    /// While a draft: the form as typed, JSON.
    pub draft_form: Option<String>,
    /// Set when cancelled: the public reason.
    pub cancel_reason: Option<String>,
    pub cancelled_at: Option<DateTimeUtc>,
    /// R-SME-05, R-BID-04: the failed tender this one re-tenders (`domain::retender`).
    pub retender_of: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::AgencyId",
        to = "super::organisation::Column::Id"
    )]
    Agency,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agency.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
