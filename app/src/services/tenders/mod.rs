//! Tenders (issue #32: one file per step). Queries take `&impl ConnectionTrait` so they also run
//! inside a transaction.
//! - `draft`: the agency's drafts; `publish`: the rules and publication; `clarify`:
//!   clarifications and cancellation after it; `amend`: structured amendments of the terms
//!   (R-TIME-02); `documents`: the tender's documents.
//! - `review`: the platform administrator's review of a refused clause (issue #34).
//! - `retender`: a new draft from a tender whose lots failed (R-SME-05, R-BID-04; issue #33).
//! - `public`: a published tender as anyone sees it; `search`: the public search;
//!   `lots`: a tender's lots and criteria, kept once published.

mod amend;
mod clarify;
mod documents;
mod draft;
mod lots;
mod public;
mod publish;
mod retender;
mod review;
mod search;

pub use amend::{amend_tender, AmendmentRequest};
pub(crate) use clarify::clarifications_of;
pub use clarify::{cancel, publish_clarification};
pub use documents::{
    attach_document, document_for, document_texts, documents_of, own_draft, read_missing_texts,
    remove_document, MAX_TENDER_DOCUMENTS,
};
pub use draft::{agency_tenders, draft_view, save_draft};
pub(crate) use lots::lot_rows;
pub use lots::PublishedLots;
pub use public::find_public;
pub(crate) use public::load_public;
pub use publish::publish;
pub use retender::retender;
pub(crate) use retender::{current_retender, lot_retendered};
pub use review::{decide_review, pending_reviews, request_review, review_desk};
pub use search::{search_condition, search_published, Openness, SearchFilter, Sort};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Text;
use crate::infra::audit;
use crate::infra::entities::tender;

/// A stored value outside its enum means the database was changed behind the application's back.
fn parse_stored<T>(column: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, DbErr> {
    parse(value).ok_or_else(|| DbErr::Type(format!("unexpected value {value:?} in {column}")))
}

fn actor(person: Uuid, agency: Uuid) -> audit::Actor {
    audit::Actor {
        person: Some(person),
        organisation: Some(agency),
    }
}

/// One of the agency's tenders; another agency's is "not found".
async fn own_tender(
    conn: &impl ConnectionTrait,
    agency: Uuid,
    id: Uuid,
) -> Result<tender::Model, AppError> {
    tender::Entity::find_by_id(id)
        .filter(tender::Column::AgencyId.eq(agency))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

fn not_a_draft() -> AppError {
    AppError::Invalid {
        field: None,
        message: Text::new(
            "该项目已发布，不能再修改草稿；发布后的变更请以更正公告发布。",
            "This tender is published: its draft can no longer change. Publish changes as an amendment.",
        ),
    }
}
