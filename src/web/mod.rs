//! HTTP: routes, guards, catchers and headers.

pub mod admin;
pub mod api;
pub mod calendar;
pub mod guards;
pub mod notifications;
pub mod pages;

use crate::error::{AppError, ErrorBody, INTERNAL, UNAUTHORIZED};
use crate::views::{assets, ids, layout, pages as views};
use guards::{GuardFailure, is_htmx};
use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{self, Responder};
use rocket::serde::json::Json;
use rocket::shield::{Frame, Permission, Referrer, Shield};
use rocket::{Build, Request, Response, Rocket, catch, catchers, get, routes};

pub fn mount(rocket: Rocket<Build>) -> Rocket<Build> {
    rocket
        .mount("/", pages::routes())
        .mount("/", admin::routes())
        .mount("/", calendar::routes())
        .mount("/", notifications::routes())
        .mount("/", routes![css, htmx])
        .mount("/api", api::routes())
        .mount("/", api::health_routes())
        .register("/", catchers![html_catcher])
        .register("/api", catchers![json_catcher])
        // Rocket's Shield sets the standard headers; what it lacks is added below.
        .attach(Shield::default().enable(Referrer::SameOrigin).enable(Frame::SameOrigin).enable(Permission::default()))
        .attach(AdHoc::on_response("content policy and caching", |_, res| {
            Box::pin(async move {
                res.set_header(Header::new(
                    "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
                ));
                // Pages and answers are about one person: never keep them in a shared cache,
                // nor in the browser's history cache for the next person on the machine.
                if !res.headers().contains("Cache-Control") {
                    res.set_header(Header::new("Cache-Control", "no-store"));
                }
            })
        }))
}

/// A static file, cacheable for a day (its URL changes with each version).
#[derive(rocket::Responder)]
struct Asset {
    body: &'static str,
    kind: ContentType,
    cache: Header<'static>,
}

fn asset(body: &'static str, kind: ContentType) -> Asset {
    Asset { body, kind, cache: Header::new("Cache-Control", "public, max-age=86400") }
}

#[get("/static/app.css")]
fn css() -> Asset {
    asset(assets::CSS, ContentType::CSS)
}

#[get("/static/htmx.min.js")]
fn htmx() -> Asset {
    asset(assets::HTMX, ContentType::JavaScript)
}

/// An HTML route's error: a page, or for htmx a message shown in the page's message area, so
/// nothing typed elsewhere on the page is replaced. Routes return it with `?`.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl<'r> Responder<'r, 'static> for PageError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.0.log();
        error_response(self.0.status(), self.0.message(), req)
    }
}

/// The one rendering of an HTML error, for routes and catchers alike.
fn error_response(status: Status, message: &str, req: &Request<'_>) -> response::Result<'static> {
    if is_htmx(req) {
        Response::build_from(views::flash_error(message).respond_to(req)?)
            .status(status)
            .raw_header("HX-Retarget", ids::selector(ids::FLASH))
            .raw_header("HX-Reswap", "innerHTML")
            .ok()
    } else {
        let page = layout::error_page(status.reason().unwrap_or("Error"), message);
        Response::build_from(page.respond_to(req)?).status(status).ok()
    }
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

/// A catcher's answer: the same rendering as a route's error.
struct Caught(Status, String);

impl<'r> Responder<'r, 'static> for Caught {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        error_response(self.0, &self.1, req)
    }
}

#[catch(default)]
fn html_catcher(status: Status, req: &Request<'_>) -> Caught {
    Caught(status, catcher_message(status, req))
}

#[catch(default)]
fn json_catcher(status: Status, req: &Request<'_>) -> (Status, Json<serde_json::Value>) {
    let message = catcher_message(status, req);
    let body = serde_json::to_value(ErrorBody { error: &message, field: None }).unwrap_or_default();
    (status, Json(body))
}
