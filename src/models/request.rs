//! Holiday requests and the queries over them.

use crate::db::DbConnection;
use crate::db::statement::{Param, Statement};
use crate::domain::counting::YearShare;
use crate::domain::leave::{Days, EndPart, StartPart};
use crate::domain::{Absence, DateRange, Email, EventAction, Status};
use crate::models::event::{Event, NewEvent};
use crate::schema::{holiday_requests as hr, people, request_days};
use crate::statement;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Double, Integer, Nullable, Text, Timestamp};

#[derive(Queryable, Selectable, Clone, Debug, PartialEq)]
#[diesel(table_name = hr)]
pub struct HolidayRequest {
    pub request_id: i32,
    /// The requester's name when they asked (the walkthrough's only notion of who asked).
    pub employee_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: Status,
    pub manager_note: Option<String>,
    /// `None` on rows that predate the app.
    pub requester_email: Option<Email>,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
    pub decided_by: Option<Email>,
    pub decided_at: Option<NaiveDateTime>,
    pub leave_type_id: i32,
    pub start_part: StartPart,
    pub end_part: EndPart,
    /// As counted when the request was made; `None` on rows other tools wrote.
    pub days: Option<f64>,
    /// What the coverage rules said when it was made, a sentence a line.
    pub coverage: Option<String>,
}

/// A request being made: pending, or approved at once when its type needs no approval.
pub struct NewRequest<'a> {
    pub employee_name: &'a str,
    pub requester_email: &'a Email,
    pub range: DateRange,
    pub comment: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub leave_type_id: i32,
    pub start_part: StartPart,
    pub end_part: EndPart,
    pub days: Days,
    pub years: &'a [YearShare],
    /// Approved as it is made, with this note on its "Approved" event.
    pub approved_at_once: Option<&'a str>,
    /// The coverage rules' warnings, a sentence a line.
    pub coverage: Option<&'a str>,
}

/// What a list shows of a request's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeLabel {
    pub name: String,
    pub colour: String,
    pub private: bool,
}

/// Whose requests a list covers, resolved once per request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requesters {
    Everyone,
    Only(Vec<Email>),
}

/// Where the next page starts. Lists show pending requests first, newest first, then the rest,
/// newest first; the cursor remembers which of the two runs it is in and the last id shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub in_pending: bool,
    pub before_id: i32,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}{}", if self.in_pending { 'p' } else { 'r' }, self.before_id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let in_pending = match s.as_bytes().first()? {
            b'p' => true,
            b'r' => false,
            _ => return None,
        };
        let before_id = s[1..].parse().ok().filter(|id| *id > 0)?;
        Some(Cursor { in_pending, before_id })
    }
}

/// Which rows a page holds.
#[derive(Clone, Copy, Debug)]
pub struct PageQuery<'a> {
    pub requesters: &'a Requesters,
    /// One status, or `None` for pending first and then the rest.
    pub status: Option<&'a Status>,
    pub cursor: Option<Cursor>,
    /// Only requests with a higher id (the queue's live updates).
    pub after: i32,
    /// Only requests with a lower id (one request found by id).
    pub before: i32,
    pub limit: i64,
}

/// A request with its requester's manager in the directory.
#[derive(Clone, Debug, PartialEq)]
pub struct Managed {
    pub request: HolidayRequest,
    pub manager: Option<Email>,
    /// Its type, where a list shows it.
    pub leave_type: Option<TypeLabel>,
}

/// One page: its requests in order, the cursor to the next, and the absences of the teams
/// it shows, for "also off".
#[derive(Debug, Default)]
pub struct Page {
    pub rows: Vec<Managed>,
    pub next: Option<Cursor>,
    pub away: Vec<Absence>,
}

