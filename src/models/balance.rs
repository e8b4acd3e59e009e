//! What balances are derived from, for several people at once, in one statement: their
//! allowances, their booked days per type, leave year and status, their adjustments, and the
//! active leave types. Its cost depends on the number of people and years asked for, not on
//! anyone's history: requests are found through the index of pending and approved requests by
//! end date, from the first leave year asked for.

use crate::db::DbConnection;
use crate::db::statement::{Param, Statement};
use crate::domain::Email;
use crate::domain::balance::{Balance, Entitlement, Policy, YearUse, balances};
use crate::domain::leave::Days;
use crate::statement;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Double, Integer, Nullable, Text};
use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;

// Rows of four kinds: 0 a person, 1 booked days, 2 adjustments, 3 an active leave type. The
// first part names its columns' types, as Postgres types a union's columns from its first parts.
macro_rules! leave_context_sql {
    ($members:literal) => {
        concat!(
            "SELECT 0 AS kind, p.email, CAST(NULL AS INTEGER) AS type_id, CAST(NULL AS INTEGER) AS leave_year,
       CAST(NULL AS TEXT) AS label, p.allowance_days AS amount, CAST(NULL AS DOUBLE PRECISION) AS in_window,
       p.start_date, CAST(NULL AS BOOLEAN) AS deducted, CAST(NULL AS BOOLEAN) AS half_days,
       CAST(NULL AS BOOLEAN) AS needs_approval
FROM people p WHERE p.email ",
            $members,
            "
UNION ALL
SELECT 1, h.requester_email, h.leave_type_id, d.leave_year, h.status, sum(d.days), sum(d.carry_window_days),
       NULL, NULL, NULL, NULL
FROM holiday_requests h JOIN request_days d ON d.request_id = h.request_id
WHERE h.requester_email ",
            $members,
            " AND h.status IN ('Pending', 'Approved') AND h.end_date >= {}
  AND d.leave_year >= {} AND d.leave_year <= {}
GROUP BY h.requester_email, h.leave_type_id, d.leave_year, h.status
UNION ALL
SELECT 2, a.email, a.leave_type_id, a.leave_year, NULL, sum(a.days), NULL, NULL, NULL, NULL, NULL
FROM balance_adjustments a
WHERE a.email ",
            $members,
            " AND a.leave_year >= {} AND a.leave_year <= {}
GROUP BY a.email, a.leave_type_id, a.leave_year
UNION ALL
SELECT 3, NULL, t.leave_type_id, NULL, t.name, NULL, NULL, NULL, t.deducted, t.half_days, t.needs_approval
FROM leave_types t WHERE t.active"
        )
    };
}

#[cfg(feature = "postgres")]
statement!(
    /// Parameters: emails; emails, first_day, first_year, last_year; emails, first_year, last_year.
    PgLeaveContext -> ContextColumns = leave_context_sql!("= ANY({})")
);

#[cfg(feature = "sqlite")]
statement!(
    /// Parameters: emails (a JSON array); the same, first_day, first_year, last_year; the same,
    /// first_year, last_year.
    SqliteLeaveContext -> ContextColumns = leave_context_sql!("IN (SELECT value FROM json_each({}))")
);

type ContextColumns = (
    Integer,
    Nullable<Text>,
    Nullable<Integer>,
    Nullable<Integer>,
    Nullable<Text>,
    Nullable<Double>,
    Nullable<Double>,
    Nullable<Date>,
    Nullable<Bool>,
    Nullable<Bool>,
    Nullable<Bool>,
);

#[derive(Queryable)]
struct ContextRow {
    kind: i32,
    email: Option<Email>,
    type_id: Option<i32>,
    leave_year: Option<i32>,
    label: Option<String>,
    amount: Option<f64>,
    in_window: Option<f64>,
    start_date: Option<NaiveDate>,
    deducted: Option<bool>,
    half_days: Option<bool>,
    needs_approval: Option<bool>,
}

/// An active leave type, as a form offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeChoice {
    pub id: i32,
    pub name: String,
    pub deducted: bool,
    pub half_days: bool,
    pub needs_approval: bool,
}

/// A person's own allowance, if they have one, and start date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allowance {
    pub days: Option<Days>,
    pub start_date: Option<NaiveDate>,
}

/// Everything balances are computed from, for the people asked for.
#[derive(Clone, Debug, Default)]
pub struct LeaveContext {
    pub types: Vec<TypeChoice>,
    pub allowances: HashMap<Email, Allowance>,
    uses: HashMap<(Email, i32), BTreeMap<i32, YearUse>>,
    /// The leave years read.
    pub years: Option<RangeInclusive<i32>>,
}

