//! Loading processes: every fact a process's releases need, a page of processes at a time.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::domain::lot_outcome::{lot_outcome, BidStanding, LotCount, LotOpening};
use crate::domain::money::Money;
use crate::domain::ocds::*;
use crate::domain::sme::SizeClass;
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::entities::{
    award, bid_mark, bid_opening, contract, contract_amendment, milestone, opened_bid,
    organisation, payment, tender, tender_clarification, tender_lot,
};
use crate::services::AppState;

/// The published process of this tender, or `NotFound`.
pub async fn process(state: &AppState, id: Uuid) -> Result<Process, AppError> {
    load_processes(&state.db, &state.calendar.book(), &[id], state.clock.now())
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The processes (published tenders) with these ids, with every fact their releases need, in
/// the order asked. Drafts and unknown ids are left out. `calendars`: the working-day calendars
/// in force over time, for the contracts' publication deadlines (R-AWARD-01).
pub async fn load_processes(
    conn: &impl ConnectionTrait,
    calendars: &crate::domain::calendar::CalendarBook,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<Process>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let tenders = tender::Entity::find()
        .filter(tender::Column::Id.is_in(ids.iter().copied()))
        .filter(tender::Column::PublishedAt.lte(now))
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = tenders.iter().map(|t| t.id).collect();
    let lots = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?;
    let clarifications = tender_clarification::Entity::find()
        .filter(tender_clarification::Column::TenderId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let openings = bid_opening::Entity::find()
        .filter(bid_opening::Column::TenderId.is_in(ids.clone()))
        .all(conn)
        .await?;
    // The opening's counts only: who bid and at what size, never content; the price only to
    // tell whether the bid is within its lot's ceiling (R-BID-03), never published.
    let opened: Vec<(Uuid, Uuid, Uuid, Uuid, Option<String>, i64)> = opened_bid::Entity::find()
        .select_only()
        .column(opened_bid::Column::Id)
        .column(opened_bid::Column::TenderId)
        .column(opened_bid::Column::LotId)
        .column(opened_bid::Column::OrganisationId)
        .column(opened_bid::Column::SizeClass)
        .column(opened_bid::Column::PriceFen)
        .filter(opened_bid::Column::TenderId.is_in(ids.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    // R-BID-04: the bids that fail a pass/fail requirement (a scored requirement's mark never
    // has `passed`), so lots are counted on valid bids as the evaluation pages count them.
    let failed_requirement: HashSet<Uuid> = bid_mark::Entity::find()
        .select_only()
        .column(bid_mark::Column::OpenedBidId)
        .filter(
            bid_mark::Column::OpenedBidId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(opened_bid::Column::Id)
                    .from(opened_bid::Entity)
                    .and_where(opened_bid::Column::TenderId.is_in(ids.clone()))
                    .to_owned(),
            ),
        )
        .filter(bid_mark::Column::Passed.eq(false))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let awards = award::Entity::find()
        .filter(award::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(award::Column::DecidedAt)
        .all(conn)
        .await?;
    let contracts = contract::Entity::find()
        .filter(contract::Column::TenderId.is_in(ids.clone()))
        .order_by_asc(contract::Column::SignedAt)
        .all(conn)
        .await?;
    let contract_ids: Vec<Uuid> = contracts.iter().map(|c| c.id).collect();
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ContractId.is_in(contract_ids.clone()))
        .order_by_asc(milestone::Column::Position)
        .all(conn)
        .await?;
    let milestone_contract: HashMap<Uuid, Uuid> =
        milestones.iter().map(|m| (m.id, m.contract_id)).collect();
    let payments = payment::Entity::find()
        .filter(payment::Column::MilestoneId.is_in(milestone_contract.keys().copied()))
        .order_by_asc(payment::Column::RecordedAt)
        .all(conn)
        .await?;
    let amendments = contract_amendment::Entity::find()
        .filter(contract_amendment::Column::ContractId.is_in(contract_ids))
        .all(conn)
        .await?;
    let org_ids: HashSet<Uuid> = tenders
        .iter()
        .map(|t| t.agency_id)
        .chain(awards.iter().map(|a| a.organisation_id))
        .chain(contracts.iter().map(|c| c.supplier_id))
        .collect();
    let orgs: HashMap<Uuid, Org> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.id,
                Org {
                    id: o.id,
                    name: o.name,
                    credit_code: o.credit_code,
                },
            )
        })
        .collect();
    let org = |id: Uuid| {
        orgs.get(&id).cloned().unwrap_or(Org {
            id,
            name: String::new(),
            credit_code: None,
        })
    };
    let size_of_bid: HashMap<Uuid, Option<SizeClass>> = opened
        .iter()
        .map(|(id, _, _, _, size, _)| (*id, size.as_deref().and_then(SizeClass::parse)))
        .collect();

    // R-SME-05, R-BID-04: the titles of the failed tenders these re-tender.
    let failed_ids: Vec<Uuid> = tenders.iter().filter_map(|t| t.retender_of).collect();
    let failed_titles: HashMap<Uuid, String> = if failed_ids.is_empty() {
        HashMap::new()
    } else {
        tender::Entity::find()
            .filter(tender::Column::Id.is_in(failed_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|f| (f.id, f.title))
            .collect()
    };
    let mut out = Vec::with_capacity(tenders.len());
    for t in tenders {
        let Some(published_at) = t.published_at else {
            continue;
        };
        let tender_lots: Vec<&tender_lot::Model> =
            lots.iter().filter(|l| l.tender_id == t.id).collect();
        let opening = openings.iter().find(|o| o.tender_id == t.id).map(|o| {
            let bids: Vec<_> = opened.iter().filter(|b| b.1 == t.id).collect();
            OpeningFacts {
                opened_at: o.opened_at,
                tenderers: bids.iter().map(|b| b.3).collect::<HashSet<_>>().len(),
                lots: tender_lots
                    .iter()
                    .map(|l| {
                        let on_lot: Vec<_> = bids.iter().filter(|b| b.2 == l.id).collect();
                        let is_sme = |size: &Option<String>| {
                            size.as_deref()
                                .and_then(SizeClass::parse)
                                .is_some_and(SizeClass::is_sme)
                        };
                        let sme = on_lot.iter().filter(|b| is_sme(&b.4)).count();
                        let standings: Vec<BidStanding> = on_lot
                            .iter()
                            .map(|b| BidStanding {
                                valid: b.5 <= l.budget_fen && !failed_requirement.contains(&b.0),
                                sme: is_sme(&b.4),
                            })
                            .collect();
                        let reserved = l.reserved_for_sme || t.reserved_whole == Some(true);
                        let awarded = awards.iter().any(|a| a.lot_id == l.id);
                        LotOpeningFacts {
                            lot_id: l.id,
                            bids: on_lot.len(),
                            sme_bids: sme,
                            // R-BID-04, R-SME-05: counted on valid bids; either way the lot
                            // ends without an award in this process.
                            failed: !awarded
                                && lot_outcome(LotCount::of(&standings), reserved)
                                    != LotOpening::Proceeds,
                        }
                    })
                    .collect(),
            }
        });
        let process_contracts = contracts
            .iter()
            .filter(|c| c.tender_id == t.id)
            .map(|c| ContractFacts {
                id: c.id,
                lot_id: c.lot_id,
                supplier: org(c.supplier_id),
                value: Money::from_fen(c.value_fen).amount(),
                signed_at: c.signed_at,
                awarded_on: c.awarded_on,
                publish_by: crate::services::contracts::publish_by_in(calendars, c.signed_at).date,
                published_at: c.published_at,
                milestones: milestones
                    .iter()
                    .filter(|m| m.contract_id == c.id)
                    .map(|m| MilestoneFacts {
                        id: m.id,
                        deliverable: m.deliverable.clone(),
                        planned_on: m.planned_on,
                        accepted_at: m.accepted_at,
                    })
                    .collect(),
                amendments: amendments
                    .iter()
                    .filter(|a| a.contract_id == c.id)
                    .map(amendment_facts)
                    .collect(),
                payments: payments
                    .iter()
                    .filter(|p| milestone_contract.get(&p.milestone_id) == Some(&c.id))
                    .map(|p| PaymentFacts {
                        id: p.id,
                        amount: Money::from_fen(p.amount_fen).amount(),
                        paid_on: p.paid_on,
                        recorded_at: p.recorded_at,
                    })
                    .collect(),
            })
            .collect();
        out.push(Process {
            id: t.id,
            title: t.title.clone(),
            description: t.description.clone(),
            category: t.category.clone(),
            method: t.method.clone(),
            evaluation_method: t.evaluation_method.clone(),
            budget: Money::from_fen(t.budget_fen).amount(),
            published_at,
            deadline: t.bid_deadline,
            cancelled: t
                .cancelled_at
                .map(|at| (at, t.cancel_reason.clone().unwrap_or_default())),
            agency: org(t.agency_id),
            lots: tender_lots
                .iter()
                .map(|l| LotFacts {
                    id: l.id,
                    title: l.title.clone(),
                    budget: Money::from_fen(l.budget_fen).amount(),
                })
                .collect(),
            clarifications: clarifications
                .iter()
                .filter(|c| c.tender_id == t.id)
                .map(|c| ClarificationFacts {
                    id: c.id,
                    body: c.body.clone(),
                    affects_bids: c.affects_bids,
                    deadline_before: c.deadline_before,
                    deadline_after: c.deadline_after,
                    published_at: c.published_at,
                    amended: amended_terms(c),
                })
                .collect(),
            opening,
            awards: awards
                .iter()
                .filter(|a| a.tender_id == t.id)
                .map(|a| AwardFacts {
                    lot_id: a.lot_id,
                    supplier: org(a.organisation_id),
                    size_class: size_of_bid.get(&a.opened_bid_id).copied().flatten(),
                    price: Money::from_fen(a.price_fen).amount(),
                    decided_at: a.decided_at,
                })
                .collect(),
            contracts: process_contracts,
            retender_of: t
                .retender_of
                .map(|of| (of, failed_titles.get(&of).cloned().unwrap_or_default())),
        });
    }
    // In the order asked.
    let rank: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    out.sort_by_key(|p| rank.get(&p.id).copied().unwrap_or(usize::MAX));
    Ok(out)
}

/// R-TIME-02: a structured amendment's terms before and after it, as OCDS shows them; `None` for
/// a free-text clarification (or a record that does not read, logged).
fn amended_terms(c: &tender_clarification::Model) -> Option<AmendedTerms> {
    let terms = |json: &Option<String>| -> Option<TermsFacts> {
        let form: crate::domain::draft::TenderDraftForm =
            serde_json::from_str(json.as_deref()?).ok()?;
        // Checked when the amendment was made; parsed here for its values only.
        let plan = form.parse(DateTime::<Utc>::MIN_UTC).ok()?.plan;
        Some(TermsFacts {
            title: plan.title,
            description: plan.description,
            budget: plan.budget.amount(),
            evaluation_method: plan.evaluation.as_str().into(),
            lots: plan
                .lots
                .into_iter()
                .map(|l| (l.title, l.budget.amount()))
                .collect(),
        })
    };
    let changes: Vec<crate::domain::amendment::TermChange> =
        serde_json::from_str(c.changes.as_deref()?).ok()?;
    let found = terms(&c.terms_before).zip(terms(&c.terms_after));
    if found.is_none() {
        tracing::error!(id = %c.id, "an amendment's terms do not read");
    }
    let (before, after) = found?;
    Some(AmendedTerms {
        before,
        after,
        changes: changes
            .iter()
            .map(|x| {
                let label = x.label();
                format!("{} / {}", label.zh, label.en)
            })
            .collect(),
    })
}

fn amendment_facts(a: &contract_amendment::Model) -> AmendmentFacts {
    let summary: Vec<Text> = serde_json::from_str(&a.changes).unwrap_or_default();
    let changed: Vec<crate::services::contracts::AmendedMilestone> = a
        .milestones
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    AmendmentFacts {
        id: a.id,
        version: a.version,
        reason: a.reason.clone(),
        summary: summary
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        amended_at: a.amended_at,
        milestones: changed
            .into_iter()
            .map(|m| MilestoneChange {
                id: m.id,
                deliverable_before: m.deliverable_before,
                deliverable_after: m.deliverable_after,
                planned_before: m.planned_before,
                planned_after: m.planned_after,
            })
            .collect(),
    }
}
