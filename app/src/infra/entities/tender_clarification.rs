use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tender_clarification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub body: String,
    pub affects_bids: bool,
    pub deadline_before: DateTimeUtc,
    pub deadline_after: DateTimeUtc,
    pub published_by: Uuid,
    pub published_at: DateTimeUtc,
    /// R-TIME-02: a structured amendment's changes (`domain::amendment::TermChange`, JSON);
    /// `None` for a free-text clarification.
    pub changes: Option<String>,
    /// A structured amendment's terms before and after it (the draft form, JSON).
    pub terms_before: Option<String>,
    pub terms_after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
