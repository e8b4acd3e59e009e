//! Asking, deciding and cancelling: each a transaction that applies the rules and writes its
//! audit event with the change.

use super::leave::{Asked, asked, balance_years, check_balance, count_for};
use super::notifications;
use super::{App, Listed, visible_one};
use crate::config::Settings;
use crate::db::{DbConnection, take_turns};
use crate::domain::coverage::Mode;
use crate::domain::notify::Happened;
use crate::domain::text::optional_text;
use crate::domain::{Actor, Decision, Email, EventAction, Invalid, Now, Ownership, Status, Zone};
use crate::error::AppError;
use crate::models::balance::LeaveContext;
use crate::models::event::{Event, NewEvent};
use crate::models::policy_event::PolicyEvent;
use crate::models::request::{Managed, NewRequest};
use crate::models::{HolidayRequest, Profile};
use chrono::NaiveDate;
use diesel::result::Error as DieselError;

/// What someone typed to ask for time off, before validation.
#[derive(Clone, Debug, Default)]
pub struct RequestInput {
    pub start_date: String,
    pub end_date: String,
    pub comment: Option<String>,
    /// A type's name or id; none means Annual leave.
    pub leave_type: Option<String>,
    pub start_part: Option<String>,
    pub end_part: Option<String>,
}

/// The constraint that keeps one person's pending and approved requests apart on Postgres,
/// whatever the isolation level of whoever writes.
const NO_OVERLAP: &str = "holiday_requests_no_overlap";

pub async fn submit(app: &App, actor: &Actor, input: &RequestInput) -> Result<Listed, AppError> {
    let now = app.now();
    // What can be checked without the database is, before a connection is taken.
    asked(&app.settings, input, now.today)?;
    optional_text("comment", "comment", input.comment.as_deref())?;
    let (actor, settings, input) = (actor.clone(), app.settings.clone(), input.clone());
    let item = app
        .db
        .write(move |conn| {
            let id = submit_in(conn, &settings, &actor, &input, now)?;
            let mut item = visible_one(conn, &actor, id, now)?;
            super::with_balances(conn, &settings, std::slice::from_mut(&mut item), now)?;
            Ok(item)
        })
        .await?;
    app.wake.poke();
    Ok(item)
}

