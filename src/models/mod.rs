//! Rows and the queries that return them, one module per table.

pub mod event;
pub mod person;
pub mod request;
mod sql;

pub use event::Event;
pub use person::Person;
pub use request::HolidayRequest;
