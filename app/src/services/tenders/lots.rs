//! A published tender's lots and criteria: read in one place, kept in memory once published.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::parse_stored;
use crate::domain::Money;
use crate::infra::entities::{tender_criterion, tender_lot};

/// The lots and criteria of published tenders, kept in memory (issue #8: a bid submission and
/// a supplier's search read them for every tender they touch). They are written in the
/// transaction that publishes the tender and changed only by a structured amendment (R-TIME-02),
/// which also sets the tender row's `updated_at`; a copy is kept under the tender's id and that
/// `updated_at`, so a caller holding the tender row as it is now never gets a stale copy,
/// whichever server amended it. Only a tender its caller has seen published may be asked for.
pub struct PublishedLots {
    capacity: usize,
    kept: std::sync::Mutex<KeptLots>,
}

/// A tender's id and its row's `updated_at`: the version of its terms a copy was read at.
type LotsKey = (uuid::Uuid, Option<chrono::DateTime<chrono::Utc>>);

type KeptLots =
    std::collections::HashMap<LotsKey, std::sync::Arc<[crate::model::tenders::LotView]>>;

impl PublishedLots {
    /// Keeps the lots of at most `capacity` tenders (one forgotten for each new one past it).
    pub fn new(capacity: usize) -> PublishedLots {
        PublishedLots {
            capacity,
            kept: Default::default(),
        }
    }

    /// The lots of `tender` as its row now stands, which the caller has seen published (not a
    /// draft).
    pub async fn of(
        &self,
        conn: &impl ConnectionTrait,
        tender: &crate::infra::entities::tender::Model,
    ) -> Result<std::sync::Arc<[crate::model::tenders::LotView]>, DbErr> {
        self.at_version(conn, tender.id, tender.updated_at).await
    }

    /// The lots of tender `id` whose row's `updated_at` is `version` (read with it).
    pub async fn at_version(
        &self,
        conn: &impl ConnectionTrait,
        id: uuid::Uuid,
        version: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<std::sync::Arc<[crate::model::tenders::LotView]>, DbErr> {
        let key = (id, version);
        if let Some(lots) = self.lock().get(&key) {
            return Ok(lots.clone());
        }
        let lots: std::sync::Arc<[crate::model::tenders::LotView]> =
            lots_of(conn, id).await?.into();
        let mut kept = self.lock();
        // An older version of the same tender's terms is never asked for again.
        kept.retain(|(kept_id, _), _| *kept_id != id);
        if kept.len() >= self.capacity {
            if let Some(old) = kept.keys().next().copied() {
                kept.remove(&old);
            }
        }
        kept.insert(key, lots.clone());
        Ok(lots)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, KeptLots> {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A tender's lot rows, in order, each with its criterion rows in order: the one read of them,
/// for the pages ([`lots_of`]) and /api/v1 (`open_data`).
pub(crate) async fn lot_rows(
    conn: &impl ConnectionTrait,
    tender_id: uuid::Uuid,
) -> Result<Vec<(tender_lot::Model, Vec<tender_criterion::Model>)>, DbErr> {
    let lots = tender_lot::Entity::find()
        .filter(tender_lot::Column::TenderId.eq(tender_id))
        .order_by_asc(tender_lot::Column::Position)
        .all(conn)
        .await?;
    let ids: Vec<uuid::Uuid> = lots.iter().map(|l| l.id).collect();
    let criteria = if ids.is_empty() {
        Vec::new()
    } else {
        tender_criterion::Entity::find()
            .filter(tender_criterion::Column::LotId.is_in(ids))
            // R-TIME-02: a requirement an amendment replaced stays on record, out of the terms.
            .filter(tender_criterion::Column::WithdrawnAt.is_null())
            .order_by_asc(tender_criterion::Column::Position)
            .all(conn)
            .await?
    };
    Ok(lots
        .into_iter()
        .map(|l| {
            let own = criteria
                .iter()
                .filter(|c| c.lot_id == l.id)
                .cloned()
                .collect();
            (l, own)
        })
        .collect())
}

/// A published tender's lots with their criteria, in order.
pub(crate) async fn lots_of(
    conn: &impl ConnectionTrait,
    tender_id: uuid::Uuid,
) -> Result<Vec<crate::model::tenders::LotView>, DbErr> {
    lot_rows(conn, tender_id)
        .await?
        .into_iter()
        .map(|(l, criteria)| {
            let criteria = criteria
                .iter()
                .map(|c| {
                    Ok(crate::model::tenders::CriterionView {
                        kind: parse_stored(
                            "tender_criterion.kind",
                            &c.kind,
                            crate::domain::publication::CriterionKind::parse,
                        )?,
                        requirement: c.requirement.clone(),
                        weight: c
                            .weight_bp
                            .map(|bp| crate::domain::Percent::from_bp(bp).value()),
                    })
                })
                .collect::<Result<_, DbErr>>()?;
            Ok(crate::model::tenders::LotView {
                title: l.title,
                budget: Money::from_fen(l.budget_fen),
                reserved_for_sme: l.reserved_for_sme,
                small_micro_only: l.small_micro_only,
                criteria,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use uuid::Uuid;

    use super::*;
    use crate::domain::tender::TenderStatus;
    use crate::infra::entities::{tender, tender_criterion, tender_lot};

    /// Issue #8: a published tender's lots and criteria are read from the database once and
    /// then served from memory; no more than the capacity is kept.
    #[tokio::test]
    async fn published_lots_are_read_once_and_kept_within_capacity() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/lots.db", dir.path().display());
        let db = crate::infra::db::connect(&url, 2)
            .await
            .expect("the database opens");
        crate::infra::db::migrate(&db).await.expect("migrations");
        let now = Utc::now();
        crate::services::seed::seed_demo(&db, now)
            .await
            .expect("the demo tenders");
        let published: Vec<tender::Model> = tender::Entity::find()
            .filter(tender::Column::Status.eq(TenderStatus::Published.as_str()))
            .all(&db)
            .await
            .expect("the tenders");
        let [ta, tb, ..] = &published[..] else {
            panic!("the demo data publishes at least two tenders");
        };
        let a = ta.id;

        let kept = PublishedLots::new(1);
        let first = kept.of(&db, ta).await.expect("the lots of a");
        assert!(!first.is_empty(), "a demo tender has a lot");
        assert_eq!(&first[..], &lots_of(&db, a).await.expect("the lots")[..]);

        // With the rows gone, the kept copy still answers: the database was not read again.
        let lots: Vec<Uuid> = tender_lot::Entity::find()
            .filter(tender_lot::Column::TenderId.eq(a))
            .all(&db)
            .await
            .expect("the lot rows")
            .into_iter()
            .map(|l| l.id)
            .collect();
        tender_criterion::Entity::delete_many()
            .filter(tender_criterion::Column::LotId.is_in(lots.clone()))
            .exec(&db)
            .await
            .expect("criteria removed");
        tender_lot::Entity::delete_many()
            .filter(tender_lot::Column::Id.is_in(lots))
            .exec(&db)
            .await
            .expect("lots removed");
        assert_eq!(kept.of(&db, ta).await.expect("kept"), first);
        // R-TIME-02: the same tender amended (its row's `updated_at` moved) is read again.
        let mut amended = ta.clone();
        amended.updated_at = Some(now + chrono::Duration::seconds(1));
        assert!(kept.of(&db, &amended).await.expect("read again").is_empty());

        // A second tender takes the only place: the first is read again (now without lots).
        assert!(!kept.of(&db, tb).await.expect("the lots of b").is_empty());
        assert!(kept.of(&db, ta).await.expect("read again").is_empty());
    }
}
