use sea_orm::entity::prelude::*;

/// One payment released against a milestone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub milestone_id: Uuid,
    pub amount_fen: i64,
    pub paid_on: Date,
    pub bank_reference: String,
    /// The key the release form was rendered with: a retried request finds its payment.
    pub request_key: Uuid,
    pub recorded_by: Uuid,
    pub recorded_at: DateTimeUtc,
    /// `principal` or `interest` (R-PAY-05: late interest is paid as a payable of its own).
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
