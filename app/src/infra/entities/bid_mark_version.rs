use sea_orm::entity::prelude::*;

/// One save of an opened bid's marks, kept for good (R-REC-01, issue #33): a row per criterion
/// the save marked, with who and when. `bid_mark` holds the latest of each criterion.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_mark_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub opened_bid_id: Uuid,
    /// 1 for the bid's first save; each later save adds one.
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
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
