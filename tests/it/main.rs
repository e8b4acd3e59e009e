//! In-process tests of the whole app, through Rocket's local client: real routing, real
//! database, no port. Each test in `on_both_backends!` runs on SQLite and on Postgres.

mod api;
mod calendar;
mod hardening;
mod lakebase;
mod leave;
mod notifications;
mod pages;
mod resilience;
pub mod rules;
mod support;
