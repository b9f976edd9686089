//! Bids (issue #5): sealed drafts and submissions, the opening record, evaluators' marks,
//! awards and challenges.
//!
//! Sealing (R-BID-01): a bid's content is stored only encrypted until the deadline. `bid.draft`
//! and `bid_submission.own_copy` are sealed with the bidder's key (read only for the bidder's
//! own session), `bid_submission.sealed` with the tender's key, which the server refuses to
//! derive before the deadline. Both keys derive from a secret that is not in the database, so a
//! copy of the database alone reveals no open bid. The opening writes each counted bid's lots
//! in the clear into `opened_bid`, after the deadline. Nothing is deleted (R-REC-01): a
//! withdrawal or a replaced version is kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Bid::Table)
                    .if_not_exists()
                    .col(uuid(Bid::Id).primary_key())
                    .col(uuid(Bid::TenderId))
                    .col(uuid(Bid::OrganisationId))
                    .col(uuid(Bid::CreatedBy))
                    .col(timestamp_with_time_zone(Bid::CreatedAt))
                    .col(timestamp_with_time_zone(Bid::UpdatedAt))
                    .col(text_null(Bid::Draft))
                    // How many versions were submitted; a submit names the count it saw, so
                    // two submits of the same draft cannot both count.
                    .col(integer(Bid::SubmittedVersions).default(0))
                    .col(timestamp_with_time_zone_null(Bid::WithdrawnAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_tender")
                            .from(Bid::Table, Bid::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_organisation")
                            .from(Bid::Table, Bid::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_bid_tender_organisation")
                    .table(Bid::Table)
                    .col(Bid::TenderId)
                    .col(Bid::OrganisationId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BidSubmission::Table)
                    .if_not_exists()
                    .col(uuid(BidSubmission::Id).primary_key())
                    .col(uuid(BidSubmission::BidId))
                    .col(integer(BidSubmission::Version))
                    .col(timestamp_with_time_zone(BidSubmission::SubmittedAt))
                    .col(uuid(BidSubmission::SubmittedBy))
                    .col(text(BidSubmission::Sealed))
                    .col(text(BidSubmission::OwnCopy))
                    .col(string_len(BidSubmission::Digest, 64))
                    .col(text(BidSubmission::Receipt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_submission_bid")
                            .from(BidSubmission::Table, BidSubmission::BidId)
                            .to(Bid::Table, Bid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_bid_submission_version")
                    .table(BidSubmission::Table)
                    .col(BidSubmission::BidId)
                    .col(BidSubmission::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BidOpening::Table)
                    .if_not_exists()
                    .col(uuid(BidOpening::TenderId).primary_key())
                    .col(timestamp_with_time_zone(BidOpening::OpenedAt))
                    .col(uuid(BidOpening::OpenedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_opening_tender")
                            .from(BidOpening::Table, BidOpening::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OpenedBid::Table)
                    .if_not_exists()
                    .col(uuid(OpenedBid::Id).primary_key())
                    .col(uuid(OpenedBid::TenderId))
                    .col(uuid(OpenedBid::LotId))
                    .col(uuid(OpenedBid::BidId))
                    .col(uuid(OpenedBid::OrganisationId))
                    .col(string_len(OpenedBid::SupplierName, 200))
                    .col(integer(OpenedBid::Version))
                    .col(timestamp_with_time_zone(OpenedBid::SubmittedAt))
                    .col(big_integer(OpenedBid::PriceFen))
                    // The SME declaration attached to the bid (R-SME-04), if any.
                    .col(string_len_null(OpenedBid::SizeClass, 16))
                    .col(text_null(OpenedBid::Declaration))
                    .col(integer_null(OpenedBid::SubcontractShareBp))
                    // R-SME-03: the deduction applied in evaluation, hundredths of a percent.
                    .col(integer(OpenedBid::DeductionBp).default(0))
                    // The lot's part of the bid as submitted (answers, proposal), JSON.
                    .col(text(OpenedBid::Content))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_opened_bid_lot")
                            .from(OpenedBid::Table, OpenedBid::LotId)
                            .to(TenderLot::Table, TenderLot::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_opened_bid_lot_bid")
                    .table(OpenedBid::Table)
                    .col(OpenedBid::LotId)
                    .col(OpenedBid::BidId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_opened_bid_tender")
                    .table(OpenedBid::Table)
                    .col(OpenedBid::TenderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BidMark::Table)
                    .if_not_exists()
                    .col(uuid(BidMark::OpenedBidId))
                    .col(uuid(BidMark::CriterionId))
                    .col(boolean_null(BidMark::Passed))
                    .col(integer_null(BidMark::ScoreBp))
                    .col(text(BidMark::Reason))
                    .col(uuid(BidMark::MarkedBy))
                    .col(timestamp_with_time_zone(BidMark::MarkedAt))
                    .primary_key(
                        Index::create()
                            .name("pk_bid_mark")
                            .col(BidMark::OpenedBidId)
                            .col(BidMark::CriterionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_mark_opened_bid")
                            .from(BidMark::Table, BidMark::OpenedBidId)
                            .to(OpenedBid::Table, OpenedBid::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Award::Table)
                    .if_not_exists()
                    .col(uuid(Award::LotId).primary_key())
                    .col(uuid(Award::TenderId))
                    .col(uuid(Award::OpenedBidId))
                    .col(uuid(Award::OrganisationId))
                    .col(big_integer(Award::PriceFen))
                    .col(timestamp_with_time_zone(Award::DecidedAt))
                    .col(uuid(Award::DecidedBy))
                    .col(timestamp_with_time_zone(Award::NoticePublishedAt))
                    // The evaluation as decided (every bid's scores and rank), JSON.
                    .col(text(Award::Evaluation))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_award_opened_bid")
                            .from(Award::Table, Award::OpenedBidId)
                            .to(OpenedBid::Table, OpenedBid::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_award_tender")
                    .table(Award::Table)
                    .col(Award::TenderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Challenge::Table)
                    .if_not_exists()
                    .col(uuid(Challenge::Id).primary_key())
                    .col(uuid(Challenge::TenderId))
                    .col(uuid(Challenge::AgencyId))
                    .col(uuid(Challenge::OrganisationId))
                    .col(uuid(Challenge::FiledBy))
                    // `award` or `terms`.
                    .col(string_len(Challenge::Subject, 16))
                    .col(text(Challenge::Body))
                    .col(timestamp_with_time_zone(Challenge::FiledAt))
                    // R-CHAL-01: the last day the agency may answer.
                    .col(date(Challenge::AnswerDue))
                    .col(text_null(Challenge::Answer))
                    .col(timestamp_with_time_zone_null(Challenge::AnsweredAt))
                    .col(uuid_null(Challenge::AnsweredBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_challenge_tender")
                            .from(Challenge::Table, Challenge::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_challenge_agency")
                    .table(Challenge::Table)
                    .col(Challenge::AgencyId)
                    .col(Challenge::AnswerDue)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Challenge::Table.into_iden(),
            Award::Table.into_iden(),
            BidMark::Table.into_iden(),
            OpenedBid::Table.into_iden(),
            BidOpening::Table.into_iden(),
            BidSubmission::Table.into_iden(),
            Bid::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TenderLot {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bid {
    Table,
    Id,
    TenderId,
    OrganisationId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Draft,
    SubmittedVersions,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum BidSubmission {
    Table,
    Id,
    BidId,
    Version,
    SubmittedAt,
    SubmittedBy,
    Sealed,
    OwnCopy,
    Digest,
    Receipt,
}

#[derive(DeriveIden)]
enum BidOpening {
    Table,
    TenderId,
    OpenedAt,
    OpenedBy,
}

#[derive(DeriveIden)]
enum OpenedBid {
    Table,
    Id,
    TenderId,
    LotId,
    BidId,
    OrganisationId,
    SupplierName,
    Version,
    SubmittedAt,
    PriceFen,
    SizeClass,
    Declaration,
    SubcontractShareBp,
    DeductionBp,
    Content,
}

#[derive(DeriveIden)]
enum BidMark {
    Table,
    OpenedBidId,
    CriterionId,
    Passed,
    ScoreBp,
    Reason,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum Award {
    Table,
    LotId,
    TenderId,
    OpenedBidId,
    OrganisationId,
    PriceFen,
    DecidedAt,
    DecidedBy,
    NoticePublishedAt,
    Evaluation,
}

#[derive(DeriveIden)]
enum Challenge {
    Table,
    Id,
    TenderId,
    AgencyId,
    OrganisationId,
    FiledBy,
    Subject,
    Body,
    FiledAt,
    AnswerDue,
    Answer,
    AnsweredAt,
    AnsweredBy,
}
