//! Contracts and milestone payments (issue #6). Every query is scoped: an agency reaches only
//! its own contracts, a supplier only those it is party to. Timeliness (due dates, status,
//! interest) is computed from the stored dates and the clock by `domain::payment`; nothing has
//! to run for a payment to become overdue.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::db::begin_write;
use super::entities::{
    award, contract, lpr_rate, milestone, organisation, payment, tender, tender_lot,
};
use super::{audit, AppState};
use crate::api::accounts::Session;
use crate::api::contracts::*;
use crate::domain::auth::Action;
use crate::domain::payment::{
    check_milestones, check_payment, check_performance_security, check_rejection, late_interest,
    payable_status, payment_clock_start, signing_deadline, split_acceptance, LateInterestTerms,
    MilestonePlan, PayableStatus, Payment, PaymentTerm, RejectionReason,
};
use crate::domain::policy::Policy;
use crate::domain::{china_day, Money};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;

/// The acceptance period when the form leaves it empty, and the longest allowed (days).
const DEFAULT_ACCEPTANCE_DAYS: u32 = 10;
const MAX_ACCEPTANCE_DAYS: u32 = 60;
/// The finance dashboard shows what falls due within this many days.
const DUE_SOON_DAYS: u64 = 14;

fn actor(session: &Session) -> audit::Actor {
    audit::Actor {
        person: Some(session.person_id),
        organisation: session.organisation_id,
    }
}

fn bp_of(pct: Decimal) -> i32 {
    crate::domain::draft::percent_to_bp(pct)
}

fn pct_of(bp: i32) -> Decimal {
    crate::domain::draft::bp_to_percent(bp)
}

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
    let now = state.clock.now();
    let today = china_day(now);
    let txn = begin_write(&state.db).await?;
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
            accepted_fen: Set(None),
            rejected_at: Set(None),
            rejection_reason: Set(None),
            rejection_text: Set(None),
            paid_fen: Set(0),
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

/// The last day of the acceptance period of a delivery (R-PAY-02).
fn acceptance_end(c: &contract::Model, delivered_at: DateTime<Utc>) -> NaiveDate {
    china_day(delivered_at)
        .checked_add_days(Days::new(c.acceptance_days.max(0) as u64))
        .unwrap_or(NaiveDate::MAX)
}

