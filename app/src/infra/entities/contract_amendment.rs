use sea_orm::entity::prelude::*;

/// One amendment of a contract: the version it made, why, and what changed (JSON list of
/// bilingual lines).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_amendment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contract_id: Uuid,
    pub version: i32,
    pub reason: String,
    pub changes: String,
    /// The same changes as data (JSON list of `AmendedMilestone`); absent on older rows.
    pub milestones: Option<String>,
    pub amended_by: Uuid,
    pub amended_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
