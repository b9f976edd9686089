use sea_orm::entity::prelude::*;

/// A document attached to a bid, encrypted in the document store; its file key and description
/// are sealed twice (see `infra::bid_documents`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_document")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub bid_id: Uuid,
    pub storage_key: String,
    /// The file's key and description, sealed with the bidder's key.
    pub own_meta: String,
    /// The same, sealed for the tender (opened only after the deadline).
    pub tender_meta: String,
    pub added_at: DateTimeUtc,
    /// Taken off the draft; a submitted version that listed it still has it.
    pub removed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
