//! The outbox and people's notification choices. Rows are written inside the transaction of the
//! change they report, so a rolled-back change leaves none and a committed one always has its
//! rows; the worker claims due rows with a lease (and on Postgres `FOR UPDATE SKIP LOCKED`, so
//! several instances never claim the same row), delivers them, and records the outcome.

use crate::db::DbConnection;
use crate::db::statement::{Param, Statement};
use crate::domain::Email;
use crate::schema::{notification_preferences as np, notifications as n};
use crate::statement;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Chat,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
        }
    }

    fn from_stored(raw: &str) -> Channel {
        if raw == "chat" { Channel::Chat } else { Channel::Email }
    }
}

/// A notification to write.
pub struct NewNotification<'a> {
    pub kind: &'a str,
    pub request_id: Option<i32>,
    pub recipient: &'a Email,
    pub channel: Channel,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    /// Its channel is configured: it waits for delivery; otherwise it is only recorded.
    pub deliverable: bool,
}

/// Writes notifications (in the caller's transaction) that are due at once.
pub fn enqueue(
    conn: &mut DbConnection,
    rows: &[NewNotification],
    now: NaiveDateTime,
    give_up_at: NaiveDateTime,
) -> QueryResult<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                n::kind.eq(r.kind),
                n::request_id.eq(r.request_id),
                n::recipient.eq(r.recipient),
                n::channel.eq(r.channel.as_str()),
                n::subject.eq(r.subject),
                n::body_text.eq(r.body_text),
                n::body_html.eq(r.body_html),
                n::state.eq(if r.deliverable { "waiting" } else { "unsent" }),
                n::next_attempt_at.eq(now),
                n::give_up_at.eq(give_up_at),
                n::created_at.eq(now),
            )
        })
        .collect();
    if values.is_empty() {
        return Ok(());
    }
    match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => diesel::insert_into(n::table).values(values).execute(pg).map(drop),
        // SQLite's builder takes one row a statement here; in process, that costs little.
        #[cfg(feature = "sqlite")]
        DbConnection::Sqlite(lite) => {
            for v in values {
                diesel::insert_into(n::table).values(v).execute(lite)?;
            }
            Ok(())
        }
    }
}

// One recipient's email and chat notification of a change, each written only if they want that
// channel: their choices are read by the insert itself, so a change pays one statement for its
// notifications, not two.
macro_rules! for_recipient_sql {
    ($text:literal, $int:literal, $stamp:literal) => {
        concat!(
            "INSERT INTO notifications (kind, request_id, recipient, channel, subject, body_text, body_html, state,
                           next_attempt_at, give_up_at, created_at)
SELECT v.kind, v.request_id, v.recipient, v.channel, v.subject, v.body_text, v.body_html, v.state, v.at, v.give_up, v.at
FROM (
    SELECT ", $text, " AS kind, ", $int, " AS request_id, ", $text, " AS recipient, 'email' AS channel,
           ", $text, " AS subject, ", $text, " AS body_text, ", $text, " AS body_html, ", $text, " AS state,
           ", $stamp, " AS at, ", $stamp, " AS give_up
    UNION ALL
    SELECT {}, {}, {}, 'chat', {}, {}, NULL, {}, {}, {}
) v
LEFT JOIN notification_preferences p ON p.email = v.recipient
WHERE CASE WHEN v.channel = 'email' THEN coalesce(p.by_email, TRUE) ELSE coalesce(p.by_chat, TRUE) END"
        )
    };
}

type NoColumns = diesel::sql_types::Integer;

#[cfg(feature = "postgres")]
statement!(
    /// Parameters: the email row's kind, request, recipient, subject, text, html, state, at,
    /// give-up; the chat row's kind, request, recipient, subject, text, state, at, give-up.
    PgForRecipient -> NoColumns = for_recipient_sql!("CAST({} AS TEXT)", "CAST({} AS INTEGER)", "CAST({} AS TIMESTAMP)")
);

// SQLite takes the values as they come (a CAST to TIMESTAMP would make a number of a date).
#[cfg(feature = "sqlite")]
statement!(
    /// Parameters: as for Postgres.
    SqliteForRecipient -> NoColumns = for_recipient_sql!("{}", "{}", "{}")
);

/// One change's notifications for one recipient, as they chose (everything until they choose).
pub struct ForRecipient<'a> {
    pub kind: &'a str,
    pub request_id: i32,
    pub recipient: &'a Email,
    pub email_subject: &'a str,
    pub email_text: &'a str,
    pub email_html: Option<&'a str>,
    pub email_deliverable: bool,
    pub chat_subject: &'a str,
    pub chat_text: &'a str,
    pub chat_deliverable: bool,
}

