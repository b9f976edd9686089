//! Issue #33, R-SEC-01 and R-PAY-08: the bid security's forms and its refund.
//!
//! - `tender.bid_security_forms`: the forms the bid security may take, comma-separated
//!   `SecurityForm` codes, never cash only; NULL for a tender without a bid security, or
//!   published before this migration (every form is then accepted).
//! - `bid_security`: one row per bidder whose bid was opened on a tender that asked for a bid
//!   security: the form the bidder chose when it bid (NULL for a bid from before this
//!   migration), and the refund (for a guarantee, its return) as the agency records it, once:
//!   the day, who and when. The refund is due 5 working days after the award notice, which is
//!   counted from the award, not stored. Nothing is deleted (R-REC-01).
//!
//! SQLite alters one column per statement, so the column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Tender::Table)
                    .add_column(string_len_null(Tender::BidSecurityForms, 200).to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BidSecurity::Table)
                    .if_not_exists()
                    .col(uuid(BidSecurity::Id).primary_key())
                    .col(uuid(BidSecurity::TenderId))
                    .col(uuid(BidSecurity::OrganisationId))
                    .col(string_len_null(BidSecurity::Form, 32))
                    .col(date_null(BidSecurity::RefundedOn))
                    .col(uuid_null(BidSecurity::RecordedBy))
                    .col(timestamp_with_time_zone_null(BidSecurity::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_security_tender")
                            .from(BidSecurity::Table, BidSecurity::TenderId)
                            .to(Tender::Table, Tender::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_bid_security_organisation")
                            .from(BidSecurity::Table, BidSecurity::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One security per bidder and tender, even when the opening and a refund race.
        manager
            .create_index(
                Index::create()
                    .name("idx_bid_security_tender_organisation")
                    .table(BidSecurity::Table)
                    .col(BidSecurity::TenderId)
                    .col(BidSecurity::OrganisationId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BidSecurity::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tender::Table)
                    .drop_column(Tender::BidSecurityForms)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
    BidSecurityForms,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BidSecurity {
    Table,
    Id,
    TenderId,
    OrganisationId,
    Form,
    RefundedOn,
    RecordedBy,
    RecordedAt,
}
