//! sea-orm entities, one module per table (see migrations/ for the schema).

pub mod document;
pub mod organisation;
pub mod person;
pub mod tender;