/// Writes one recipient's notifications of a change, in the caller's transaction: one statement.
pub fn enqueue_for(
    conn: &mut DbConnection,
    r: &ForRecipient,
    now: NaiveDateTime,
    give_up_at: NaiveDateTime,
) -> QueryResult<()> {
    let state = |deliverable: bool| if deliverable { "waiting" } else { "unsent" };
    let params = vec![
        Param::Text(r.kind),
        Param::Int(r.request_id),
        Param::Text(r.recipient.as_str()),
        Param::Text(r.email_subject),
        Param::Text(r.email_text),
        Param::OptionalText(r.email_html),
        Param::Text(state(r.email_deliverable)),
        Param::Timestamp(now),
        Param::Timestamp(give_up_at),
        Param::Text(r.kind),
        Param::Int(r.request_id),
        Param::Text(r.recipient.as_str()),
        Param::Text(r.chat_subject),
        Param::Text(r.chat_text),
        Param::Text(state(r.chat_deliverable)),
        Param::Timestamp(now),
        Param::Timestamp(give_up_at),
    ];
    match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => Statement::<PgForRecipient>::new(params).execute(pg).map(drop),
        #[cfg(feature = "sqlite")]
        DbConnection::Sqlite(lite) => Statement::<SqliteForRecipient>::new(params).execute(lite).map(drop),
    }
}

/// A notification as stored (its columns in table order, which the claim statement returns too).
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = n)]
pub struct Notification {
    #[diesel(column_name = notification_id)]
    pub id: i32,
    pub kind: String,
    pub request_id: Option<i32>,
    pub recipient: Email,
    channel: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub give_up_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

impl Notification {
    pub fn channel(&self) -> Channel {
        Channel::from_stored(&self.channel)
    }

    /// The same across retries of this notification, and unique to it: what receivers
    /// deduplicate by (the webhook's `Idempotency-Key`, the email's Message-ID).
    pub fn key(&self) -> String {
        format!("holidays-notification-{}", self.id)
    }
}

macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE notifications SET leased_until = {}, attempts = attempts + 1
WHERE notification_id IN (
    SELECT notification_id FROM notifications
    WHERE state = 'waiting' AND next_attempt_at <= {} AND (leased_until IS NULL OR leased_until < {})
    ORDER BY next_attempt_at, notification_id LIMIT {}",
            $lock,
            ")
RETURNING notification_id, kind, request_id, recipient, channel, subject, body_text, body_html, state, attempts,
          next_attempt_at, give_up_at, last_error, created_at, sent_at"
        )
    };
}

type ClaimColumns = (
    Integer,
    Text,
    Nullable<Integer>,
    Text,
    Text,
    Text,
    Text,
    Nullable<Text>,
    Text,
    Integer,
    Timestamp,
    Timestamp,
    Nullable<Text>,
    Timestamp,
    Nullable<Timestamp>,
);

#[cfg(feature = "postgres")]
statement!(
    /// Parameters: lease end, now, now, limit.
    PgClaim -> ClaimColumns = claim_sql!(" FOR UPDATE SKIP LOCKED")
);

#[cfg(feature = "sqlite")]
statement!(
    /// Parameters: lease end, now, now, limit. SQLite has one writer at a time: no row locks.
    SqliteClaim -> ClaimColumns = claim_sql!("")
);

