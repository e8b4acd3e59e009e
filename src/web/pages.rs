//! The HTML routes. Each works as a plain form post with a redirect, and with htmx as a
//! fragment swapped into the page. They reach the data only through `actions`, and their
//! markup only through `views`.

use super::PageError;
use super::guards::{CurrentUser, DEV_USER_COOKIE, DevOnly, FormBody, Htmx, SameOrigin};
use crate::actions::{self, App, Listed, RequestInput};
use crate::domain::{Actor, Email, Invalid, Status};
use crate::error::AppError;
use crate::models::request::Cursor;
use crate::views::layout::{Tone, alert};
use crate::views::pages as views;
use crate::views::requests::{Back, request_form};
use maud::Markup;
use rocket::form::FromForm;
use rocket::http::{Cookie, CookieJar, SameSite, Status as HttpStatus};
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{Responder, Route, State, get, post, routes};

pub fn routes() -> Vec<Route> {
    routes![home, submit, preview, public_holidays, queue, queue_updates, details, decide, cancel, switch_identity]
}

/// What an HTML route answers when it succeeds.
#[derive(Responder)]
pub enum Reply {
    Html((HttpStatus, Markup)),
    Redirect(Flash<Redirect>),
    Plain(Redirect),
    Nothing(HttpStatus),
}

type PageResult = Result<Reply, PageError>;

fn ok(markup: Markup) -> PageResult {
    Ok(Reply::Html((HttpStatus::Ok, markup)))
}

fn flash_markup(flash: Option<FlashMessage<'_>>) -> Option<Markup> {
    flash.map(|f| alert(if f.kind() == "error" { Tone::Error } else { Tone::Ok }, f.message()))
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<Cursor>, AppError> {
    raw.filter(|c| !c.is_empty())
        .map(|c| {
            Cursor::decode(c).ok_or_else(|| {
                AppError::BadRequest("That page link is not valid; start again from the first page.".into())
            })
        })
        .transpose()
}

/// `?status=` of the queue: a status, `all`, or nothing for `default`.
fn parse_status_filter(raw: Option<&str>, default: Option<Status>) -> Result<Option<Status>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) if s.eq_ignore_ascii_case("all") => Ok(None),
        Some(s) => Status::parse_known(s).map(Some).ok_or_else(|| {
            AppError::BadRequest(format!("'{s}' is not a status; use Pending, Approved, Declined, Cancelled or all."))
        }),
    }
}

#[get("/?<cursor>")]
async fn home(
    user: CurrentUser,
    app: &State<App>,
    flash: Option<FlashMessage<'_>>,
    cursor: Option<&str>,
) -> PageResult {
    let cursor = parse_cursor(cursor)?;
    let (frame, listing, leave) = actions::home(app, &user.actor, cursor, user.switcher).await?;
    let form = request_form(&RequestInput::default(), &leave.types, None, None);
    ok(views::home(&frame, flash_markup(flash), form, &listing, &leave))
}

#[derive(FromForm)]
struct RequestForm {
    #[field(default = String::new())]
    start_date: String,
    #[field(default = String::new())]
    end_date: String,
    comment: Option<String>,
    leave_type: Option<String>,
    start_part: Option<String>,
    end_part: Option<String>,
}

impl From<RequestForm> for RequestInput {
    fn from(f: RequestForm) -> Self {
        RequestInput {
            start_date: f.start_date,
            end_date: f.end_date,
            comment: f.comment,
            leave_type: f.leave_type,
            start_part: f.start_part,
            end_part: f.end_part,
        }
    }
}

/// The live count under the request form: what the request would take and leave. A request
/// that cannot be counted as it stands says why, in the same place, with a 200: nothing was
/// asked for yet.
#[post("/requests/preview", data = "<form>")]
async fn preview(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<RequestForm>,
) -> PageResult {
    let FormBody(form) = form;
    let input = RequestInput::from(form);
    if input.start_date.trim().is_empty() || input.end_date.trim().is_empty() {
        return ok(
            maud::html! { p .preview-text .muted { "Choose the first and last day to see what the request takes." } },
        );
    }
    match actions::leave::preview(app, &user.actor, &input).await {
        Ok(p) => ok(crate::views::leave::preview(Ok(&p))),
        Err(e @ AppError::Invalid(_)) => ok(crate::views::leave::preview(Err(&e))),
        Err(e) => Err(e.into()),
    }
}

