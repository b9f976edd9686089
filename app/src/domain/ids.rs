//! Typed identifiers: a `TenderId` cannot be passed where an `OrganisationId` is expected.
//! They are UUIDs (version 7, time-ordered) so that public URLs reveal no counts.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh identifier (server side only: the browser never invents ids).
            #[cfg(feature = "ssr")]
            pub fn new() -> Self {
                $name(Uuid::now_v7())
            }
        }

        #[cfg(feature = "ssr")]
        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                $name(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    )*};
}

typed_id!(
    /// An organisation: an agency (采购人) or a supplier (供应商).
    OrganisationId,
    /// A person who signs in.
    PersonId,
    /// A tender (采购项目).
    TenderId,
    /// A stored document (tender file, bid file, evidence).
    DocumentId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id: TenderId = "0192f2a0-0000-7000-8000-000000000001".parse().unwrap();
        assert_eq!(id.to_string().parse::<TenderId>().unwrap(), id);
        assert!("not-an-id".parse::<TenderId>().is_err());
    }
}
