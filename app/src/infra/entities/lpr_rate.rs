use sea_orm::entity::prelude::*;

/// The 1-year loan prime rate from a day on (R-PAY-05), kept by operators.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lpr_rate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub effective_on: Date,
    pub rate_bp: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
