use sea_orm::entity::prelude::*;

/// A supplier's challenge (质疑) of an award or a tender term, and the agency's answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "challenge")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub agency_id: Uuid,
    pub organisation_id: Uuid,
    pub filed_by: Uuid,
    pub subject: String,
    pub body: String,
    pub filed_at: DateTimeUtc,
    pub answer_due: Date,
    pub answer: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
