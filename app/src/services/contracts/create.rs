//! Signing a contract: the form's terms checked against the awarded value, then the contract
//! and its milestones written in one transaction.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::payment::{
    check_milestones, check_performance_security, check_security_forms, LateInterestTerms,
    MilestonePlan, PaymentTerm, SecurityForm,
};
use crate::domain::policy::Policy;
use crate::domain::{china_day, Money};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{award, contract, lpr_rate, milestone, tender};
use crate::model::accounts::Session;
use crate::model::contracts::*;
use crate::services::AppState;

use super::{actor, bp_of, pct_of, DEFAULT_ACCEPTANCE_DAYS, MAX_ACCEPTANCE_DAYS};

/// R-PAY-05: the 1-year LPR in force on `day` (%), from the operators' table.
async fn lpr_on(conn: &impl ConnectionTrait, day: NaiveDate) -> Result<Decimal, AppError> {
    let rate = lpr_rate::Entity::find()
        .filter(lpr_rate::Column::EffectiveOn.lte(day))
        .order_by_desc(lpr_rate::Column::EffectiveOn)
        .one(conn)
        .await?
        .ok_or_else(|| {
            tracing::error!(%day, "no LPR in the lpr_rate table for this day");
            AppError::Internal { request_id: None }
        })?;
    Ok(pct_of(rate.rate_bp))
}

/// The contract's terms, checked in full against its value; every problem at once.
struct CheckedContract {
    term: PaymentTerm,
    acceptance_days: u32,
    interest: LateInterestTerms,
    security: Option<Money>,
    security_forms: Vec<SecurityForm>,
    milestones: Vec<MilestonePlan>,
}

fn check_form(
    form: &ContractForm,
    value: Money,
    lpr: Decimal,
) -> Result<CheckedContract, Vec<FieldError>> {
    let mut errors = Vec::new();
    let term = if form.payment_term.trim().is_empty() {
        Some(PaymentTerm::default())
    } else {
        PaymentTerm::parse(&form.payment_term)
            .map_err(|e| errors.push(FieldError::new("payment_term", e.text())))
            .ok()
    };
    let acceptance_days = match form.acceptance_days.trim() {
        "" => Some(DEFAULT_ACCEPTANCE_DAYS),
        s => match s.parse::<u32>() {
            Ok(n) if (1..=MAX_ACCEPTANCE_DAYS).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new(
                    "acceptance_days",
                    Text::new(
                        format!("验收期请填写 1 到 {MAX_ACCEPTANCE_DAYS} 之间的天数（R-PAY-02）。"),
                        format!(
                            "Enter the acceptance period as a number of days from 1 to {MAX_ACCEPTANCE_DAYS} (R-PAY-02)."
                        ),
                    ),
                ));
                None
            }
        },
    };
    let interest = LateInterestTerms::parse(&form.interest_rate, lpr)
        .map_err(|e| errors.push(FieldError::new("interest_rate", e)))
        .ok();
    let security = match form.performance_security.trim() {
        "" => Some(None),
        s => match Money::parse(s) {
            Ok(m) => match check_performance_security(&Policy::CHINA, value, m) {
                Ok(()) => Some(Some(m)),
                Err(e) => {
                    errors.push(FieldError::new("performance_security", e));
                    None
                }
            },
            Err(e) => {
                errors.push(FieldError::new("performance_security", e.text()));
                None
            }
        },
    };
    // R-PAY-08: a performance security names the forms it may take, never cash only.
    let mut security_forms = Vec::new();
    if !form.performance_security.trim().is_empty() {
        let mut unknown = None;
        for code in form.security_forms.iter().filter(|c| !c.trim().is_empty()) {
            match SecurityForm::parse(code) {
                Ok(f) if !security_forms.contains(&f) => security_forms.push(f),
                Ok(_) => {}
                Err(e) => unknown = Some(e),
            }
        }
        if let Some(e) = unknown.or_else(|| check_security_forms(&security_forms).err()) {
            errors.push(FieldError::new("security_forms", e));
        }
    }
    let mut milestones = Vec::new();
    let mut rows_ok = true;
    for (i, m) in form.milestones.iter().enumerate() {
        let blank = m.deliverable.trim().is_empty()
            && m.amount.trim().is_empty()
            && m.planned_date.trim().is_empty();
        if blank {
            continue;
        }
        let amount = Money::parse(&m.amount)
            .map_err(|e| errors.push(FieldError::new(format!("milestones[{i}].amount"), e.text())))
            .ok();
        let planned = NaiveDate::parse_from_str(m.planned_date.trim(), "%Y-%m-%d")
            .map_err(|_| {
                errors.push(FieldError::new(
                    format!("milestones[{i}].planned_date"),
                    Text::new(
                        "请填写计划日期，例如 2027-03-31。",
                        "Enter the planned date, e.g. 2027-03-31.",
                    ),
                ))
            })
            .ok();
        match (amount, planned) {
            (Some(amount), Some(planned_date)) => milestones.push((
                i,
                MilestonePlan {
                    deliverable: m.deliverable.clone(),
                    amount,
                    planned_date,
                    advance_payment: m.advance.is_some(),
                },
            )),
            _ => rows_ok = false,
        }
    }
    if rows_ok {
        let plans: Vec<MilestonePlan> = milestones.iter().map(|(_, m)| m.clone()).collect();
        if let Err(found) = check_milestones(value, &plans) {
            // Field names follow the form's rows, blank rows included.
            for e in found {
                let field = match e.field.strip_prefix("milestones[") {
                    Some(rest) => {
                        let (n, tail) = rest.split_once(']').unwrap_or(("0", ""));
                        let row = n
                            .parse::<usize>()
                            .ok()
                            .and_then(|k| milestones.get(k))
                            .map_or(0, |(i, _)| *i);
                        format!("milestones[{row}]{tail}")
                    }
                    None => e.field.clone(),
                };
                errors.push(FieldError::new(field, e.message));
            }
        }
    }
    match (term, acceptance_days, interest, security) {
        (Some(term), Some(acceptance_days), Some(interest), Some(security))
            if errors.is_empty() =>
        {
            Ok(CheckedContract {
                term,
                acceptance_days,
                interest,
                security,
                security_forms,
                milestones: milestones.into_iter().map(|(_, m)| m).collect(),
            })
        }
        _ => Err(errors),
    }
}

