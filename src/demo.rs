//! The demo people and requests that an empty embedded database starts with (and any empty
//! database, with `HOLIDAYS_DEMO=1`), so the app can be tried without setting anything up.

use crate::db::{DbConnection, take_turns, write_transaction};
use crate::domain::{DateRange, Email, Now};
use crate::error::AppError;
use crate::models::request::NewRequest;
use crate::models::{HolidayRequest, Person};
use crate::schema::{holiday_requests, people};
use chrono::NaiveDate;
use diesel::prelude::*;

const PEOPLE: [(&str, &str, Option<&str>); 7] = [
    ("manager@example.com", "Maria Manager", None),
    ("joe@example.com", "Joe", Some("manager@example.com")),
    ("suzy@example.com", "Suzy", Some("manager@example.com")),
    ("charlie@example.com", "Charlie", Some("manager@example.com")),
    ("lead@example.com", "Lee Lead", None),
    ("dana@example.com", "Dana", Some("lead@example.com")),
    ("admin@example.com", "Ada Admin", None),
];

/// The walkthrough's three rows, now with a known requester, and one for Dana.
const REQUESTS: [(&str, &str, &str, &str); 4] = [
    ("joe@example.com", "Joe", "2025-08-01", "2025-08-20"),
    ("suzy@example.com", "Suzy", "2025-07-22", "2025-07-25"),
    ("charlie@example.com", "Charlie", "2025-08-01", "2025-08-05"),
    ("dana@example.com", "Dana", "2025-09-08", "2025-09-12"),
];

/// Loads the demo data if the database holds no people and no requests. Returns whether it did.
pub fn load_if_empty(conn: &mut DbConnection, now: Now) -> Result<bool, AppError> {
    write_transaction(conn, |conn| {
        // Two instances starting together on an empty Postgres database load the demo once.
        take_turns(conn, "holidays-demo-data")?;
        let requests: i64 = holiday_requests::table.count().get_result(conn)?;
        let persons: i64 = people::table.count().get_result(conn)?;
        if requests + persons > 0 {
            return Ok(false);
        }
        let email = |s: &str| Email::parse(s).map_err(|e| AppError::Internal(format!("demo email {s}: {e}")));
        let mut rows = Vec::new();
        for (address, name, manager) in PEOPLE {
            let manager_email = manager.map(email).transpose()?;
            rows.push(Person { email: email(address)?, display_name: name.into(), manager_email });
        }
        Person::upsert(conn, &rows)?;
        for (address, name, start, end) in REQUESTS {
            let date = |s: &str| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| AppError::Internal(format!("demo date {s}: {e}")))
            };
            let range = DateRange::new(date(start)?, date(end)?)?;
            let requester = email(address)?;
            let new = NewRequest {
                employee_name: name,
                requester_email: &requester,
                range,
                comment: None,
                created_at: now.utc,
            };
            HolidayRequest::submit(conn, new)?;
        }
        Ok(true)
    })
}