/// The supplier marks a milestone delivered (again, after a rejection).
pub async fn deliver(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    id: Uuid,
    note: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let note = crate::domain::text_field(note, "note", 2000, false, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (_, m) = scoped_milestone(&txn, supplier, false, id).await?;
    if m.advance {
        return Err(conflict(
            "预付款节点无需交付，签订后即应支付。",
            "An advance payment needs no delivery: it is payable from signing.",
        ));
    }
    let updated = milestone::Entity::update_many()
        .col_expr(milestone::Column::DeliveredAt, Expr::value(Some(now)))
        .col_expr(milestone::Column::DeliveryNote, Expr::value(note))
        .col_expr(
            milestone::Column::RejectedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            milestone::Column::RejectionReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            milestone::Column::RejectionText,
            Expr::value(Option::<String>::None),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::DeliveredAt.is_null())
        .filter(milestone::Column::AcceptedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "该节点已标记交付，正在等待验收。",
            "This milestone is already marked delivered and awaits acceptance.",
        ));
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.deliver",
        "milestone",
        m.id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The agency accepts a delivered milestone, wholly or in part (R-PAY-04). Accepting after the
/// acceptance period does not move the payment clock (R-PAY-02).
pub async fn accept(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    accepted_amount: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let today = china_day(now);
    let txn = begin_write(&state.db).await?;
    let (_, m) = scoped_milestone(&txn, agency, true, id).await?;
    if m.delivered_at.is_none() || m.accepted_on.is_some() {
        return Err(conflict(
            "只能验收已交付、尚未验收的节点。",
            "Only a delivered milestone not yet accepted can be accepted.",
        ));
    }
    let amount = Money::from_fen(m.amount_fen);
    let accepted = match accepted_amount.trim() {
        "" => amount,
        s => Money::parse(s).map_err(|e| AppError::invalid("accepted_amount", e.text()))?,
    };
    let split = split_acceptance(amount, accepted, today)
        .map_err(|e| AppError::invalid("accepted_amount", e))?;
    let updated = milestone::Entity::update_many()
        .col_expr(milestone::Column::AcceptedOn, Expr::value(Some(today)))
        .col_expr(
            milestone::Column::AcceptedFen,
            Expr::value(Some(split.undisputed.to_fen())),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::AcceptedOn.is_null())
        .filter(milestone::Column::DeliveredAt.is_not_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "该节点刚刚已验收。",
            "This milestone was just accepted.",
        ));
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.accept",
        "milestone",
        m.id,
        &split.undisputed.to_fen(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The agency rejects a delivery within the acceptance period, with an allowed reason and an
/// explanation (R-PAY-03). The supplier may deliver again.
pub async fn reject(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    reason: &str,
    explanation: &str,
) -> Result<(), AppError> {
    let rejection =
        check_rejection(reason, explanation).map_err(|errors| AppError::Fields { errors })?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    let Some(delivered_at) = m.delivered_at.filter(|_| m.accepted_on.is_none()) else {
        return Err(conflict(
            "只能退回已交付、尚未验收的节点。",
            "Only a delivered milestone not yet accepted can be rejected.",
        ));
    };
    let end = acceptance_end(&c, delivered_at);
    if china_day(now) > end {
        // R-PAY-02: the period ended without a decision; the payment clock has started.
        return Err(AppError::Conflict {
            message: Text::new(
                format!("验收期已于 {end} 结束，付款期限已经开始计算，不能再退回（R-PAY-02）。"),
                format!(
                    "The acceptance period ended on {end}: the payment clock has started and the delivery can no longer be rejected (R-PAY-02)."
                ),
            ),
        });
    }
    milestone::Entity::update_many()
        .col_expr(
            milestone::Column::DeliveredAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(milestone::Column::RejectedAt, Expr::value(Some(now)))
        .col_expr(
            milestone::Column::RejectionReason,
            Expr::value(Some(rejection.reason.code().to_string())),
        )
        .col_expr(
            milestone::Column::RejectionText,
            Expr::value(Some(rejection.explanation.clone())),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.reject",
        "milestone",
        m.id,
        &(rejection.reason.code(), &rejection.explanation),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The finance officer records a payment. Idempotent on `request_key`; two releases racing for
/// the same outstanding amount pay once (the second sees the first's and is refused).
#[allow(clippy::too_many_arguments)]
pub async fn release(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    request_key: Uuid,
    amount: &str,
    paid_on: &str,
    bank_reference: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let today = china_day(now);
    let mut errors = Vec::new();
    let amount = Money::parse(amount)
        .map_err(|e| errors.push(FieldError::new("amount", e.text())))
        .ok();
    let paid_on = match paid_on.trim() {
        "" => Some(today),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| {
                errors.push(FieldError::new(
                    "paid_on",
                    Text::new(
                        "请填写付款日期，例如 2027-01-15。",
                        "Enter the payment date, e.g. 2027-01-15.",
                    ),
                ))
            })
            .ok(),
    };
    let reference =
        crate::domain::text_field(bank_reference, "bank_reference", 64, true, &mut errors);
    let (Some(amount), Some(paid_on), Some(reference)) = (amount, paid_on, reference) else {
        return Err(AppError::Fields { errors });
    };
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }

    let txn = begin_write(&state.db).await?;
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    if let Some(done) = payment::Entity::find()
        .filter(payment::Column::RequestKey.eq(request_key))
        .one(&txn)
        .await?
    {
        // A retried or double-clicked release: already recorded.
        return if done.milestone_id == m.id {
            Ok(())
        } else {
            Err(conflict(
                "表单已失效，请刷新页面后重试。",
                "The form is out of date: reload the page and try again.",
            ))
        };
    }
    let payments = payments_of(&txn, m.id).await?;
    let view = milestone_view(&c, &m, &payments, today);
    if view.due_date.is_none() {
        return Err(conflict(
            "该节点尚未验收且验收期未满，还不能付款。",
            "This milestone is not yet payable: it is neither accepted nor past its acceptance period.",
        ));
    }
    check_payment(amount, view.outstanding, paid_on, today)
        .map_err(|errors| AppError::Fields { errors })?;
    // Counts only if nobody paid since the outstanding amount was read.
    let updated = milestone::Entity::update_many()
        .col_expr(
            milestone::Column::PaidFen,
            Expr::value(m.paid_fen + amount.to_fen()),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::PaidFen.eq(m.paid_fen))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        let same = payment::Entity::find()
            .filter(payment::Column::RequestKey.eq(request_key))
            .one(&txn)
            .await?;
        return match same {
            Some(_) => Ok(()),
            None => Err(conflict(
                "刚刚有另一笔付款登记到该节点，请刷新页面查看未付金额。",
                "Another payment was just recorded on this milestone: reload the page to see what is outstanding.",
            )),
        };
    }
    payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        milestone_id: Set(m.id),
        amount_fen: Set(amount.to_fen()),
        paid_on: Set(paid_on),
        bank_reference: Set(reference),
        request_key: Set(request_key),
        recorded_by: Set(session.person_id),
        recorded_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "milestone.pay",
        "milestone",
        m.id,
        &(amount.to_fen(), paid_on),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn payments_of(
    conn: &impl ConnectionTrait,
    milestone_id: Uuid,
) -> Result<Vec<payment::Model>, AppError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::MilestoneId.eq(milestone_id))
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::RecordedAt)
        .all(conn)
        .await?)
}

