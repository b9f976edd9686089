use sea_orm::entity::prelude::*;

/// Issue #35: the audit chain's head at a time, signed with the audit key (not in the database).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_checkpoint")]
pub struct Model {
    /// The entries covered: the chain's last `seq` when it was made.
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_count: i64,
    pub head_hash: String,
    pub made_at: DateTimeUtc,
    /// The signing key's public half, base64url (which key, after a rotation).
    pub public_key: String,
    /// Ed25519 over `domain::audit::checkpoint_message`, base64url.
    pub signature: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
