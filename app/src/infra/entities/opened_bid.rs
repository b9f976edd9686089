use sea_orm::entity::prelude::*;

/// One counted bid on one lot, as read at the opening.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opened_bid")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub lot_id: Uuid,
    pub bid_id: Uuid,
    pub organisation_id: Uuid,
    pub supplier_name: String,
    pub version: i32,
    pub submitted_at: DateTimeUtc,
    pub price_fen: i64,
    pub size_class: Option<String>,
    /// The SME declaration attached to the bid (JSON), R-SME-04.
    pub declaration: Option<String>,
    pub subcontract_share_bp: Option<i32>,
    /// R-SME-02: the consortium members and subcontractors (JSON `Vec<Partner>`); NULL when none.
    pub partners: Option<String>,
    pub deduction_bp: i32,
    /// This lot's part of the bid (JSON).
    pub content: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
