//! Tender vocabulary (see GLOSSARY.md). Issue #4 grows this into lots, criteria and publication
//! checks; the walking skeleton needs the names and their stored forms.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stored (or typed) text that names none of a value type's variants: for a column, a fault
/// of ours (the caller logs it and answers with an internal error), never a silent default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The value type's name, e.g. `CriterionKind`.
    pub of: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.of, self.value)
    }
}

impl std::error::Error for UnknownValue {}

/// Implements `FromStr` (the one way to read a stored value) from a type's `parse`.
macro_rules! from_stored_str {
    ($name:ident) => {
        impl std::str::FromStr for $name {
            type Err = $crate::domain::tender::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::domain::tender::UnknownValue {
                    of: stringify!($name),
                    value: s.to_string(),
                })
            }
        }
    };
}
pub(crate) use from_stored_str;

macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $stored:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value stored in the database and used in URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($stored => Some($name::$variant),)* _ => None }
            }
        }

        from_stored_str!($name);
    };
}

stored_enum!(
    /// What is bought (货物 / 服务 / 工程).
    Category { Goods = "goods", Services = "services", Works = "works" }
);

stored_enum!(
    /// Procurement method.
    Method {
        OpenTender = "open_tender",
        CompetitiveConsultation = "competitive_consultation",
        CompetitiveNegotiation = "competitive_negotiation",
        RequestForQuotation = "request_for_quotation",
    }
);

stored_enum!(
    /// Where a tender is in its life. Nothing is ever deleted (R-REC-01): a cancelled tender stays.
    TenderStatus {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
        }
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Some(*m));
        }
        for s in TenderStatus::ALL {
            assert_eq!(TenderStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Category::parse("weapons"), None);
    }

    #[test]
    fn an_unknown_stored_value_is_an_error_naming_it() {
        assert_eq!("works".parse::<Category>(), Ok(Category::Works));
        assert_eq!(
            "published".parse::<TenderStatus>(),
            Ok(TenderStatus::Published)
        );
        let e = "sealed".parse::<TenderStatus>().unwrap_err();
        assert_eq!(e.to_string(), "unknown TenderStatus \"sealed\"");
        assert!("auction".parse::<Method>().is_err());
    }
}
