//! The audit trail of the leave policy: who changed a type, a person's workplace or allowance,
//! or a balance, and when, written in the same transaction as the change.

use crate::db::DbConnection;
use crate::domain::Email;
use crate::schema::policy_events;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Clone, Debug, PartialEq)]
#[diesel(table_name = policy_events)]
pub struct PolicyEvent {
    pub event_id: i32,
    pub actor_email: Email,
    /// `leave_type_created`, `leave_type_changed`, `person_changed`, `balance_adjusted`.
    pub action: String,
    /// What changed: a type's id, a person's email.
    pub subject: String,
    /// The change, as JSON.
    pub detail: Option<String>,
    pub created_at: NaiveDateTime,
}

impl PolicyEvent {
    pub fn record(
        conn: &mut DbConnection,
        actor: &Email,
        action: &str,
        subject: &str,
        detail: &serde_json::Value,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(policy_events::table)
            .values((
                policy_events::actor_email.eq(actor),
                policy_events::action.eq(action),
                policy_events::subject.eq(subject),
                policy_events::detail.eq(detail.to_string()),
                policy_events::created_at.eq(at),
            ))
            .execute(conn)
            .map(drop)
    }

    /// The newest events about a subject, newest first.
    pub fn about(conn: &mut DbConnection, subject: &str, limit: i64) -> QueryResult<Vec<PolicyEvent>> {
        policy_events::table
            .filter(policy_events::subject.eq(subject))
            .order(policy_events::event_id.desc())
            .limit(limit)
            .select(PolicyEvent::as_select())
            .load(conn)
    }
}