// The page statement: the requests of a page, each with its requester's manager, followed by
// the pending and approved requests of those managers' teams on the page's days ("run" 2),
// all in one round trip. Per backend, since Postgres walks each requester's index with LATERAL
// (a plan that stays fast when the statement is prepared once and reused) and SQLite has no
// LATERAL or arrays. The window for the absences is the page's active days; a request covers
// at most 366 days, which bounds how far before `hi` an overlapping one can end. A colleague
// whose team's rows on the page are all their own is left out: their absences could only
// matter to themselves (a person with a thousand one-day requests filling a page would
// otherwise bring all of them along).
#[cfg(feature = "postgres")]
macro_rules! pg_page_tail {
    () => {
        "), page AS MATERIALIZED (
    SELECT h.*, (SELECT p.manager_email FROM people p WHERE p.email = h.requester_email) AS manager_email
    -- The outer limit changes nothing (the two runs hold at most that many rows together), but
    -- tells the planner so: without it, it costed the second run's subquery limit as a tenth
    -- of the table, and at a million rows that estimate set off JIT compilation.
    FROM (SELECT * FROM pend UNION ALL SELECT * FROM rest LIMIT {}) h
), away AS (
    SELECT a.request_id, c.display_name, a.status, a.start_date, a.end_date, c.email, c.manager_email
    FROM (SELECT min(start_date) AS lo, max(end_date) AS hi FROM page WHERE status IN ('Pending', 'Approved')) w
    CROSS JOIN (
        SELECT manager_email, min(requester_email) AS first_requester, max(requester_email) AS last_requester
        FROM page WHERE status IN ('Pending', 'Approved') GROUP BY manager_email) m
    CROSS JOIN LATERAL (
        SELECT * FROM people c WHERE c.manager_email = m.manager_email
          AND NOT (c.email = m.first_requester AND c.email = m.last_requester) OFFSET 0) c
    CROSS JOIN LATERAL (
        SELECT h2.request_id, h2.status, h2.start_date, h2.end_date FROM holiday_requests h2
        WHERE h2.requester_email = c.email AND h2.status IN ('Pending', 'Approved')
          AND h2.end_date >= w.lo AND h2.end_date <= w.hi + 366 AND h2.start_date <= w.hi OFFSET 0) a
)
SELECT run, request_id, employee_name, start_date, end_date, status, manager_note, requester_email,
       comment, created_at, decided_by, decided_at, manager_email, page.leave_type_id, start_part, end_part, days,
       coverage, t.name, t.colour, t.private
FROM page LEFT JOIN leave_types t ON t.leave_type_id = page.leave_type_id
UNION ALL
SELECT 2, request_id, display_name, start_date, end_date, status, NULL, email, NULL, NULL, NULL, NULL, manager_email,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM away
ORDER BY 1, 2 DESC"
    };
}

#[cfg(feature = "sqlite")]
macro_rules! sqlite_page_tail {
    () => {
        "), page AS MATERIALIZED (
    SELECT h.*, (SELECT p.manager_email FROM people p WHERE p.email = h.requester_email) AS manager_email
    FROM (SELECT * FROM pend UNION ALL SELECT * FROM rest) h
), span AS (
    SELECT min(start_date) AS lo, max(end_date) AS hi FROM page WHERE status IN ('Pending', 'Approved')
), away AS (
    SELECT a.request_id, c.display_name, a.status, a.start_date, a.end_date, c.email, c.manager_email
    FROM span w, (
        SELECT manager_email, min(requester_email) AS first_requester, max(requester_email) AS last_requester
        FROM page WHERE status IN ('Pending', 'Approved') GROUP BY manager_email) m
    JOIN people c ON c.manager_email = m.manager_email
        AND NOT (c.email = m.first_requester AND c.email = m.last_requester)
    JOIN holiday_requests a ON a.requester_email = c.email
    WHERE a.status IN ('Pending', 'Approved')
      AND a.end_date >= w.lo AND a.end_date <= date(w.hi, '+366 days') AND a.start_date <= w.hi
)
SELECT run, request_id, employee_name, start_date, end_date, status, manager_note, requester_email,
       comment, created_at, decided_by, decided_at, manager_email, page.leave_type_id, start_part, end_part, days,
       coverage, t.name, t.colour, t.private
FROM page LEFT JOIN leave_types t ON t.leave_type_id = page.leave_type_id
UNION ALL
SELECT 2, request_id, display_name, start_date, end_date, status, NULL, email, NULL, NULL, NULL, NULL, manager_email,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM away
ORDER BY 1, 2 DESC"
    };
}

