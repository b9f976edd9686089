use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tender_document")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub document_id: Uuid,
    pub added_by: Uuid,
    pub added_at: DateTimeUtc,
    /// Taken off a draft (never from a published tender).
    pub removed_at: Option<DateTimeUtc>,
    /// Issue #34: `checked` (its text is in `tender_document_text`), `unreadable` (no text
    /// could be read, so not checked for forbidden conditions), or None for a document attached
    /// before text was read (`TEXT_*` in `infra::document_text`).
    pub text_status: Option<String>,
    /// Why no text could be read (`unreadable` only), for the log; not shown to the public.
    pub text_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::document::Entity",
        from = "Column::DocumentId",
        to = "super::document::Column::Id"
    )]
    Document,
}

impl Related<super::document::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Document.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
