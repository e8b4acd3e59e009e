//! The audit trail: one event for every submission, decision and cancellation, written in the
//! same transaction as the change it records.

use crate::db::DbConnection;
use crate::domain::{Email, EventAction};
use crate::schema::request_events;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = request_events)]
pub struct Event {
    pub event_id: i32,
    pub request_id: i32,
    pub actor_email: Email,
    pub action: EventAction,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = request_events)]
pub struct NewEvent<'a> {
    pub request_id: i32,
    pub actor_email: &'a Email,
    pub action: EventAction,
    pub note: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

impl Event {
    pub fn record(conn: &mut DbConnection, event: NewEvent) -> QueryResult<()> {
        diesel::insert_into(request_events::table).values(event).execute(conn).map(drop)
    }

    /// A request's history, oldest first.
    pub fn for_request(conn: &mut DbConnection, request_id: i32) -> QueryResult<Vec<Event>> {
        request_events::table
            .filter(request_events::request_id.eq(request_id))
            .order(request_events::event_id)
            .select(Event::as_select())
            .load(conn)
    }
}