// Everyone's requests: one statement per status of the first run, written into the text, so
// that Postgres plans each with that status's own statistics. With the status as a parameter,
// the plan it keeps for any value walked the primary key filtering on status: fine while pending
// requests are the newest, a scan of the whole table when they are rare.
#[cfg(feature = "postgres")]
macro_rules! pg_page_of_everyone {
    ($name:ident, $status:literal) => {
        statement!(
            /// Parameters: in_pending, before_pending, after, limit; with_rest, before_rest,
            /// after, limit; limit.
            $name -> PageColumns = concat!(
                "WITH pend AS (
    SELECT h.*, 0 AS run FROM holiday_requests h
    WHERE {} AND h.status = '",
                $status,
                "' AND h.request_id < {} AND h.request_id > {}
    ORDER BY h.request_id DESC LIMIT {}
), rest AS (
    SELECT h.*, 1 AS run FROM holiday_requests h
    WHERE {} AND h.status <> 'Pending' AND h.request_id < {} AND h.request_id > {}
    ORDER BY h.request_id DESC LIMIT {} - (SELECT count(*) FROM pend)
",
                pg_page_tail!()
            )
        );
    };
}

#[cfg(feature = "postgres")]
pg_page_of_everyone!(PgPendingOfEveryone, "Pending");
#[cfg(feature = "postgres")]
pg_page_of_everyone!(PgApprovedOfEveryone, "Approved");
#[cfg(feature = "postgres")]
pg_page_of_everyone!(PgDeclinedOfEveryone, "Declined");
#[cfg(feature = "postgres")]
pg_page_of_everyone!(PgCancelledOfEveryone, "Cancelled");

#[cfg(feature = "postgres")]
statement!(
    /// Parameters: requesters, first_status, before_pending, after, limit, in_pending, limit;
    /// requesters, before_rest, after, limit, with_rest, limit; limit.
    PgPageOfSome -> PageColumns = concat!(
        "WITH pend AS (
    SELECT r.*, 0 AS run FROM unnest({}::text[]) AS v(email) CROSS JOIN LATERAL (
        SELECT h.* FROM holiday_requests h
        WHERE h.requester_email = v.email AND h.status = {}
          AND h.request_id < {} AND h.request_id > {}
        ORDER BY h.status DESC, h.request_id DESC LIMIT {}) r
    WHERE {}
    ORDER BY r.request_id DESC LIMIT {}
), rest AS (
    SELECT r.*, 1 AS run FROM unnest({}::text[]) AS v(email) CROSS JOIN LATERAL (
        SELECT h.* FROM holiday_requests h
        WHERE h.requester_email = v.email AND h.status <> 'Pending' AND h.request_id < {} AND h.request_id > {}
        ORDER BY h.request_id DESC LIMIT {}) r
    WHERE {}
    ORDER BY r.request_id DESC LIMIT {} - (SELECT count(*) FROM pend)
",
        pg_page_tail!()
    )
);

#[cfg(feature = "sqlite")]
statement!(
    /// Parameters: in_pending, first_status, before_pending, after, limit; with_rest,
    /// before_rest, after, limit.
    SqlitePageOfEveryone -> PageColumns = concat!(
        "WITH pend AS (
    SELECT h.*, 0 AS run FROM holiday_requests h
    WHERE {} AND h.status = {} AND h.request_id < {} AND h.request_id > {}
    ORDER BY h.status DESC, h.request_id DESC LIMIT {}
), rest AS (
    SELECT h.*, 1 AS run FROM holiday_requests h
    WHERE {} AND h.status <> 'Pending' AND h.request_id < {} AND h.request_id > {}
    ORDER BY h.request_id DESC LIMIT {} - (SELECT count(*) FROM pend)
",
        sqlite_page_tail!()
    )
);

#[cfg(feature = "sqlite")]
statement!(
    /// Parameters: in_pending, requesters (a JSON array), first_status, before_pending, after,
    /// limit; with_rest, requesters, before_rest, after, limit.
    SqlitePageOfSome -> PageColumns = concat!(
        "WITH pend AS (
    SELECT h.*, 0 AS run FROM holiday_requests h
    WHERE {} AND h.requester_email IN (SELECT value FROM json_each({}))
      AND h.status = {} AND h.request_id < {} AND h.request_id > {}
    ORDER BY h.status DESC, h.request_id DESC LIMIT {}
), rest AS (
    SELECT h.*, 1 AS run FROM holiday_requests h
    WHERE {} AND h.requester_email IN (SELECT value FROM json_each({}))
      AND h.status <> 'Pending' AND h.request_id < {} AND h.request_id > {}
    ORDER BY h.request_id DESC LIMIT {} - (SELECT count(*) FROM pend)
",
        sqlite_page_tail!()
    )
);

