use sea_orm::entity::prelude::*;

/// An agency's settings (issue #35); an agency without a row has every setting off.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agency_setting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    /// Who accepts a delivery does not release its payment; who opens the bids does not mark
    /// them alone.
    pub separation_of_duties: bool,
    pub updated_by: Uuid,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
