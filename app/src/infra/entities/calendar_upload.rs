use sea_orm::entity::prelude::*;

/// A year's working-day calendar file as an administrator uploaded it (issue #34). Rows are
/// only inserted: a year uploaded again gets a new row, the latest in force.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_upload")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    #[sea_orm(column_type = "Text")]
    pub toml: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
