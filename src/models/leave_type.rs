//! Leave types as stored.

use crate::db::DbConnection;
use crate::domain::leave::{LeaveType, Overdraw};
use crate::schema::leave_types;
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = leave_types)]
struct Row {
    leave_type_id: i32,
    name: String,
    colour: String,
    deducted: bool,
    needs_approval: bool,
    private: bool,
    half_days: bool,
    overdraw: String,
    active: bool,
}

impl From<Row> for LeaveType {
    fn from(r: Row) -> LeaveType {
        LeaveType {
            id: r.leave_type_id,
            name: r.name,
            colour: r.colour,
            deducted: r.deducted,
            needs_approval: r.needs_approval,
            private: r.private,
            half_days: r.half_days,
            // The table's check allows only the two.
            overdraw: Overdraw::parse(&r.overdraw).unwrap_or_default(),
            active: r.active,
        }
    }
}

/// Every type, retired ones included, in the order they were made.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<LeaveType>> {
    let rows: Vec<Row> = leave_types::table.order(leave_types::leave_type_id).select(Row::as_select()).load(conn)?;
    Ok(rows.into_iter().map(LeaveType::from).collect())
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<LeaveType>> {
    let row: Option<Row> = leave_types::table.find(id).select(Row::as_select()).first(conn).optional()?;
    Ok(row.map(LeaveType::from))
}

/// The type of that name, whatever its letter case.
pub fn named(conn: &mut DbConnection, name: &str) -> QueryResult<Option<LeaveType>> {
    let rows: Vec<Row> = leave_types::table.select(Row::as_select()).load(conn)?;
    Ok(rows.into_iter().map(LeaveType::from).find(|t| t.name.to_lowercase() == name.trim().to_lowercase()))
}

/// Adds a type (its id is chosen by the database) and returns it.
pub fn insert(conn: &mut DbConnection, t: &LeaveType) -> QueryResult<LeaveType> {
    let row: Row = diesel::insert_into(leave_types::table)
        .values((
            leave_types::name.eq(&t.name),
            leave_types::colour.eq(&t.colour),
            leave_types::deducted.eq(t.deducted),
            leave_types::needs_approval.eq(t.needs_approval),
            leave_types::private.eq(t.private),
            leave_types::half_days.eq(t.half_days),
            leave_types::overdraw.eq(t.overdraw.as_str()),
            leave_types::active.eq(t.active),
        ))
        .returning(leave_types::all_columns)
        .get_result(conn)?;
    Ok(row.into())
}

/// Replaces a type's policy with `t`'s.
pub fn update(conn: &mut DbConnection, t: &LeaveType) -> QueryResult<Option<LeaveType>> {
    let row: Option<Row> = diesel::update(leave_types::table.find(t.id))
        .set((
            leave_types::name.eq(&t.name),
            leave_types::colour.eq(&t.colour),
            leave_types::deducted.eq(t.deducted),
            leave_types::needs_approval.eq(t.needs_approval),
            leave_types::private.eq(t.private),
            leave_types::half_days.eq(t.half_days),
            leave_types::overdraw.eq(t.overdraw.as_str()),
            leave_types::active.eq(t.active),
        ))
        .returning(leave_types::all_columns)
        .get_result(conn)
        .optional()?;
    Ok(row.map(LeaveType::from))
}
