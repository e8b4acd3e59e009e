//! The JSON API for scripts and agents: the same identities, rules and actions as the pages.
//! Errors are `{"error": "<sentence>"}` with the matching status code.

use super::guards::{CurrentUser, JsonBody, SameOrigin};
use crate::actions::calendar::{CalendarView, RuleInput, Shows};
use crate::actions::leave::{AdjustmentInput, HolidayInput, PersonInput, TypeBalance, TypeInput};
use crate::actions::{self, App, Listed, RequestInput};
use crate::domain::coverage::{Kind, Rule};
use crate::domain::holidays::PublicHoliday;
use crate::domain::leave::{Days, LeaveType, WorkingWeek};
use crate::domain::{Email, EventAction, Invalid, Status};
use crate::error::{AppError, ErrorBody};
use crate::models::Event;
use crate::models::notification::{Notification, Preferences};
use crate::models::request::Cursor;
use chrono::NaiveDateTime;
use rocket::http::Status as HttpStatus;
use rocket::response::status::Created;
use rocket::response::{self, Responder};
use rocket::serde::json::Json;
use rocket::{Request, Route, State, delete, get, patch, post, put, routes};
use serde::{Deserialize, Deserializer, Serialize};

pub fn routes() -> Vec<Route> {
    routes![
        me,
        list,
        get_one,
        create,
        decide,
        cancel,
        leave_types,
        create_leave_type,
        update_leave_type,
        balances,
        public_holidays,
        add_public_holiday,
        remove_public_holiday,
        update_person,
        adjust,
        calendar,
        coverage_rules,
        add_coverage_rule,
        remove_coverage_rule,
        my_notifications,
        set_my_notifications,
        notifications,
        retry_notification
    ]
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

    pub fn optional_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => date(d, s),
            None => s.serialize_none(),
        }
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
    /// The type's name, or null for a type since removed from the database by hand.
    pub leave_type: Option<String>,
    pub start_part: &'static str,
    pub end_part: &'static str,
    /// What the request takes, in steps of 0.5.
    pub days: f64,
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
    /// What the coverage rules said when it was made, as sentences.
    pub coverage: Vec<String>,
}

