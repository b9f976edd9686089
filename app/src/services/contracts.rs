//! Contracts and milestone payments (issue #6). Every query is scoped: an agency reaches only
//! its own contracts, a supplier only those it is party to. Timeliness (due dates, status,
//! interest) is computed from the stored dates and the clock by `domain::payment`; nothing has
//! to run for a payment to become overdue.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::domain::auth::Action;
use crate::domain::payment::{
    check_milestones, check_payment, check_performance_security, check_rejection,
    check_security_forms, late_interest, payable_status, payment_clock_start,
    receivable_confirmation_due, receivable_confirmation_overdue, signing_deadline,
    split_acceptance, timeliness_stats, LateInterestTerms, MilestonePlan, PayableRecord,
    PayableStatus, Payment, PaymentTerm, RejectionReason, SecurityForm, PUBLICATION_WORKING_DAYS,
};
use crate::domain::policy::Policy;
use crate::domain::{china_day, Money};
use crate::error::{AppError, FieldError};
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{
    award, contract, contract_amendment, document, lpr_rate, milestone, milestone_document,
    notification, organisation, payment, tender, tender_lot,
};
use crate::model::accounts::Session;
use crate::model::contracts::*;
use crate::services::AppState;

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
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
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

/// What one amendment changed in one milestone, kept as data (`contract_amendment.milestones`)
/// so the contract can be published as signed and as each amendment left it (issue #7).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AmendedMilestone {
    pub id: Uuid,
    pub deliverable_before: String,
    pub deliverable_after: String,
    pub planned_before: NaiveDate,
    pub planned_after: NaiveDate,
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
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
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
        .col_expr(milestone::Column::AcceptedAt, Expr::value(Some(now)))
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
    // Both sides are told: the supplier that it will be paid, and when; the agency's officers
    // that a payment now falls due.
    let term = PaymentTerm::new(c.payment_term_days.max(0) as u32).unwrap_or_default();
    let clock_start = m
        .delivered_at
        .and_then(|d| {
            payment_clock_start(
                china_day(d),
                c.acceptance_days.max(0) as u32,
                Some(today),
                today,
            )
        })
        .unwrap_or(today);
    let due = term.due_date(clock_start);
    let body = Text::new(
        format!(
            "付款节点「{}」已验收，应付 {}，付款到期日 {due}。",
            m.deliverable,
            split.undisputed.format_cny()
        ),
        format!(
            "Milestone \"{}\" was accepted: {} is payable by {due}.",
            m.deliverable,
            split.undisputed.format_cny()
        ),
    );
    for org in [c.supplier_id, c.agency_id] {
        notify(&txn, org, "payment.accepted", &c, &body, now, None).await?;
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
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
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
    kind: PaymentKind,
    amount: &str,
    paid_on: &str,
    bank_reference: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let amount = Money::parse(amount)
        .map_err(|e| errors.push(FieldError::new("amount", e.text())))
        .ok();
    let paid_on = match paid_on.trim() {
        // Left empty: paid the day the officer sent the form.
        "" => Some(china_day(state.clock.now())),
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

    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    if let Some(done) = payment::Entity::find()
        .filter(payment::Column::RequestKey.eq(request_key))
        .one(&txn)
        .await?
    {
        // A retried or double-clicked release: already recorded.
        return if done.milestone_id == m.id && done.kind == kind.code() {
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
    // R-PAY-05: interest is a payable of its own, paid up to what has accrued by today.
    let (outstanding, column, before) = match kind {
        PaymentKind::Principal => (view.outstanding, milestone::Column::PaidFen, m.paid_fen),
        PaymentKind::Interest => (
            view.interest_outstanding,
            milestone::Column::InterestPaidFen,
            m.interest_paid_fen,
        ),
    };
    if kind == PaymentKind::Interest && outstanding == Money::ZERO {
        return Err(conflict(
            "该节点没有未付的逾期利息。",
            "This milestone has no late interest outstanding.",
        ));
    }
    check_payment(amount, outstanding, paid_on, today)
        .map_err(|errors| AppError::Fields { errors })?;
    // Counts only if nobody paid since the outstanding amount was read.
    let updated = milestone::Entity::update_many()
        .col_expr(column, Expr::value(before + amount.to_fen()))
        .filter(milestone::Column::Id.eq(m.id))
        .filter(column.eq(before))
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
        kind: Set(kind.code().to_string()),
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
        &(amount.to_fen(), paid_on, kind.code()),
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
        .filter(|p| p.kind != PaymentKind::Interest.code())
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
    let interest_paid = Money::from_fen(m.interest_paid_fen);
    let outstanding = payable.checked_sub(paid_total).unwrap_or(Money::ZERO);
    let confirmation = m
        .receivable_requested_on
        .map(|requested_on| ConfirmationView {
            requested_on,
            confirm_by: receivable_confirmation_due(requested_on),
            confirmed_on: m.receivable_confirmed_on,
            overdue: receivable_confirmation_overdue(
                requested_on,
                m.receivable_confirmed_on,
                today,
            ),
        });
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
        outstanding,
        interest,
        interest_paid,
        interest_outstanding: interest.checked_sub(interest_paid).unwrap_or(Money::ZERO),
        can_request_confirmation: confirmation.is_none() && outstanding > Money::ZERO,
        evidence: Vec::new(),
        confirmation,
        payments: payments
            .iter()
            .map(|p| PaymentView {
                kind: if p.kind == PaymentKind::Interest.code() {
                    PaymentKind::Interest
                } else {
                    PaymentKind::Principal
                },
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

/// The views of the contracts `filter` selects, each with its milestones, payments and
/// evidence: a fixed number of bulk queries for those, plus the titles, names and amendments of
/// each contract.
async fn contract_views(
    state: &AppState,
    filter: sea_orm::Condition,
    today: NaiveDate,
) -> Result<Vec<ContractView>, AppError> {
    let contracts = contracts_with_milestones(&state.db, Some(filter)).await?;
    let ids: Vec<Uuid> = contracts
        .iter()
        .flat_map(|(_, ms)| ms.iter().map(|(m, _)| m.id))
        .collect();
    let mut evidence = evidence_of_many(&state.db, &ids).await?;
    let mut out = Vec::with_capacity(contracts.len());
    for (c, milestones) in contracts {
        out.push(contract_view(state, c, milestones, &mut evidence, today).await?);
    }
    Ok(out)
}

async fn contract_view(
    state: &AppState,
    c: contract::Model,
    loaded: Vec<(milestone::Model, Vec<payment::Model>)>,
    evidence: &mut std::collections::HashMap<Uuid, Vec<EvidenceView>>,
    today: NaiveDate,
) -> Result<ContractView, AppError> {
    let conn = &state.db;
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
    let milestones = loaded
        .iter()
        .map(|(m, payments)| {
            let mut view = milestone_view(&c, m, payments, today);
            view.evidence = evidence.remove(&m.id).unwrap_or_default();
            view
        })
        .collect();
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
        security_forms: c
            .security_forms
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|code| SecurityForm::parse(code).ok())
            .collect(),
        awarded_on: c.awarded_on,
        signed_at: c.signed_at,
        milestones,
        can_deliver: false,
        can_accept: false,
        can_pay: false,
        release_key: Uuid::now_v7(),
        interest_release_key: Uuid::now_v7(),
        // R-AWARD-01: published within 2 working days of signing.
        publish_by: crate::services::bids::working_days_after(
            state,
            china_day(c.signed_at),
            PUBLICATION_WORKING_DAYS,
        ),
        published_at: c.published_at,
        can_publish: false,
        version: c.version,
        amendments: contract_amendment::Entity::find()
            .filter(contract_amendment::Column::ContractId.eq(c.id))
            .order_by_asc(contract_amendment::Column::Version)
            .all(conn)
            .await?
            .into_iter()
            .map(|a| AmendmentView {
                version: a.version,
                reason: a.reason,
                changes: serde_json::from_str(&a.changes).unwrap_or_default(),
                amended_at: a.amended_at,
            })
            .collect(),
        can_amend: false,
    })
}

/// One contract, for the officers of its agency or its supplier.
pub async fn contract_for(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<ContractView, AppError> {
    let org = session.organisation_id.ok_or(AppError::NotFound)?;
    let party = sea_orm::Condition::any()
        .add(contract::Column::AgencyId.eq(org))
        .add(contract::Column::SupplierId.eq(org));
    let mut view = contract_views(
        state,
        sea_orm::Condition::all()
            .add(contract::Column::Id.eq(id))
            .add(party),
        china_day(state.clock.now()),
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    let as_agency = contract::Entity::find_by_id(id)
        .filter(contract::Column::AgencyId.eq(org))
        .one(&state.db)
        .await?
        .is_some();
    let may = |a| crate::domain::auth::permits(session.role, a);
    view.can_deliver = !as_agency && may(Action::SubmitBid);
    view.can_accept = as_agency && may(Action::AcceptDelivery);
    view.can_pay = as_agency && may(Action::ReleasePayment);
    view.can_publish = as_agency && may(Action::CreateTender) && view.published_at.is_none();
    view.can_amend = as_agency && may(Action::CreateTender);
    Ok(view)
}

/// Every contract of a supplier, newest first.
pub async fn receivables(state: &AppState, supplier: Uuid) -> Result<Vec<ContractView>, AppError> {
    let today = china_day(state.clock.now());
    let mut out = contract_views(
        state,
        sea_orm::Condition::all().add(contract::Column::SupplierId.eq(supplier)),
        today,
    )
    .await?;
    out.sort_by_key(|c| std::cmp::Reverse(c.signed_at));
    for view in &mut out {
        view.can_deliver = true;
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
    for view in contract_views(
        state,
        sea_orm::Condition::all().add(contract::Column::AgencyId.eq(agency)),
        today,
    )
    .await?
    {
        for m in &view.milestones {
            // Unpaid and due soon or overdue, or late interest still owed (R-PAY-05).
            let due_soon = m.outstanding > Money::ZERO && m.due_date.is_some_and(|d| d <= horizon);
            if due_soon || m.interest_outstanding > Money::ZERO {
                let mut summary = view.clone();
                summary.milestones.clear();
                rows.push((summary, m.clone()));
            }
        }
    }
    rows.sort_by_key(|(_, m)| (m.due_date, m.position));
    Ok(rows)
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

/// The contracts `organisation` is party to (as agency or supplier), with their milestones and
/// payments: three queries, however many contracts.
async fn contracts_with_milestones(
    conn: &impl ConnectionTrait,
    filter: Option<sea_orm::Condition>,
) -> Result<
    Vec<(
        contract::Model,
        Vec<(milestone::Model, Vec<payment::Model>)>,
    )>,
    AppError,
> {
    let mut query = contract::Entity::find();
    if let Some(f) = filter {
        query = query.filter(f);
    }
    let contracts = query.all(conn).await?;
    let ids: Vec<Uuid> = contracts.iter().map(|c| c.id).collect();
    let mut milestones = Vec::new();
    for chunk in ids.chunks(500) {
        milestones.extend(
            milestone::Entity::find()
                .filter(milestone::Column::ContractId.is_in(chunk.to_vec()))
                .order_by_asc(milestone::Column::Position)
                .all(conn)
                .await?,
        );
    }
    let milestone_ids: Vec<Uuid> = milestones.iter().map(|m| m.id).collect();
    let mut payments: std::collections::HashMap<Uuid, Vec<payment::Model>> = Default::default();
    for chunk in milestone_ids.chunks(500) {
        for p in payment::Entity::find()
            .filter(payment::Column::MilestoneId.is_in(chunk.to_vec()))
            .order_by_asc(payment::Column::PaidOn)
            .order_by_asc(payment::Column::RecordedAt)
            .all(conn)
            .await?
        {
            payments.entry(p.milestone_id).or_default().push(p);
        }
    }
    let mut by_contract: std::collections::HashMap<
        Uuid,
        Vec<(milestone::Model, Vec<payment::Model>)>,
    > = Default::default();
    for m in milestones {
        let p = payments.remove(&m.id).unwrap_or_default();
        by_contract.entry(m.contract_id).or_default().push((m, p));
    }
    Ok(contracts
        .into_iter()
        .map(|c| {
            let ms = by_contract.remove(&c.id).unwrap_or_default();
            (c, ms)
        })
        .collect())
}

/// Which reminder a payable has reached on `today`: due within 7 days, due tomorrow (or today),
/// or overdue. Paid payables and those due later have none.
fn reminder_stage(status: Option<PayableStatus>) -> Option<&'static str> {
    match status? {
        PayableStatus::Overdue { .. } => Some("overdue"),
        PayableStatus::DueToday | PayableStatus::NotYetDue { days_left: 1 } => Some("due1"),
        PayableStatus::NotYetDue { days_left } if days_left <= 7 => Some("due7"),
        _ => None,
    }
}

/// Writes the payment reminders `organisation` has reached since it last looked: for each
/// unpaid milestone, the latest of "due in 7 days", "due tomorrow" and "overdue" that applies,
/// once (the dedupe key names the stage, the milestone, its due date and the organisation).
/// Reminders come from dates and the clock, so they appear without any job running.
pub async fn sync_reminders(state: &AppState, organisation: Uuid) -> Result<(), AppError> {
    use sea_orm::Condition;
    let now = state.clock.now();
    let today = china_day(now);
    let contracts = contracts_with_milestones(
        &state.db,
        Some(
            Condition::any()
                .add(contract::Column::AgencyId.eq(organisation))
                .add(contract::Column::SupplierId.eq(organisation)),
        ),
    )
    .await?;
    let mut reminders = Vec::new();
    for (c, milestones) in contracts {
        for (m, payments) in milestones {
            let view = milestone_view(&c, &m, &payments, today);
            let (Some(stage), Some(due)) = (reminder_stage(view.status), view.due_date) else {
                continue;
            };
            if view.outstanding == Money::ZERO {
                continue;
            }
            let amount = view.outstanding.format_cny();
            let body = match stage {
                "overdue" => Text::new(
                    format!(
                        "付款节点「{}」的 {amount} 已于 {due} 到期，现已逾期，逾期利息按日计算（R-PAY-05）。",
                        m.deliverable
                    ),
                    format!(
                        "{amount} for milestone \"{}\" was due on {due} and is overdue: late interest accrues daily (R-PAY-05).",
                        m.deliverable
                    ),
                ),
                "due1" => Text::new(
                    format!("付款节点「{}」的 {amount} 将于 {due} 到期（明天或今天）。", m.deliverable),
                    format!(
                        "{amount} for milestone \"{}\" falls due on {due} (tomorrow or today).",
                        m.deliverable
                    ),
                ),
                _ => Text::new(
                    format!("付款节点「{}」的 {amount} 将于 {due} 到期（7 天内）。", m.deliverable),
                    format!(
                        "{amount} for milestone \"{}\" falls due on {due}, within 7 days.",
                        m.deliverable
                    ),
                ),
            };
            let key = format!(
                "pay-{stage}-{}-{due}-{}",
                m.id.simple(),
                organisation.simple()
            );
            reminders.push((format!("payment.{stage}"), c.clone(), body, key));
        }
    }
    if reminders.is_empty() {
        return Ok(());
    }
    // Through the writers' queue like every write (on SQLite, a write straight on the pool
    // would take the file's lock beside the queue); one written twice, by two requests or two
    // servers at once, is kept once (its dedupe key).
    let txn = crate::infra::db::begin_write(&state.db).await?;
    for (kind, c, body, key) in reminders {
        notify(&txn, organisation, &kind, &c, &body, now, Some(key)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The organisation's payment notifications, newest first.
pub async fn payment_notices(
    state: &AppState,
    organisation: Uuid,
) -> Result<Vec<crate::model::supplier::NotificationView>, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::OrganisationId.eq(organisation))
        .filter(notification::Column::Kind.starts_with("payment."))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(20)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|n| crate::model::supplier::NotificationView {
            id: n.id,
            tender_id: n.tender_id,
            contract_id: n.contract_id,
            body: Text::new(n.body_zh, n.body_en),
            created_at: n.created_at,
            read: n.read_at.is_some(),
        })
        .collect())
}

/// R-PAY-06: the supplier asks the agency to confirm a receivable it is owed.
pub async fn request_confirmation(
    state: &AppState,
    session: &Session,
    supplier: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, supplier, false, id).await?;
    let view = milestone_view(&c, &m, &payments_of(&txn, m.id).await?, today);
    if !view.can_request_confirmation {
        return Err(conflict(
            "只有已到付款阶段、尚未付清且未申请过确认的节点可以申请确认应收款。",
            "Only a milestone that is payable, not fully paid and not yet asked about can have its receivable confirmed.",
        ));
    }
    let updated = milestone::Entity::update_many()
        .col_expr(
            milestone::Column::ReceivableRequestedOn,
            Expr::value(Some(today)),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::ReceivableRequestedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "已经申请过确认。",
            "A confirmation was already requested.",
        ));
    }
    let by = receivable_confirmation_due(today);
    let body = Text::new(
        format!(
            "供应商申请确认付款节点「{}」的应收款 {}，请于 {by} 前确认（R-PAY-06）。",
            m.deliverable,
            view.outstanding.format_cny()
        ),
        format!(
            "The supplier asks you to confirm the receivable of {} for milestone \"{}\" by {by} (R-PAY-06).",
            view.outstanding.format_cny(),
            m.deliverable
        ),
    );
    notify(
        &txn,
        c.agency_id,
        "payment.confirmation_requested",
        &c,
        &body,
        now,
        None,
    )
    .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "receivable.request",
        "milestone",
        m.id,
        &today,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-PAY-06: the agency confirms the receivable the supplier asked about.
pub async fn confirm_receivable(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let today = china_day(now);
    let (c, m) = scoped_milestone(&txn, agency, true, id).await?;
    let updated = milestone::Entity::update_many()
        .col_expr(
            milestone::Column::ReceivableConfirmedOn,
            Expr::value(Some(today)),
        )
        .filter(milestone::Column::Id.eq(m.id))
        .filter(milestone::Column::ReceivableRequestedOn.is_not_null())
        .filter(milestone::Column::ReceivableConfirmedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(conflict(
            "该应收款没有待确认的申请。",
            "No confirmation of this receivable is waiting.",
        ));
    }
    let body = Text::new(
        format!(
            "采购人已确认付款节点「{}」的应收款（R-PAY-06）。",
            m.deliverable
        ),
        format!(
            "The buyer confirmed the receivable for milestone \"{}\" (R-PAY-06).",
            m.deliverable
        ),
    );
    notify(
        &txn,
        c.supplier_id,
        "payment.confirmed",
        &c,
        &body,
        now,
        None,
    )
    .await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "receivable.confirm",
        "milestone",
        m.id,
        &today,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-AWARD-01: the procurement officer publishes the signed contract (once).
pub async fn publish(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let updated = contract::Entity::update_many()
        .col_expr(contract::Column::PublishedAt, Expr::value(Some(now)))
        .filter(contract::Column::Id.eq(id))
        .filter(contract::Column::AgencyId.eq(agency))
        .filter(contract::Column::PublishedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        contract::Entity::find_by_id(id)
            .filter(contract::Column::AgencyId.eq(agency))
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(conflict(
            "合同已经公开。",
            "The contract is already published.",
        ));
    }
    audit::record(
        &txn,
        now,
        actor(session),
        "contract.publish",
        "contract",
        id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-PAY-07: one payable per milestone whose payment clock has started, as the statistics need
/// it: paid on the day its principal payments reached the payable amount.
fn payable_record(
    c: &contract::Model,
    m: &milestone::Model,
    payments: &[payment::Model],
    today: NaiveDate,
) -> Option<PayableRecord> {
    let view = milestone_view(c, m, payments, today);
    let due_date = view.due_date?;
    let term = PaymentTerm::new(c.payment_term_days.max(0) as u32).unwrap_or_default();
    let clock_start = due_date
        .checked_sub_days(Days::new(u64::from(term.days())))
        .unwrap_or(due_date);
    let mut paid = Money::ZERO;
    let mut paid_on = None;
    let mut interest_paid = Money::ZERO;
    for p in payments.iter().filter(|p| p.paid_on <= today) {
        let amount = Money::from_fen(p.amount_fen);
        if p.kind == PaymentKind::Interest.code() {
            interest_paid = interest_paid.checked_add(amount).unwrap_or(interest_paid);
        } else if paid_on.is_none() {
            paid = paid.checked_add(amount).unwrap_or(paid);
            if paid >= view.payable {
                paid_on = Some(p.paid_on);
            }
        }
    }
    Some(PayableRecord {
        amount: view.payable,
        clock_start,
        due_date,
        paid_on,
        interest_paid,
    })
}

/// R-PAY-07: the public timeliness report: overall and per agency, for one year of due dates
/// or all of them. It reads every contract, so it is computed once and shared until something
/// changes or the day turns (`AppState::timeliness`).
pub async fn timeliness_report(
    state: &AppState,
    year: Option<i32>,
) -> Result<std::sync::Arc<TimelinessReport>, AppError> {
    let today = china_day(state.clock.now());
    state
        .timeliness
        .get_or_compute(&state.changes, (year, today), || {
            compute_timeliness_report(state, year, today)
        })
        .await
}

async fn compute_timeliness_report(
    state: &AppState,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<TimelinessReport, AppError> {
    use chrono::Datelike;
    let contracts = contracts_with_milestones(&state.db, None).await?;
    let mut years = std::collections::BTreeSet::new();
    let mut all = Vec::new();
    let mut by_agency: std::collections::BTreeMap<Uuid, Vec<PayableRecord>> = Default::default();
    for (c, milestones) in &contracts {
        by_agency.entry(c.agency_id).or_default();
        for (m, payments) in milestones {
            let Some(record) = payable_record(c, m, payments, today) else {
                continue;
            };
            years.insert(record.due_date.year());
            if year.is_some_and(|y| record.due_date.year() != y) {
                continue;
            }
            all.push(record);
            by_agency.entry(c.agency_id).or_default().push(record);
        }
    }
    let ids: Vec<Uuid> = by_agency.keys().copied().collect();
    let names: std::collections::HashMap<Uuid, String> = if ids.is_empty() {
        Default::default()
    } else {
        organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };
    let mut agencies: Vec<AgencyTimeliness> = by_agency
        .into_iter()
        .map(|(agency_id, records)| AgencyTimeliness {
            agency_id,
            agency_name: names.get(&agency_id).cloned().unwrap_or_default(),
            stats: timeliness_stats(&records, today),
        })
        .collect();
    agencies.sort_by(|a, b| a.agency_name.cmp(&b.agency_name));
    Ok(TimelinessReport {
        as_of: today,
        year,
        years: years.into_iter().rev().collect(),
        overall: timeliness_stats(&all, today),
        agency_total: agencies.len(),
        agency_offset: 0,
        agencies,
    })
}

/// One CSV field, always quoted (quotes doubled); a field a spreadsheet would run as a formula
/// starts with an apostrophe.
pub(crate) fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// R-PAY-07: the timeliness report as CSV, one row per agency and a last row for all of them.
pub fn timeliness_csv_text(report: &TimelinessReport) -> String {
    let mut out = String::from(
        "agency,as_of,year,payables,paid,paid_on_time,paid_late,on_time_rate,median_days_to_pay,overdue_count,overdue_value_cny,interest_paid_cny\r\n",
    );
    let year = report.year.map(|y| y.to_string()).unwrap_or_default();
    let rows = report
        .agencies
        .iter()
        .map(|a| (a.agency_name.as_str(), &a.stats))
        .chain(std::iter::once(("全部 / All", &report.overall)));
    for (name, s) in rows {
        let cells = [
            csv_field(name),
            report.as_of.to_string(),
            year.clone(),
            s.payables.to_string(),
            s.paid.to_string(),
            s.paid_on_time.to_string(),
            s.paid_late.to_string(),
            s.on_time_rate.map(|r| r.to_string()).unwrap_or_default(),
            s.median_days_to_pay
                .map(|d| d.to_string())
                .unwrap_or_default(),
            s.overdue_count.to_string(),
            format!("{:.2}", s.overdue_value),
            format!("{:.2}", s.interest_paid),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `GET /payments.csv?year=2026`: the public timeliness figures as a spreadsheet file.
pub async fn timeliness_csv(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let year = match parse_year(query.get("year").map(String::as_str).unwrap_or("")) {
        Ok(y) => y,
        Err(e) => {
            let message = match &e {
                AppError::Invalid { message, .. } => message.en.clone(),
                _ => String::from("Bad request"),
            };
            return (StatusCode::BAD_REQUEST, message).into_response();
        }
    };
    match timeliness_report(&state, year).await {
        Ok(report) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"payment-timeliness.csv\"",
                ),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            // A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
            format!("\u{feff}{}", timeliness_csv_text(&report)),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "timeliness CSV failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

/// The evidence documents of each of `milestone_ids`, oldest first.
async fn evidence_of_many(
    conn: &impl ConnectionTrait,
    milestone_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<EvidenceView>>, AppError> {
    let mut links = Vec::new();
    for chunk in milestone_ids.chunks(500) {
        links.extend(
            milestone_document::Entity::find()
                .filter(milestone_document::Column::MilestoneId.is_in(chunk.to_vec()))
                .order_by_asc(milestone_document::Column::AddedAt)
                .order_by_asc(milestone_document::Column::Id)
                .all(conn)
                .await?,
        );
    }
    let mut docs = std::collections::HashMap::new();
    let doc_ids: Vec<Uuid> = links.iter().map(|l| l.document_id).collect();
    for chunk in doc_ids.chunks(500) {
        for d in document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            docs.insert(d.id, d);
        }
    }
    let mut out: std::collections::HashMap<Uuid, Vec<EvidenceView>> = Default::default();
    for l in links {
        if let Some(d) = docs.get(&l.document_id) {
            out.entry(l.milestone_id).or_default().push(EvidenceView {
                name: d.original_name.clone(),
                size_bytes: d.size_bytes,
                href: format!("/contracts/milestones/{}/evidence/{}", l.milestone_id, l.id),
            });
        }
    }
    Ok(out)
}

/// The contract of a milestone `organisation` is party to (for the upload's redirect).
pub async fn contract_of_milestone(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    milestone_id: Uuid,
) -> Result<Uuid, AppError> {
    let m = milestone::Entity::find_by_id(milestone_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    contract::Entity::find_by_id(m.contract_id)
        .one(conn)
        .await?
        .filter(|c| c.agency_id == organisation || c.supplier_id == organisation)
        .map(|c| c.id)
        .ok_or(AppError::NotFound)
}

/// Refuses evidence for a milestone that is not the supplier's, is an advance, is delivered
/// (awaiting a decision) or accepted, or already has the most documents. Checked before the
/// file is read, and again in the transaction that attaches it.
pub async fn check_evidence_allowed(
    conn: &impl ConnectionTrait,
    supplier: Uuid,
    milestone_id: Uuid,
) -> Result<(), AppError> {
    let (_, m) = scoped_milestone(conn, supplier, false, milestone_id).await?;
    if m.advance {
        return Err(conflict(
            "预付款节点无需交付材料。",
            "An advance payment needs no delivery evidence.",
        ));
    }
    if m.delivered_at.is_some() || m.accepted_on.is_some() {
        return Err(conflict(
            "该节点已交付，等待验收期间不能再添加材料；如被退回，可补充后重新交付。",
            "This milestone is delivered: evidence cannot be added while it awaits a decision. If it is rejected, add more and deliver again.",
        ));
    }
    let count = sea_orm::PaginatorTrait::count(
        milestone_document::Entity::find()
            .filter(milestone_document::Column::MilestoneId.eq(milestone_id)),
        conn,
    )
    .await?;
    if count >= MAX_EVIDENCE_DOCUMENTS {
        return Err(AppError::invalid(
            "file",
            Text::new(
                format!("每个节点最多上传 {MAX_EVIDENCE_DOCUMENTS} 份交付材料。"),
                format!("A milestone takes at most {MAX_EVIDENCE_DOCUMENTS} evidence documents."),
            ),
        ));
    }
    Ok(())
}

/// Attaches a stored document to the supplier's milestone as delivery evidence.
pub async fn attach_evidence(
    conn: &impl ConnectionTrait,
    session: &Session,
    supplier: Uuid,
    milestone_id: Uuid,
    document_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    check_evidence_allowed(conn, supplier, milestone_id).await?;
    let id = Uuid::now_v7();
    milestone_document::ActiveModel {
        id: Set(id),
        milestone_id: Set(milestone_id),
        document_id: Set(document_id),
        added_by: Set(session.person_id),
        added_at: Set(now),
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        now,
        actor(session),
        "milestone.evidence",
        "milestone",
        milestone_id,
        &document_id,
    )
    .await?;
    Ok(())
}

/// An evidence document, for the officers of the contract's agency and its supplier.
pub async fn evidence_document(
    conn: &impl ConnectionTrait,
    organisation: Uuid,
    milestone_id: Uuid,
    id: Uuid,
) -> Result<document::Model, AppError> {
    contract_of_milestone(conn, organisation, milestone_id).await?;
    let link = milestone_document::Entity::find_by_id(id)
        .filter(milestone_document::Column::MilestoneId.eq(milestone_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    document::Entity::find_by_id(link.document_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The procurement officer amends a contract: new deliverables or planned dates for milestones
/// not yet delivered, with a written reason. Each amendment is a version of its own, recorded
/// with what changed from what to what; the supplier is told. Amounts stay as signed.
pub async fn amend(
    state: &AppState,
    session: &Session,
    agency: Uuid,
    id: Uuid,
    form: &AmendmentForm,
) -> Result<i32, AppError> {
    let mut errors = Vec::new();
    let reason = crate::domain::text_field(&form.reason, "reason", 2000, true, &mut errors);
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    let c = contract::Entity::find_by_id(id)
        .filter(contract::Column::AgencyId.eq(agency))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ContractId.eq(c.id))
        .order_by_asc(milestone::Column::Position)
        .all(&txn)
        .await?;
    let mut updates = Vec::new();
    let mut changes = Vec::new();
    let mut amended = Vec::new();
    for (i, row) in form.milestones.iter().enumerate() {
        let Some(m) = milestones
            .iter()
            .find(|m| Some(m.id) == row.id.trim().parse().ok())
        else {
            continue;
        };
        let number = m.position + 1;
        let deliverable = row.deliverable.trim();
        let deliverable = if deliverable.is_empty() {
            m.deliverable.as_str()
        } else {
            deliverable
        };
        let planned = match row.planned_date.trim() {
            "" => m.planned_on,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => d,
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("milestones[{i}].planned_date"),
                        Text::new(
                            "请填写计划日期，例如 2027-03-31。",
                            "Enter the planned date, e.g. 2027-03-31.",
                        ),
                    ));
                    continue;
                }
            },
        };
        if deliverable == m.deliverable && planned == m.planned_on {
            continue;
        }
        if m.delivered_at.is_some() || m.accepted_on.is_some() || m.advance {
            errors.push(FieldError::new(
                format!("milestones[{i}].deliverable"),
                Text::new(
                    format!("付款节点 {number} 已交付、已验收或为预付款，不能再修改。"),
                    format!("Milestone {number} is delivered, accepted or an advance payment: it can no longer be amended."),
                ),
            ));
            continue;
        }
        if deliverable.chars().count() > crate::domain::payment::MAX_DELIVERABLE_CHARS {
            errors.push(FieldError::new(
                format!("milestones[{i}].deliverable"),
                Text::new("交付内容过长。", "The deliverable is too long."),
            ));
            continue;
        }
        if deliverable != m.deliverable {
            changes.push(Text::new(
                format!(
                    "付款节点 {number} 交付内容：「{}」→「{deliverable}」",
                    m.deliverable
                ),
                format!(
                    "Milestone {number} deliverable: \"{}\" → \"{deliverable}\"",
                    m.deliverable
                ),
            ));
        }
        if planned != m.planned_on {
            changes.push(Text::new(
                format!("付款节点 {number} 计划日期：{} → {planned}", m.planned_on),
                format!(
                    "Milestone {number} planned date: {} → {planned}",
                    m.planned_on
                ),
            ));
        }
        amended.push(AmendedMilestone {
            id: m.id,
            deliverable_before: m.deliverable.clone(),
            deliverable_after: deliverable.to_string(),
            planned_before: m.planned_on,
            planned_after: planned,
        });
        updates.push((m.id, deliverable.to_string(), planned));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields { errors });
    }
    let Some(reason) = reason else {
        return Err(AppError::Fields { errors });
    };
    if changes.is_empty() {
        return Err(AppError::invalid(
            "milestones",
            Text::new("没有任何修改。", "Nothing was changed."),
        ));
    }
    let version = c.version + 1;
    // Counts only if nobody amended since the contract was read.
    let bumped = contract::Entity::update_many()
        .col_expr(contract::Column::Version, Expr::value(version))
        .filter(contract::Column::Id.eq(c.id))
        .filter(contract::Column::Version.eq(c.version))
        .exec(&txn)
        .await?;
    if bumped.rows_affected != 1 {
        return Err(conflict(
            "合同刚刚被修改过，请刷新页面后重试。",
            "The contract was just amended: reload the page and try again.",
        ));
    }
    for (mid, deliverable, planned) in updates {
        milestone::Entity::update_many()
            .col_expr(milestone::Column::Deliverable, Expr::value(deliverable))
            .col_expr(milestone::Column::PlannedOn, Expr::value(planned))
            .filter(milestone::Column::Id.eq(mid))
            .exec(&txn)
            .await?;
    }
    contract_amendment::ActiveModel {
        id: Set(Uuid::now_v7()),
        contract_id: Set(c.id),
        version: Set(version),
        reason: Set(reason.clone()),
        changes: Set(serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into())),
        milestones: Set(serde_json::to_string(&amended).ok()),
        amended_by: Set(session.person_id),
        amended_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let body = Text::new(
        format!("合同已修改为第 {version} 版：{reason}"),
        format!("The contract was amended (version {version}): {reason}"),
    );
    notify(&txn, c.supplier_id, "payment.amended", &c, &body, now, None).await?;
    audit::record(
        &txn,
        now,
        actor(session),
        "contract.amend",
        "contract",
        c.id,
        &(version, &changes),
    )
    .await?;
    txn.commit().await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payment::TimelinessStats;

    #[test]
    fn reminders_come_at_7_days_1_day_and_when_overdue() {
        let stage = |s| reminder_stage(Some(s));
        assert_eq!(stage(PayableStatus::NotYetDue { days_left: 8 }), None);
        assert_eq!(
            stage(PayableStatus::NotYetDue { days_left: 7 }),
            Some("due7")
        );
        assert_eq!(
            stage(PayableStatus::NotYetDue { days_left: 2 }),
            Some("due7")
        );
        assert_eq!(
            stage(PayableStatus::NotYetDue { days_left: 1 }),
            Some("due1")
        );
        assert_eq!(stage(PayableStatus::DueToday), Some("due1"));
        assert_eq!(
            stage(PayableStatus::Overdue { days_overdue: 1 }),
            Some("overdue")
        );
        assert_eq!(stage(PayableStatus::PaidOnTime), None);
        assert_eq!(stage(PayableStatus::PaidLate { days_late: 3 }), None);
        assert_eq!(
            reminder_stage(None),
            None,
            "the payment clock has not started"
        );
    }

    #[test]
    fn r_pay_07_csv_quotes_names_and_disarms_formulas() {
        assert_eq!(csv_field("杭州市财政局"), "\"杭州市财政局\"");
        assert_eq!(csv_field("A \"B\", C"), "\"A \"\"B\"\", C\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        let stats = |paid_on_time, paid_late| TimelinessStats {
            payables: paid_on_time + paid_late,
            paid: paid_on_time + paid_late,
            paid_on_time,
            paid_late,
            on_time_rate: Some(Decimal::new(5, 1)),
            median_days_to_pay: Some(Decimal::new(285, 1)),
            overdue_count: 0,
            overdue_value: Decimal::ZERO,
            interest_paid: Decimal::new(142500, 2),
        };
        let report = TimelinessReport {
            as_of: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
            year: Some(2027),
            years: vec![2027],
            overall: stats(1, 1),
            agencies: vec![AgencyTimeliness {
                agency_id: Uuid::nil(),
                agency_name: "示范市财政局, 采购处".into(),
                stats: stats(1, 1),
            }],
            agency_total: 1,
            agency_offset: 0,
        };
        let csv = timeliness_csv_text(&report);
        let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            "\"示范市财政局, 采购处\",2027-01-20,2027,2,2,1,1,0.5,28.5,0,0.00,1425.00"
        );
        assert!(rows[2].starts_with("\"全部 / All\","));
    }
}
