//! The two static files, compiled into the binary so it serves them from any working folder.
//! Their URLs carry the package version, so browsers may cache them for a long time.

pub const CSS_URL: &str = concat!("/static/app.css?v=", env!("CARGO_PKG_VERSION"));
pub const HTMX_URL: &str = concat!("/static/htmx.min.js?v=", env!("CARGO_PKG_VERSION"));

pub const CSS: &str = include_str!("../../static/app.css");
pub const HTMX: &str = include_str!("../../static/htmx.min.js");