/// The procurement officer signs the contract of its agency's awarded lot.
pub async fn create(
    state: &AppState,
    session: &Session,
    lot_id: Uuid,
    form: &ContractForm,
) -> Result<Uuid, AppError> {
    let agency = session.organisation_id.ok_or(AppError::Forbidden)?;
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let awarded = award::Entity::find_by_id(lot_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = tender::Entity::find_by_id(awarded.tender_id)
        .filter(tender::Column::AgencyId.eq(agency))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if contract::Entity::find()
        .filter(contract::Column::LotId.eq(lot_id))
        .one(&txn)
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
    let value = Money::from_fen(awarded.price_fen);
    let lpr = lpr_on(&txn, today).await?;
    let checked = check_form(form, value, lpr).map_err(|errors| AppError::Fields { errors })?;
    let id = Uuid::now_v7();
    contract::ActiveModel {
        id: Set(id),
        lot_id: Set(lot_id),
        tender_id: Set(t.id),
        agency_id: Set(agency),
        supplier_id: Set(awarded.organisation_id),
        value_fen: Set(value.to_fen()),
        payment_term_days: Set(checked.term.days() as i32),
        acceptance_days: Set(checked.acceptance_days as i32),
        interest_annual_bp: Set(match checked.interest {
            LateInterestTerms::Agreed { annual_pct } => Some(bp_of(annual_pct)),
            LateInterestTerms::Statutory => None,
        }),
        lpr_bp: Set(bp_of(lpr)),
        performance_security_fen: Set(checked.security.map(Money::to_fen)),
        awarded_on: Set(china_day(awarded.decided_at)),
        signed_at: Set(now),
        signed_by: Set(session.person_id),
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
    }
    .insert(&txn)
    .await?;
    for (i, m) in checked.milestones.iter().enumerate() {
        milestone::ActiveModel {
            id: Set(Uuid::now_v7()),
            contract_id: Set(id),
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
        }
        .insert(&txn)
        .await?;
    }
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
