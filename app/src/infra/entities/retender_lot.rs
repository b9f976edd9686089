use sea_orm::entity::prelude::*;

/// A lot of a failed tender that a re-tender takes up (R-SME-05, R-BID-04; issue #33), as it
/// stood when the re-tender was made. Kept for good (R-REC-01).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retender_lot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The re-tender.
    pub tender_id: Uuid,
    /// The failed tender's lot.
    pub failed_lot_id: Uuid,
    pub position: i32,
    pub title: String,
    /// `suspended` (R-SME-05) or `failed` (R-BID-04).
    pub outcome: String,
    pub valid_bids: i32,
    pub qualified_sme_bids: i32,
    /// Set at the re-tender's publication: its lot that took this one up, if any.
    pub lot_id: Option<Uuid>,
    /// Set at the re-tender's publication: that lot's reservation was lifted (R-SME-05).
    pub lifted: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
