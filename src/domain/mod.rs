//! The rules of leave requests, free of HTTP and SQL so they can be read and tested alone.

pub mod absence;
pub mod balance;
pub mod calendar;
pub mod counting;
pub mod coverage;
pub mod dates;
pub mod email;
pub mod holidays;
pub mod leave;
pub mod notify;
pub mod rules;
pub mod status;
pub mod text;

pub use absence::{Absence, Absences, AlsoOff};
pub use dates::{DateRange, DateWindow, Horizon, Now, Zone};
pub use email::{Email, EmailError};
pub use rules::{Actor, Ownership, Refusal};
pub use status::{Decision, EventAction, Status};

use std::fmt;

/// A problem with what somebody typed, tied to the field it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Invalid { field, message: message.into() }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}
