//! The calendar's HTML routes: the wall chart (a page, or for htmx the chart alone), the
//! coverage rules page, and calendar files.

use super::PageError;
use super::guards::{CurrentUser, FormBody, Htmx, SameOrigin};
use super::pages::Reply;
use crate::actions::calendar::{self as cal, RuleInput, Shown};
use crate::actions::{App, calendar};
use crate::domain::Status;
use crate::error::AppError;
use crate::views::calendar as views;
use crate::views::ics::{IcsEvent, calendar as ics_file};
use crate::views::layout::{Tone, alert};
use rocket::form::FromForm;
use rocket::http::{Header, Status as HttpStatus};
use rocket::request::{FlashMessage, FromParam};
use rocket::response::{Flash, Redirect};
use rocket::{Responder, Route, State, get, post, routes};

pub fn routes() -> Vec<Route> {
    routes![month, rules_page, add_rule, remove_rule, calendar_file, request_file]
}

type PageResult = Result<Reply, PageError>;

#[get("/calendar?<month>&<team>&<page>")]
async fn month(
    user: CurrentUser,
    htmx: Htmx,
    app: &State<App>,
    month: Option<&str>,
    team: Option<&str>,
    page: Option<i64>,
) -> PageResult {
    let p = calendar::calendar(app, &user.actor, month, team, page, user.switcher).await?;
    if htmx.0 {
        return Ok(Reply::Html((HttpStatus::Ok, views::chart_fragment(&p.view))));
    }
    Ok(Reply::Html((HttpStatus::Ok, views::calendar_page(&p.frame, &p.view))))
}

#[get("/coverage")]
async fn rules_page(user: CurrentUser, app: &State<App>, flash: Option<FlashMessage<'_>>) -> PageResult {
    let p = calendar::rules_page(app, &user.actor, user.switcher).await?;
    let flash = flash.map(|f| alert(if f.kind() == "error" { Tone::Error } else { Tone::Ok }, f.message()));
    Ok(Reply::Html((HttpStatus::Ok, views::rules_page(&p, flash, None))))
}

#[derive(FromForm)]
struct RuleForm {
    team: Option<String>,
    #[field(default = String::new())]
    kind: String,
    max_off: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    name: Option<String>,
    #[field(default = String::new())]
    mode: String,
}

/// What a form's limit field holds: nothing, or a whole number.
fn limit_value(raw: Option<&str>) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => r.parse().map(Some).map_err(|_| {
            AppError::Invalid(crate::domain::Invalid::new("max_off", format!("'{r}' is not a whole number of people.")))
        }),
    }
}

#[post("/coverage", data = "<form>")]
async fn add_rule(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<RuleForm>,
) -> PageResult {
    let FormBody(f) = form;
    let added = match limit_value(f.max_off.as_deref()) {
        Ok(max_off) => {
            let input = RuleInput {
                team: f.team,
                kind: f.kind,
                max_off,
                start_date: f.start_date,
                end_date: f.end_date,
                name: f.name,
                mode: f.mode,
            };
            cal::add_rule(app, &user.actor, &input).await
        }
        Err(e) => Err(e),
    };
    match added {
        Ok(rule) => {
            Ok(Reply::Redirect(Flash::success(Redirect::to("/coverage"), format!("Added: {}.", rule.describe()))))
        }
        Err(e @ AppError::Invalid(_)) => {
            let p = calendar::rules_page(app, &user.actor, user.switcher).await?;
            Ok(Reply::Html((e.status(), views::rules_page(&p, None, Some(e.message())))))
        }
        Err(e) => Err(e.into()),
    }
}

#[post("/coverage/<id>/delete")]
async fn remove_rule(user: CurrentUser, _same_origin: SameOrigin, app: &State<App>, id: i32) -> PageResult {
    let rule = cal::remove_rule(app, &user.actor, id).await?;
    Ok(Reply::Redirect(Flash::success(Redirect::to("/coverage"), format!("Removed: {}.", rule.describe()))))
}

/// A calendar file, offered for download.
#[derive(Responder)]
struct IcsFile {
    body: String,
    kind: Header<'static>,
    disposition: Header<'static>,
}

fn ics(body: String, filename: &str) -> IcsFile {
    IcsFile {
        body,
        kind: Header::new("Content-Type", "text/calendar; charset=utf-8"),
        disposition: Header::new("Content-Disposition", format!("attachment; filename=\"{filename}\"")),
    }
}

/// A request as an event: the person's name where the file holds others' leave, the type (or
/// "Off"), and the details the reader may see.
fn event(s: &Shown, name: Option<&str>) -> IcsEvent {
    let l = &s.leave;
    let pending = l.status == Status::Pending;
    let mut summary = match name {
        Some(n) => format!("{n}: {}", s.label),
        None => s.label.clone(),
    };
    if pending {
        summary.push_str(" (pending)");
    }
    let mut description = format!("{}, {}.", crate::views::leave::days(s.days()), l.status.as_str().to_lowercase());
    if l.start_part != Default::default() {
        description.push_str(" Starts at noon.");
    }
    if l.end_part != Default::default() {
        description.push_str(" Ends at noon.");
    }
    if let Some(c) = &s.comment {
        description.push('\n');
        description.push_str(c);
    }
    IcsEvent {
        uid: format!("request-{}@holidays", l.request_id),
        first_day: l.start_date,
        last_day: l.end_date,
        summary,
        description: Some(description),
        tentative: pending,
        changed: l.changed_at(),
        url: None,
    }
}

#[get("/calendar.ics?<scope>&<from>&<to>")]
async fn calendar_file(
    user: CurrentUser,
    app: &State<App>,
    scope: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<IcsFile, PageError> {
    let found = cal::file_events(app, &user.actor, scope, from, to).await?;
    let names = found.scope == cal::Scope::Team;
    let events: Vec<IcsEvent> = found.items.iter().map(|(s, name)| event(s, names.then_some(name.as_str()))).collect();
    Ok(ics(ics_file(&found.name, &events), "leave.ics"))
}

/// `/requests/<id>.ics`: Rocket matches whole segments, so the file name is one parameter.
pub struct IcsName(i32);

impl<'a> FromParam<'a> for IcsName {
    type Error = &'a str;

    fn from_param(param: &'a str) -> Result<Self, Self::Error> {
        param.strip_suffix(".ics").and_then(|id| id.parse().ok()).map(IcsName).ok_or(param)
    }
}

#[get("/requests/<file>", rank = 2)]
async fn request_file(user: CurrentUser, app: &State<App>, file: IcsName) -> Result<IcsFile, PageError> {
    let (shown, name) = cal::request_file(app, &user.actor, file.0).await?;
    let mine = shown.leave.requester == user.actor.email;
    let body = ics_file(&format!("Request #{}", file.0), &[event(&shown, (!mine).then_some(name.as_str()))]);
    Ok(ics(body, &format!("request-{}.ics", file.0)))
}