/// The columns of the page statement, in order.
type PageColumns = (
    Integer,
    Integer,
    Text,
    Date,
    Date,
    Text,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Timestamp>,
    Nullable<Text>,
    Nullable<Timestamp>,
    Nullable<Text>,
    Nullable<Integer>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Double>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Bool>,
);

/// A row of the page statement: a request of the page (run 0 or 1) or a colleague's absence
/// (run 2, with the colleague's name in `employee_name` and email in `requester_email`).
#[derive(Queryable)]
struct PageRow {
    run: i32,
    request_id: i32,
    employee_name: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    status: Status,
    manager_note: Option<String>,
    requester_email: Option<Email>,
    comment: Option<String>,
    created_at: Option<NaiveDateTime>,
    decided_by: Option<Email>,
    decided_at: Option<NaiveDateTime>,
    manager_email: Option<Email>,
    leave_type_id: Option<i32>,
    start_part: Option<StartPart>,
    end_part: Option<EndPart>,
    days: Option<f64>,
    coverage: Option<String>,
    type_name: Option<String>,
    type_colour: Option<String>,
    type_private: Option<bool>,
}

const AWAY: i32 = 2;

impl HolidayRequest {
    pub fn range(&self) -> DateRange {
        DateRange { start: self.start_date, end: self.end_date }
    }

    /// The days it takes: as counted when it was made, or, for rows other tools wrote, its
    /// Monday-to-Friday days.
    pub fn days(&self) -> Days {
        match self.days {
            Some(days) => Days::from_stored(days),
            None => Days::whole(i32::try_from(self.range().working_days()).unwrap_or(i32::MAX / 2)),
        }
    }

