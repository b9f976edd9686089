use sea_orm::entity::prelude::*;

/// The decided winner of a lot, published as the award notice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lot_id: Uuid,
    pub tender_id: Uuid,
    pub opened_bid_id: Uuid,
    pub organisation_id: Uuid,
    pub price_fen: i64,
    pub decided_at: DateTimeUtc,
    pub decided_by: Uuid,
    pub notice_published_at: DateTimeUtc,
    /// Every bid's scores and rank as decided (JSON).
    pub evaluation: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