fn interest_terms(c: &contract::Model) -> LateInterestTerms {
    match c.interest_annual_bp {
        Some(bp) => LateInterestTerms::Agreed {
            annual_pct: pct_of(bp),
        },
        None => LateInterestTerms::Statutory,
    }
}

/// Where a milestone stands on `today`: what is payable, when it is due, what is paid, and the
/// interest accrued (R-PAY-01, -02, -04, -05).
fn milestone_view(
    c: &contract::Model,
    m: &milestone::Model,
    payments: &[payment::Model],
    today: NaiveDate,
) -> MilestoneView {
    let amount = Money::from_fen(m.amount_fen);
    let acceptance_days = c.acceptance_days.max(0) as u32;
    let clock_start = if m.advance {
        Some(china_day(c.signed_at))
    } else {
        m.delivered_at
            .and_then(|d| payment_clock_start(china_day(d), acceptance_days, m.accepted_on, today))
    };
    let payable = match (clock_start, m.accepted_fen) {
        (None, _) => Money::ZERO,
        (Some(_), Some(accepted)) => Money::from_fen(accepted),
        (Some(_), None) => amount,
    };
    let term = PaymentTerm::new(c.payment_term_days.max(0) as u32).unwrap_or_default();
    let due_date = clock_start.map(|s| term.due_date(s));
    let paid: Vec<Payment> = payments
        .iter()
        .map(|p| Payment {
            paid_on: p.paid_on,
            amount: Money::from_fen(p.amount_fen),
        })
        .collect();
    let paid_total = Money::from_fen(m.paid_fen);
    let status = due_date.map(|due| payable_status(payable, due, &paid, today));
    let interest = due_date
        .and_then(|due| late_interest(payable, due, &paid, interest_terms(c), today).ok())
        .unwrap_or(Money::ZERO);
    MilestoneView {
        id: m.id,
        contract_id: c.id,
        position: m.position,
        deliverable: m.deliverable.clone(),
        amount,
        planned_on: m.planned_on,
        advance: m.advance,
        stage: if m.accepted_on.is_some() {
            MilestoneStage::Accepted
        } else if m.delivered_at.is_some() {
            MilestoneStage::Delivered
        } else if m.rejected_at.is_some() {
            MilestoneStage::Rejected
        } else {
            MilestoneStage::Planned
        },
        delivered_at: m.delivered_at,
        acceptance_until: m.delivered_at.map(|d| acceptance_end(c, d)),
        accepted_on: m.accepted_on,
        accepted_amount: m
            .accepted_fen
            .filter(|a| *a != m.amount_fen)
            .map(Money::from_fen),
        rejection: m.rejection_reason.as_deref().map(|code| {
            (
                RejectionReason::parse(code)
                    .map(|r| r.label())
                    .unwrap_or_else(|_| Text::new(code, code)),
                m.rejection_text.clone().unwrap_or_default(),
            )
        }),
        payable,
        due_date,
        status,
        paid: paid_total,
        outstanding: payable.checked_sub(paid_total).unwrap_or(Money::ZERO),
        interest,
        payments: payments
            .iter()
            .map(|p| PaymentView {
                amount: Money::from_fen(p.amount_fen),
                paid_on: p.paid_on,
                bank_reference: p.bank_reference.clone(),
            })
            .collect(),
    }
}