/// Makes a request inside the caller's transaction and returns its id: the rules of asking,
/// in one place for the routes and the demo data.
pub fn submit_in(
    conn: &mut DbConnection,
    settings: &Settings,
    actor: &Actor,
    input: &RequestInput,
    now: Now,
) -> Result<i32, AppError> {
    let ask = asked(settings, input, now.today)?;
    let range = ask.range;
    let comment = optional_text("comment", "comment", input.comment.as_deref())?;
    // Two submissions by one person take turns, so each overlap check and each balance check
    // sees the other's row.
    take_turns(conn, &format!("holidays-requests-of:{}", actor.email))?;
    let leave_type = super::leave::active_type(conn, input.leave_type.as_deref())?;
    let profile = Profile::find(conn, &actor.email)?;
    let Asked { counted } = count_for(conn, settings, profile.as_ref(), &leave_type, ask)?;
    if let Some(clash) = HolidayRequest::first_clash(conn, &actor.email, range)? {
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
    if leave_type.deducted {
        let (years, first_day) = balance_years(settings, now.today);
        let context = LeaveContext::load(conn, std::slice::from_ref(&actor.email), years, first_day)?;
        check_balance(settings, &context, &actor.email, &leave_type, &counted, now.today, range.start)?;
    }
    let manager = profile.as_ref().and_then(|p| p.manager_email.clone());
    let breaches = super::calendar::check(conn, &actor.email, manager.as_ref(), &counted.off, None)?;
    // Leave that needs no approval (sickness) cannot be refused: its rules only warn.
    if let Some(b) = breaches.iter().find(|b| b.mode == Mode::Block && leave_type.needs_approval) {
        return Err(Invalid::new(
            "start_date",
            format!(
                "{} A coverage rule blocks requests then: choose other dates, or talk to your manager.",
                b.sentence
            ),
        )
        .into());
    }
    let coverage = breaches.iter().map(|b| b.sentence.as_str()).collect::<Vec<_>>().join("\n");
    let name = profile.map_or_else(|| actor.email.to_string(), |p| p.display_name);
    let name: String = name.chars().take(crate::domain::text::MAX_NAME).collect();
    let approved_note = format!("{} needs no approval.", leave_type.name);
    let new = NewRequest {
        employee_name: &name,
        requester_email: &actor.email,
        range,
        comment: comment.as_deref(),
        created_at: now.utc,
        leave_type_id: leave_type.id,
        start_part: ask.start_part,
        end_part: ask.end_part,
        days: counted.days,
        years: &counted.years,
        approved_at_once: (!leave_type.needs_approval).then_some(approved_note.as_str()),
        coverage: (!coverage.is_empty()).then_some(coverage.as_str()),
    };
    let request = HolidayRequest::submit(conn, new).map_err(|e| match e {
        DieselError::DatabaseError(_, ref info) if info.constraint_name() == Some(NO_OVERLAP) => AppError::Invalid(
            Invalid::new("start_date", "These dates overlap another of your pending or approved requests."),
        ),
        other => AppError::Database(other),
    })?;
    let happened = if leave_type.needs_approval { Happened::Submitted } else { Happened::Recorded };
    let about = notifications::about(&request, &name, &leave_type.name, leave_type.private, None);
    let to = notifications::approvers(settings, &actor.email, manager.as_ref());
    notifications::enqueue(conn, settings, happened, &about, &to, now.utc)?;
    Ok(request.request_id)
}

/// Decides a pending request. Approving over a blocking coverage rule takes an admin, who says
/// so (`override_block`) and why (the note); that is recorded in the policy audit too.
pub async fn decide(
    app: &App,
    actor: &Actor,
    id: i32,
    decision: &str,
    note: Option<&str>,
    override_block: bool,
) -> Result<Listed, AppError> {
    let decision = Decision::parse(decision)
        .ok_or_else(|| Invalid::new("decision", "The decision must be Approved or Declined."))?;
    let note = optional_text("note", "note", note)?;
    let (actor, now, settings) = (actor.clone(), app.now(), app.settings.clone());
    let item = app
        .db
        .write(move |conn| {
            let managed = visible_for_change(conn, &actor, id)?;
            let owner =
                Ownership { requester: managed.request.requester_email.as_ref(), manager: managed.manager.as_ref() };
            actor.may_decide(&owner)?;
            if decision == Decision::Approved && managed.request.status == Status::Pending {
                let request = &managed.request;
                let blocks: Vec<String> =
                    super::calendar::at_approval(conn, &settings, owner.requester, owner.manager, request)?
                        .into_iter()
                        .filter(|b| b.mode == Mode::Block)
                        .map(|b| b.sentence)
                        .collect();
                if !blocks.is_empty() {
                    let why = blocks.join(" ");
                    if !actor.is_admin {
                        return Err(AppError::Conflict(format!(
                            "{why} A coverage rule blocks this: only an admin can approve over it, with a note."
                        )));
                    }
                    if !override_block {
                        return Err(Invalid::new(
                            "override",
                            format!("{why} To approve over this blocking coverage rule, confirm the override and say why in the note."),
                        )
                        .into());
                    }
                    let Some(reason) = note.as_deref() else {
                        return Err(Invalid::new("note", "Say in the note why you approve over the coverage rule.").into());
                    };
                    let detail = serde_json::json!({ "breaches": blocks, "note": reason });
                    PolicyEvent::record(conn, &actor.email, "coverage_override", &format!("request #{id}"), &detail, now.utc)?;
                }
            }
            let Some(decided) =
                HolidayRequest::decide_if_pending(conn, id, decision.status(), note.as_deref(), &actor.email, now.utc)?
            else {
                return Err(AppError::Conflict(already_settled(&current(conn, id)?)));
            };
            if let Some(requester) = decided.requester_email.clone() {
                let leave_type = crate::models::leave_type::find(conn, decided.leave_type_id)?;
                let (type_name, private) = leave_type.map_or(("Leave".to_owned(), true), |t| (t.name, t.private));
                let by = notifications::name_of(conn, &actor.email)?;
                let about = notifications::about(&decided, &decided.employee_name, &type_name, private, Some(&by));
                let happened = if decision == Decision::Approved { Happened::Approved } else { Happened::Declined };
                notifications::enqueue(conn, &settings, happened, &about, &[requester], now.utc)?;
            }
            let event = NewEvent {
                request_id: id,
                actor_email: &actor.email,
                action: decision.event(),
                note: note.as_deref(),
                created_at: now.utc,
            };
            Event::record(conn, event)?;
            let mut item = visible_one(conn, &actor, id, now)?;
            super::with_balances(conn, &settings, std::slice::from_mut(&mut item), now)?;
            Ok(item)
        })
        .await?;
    app.wake.poke();
    Ok(item)
}

pub async fn cancel(app: &App, actor: &Actor, id: i32) -> Result<Listed, AppError> {
    let (actor, now, settings) = (actor.clone(), app.now(), app.settings.clone());
    let item = app
        .db
        .write(move |conn| {
            let Managed { request, manager, .. } = visible_for_change(conn, &actor, id)?;
            let owner = Ownership { requester: request.requester_email.as_ref(), manager: manager.as_ref() };
            // Whether leave has begun is a question of the requester's own date.
            let today = requester_today(conn, request.requester_email.as_ref(), now)?;
            if let Err(refusal) = actor.may_cancel(&owner, &request.status, request.start_date, today) {
                return Err(match AppError::from(refusal) {
                    AppError::Conflict(why) if request.status != Status::Pending => {
                        AppError::Conflict(format!("{} {why}", already_settled(&request)))
                    }
                    other => other,
                });
            }
            let Some(cancelled) = HolidayRequest::cancel_if_allowed(conn, id, today)? else {
                return Err(AppError::Conflict(already_settled(&current(conn, id)?)));
            };
            if let Some(requester) = &cancelled.requester_email {
                let leave_type = crate::models::leave_type::find(conn, cancelled.leave_type_id)?;
                let (type_name, private) = leave_type.map_or(("Leave".to_owned(), true), |t| (t.name, t.private));
                let about = notifications::about(&cancelled, &cancelled.employee_name, &type_name, private, None);
                let mut to = notifications::approvers(&settings, requester, manager.as_ref());
                to.retain(|e| *e != actor.email);
                notifications::enqueue(conn, &settings, Happened::Cancelled, &about, &to, now.utc)?;
            }
            let event = NewEvent {
                request_id: id,
                actor_email: &actor.email,
                action: EventAction::Cancelled,
                note: None,
                created_at: now.utc,
            };
            Event::record(conn, event)?;
            visible_one(conn, &actor, id, now)
        })
        .await?;
    app.wake.poke();
    Ok(item)
}

/// The date it is for a requester: in their own time zone if they have one, else the company's.
fn requester_today(conn: &mut DbConnection, requester: Option<&Email>, now: Now) -> Result<NaiveDate, AppError> {
    let Some(email) = requester else { return Ok(now.today) };
    let zone = Profile::find(conn, email)?.and_then(|p| p.timezone).and_then(|z| Zone::named(&z));
    Ok(zone.map_or(now.today, |z| z.date_at(now.utc.and_utc())))
}

/// The request to change, if the actor may see it; otherwise it does not exist for them.
fn visible_for_change(conn: &mut DbConnection, actor: &Actor, id: i32) -> Result<Managed, AppError> {
    let managed = HolidayRequest::find_managed(conn, id)?.ok_or(AppError::not_found(id))?;
    let owner = Ownership { requester: managed.request.requester_email.as_ref(), manager: managed.manager.as_ref() };
    if !actor.may_view(&owner) {
        return Err(AppError::not_found(id));
    }
    if let Status::Other(status) = &managed.request.status {
        return Err(AppError::Conflict(format!(
            "Request #{id} has the status '{status}', which this app did not set, so it cannot be changed here."
        )));
    }
    Ok(managed)
}

fn current(conn: &mut DbConnection, id: i32) -> Result<HolidayRequest, AppError> {
    HolidayRequest::find(conn, id)?.ok_or(AppError::not_found(id))
}

/// Says who settled a request and when, for the 409 answer.
pub fn already_settled(r: &HolidayRequest) -> String {
    let verb = r.status.as_str().to_lowercase();
    match (&r.status, &r.decided_by, r.decided_at) {
        (Status::Pending, _, _) => format!("Request #{} is still pending.", r.request_id),
        (Status::Approved | Status::Declined, Some(by), Some(at)) => {
            format!("Request #{} was already {verb} by {by} on {} UTC.", r.request_id, at.format("%Y-%m-%d %H:%M"))
        }
        _ => format!("Request #{} is already {verb}.", r.request_id),
    }
}
