//! The JSON API for scripts and agents: the same identities, rules and actions as the pages.
//! Errors are `{"error": "<sentence>"}` with the matching status code.

use super::guards::{CurrentUser, JsonBody, SameOrigin};
use crate::actions::{self, App, Listed, RequestInput};
use crate::domain::{Email, EventAction, Status};
use crate::error::{AppError, ErrorBody};
use crate::models::Event;
use crate::models::request::Cursor;
use chrono::NaiveDateTime;
use rocket::http::Status as HttpStatus;
use rocket::response::status::Created;
use rocket::response::{self, Responder};
use rocket::serde::json::Json;
use rocket::{Request, Route, State, get, post, routes};
use serde::{Deserialize, Serialize};

pub fn routes() -> Vec<Route> {
    routes![me, list, get_one, create, decide, cancel]
}

pub fn health_routes() -> Vec<Route> {
    routes![healthz]
}

type ApiResult<T> = Result<Json<T>, AppError>;

/// The API's error answer: the status code and `{"error": "<sentence>", "field"?: "..."}`.
impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.log();
        let body = Json(ErrorBody { error: self.message(), field: self.field() });
        response::Response::build_from(body.respond_to(req)?).status(self.status()).ok()
    }
}

/// Timestamps as RFC 3339 in UTC.
mod utc {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    const FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format(FORMAT))
    }

    pub mod option {
        use chrono::NaiveDateTime;
        use serde::Serializer;

        pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// A request as the API shows it.
#[derive(Serialize)]
pub struct RequestJson {
    pub id: i32,
    pub employee_name: String,
    pub requester_email: Option<Email>,
    pub start_date: chrono::NaiveDate,
    pub end_date: chrono::NaiveDate,
    pub working_days: i64,
    pub status: Status,
    pub comment: Option<String>,
    pub manager_note: Option<String>,
    pub decided_by: Option<Email>,
    #[serde(with = "utc::option")]
    pub decided_at: Option<NaiveDateTime>,
    #[serde(with = "utc")]
    pub created_at: NaiveDateTime,
    pub can_decide: bool,
    pub can_cancel: bool,
    /// Colleagues with the same manager away on some of the same days: the first few, as
    /// "Name (status)".
    pub also_off: Vec<String>,
    /// How many colleagues are away then in all.
    pub also_off_total: usize,
}

impl From<Listed> for RequestJson {
    fn from(item: Listed) -> Self {
        let r = item.request;
        RequestJson {
            id: r.request_id,
            working_days: r.range().working_days(),
            employee_name: r.employee_name,
            requester_email: r.requester_email,
            start_date: r.start_date,
            end_date: r.end_date,
            status: r.status,
            comment: r.comment,
            manager_note: r.manager_note,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            created_at: r.created_at,
            can_decide: item.can_decide,
            can_cancel: item.can_cancel,
            also_off: item.also_off.labels(),
            also_off_total: item.also_off.total,
        }
    }
}

#[derive(Serialize)]
pub struct EventJson {
    pub actor: Email,
    pub action: EventAction,
    pub note: Option<String>,
    #[serde(with = "utc")]
    pub at: NaiveDateTime,
}

impl From<Event> for EventJson {
    fn from(e: Event) -> Self {
        EventJson { actor: e.actor_email, action: e.action, note: e.note, at: e.created_at }
    }
}

#[derive(Serialize)]
pub struct RequestWithEvents {
    #[serde(flatten)]
    pub request: RequestJson,
    pub events: Vec<EventJson>,
}

#[derive(Serialize)]
pub struct ListJson {
    pub requests: Vec<RequestJson>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize)]
pub struct MeJson {
    pub email: Email,
    pub display_name: Option<String>,
    pub manager_email: Option<Email>,
    pub is_admin: bool,
    pub is_manager: bool,
}

#[derive(Serialize)]
pub struct HealthJson {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Who the API thinks the caller is, and what they may do.
#[get("/me")]
async fn me(user: CurrentUser, app: &State<App>) -> ApiResult<MeJson> {
    let viewer = actions::me(app, &user.actor).await?;
    Ok(Json(MeJson {
        is_manager: !viewer.reports.is_empty(),
        is_admin: viewer.actor.is_admin,
        display_name: viewer.display_name,
        manager_email: viewer.manager,
        email: viewer.actor.email,
    }))
}

fn bad_request(message: String) -> AppError {
    AppError::BadRequest(message)
}

#[get("/requests?<status>&<limit>&<cursor>")]
async fn list(
    user: CurrentUser,
    app: &State<App>,
    status: Option<&str>,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> ApiResult<ListJson> {
    let status = status
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("all"))
        .map(|s| {
            Status::parse_known(s).ok_or_else(|| {
                bad_request(format!("The status '{s}' is not one of Pending, Approved, Declined, Cancelled."))
            })
        })
        .transpose()?;
    let limit = match limit.filter(|l| !l.is_empty()) {
        None => 50,
        Some(l) => l.parse::<i64>().ok().filter(|n| (1..=actions::MAX_PAGE).contains(n)).ok_or_else(|| {
            bad_request(format!("The limit '{l}' must be a whole number from 1 to {}.", actions::MAX_PAGE))
        })?,
    };
    let cursor = cursor
        .filter(|c| !c.is_empty())
        .map(|c| Cursor::decode(c).ok_or_else(|| bad_request("The cursor is not one this API gave out.".into())))
        .transpose()?;
    let listing = actions::list(app, &user.actor, status, cursor, limit).await?;
    Ok(Json(ListJson {
        requests: listing.items.into_iter().map(RequestJson::from).collect(),
        next_cursor: listing.next.map(|c| c.encode()),
    }))
}

#[get("/requests/<id>")]
async fn get_one(user: CurrentUser, app: &State<App>, id: i32) -> ApiResult<RequestWithEvents> {
    let (item, events) = actions::details(app, &user.actor, id).await?;
    Ok(Json(RequestWithEvents { request: item.into(), events: events.into_iter().map(EventJson::from).collect() }))
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
    app: &State<App>,
    body: Result<JsonBody<NewRequestBody>, AppError>,
) -> Result<Created<Json<RequestJson>>, AppError> {
    let JsonBody(body) = body?;
    let input = RequestInput { start_date: body.start_date, end_date: body.end_date, comment: body.comment };
    let item = actions::submit(app, &user.actor, &input).await?;
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
    app: &State<App>,
    id: i32,
    body: Result<JsonBody<DecisionBody>, AppError>,
) -> ApiResult<RequestJson> {
    let JsonBody(body) = body?;
    let item = actions::decide(app, &user.actor, id, &body.decision, body.note.as_deref()).await?;
    Ok(Json(item.into()))
}

#[post("/requests/<id>/cancel")]
async fn cancel(user: CurrentUser, _same_origin: SameOrigin, app: &State<App>, id: i32) -> ApiResult<RequestJson> {
    Ok(Json(actions::cancel(app, &user.actor, id).await?.into()))
}

/// 200 when the database answers a query, 503 when it does not.
#[get("/healthz")]
async fn healthz(app: &State<App>) -> (HttpStatus, Json<HealthJson>) {
    match actions::health(app).await {
        Ok(()) => (HttpStatus::Ok, Json(HealthJson { status: "ok", error: None })),
        Err(e) => (
            HttpStatus::ServiceUnavailable,
            Json(HealthJson { status: "unavailable", error: Some(e.message().to_owned()) }),
        ),
    }
}
