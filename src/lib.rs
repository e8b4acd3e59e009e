//! `holidays`: holiday-request approvals for Databricks Apps.
//!
//! [`build`] makes the Rocket instance that `main` launches and that the tests drive, so the
//! tests exercise exactly what production runs.

pub mod actions;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod models;
pub mod notify;
pub mod schema;
pub mod views;
pub mod web;

use actions::App;
use config::{AuthMode, Settings};
use rocket::data::{Limits, ToByteUnit};
use rocket::figment::Figment;
use rocket::{Build, Rocket};

/// Connects, migrates, loads demo data if asked, and assembles the web app.
pub fn build(settings: Settings) -> Result<Rocket<Build>, String> {
    let db = db::Db::open(&settings)?;
    let now = domain::Now::in_zone(&settings.timezone);
    if settings.demo_data
        && db.run_blocking(|conn| demo::load_if_empty(conn, &settings, now)).map_err(|e| {
            e.log();
            format!("cannot load the demo data: {}", e.message())
        })?
    {
        rocket::info!("loaded the demo people and requests into the empty database");
    }
    let rocket = rocket::custom(figment(&settings));
    let app = App { db, settings, wake: notify::Wake::default(), worker: std::sync::OnceLock::new() };
    Ok(with_notify_worker(web::mount(rocket).manage(app)))
}

/// Starts the notification worker with the server, when a channel is configured (without one,
/// notifications are only recorded), and stops it on shutdown (SIGTERM): the row in hand is
/// finished, the rest given back.
fn with_notify_worker(rocket: Rocket<Build>) -> Rocket<Build> {
    use rocket::fairing::AdHoc;
    rocket
        .attach(AdHoc::on_liftoff("notification worker start", |rocket| {
            Box::pin(async move {
                let Some(app) = rocket.state::<App>() else { return };
                let n = &app.settings.notify;
                if n.webhook.is_none() && n.smtp.is_none() {
                    return;
                }
                match notify::Worker::start(app.db.clone(), &app.settings, app.wake.clone()) {
                    Ok(worker) => {
                        let _ = app.worker.set(std::sync::Arc::new(worker));
                    }
                    Err(e) => rocket::error!("{e}"),
                }
            })
        }))
        .attach(AdHoc::on_shutdown("notification worker stop", |rocket| {
            Box::pin(async move {
                if let Some(worker) = rocket.state::<App>().and_then(|a| a.worker.get()).cloned() {
                    let _ = rocket::tokio::task::spawn_blocking(move || worker.stop()).await;
                }
            })
        }))
}

/// Rocket's own configuration (Rocket.toml, `ROCKET_*`), with what the platform decides on top:
/// the port Databricks Apps assigns, and an address that keeps the development identity
/// switcher off the network.
fn figment(settings: &Settings) -> Figment {
    let address = match settings.auth {
        AuthMode::Dev => "127.0.0.1",
        AuthMode::Proxy => "0.0.0.0",
    };
    // Body limits are the app's policy, not the deployment's: set here so they hold wherever the
    // binary starts, with or without a Rocket.toml beside it. Multipart forms are refused
    // outright (`web::guards::FormBody`); their limits match anyway.
    let limits = Limits::default()
        .limit("form", 64.kibibytes())
        .limit("data-form", 64.kibibytes())
        .limit("file", 64.kibibytes())
        .limit("json", 64.kibibytes());
    let figment = rocket::Config::figment().merge(("address", address)).merge(("limits", limits));
    match settings.port {
        Some(port) => figment.merge(("port", port)),
        None => figment,
    }
}

/// `holidays import-directory FILE`: adds or updates the people in a CSV file, all or none.
pub fn import_directory(settings: Settings, file: &str) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let lines = actions::directory::parse_csv(&bytes).map_err(|e| format!("{file}: {e}"))?;
    let app = App {
        db: db::Db::open(&settings)?,
        settings,
        wake: notify::Wake::default(),
        worker: std::sync::OnceLock::new(),
    };
    let summary = rocket::execute(actions::directory::import(&app, lines))
        .map_err(|e| format!("cannot import {file}: {}", e.message()))?;
    println!("{file}: {} added, {} updated, {} unchanged", summary.added, summary.updated, summary.unchanged);
    Ok(())
}

/// `holidays print-grants ROLE [--read-only]`: the statements that give another role access.
pub fn print_grants(settings: &Settings, role: &str, read_only: bool) -> Result<(), String> {
    let config::DatabaseTarget::Postgres { schema, .. } = &settings.database else {
        return Err("print-grants is for Postgres: set DATABASE_URL or the PG* variables".into());
    };
    let access = if read_only { db::grants::Access::ReadOnly } else { db::grants::Access::ReadWrite };
    print!("{}", db::grants::grant_statements(schema, role, access));
    Ok(())
}
