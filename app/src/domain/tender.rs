//! Tender vocabulary (see GLOSSARY.md). Issue #4 grows this into lots, criteria and publication
//! checks; the walking skeleton needs the names and their stored forms.

use serde::{Deserialize, Serialize};

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
}
