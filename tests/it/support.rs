//! Starts the real app (the same `holidays::build` production uses) on a fresh database:
//! an SQLite file of its own, or a Postgres schema of its own under `TEST_DATABASE_URL`.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use holidays::config::Settings;
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::{Client, LocalResponse};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares each listed test twice: once on SQLite, once on Postgres.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::support::Backend::Sqlite) } )*
        }
        mod postgres {
            $(
                #[test]
                #[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
                fn $name() { super::$name($crate::support::Backend::Postgres) }
            )*
        }
    };
}

pub fn postgres_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .expect("TEST_DATABASE_URL must name a Postgres database for the Postgres tests")
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other test of any concurrent run uses.
pub fn unique(prefix: &str) -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A database of one test's own, removed when the test ends.
pub struct TestDb {
    pub backend: Backend,
    pub vars: HashMap<String, String>,
    sqlite_dir: Option<PathBuf>,
    pg_schema: Option<String>,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        let mut vars = HashMap::new();
        let (mut sqlite_dir, mut pg_schema) = (None, None);
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("holidays_test"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                vars.insert("DATABASE_URL".into(), format!("sqlite://{}", dir.join("db.sqlite3").display()));
                sqlite_dir = Some(dir);
            }
            Backend::Postgres => {
                let schema = unique("t");
                vars.insert("DATABASE_URL".into(), postgres_url());
                vars.insert("HOLIDAYS_PG_SCHEMA".into(), schema.clone());
                pg_schema = Some(schema);
            }
        }
        TestDb { backend, vars, sqlite_dir, pg_schema }
    }

    pub fn schema(&self) -> Option<&str> {
        self.pg_schema.as_deref()
    }

    fn sqlite(&self) -> diesel::SqliteConnection {
        let path = self.vars["DATABASE_URL"].trim_start_matches("sqlite://").to_owned();
        let mut conn = diesel::SqliteConnection::establish(&path).expect("open sqlite");
        // The app may still hold the write lock for a moment after a response.
        conn.batch_execute("PRAGMA busy_timeout = 10000").expect("busy_timeout");
        conn
    }

    /// Runs SQL directly against this test's database (in its schema on Postgres).
    pub fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.sqlite();
                conn.batch_execute(sql).expect("sql");
            }
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&postgres_url()).expect("connect to Postgres");
                let schema = self.pg_schema.as_deref().unwrap_or_default();
                conn.batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS \"{schema}\"; SET search_path TO \"{schema}\"; {sql}"
                ))
                .expect("sql");
            }
        }
    }

    /// Reads one number, e.g. a `count(*)`.
    pub fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        use diesel::RunQueryDsl;
        let query = format!("SELECT CAST(({sql}) AS BIGINT) AS n");
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.sqlite();
                diesel::sql_query(query).get_result::<N>(&mut conn).expect("count").n
            }
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&postgres_url()).expect("connect to Postgres");
                let schema = self.pg_schema.as_deref().unwrap_or_default();
                conn.batch_execute(&format!("SET search_path TO \"{schema}\"")).expect("search_path");
                diesel::sql_query(query).get_result::<N>(&mut conn).expect("count").n
            }
        }
    }

    pub fn settings(&self, extra: &[(&str, &str)]) -> Settings {
        let mut vars = self.vars.clone();
        vars.insert("HOLIDAYS_DEMO".into(), "1".into());
        vars.insert("HOLIDAYS_ADMINS".into(), "admin@example.com".into());
        vars.insert("HOLIDAYS_DB_TIMEOUT_MS".into(), "5000".into());
        // The tests use fixed dates years ahead; the date window has tests of its own.
        vars.insert("HOLIDAYS_YEARS_BACK".into(), "100".into());
        vars.insert("HOLIDAYS_YEARS_AHEAD".into(), "100".into());
        for (k, v) in extra {
            vars.insert((*k).into(), (*v).into());
        }
        Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(schema) = &self.pg_schema
            && let Ok(mut conn) = diesel::PgConnection::establish(&postgres_url())
        {
            let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
        }
    }
}

/// Builds the production Rocket with Rocket's own logging quiet.
pub fn quiet_rocket(settings: Settings) -> rocket::Rocket<rocket::Build> {
    let rocket = holidays::build(settings).expect("the app starts");
    let figment = rocket.figment().clone().merge(("log_level", "off"));
    rocket.configure(figment)
}

