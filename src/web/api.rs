//! The JSON API for scripts and agents: the same identities, rules and actions as the pages.
//! Errors are `{"error": "<sentence>"}` with the matching status code.

use super::guards::{CurrentUser, JsonBody, SameOrigin};
use crate::actions::{self, Listed, Now, RequestInput, View};
use crate::db::Db;
use crate::domain::Status;
use crate::error::{AppError, UNAVAILABLE};
use crate::models::request::Cursor;
use crate::models::{Event, HolidayRequest, Person};
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use rocket::http::Status as HttpStatus;
use rocket::response::status::Created;
use rocket::serde::json::{Json, Value, json};
use rocket::{Route, State, get, post, routes};
use serde::{Deserialize, Serialize};

pub fn routes() -> Vec<Route> {
    routes![me, list, get_one, create, decide, cancel]
}

pub fn health_routes() -> Vec<Route> {
    routes![healthz]
}

type ApiResult<T> = Result<T, AppError>;

fn utc(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A request as the API shows it.
#[derive(Serialize)]
pub struct RequestJson {
    pub id: i32,
    pub employee_name: String,
    pub requester_email: Option<String>,
    pub start_date: String,
    pub end_date: String,
    pub working_days: i64,
    pub status: Status,
    pub comment: Option<String>,
    pub manager_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub can_decide: bool,
    pub can_cancel: bool,
    /// Colleagues with the same manager away on some of the same days.
    pub also_off: Vec<String>,
}

impl From<Listed> for RequestJson {
    fn from(item: Listed) -> Self {
        let r: HolidayRequest = item.request;
        RequestJson {
            id: r.request_id,
            working_days: r.range().working_days(),
            employee_name: r.employee_name,
            requester_email: r.requester_email,
            start_date: r.start_date.to_string(),
            end_date: r.end_date.to_string(),
            status: r.status,
            comment: r.comment,
            manager_note: r.manager_note,
            decided_by: r.decided_by,
            decided_at: r.decided_at.map(utc),
            created_at: utc(r.created_at),
            can_decide: item.can_decide,
            can_cancel: item.can_cancel,
            also_off: item.also_off,
        }
    }
}

#[derive(Serialize)]
pub struct EventJson {
    pub actor: String,
    pub action: String,
    pub note: Option<String>,
    pub at: String,
}

impl From<Event> for EventJson {
    fn from(e: Event) -> Self {
        EventJson { actor: e.actor_email, action: e.action, note: e.note, at: utc(e.created_at) }
    }
}

/// Who the API thinks the caller is, and what they may do.
#[get("/me")]
async fn me(user: CurrentUser, db: &State<Db>) -> ApiResult<Json<Value>> {
    let who = user.0;
    db.run(move |conn| {
        let person = Person::find(conn, &who.email)?;
        let manages = Person::has_reports(conn, &who.email)?;
        Ok(Json(json!({
            "email": who.email,
            "display_name": person.as_ref().map(|p| p.display_name.clone()),
            "manager_email": person.and_then(|p| p.manager_email),
            "is_admin": who.is_admin,
            "is_manager": manages,
        })))
    })
    .await
}

#[get("/requests?<status>&<limit>&<cursor>")]
async fn list(
    user: CurrentUser,
    db: &State<Db>,
    status: Option<&str>,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> ApiResult<Json<Value>> {
    let status = status
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("all"))
        .map(|s| {
            Status::parse(s).ok_or_else(|| {
                AppError::BadRequest(format!("The status '{s}' is not one of Pending, Approved, Declined, Cancelled."))
            })
        })
        .transpose()?;
    let limit = match limit.filter(|l| !l.is_empty()) {
        None => 50,
        Some(l) => l.parse::<i64>().ok().filter(|n| (1..=actions::MAX_PAGE).contains(n)).ok_or_else(|| {
            AppError::BadRequest(format!("The limit '{l}' must be a whole number from 1 to {}.", actions::MAX_PAGE))
        })?,
    };
    let cursor = cursor
        .filter(|c| !c.is_empty())
        .map(|c| {
            Cursor::decode(c).ok_or_else(|| AppError::BadRequest("The cursor is not one this API gave out.".into()))
        })
        .transpose()?;
    let who = user.0;
    let listing =
        db.run(move |conn| actions::list(conn, &who, View::Visible, status, cursor, limit, Now::utc())).await?;
    let requests: Vec<RequestJson> = listing.items.into_iter().map(RequestJson::from).collect();
    Ok(Json(json!({ "requests": requests, "next_cursor": listing.next.map(|c| c.encode()) })))
}

#[get("/requests/<id>")]
async fn get_one(user: CurrentUser, db: &State<Db>, id: i32) -> ApiResult<Json<Value>> {
    let who = user.0;
    let (item, events) = db.run(move |conn| actions::details(conn, &who, id, Now::utc())).await?;
    let events: Vec<EventJson> = events.into_iter().map(EventJson::from).collect();
    let mut body = serde_json::to_value(RequestJson::from(item)).map_err(|e| AppError::Internal(e.to_string()))?;
    body["events"] = serde_json::to_value(events).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Json(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRequestBody {
    start_date: String,
    end_date: String,
    comment: Option<String>,
}

#[post("/requests", data = "<body>")]
async fn create(
    user: CurrentUser,
    _same_origin: SameOrigin,
    db: &State<Db>,
    body: Result<JsonBody<NewRequestBody>, AppError>,
) -> ApiResult<Created<Json<RequestJson>>> {
    let JsonBody(body) = body?;
    let input = RequestInput { start_date: body.start_date, end_date: body.end_date, comment: body.comment };
    let who = user.0;
    let item = db.run(move |conn| actions::submit(conn, &who, &input, Now::utc())).await?;
    let location = format!("/api/requests/{}", item.request.request_id);
    Ok(Created::new(location).body(Json(RequestJson::from(item))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    decision: String,
    note: Option<String>,
}

#[post("/requests/<id>/decision", data = "<body>")]
async fn decide(
    user: CurrentUser,
    _same_origin: SameOrigin,
    db: &State<Db>,
    id: i32,
    body: Result<JsonBody<DecisionBody>, AppError>,
) -> ApiResult<Json<RequestJson>> {
    let JsonBody(body) = body?;
    let who = user.0;
    let item =
        db.run(move |conn| actions::decide(conn, &who, id, &body.decision, body.note.as_deref(), Now::utc())).await?;
    Ok(Json(item.into()))
}

#[post("/requests/<id>/cancel")]
async fn cancel(user: CurrentUser, _same_origin: SameOrigin, db: &State<Db>, id: i32) -> ApiResult<Json<RequestJson>> {
    let who = user.0;
    let item = db.run(move |conn| actions::cancel(conn, &who, id, Now::utc())).await?;
    Ok(Json(item.into()))
}

/// 200 when the database answers a query, 503 when it does not.
#[get("/healthz")]
async fn healthz(db: &State<Db>) -> (HttpStatus, Json<Value>) {
    let probe =
        db.run(|conn| conn.batch_execute("SELECT 1").map_err(|_| AppError::Unavailable(UNAVAILABLE.into()))).await;
    match probe {
        Ok(()) => (HttpStatus::Ok, Json(json!({ "status": "ok" }))),
        Err(e) => (HttpStatus::ServiceUnavailable, Json(json!({ "status": "unavailable", "error": e.message() }))),
    }
}
