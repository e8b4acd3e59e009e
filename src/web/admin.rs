//! The admins' pages: the leave policy as forms. Each form posts, and on success redirects back
//! with a message; a refused one comes back with what was typed and the sentence (422).

use super::PageError;
use super::guards::{CurrentUser, FormBody, SameOrigin};
use super::pages::Reply;
use crate::actions::App;
use crate::actions::leave::{self, AdjustmentInput, HolidayInput, PersonInput, TypeInput};
use crate::domain::Invalid;
use crate::domain::leave::WorkingWeek;
use crate::error::AppError;
use crate::views::admin::{self as views, Kept};
use crate::views::layout::{Tone, alert};
use rocket::http::Status as HttpStatus;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};
use std::collections::HashMap;

pub fn routes() -> Vec<Route> {
    routes![page, create_type, update_type, person, adjust, add_holiday, remove_holiday]
}

type Fields = HashMap<String, String>;

fn text(f: &Fields, name: &str) -> Option<String> {
    f.get(name).map(|v| v.trim().to_owned())
}

/// An optional field that an empty value clears.
fn clearable(f: &Fields, name: &str) -> Option<Option<String>> {
    text(f, name).map(|v| Some(v).filter(|v| !v.is_empty()))
}

/// Where to come back to: the person and location the form was about.
fn back(email: Option<&str>, location: Option<&str>) -> String {
    let mut query = Vec::new();
    if let Some(e) = email.filter(|e| !e.is_empty()) {
        query.push(format!("email={}", urlencoding(e)));
    }
    if let Some(l) = location.filter(|l| !l.is_empty() && *l != "*") {
        query.push(format!("location={}", urlencoding(l)));
    }
    if query.is_empty() { "/admin".into() } else { format!("/admin?{}", query.join("&")) }
}

