//! Re-tendering (issue #33, R-SME-05, R-BID-04): the procurement officer of the agency whose
//! tender had lots suspended for too few qualified SME bids, or failed for too few valid bids,
//! makes a new draft from it, linked to it. The rules are in `domain::retender`; the link is
//! what lets publication lift R-SME-01's reservation for the suspended lots
//! (`domain::publication::reservation`).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr,
};
use uuid::Uuid;

use super::{actor, own_tender, parse_stored};
use crate::domain::draft::{CriterionForm, LotForm, TenderDraftForm};
use crate::domain::lot_outcome::{LotCount, LotOpening};
use crate::domain::retender::{
    parse_outcome, public_reason, retender_lots, stored_outcome, FailedLot, RetenderLink,
    RetenderRefusal,
};
use crate::domain::tender::TenderStatus;
use crate::domain::{Money, Percent, TenderId};
use crate::error::AppError;
use crate::infra::entities::{retender_lot, tender};
use crate::infra::{audit, db::begin_write_at};
use crate::model::bids::LotState;
use crate::model::tenders::{RelatedTender, RetenderNotice, RetenderedLot};

fn refused(refusal: RetenderRefusal) -> AppError {
    AppError::Conflict {
        message: refusal.message(),
    }
}

/// The re-tender of this tender that is not cancelled (a draft or a publication), if any.
pub(crate) async fn current_retender(
    conn: &impl ConnectionTrait,
    failed: Uuid,
) -> Result<Option<tender::Model>, AppError> {
    Ok(tender::Entity::find()
        .filter(tender::Column::RetenderOf.eq(failed))
        .filter(tender::Column::Status.ne(TenderStatus::Cancelled.as_str()))
        .one(conn)
        .await?)
}

/// Whether the lot `lot` of tender `failed` is taken up by its re-tender (not cancelled).
pub(crate) async fn lot_retendered(
    conn: &impl ConnectionTrait,
    failed: Uuid,
    lot: Uuid,
) -> Result<bool, AppError> {
    let Some(r) = current_retender(conn, failed).await? else {
        return Ok(false);
    };
    Ok(retender_lot::Entity::find()
        .filter(retender_lot::Column::TenderId.eq(r.id))
        .filter(retender_lot::Column::FailedLotId.eq(lot))
        .one(conn)
        .await?
        .is_some())
}

