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

type ApiResult<T> = Result<Answer<T>, AppError>;

/// A JSON answer, written into a buffer sized for a page of requests at once rather than grown
/// from a few bytes by doubling.
pub struct Answer<T>(pub T);

impl<'r, T: Serialize> Responder<'r, 'static> for Answer<T> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let mut body = Vec::with_capacity(16 * 1024);
        serde_json::to_writer(&mut body, &self.0).map_err(|e| {
            rocket::error!("cannot write a JSON answer: {e}");
            HttpStatus::InternalServerError
        })?;
        response::Response::build_from(rocket::response::content::RawJson(body).respond_to(req)?).ok()
    }
}

/// The API's error answer: the status code and `{"error": "<sentence>", "field"?: "..."}`.
impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.log();
        let body = Json(ErrorBody { error: self.message(), field: self.field() });
        response::Response::build_from(body.respond_to(req)?).status(self.status()).ok()
    }
}

/// Dates and times as ISO 8601 text, written digit by digit: chrono's general formatter
/// parses a format string and escapes character by character, which cost more than the rest of
/// a list's answer together.
mod iso {
    use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
    use serde::{Serializer, ser::Error};

    fn digits(out: &mut [u8], mut n: u32) {
        for b in out.iter_mut().rev() {
            *b = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }

    fn write_date(out: &mut [u8], d: NaiveDate) {
        digits(&mut out[0..4], d.year() as u32);
        digits(&mut out[5..7], d.month());
        digits(&mut out[8..10], d.day());
    }

    /// `YYYY-MM-DD`; years outside 0-9999 (possible only in rows written by other tools) go
    /// through chrono.
    pub fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if !(0..=9999).contains(&d.year()) {
            return s.collect_str(d);
        }
        let mut text = *b"0000-00-00";
        write_date(&mut text, *d);
        s.serialize_str(std::str::from_utf8(&text).map_err(S::Error::custom)?)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the stored UTC time.
    pub fn utc<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        if !(0..=9999).contains(&t.year()) {
            return s.collect_str(&t.format("%Y-%m-%dT%H:%M:%SZ"));
        }
        let mut text = *b"0000-00-00T00:00:00Z";
        write_date(&mut text, t.date());
        digits(&mut text[11..13], t.hour());
        digits(&mut text[14..16], t.minute());
        digits(&mut text[17..19], t.second());
        s.serialize_str(std::str::from_utf8(&text).map_err(S::Error::custom)?)
    }

    pub fn optional_utc<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => utc(t, s),
            None => s.serialize_none(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn json(f: impl FnOnce(&mut serde_json::Serializer<&mut Vec<u8>>) -> serde_json::Result<()>) -> String {
            let mut out = Vec::new();
            f(&mut serde_json::Serializer::new(&mut out)).unwrap();
            String::from_utf8(out).unwrap()
        }

        #[test]
        fn dates_and_times_match_chrono() {
            for (y, m, d, h, mi, sec) in [(2026, 11, 29, 8, 5, 9), (1, 1, 1, 0, 0, 0), (9999, 12, 31, 23, 59, 59)] {
                let t = NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, sec).unwrap();
                assert_eq!(json(|s| utc(&t, s)), format!("\"{}\"", t.format("%Y-%m-%dT%H:%M:%SZ")));
                assert_eq!(json(|s| date(&t.date(), s)), format!("\"{}\"", t.date()));
            }
            let far = NaiveDate::from_ymd_opt(12345, 1, 2).unwrap();
            assert_eq!(json(|s| date(&far, s)), format!("\"{far}\""));
        }
    }
}

/// A request as the API shows it.
#[derive(Serialize)]
pub struct RequestJson {
    pub id: i32,
    pub employee_name: String,
    pub requester_email: Option<Email>,
    #[serde(serialize_with = "iso::date")]
    pub start_date: chrono::NaiveDate,
    #[serde(serialize_with = "iso::date")]
    pub end_date: chrono::NaiveDate,
    pub working_days: i64,
    pub status: Status,
    pub comment: Option<String>,
    pub manager_note: Option<String>,
    pub decided_by: Option<Email>,
    #[serde(serialize_with = "iso::optional_utc")]
    pub decided_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "iso::utc")]
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
    #[serde(serialize_with = "iso::utc")]
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
    Ok(Answer(MeJson {
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
    Ok(Answer(ListJson {
        requests: listing.items.into_iter().map(RequestJson::from).collect(),
        next_cursor: listing.next.map(|c| c.encode()),
    }))
}

#[get("/requests/<id>")]
async fn get_one(user: CurrentUser, app: &State<App>, id: i32) -> ApiResult<RequestWithEvents> {
    let (item, events) = actions::details(app, &user.actor, id).await?;
    Ok(Answer(RequestWithEvents { request: item.into(), events: events.into_iter().map(EventJson::from).collect() }))
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
) -> Result<Created<Answer<RequestJson>>, AppError> {
    let JsonBody(body) = body?;
    let input = RequestInput { start_date: body.start_date, end_date: body.end_date, comment: body.comment };
    let item = actions::submit(app, &user.actor, &input).await?;
    let location = format!("/api/requests/{}", item.request.request_id);
    Ok(Created::new(location).body(Answer(RequestJson::from(item))))
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
    Ok(Answer(item.into()))
}

#[post("/requests/<id>/cancel")]
async fn cancel(user: CurrentUser, _same_origin: SameOrigin, app: &State<App>, id: i32) -> ApiResult<RequestJson> {
    Ok(Answer(actions::cancel(app, &user.actor, id).await?.into()))
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
