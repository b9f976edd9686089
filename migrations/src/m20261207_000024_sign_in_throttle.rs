//! Sign-in that cannot be used against its owner (issue #35):
//!
//! - `sign_in_throttle`: one counter per throttled subject (an account from one client address,
//!   an account from one known device, an account as a whole, an address registering), claimed
//!   atomically before a password is checked (a compare-and-set UPDATE, the same SQL on SQLite
//!   and PostgreSQL), so parallel guesses are counted one by one. `not_before` is when the next
//!   attempt may be evaluated (growing delays, `app::domain::sign_in`).
//! - `recovery_code`: the owner's one-time recovery codes, stored as SHA-256 digests only (each
//!   code is 80 random bits, so a digest cannot be reversed by trying); `used_at` marks one used.
//!
//! The old `login_attempt` table is no longer read or written; it is left in place (nothing is
//! dropped by a migration of this project).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInThrottle::Table)
                    .if_not_exists()
                    .col(string_len(SignInThrottle::Subject, 255).primary_key())
                    .col(integer(SignInThrottle::Failures).default(0))
                    .col(timestamp_with_time_zone(SignInThrottle::NotBefore))
                    .col(timestamp_with_time_zone(SignInThrottle::LastAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCode::Table)
                    .if_not_exists()
                    .col(uuid(RecoveryCode::Id).primary_key())
                    .col(uuid(RecoveryCode::PersonId))
                    .col(string_len(RecoveryCode::CodeHash, 64))
                    .col(timestamp_with_time_zone(RecoveryCode::CreatedAt))
                    .col(timestamp_with_time_zone_null(RecoveryCode::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recovery_code_person")
                            .from(RecoveryCode::Table, RecoveryCode::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recovery_code_person_hash")
                    .table(RecoveryCode::Table)
                    .col(RecoveryCode::PersonId)
                    .col(RecoveryCode::CodeHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RecoveryCode::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SignInThrottle::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SignInThrottle {
    Table,
    Subject,
    Failures,
    NotBefore,
    LastAt,
}

#[derive(DeriveIden)]
enum RecoveryCode {
    Table,
    Id,
    PersonId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