async fn name_of(conn: &impl ConnectionTrait, id: Uuid) -> Result<String, AppError> {
    Ok(organisation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

async fn contract_view(
    conn: &impl ConnectionTrait,
    c: contract::Model,
    today: NaiveDate,
) -> Result<ContractView, AppError> {
    let tender_title = tender::Entity::find_by_id(c.tender_id)
        .one(conn)
        .await?
        .map(|t| t.title)
        .unwrap_or_default();
    let lot_title = tender_lot::Entity::find_by_id(c.lot_id)
        .one(conn)
        .await?
        .map(|l| l.title)
        .unwrap_or_default();
    let mut milestones = Vec::new();
    for m in milestone::Entity::find()
        .filter(milestone::Column::ContractId.eq(c.id))
        .order_by_asc(milestone::Column::Position)
        .all(conn)
        .await?
    {
        let payments = payments_of(conn, m.id).await?;
        milestones.push(milestone_view(&c, &m, &payments, today));
    }
    let value = Money::from_fen(c.value_fen);
    Ok(ContractView {
        id: c.id,
        tender_id: c.tender_id,
        tender_title,
        lot_title,
        agency_name: name_of(conn, c.agency_id).await?,
        supplier_name: name_of(conn, c.supplier_id).await?,
        value,
        payment_term_days: c.payment_term_days,
        acceptance_days: c.acceptance_days,
        interest: interest_terms(&c),
        performance_security: c.performance_security_fen.map(Money::from_fen),
        awarded_on: c.awarded_on,
        signed_at: c.signed_at,
        milestones,
        can_deliver: false,
        can_accept: false,
        can_pay: false,
        release_key: Uuid::now_v7(),
    })
}

/// One contract, for the officers of its agency or its supplier.
pub async fn contract_for(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<ContractView, AppError> {
    let org = session.organisation_id.ok_or(AppError::NotFound)?;
    let c = contract::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|c| c.agency_id == org || c.supplier_id == org)
        .ok_or(AppError::NotFound)?;
    let as_agency = c.agency_id == org;
    let mut view = contract_view(&state.db, c, china_day(state.clock.now())).await?;
    let may = |a| crate::domain::auth::permits(session.role, a);
    view.can_deliver = !as_agency && may(Action::SubmitBid);
    view.can_accept = as_agency && may(Action::AcceptDelivery);
    view.can_pay = as_agency && may(Action::ReleasePayment);
    Ok(view)
}

/// Every contract of a supplier, newest first.
pub async fn receivables(state: &AppState, supplier: Uuid) -> Result<Vec<ContractView>, AppError> {
    let today = china_day(state.clock.now());
    let mut out = Vec::new();
    for c in contract::Entity::find()
        .filter(contract::Column::SupplierId.eq(supplier))
        .order_by_desc(contract::Column::SignedAt)
        .all(&state.db)
        .await?
    {
        let mut view = contract_view(&state.db, c, today).await?;
        view.can_deliver = true;
        out.push(view);
    }
    Ok(out)
}

/// The agency's awarded lots, with their contracts and the R-AWARD-01 signing deadline.
pub async fn awarded_lots(state: &AppState, agency: Uuid) -> Result<Vec<AwardedLot>, AppError> {
    let tenders = tender::Entity::find()
        .filter(tender::Column::AgencyId.eq(agency))
        .all(&state.db)
        .await?;
    let mut out = Vec::new();
    for t in tenders {
        for a in award::Entity::find()
            .filter(award::Column::TenderId.eq(t.id))
            .all(&state.db)
            .await?
        {
            let lot_title = tender_lot::Entity::find_by_id(a.lot_id)
                .one(&state.db)
                .await?
                .map(|l| l.title)
                .unwrap_or_default();
            let contract_id = contract::Entity::find()
                .filter(contract::Column::LotId.eq(a.lot_id))
                .one(&state.db)
                .await?
                .map(|c| c.id);
            let awarded_on = china_day(a.decided_at);
            out.push(AwardedLot {
                lot_id: a.lot_id,
                tender_id: t.id,
                tender_title: t.title.clone(),
                lot_title,
                supplier_name: name_of(&state.db, a.organisation_id).await?,
                price: Money::from_fen(a.price_fen),
                awarded_on,
                sign_by: signing_deadline(awarded_on),
                contract_id,
            });
        }
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.awarded_on));
    Ok(out)
}

/// What the agency owes within the next 14 days or is overdue, most overdue first.
pub async fn finance_dashboard(
    state: &AppState,
    agency: Uuid,
) -> Result<Vec<(ContractView, MilestoneView)>, AppError> {
    let today = china_day(state.clock.now());
    let horizon = today
        .checked_add_days(Days::new(DUE_SOON_DAYS))
        .unwrap_or(NaiveDate::MAX);
    let mut rows = Vec::new();
    for c in contract::Entity::find()
        .filter(contract::Column::AgencyId.eq(agency))
        .all(&state.db)
        .await?
    {
        let view = contract_view(&state.db, c, today).await?;
        for m in &view.milestones {
            let owing = m.outstanding > Money::ZERO || m.interest > Money::ZERO;
            let pending = !matches!(
                m.status,
                Some(PayableStatus::PaidOnTime) | Some(PayableStatus::PaidLate { .. })
            );
            if owing && pending && m.due_date.is_some_and(|d| d <= horizon) {
                let mut summary = view.clone();
                summary.milestones.clear();
                rows.push((summary, m.clone()));
            }
        }
    }
    rows.sort_by_key(|(_, m)| (m.due_date, m.position));
    Ok(rows)
}