    /// A request and its requester's manager, for deciding and cancelling.
    pub fn find_managed(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Managed>> {
        hr::table
            .left_join(people::table.on(people::email.nullable().eq(hr::requester_email)))
            .filter(hr::request_id.eq(id))
            .select((HolidayRequest::as_select(), people::manager_email.nullable()))
            .first::<(HolidayRequest, Option<Email>)>(conn)
            .optional()
            .map(|found| found.map(|(request, manager)| Managed { request, manager, leave_type: None }))
    }

    pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<HolidayRequest>> {
        hr::table.find(id).select(HolidayRequest::as_select()).first(conn).optional()
    }

    /// Records a new request, its days per leave year and its events; call it inside a
    /// transaction so that none is written without the others.
    pub fn submit(conn: &mut DbConnection, new: NewRequest) -> QueryResult<HolidayRequest> {
        let approved = new.approved_at_once.is_some();
        let request: HolidayRequest = diesel::insert_into(hr::table)
            .values((
                hr::employee_name.eq(new.employee_name),
                hr::requester_email.eq(new.requester_email),
                hr::start_date.eq(new.range.start),
                hr::end_date.eq(new.range.end),
                hr::status.eq(if approved { Status::Approved } else { Status::Pending }),
                hr::comment.eq(new.comment),
                hr::created_at.eq(new.created_at),
                hr::decided_by.eq(approved.then_some(new.requester_email)),
                hr::decided_at.eq(approved.then_some(new.created_at)),
                hr::leave_type_id.eq(new.leave_type_id),
                hr::start_part.eq(new.start_part),
                hr::end_part.eq(new.end_part),
                hr::days.eq(new.days.as_f64()),
                hr::coverage.eq(new.coverage),
            ))
            .returning(hr::all_columns)
            .get_result(conn)?;
        // One or two rows (a request across the start of a leave year): a statement each keeps
        // the insert the same on every backend.
        for share in new.years {
            diesel::insert_into(request_days::table)
                .values((
                    request_days::request_id.eq(request.request_id),
                    request_days::leave_year.eq(share.year),
                    request_days::days.eq(share.days.as_f64()),
                    request_days::carry_window_days.eq(share.in_carry_window.as_f64()),
                ))
                .execute(conn)?;
        }
        let event = |action, note| NewEvent {
            request_id: request.request_id,
            actor_email: new.requester_email,
            action,
            note,
            created_at: new.created_at,
        };
        Event::record(conn, event(EventAction::Submitted, new.comment))?;
        if let Some(note) = new.approved_at_once {
            Event::record(conn, event(EventAction::Approved, Some(note)))?;
        }
        Ok(request)
    }

    /// The person's first pending or approved request that shares a day with `range`. Such
    /// requests never overlap each other and last at most a year, so the index range read is
    /// bounded whatever the person's history.
    pub fn first_clash(
        conn: &mut DbConnection,
        email: &Email,
        range: DateRange,
    ) -> QueryResult<Option<HolidayRequest>> {
        let latest_end = range.end.checked_add_days(chrono::Days::new(366)).unwrap_or(NaiveDate::MAX);
        hr::table
            .filter(hr::requester_email.eq(email))
            .filter(hr::status.eq_any([Status::Pending, Status::Approved]))
            .filter(hr::end_date.ge(range.start))
            .filter(hr::end_date.le(latest_end))
            .filter(hr::start_date.le(range.end))
            .order(hr::end_date)
            .select(HolidayRequest::as_select())
            .first(conn)
            .optional()
    }

    /// Records a decision only if the request is still pending, so of two managers deciding at
    /// once exactly one wins. Returns the request as decided, or `None` if this call lost.
    pub fn decide_if_pending(
        conn: &mut DbConnection,
        id: i32,
        status: Status,
        note: Option<&str>,
        by: &Email,
        at: NaiveDateTime,
    ) -> QueryResult<Option<HolidayRequest>> {
        diesel::update(hr::table.find(id).filter(lower(hr::status).eq("pending")))
            .set((hr::status.eq(status), hr::manager_note.eq(note), hr::decided_by.eq(by), hr::decided_at.eq(at)))
            .returning(hr::all_columns)
            .get_result(conn)
            .optional()
    }

    /// Cancels only if the request is pending, or approved and not yet begun on `today`.
    pub fn cancel_if_allowed(
        conn: &mut DbConnection,
        id: i32,
        today: NaiveDate,
    ) -> QueryResult<Option<HolidayRequest>> {
        let pending = lower(hr::status).eq("pending");
        let approved_future = lower(hr::status).eq("approved").and(hr::start_date.gt(today));
        diesel::update(hr::table.find(id).filter(pending.or(approved_future)))
            .set(hr::status.eq(Status::Cancelled))
            .returning(hr::all_columns)
            .get_result(conn)
            .optional()
    }

    /// One page of a list, with its requesters' managers and their teams' absences, in one
    /// statement. Reads at most `limit + 1` requests per run it touches.
    pub fn page(conn: &mut DbConnection, q: PageQuery<'_>) -> QueryResult<Page> {
        // The first run is the one status asked for, or the pending requests; the rest follow
        // only when no status was asked for.
        let first_status = q.status.unwrap_or(&Status::Pending).as_str();
        let with_rest = q.status.is_none();
        let in_pending = q.status.is_some() || q.cursor.is_none_or(|c| c.in_pending);
        let before_pending = q.cursor.filter(|_| in_pending).map_or(q.before, |c| c.before_id.min(q.before));
        let before_rest =
            q.cursor.filter(|c| !c.in_pending && q.status.is_none()).map_or(q.before, |c| c.before_id.min(q.before));
        let limit = i32::try_from(q.limit + 1).unwrap_or(i32::MAX);
        let after = q.after;
        use Param::{Bool, Int, Text};
        let rows: Vec<PageRow> = match (conn, q.requesters) {
            #[cfg(feature = "postgres")]
            (DbConnection::Pg(pg), Requesters::Everyone) => {
                let params = vec![
                    Bool(in_pending),
                    Int(before_pending),
                    Int(after),
                    Int(limit),
                    Bool(with_rest),
                    Int(before_rest),
                    Int(after),
                    Int(limit),
                    Int(limit),
                ];
                match q.status.unwrap_or(&Status::Pending) {
                    Status::Approved => Statement::<PgApprovedOfEveryone>::new(params).load(pg)?,
                    Status::Declined => Statement::<PgDeclinedOfEveryone>::new(params).load(pg)?,
                    Status::Cancelled => Statement::<PgCancelledOfEveryone>::new(params).load(pg)?,
                    // Lists are asked for known statuses only; anything else lists pending ones.
                    Status::Pending | Status::Other(_) => Statement::<PgPendingOfEveryone>::new(params).load(pg)?,
                }
            }
            #[cfg(feature = "postgres")]
            (DbConnection::Pg(pg), Requesters::Only(emails)) => {
                let emails: Vec<String> = emails.iter().map(|e| e.as_str().to_owned()).collect();
                Statement::<PgPageOfSome>::new(vec![
                    Param::TextArray(&emails),
                    Text(first_status),
                    Int(before_pending),
                    Int(after),
                    Int(limit),
                    Bool(in_pending),
                    Int(limit),
                    Param::TextArray(&emails),
                    Int(before_rest),
                    Int(after),
                    Int(limit),
                    Bool(with_rest),
                    Int(limit),
                    Int(limit),
                ])
                .load(pg)?
            }
            #[cfg(feature = "sqlite")]
            (DbConnection::Sqlite(lite), Requesters::Everyone) => Statement::<SqlitePageOfEveryone>::new(vec![
                Bool(in_pending),
                Text(first_status),
                Int(before_pending),
                Int(after),
                Int(limit),
                Bool(with_rest),
                Int(before_rest),
                Int(after),
                Int(limit),
            ])
            .load(lite)?,
            #[cfg(feature = "sqlite")]
            (DbConnection::Sqlite(lite), Requesters::Only(emails)) => {
                let json = serde_json::to_string(emails)
                    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                Statement::<SqlitePageOfSome>::new(vec![
                    Bool(in_pending),
                    Param::Text(&json),
                    Text(first_status),
                    Int(before_pending),
                    Int(after),
                    Int(limit),
                    Bool(with_rest),
                    Param::Text(&json),
                    Int(before_rest),
                    Int(after),
                    Int(limit),
                ])
                .load(lite)?
            }
        };
        Ok(Page::from_rows(rows, q.limit))
    }
}

impl Page {
    fn from_rows(rows: Vec<PageRow>, limit: i64) -> Page {
        let mut page = Page::default();
        let mut last_run = 0;
        for row in rows {
            if row.run == AWAY {
                let (Some(email), range) =
                    (row.requester_email, DateRange { start: row.start_date, end: row.end_date })
                else {
                    continue;
                };
                page.away.push(Absence {
                    email,
                    name: row.employee_name,
                    manager: row.manager_email,
                    status: row.status,
                    range,
                });
                continue;
            }
            if page.rows.len() as i64 == limit {
                // The row after the last one shown: there is a next page, which starts after
                // the last row shown, in the run that row belongs to.
                if let Some(last) = page.rows.last() {
                    page.next = Some(Cursor { in_pending: last_run == 0, before_id: last.request.request_id });
                }
                continue;
            }
            last_run = row.run;
            let leave_type = match (row.type_name, row.type_colour) {
                (Some(name), Some(colour)) => {
                    Some(TypeLabel { name, colour, private: row.type_private.unwrap_or(false) })
                }
                _ => None,
            };
            page.rows.push(Managed {
                manager: row.manager_email,
                leave_type,
                request: HolidayRequest {
                    request_id: row.request_id,
                    employee_name: row.employee_name,
                    start_date: row.start_date,
                    end_date: row.end_date,
                    status: row.status,
                    manager_note: row.manager_note,
                    requester_email: row.requester_email,
                    comment: row.comment,
                    created_at: row.created_at.unwrap_or_default(),
                    decided_by: row.decided_by,
                    decided_at: row.decided_at,
                    leave_type_id: row.leave_type_id.unwrap_or(crate::domain::leave::ANNUAL_LEAVE),
                    start_part: row.start_part.unwrap_or_default(),
                    end_part: row.end_part.unwrap_or_default(),
                    days: row.days,
                    coverage: row.coverage,
                },
            });
        }
        page
    }
}

diesel::define_sql_function! {
    /// SQL's `lower`, so that statuses written in another letter case by other tools still
    /// match; used on single rows found by id, where it costs nothing.
    fn lower(text: Text) -> Text;
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        for c in [Cursor { in_pending: true, before_id: 17 }, Cursor { in_pending: false, before_id: 1 }] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        for junk in ["", "p", "x12", "p-3", "p0", "r12abc", "'; DROP TABLE"] {
            assert_eq!(Cursor::decode(junk), None, "{junk}");
        }
    }
}