/// The app with the demo data, in development identity mode unless `extra` says otherwise.
pub struct TestApp {
    pub client: Client,
    pub db: TestDb,
}

pub const JOE: &str = "joe@example.com";
pub const SUZY: &str = "suzy@example.com";
pub const CHARLIE: &str = "charlie@example.com";
pub const MARIA: &str = "manager@example.com";
pub const LEE: &str = "lead@example.com";
pub const DANA: &str = "dana@example.com";
pub const ADMIN: &str = "admin@example.com";

/// The demo data: 8 requests, 5 of them pending (the 4 in the weeks ahead and Dana's half day),
/// and 3 decisions recorded (Dana's two holidays approved by Lee, her sick day approved as made).
pub const DEMO_REQUESTS: i64 = 8;
pub const DEMO_PENDING: i64 = 5;
pub const DEMO_DECISIONS: i64 = 3;

/// `n` weekdays from `first` on, as YYYY-MM-DD: one-day requests that each take a working day.
pub fn weekdays(first: &str, n: usize) -> Vec<String> {
    use chrono::Datelike;
    let first = chrono::NaiveDate::parse_from_str(first, "%Y-%m-%d").expect("a date");
    first.iter_days().filter(|d| d.weekday().number_from_monday() <= 5).take(n).map(|d| d.to_string()).collect()
}

impl TestApp {
    pub fn start(backend: Backend) -> TestApp {
        TestApp::start_with(backend, &[])
    }

    pub fn start_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
        let db = TestDb::new(backend);
        let client = Client::tracked(quiet_rocket(db.settings(extra))).expect("valid rocket");
        TestApp { client, db }
    }

    pub fn get_json(&self, path: &str, who: &str) -> (Status, Value) {
        let res = self.client.get(path.to_owned()).header(identity(who)).dispatch();
        json_of(res)
    }

    pub fn post_json(&self, path: &str, who: &str, body: Value) -> (Status, Value) {
        let res = self
            .client
            .post(path.to_owned())
            .header(ContentType::JSON)
            .header(identity(who))
            .body(body.to_string())
            .dispatch();
        json_of(res)
    }

    /// Asks for a holiday through the API and returns the new request's id.
    pub fn ask(&self, who: &str, start: &str, end: &str) -> i64 {
        let (status, body) =
            self.post_json("/api/requests", who, serde_json::json!({"start_date": start, "end_date": end}));
        assert_eq!(status, Status::Created, "{body}");
        body["id"].as_i64().expect("id")
    }

    pub fn decide(&self, id: i64, who: &str, decision: &str, note: Option<&str>) -> (Status, Value) {
        self.post_json(
            &format!("/api/requests/{id}/decision"),
            who,
            serde_json::json!({"decision": decision, "note": note}),
        )
    }

    pub fn get_html(&self, path: &str, who: &str) -> (Status, String) {
        let res = self.client.get(path.to_owned()).header(identity(who)).dispatch();
        (res.status(), res.into_string().unwrap_or_default())
    }

    /// Posts a form as a browser would, with or without htmx.
    pub fn post_form(&self, path: &str, who: &str, fields: &[(&str, &str)], htmx: bool) -> Reply {
        let mut req = self
            .client
            .post(path.to_owned())
            .header(ContentType::Form)
            .header(identity(who))
            .header(Header::new("Sec-Fetch-Site", "same-origin"))
            .body(serde_urlencoded::to_string(fields).expect("a form"));
        if htmx {
            req = req.header(Header::new("HX-Request", "true"));
        }
        Reply::from(req.dispatch())
    }
}

pub struct Reply {
    pub status: Status,
    pub body: String,
    pub headers: HashMap<String, String>,
}

impl From<LocalResponse<'_>> for Reply {
    fn from(res: LocalResponse<'_>) -> Self {
        let status = res.status();
        let headers = res.headers().iter().map(|h| (h.name().as_str().to_lowercase(), h.value().to_owned())).collect();
        Reply { status, headers, body: res.into_string().unwrap_or_default() }
    }
}

pub fn identity(who: &str) -> Header<'static> {
    Header::new("X-Forwarded-Email", who.to_owned())
}

pub fn json_of(res: LocalResponse<'_>) -> (Status, Value) {
    let status = res.status();
    let text = res.into_string().unwrap_or_default();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}
