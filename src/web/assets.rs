//! The two static files, compiled into the binary so it serves them from any working folder.
//! Their URLs carry the package version, so browsers may cache them for a long time.

use rocket::http::{ContentType, Header};
use rocket::{Responder, Route, get, routes};

pub const CSS_URL: &str = concat!("/static/app.css?v=", env!("CARGO_PKG_VERSION"));
pub const HTMX_URL: &str = concat!("/static/htmx.min.js?v=", env!("CARGO_PKG_VERSION"));

#[derive(Responder)]
pub struct Asset {
    body: &'static str,
    kind: ContentType,
    cache: Header<'static>,
}

fn asset(body: &'static str, kind: ContentType) -> Asset {
    Asset { body, kind, cache: Header::new("Cache-Control", "public, max-age=86400") }
}

#[get("/static/app.css")]
fn css() -> Asset {
    asset(include_str!("../../static/app.css"), ContentType::CSS)
}

#[get("/static/htmx.min.js")]
fn htmx() -> Asset {
    asset(include_str!("../../static/htmx.min.js"), ContentType::JavaScript)
}

pub fn routes() -> Vec<Route> {
    routes![css, htmx]
}
