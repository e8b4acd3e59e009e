//! Notification pages: each person's choices, and the admins' view of the outbox.

use super::PageError;
use super::guards::{CurrentUser, FormBody, SameOrigin};
use super::pages::Reply;
use crate::actions::{App, notifications as actions};
use crate::models::notification::Preferences;
use crate::views::layout::{Tone, alert};
use crate::views::notify as views;
use rocket::form::FromForm;
use rocket::http::Status as HttpStatus;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

pub fn routes() -> Vec<Route> {
    routes![preferences, save_preferences, outbox, retry]
}

type PageResult = Result<Reply, PageError>;

fn flash_markup(flash: Option<FlashMessage<'_>>) -> Option<maud::Markup> {
    flash.map(|f| alert(if f.kind() == "error" { Tone::Error } else { Tone::Ok }, f.message()))
}

#[get("/me/notifications")]
async fn preferences(user: CurrentUser, app: &State<App>, flash: Option<FlashMessage<'_>>) -> PageResult {
    let (frame, p) = actions::preferences_page(app, &user.actor, user.switcher).await?;
    Ok(Reply::Html((HttpStatus::Ok, views::preferences_page(&frame, p, &app.settings.notify, flash_markup(flash)))))
}

/// Unchecked boxes are not sent: absent means off.
#[derive(FromForm)]
struct PreferencesForm {
    email: Option<bool>,
    chat: Option<bool>,
    digest: Option<bool>,
}

#[post("/me/notifications", data = "<form>")]
async fn save_preferences(
    user: CurrentUser,
    _same_origin: SameOrigin,
    app: &State<App>,
    form: FormBody<PreferencesForm>,
) -> PageResult {
    let FormBody(f) = form;
    let p = Preferences {
        email: f.email.unwrap_or(false),
        chat: f.chat.unwrap_or(false),
        digest: f.digest.unwrap_or(false),
    };
    actions::save_preferences(app, &user.actor, p).await?;
    Ok(Reply::Redirect(Flash::success(Redirect::to("/me/notifications"), "Your choices are saved.")))
}

#[get("/admin/notifications?<state>")]
async fn outbox(
    user: CurrentUser,
    app: &State<App>,
    state: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> PageResult {
    let (frame, rows) = actions::outbox_page(app, &user.actor, state, user.switcher).await?;
    let state = state.filter(|s| !s.trim().is_empty()).unwrap_or("dead");
    Ok(Reply::Html((HttpStatus::Ok, views::outbox_page(&frame, &rows, state, flash_markup(flash)))))
}

#[post("/admin/notifications/<id>/retry")]
async fn retry(user: CurrentUser, _same_origin: SameOrigin, app: &State<App>, id: i32) -> PageResult {
    let n = actions::retry(app, &user.actor, id).await?;
    Ok(Reply::Redirect(Flash::success(
        Redirect::to("/admin/notifications?state=waiting"),
        format!("Notification #{} is waiting to be sent again.", n.id),
    )))
}
