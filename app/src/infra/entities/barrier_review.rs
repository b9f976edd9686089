use sea_orm::entity::prelude::*;

/// A request that the platform administrator let barrier findings through (issue #34). Kept
/// for good (R-REC-01); `findings` and `applied` are `infra::records::barrier_review` JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "barrier_review")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub agency_id: Uuid,
    pub findings: String,
    pub reason: String,
    pub requested_by: Uuid,
    pub requested_at: DateTimeUtc,
    /// `pending`, `approved` or `rejected` (`domain::review::ReviewStatus`).
    pub status: String,
    pub decision_note: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    /// Set at publication: the approved findings the tender was published with.
    pub applied: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
