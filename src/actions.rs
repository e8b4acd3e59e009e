//! What people do, as transactions that apply the domain rules. The HTML pages and the JSON API
//! both call these, so the two cannot disagree.

use crate::db::{DbConnection, take_turns, write_transaction};
use crate::domain::{Actor, DateRange, Decision, Invalid, Ownership, Status, optional_text};
use crate::error::AppError;
use crate::models::event::NewEvent;
use crate::models::request::{Cursor, NewRequest, Page, Scope};
use crate::models::{Event, HolidayRequest, Person};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::HashMap;

/// The moment an action happens, in UTC.
#[derive(Clone, Copy, Debug)]
pub struct Now(pub NaiveDateTime);

impl Now {
    pub fn utc() -> Now {
        Now(chrono::Utc::now().naive_utc())
    }
    pub fn today(self) -> NaiveDate {
        self.0.date()
    }
}

/// What someone typed to ask for a holiday, before validation.
#[derive(Clone, Debug, Default)]
pub struct RequestInput {
    pub start_date: String,
    pub end_date: String,
    pub comment: Option<String>,
}

pub fn submit(conn: &mut DbConnection, who: &Actor, input: &RequestInput, now: Now) -> Result<Listed, AppError> {
    let range = DateRange::parse(&input.start_date, &input.end_date)?;
    let comment = optional_text("comment", "comment", input.comment.as_deref())?;
    write_transaction(conn, |conn| {
        // Two submissions by one person take turns, so each overlap check sees the other's row.
        take_turns(conn, &format!("holidays-requests-of:{}", who.email))?;
        if let Some(clash) = HolidayRequest::clashing(conn, &who.email, range)?.first() {
            return Err(Invalid::new(
                "start_date",
                format!(
                    "These dates overlap your {} request #{} ({} to {}).",
                    clash.status.as_str().to_lowercase(),
                    clash.request_id,
                    clash.start_date,
                    clash.end_date
                ),
            )
            .into());
        }
        let name = Person::find(conn, &who.email)?.map_or_else(|| who.email.clone(), |p| p.display_name);
        let name: String = name.chars().take(255).collect();
        let request = HolidayRequest::submit(
            conn,
            NewRequest {
                employee_name: &name,
                requester_email: &who.email,
                range,
                comment: comment.as_deref(),
                created_at: now.0,
            },
        )?;
        describe_one(conn, who, request, now)
    })
}

pub fn decide(
    conn: &mut DbConnection,
    who: &Actor,
    id: i32,
    decision: &str,
    note: Option<&str>,
    now: Now,
) -> Result<Listed, AppError> {
    let decision = Decision::parse(decision)
        .ok_or_else(|| Invalid::new("decision", "The decision must be Approved or Declined."))?;
    let note = optional_text("note", "note", note)?;
    write_transaction(conn, |conn| {
        let (request, manager) = visible_request(conn, who, id)?;
        let owner = ownership(&request, &manager);
        who.may_decide(&owner)?;
        if !HolidayRequest::decide_if_pending(conn, id, decision.status(), note.as_deref(), &who.email, now.0)? {
            let current = HolidayRequest::find(conn, id)?.ok_or(AppError::not_found(id))?;
            return Err(AppError::Conflict(already_settled(&current)));
        }
        Event::record(
            conn,
            NewEvent {
                request_id: id,
                actor_email: &who.email,
                action: decision.status().as_str(),
                note: note.as_deref(),
                created_at: now.0,
            },
        )?;
        let request = HolidayRequest::find(conn, id)?.ok_or(AppError::not_found(id))?;
        describe_one(conn, who, request, now)
    })
}

pub fn cancel(conn: &mut DbConnection, who: &Actor, id: i32, now: Now) -> Result<Listed, AppError> {
    write_transaction(conn, |conn| {
        let (request, manager) = visible_request(conn, who, id)?;
        let owner = ownership(&request, &manager);
        if let Err(refusal) = who.may_cancel(&owner, request.status, request.start_date, now.today()) {
            return Err(match AppError::from(refusal) {
                AppError::Conflict(why) if request.status != Status::Pending => {
                    AppError::Conflict(format!("{} {why}", already_settled(&request)))
                }
                other => other,
            });
        }
        if !HolidayRequest::cancel_if_allowed(conn, id, now.today())? {
            let current = HolidayRequest::find(conn, id)?.ok_or(AppError::not_found(id))?;
            return Err(AppError::Conflict(already_settled(&current)));
        }
        Event::record(
            conn,
            NewEvent { request_id: id, actor_email: &who.email, action: "Cancelled", note: None, created_at: now.0 },
        )?;
        let request = HolidayRequest::find(conn, id)?.ok_or(AppError::not_found(id))?;
        describe_one(conn, who, request, now)
    })
}

/// Says who settled a request and when, for the 409 answer.
pub fn already_settled(r: &HolidayRequest) -> String {
    let verb = r.status.as_str().to_lowercase();
    match (r.status, &r.decided_by, r.decided_at) {
        (Status::Pending, _, _) => format!("Request #{} is still pending.", r.request_id),
        (Status::Approved | Status::Declined, Some(by), Some(at)) => {
            format!("Request #{} was already {verb} by {by} on {} UTC.", r.request_id, at.format("%Y-%m-%d %H:%M"))
        }
        _ => format!("Request #{} is already {verb}.", r.request_id),
    }
}

/// A request and its requester's manager, if the reader may see it; those who may not are told
/// it does not exist, so ids reveal nothing.
fn visible_request(
    conn: &mut DbConnection,
    who: &Actor,
    id: i32,
) -> Result<(HolidayRequest, Option<String>), AppError> {
    let request = HolidayRequest::find(conn, id)?.ok_or(AppError::not_found(id))?;
    let manager = manager_of(conn, &request)?;
    if !who.may_view(&ownership(&request, &manager)) {
        return Err(AppError::not_found(id));
    }
    Ok((request, manager))
}

