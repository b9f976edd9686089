use sea_orm::entity::prelude::*;

/// The text of a tender document, as read when it was attached (issue #34).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tender_document_text")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tender_document_id: Uuid,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
