//! What a contract and its milestones look like on a given day: the views of the contract page,
//! the receivables page and the finance dashboard, and the bulk queries behind them.

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::auth::Action;
use crate::domain::calendar::Counted;
use crate::domain::contract::acceptance_end;
use crate::domain::payment::{
    allocate_payments, combined_status, dispute_status, late_interest, payable_status,
    payment_clock_start, publication_deadline_marked, publication_timeliness,
    receivable_confirmation_due, receivable_confirmation_overdue, signing_deadline,
    signing_timeliness, DisputeEnd, DisputeFacts, DisputeStatus, LateInterestTerms, PayableStatus,
    Payment, PaymentTerm, RejectionReason, SecurityForm,
};
use crate::domain::{china_day, Money, Percent};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{
    award, contract, contract_amendment, milestone, organisation, payment, tender, tender_lot,
};
use crate::model::accounts::Session;
use crate::model::contracts::*;
use crate::services::AppState;

use super::evidence_of_many;

/// The finance dashboard shows what falls due within this many days.
const DUE_SOON_DAYS: u64 = 14;

fn interest_terms(c: &contract::Model) -> LateInterestTerms {
    match c.interest_annual_bp {
        Some(bp) => LateInterestTerms::Agreed {
            annual_pct: Percent::from_bp(bp).value(),
        },
        None => LateInterestTerms::Statutory,
    }
}

