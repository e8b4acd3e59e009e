//! Rows and the queries that return them, one module per table.

pub mod balance;
pub mod calendar;
pub mod coverage;
pub mod event;
pub mod holiday_change;
pub mod leave_type;
pub mod notification;
pub mod person;
pub mod policy_event;
pub mod request;
mod sql;

pub use event::Event;
pub use person::{Person, Profile};
pub use request::HolidayRequest;
