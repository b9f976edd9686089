use sea_orm::entity::prelude::*;

/// When a tender's bids were opened, and by whom.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_opening")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tender_id: Uuid,
    pub opened_at: DateTimeUtc,
    pub opened_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