/// Claims up to `limit` due rows until `lease_end` (counting the attempt), for this worker only.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_end: NaiveDateTime,
    limit: i32,
) -> QueryResult<Vec<Notification>> {
    let params = || vec![Param::Timestamp(lease_end), Param::Timestamp(now), Param::Timestamp(now), Param::Int(limit)];
    let mut rows: Vec<Notification> = match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => Statement::<PgClaim>::new(params()).load(pg)?,
        #[cfg(feature = "sqlite")]
        DbConnection::Sqlite(lite) => Statement::<SqliteClaim>::new(params()).load(lite)?,
    };
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Delivered.
pub fn mark_sent(conn: &mut DbConnection, id: i32, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(n::table.find(id))
        .set((
            n::state.eq("sent"),
            n::sent_at.eq(at),
            n::leased_until.eq(None::<NaiveDateTime>),
            n::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// Failed: tried again at `retry_at`, or dead when that is past its give-up time or the
/// receiver refused it for good.
pub fn mark_failed(conn: &mut DbConnection, id: i32, error: &str, retry_at: Option<NaiveDateTime>) -> QueryResult<()> {
    let error: String = error.chars().take(500).collect();
    match retry_at {
        Some(at) => diesel::update(n::table.find(id).filter(n::give_up_at.gt(at)))
            .set((n::next_attempt_at.eq(at), n::leased_until.eq(None::<NaiveDateTime>), n::last_error.eq(&error)))
            .execute(conn)
            .and_then(|updated| if updated == 0 { mark_dead(conn, id, &error) } else { Ok(()) }),
        None => mark_dead(conn, id, &error),
    }
}

fn mark_dead(conn: &mut DbConnection, id: i32, error: &str) -> QueryResult<()> {
    diesel::update(n::table.find(id))
        .set((n::state.eq("dead"), n::leased_until.eq(None::<NaiveDateTime>), n::last_error.eq(error)))
        .execute(conn)
        .map(drop)
}

/// Gives back claimed rows not yet delivered (a worker stopping), so another takes them now.
pub fn release(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<()> {
    diesel::update(n::table.filter(n::notification_id.eq_any(ids)).filter(n::state.eq("waiting")))
        .set(n::leased_until.eq(None::<NaiveDateTime>))
        .execute(conn)
        .map(drop)
}

/// The newest notifications in a state, for the admins.
pub fn in_state(conn: &mut DbConnection, state: &str, limit: i64) -> QueryResult<Vec<Notification>> {
    n::table
        .filter(n::state.eq(state))
        .order(n::notification_id.desc())
        .limit(limit)
        .select(Notification::as_select())
        .load(conn)
}

/// Puts a dead (or waiting) notification back in line now, with a new give-up time; whether it
/// could be (a sent one cannot). Call it in a write transaction and read the row back after.
pub fn retry(conn: &mut DbConnection, id: i32, now: NaiveDateTime, give_up_at: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(n::table.find(id).filter(n::state.eq_any(["dead", "waiting"])))
        .set((
            n::state.eq("waiting"),
            n::next_attempt_at.eq(now),
            n::give_up_at.eq(give_up_at),
            n::leased_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Notification>> {
    n::table.find(id).select(Notification::as_select()).first(conn).optional()
}

/// What someone chose to receive; everything, until they choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preferences {
    pub email: bool,
    pub chat: bool,
    pub digest: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { email: true, chat: true, digest: true }
    }
}

/// The choices of these people (the defaults for those who made none).
pub fn preferences_of(conn: &mut DbConnection, people: &[&Email]) -> QueryResult<Vec<(Email, Preferences)>> {
    let rows: Vec<(Email, bool, bool, bool)> = np::table
        .filter(np::email.eq_any(people))
        .select((np::email, np::by_email, np::by_chat, np::digest))
        .load(conn)?;
    Ok(rows.into_iter().map(|(e, email, chat, digest)| (e, Preferences { email, chat, digest })).collect())
}

pub fn save_preferences(conn: &mut DbConnection, who: &Email, p: Preferences) -> QueryResult<()> {
    let changed = diesel::update(np::table.find(who))
        .set((np::by_email.eq(p.email), np::by_chat.eq(p.chat), np::digest.eq(p.digest)))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(np::table)
            .values((np::email.eq(who), np::by_email.eq(p.email), np::by_chat.eq(p.chat), np::digest.eq(p.digest)))
            .execute(conn)?;
    }
    Ok(())
}

/// A pending request asked before `before`, with its requester's manager and its type.
pub struct WaitingRow {
    pub request_id: i32,
    pub person: String,
    pub requester: Option<Email>,
    pub manager: Option<Email>,
    pub start_date: chrono::NaiveDate,
    pub end_date: chrono::NaiveDate,
    pub days: Option<f64>,
    pub created_at: NaiveDateTime,
    pub leave_type: Option<String>,
    pub private: Option<bool>,
}

type WaitingColumns = (
    i32,
    String,
    Option<Email>,
    Option<Email>,
    chrono::NaiveDate,
    chrono::NaiveDate,
    Option<f64>,
    NaiveDateTime,
    Option<String>,
    Option<bool>,
);

/// Pending requests asked before `before` (the oldest first, at most `limit`).
pub fn waiting_since(conn: &mut DbConnection, before: NaiveDateTime, limit: i64) -> QueryResult<Vec<WaitingRow>> {
    use crate::domain::Status;
    use crate::schema::{holiday_requests as hr, leave_types as lt, people};
    let rows: Vec<WaitingColumns> = hr::table
        .left_join(people::table.on(people::email.nullable().eq(hr::requester_email)))
        .left_join(lt::table.on(lt::leave_type_id.eq(hr::leave_type_id)))
        .filter(hr::status.eq(Status::Pending))
        .filter(hr::created_at.lt(before))
        .order((hr::created_at, hr::request_id))
        .limit(limit)
        .select((
            hr::request_id,
            hr::employee_name,
            hr::requester_email,
            people::manager_email.nullable(),
            hr::start_date,
            hr::end_date,
            hr::days,
            hr::created_at,
            lt::name.nullable(),
            lt::private.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(request_id, person, requester, manager, start_date, end_date, days, created_at, leave_type, private)| {
            WaitingRow {
                request_id,
                person,
                requester,
                manager,
                start_date,
                end_date,
                days,
                created_at,
                leave_type,
                private,
            }
        })
        .collect())
}

/// Claims an approver's digest for a day: true for the one caller that gets it, however many
/// instances ask.
pub fn claim_digest(conn: &mut DbConnection, approver: &Email, day: chrono::NaiveDate) -> QueryResult<bool> {
    use crate::schema::notification_digests as nd;
    let row = (nd::approver.eq(approver), nd::day.eq(day));
    let inserted = match conn {
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => diesel::insert_into(nd::table).values(row).on_conflict_do_nothing().execute(pg)?,
        #[cfg(feature = "sqlite")]
        DbConnection::Sqlite(lite) => {
            diesel::insert_into(nd::table).values(row).on_conflict_do_nothing().execute(lite)?
        }
    };
    Ok(inserted == 1)
}
