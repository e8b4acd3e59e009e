//! HTTP: routes, guards, catchers and headers.

pub mod api;
pub mod assets;
pub mod guards;
pub mod pages;

use crate::error::{AppError, ErrorBody, INTERNAL, UNAUTHORIZED};
use crate::views::layout::{Tone, alert, error_page};
use guards::{GuardFailure, Htmx};
use maud::Markup;
use rocket::fairing::AdHoc;
use rocket::http::{Header, Status};
use rocket::serde::json::Json;
use rocket::{Build, Request, Rocket, catch, catchers};

pub fn mount(rocket: Rocket<Build>) -> Rocket<Build> {
    rocket
        .mount("/", pages::routes())
        .mount("/", assets::routes())
        .mount("/api", api::routes())
        .mount("/", api::health_routes())
        .register("/", catchers![html_catcher])
        .register("/api", catchers![json_catcher])
        .attach(AdHoc::on_response("security headers", |_, res| {
            Box::pin(async move {
                res.set_header(Header::new(
                    "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
                ));
                res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
                res.set_header(Header::new("Referrer-Policy", "same-origin"));
            })
        }))
}

/// The sentence for an error Rocket answered before any handler ran.
fn catcher_message(status: Status, req: &Request<'_>) -> String {
    if let Some(message) = &req.local_cache(|| GuardFailure(None)).0 {
        return message.clone();
    }
    match status.code {
        401 => UNAUTHORIZED.into(),
        404 => "There is nothing at this address.".into(),
        413 => "What was sent is too large.".into(),
        400 | 422 => "The request could not be read: a field is missing or has the wrong form.".into(),
        500 => INTERNAL.into(),
        _ => format!("The request could not be answered ({status})."),
    }
}

#[catch(default)]
fn html_catcher(status: Status, req: &Request<'_>) -> (Status, Markup) {
    let message = catcher_message(status, req);
    let htmx = req.headers().get_one("HX-Request").is_some();
    let body =
        if htmx { alert(Tone::Error, &message) } else { error_page(status.reason().unwrap_or("Error"), &message) };
    (status, body)
}

#[catch(default)]
fn json_catcher(status: Status, req: &Request<'_>) -> (Status, Json<serde_json::Value>) {
    let message = catcher_message(status, req);
    let body = serde_json::to_value(ErrorBody { error: &message, field: None }).unwrap_or_default();
    (status, Json(body))
}

/// Answers an HTML route's error: a fragment for htmx, shown in the page's message area so
/// nothing typed elsewhere on the page is replaced, or a whole page without JavaScript.
pub fn html_error(err: AppError, htmx: Htmx) -> pages::Reply {
    err.log();
    let status = err.status();
    if htmx.0 {
        pages::Reply::Retarget(pages::Retargeted {
            inner: (status, alert(Tone::Error, err.message())),
            target: Header::new("HX-Retarget", "#flash"),
            swap: Header::new("HX-Reswap", "innerHTML"),
        })
    } else {
        pages::Reply::Html((status, error_page(status.reason().unwrap_or("Error"), err.message())))
    }
}
