use sea_orm::entity::prelude::*;

/// An awarded lot's contract (issue #6).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lot_id: Uuid,
    pub tender_id: Uuid,
    pub agency_id: Uuid,
    pub supplier_id: Uuid,
    pub value_fen: i64,
    pub payment_term_days: i32,
    pub acceptance_days: i32,
    pub interest_annual_bp: Option<i32>,
    pub lpr_bp: i32,
    pub performance_security_fen: Option<i64>,
    pub awarded_on: Date,
    pub signed_at: DateTimeUtc,
    pub signed_by: Uuid,
    /// R-AWARD-01: when the agency published the signed contract.
    pub published_at: Option<DateTimeUtc>,
    /// R-PAY-08: comma-separated `SecurityForm` codes the performance security may take.
    pub security_forms: Option<String>,
    /// 1 when signed; each amendment adds one.
    pub version: i32,
    /// Other terms agreed (其他约定), free text checked for forbidden payment terms (R-PAY-09,
    /// R-PAY-03; issue #33).
    pub other_terms: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
