use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tender_criterion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lot_id: Uuid,
    pub position: i32,
    pub kind: String,
    pub requirement: String,
    /// None: pass/fail; otherwise points in hundredths.
    pub weight_bp: Option<i32>,
    /// R-TIME-02, R-REC-01: set when a structured amendment replaced the requirement (it stays
    /// on record; every current read leaves it out).
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
