//! R-SEC-01: the bid securities of opened bids and their refunds. Each bidder whose bid was
//! opened on a tender that asked for a security holds one (a row made at the opening, with the
//! form it chose; made when the refund is recorded for bids opened before that row existed).
//! The refund is due 5 working days after the latest award notice of the lots the bid was
//! opened on, counted as the deadline was set then (issue #34: a calendar uploaded since never
//! makes it earlier). The tender's agency (a procurement or finance officer) records the refund
//! once; each bidder sees only its own; the public figures count late and overdue refunds.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::bid_security::{check_refund_date, RefundRecord, RefundStatus};
use crate::domain::calendar::Counted;
use crate::domain::payment::SecurityForm;
use crate::domain::{china_day, Money};
use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::db::begin_write_at;
use crate::infra::entities::{award, bid_security, opened_bid, tender};
use crate::model::accounts::Session;
use crate::model::bids::BidSecurityView;
use crate::services::AppState;

use super::common::{agency_tender, officer};

/// The tender asks for a bid security.
fn asks_security(t: &tender::Model) -> bool {
    t.bid_security_fen.is_some_and(|f| f > 0)
}

/// At the opening: the bidder holds a security on a tender that asks for one, in the form it
/// chose when it bid (R-SEC-01). Once per bidder and tender.
pub(super) async fn hold_at_opening(
    txn: &impl ConnectionTrait,
    t: &tender::Model,
    organisation: Uuid,
    form: Option<SecurityForm>,
) -> Result<(), AppError> {
    if !asks_security(t) {
        return Ok(());
    }
    insert_row(txn, t.id, organisation, form).await
}