/// R-SME-05, R-BID-04: makes a new draft from the agency's tender `id`, taking up every lot
/// that did not proceed after the opening, linked to it. Another agency's tender is not
/// found; a tender without such a lot, or already re-tendered, is refused (409).
pub async fn retender(
    db: &crate::infra::db::Db,
    person: Uuid,
    agency: Uuid,
    id: Uuid,
    clock: &dyn crate::domain::clock::Clock,
) -> Result<Uuid, AppError> {
    let (txn, now) = begin_write_at(db, clock).await?;
    let t = own_tender(&txn, agency, id).await?;
    let existing = current_retender(&txn, t.id).await?.is_some();
    let lots: Vec<(Uuid, String, LotOpening, LotCount)> =
        crate::services::bids::lot_openings(&txn, &t)
            .await?
            .into_iter()
            .map(|(lot, opening, count)| (lot.id, lot.title, opening, count))
            .collect();
    let failed = retender_lots(&lots, existing).map_err(refused)?;
    let form = copied_form(&txn, &t, &failed).await?;
    let json = serde_json::to_string(&form).map_err(|e| {
        tracing::error!(error = %e, "re-tender form did not serialise");
        AppError::Internal { request_id: None }
    })?;
    let new_id = Uuid::now_v7();
    let inserted = tender::ActiveModel {
        id: Set(new_id),
        agency_id: Set(agency),
        title: Set(t.title.clone()),
        description: Set(t.description.clone()),
        category: Set(t.category.clone()),
        method: Set(t.method.clone()),
        region: Set(t.region.clone()),
        budget_fen: Set(Money::parse(&form.budget)
            .map(Money::to_fen)
            .unwrap_or(t.budget_fen)),
        status: Set(TenderStatus::Draft.as_str().into()),
        // The officer sets a new deadline before publishing; until then the list shows the
        // day the draft was made.
        bid_deadline: Set(now),
        published_at: Set(None),
        created_at: Set(now),
        created_by: Set(Some(person)),
        updated_at: Set(Some(now)),
        draft_form: Set(Some(json)),
        retender_of: Set(Some(t.id)),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        // Another officer's re-tender of the same tender got in first.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(refused(RetenderRefusal::AlreadyRetendered))
        }
        other => other?,
    };
    for (i, f) in failed.iter().enumerate() {
        retender_lot::ActiveModel {
            id: Set(Uuid::now_v7()),
            tender_id: Set(new_id),
            failed_lot_id: Set(f.lot),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            title: Set(f.title.clone()),
            outcome: Set(stored_outcome(f.opening).into()),
            valid_bids: Set(i32::try_from(f.count.valid).unwrap_or(i32::MAX)),
            qualified_sme_bids: Set(i32::try_from(f.count.qualified_sme).unwrap_or(i32::MAX)),
            lot_id: Set(None),
            lifted: Set(false),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        now,
        actor(person, agency),
        "retender",
        "tender",
        new_id,
        &RetenderLink {
            of: t.id,
            lots: failed,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(new_id)
}

/// The draft form of the re-tender: the failed tender's terms and its failed lots with their
/// criteria, each lot naming the lot it takes up; no deadline (the officer sets a new one).
async fn copied_form(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    failed: &[FailedLot],
) -> Result<TenderDraftForm, AppError> {
    let rows = super::lot_rows(conn, t.id).await?;
    let reserved_whole = t.reserved_whole == Some(true);
    let percent = |bp: i32| Percent::from_bp(bp).value().normalize().to_string();
    let mut lots = Vec::new();
    let mut total = Money::ZERO;
    for (lot, criteria) in rows
        .iter()
        .filter(|(l, _)| failed.iter().any(|f| f.lot == l.id))
    {
        let budget = Money::from_fen(lot.budget_fen);
        total = total.checked_add(budget).unwrap_or(total);
        lots.push(LotForm {
            title: lot.title.clone(),
            budget: budget.amount().to_string(),
            // A lot the officer set aside (R-SME-02) is set aside again; a tender reserved
            // whole reserves every lot by its budget (R-SME-01), not by this box.
            reserved: (lot.reserved_for_sme && !reserved_whole).then(|| "on".to_string()),
            criteria: criteria
                .iter()
                .map(|c| CriterionForm {
                    kind: c.kind.clone(),
                    requirement: c.requirement.clone(),
                    weight: c.weight_bp.map(percent).unwrap_or_default(),
                })
                .collect(),
            retender_lot: lot.id.to_string(),
        });
    }
    // The whole budget when every lot is taken up; else what the lots taken up add up to.
    let budget = if lots.len() == rows.len() {
        Money::from_fen(t.budget_fen)
    } else {
        total
    };
    Ok(TenderDraftForm {
        title: t.title.clone(),
        description: t.description.clone(),
        category: t.category.clone(),
        method: t.method.clone(),
        region: t.region.clone(),
        budget: budget.amount().to_string(),
        bid_deadline: String::new(),
        bid_security: t
            .bid_security_fen
            .map(|f| Money::from_fen(f).amount().to_string())
            .unwrap_or_default(),
        // R-SEC-01: the forms the failed tender accepted, ticked again.
        bid_security_forms: crate::domain::bid_security::accepted_forms_of(
            t.bid_security_forms.as_deref(),
        )
        .iter()
        .map(|f| f.code().to_string())
        .collect(),
        evaluation: t.evaluation_method.clone(),
        price_weight: t.price_weight_bp.map(percent).unwrap_or_default(),
        imported_goods: t.imported_goods.then(|| "on".to_string()),
        sme_required_share: percent(t.sme_required_share_bp),
        sme_small_micro_share: percent(t.sme_small_micro_share_bp),
        sme_price_deduction: t.sme_price_deduction_bp.map(percent).unwrap_or_default(),
        sme_consortium_deduction: t
            .sme_consortium_deduction_bp
            .map(percent)
            .unwrap_or_default(),
        lots,
    })
}

async fn recorded_lots(
    conn: &impl ConnectionTrait,
    retender: Uuid,
) -> Result<Vec<retender_lot::Model>, AppError> {
    Ok(retender_lot::Entity::find()
        .filter(retender_lot::Column::TenderId.eq(retender))
        .order_by_asc(retender_lot::Column::Position)
        .all(conn)
        .await?)
}

fn opening_of(row: &retender_lot::Model) -> Result<LotOpening, AppError> {
    Ok(parse_stored(
        "retender_lot.outcome",
        &row.outcome,
        parse_outcome,
    )?)
}

/// R-SME-05: the stored link of a draft to the tender it re-tenders, with the lots recorded
/// when it was made; `None` for any other tender.
pub(crate) async fn link_of(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
) -> Result<Option<RetenderLink>, AppError> {
    let Some(of) = t.retender_of else {
        return Ok(None);
    };
    let lots = recorded_lots(conn, t.id)
        .await?
        .iter()
        .map(|r| {
            Ok(FailedLot {
                lot: r.failed_lot_id,
                title: r.title.clone(),
                opening: opening_of(r)?,
                count: LotCount {
                    valid: usize::try_from(r.valid_bids).unwrap_or(0),
                    qualified_sme: usize::try_from(r.qualified_sme_bids).unwrap_or(0),
                },
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Some(RetenderLink { of, lots }))
}

/// At the re-tender's publication: which of its lots took up each recorded lot, and whether
/// its reservation was lifted (R-SME-05), kept for the public page.
pub(crate) async fn record_publication(
    txn: &impl ConnectionTrait,
    tender_id: Uuid,
    taken_up: &[(Option<Uuid>, Uuid, bool)],
) -> Result<(), AppError> {
    for row in recorded_lots(txn, tender_id).await? {
        // The first lot naming it (as `RetenderLink::lifted` counts).
        let Some((_, lot, lifted)) = taken_up
            .iter()
            .find(|(named, _, _)| *named == Some(row.failed_lot_id))
        else {
            continue;
        };
        let mut active: retender_lot::ActiveModel = row.into();
        active.lot_id = Set(Some(*lot));
        active.lifted = Set(*lifted);
        active.update(txn).await?;
    }
    Ok(())
}

fn related(t: &tender::Model) -> RelatedTender {
    RelatedTender {
        id: TenderId(t.id),
        title: t.title.clone(),
    }
}

/// For a public re-tender: the tender it re-tenders and why each lot stands as it does.
pub(crate) async fn notice_of(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
) -> Result<Option<RetenderNotice>, AppError> {
    let Some(of) = t.retender_of else {
        return Ok(None);
    };
    let Some(failed) = tender::Entity::find_by_id(of).one(conn).await? else {
        return Ok(None);
    };
    let titles: Vec<(Uuid, String)> = super::lot_rows(conn, t.id)
        .await?
        .into_iter()
        .map(|(l, _)| (l.id, l.title))
        .collect();
    let lots = recorded_lots(conn, t.id)
        .await?
        .iter()
        .map(|r| {
            let opening = opening_of(r)?;
            Ok(RetenderedLot {
                failed_lot_title: r.title.clone(),
                state: if opening == LotOpening::Suspended {
                    LotState::Suspended
                } else {
                    LotState::Failed
                },
                valid_bids: usize::try_from(r.valid_bids).unwrap_or(0),
                qualified_sme_bids: usize::try_from(r.qualified_sme_bids).unwrap_or(0),
                lot_title: r.lot_id.and_then(|id| {
                    titles
                        .iter()
                        .find(|(l, _)| *l == id)
                        .map(|(_, title)| title.clone())
                }),
                lifted: r.lifted,
                reason: public_reason(opening, r.lifted),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Some(RetenderNotice {
        of: related(&failed),
        lots,
    }))
}

/// For a failed tender: its re-tender, once that is public.
pub(crate) async fn public_retender_of(
    conn: &impl ConnectionTrait,
    t: &tender::Model,
    now: DateTime<Utc>,
) -> Result<Option<RelatedTender>, AppError> {
    Ok(current_retender(conn, t.id)
        .await?
        .filter(|r| super::public::is_public(r, now))
        .as_ref()
        .map(related))
}
