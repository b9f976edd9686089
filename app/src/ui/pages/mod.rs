//! One file per page (the route table is `ui::App`). A page reads its data through server
//! functions and renders forms that post to them; what several pages share is in `components`.

pub mod account;
pub mod admin;
mod admin_calendar;
pub mod agency_contracts;
pub mod agency_tenders;
pub mod bid;
pub mod contract;
pub mod evaluation;
pub mod home;
pub mod invitation;
pub mod login;
pub mod open_data;
pub mod payments;
pub mod receipt;
pub mod receivables;
pub mod register;
pub mod tender;
mod tender_amend;
pub mod tender_edit;
pub mod watchlist;