/// Where a milestone stands on `today`: what is payable, when it is due, what is paid, and the
/// interest accrued (R-PAY-01, -02, -04, -05).
pub(super) fn milestone_view(
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
    let undisputed = match (clock_start, m.accepted_fen) {
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
    // R-PAY-10: the disputed part, once its dispute ended, is a payable of its own, due a term
    // after the day it ended; payments pay the undisputed part first (its due date is earlier).
    let facts = dispute_facts(m);
    let disputed = facts
        .as_ref()
        .map(|f| dispute_status(f, acceptance_days, today));
    let dispute_due = match disputed {
        Some(DisputeStatus::Ended { on, owed, .. }) => Some((owed, term.due_date(on))),
        _ => None,
    };
    let mut obligations: Vec<(Money, NaiveDate)> =
        due_date.map(|d| (undisputed, d)).into_iter().collect();
    obligations.extend(dispute_due);
    let amounts: Vec<Money> = obligations.iter().map(|(a, _)| *a).collect();
    let shares = allocate_payments(&amounts, &paid);
    let statuses: Vec<PayableStatus> = obligations
        .iter()
        .zip(&shares)
        .map(|((a, due), paid)| payable_status(*a, *due, paid, today))
        .collect();
    // R-PAY-05: each payable bears its own interest; nothing a later decision does reduces it.
    let interest = obligations
        .iter()
        .zip(&shares)
        .filter_map(|((a, due), paid)| late_interest(*a, *due, paid, interest_terms(c), today).ok())
        .fold(Money::ZERO, |sum, i| sum.checked_add(i).unwrap_or(sum));
    let payable = amounts
        .iter()
        .fold(Money::ZERO, |sum, a| sum.checked_add(*a).unwrap_or(sum));
    let status = combined_status(&statuses);
    let paid_total = Money::from_fen(m.paid_fen);
    let dispute = facts.zip(disputed).map(|(f, status)| DisputeView {
        disputed: f.disputed,
        reason: m
            .dispute_reason
            .as_deref()
            .map(|code| {
                RejectionReason::parse(code)
                    .map(|r| r.label())
                    .unwrap_or_else(|_| Text::new(code, code))
            })
            .unwrap_or_else(|| Text::new("", "")),
        explanation: m.dispute_text.clone().unwrap_or_default(),
        status,
        proposed_reduction: f
            .proposed_reduction
            .map(|r| (r, m.reduction_text.clone().unwrap_or_default())),
        reference: m.dispute_reference.clone(),
        due_date: dispute_due.map(|(_, d)| d),
        payable_status: dispute_due.and_then(|_| statuses.last().copied()),
    });
    let interest_paid = Money::from_fen(m.interest_paid_fen);
    let outstanding = payable.checked_sub(paid_total).unwrap_or(Money::ZERO);
    let confirmation = confirmation_of(m, today);
    MilestoneView {
        id: m.id,
        contract_id: c.id,
        position: m.position,
        deliverable: m.deliverable.clone(),
        amount,
        planned_on: m.planned_on,
        advance: m.advance,
        stage: stage_of(m),
        delivered_at: m.delivered_at,
        acceptance_until: m
            .delivered_at
            .map(|d| acceptance_end(china_day(d), c.acceptance_days)),
        accepted_on: m.accepted_on,
        accepted_amount: m
            .accepted_fen
            .filter(|a| *a != m.amount_fen)
            .map(Money::from_fen),
        rejection: rejection_of(m),
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
        payments: payments.iter().map(payment_view).collect(),
        dispute,
    }
}

/// R-PAY-10: what is stored of a milestone's disputed part, if it has one.
pub(super) fn dispute_facts(m: &milestone::Model) -> Option<DisputeFacts> {
    let disputed = Money::from_fen(m.disputed_fen.filter(|d| *d > 0)?);
    let ended = match (
        m.dispute_end.as_deref().and_then(DisputeEnd::parse),
        m.dispute_ended_on,
        m.dispute_owed_fen,
    ) {
        (Some(how), Some(on), Some(owed)) => Some((how, on, Money::from_fen(owed))),
        _ => None,
    };
    Some(DisputeFacts {
        disputed,
        redelivered_on: m.redelivered_at.map(china_day),
        proposed_reduction: m.reduction_fen.map(Money::from_fen),
        ended,
    })
}

/// Where a milestone stands in its delivery.
fn stage_of(m: &milestone::Model) -> MilestoneStage {
    if m.accepted_on.is_some() {
        MilestoneStage::Accepted
    } else if m.delivered_at.is_some() {
        MilestoneStage::Delivered
    } else if m.rejected_at.is_some() {
        MilestoneStage::Rejected
    } else {
        MilestoneStage::Planned
    }
}

/// The reason (an unknown code shows as itself) and explanation of the last rejection.
fn rejection_of(m: &milestone::Model) -> Option<(Text, String)> {
    m.rejection_reason.as_deref().map(|code| {
        (
            RejectionReason::parse(code)
                .map(|r| r.label())
                .unwrap_or_else(|_| Text::new(code, code)),
            m.rejection_text.clone().unwrap_or_default(),
        )
    })
}

/// R-PAY-06: the supplier's request to confirm the receivable, and where it stands on `today`.
fn confirmation_of(m: &milestone::Model, today: NaiveDate) -> Option<ConfirmationView> {
    m.receivable_requested_on
        .map(|requested_on| ConfirmationView {
            requested_on,
            confirm_by: receivable_confirmation_due(requested_on),
            confirmed_on: m.receivable_confirmed_on,
            overdue: receivable_confirmation_overdue(
                requested_on,
                m.receivable_confirmed_on,
                today,
            ),
        })
}

fn payment_view(p: &payment::Model) -> PaymentView {
    PaymentView {
        kind: if p.kind == PaymentKind::Interest.code() {
            PaymentKind::Interest
        } else {
            PaymentKind::Principal
        },
        amount: Money::from_fen(p.amount_fen),
        paid_on: p.paid_on,
        bank_reference: p.bank_reference.clone(),
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
    let tender_row = tender::Entity::find_by_id(c.tender_id).one(conn).await?;
    let lot_row = tender_lot::Entity::find_by_id(c.lot_id).one(conn).await?;
    // R-SME-02: the contract carries the SME share the winning bid undertook.
    let sme_obligation = sme_obligation_of(conn, tender_row.as_ref(), lot_row.as_ref()).await?;
    let tender_title = tender_row.map(|t| t.title).unwrap_or_default();
    let lot_title = lot_row.map(|l| l.title).unwrap_or_default();
    let milestones = loaded
        .iter()
        .map(|(m, payments)| {
            let mut view = milestone_view(&c, m, payments, today);
            view.evidence = evidence.remove(&m.id).unwrap_or_default();
            view
        })
        .collect();
    let value = Money::from_fen(c.value_fen);
    let publish_by_day = publish_by(state, c.signed_at);
    // R-AWARD-01: a late signature or publication is allowed, and marked.
    let signing = signing_timeliness(c.awarded_on, china_day(c.signed_at));
    let publication =
        publication_timeliness(publish_by_day.date, c.published_at.map(china_day), today);
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
        security_forms: security_forms_of(&c),
        awarded_on: c.awarded_on,
        signed_at: c.signed_at,
        other_terms: c.other_terms.clone(),
        sme_obligation,
        sign_by: signing_deadline(c.awarded_on),
        signing,
        milestones,
        can_deliver: false,
        can_accept: false,
        can_pay: false,
        release_key: Uuid::now_v7(),
        interest_release_key: Uuid::now_v7(),
        publish_by: publish_by_day.date,
        publish_by_provisional: publish_by_day.provisional,
        published_at: c.published_at,
        publication,
        can_publish: false,
        version: c.version,
        amendments: amendments_of(conn, c.id).await?,
        can_amend: false,
    })
}

