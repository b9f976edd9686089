use sea_orm::entity::prelude::*;

/// An evaluator's mark of one criterion for one opened bid.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_mark")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub opened_bid_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub criterion_id: Uuid,
    pub passed: Option<bool>,
    /// Points in hundredths.
    pub score_bp: Option<i32>,
    pub reason: String,
    pub marked_by: Uuid,
    pub marked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