/// Percent-encodes what goes into a query: emails and location codes are ASCII.
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[get("/admin?<email>&<location>&<year>")]
async fn page(
    user: CurrentUser,
    app: &State<App>,
    flash: Option<FlashMessage<'_>>,
    email: Option<&str>,
    location: Option<&str>,
    year: Option<i32>,
) -> Result<Reply, PageError> {
    let flash = flash.map(|f| alert(if f.kind() == "error" { Tone::Error } else { Tone::Ok }, f.message()));
    match leave::admin_page(app, &user.actor, email, location, year, user.switcher).await {
        Ok((frame, p)) => Ok(Reply::Html((HttpStatus::Ok, views::admin(&frame, &p, flash, None, None)))),
        // A person or location that cannot be shown: the page without it, saying why.
        Err(AppError::Invalid(why)) => {
            let (frame, p) = leave::admin_page(app, &user.actor, None, None, None, user.switcher).await?;
            let page = views::admin(&frame, &p, None, Some(&why.message), None);
            Ok(Reply::Html((HttpStatus::UnprocessableEntity, page)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The outcome of a form: back with a message, or the page again with the form as typed.
async fn answer(
    app: &App,
    user: &CurrentUser,
    fields: Fields,
    outcome: Result<String, AppError>,
    email: Option<String>,
    location: Option<String>,
) -> Result<Reply, PageError> {
    match outcome {
        Ok(message) => {
            Ok(Reply::Redirect(Flash::success(Redirect::to(back(email.as_deref(), location.as_deref())), message)))
        }
        Err(AppError::Invalid(why)) => {
            let (frame, p) = leave::admin_page(app, &user.actor, email.as_deref(), None, None, user.switcher)
                .await
                .or(leave::admin_page(app, &user.actor, None, None, None, user.switcher).await)?;
            let kept = Kept { form: fields.get("form").cloned().unwrap_or_default(), values: fields };
            let page = views::admin(&frame, &p, None, Some(&why.message), Some(&kept));
            Ok(Reply::Html((HttpStatus::UnprocessableEntity, page)))
        }
        Err(e) => Err(e.into()),
    }
}

fn type_input(f: &Fields) -> TypeInput {
    let on = |name: &str| Some(f.get(name).is_some_and(|v| !v.is_empty()));
    TypeInput {
        name: text(f, "name"),
        colour: text(f, "colour"),
        deducted: on("deducted"),
        needs_approval: on("needs_approval"),
        private: on("private"),
        half_days: on("half_days"),
        overdraw: text(f, "overdraw"),
        active: on("active"),
    }
}

#[post("/admin/leave-types", data = "<form>")]
async fn create_type(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<Fields>,
) -> Result<Reply, PageError> {
    let FormBody(fields) = form;
    let outcome =
        leave::create_type(app, &user.actor, &type_input(&fields)).await.map(|t| format!("{} is added.", t.name));
    answer(app, &user, fields, outcome, None, None).await
}

#[post("/admin/leave-types/<id>", data = "<form>")]
async fn update_type(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    id: i32,
    form: FormBody<Fields>,
) -> Result<Reply, PageError> {
    let FormBody(fields) = form;
    let outcome =
        leave::update_type(app, &user.actor, id, &type_input(&fields)).await.map(|t| format!("{} is saved.", t.name));
    answer(app, &user, fields, outcome, None, None).await
}

#[post("/admin/people", data = "<form>")]
async fn person(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<Fields>,
) -> Result<Reply, PageError> {
    let FormBody(fields) = form;
    let email = text(&fields, "email").unwrap_or_default();
    let outcome = async {
        let week = match text(&fields, "working_week").filter(|w| !w.is_empty()) {
            Some(w) => Some(WorkingWeek::parse(&w)?),
            None => Some(WorkingWeek::default()),
        };
        let allowance_days = match clearable(&fields, "allowance_days") {
            Some(Some(a)) => Some(Some(a.parse::<f64>().map_err(|_| {
                Invalid::new("allowance_days", "The allowance must be a number of days, like 25 or 12.5.")
            })?)),
            Some(None) => Some(None),
            None => None,
        };
        let input = PersonInput {
            display_name: text(&fields, "display_name"),
            manager_email: clearable(&fields, "manager_email"),
            location: clearable(&fields, "location"),
            working_week: week,
            timezone: clearable(&fields, "timezone"),
            allowance_days,
            start_date: clearable(&fields, "start_date"),
        };
        leave::update_person(app, &user.actor, &email, &input).await.map(|p| format!("{} is saved.", p.email))
    }
    .await;
    answer(app, &user, fields.clone(), outcome, Some(email), None).await
}

#[post("/admin/adjustments", data = "<form>")]
async fn adjust(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<Fields>,
) -> Result<Reply, PageError> {
    let FormBody(fields) = form;
    let email = text(&fields, "email").unwrap_or_default();
    let outcome = async {
        let year = text(&fields, "year")
            .and_then(|y| y.parse::<i32>().ok())
            .ok_or_else(|| Invalid::new("year", "The leave year must be a year like 2027."))?;
        let days = text(&fields, "days")
            .and_then(|d| d.parse::<f64>().ok())
            .ok_or_else(|| Invalid::new("days", "The adjustment must be a number of days, like 2 or -1.5."))?;
        let input = AdjustmentInput {
            email: email.clone(),
            leave_type: text(&fields, "leave_type").unwrap_or_else(|| "1".into()),
            year,
            days,
            reason: text(&fields, "reason").unwrap_or_default(),
        };
        leave::adjust(app, &user.actor, &input).await.map(|b| {
            format!("{}'s {} for {} is adjusted: {} left.", b.email, b.leave_type, b.balance.year, b.balance.available)
        })
    }
    .await;
    answer(app, &user, fields.clone(), outcome, Some(email), None).await
}

fn holiday_input(f: &Fields) -> HolidayInput {
    HolidayInput {
        location: text(f, "location"),
        date: text(f, "date").unwrap_or_default(),
        name: text(f, "name"),
        half_day: f.get("half_day").is_some_and(|v| !v.is_empty()),
    }
}

#[post("/admin/public-holidays", data = "<form>")]
async fn add_holiday(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<Fields>,
) -> Result<Reply, PageError> {
    let FormBody(fields) = form;
    let input = holiday_input(&fields);
    let outcome = leave::add_public_holiday(app, &user.actor, &input)
        .await
        .map(|h| format!("{} on {} is added.", h.name, h.date));
    answer(app, &user, fields, outcome, None, input.location).await
}

#[post("/admin/public-holidays/remove", data = "<form>")]
async fn remove_holiday(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<Fields>,
) -> Result<Reply, PageError> {
    let FormBody(fields) = form;
    let input = holiday_input(&fields);
    let outcome = leave::remove_public_holiday(app, &user.actor, &input)
        .await
        .map(|()| format!("{} is no longer a holiday there.", input.date));
    answer(app, &user, fields, outcome, None, input.location).await
}