/// R-SME-02: the obligation of the lot's awarded bid, if the lot was awarded.
async fn sme_obligation_of(
    conn: &impl sea_orm::ConnectionTrait,
    t: Option<&tender::Model>,
    lot: Option<&tender_lot::Model>,
) -> Result<Option<crate::domain::sme_share::SmeObligation>, AppError> {
    let (Some(t), Some(lot)) = (t, lot) else {
        return Ok(None);
    };
    let Some(a) = crate::infra::entities::award::Entity::find_by_id(lot.id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let Some(winner) = crate::infra::entities::opened_bid::Entity::find_by_id(a.opened_bid_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    crate::services::bids::obligation_of(t, lot, &winner)
}

/// R-AWARD-01: the contract is published within 2 working days of signing; provisional when
/// counted on a year whose holiday notice is not loaded (issue #34).
/// Counted as set at the signing: a calendar uploaded since never makes it earlier.
/// No weekday guess: a day the calendar cannot count at all (a year outside 2000-2100) is
/// logged as an error and gives the signing day itself.
pub(super) fn publish_by(state: &AppState, signed_at: chrono::DateTime<chrono::Utc>) -> Counted {
    publish_by_in(&state.calendar.book(), signed_at)
}

/// [`publish_by`] with the calendars in force given (the OCDS export reads them once).
pub(crate) fn publish_by_in(
    book: &crate::domain::calendar::CalendarBook,
    signed_at: chrono::DateTime<chrono::Utc>,
) -> Counted {
    let signed_on = china_day(signed_at);
    book.as_set_at(signed_at, |calendar| {
        publication_deadline_marked(calendar, signed_on)
    })
    .unwrap_or_else(|e| {
        tracing::error!(error = %e, "working-day calendar cannot count: no deadline");
        Counted {
            date: signed_on,
            provisional: false,
        }
    })
}

/// The amendments of a contract, oldest first.
async fn amendments_of(
    conn: &impl ConnectionTrait,
    contract_id: Uuid,
) -> Result<Vec<AmendmentView>, AppError> {
    Ok(contract_amendment::Entity::find()
        .filter(contract_amendment::Column::ContractId.eq(contract_id))
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
        .collect())
}

/// R-PAY-08: the forms the contract's performance security may take (unknown codes skipped).
fn security_forms_of(c: &contract::Model) -> Vec<SecurityForm> {
    c.security_forms
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(|code| SecurityForm::parse(code).ok())
        .collect()
}

/// One contract, for the officers of its agency or its supplier.
pub async fn contract_for(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<ContractView, AppError> {
    let org: Uuid = session.organisation_id.ok_or(AppError::NotFound)?.into();
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

/// The contracts `organisation` is party to (as agency or supplier), with their milestones and
/// payments: three queries, however many contracts.
pub(super) async fn contracts_with_milestones(
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
