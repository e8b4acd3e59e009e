//! The demo people and requests that an empty embedded database starts with (and any empty
//! database, with `HOLIDAYS_DEMO=1`), so the app can be tried without setting anything up.

use crate::actions::{RequestInput, submit_in};
use crate::config::Settings;
use crate::db::{DbConnection, take_turns, write_transaction};
use crate::domain::coverage::{Kind, Mode, Rule};
use crate::domain::leave::WorkingWeek;
use crate::domain::{Actor, Email, EventAction, Now, Status};
use crate::error::AppError;
use crate::models::event::NewEvent;
use crate::models::{Event, HolidayRequest, Profile};
use crate::schema::{holiday_requests, people};
use chrono::{Datelike, NaiveDate, Weekday};
use diesel::prelude::*;

/// People in three locations, so public holidays differ from one to the next.
const PEOPLE: [(&str, &str, Option<&str>, &str); 7] = [
    ("manager@example.com", "Maria Manager", None, "GB-ENG"),
    ("joe@example.com", "Joe", Some("manager@example.com"), "GB-ENG"),
    ("suzy@example.com", "Suzy", Some("manager@example.com"), "DE-BY"),
    ("charlie@example.com", "Charlie", Some("manager@example.com"), "US-CA"),
    ("lead@example.com", "Lee Lead", None, "US-CA"),
    ("dana@example.com", "Dana", Some("lead@example.com"), "US-CA"),
    ("admin@example.com", "Ada Admin", None, "GB-ENG"),
];

/// A demo request: who, its type, its first and last day as days from today (or from the
/// first day of this leave year, `from_year_start`), its parts, and who approves it, if anyone.
struct Demo {
    who: &'static str,
    leave_type: &'static str,
    from_year_start: Option<i32>,
    first: i64,
    last: i64,
    start_part: &'static str,
    end_part: &'static str,
    approved_by: Option<&'static str>,
}

const fn pending(who: &'static str, first: i64, last: i64) -> Demo {
    Demo {
        who,
        leave_type: "Annual leave",
        from_year_start: None,
        first,
        last,
        start_part: "full",
        end_part: "full",
        approved_by: None,
    }
}

/// The walkthrough's three requests and one for Dana, pending, in the weeks ahead; then what
/// makes balances worth looking at, all Dana's: a holiday last leave year (she carries 5 days
/// over) and one early this year (using them), a sick day and a half day.
fn requests() -> [Demo; 8] {
    [
        pending("joe@example.com", 21, 34),
        pending("suzy@example.com", 28, 31),
        pending("charlie@example.com", 21, 25),
        pending("dana@example.com", 42, 46),
        Demo {
            from_year_start: Some(-1),
            first: 160,
            last: 173,
            approved_by: Some("lead@example.com"),
            ..pending("dana@example.com", 0, 0)
        },
        Demo {
            from_year_start: Some(0),
            first: 40,
            last: 44,
            approved_by: Some("lead@example.com"),
            ..pending("dana@example.com", 0, 0)
        },
        Demo { leave_type: "Sick leave", ..pending("dana@example.com", -9, -9) },
        Demo { start_part: "afternoon", ..pending("dana@example.com", 60, 60) },
    ]
}

/// Loads the demo data if the database holds no people and no requests. Returns whether it did.
pub fn load_if_empty(conn: &mut DbConnection, settings: &Settings, now: Now) -> Result<bool, AppError> {
    write_transaction(conn, |conn| {
        // Two instances starting together on an empty Postgres database load the demo once.
        take_turns(conn, "holidays-demo-data")?;
        let rows: i64 = holiday_requests::table.count().get_result(conn)?;
        let persons: i64 = people::table.count().get_result(conn)?;
        if rows + persons > 0 {
            return Ok(false);
        }
        let email = |s: &str| Email::parse(s).map_err(|e| AppError::Internal(format!("demo email {s}: {e}")));
        let mut rows = Vec::new();
        for (address, name, manager, location) in PEOPLE {
            rows.push(Profile {
                email: email(address)?,
                display_name: name.into(),
                manager_email: manager.map(email).transpose()?,
                location: Some(location.into()),
                working_week: WorkingWeek::default().to_string(),
                timezone: None,
                allowance_days: None,
                start_date: None,
            });
        }
        Profile::upsert(conn, &rows)?;
        // A coverage rule for Maria's team, before the requests it judges: Suzy's and Charlie's
        // each overlap Joe's, so their queue rows carry its warning.
        let limit = Rule {
            id: 0,
            team: Some(email("manager@example.com")?),
            kind: Kind::MaxOff(1),
            period: None,
            name: None,
            mode: Mode::Warn,
        };
        crate::models::coverage::insert(conn, &limit, &email("manager@example.com")?, now.utc)?;
        let leave_year = settings.leave_policy.leave_year;
        let this_year = leave_year.of(now.today);
        for demo in requests() {
            let anchor = match demo.from_year_start {
                Some(offset) => leave_year.first_day(this_year + offset),
                None => now.today,
            };
            let requester = email(demo.who)?;
            let actor = Actor { email: requester.clone(), is_admin: false };
            // A day that turns out to be a public holiday where the person works moves the
            // request on by a day.
            let mut made = Err(AppError::Internal("no demo request was made".into()));
            for shift in 0..7 {
                let day = |offset: i64| working_day(anchor + chrono::Duration::days(offset + shift));
                let (first, last) = (day(demo.first), day(demo.last));
                let input = RequestInput {
                    start_date: first.to_string(),
                    end_date: last.max(first).to_string(),
                    comment: None,
                    leave_type: Some(demo.leave_type.into()),
                    start_part: Some(demo.start_part.into()),
                    end_part: Some(demo.end_part.into()),
                };
                made = submit_in(conn, settings, &actor, &input, now);
                if !matches!(made, Err(AppError::Invalid(_))) {
                    break;
                }
            }
            let request = made?;
            if let Some(approver) = demo.approved_by {
                let approver = email(approver)?;
                HolidayRequest::decide_if_pending(conn, request, Status::Approved, None, &approver, now.utc)?;
                let event = NewEvent {
                    request_id: request,
                    actor_email: &approver,
                    action: EventAction::Approved,
                    note: None,
                    created_at: now.utc,
                };
                Event::record(conn, event)?;
            }
        }
        Ok(true)
    })
}

/// The day itself on a weekday, else the Monday after: demo requests start and end on working
/// days.
fn working_day(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + chrono::Duration::days(2),
        Weekday::Sun => day + chrono::Duration::days(1),
        _ => day,
    }
}
