use sea_orm::entity::prelude::*;

/// R-SEC-01: one bidder's bid security on a tender: the form it chose, and its refund (or, for a
/// guarantee, its return) as the agency recorded it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_security")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tender_id: Uuid,
    pub organisation_id: Uuid,
    /// A `SecurityForm` code; NULL for a bid submitted before the forms were asked.
    pub form: Option<String>,
    pub refunded_on: Option<Date>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