impl LeaveContext {
    /// Reads the context of `emails` for leave `years`, `first_day` being the first day of the
    /// first of them.
    pub fn load(
        conn: &mut DbConnection,
        emails: &[Email],
        years: RangeInclusive<i32>,
        first_day: NaiveDate,
    ) -> QueryResult<LeaveContext> {
        let (first, last) = (*years.start(), *years.end());
        let rows: Vec<ContextRow> = match conn {
            #[cfg(feature = "postgres")]
            DbConnection::Pg(pg) => {
                let emails: Vec<String> = emails.iter().map(|e| e.as_str().to_owned()).collect();
                Statement::<PgLeaveContext>::new(vec![
                    Param::TextArray(&emails),
                    Param::TextArray(&emails),
                    Param::Date(&first_day),
                    Param::Int(first),
                    Param::Int(last),
                    Param::TextArray(&emails),
                    Param::Int(first),
                    Param::Int(last),
                ])
                .load(pg)?
            }
            #[cfg(feature = "sqlite")]
            DbConnection::Sqlite(lite) => {
                let json = serde_json::to_string(emails)
                    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                Statement::<SqliteLeaveContext>::new(vec![
                    Param::Text(&json),
                    Param::Text(&json),
                    Param::Date(&first_day),
                    Param::Int(first),
                    Param::Int(last),
                    Param::Text(&json),
                    Param::Int(first),
                    Param::Int(last),
                ])
                .load(lite)?
            }
        };
        let mut context = LeaveContext { years: Some(years), ..LeaveContext::default() };
        for row in rows {
            let days = Days::from_stored(row.amount.unwrap_or(0.0));
            match (row.kind, row.email, row.type_id, row.leave_year) {
                (0, Some(email), _, _) => {
                    let days = row.amount.map(Days::from_stored);
                    context.allowances.insert(email, Allowance { days, start_date: row.start_date });
                }
                (1, Some(email), Some(type_id), Some(year)) => {
                    let used = context.uses.entry((email, type_id)).or_default().entry(year).or_default();
                    if row.label.as_deref() == Some("Approved") {
                        used.approved += days;
                    } else {
                        used.pending += days;
                    }
                    used.in_carry_window += Days::from_stored(row.in_window.unwrap_or(0.0));
                }
                (2, Some(email), Some(type_id), Some(year)) => {
                    context.uses.entry((email, type_id)).or_default().entry(year).or_default().adjustments += days;
                }
                (3, _, Some(id), _) => context.types.push(TypeChoice {
                    id,
                    name: row.label.unwrap_or_default(),
                    deducted: row.deducted.unwrap_or(false),
                    half_days: row.half_days.unwrap_or(false),
                    needs_approval: row.needs_approval.unwrap_or(true),
                }),
                _ => {}
            }
        }
        context.types.sort_by_key(|t| t.id);
        Ok(context)
    }

    /// Adds days as if booked (pending), to judge a request before it is made.
    pub fn add_pending(&mut self, email: &Email, type_id: i32, year: i32, days: Days, in_window: Days) {
        let used = self.uses.entry((email.clone(), type_id)).or_default().entry(year).or_default();
        used.pending += days;
        used.in_carry_window += in_window;
    }

    /// The balances of a person's deducted type for `years`, or none if the type is not
    /// deducted (or not active).
    pub fn balances(
        &self,
        email: &Email,
        type_id: i32,
        default_allowance: Days,
        policy: Policy,
        years: RangeInclusive<i32>,
        today: NaiveDate,
    ) -> Vec<Balance> {
        if !self.types.iter().any(|t| t.id == type_id && t.deducted) {
            return Vec::new();
        }
        let allowance = self.allowances.get(email).copied().unwrap_or_default();
        let entitlement =
            Entitlement { yearly: allowance.days.unwrap_or(default_allowance), start_date: allowance.start_date };
        let empty = BTreeMap::new();
        let uses = self.uses.get(&(email.clone(), type_id)).unwrap_or(&empty);
        // Nothing before the first year read is known; bookings after the last are not read.
        let first_read = self.years.as_ref().map_or(*years.start(), |r| *r.start());
        let uses: BTreeMap<i32, YearUse> = uses.range(first_read..).map(|(y, u)| (*y, *u)).collect();
        balances(entitlement, policy, &uses, years, today)
    }
}

/// A correction to a balance, recorded with who made it and why.
pub struct NewAdjustment<'a> {
    pub email: &'a Email,
    pub leave_type_id: i32,
    pub year: i32,
    pub days: Days,
    pub reason: &'a str,
    pub created_by: &'a Email,
    pub created_at: chrono::NaiveDateTime,
}

pub fn record_adjustment(conn: &mut DbConnection, a: NewAdjustment) -> QueryResult<i32> {
    use crate::schema::balance_adjustments as ba;
    diesel::insert_into(ba::table)
        .values((
            ba::email.eq(a.email),
            ba::leave_type_id.eq(a.leave_type_id),
            ba::leave_year.eq(a.year),
            ba::days.eq(a.days.as_f64()),
            ba::reason.eq(a.reason),
            ba::created_by.eq(a.created_by),
            ba::created_at.eq(a.created_at),
        ))
        .returning(ba::adjustment_id)
        .get_result(conn)
}
