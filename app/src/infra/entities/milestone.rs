use sea_orm::entity::prelude::*;

/// A contract's milestone: what is delivered, accepted (or rejected) and paid.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contract_id: Uuid,
    pub position: i32,
    pub deliverable: String,
    pub amount_fen: i64,
    pub planned_on: Date,
    pub advance: bool,
    pub delivered_at: Option<DateTimeUtc>,
    pub delivery_note: Option<String>,
    pub accepted_on: Option<Date>,
    /// The instant of acceptance (the OCDS "milestone met" release sorts by it).
    pub accepted_at: Option<DateTimeUtc>,
    pub accepted_fen: Option<i64>,
    /// Issue #35: who accepted the delivery (separation of duties); None when nobody did.
    pub accepted_by: Option<Uuid>,
    pub rejected_at: Option<DateTimeUtc>,
    pub rejection_reason: Option<String>,
    pub rejection_text: Option<String>,
    pub paid_fen: i64,
    /// R-PAY-05: late-payment interest paid on this milestone.
    pub interest_paid_fen: i64,
    /// R-PAY-06: the day the supplier asked the agency to confirm the receivable.
    pub receivable_requested_on: Option<Date>,
    pub receivable_confirmed_on: Option<Date>,
    /// R-PAY-10: the part not accepted, its reason code (R-PAY-03) and explanation.
    pub disputed_fen: Option<i64>,
    pub dispute_reason: Option<String>,
    pub dispute_text: Option<String>,
    /// R-PAY-10: the disputed part delivered again, awaiting a decision.
    pub redelivered_at: Option<DateTimeUtc>,
    /// R-PAY-10: a reduction the agency proposed, awaiting the supplier's confirmation.
    pub reduction_fen: Option<i64>,
    pub reduction_text: Option<String>,
    /// R-PAY-10: how (`redelivered`, `reduced`, `decided`) and when the dispute ended, and what
    /// of the disputed part is owed; the payment term runs from `dispute_ended_on`.
    pub dispute_end: Option<String>,
    pub dispute_ended_on: Option<Date>,
    pub dispute_owed_fen: Option<i64>,
    pub dispute_reference: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