fn ownership<'a>(request: &'a HolidayRequest, manager: &'a Option<String>) -> Ownership<'a> {
    Ownership { requester: request.requester_email.as_deref(), manager: manager.as_deref() }
}

fn manager_of(conn: &mut DbConnection, r: &HolidayRequest) -> QueryResult<Option<String>> {
    match &r.requester_email {
        Some(email) => Ok(Person::find(conn, email)?.and_then(|p| p.manager_email)),
        None => Ok(None),
    }
}

/// A request with what the reader needs to act on it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub request: HolidayRequest,
    pub can_decide: bool,
    pub can_cancel: bool,
    /// Colleagues (same manager) away on some of the same days, e.g. "Suzy (approved)".
    pub also_off: Vec<String>,
}

pub struct Listing {
    pub items: Vec<Listed>,
    pub next: Option<Cursor>,
}

/// Which list someone is looking at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Their own requests.
    Mine,
    /// The requests they may decide (reports', or all for admins).
    Queue,
    /// Everything they may see (the API's list).
    Visible,
}

pub fn scope_for<'a>(who: &'a Actor, view: View) -> Scope<'a> {
    match view {
        View::Mine => Scope::Own(&who.email),
        _ if who.is_admin => Scope::All,
        View::Queue => Scope::Team(&who.email),
        View::Visible => Scope::OwnAndTeam(&who.email),
    }
}

pub const MAX_PAGE: i64 = 100;

pub fn list(
    conn: &mut DbConnection,
    who: &Actor,
    view: View,
    status: Option<Status>,
    cursor: Option<Cursor>,
    limit: i64,
    now: Now,
) -> Result<Listing, AppError> {
    let Page { rows, next } =
        HolidayRequest::page(conn, scope_for(who, view), status, cursor, limit.clamp(1, MAX_PAGE))?;
    Ok(Listing { items: describe(conn, who, rows, now)?, next })
}

/// Pending requests that arrived after `after_id`, for the queue's live updates.
pub fn new_in_queue(conn: &mut DbConnection, who: &Actor, after_id: i32, now: Now) -> Result<Vec<Listed>, AppError> {
    let rows = HolidayRequest::pending_after(conn, scope_for(who, View::Queue), after_id)?;
    describe(conn, who, rows, now)
}

/// How many requests wait for this person's decision.
pub fn pending_count(conn: &mut DbConnection, who: &Actor) -> Result<i64, AppError> {
    Ok(HolidayRequest::count_pending(conn, scope_for(who, View::Queue), &who.email)?)
}

/// Adds permissions and overlapping colleagues to rows, in three queries whatever
/// the page size.
pub fn describe(
    conn: &mut DbConnection,
    who: &Actor,
    rows: Vec<HolidayRequest>,
    now: Now,
) -> Result<Vec<Listed>, AppError> {
    let requesters: Vec<&str> = rows.iter().filter_map(|r| r.requester_email.as_deref()).collect();
    let managers = Person::managers_of(conn, &requesters)?;
    let manager_of = |r: &HolidayRequest| r.requester_email.as_ref().and_then(|e| managers.get(e).cloned().flatten());

    let mut team_managers: Vec<&str> = managers.values().filter_map(|m| m.as_deref()).collect();
    team_managers.sort_unstable();
    team_managers.dedup();
    let colleagues = Person::teams_of(conn, &team_managers)?;
    let window = rows
        .iter()
        .map(HolidayRequest::range)
        .reduce(|a, b| DateRange { start: a.start.min(b.start), end: a.end.max(b.end) });
    let away = match window {
        Some(window) => {
            let emails: Vec<&str> = colleagues.iter().map(|p| p.email.as_str()).collect();
            HolidayRequest::absences(conn, &emails, window)?
        }
        None => Vec::new(),
    };
    let by_email: HashMap<&str, &Person> = colleagues.iter().map(|p| (p.email.as_str(), p)).collect();

    Ok(rows
        .iter()
        .map(|r| {
            let manager = manager_of(r);
            let owner = Ownership { requester: r.requester_email.as_deref(), manager: manager.as_deref() };
            let also_off = match &manager {
                Some(m) => away
                    .iter()
                    .filter(|a| a.request_id != r.request_id && a.requester_email != r.requester_email)
                    .filter(|a| a.range().overlaps(&r.range()))
                    .filter_map(|a| {
                        let person = by_email.get(a.requester_email.as_deref()?)?;
                        (person.manager_email.as_deref() == Some(m.as_str()))
                            .then(|| format!("{} ({})", person.display_name, a.status.as_str().to_lowercase()))
                    })
                    .collect(),
                None => Vec::new(),
            };
            Listed {
                can_decide: r.status == Status::Pending && who.may_decide(&owner).is_ok(),
                can_cancel: who.may_cancel(&owner, r.status, r.start_date, now.today()).is_ok(),
                also_off,
                request: r.clone(),
            }
        })
        .collect())
}

pub fn describe_one(
    conn: &mut DbConnection,
    who: &Actor,
    request: HolidayRequest,
    now: Now,
) -> Result<Listed, AppError> {
    describe(conn, who, vec![request], now)?
        .pop()
        .ok_or_else(|| AppError::Internal("a described row went missing".into()))
}

/// One request with its history, if the reader may see it.
pub fn details(conn: &mut DbConnection, who: &Actor, id: i32, now: Now) -> Result<(Listed, Vec<Event>), AppError> {
    let (request, _) = visible_request(conn, who, id)?;
    let events = Event::for_request(conn, id)?;
    Ok((describe_one(conn, who, request, now)?, events))
}
