//! The leave a calendar shows: the pending and approved requests of some people on some days,
//! with their types, in one statement whatever the number of people.

use crate::db::DbConnection;
use crate::db::statement::{Param, Statement};
use crate::domain::calendar::Booked;
use crate::domain::leave::{EndPart, StartPart};
use crate::domain::{DateRange, Email, Status};
use crate::models::request::TypeLabel;
use crate::statement;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Integer, Nullable, Text, Timestamp};

// Each person's requests are found through the index of pending and approved requests by end
// date: a request lasts at most 366 days, so those reaching into the period end between its
// first day and 366 days after its last. Postgres walks that index once per person (LATERAL);
// SQLite's planner does the same from the IN list.
macro_rules! leave_columns {
    () => {
        "h.request_id, h.requester_email, h.start_date, h.end_date, h.start_part, h.end_part, h.status,
       h.comment, h.days, h.created_at, h.decided_at, h.leave_type_id, t.name, t.colour, t.private"
    };
}

#[cfg(feature = "postgres")]
statement!(
    /// Parameters: emails, first day, last day + 366, last day.
    PgLeaveOfPeople -> LeaveColumns = concat!(
        "SELECT ",
        leave_columns!(),
        "
FROM unnest({}::text[]) AS v(email) CROSS JOIN LATERAL (
    SELECT * FROM holiday_requests h1
    WHERE h1.requester_email = v.email AND h1.status IN ('Pending', 'Approved')
      AND h1.end_date >= {} AND h1.end_date <= {} AND h1.start_date <= {} OFFSET 0) h
LEFT JOIN leave_types t ON t.leave_type_id = h.leave_type_id
ORDER BY h.requester_email, h.start_date"
    )
);

#[cfg(feature = "sqlite")]
statement!(
    /// Parameters: emails (a JSON array), first day, last day + 366, last day.
    SqliteLeaveOfPeople -> LeaveColumns = concat!(
        "SELECT ",
        leave_columns!(),
        "
FROM holiday_requests h LEFT JOIN leave_types t ON t.leave_type_id = h.leave_type_id
WHERE h.requester_email IN (SELECT value FROM json_each({})) AND h.status IN ('Pending', 'Approved')
  AND h.end_date >= {} AND h.end_date <= {} AND h.start_date <= {}
ORDER BY h.requester_email, h.start_date"
    )
);

type LeaveColumns = (
    Integer,
    Text,
    Date,
    Date,
    Text,
    Text,
    Text,
    Nullable<Text>,
    Nullable<diesel::sql_types::Double>,
    Timestamp,
    Nullable<Timestamp>,
    Integer,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Bool>,
);

/// A pending or approved request as a calendar shows it.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct Leave {
    pub request_id: i32,
    pub requester: Email,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub start_part: StartPart,
    pub end_part: EndPart,
    pub status: Status,
    pub comment: Option<String>,
    pub days: Option<f64>,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub leave_type_id: i32,
    type_name: Option<String>,
    type_colour: Option<String>,
    type_private: Option<bool>,
}

impl Leave {
    pub fn booked(&self) -> Booked {
        Booked {
            request_id: self.request_id,
            range: DateRange { start: self.start_date, end: self.end_date },
            start_part: self.start_part,
            end_part: self.end_part,
        }
    }

    /// Its type; a type another tool deleted reads as private leave of no name, so nothing is
    /// shown that should not be.
    pub fn leave_type(&self) -> TypeLabel {
        TypeLabel {
            name: self.type_name.clone().unwrap_or_else(|| "Leave".into()),
            colour: self.type_colour.clone().unwrap_or_else(|| "#6b6f76".into()),
            private: self.type_private.unwrap_or(true),
        }
    }

    /// When it last changed: decided, or made.
    pub fn changed_at(&self) -> NaiveDateTime {
        self.decided_at.unwrap_or(self.created_at).max(self.created_at)
    }
}

/// The pending and approved requests of `people` with a day in `range`, by person and date.
pub fn leave_of(conn: &mut DbConnection, people: &[Email], range: DateRange) -> QueryResult<Vec<Leave>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let latest_end = range.end.checked_add_days(chrono::Days::new(366)).unwrap_or(NaiveDate::MAX);
    match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => {
            let emails: Vec<String> = people.iter().map(|e| e.as_str().to_owned()).collect();
            Statement::<PgLeaveOfPeople>::new(vec![
                Param::TextArray(&emails),
                Param::Date(&range.start),
                Param::Date(&latest_end),
                Param::Date(&range.end),
            ])
            .load(pg)
        }
        #[cfg(feature = "sqlite")]
        DbConnection::Sqlite(lite) => {
            let json =
                serde_json::to_string(people).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
            Statement::<SqliteLeaveOfPeople>::new(vec![
                Param::Text(&json),
                Param::Date(&range.start),
                Param::Date(&latest_end),
                Param::Date(&range.end),
            ])
            .load(lite)
        }
    }
}