impl From<Listed> for RequestJson {
    fn from(item: Listed) -> Self {
        let r = item.request;
        let coverage = r.coverage.as_deref().map(|c| c.lines().map(str::to_owned).collect()).unwrap_or_default();
        RequestJson {
            coverage,
            id: r.request_id,
            working_days: r.range().working_days(),
            leave_type: item.leave_type.map(|t| t.name),
            start_part: r.start_part.as_str(),
            end_part: r.end_part.as_str(),
            days: r.days().as_f64(),
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

/// A leave type named by its name or its id.
#[derive(Deserialize)]
#[serde(untagged)]
enum NameOrId {
    Name(String),
    Id(i64),
}

impl NameOrId {
    fn text(self) -> String {
        match self {
            NameOrId::Name(name) => name,
            NameOrId::Id(id) => id.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRequestBody {
    start_date: String,
    end_date: String,
    comment: Option<String>,
    leave_type: Option<NameOrId>,
    start_part: Option<String>,
    end_part: Option<String>,
}

#[post("/requests", data = "<body>")]
async fn create(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    body: Result<JsonBody<NewRequestBody>, AppError>,
) -> Result<Created<Answer<RequestJson>>, AppError> {
    let JsonBody(body) = body?;
    let input = RequestInput {
        start_date: body.start_date,
        end_date: body.end_date,
        comment: body.comment,
        leave_type: body.leave_type.map(NameOrId::text),
        start_part: body.start_part,
        end_part: body.end_part,
    };
    let item = actions::submit(app, &user.actor, &input).await?;
    let location = format!("/api/requests/{}", item.request.request_id);
    Ok(Created::new(location).body(Answer(RequestJson::from(item))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    decision: String,
    note: Option<String>,
    /// An admin approving over a blocking coverage rule (with a note).
    r#override: Option<bool>,
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
    let item =
        actions::decide(app, &user.actor, id, &body.decision, body.note.as_deref(), body.r#override.unwrap_or(false))
            .await?;
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

#[derive(Serialize)]
pub struct LeaveTypeJson {
    pub id: i32,
    pub name: String,
    pub colour: String,
    pub deducted: bool,
    pub needs_approval: bool,
    pub private: bool,
    pub half_days: bool,
    pub overdraw: &'static str,
    pub active: bool,
}

impl From<LeaveType> for LeaveTypeJson {
    fn from(t: LeaveType) -> Self {
        LeaveTypeJson {
            id: t.id,
            name: t.name,
            colour: t.colour,
            deducted: t.deducted,
            needs_approval: t.needs_approval,
            private: t.private,
            half_days: t.half_days,
            overdraw: t.overdraw.as_str(),
            active: t.active,
        }
    }
}

#[derive(Serialize)]
pub struct LeaveTypesJson {
    pub leave_types: Vec<LeaveTypeJson>,
}

#[get("/leave-types")]
async fn leave_types(_user: CurrentUser, app: &State<App>) -> ApiResult<LeaveTypesJson> {
    let types = actions::leave::leave_types(app).await?;
    Ok(Answer(LeaveTypesJson { leave_types: types.into_iter().map(LeaveTypeJson::from).collect() }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaveTypeBody {
    name: Option<String>,
    colour: Option<String>,
    deducted: Option<bool>,
    needs_approval: Option<bool>,
    private: Option<bool>,
    half_days: Option<bool>,
    overdraw: Option<String>,
    active: Option<bool>,
}

impl From<LeaveTypeBody> for TypeInput {
    fn from(b: LeaveTypeBody) -> Self {
        TypeInput {
            name: b.name,
            colour: b.colour,
            deducted: b.deducted,
            needs_approval: b.needs_approval,
            private: b.private,
            half_days: b.half_days,
            overdraw: b.overdraw,
            active: b.active,
        }
    }
}

#[post("/leave-types", data = "<body>")]
async fn create_leave_type(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    body: Result<JsonBody<LeaveTypeBody>, AppError>,
) -> Result<Created<Answer<LeaveTypeJson>>, AppError> {
    let JsonBody(body) = body?;
    let created = actions::leave::create_type(app, &user.actor, &body.into()).await?;
    Ok(Created::new(format!("/api/leave-types/{}", created.id)).body(Answer(created.into())))
}

#[patch("/leave-types/<id>", data = "<body>")]
async fn update_leave_type(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    id: i32,
    body: Result<JsonBody<LeaveTypeBody>, AppError>,
) -> ApiResult<LeaveTypeJson> {
    let JsonBody(body) = body?;
    Ok(Answer(actions::leave::update_type(app, &user.actor, id, &body.into()).await?.into()))
}

#[derive(Serialize)]
pub struct BalanceJson {
    pub email: Email,
    pub leave_type: String,
    pub year: i32,
    pub allowance: f64,
    pub carried_over: f64,
    #[serde(serialize_with = "iso::date")]
    pub carried_expires: chrono::NaiveDate,
    pub adjustments: f64,
    pub taken: f64,
    pub pending: f64,
    pub available: f64,
}

impl From<TypeBalance> for BalanceJson {
    fn from(t: TypeBalance) -> Self {
        let b = t.balance;
        BalanceJson {
            email: t.email,
            leave_type: t.leave_type,
            year: b.year,
            allowance: b.allowance.as_f64(),
            carried_over: b.carried_over.as_f64(),
            carried_expires: b.carried_expires,
            adjustments: b.adjustments.as_f64(),
            taken: b.taken.as_f64(),
            pending: b.pending.as_f64(),
            available: b.available.as_f64(),
        }
    }
}

#[derive(Serialize)]
pub struct BalancesJson {
    pub balances: Vec<BalanceJson>,
}

fn year_param(year: Option<&str>) -> Result<Option<i32>, AppError> {
    year.filter(|y| !y.is_empty())
        .map(|y| {
            y.parse::<i32>()
                .map_err(|_| Invalid::new("year", format!("The year '{y}' must be a year like 2027.")).into())
        })
        .transpose()
}

#[get("/balances?<email>&<year>")]
async fn balances(
    user: CurrentUser,
    app: &State<App>,
    email: Option<&str>,
    year: Option<&str>,
) -> ApiResult<BalancesJson> {
    let year = year_param(year)?;
    let found = actions::leave::balances(app, &user.actor, email, year).await?;
    Ok(Answer(BalancesJson { balances: found.into_iter().map(BalanceJson::from).collect() }))
}

#[derive(Serialize)]
pub struct PublicHolidayJson {
    #[serde(serialize_with = "iso::date")]
    pub date: chrono::NaiveDate,
    pub name: String,
    pub half_day: bool,
    pub location: String,
}

#[derive(Serialize)]
pub struct PublicHolidaysJson {
    pub public_holidays: Vec<PublicHolidayJson>,
}

#[get("/public-holidays?<location>&<year>")]
async fn public_holidays(
    _user: CurrentUser,
    app: &State<App>,
    location: Option<&str>,
    year: Option<&str>,
) -> ApiResult<PublicHolidaysJson> {
    let location = location
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| Invalid::new("location", "Please give a location, like GB-ENG or DE-BY."))?;
    let year = year_param(year)?.unwrap_or_else(|| chrono::Datelike::year(&app.now().today));
    let (location, days) = actions::leave::public_holidays(app, location, year).await?;
    let public_holidays = days
        .into_iter()
        .map(|h: PublicHoliday| PublicHolidayJson {
            date: h.date,
            name: h.name.into_owned(),
            half_day: h.half_day,
            location: location.code().to_owned(),
        })
        .collect();
    Ok(Answer(PublicHolidaysJson { public_holidays }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicHolidayBody {
    location: Option<String>,
    date: String,
    name: String,
    #[serde(default)]
    half_day: bool,
}

/// Adds a public holiday for everyone (no location) or one location: admins.
#[post("/public-holidays", data = "<body>")]
async fn add_public_holiday(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    body: Result<JsonBody<PublicHolidayBody>, AppError>,
) -> Result<Created<Answer<PublicHolidayJson>>, AppError> {
    let JsonBody(body) = body?;
    let input =
        HolidayInput { location: body.location, date: body.date, name: Some(body.name), half_day: body.half_day };
    let day = actions::leave::add_public_holiday(app, &user.actor, &input).await?;
    let location = input.location.filter(|l| !l.trim().is_empty()).map_or("*".to_owned(), |l| l.trim().to_uppercase());
    Ok(Created::new("/api/public-holidays").body(Answer(PublicHolidayJson {
        date: day.date,
        name: day.name.into_owned(),
        half_day: day.half_day,
        location,
    })))
}

/// Takes a day off the public holidays of a location, or everyone's: admins.
#[delete("/public-holidays?<location>&<date>")]
async fn remove_public_holiday(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    location: Option<&str>,
    date: Option<&str>,
) -> Result<HttpStatus, AppError> {
    let input = HolidayInput {
        location: location.map(str::to_owned),
        date: date.unwrap_or_default().to_owned(),
        ..HolidayInput::default()
    };
    actions::leave::remove_public_holiday(app, &user.actor, &input).await?;
    Ok(HttpStatus::NoContent)
}

/// Absent: `None`; null: `Some(None)`; a value: `Some(Some(value))`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonBody {
    display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    manager_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    location: Option<Option<String>>,
    working_week: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    timezone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    allowance_days: Option<Option<serde_json::Value>>,
    #[serde(default, deserialize_with = "present")]
    start_date: Option<Option<String>>,
}

/// A number of days as JSON gives it; anything else is refused naming the field.
fn days_value(field: &'static str, label: &str, value: &serde_json::Value) -> Result<f64, Invalid> {
    value.as_f64().filter(|_| value.is_number()).ok_or_else(|| {
        Invalid::new(field, format!("The {label} must be a number of days in steps of 0.5, like 25 or 12.5."))
    })
}

impl PersonBody {
    fn input(self) -> Result<PersonInput, Invalid> {
        let working_week = match self.working_week {
            None => None,
            Some(serde_json::Value::Array(days)) => {
                let names: Option<Vec<&str>> = days.iter().map(serde_json::Value::as_str).collect();
                let names = names.ok_or_else(|| {
                    Invalid::new("working_week", "The working week must be a list of days, like [\"Mon\", \"Tue\"].")
                })?;
                Some(WorkingWeek::from_days(&names)?)
            }
            Some(serde_json::Value::String(text)) => Some(WorkingWeek::parse(&text)?),
            Some(_) => {
                return Err(Invalid::new(
                    "working_week",
                    "The working week must be a list of days, like [\"Mon\", \"Tue\"].",
                ));
            }
        };
        let allowance_days = match self.allowance_days {
            None => None,
            Some(None) => Some(None),
            Some(Some(v)) => Some(Some(days_value("allowance_days", "allowance", &v)?)),
        };
        Ok(PersonInput {
            display_name: self.display_name,
            manager_email: self.manager_email,
            location: self.location,
            working_week,
            timezone: self.timezone,
            allowance_days,
            start_date: self.start_date,
        })
    }
}

#[derive(Serialize)]
pub struct PersonJson {
    pub email: Email,
    pub display_name: String,
    pub manager_email: Option<Email>,
    pub location: Option<String>,
    pub working_week: Vec<&'static str>,
    pub timezone: Option<String>,
    pub allowance_days: Option<f64>,
    pub start_date: Option<String>,
}

#[put("/people/<email>", data = "<body>")]
async fn update_person(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    email: &str,
    body: Result<JsonBody<PersonBody>, AppError>,
) -> ApiResult<PersonJson> {
    let JsonBody(body) = body?;
    let input = body.input()?;
    let p = actions::leave::update_person(app, &user.actor, email, &input).await?;
    Ok(Answer(PersonJson {
        working_week: WorkingWeek::parse(&p.working_week).unwrap_or_default().days(),
        email: p.email,
        display_name: p.display_name,
        manager_email: p.manager_email,
        location: p.location,
        timezone: p.timezone,
        allowance_days: p.allowance_days.map(|d| Days::from_stored(d).as_f64()),
        start_date: p.start_date.map(|d| d.to_string()),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustmentBody {
    email: String,
    leave_type: Option<NameOrId>,
    year: i32,
    days: serde_json::Value,
    reason: String,
}

#[post("/adjustments", data = "<body>")]
async fn adjust(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    body: Result<JsonBody<AdjustmentBody>, AppError>,
) -> Result<Created<Answer<BalanceJson>>, AppError> {
    let JsonBody(body) = body?;
    let input = AdjustmentInput {
        days: days_value("days", "adjustment", &body.days)?,
        email: body.email,
        leave_type: body.leave_type.map_or_else(|| "1".to_owned(), NameOrId::text),
        year: body.year,
        reason: body.reason,
    };
    let balance = actions::leave::adjust(app, &user.actor, &input).await?;
    Ok(Created::new("/api/balances").body(Answer(balance.into())))
}

#[derive(Serialize)]
pub struct CalendarJson {
    pub month: String,
    /// The manager whose team is shown, or null for everyone.
    pub team: Option<Email>,
    /// For everyone: the page, and whether there is another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more: Option<bool>,
    pub people: Vec<CalendarPersonJson>,
}

#[derive(Serialize)]
pub struct CalendarPersonJson {
    pub email: Email,
    pub display_name: String,
    pub location: Option<String>,
    /// Only the days that are not plain working days.
    pub days: Vec<CalendarDayJson>,
}

#[derive(Serialize)]
pub struct CalendarDayJson {
    #[serde(serialize_with = "iso::date")]
    pub date: chrono::NaiveDate,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leave_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<&'static str>,
    /// Only for those who may open the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<i32>,
}

fn calendar_json(v: CalendarView) -> CalendarJson {
    use crate::domain::calendar::DayKind;
    let (team, page, more) = match &v.shows {
        Shows::Team { manager, .. } => (Some(manager.clone()), None, None),
        Shows::Everyone { page, more } => (None, Some(*page), Some(*more)),
    };
    let day = |date, kind: &DayKind<usize>| {
        let plain = CalendarDayJson {
            date,
            kind: "",
            name: None,
            status: None,
            leave_type: None,
            part: None,
            request_id: None,
        };
        match kind {
            DayKind::Working => None,
            DayKind::Weekend => Some(CalendarDayJson { kind: "weekend", ..plain }),
            DayKind::Holiday { name, half } => Some(CalendarDayJson {
                kind: "holiday",
                name: Some(name.clone()),
                part: half.then_some("afternoon"),
                ..plain
            }),
            DayKind::Leave { leave, part } => v.leave.get(*leave).map(|s| CalendarDayJson {
                kind: "leave",
                status: Some(s.leave.status.clone()),
                leave_type: Some(s.label.clone()),
                part: Some(part.as_str()),
                request_id: s.may_open.then_some(s.leave.request_id),
                ..plain
            }),
        }
    };
    let people = v
        .rows
        .iter()
        .map(|r| CalendarPersonJson {
            email: r.profile.email.clone(),
            display_name: r.profile.display_name.clone(),
            location: r.location.as_ref().map(|l| l.code().to_owned()),
            days: r.days.iter().filter_map(|(date, kind)| day(*date, kind)).collect(),
        })
        .collect();
    CalendarJson { month: v.month.to_string(), team, page, more, people }
}

/// Who is off in a month: a team (the caller's by default), or everyone a page at a time.
#[get("/calendar?<month>&<team>&<page>")]
async fn calendar(
    user: CurrentUser,
    app: &State<App>,
    month: Option<&str>,
    team: Option<&str>,
    page: Option<i64>,
) -> ApiResult<CalendarJson> {
    let p = actions::calendar::calendar(app, &user.actor, month, team, page, false).await?;
    Ok(Answer(calendar_json(p.view)))
}

#[derive(Serialize)]
pub struct RuleJson {
    pub id: i32,
    pub team: Option<Email>,
    pub kind: &'static str,
    pub max_off: Option<i32>,
    #[serde(serialize_with = "iso::optional_date")]
    pub start_date: Option<chrono::NaiveDate>,
    #[serde(serialize_with = "iso::optional_date")]
    pub end_date: Option<chrono::NaiveDate>,
    pub name: Option<String>,
    pub mode: &'static str,
    /// The rule in a sentence.
    pub description: String,
}

impl From<Rule> for RuleJson {
    fn from(r: Rule) -> Self {
        RuleJson {
            id: r.id,
            kind: r.kind.as_str(),
            max_off: match r.kind {
                Kind::MaxOff(n) => Some(n),
                Kind::Blackout => None,
            },
            start_date: r.period.map(|p| p.start),
            end_date: r.period.map(|p| p.end),
            mode: r.mode.as_str(),
            description: r.describe(),
            team: r.team,
            name: r.name,
        }
    }
}

#[get("/coverage-rules")]
async fn coverage_rules(user: CurrentUser, app: &State<App>) -> ApiResult<Vec<RuleJson>> {
    let rules = actions::calendar::rules(app, &user.actor).await?;
    Ok(Answer(rules.into_iter().map(RuleJson::from).collect()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleBody {
    team: Option<String>,
    kind: String,
    max_off: Option<i64>,
    start_date: Option<String>,
    end_date: Option<String>,
    name: Option<String>,
    mode: String,
}

#[post("/coverage-rules", data = "<body>")]
async fn add_coverage_rule(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    body: Result<JsonBody<RuleBody>, AppError>,
) -> Result<Created<Answer<RuleJson>>, AppError> {
    let JsonBody(b) = body?;
    let input = RuleInput {
        team: b.team,
        kind: b.kind,
        max_off: b.max_off,
        start_date: b.start_date,
        end_date: b.end_date,
        name: b.name,
        mode: b.mode,
    };
    let rule = actions::calendar::add_rule(app, &user.actor, &input).await?;
    Ok(Created::new(format!("/api/coverage-rules/{}", rule.id)).body(Answer(RuleJson::from(rule))))
}

#[delete("/coverage-rules/<id>")]
async fn remove_coverage_rule(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    id: i32,
) -> Result<HttpStatus, AppError> {
    actions::calendar::remove_rule(app, &user.actor, id).await?;
    Ok(HttpStatus::NoContent)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesJson {
    pub email: bool,
    pub chat: bool,
    pub digest: bool,
}

impl From<Preferences> for PreferencesJson {
    fn from(p: Preferences) -> Self {
        PreferencesJson { email: p.email, chat: p.chat, digest: p.digest }
    }
}

/// What you choose to hear about by email, in chat, and in the approvers' daily digest.
#[get("/me/notifications")]
async fn my_notifications(user: CurrentUser, app: &State<App>) -> ApiResult<PreferencesJson> {
    Ok(Answer(actions::notifications::my_preferences(app, &user.actor).await?.into()))
}

#[put("/me/notifications", data = "<body>")]
async fn set_my_notifications(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    body: Result<JsonBody<PreferencesJson>, AppError>,
) -> ApiResult<PreferencesJson> {
    let JsonBody(b) = body?;
    let p = Preferences { email: b.email, chat: b.chat, digest: b.digest };
    Ok(Answer(actions::notifications::save_preferences(app, &user.actor, p).await?.into()))
}

#[derive(Serialize)]
pub struct NotificationJson {
    pub id: i32,
    pub kind: String,
    pub request_id: Option<i32>,
    pub recipient: Email,
    pub channel: &'static str,
    pub subject: String,
    pub state: String,
    pub attempts: i32,
    #[serde(serialize_with = "iso::utc")]
    pub next_attempt_at: NaiveDateTime,
    #[serde(serialize_with = "iso::utc")]
    pub give_up_at: NaiveDateTime,
    pub last_error: Option<String>,
    #[serde(serialize_with = "iso::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "iso::optional_utc")]
    pub sent_at: Option<NaiveDateTime>,
}

impl From<Notification> for NotificationJson {
    fn from(n: Notification) -> Self {
        NotificationJson {
            channel: n.channel().as_str(),
            id: n.id,
            kind: n.kind,
            request_id: n.request_id,
            recipient: n.recipient,
            subject: n.subject,
            state: n.state,
            attempts: n.attempts,
            next_attempt_at: n.next_attempt_at,
            give_up_at: n.give_up_at,
            last_error: n.last_error,
            created_at: n.created_at,
            sent_at: n.sent_at,
        }
    }
}

/// Admins: the newest 100 notifications in a state (dead by default).
#[get("/notifications?<state>")]
async fn notifications(user: CurrentUser, app: &State<App>, state: Option<&str>) -> ApiResult<Vec<NotificationJson>> {
    let found = actions::notifications::list(app, &user.actor, state).await?;
    Ok(Answer(found.into_iter().map(NotificationJson::from).collect()))
}

/// Admins: sends a dead notification again, now.
#[post("/notifications/<id>/retry")]
async fn retry_notification(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    id: i32,
) -> ApiResult<NotificationJson> {
    Ok(Answer(actions::notifications::retry(app, &user.actor, id).await?.into()))
}
