//! Contracts and milestone payments (issue #6). Every query is scoped: an agency reaches only
//! its own contracts, a supplier only those it is party to. Timeliness (due dates, status,
//! interest) is computed from the stored dates and the clock by `domain::payment`; nothing has
//! to run for a payment to become overdue.

mod acceptance;
mod amend;
mod confirmation;
mod create;
mod delivery;
mod dispute;
mod evidence;
mod payment;
mod reminders;
mod timeliness;
mod views;

pub use acceptance::{accept, reject};
pub use amend::{amend, AmendedMilestone};
pub use confirmation::{confirm_receivable, publish, request_confirmation};
pub use create::create;
pub use delivery::deliver;
pub use dispute::{
    answer_reduction, decide_redelivery, propose_reduction, record_decision, redeliver_disputed,
};
pub use evidence::{
    attach_evidence, check_evidence_allowed, contract_of_milestone, evidence_document,
};
pub use payment::{release, PaymentEntry};
pub use reminders::{payment_notices, sync_reminders};
pub(crate) use timeliness::csv_field;
pub use timeliness::{timeliness_csv_text, timeliness_report};
pub(crate) use views::publish_by_in;
pub use views::{awarded_lots, contract_for, finance_dashboard, receivables};

use evidence::evidence_of_many;
use payment::payments_of;
use views::{contracts_with_milestones, milestone_view};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::PercentError;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::entities::{contract, milestone, notification};
use crate::model::accounts::Session;

fn actor(session: &Session) -> audit::Actor {
    audit::Actor {
        person: Some(session.person_id.into()),
        organisation: session.organisation_id.map(Into::into),
    }
}

/// A percentage's basis points, for a column that stores them; a percentage that has none
/// (`PercentError`) is a fault of ours, not of the form.
fn to_bp(bp: Result<i32, PercentError>) -> Result<i32, AppError> {
    bp.map_err(|e| {
        tracing::error!(error = %e, "a percentage does not fit its column");
        AppError::Internal { request_id: None }
    })
}

/// A milestone of one of `organisation`'s contracts (as agency or as supplier), with its contract.
async fn scoped_milestone(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    as_agency: bool,
    id: Uuid,
) -> Result<(contract::Model, milestone::Model), AppError> {
    let m = milestone::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let column = if as_agency {
        contract::Column::AgencyId
    } else {
        contract::Column::SupplierId
    };
    let c = contract::Entity::find_by_id(m.contract_id)
        .filter(column.eq(organisation))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, m))
}

fn conflict(zh: &str, en: &str) -> AppError {
    AppError::Conflict {
        message: Text::new(zh, en),
    }
}

/// Writes an in-app notification for every member of `organisation`. With a `dedupe_key`, a
/// notification already written under that key is left alone (reminders are written once).
#[allow(clippy::too_many_arguments)]
async fn notify(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    kind: &str,
    c: &contract::Model,
    body: &Text,
    now: DateTime<Utc>,
    dedupe_key: Option<String>,
) -> Result<(), AppError> {
    let row = notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation),
        kind: Set(kind.to_string()),
        tender_id: Set(Some(c.tender_id)),
        body_zh: Set(body.zh.clone()),
        body_en: Set(body.en.clone()),
        created_at: Set(now),
        read_at: Set(None),
        dedupe_key: Set(dedupe_key),
        contract_id: Set(Some(c.id)),
    };
    notification::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
