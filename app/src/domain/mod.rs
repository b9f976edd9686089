//! Domain rules, free of HTTP, UI and database: plain Rust that unit-tests in microseconds.

#[cfg(feature = "ssr")]
pub mod audit;
pub mod auth;
pub mod clock;
pub mod credit_code;
pub mod ids;
pub mod money;
pub mod sme;
pub mod tender;

pub use clock::{Clock, ManualClock, SystemClock};
pub use ids::*;
pub use money::{Money, MoneyError};
