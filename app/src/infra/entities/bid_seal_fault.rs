use sea_orm::entity::prelude::*;

/// Issue #35: a counted version that did not open as its own bid, version and tender at the
/// opening, or whose content does not match its digest. Reported, not counted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_seal_fault")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub bid_id: Uuid,
    pub version: i32,
    /// `domain::bid_seal::SealFault::code`.
    pub reason: String,
    pub found_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
