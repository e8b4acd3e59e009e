//! The company's changes to the public holidays, as stored: `*` stands for everyone.

use crate::db::DbConnection;
use crate::domain::Email;
use crate::domain::holidays::{HolidayChange, Location};
use crate::schema::public_holiday_changes as phc;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

const EVERYONE: &str = "*";

#[derive(Queryable)]
struct Row {
    location: String,
    holiday_date: NaiveDate,
    name: String,
    half_day: bool,
    removed: bool,
}

impl From<Row> for HolidayChange {
    fn from(r: Row) -> HolidayChange {
        HolidayChange {
            location: (r.location != EVERYONE).then_some(r.location),
            date: r.holiday_date,
            name: r.name,
            half_day: r.half_day,
            removed: r.removed,
        }
    }
}

/// The changes that can apply to someone at `location` (or at none) between two dates.
pub fn affecting(
    conn: &mut DbConnection,
    location: Option<&Location>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<HolidayChange>> {
    let codes: Vec<&str> = match location {
        Some(l) => vec![EVERYONE, l.country(), l.code()],
        None => vec![EVERYONE],
    };
    let rows: Vec<Row> = phc::table
        .filter(phc::location.eq_any(codes))
        .filter(phc::holiday_date.between(from, to))
        .select((phc::location, phc::holiday_date, phc::name, phc::half_day, phc::removed))
        .load(conn)?;
    Ok(rows.into_iter().map(HolidayChange::from).collect())
}

/// The changes that can apply to anyone at any of `locations` (or at none) between two dates:
/// one statement for a whole team.
pub fn affecting_any(
    conn: &mut DbConnection,
    locations: &[&Location],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<HolidayChange>> {
    let mut codes: Vec<&str> = vec![EVERYONE];
    codes.extend(locations.iter().flat_map(|l| [l.country(), l.code()]));
    codes.sort_unstable();
    codes.dedup();
    let rows: Vec<Row> = phc::table
        .filter(phc::location.eq_any(codes))
        .filter(phc::holiday_date.between(from, to))
        .select((phc::location, phc::holiday_date, phc::name, phc::half_day, phc::removed))
        .load(conn)?;
    Ok(rows.into_iter().map(HolidayChange::from).collect())
}

/// Records a change, replacing any earlier one for the same location and date.
pub fn record(conn: &mut DbConnection, change: &HolidayChange, by: &Email, at: NaiveDateTime) -> QueryResult<()> {
    let location = change.location.as_deref().unwrap_or(EVERYONE);
    forget(conn, change.location.as_deref(), change.date)?;
    diesel::insert_into(phc::table)
        .values((
            phc::location.eq(location),
            phc::holiday_date.eq(change.date),
            phc::name.eq(&change.name),
            phc::half_day.eq(change.half_day),
            phc::removed.eq(change.removed),
            phc::created_by.eq(by),
            phc::created_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// Removes the change for a location (or everyone) and date; returns whether there was one.
pub fn forget(conn: &mut DbConnection, location: Option<&str>, date: NaiveDate) -> QueryResult<bool> {
    let location = location.unwrap_or(EVERYONE);
    let n = diesel::delete(phc::table.filter(phc::location.eq(location)).filter(phc::holiday_date.eq(date)))
        .execute(conn)?;
    Ok(n > 0)
}