/// A location's public holidays in a year: the viewer's own unless another is asked for.
#[get("/public-holidays?<location>&<year>")]
async fn public_holidays(user: CurrentUser, app: &State<App>, location: Option<&str>, year: Option<i32>) -> PageResult {
    match actions::leave::holidays_page(app, &user.actor, location, year, user.switcher).await {
        Ok((frame, p)) => ok(crate::views::leave::holidays_page(&frame, &p, None)),
        Err(AppError::Invalid(why)) => {
            let (frame, p) = actions::leave::holidays_page(app, &user.actor, None, None, user.switcher).await?;
            let page = crate::views::leave::holidays_page(&frame, &p, Some(&why.message));
            Ok(Reply::Html((HttpStatus::UnprocessableEntity, page)))
        }
        Err(e) => Err(e.into()),
    }
}

#[post("/requests", data = "<form>")]
async fn submit(
    user: CurrentUser,
    _same_origin: SameOrigin,
    htmx: Htmx,
    app: &State<App>,
    form: FormBody<RequestForm>,
) -> PageResult {
    let FormBody(form) = form;
    let input = RequestInput::from(form);
    match actions::submit(app, &user.actor, &input).await {
        Ok(item) => {
            let r = &item.request;
            let what = item.leave_type.as_ref().map_or("Leave", |t| t.name.as_str());
            let outcome = if r.status == Status::Approved { "recorded as approved" } else { "waiting for a decision" };
            let mut message = format!(
                "Request #{} is sent: {what}, {} from {} to {}, {outcome}.",
                r.request_id,
                crate::views::leave::days(r.days()),
                r.start_date,
                r.end_date
            );
            if let Some(b) = &item.balance_after {
                message.push_str(&format!(" Left after it: {}.", crate::views::leave::days(b.available)));
            }
            if htmx.0 {
                let leave = actions::my_leave(app, &user.actor).await?;
                ok(views::submitted(&item, &message, &leave))
            } else {
                Ok(Reply::Redirect(Flash::success(Redirect::to("/"), message)))
            }
        }
        // A refusal of the input itself comes back in the form, with what was typed.
        Err(e @ AppError::Invalid(_)) if htmx.0 => {
            let leave = actions::my_leave(app, &user.actor).await?;
            Ok(Reply::Html((e.status(), views::refused_form(&input, &leave, &e))))
        }
        Err(e @ AppError::Invalid(_)) => {
            let (frame, listing, leave) = actions::home(app, &user.actor, None, user.switcher).await?;
            let form = views::refused_form(&input, &leave, &e);
            Ok(Reply::Html((e.status(), views::home(&frame, None, form, &listing, &leave))))
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/queue?<status>&<cursor>")]
async fn queue(
    user: CurrentUser,
    app: &State<App>,
    flash: Option<FlashMessage<'_>>,
    status: Option<&str>,
    cursor: Option<&str>,
) -> PageResult {
    let filter = parse_status_filter(status, Some(Status::Pending))?;
    let cursor = parse_cursor(cursor)?;
    let q = actions::queue(app, &user.actor, filter.clone(), cursor, user.switcher).await?;
    ok(views::queue(&q, filter.as_ref(), flash_markup(flash)))
}

/// New pending requests for an open queue page. `status` is accepted for pages served before
/// the poller stopped sending it, and checked like any other input.
#[get("/queue/updates?<after>&<status>")]
async fn queue_updates(user: CurrentUser, app: &State<App>, after: i32, status: Option<&str>) -> PageResult {
    parse_status_filter(status, None)?;
    let (items, waiting) = actions::queue_updates(app, &user.actor, after).await?;
    let Some(newest) = items.iter().map(|i| i.request.request_id).max() else {
        return Ok(Reply::Nothing(HttpStatus::NoContent));
    };
    ok(views::queue_updates(&items, waiting, newest))
}

#[get("/requests/<id>")]
async fn details(user: CurrentUser, app: &State<App>, flash: Option<FlashMessage<'_>>, id: i32) -> PageResult {
    let page = actions::request_page(app, &user.actor, id, user.switcher).await?;
    ok(views::request(&page, flash_markup(flash), None))
}

#[derive(FromForm)]
struct DecisionForm {
    #[field(default = String::new())]
    decision: String,
    note: Option<String>,
    back: Option<String>,
    /// An admin approving over a blocking coverage rule.
    r#override: Option<bool>,
}

/// The request as it is now, after a change was refused, when it can still be read.
async fn current_row(app: &App, actor: &Actor, id: i32) -> Option<Listed> {
    actions::details(app, actor, id).await.ok().map(|(item, _)| item)
}

#[post("/requests/<id>/decision", data = "<form>")]
async fn decide(
    id: i32,
    user: CurrentUser,
    _same_origin: SameOrigin,
    htmx: Htmx,
    app: &State<App>,
    form: FormBody<DecisionForm>,
) -> PageResult {
    let FormBody(form) = form;
    let back = Back::parse(form.back.as_deref(), Back::Queue);
    match actions::decide(app, &user.actor, id, &form.decision, form.note.as_deref(), form.r#override.unwrap_or(false))
        .await
    {
        Ok(item) => {
            let message = format!("You {} request #{id}.", item.request.status.as_str().to_lowercase());
            if !htmx.0 {
                return Ok(Reply::Redirect(Flash::success(Redirect::to(back.path(id)), message)));
            }
            // The decision is committed: failing to count now must not turn it into an error.
            let waiting = actions::waiting(app, &user.actor).await.inspect_err(AppError::log).ok().flatten();
            ok(views::decided(&item, &message, waiting))
        }
        Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) => {
            let offer_override = matches!(&e, AppError::Invalid(i) if i.field == "override")
                || (form.r#override == Some(true) && matches!(&e, AppError::Invalid(_)));
            let kept = matches!(e, AppError::Invalid(_)).then_some(form.note.as_deref()).flatten();
            if !htmx.0 {
                // Without JavaScript: the request's page, with the reason, the note as typed and,
                // for an admin, the override to confirm.
                let Ok(mut page) = actions::request_page(app, &user.actor, id, user.switcher).await else {
                    return Err(e.into());
                };
                page.item.offer_override = offer_override;
                let flash = Some(alert(Tone::Error, e.message()));
                return Ok(Reply::Html((e.status(), views::request(&page, flash, kept))));
            }
            let Some(mut item) = current_row(app, &user.actor, id).await else { return Err(e.into()) };
            item.offer_override = offer_override;
            Ok(Reply::Html((e.status(), views::decision_refused(&item, &e, kept))))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(FromForm)]
struct CancelForm {
    back: Option<String>,
}

#[post("/requests/<id>/cancel", data = "<form>")]
async fn cancel(
    id: i32,
    user: CurrentUser,
    _same_origin: SameOrigin,
    htmx: Htmx,
    app: &State<App>,
    form: FormBody<CancelForm>,
) -> PageResult {
    let back = Back::parse(form.0.back.as_deref(), Back::Home);
    match actions::cancel(app, &user.actor, id).await {
        Ok(item) => {
            let message = format!("Request #{id} is cancelled.");
            if !htmx.0 {
                return Ok(Reply::Redirect(Flash::success(Redirect::to(back.path(id)), message)));
            }
            ok(views::my_row_with(&item, Tone::Ok, &message))
        }
        Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) if htmx.0 => {
            let Some(item) = current_row(app, &user.actor, id).await else { return Err(e.into()) };
            Ok(Reply::Html((e.status(), views::my_row_with(&item, Tone::Error, e.message()))))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(FromForm)]
struct IdentityForm {
    #[field(default = String::new())]
    email: String,
}

/// The development identity switcher. It does not exist behind the Databricks Apps proxy.
#[post("/dev/identity", data = "<form>")]
fn switch_identity(
    _dev: DevOnly,
    _same_origin: SameOrigin,
    cookies: &CookieJar<'_>,
    form: FormBody<IdentityForm>,
) -> PageResult {
    let email = Email::parse(&form.0.email)
        .map_err(|e| AppError::Invalid(Invalid::new("email", format!("'{}' {e}.", form.0.email))))?;
    cookies.add(Cookie::build((DEV_USER_COOKIE, email.to_string())).path("/").same_site(SameSite::Lax).http_only(true));
    Ok(Reply::Plain(Redirect::to("/")))
}