async fn insert_row(
    conn: &impl ConnectionTrait,
    tender_id: Uuid,
    organisation: Uuid,
    form: Option<SecurityForm>,
) -> Result<(), AppError> {
    bid_security::Entity::insert(bid_security::ActiveModel {
        id: Set(Uuid::now_v7()),
        tender_id: Set(tender_id),
        organisation_id: Set(organisation),
        form: Set(form.map(|f| f.code().to_string())),
        refunded_on: Set(None),
        recorded_by: Set(None),
        recorded_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            bid_security::Column::TenderId,
            bid_security::Column::OrganisationId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// A bidder opened on a tender: its name and the latest award notice of the lots it bid on.
struct Bidder {
    name: String,
    notice: Option<DateTime<Utc>>,
}

/// The securities held on `tenders` (those asking for one): one per bidder opened on each,
/// with its refund day.
async fn held_on(
    state: &AppState,
    conn: &impl ConnectionTrait,
    tenders: &[tender::Model],
    only: Option<Uuid>,
) -> Result<Vec<BidSecurityView>, AppError> {
    let tenders: Vec<&tender::Model> = tenders.iter().filter(|t| asks_security(t)).collect();
    let mut out = Vec::new();
    for chunk in tenders.chunks(200) {
        let ids: Vec<Uuid> = chunk.iter().map(|t| t.id).collect();
        let mut opened =
            opened_bid::Entity::find().filter(opened_bid::Column::TenderId.is_in(ids.clone()));
        let mut rows =
            bid_security::Entity::find().filter(bid_security::Column::TenderId.is_in(ids.clone()));
        if let Some(org) = only {
            opened = opened.filter(opened_bid::Column::OrganisationId.eq(org));
            rows = rows.filter(bid_security::Column::OrganisationId.eq(org));
        }
        let notices: HashMap<Uuid, DateTime<Utc>> = award::Entity::find()
            .filter(award::Column::TenderId.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|a| (a.lot_id, a.notice_published_at))
            .collect();
        let rows: HashMap<(Uuid, Uuid), bid_security::Model> = rows
            .all(conn)
            .await?
            .into_iter()
            .map(|r| ((r.tender_id, r.organisation_id), r))
            .collect();
        // Per tender and bidder: its name and the latest award notice of its lots.
        let mut bidders: BTreeMap<(Uuid, Uuid), Bidder> = BTreeMap::new();
        for o in opened.all(conn).await? {
            let entry = bidders
                .entry((o.tender_id, o.organisation_id))
                .or_insert_with(|| Bidder {
                    name: o.supplier_name.clone(),
                    notice: None,
                });
            if let Some(notice) = notices.get(&o.lot_id) {
                entry.notice = entry.notice.max(Some(*notice));
            }
        }
        let today = china_day(state.clock.now());
        for ((tender_id, organisation), Bidder { name, notice }) in bidders {
            let Some(t) = chunk.iter().find(|t| t.id == tender_id) else {
                continue;
            };
            let row = rows.get(&(tender_id, organisation));
            let due = match notice {
                Some(at) => Some(refund_by(state, at)?),
                None => None,
            };
            let refunded_on = row.and_then(|r| r.refunded_on);
            out.push(BidSecurityView {
                tender_id,
                tender_title: t.title.clone(),
                organisation_id: organisation,
                supplier_name: name,
                amount: Money::from_fen(t.bid_security_fen.unwrap_or_default()),
                form: row
                    .and_then(|r| r.form.as_deref())
                    .and_then(|code| SecurityForm::parse(code).ok()),
                refund_by: due.map(|c| c.date),
                refund_by_provisional: due.is_some_and(|c| c.provisional),
                refunded_on,
                status: RefundStatus::on(due.map(|c| c.date), refunded_on, today),
            });
        }
    }
    Ok(out)
}

/// R-SEC-01: 5 working days after the award notice at `notice_at`, as counted when it was
/// published (issue #34).
fn refund_by(state: &AppState, notice_at: DateTime<Utc>) -> Result<Counted, AppError> {
    state
        .calendar
        .book()
        .as_set_at(notice_at, |calendar| {
            crate::domain::deadlines::bid_security_refund_by(calendar, notice_at)
        })
        .map_err(super::common::uncounted)
}

/// The bidder's own security on a tender (after the opening), for its page.
pub(super) async fn own_security(
    state: &AppState,
    t: &tender::Model,
    organisation: Uuid,
) -> Result<Option<BidSecurityView>, AppError> {
    Ok(held_on(
        state,
        &state.db,
        std::slice::from_ref(t),
        Some(organisation),
    )
    .await?
    .into_iter()
    .next())
}

/// R-SEC-01: every bid security on the signed-in officer's agency's tenders: overdue first,
/// then by refund day.
pub async fn agency_securities(
    state: &AppState,
    agency: Uuid,
) -> Result<Vec<BidSecurityView>, AppError> {
    let tenders = tender::Entity::find()
        .filter(tender::Column::AgencyId.eq(agency))
        .filter(tender::Column::BidSecurityFen.gt(0))
        .all(&state.db)
        .await?;
    let mut list = held_on(state, &state.db, &tenders, None).await?;
    list.sort_by_key(|s| {
        (
            s.status != RefundStatus::Overdue,
            s.status.refunded(),
            s.refund_by,
            s.tender_title.clone(),
            s.supplier_name.clone(),
        )
    });
    Ok(list)
}

/// R-SEC-01: the tender's agency records the day a bidder's security was refunded (a
/// guarantee: returned), once: a refund recorded cannot be moved later or earlier (R-REC-01),
/// so a late refund stays late in the public figures.
pub async fn record_refund(
    state: &AppState,
    session: &Session,
    tender_id: Uuid,
    organisation: Uuid,
    refunded_on: &str,
) -> Result<(), AppError> {
    let (txn, now) = begin_write_at(&state.db, &*state.clock).await?;
    // Another agency's tender, or one without a security, is not found.
    let t = agency_tender(&txn, session, tender_id, now).await?;
    if !asks_security(&t) {
        return Err(AppError::NotFound);
    }
    // Only a bidder whose bid was opened holds a security.
    let opened = opened_bid::Entity::find()
        .filter(opened_bid::Column::TenderId.eq(tender_id))
        .filter(opened_bid::Column::OrganisationId.eq(organisation))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = check_refund_date(refunded_on, china_day(t.bid_deadline), china_day(now))
        .map_err(|message| AppError::invalid("refunded_on", message))?;
    insert_row(&txn, tender_id, organisation, None).await?;
    let updated = bid_security::Entity::update_many()
        .col_expr(bid_security::Column::RefundedOn, Expr::value(day))
        .col_expr(
            bid_security::Column::RecordedBy,
            Expr::value(Uuid::from(session.person_id)),
        )
        .col_expr(bid_security::Column::RecordedAt, Expr::value(now))
        .filter(bid_security::Column::TenderId.eq(tender_id))
        .filter(bid_security::Column::OrganisationId.eq(organisation))
        .filter(bid_security::Column::RefundedOn.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict {
            message: Text::new(
                "该投标保证金的退还已经登记，不能更改（R-SEC-01）。",
                "This bid security's refund is already recorded; it cannot be changed (R-SEC-01).",
            ),
        });
    }
    audit::record(
        &txn,
        now,
        officer(session),
        "bid_security.refund",
        "tender",
        tender_id,
        &serde_json::json!({
            "organisation": organisation,
            "supplier_name": opened.supplier_name,
            "refunded_on": day,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// R-SEC-01: every bid security on every tender that asks for one, by agency, as the public
/// figures count them. A refund day the calendar cannot count (a year it has no file for) is
/// left out of the figures and logged, rather than stopping the public report.
pub async fn refund_records(
    state: &AppState,
) -> Result<HashMap<Uuid, Vec<RefundRecord>>, AppError> {
    let tenders = tender::Entity::find()
        .filter(tender::Column::BidSecurityFen.gt(0))
        .all(&state.db)
        .await?;
    let agency_of: HashMap<Uuid, Uuid> = tenders.iter().map(|t| (t.id, t.agency_id)).collect();
    let mut out: HashMap<Uuid, Vec<RefundRecord>> = HashMap::new();
    for chunk in tenders.chunks(200) {
        let held = match held_on(state, &state.db, chunk, None).await {
            Ok(held) => held,
            Err(AppError::Conflict { message }) => {
                tracing::error!(message = %message.en, "bid-security refund days not counted");
                continue;
            }
            Err(e) => return Err(e),
        };
        for s in held {
            if let Some(agency) = agency_of.get(&s.tender_id) {
                out.entry(*agency).or_default().push(RefundRecord {
                    due: s.refund_by,
                    refunded_on: s.refunded_on,
                });
            }
        }
    }
    Ok(out)
}
