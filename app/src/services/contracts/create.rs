//! Signing a contract: the form's terms checked against the awarded value
//! (`domain::contract::check_contract`), then the contract and its milestones written in one
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::contract::{check_contract, CheckedContract, ContractTerms, MilestoneRow};
use crate::domain::payment::{LateInterestTerms, MilestonePlan};
use crate::domain::{china_day, Money, Percent};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{award, contract, lpr_rate, milestone, tender};
use crate::model::accounts::Session;
use crate::model::contracts::*;
use crate::services::session::organisation_of;
use crate::services::AppState;

use super::{actor, to_bp};

/// R-PAY-05: the 1-year LPR in force on `day`, from the operators' table.
async fn lpr_on(conn: &impl ConnectionTrait, day: NaiveDate) -> Result<Percent, AppError> {
    let rate = lpr_rate::Entity::find()
        .filter(lpr_rate::Column::EffectiveOn.lte(day))
        .order_by_desc(lpr_rate::Column::EffectiveOn)
        .one(conn)
        .await?
        .ok_or_else(|| {
            tracing::error!(%day, "no LPR in the lpr_rate table for this day");
            AppError::Internal { request_id: None }
        })?;
    Ok(Percent::from_bp(rate.rate_bp))
}

/// The contract form's terms, checked in full against its value; every problem at once.
fn check_form(
    form: &ContractForm,
    value: Money,
    lpr: Percent,
) -> Result<CheckedContract, Vec<FieldError>> {
    let rows: Vec<MilestoneRow<'_>> = form
        .milestones
        .iter()
        .map(|m| MilestoneRow {
            deliverable: &m.deliverable,
            amount: &m.amount,
            planned_date: &m.planned_date,
            advance: m.advance.is_some(),
        })
        .collect();
    let terms = ContractTerms {
        payment_term: &form.payment_term,
        acceptance_days: &form.acceptance_days,
        interest_rate: &form.interest_rate,
        performance_security: &form.performance_security,
        security_forms: &form.security_forms,
        milestones: &rows,
        other_terms: &form.other_terms,
    };
    check_contract(&terms, value, lpr)
}

/// The procurement officer signs the contract of its agency's awarded lot.
pub async fn create(
    state: &AppState,
    session: &Session,
    lot_id: Uuid,
    form: &ContractForm,
) -> Result<Uuid, AppError> {
    let agency: Uuid = organisation_of(session)?.into();
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (awarded, t) = unsigned_award(&txn, agency, lot_id).await?;
    let value = Money::from_fen(awarded.price_fen);
    let lpr = lpr_on(&txn, today).await?;
    let checked = check_form(form, value, lpr).map_err(|errors| AppError::Fields { errors })?;
    let id = Uuid::now_v7();
    let signed = Signed {
        id,
        agency,
        awarded: &awarded,
        tender: &t,
        value,
        lpr,
        session,
        now,
    };
    insert_contract(&txn, &signed, &checked).await?;
    insert_milestones(&txn, id, &checked.milestones).await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "contract.sign",
        "contract",
        id,
        &(value.to_fen(), checked.milestones.len()),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The award of `lot_id` in one of `agency`'s tenders, with its tender, refused when the lot's
/// contract is already signed.
async fn unsigned_award(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    lot_id: Uuid,
) -> Result<(award::Model, tender::Model), AppError> {
    let awarded = award::Entity::find_by_id(lot_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = tender::Entity::find_by_id(awarded.tender_id)
        .filter(tender::Column::AgencyId.eq(agency))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if contract::Entity::find()
        .filter(contract::Column::LotId.eq(lot_id))
        .one(conn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: Text::new(
                "该包的合同已经签订。",
                "This lot's contract is already signed.",
            ),
        });
    }
    Ok((awarded, t))
}

/// Who signs what, when: the facts of a signing besides the checked terms.
struct Signed<'a> {
    id: Uuid,
    agency: Uuid,
    awarded: &'a award::Model,
    tender: &'a tender::Model,
    value: Money,
    lpr: Percent,
    session: &'a Session,
    now: DateTime<Utc>,
}

async fn insert_contract(
    conn: &impl ConnectionTrait,
    s: &Signed<'_>,
    checked: &CheckedContract,
) -> Result<(), AppError> {
    contract::ActiveModel {
        id: Set(s.id),
        lot_id: Set(s.awarded.lot_id),
        tender_id: Set(s.tender.id),
        agency_id: Set(s.agency),
        supplier_id: Set(s.awarded.organisation_id),
        value_fen: Set(s.value.to_fen()),
        payment_term_days: Set(checked.term.days() as i32),
        acceptance_days: Set(checked.acceptance_days as i32),
        // Stored in basis points: an agreed rate's digits finer than that are dropped, as
        // before (R-PAY-05 is checked on the rate as typed).
        interest_annual_bp: Set(match checked.interest {
            LateInterestTerms::Agreed { annual_pct } => {
                Some(to_bp(Percent::new(annual_pct).to_bp_truncated())?)
            }
            LateInterestTerms::Statutory => None,
        }),
        lpr_bp: Set(to_bp(s.lpr.to_bp())?),
        performance_security_fen: Set(checked.security.map(Money::to_fen)),
        awarded_on: Set(china_day(s.awarded.decided_at)),
        signed_at: Set(s.now),
        signed_by: Set(s.session.person_id.into()),
        published_at: Set(None),
        version: Set(1),
        security_forms: Set((!checked.security_forms.is_empty()).then(|| {
            checked
                .security_forms
                .iter()
                .map(|f| f.code())
                .collect::<Vec<_>>()
                .join(",")
        })),
        other_terms: Set(checked.other_terms.clone()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

async fn insert_milestones(
    conn: &impl ConnectionTrait,
    contract_id: Uuid,
    milestones: &[MilestonePlan],
) -> Result<(), AppError> {
    for (i, m) in milestones.iter().enumerate() {
        milestone::ActiveModel {
            id: Set(Uuid::now_v7()),
            contract_id: Set(contract_id),
            position: Set(i as i32),
            deliverable: Set(m.deliverable.trim().to_string()),
            amount_fen: Set(m.amount.to_fen()),
            planned_on: Set(m.planned_date),
            advance: Set(m.advance_payment),
            delivered_at: Set(None),
            delivery_note: Set(None),
            accepted_on: Set(None),
            accepted_at: Set(None),
            accepted_fen: Set(None),
            rejected_at: Set(None),
            rejection_reason: Set(None),
            rejection_text: Set(None),
            paid_fen: Set(0),
            interest_paid_fen: Set(0),
            receivable_requested_on: Set(None),
            receivable_confirmed_on: Set(None),
            // R-PAY-10: no dispute until a partial acceptance.
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}
