//! How many SQL statements each read sends to the database: a fixed number per page or API
//! call, whatever the data's size, and no validation query per check-out. Counted with
//! Diesel's instrumentation, which sees every statement of every connection in this process,
//! so this binary holds this one test and the backends take turns.

#[path = "it/support.rs"]
#[allow(dead_code)]
mod support;

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use rocket::http::{Header, Status};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::*;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

impl Instrumentation for CountStatements {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Statements sent while answering one request (a warm-up request first, so the pool has its
/// connection and nothing else is happening).
fn statements(app: &TestApp, path: &str, who: &str) -> usize {
    let get = || {
        let res =
            app.client.get(path.to_owned()).header(identity(who)).header(Header::new("HX-Request", "true")).dispatch();
        assert!([Status::Ok, Status::NoContent].contains(&res.status()), "{path}: {}", res.status());
    };
    get();
    let before = STATEMENTS.load(Ordering::SeqCst);
    get();
    STATEMENTS.load(Ordering::SeqCst) - before
}

fn counts(app: &TestApp) -> Vec<(&'static str, usize)> {
    vec![
        ("admin's JSON list", statements(app, "/api/requests?limit=50", ADMIN)),
        ("manager's JSON list", statements(app, "/api/requests?limit=50", MARIA)),
        ("queue page", statements(app, "/queue", MARIA)),
        ("admin's queue page", statements(app, "/queue?status=all", ADMIN)),
        ("start page", statements(app, "/", JOE)),
        ("queue updates", statements(app, "/queue/updates?after=0", MARIA)),
        ("team calendar", statements(app, "/calendar?month=2031-01", MARIA)),
        ("everyone's calendar (JSON)", statements(app, "/api/calendar?month=2031-01&team=everyone", ADMIN)),
    ]
}

fn check(b: Backend) {
    let app = TestApp::start_with(b, &[("HOLIDAYS_AUTH", "proxy"), ("HOLIDAYS_DB_POOL_SIZE", "1")]);
    let expected = vec![
        ("admin's JSON list", 1),
        ("manager's JSON list", 2),
        // Who is asking, the page, and the balances of the page's people (one statement for
        // all of them).
        ("queue page", 3),
        ("admin's queue page", 3),
        ("start page", 3),
        ("queue updates", 3),
        // Who is asking, the team's people, their leave in the month (one statement for all of
        // them), the company's changes to their public holidays, the coverage rules.
        ("team calendar", 5),
        ("everyone's calendar (JSON)", 5),
    ];
    assert_eq!(counts(&app), expected, "{b:?}, demo data");

    // Many more people and requests, on every page's rows: the same statements.
    let mut sql = String::new();
    for i in 0..40 {
        sql.push_str(&format!(
            "INSERT INTO people (email, display_name, manager_email) VALUES ('p{i}@example.com', 'P {i}', 'manager@example.com');"
        ));
    }
    app.db.execute(&sql);
    for i in 0..40 {
        for week in 0..5 {
            // A weekday of a week of 2031, from Monday 6 January.
            let day =
                chrono::NaiveDate::from_ymd_opt(2031, 1, 6).expect("a date") + chrono::Duration::days(7 * week + i % 5);
            app.ask(&format!("p{i}@example.com"), &day.to_string(), &day.to_string());
        }
    }
    assert_eq!(counts(&app), expected, "{b:?}, 200 more requests");

    // The development switcher adds one short statement to a page, never the whole directory.
    let dev = TestApp::start_with(b, &[("HOLIDAYS_DB_POOL_SIZE", "1")]);
    assert_eq!(statements(&dev, "/queue", MARIA), 4, "{b:?}, development mode");

    // A connection idle for a while is tested once before it is used again.
    statements(&app, "/queue", MARIA);
    std::thread::sleep(Duration::from_millis(700));
    let before = STATEMENTS.load(Ordering::SeqCst);
    let res = app.client.get("/queue").header(identity(MARIA)).dispatch();
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(STATEMENTS.load(Ordering::SeqCst) - before, 4, "{b:?}: a ping after 700 ms idle, then the page's 3");
}

/// The count is process-wide: one backend at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn counted(b: Backend) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    set_default_instrumentation(|| Some(Box::new(CountStatements))).expect("instrumentation");
    check(b);
}

#[test]
fn each_read_sends_a_fixed_number_of_statements_on_sqlite() {
    counted(Backend::Sqlite);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn each_read_sends_a_fixed_number_of_statements_on_postgres() {
    counted(Backend::Postgres);
}
