use sea_orm::entity::prelude::*;

/// One submitted version of a bid; the latest counts unless the bid was withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_submission")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub bid_id: Uuid,
    pub version: i32,
    pub submitted_at: DateTimeUtc,
    pub submitted_by: Uuid,
    /// The canonical content, sealed with the tender's key (opened after the deadline).
    pub sealed: String,
    /// The same content sealed with the bidder's key, so the bidder can read it back.
    pub own_copy: String,
    /// SHA-256 (hex) of the canonical content.
    pub digest: String,
    pub receipt: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
