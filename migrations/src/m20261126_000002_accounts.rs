//! Accounts (issue #3): versioned SME declarations, capability records, invitations, login
//! attempts for throttling, and the hash-chained audit log (R-REC-01).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SmeDeclaration::Table)
                    .if_not_exists()
                    .col(uuid(SmeDeclaration::Id).primary_key())
                    .col(uuid(SmeDeclaration::OrganisationId))
                    // 1, 2, 3... per organisation; a bid keeps the version it was made with.
                    .col(integer(SmeDeclaration::Version))
                    .col(string_len(SmeDeclaration::Industry, 40))
                    .col(integer(SmeDeclaration::Headcount))
                    .col(big_integer(SmeDeclaration::AnnualRevenueFen))
                    .col(big_integer(SmeDeclaration::TotalAssetsFen))
                    .col(string_len(SmeDeclaration::SizeClass, 16))
                    .col(uuid(SmeDeclaration::DeclaredBy))
                    .col(timestamp_with_time_zone(SmeDeclaration::DeclaredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sme_declaration_organisation")
                            .from(SmeDeclaration::Table, SmeDeclaration::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_sme_declaration_version")
                    .table(SmeDeclaration::Table)
                    .col(SmeDeclaration::OrganisationId)
                    .col(SmeDeclaration::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CapabilityRecord::Table)
                    .if_not_exists()
                    .col(uuid(CapabilityRecord::Id).primary_key())
                    .col(uuid(CapabilityRecord::OrganisationId))
                    // licence, certification, staff, equipment, quality_system
                    .col(string_len(CapabilityRecord::Kind, 32))
                    .col(string_len(CapabilityRecord::Title, 200))
                    .col(string_len_null(CapabilityRecord::Number, 100))
                    .col(string_len_null(CapabilityRecord::Issuer, 200))
                    .col(date_null(CapabilityRecord::ValidUntil))
                    .col(text(CapabilityRecord::Details))
                    .col(uuid_null(CapabilityRecord::DocumentId))
                    .col(timestamp_with_time_zone(CapabilityRecord::CreatedAt))
                    // Records are archived, never deleted (R-REC-01).
                    .col(timestamp_with_time_zone_null(CapabilityRecord::ArchivedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_capability_record_organisation")
                            .from(CapabilityRecord::Table, CapabilityRecord::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitation::Table)
                    .if_not_exists()
                    .col(uuid(Invitation::Id).primary_key())
                    // SHA-256 of the secret in the link; the secret itself is never stored.
                    .col(string_len(Invitation::TokenHash, 64).unique_key())
                    .col(uuid(Invitation::OrganisationId))
                    .col(string_len(Invitation::Email, 254))
                    .col(string_len(Invitation::Role, 32))
                    .col(uuid(Invitation::InvitedBy))
                    .col(timestamp_with_time_zone(Invitation::CreatedAt))
                    .col(timestamp_with_time_zone(Invitation::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitation::AcceptedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .if_not_exists()
                    .col(big_pk_auto(LoginAttempt::Id))
                    // "account:<email>" or "ip:<address>"
                    .col(string_len(LoginAttempt::Subject, 300))
                    .col(timestamp_with_time_zone(LoginAttempt::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempt_subject_at")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::Subject)
                    .col(LoginAttempt::At)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(big_integer(AuditLog::Seq).primary_key())
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(uuid_null(AuditLog::OrganisationId))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::Entity, 64))
                    .col(string_len(AuditLog::EntityId, 64))
                    .col(string_len(AuditLog::StateDigest, 64))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            LoginAttempt::Table.into_iden(),
            Invitation::Table.into_iden(),
            CapabilityRecord::Table.into_iden(),
            SmeDeclaration::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SmeDeclaration {
    Table,
    Id,
    OrganisationId,
    Version,
    Industry,
    Headcount,
    AnnualRevenueFen,
    TotalAssetsFen,
    SizeClass,
    DeclaredBy,
    DeclaredAt,
}

#[derive(DeriveIden)]
enum CapabilityRecord {
    Table,
    Id,
    OrganisationId,
    Kind,
    Title,
    Number,
    Issuer,
    ValidUntil,
    Details,
    DocumentId,
    CreatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Invitation {
    Table,
    Id,
    TokenHash,
    OrganisationId,
    Email,
    Role,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Subject,
    At,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    ActorId,
    OrganisationId,
    Action,
    Entity,
    EntityId,
    StateDigest,
    PrevHash,
    Hash,
}
