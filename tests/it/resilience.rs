//! Losing the database and getting it back; adopting a walkthrough database; the command line.

use crate::support::*;
use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;
use serde_json::json;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A TCP relay to Postgres that can be cut (every connection dropped, new ones refused) and
/// restored, like a database restart or a network failure.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn to(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (up2, open2) = (up.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !up2.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else { continue };
                for s in [&client, &server] {
                    if let Ok(c) = s.try_clone() {
                        open2.lock().unwrap().push(c);
                    }
                }
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Relay { port, up, open }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for s in self.open.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// `postgres://user@host:port/db?x` with host:port replaced.
fn via(url: &str, port: u16) -> (String, String) {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    let upstream = if hostport.contains(':') { hostport.to_owned() } else { format!("{hostport}:5432") };
    (format!("{scheme}://{userinfo}127.0.0.1:{port}/{path}"), upstream)
}

/// A network cut that is over before anyone notices: the pool's connections are dead, but they
/// were used a moment ago, so nobody tests them before use. The first read on one fails, and is
/// read again on a fresh connection: the reader sees a page, not a 503.
#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn a_read_on_a_dead_connection_is_read_again_on_a_fresh_one() {
    let db = TestDb::new(Backend::Postgres);
    let (_, upstream) = via(&postgres_url(), 0);
    let relay = Relay::to(upstream);
    let (relayed, _) = via(&postgres_url(), relay.port);
    let settings = db.settings(&[("DATABASE_URL", &relayed), ("HOLIDAYS_DB_POOL_SIZE", "1")]);
    let app = Client::tracked(quiet_rocket(settings)).expect("rocket");
    let list = || json_of(app.get("/api/requests").header(identity(ADMIN)).dispatch());
    assert_eq!(list().0, Status::Ok);
    relay.cut();
    relay.restore();
    let (status, body) = list();
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["requests"].as_array().map(Vec::len), Some(DEMO_REQUESTS as usize));
    // A change is never sent twice: its connection dies with it, and the answer says so.
    relay.cut();
    relay.restore();
    let res = app
        .post("/api/requests")
        .header(ContentType::JSON)
        .header(identity(JOE))
        .body(json!({"start_date": "2040-02-03", "end_date": "2040-02-03"}).to_string())
        .dispatch();
    assert_eq!(res.status(), Status::ServiceUnavailable);
    assert_eq!(db.count("SELECT count(*) FROM holiday_requests WHERE start_date = '2040-02-03'"), 0);
    assert_eq!(list().0, Status::Ok, "and the next request is served");
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn database_down_is_503_everywhere_and_the_app_recovers_by_itself() {
    let db = TestDb::new(Backend::Postgres);
    let (_, upstream) = via(&postgres_url(), 0);
    let relay = Relay::to(upstream);
    let (relayed, _) = via(&postgres_url(), relay.port);
    let settings = db.settings(&[("DATABASE_URL", &relayed), ("HOLIDAYS_DB_TIMEOUT_MS", "700")]);
    let app = Client::tracked(quiet_rocket(settings)).expect("rocket");
    let ask = |start: &str| {
        let res = app
            .post("/api/requests")
            .header(ContentType::JSON)
            .header(identity(JOE))
            .body(json!({"start_date": start, "end_date": start}).to_string())
            .dispatch();
        json_of(res)
    };
    assert_eq!(ask("2040-01-02").0, Status::Created);

    relay.cut();
    let (status, body) = json_of(app.get("/healthz").dispatch());
    assert_eq!(status, Status::ServiceUnavailable);
    assert!(body["error"].as_str().unwrap().contains("database is not answering"), "{body}");
    let (status, body) = ask("2040-01-03");
    assert_eq!(status, Status::ServiceUnavailable);
    assert!(body["error"].as_str().unwrap().contains("nothing was read or changed"), "{body}");
    let res = app.get("/queue").header(identity(MARIA)).dispatch();
    assert_eq!(res.status(), Status::ServiceUnavailable);
    assert!(res.into_string().unwrap().contains("database is not answering"));
    let res = app
        .post("/requests/1/decision")
        .header(ContentType::Form)
        .header(identity(MARIA))
        .header(rocket::http::Header::new("HX-Request", "true"))
        .body("decision=Approved&note=typed")
        .dispatch();
    assert_eq!(res.status(), Status::ServiceUnavailable);
    assert_eq!(res.headers().get_one("HX-Retarget"), Some("#flash"), "the row with its typed note stays");
    assert!(res.into_string().unwrap().contains("try again"));

    relay.restore();
    let back = Instant::now();
    loop {
        let status = app.get("/healthz").dispatch().status();
        if status == Status::Ok {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(15), "still {status} 15 s after the database came back");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(ask("2040-01-03").0, Status::Created, "the refused request can simply be sent again");
    assert_eq!(db.count("SELECT count(*) FROM holiday_requests WHERE start_date >= '2040-01-01'"), 2);
    assert_eq!(
        db.count("SELECT count(*) FROM holiday_requests WHERE status <> 'Pending'"),
        DEMO_REQUESTS - DEMO_PENDING
    );
    assert_eq!(
        db.count("SELECT count(*) FROM request_events"),
        DEMO_REQUESTS + DEMO_DECISIONS + 2,
        "one event per accepted change"
    );
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn a_walkthrough_database_is_adopted_with_its_rows() {
    let db = TestDb::new(Backend::Postgres);
    // Exactly what the article has people run by hand.
    db.execute(
        "CREATE TABLE holiday_requests (request_id SERIAL PRIMARY KEY, employee_name VARCHAR(255) NOT NULL, \
         start_date DATE NOT NULL, end_date DATE NOT NULL, status VARCHAR(50) NOT NULL, manager_note TEXT); \
         INSERT INTO holiday_requests (employee_name, start_date, end_date, status, manager_note) VALUES \
         ('Joe', '2025-08-01', '2025-08-20', 'Pending', ''), \
         ('Suzy', '2025-07-22', '2025-07-25', 'Pending', ''), \
         ('Charlie', '2025-08-01', '2025-08-05', 'Approved', 'ok');",
    );
    let settings = db.settings(&[("HOLIDAYS_DEMO", "0"), ("HOLIDAYS_ADMINS", "boss@example.com")]);
    let app = TestAppLike(Client::tracked(quiet_rocket(settings)).expect("rocket"));

    let (status, list) = app.json("/api/requests?status=all", "boss@example.com");
    assert_eq!(status, Status::Ok);
    let rows = list["requests"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "no demo data, the walkthrough's rows: {list}");
    assert_eq!(rows[0]["employee_name"], "Suzy", "pending first, newest first");
    assert_eq!(rows[2]["status"], "Approved");
    assert_eq!(rows[2]["leave_type"], "Annual leave", "every existing row becomes Annual leave");
    assert_eq!(rows[2]["days"], 3.0, "Charlie's Friday to Tuesday, counted by the migration");
    assert_eq!(rows[1]["days"], 14.0, "Joe's 20 days hold 14 weekdays");
    assert!(rows[0]["requester_email"].is_null());
    assert_eq!(rows[0]["can_decide"], true, "admins decide rows with no known requester");

    let (status, _) = app.json("/api/requests/1", "manager@example.com");
    assert_eq!(status, Status::NotFound, "a non-admin cannot see rows of unknown requesters");
    let res = app
        .0
        .post("/api/requests/1/decision")
        .header(ContentType::JSON)
        .header(identity("boss@example.com"))
        .body(r#"{"decision": "Declined", "note": "Too long"}"#)
        .dispatch();
    let (status, body) = json_of(res);
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(
        db.count("SELECT count(*) FROM holiday_requests WHERE status = 'Declined' AND manager_note = 'Too long'"),
        1
    );
    assert_eq!(db.count("SELECT count(*) FROM request_events WHERE request_id = 1"), 1);
    let schema = db.schema().unwrap_or_default().to_owned();
    assert_eq!(
        db.count(&format!("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('people', 'request_events', '__diesel_schema_migrations') OR (table_schema = '{schema}' AND table_name = 'public')")),
        0,
        "nothing is created in public"
    );
}

struct TestAppLike(Client);

impl TestAppLike {
    fn json(&self, path: &str, who: &str) -> (Status, serde_json::Value) {
        json_of(self.0.get(path.to_owned()).header(identity(who)).dispatch())
    }
}

fn holidays_binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_holidays"));
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd
}

#[test]
fn import_directory_upserts_and_reports_bad_lines() {
    let db = TestDb::new(Backend::Sqlite);
    let dir = std::env::temp_dir().join(unique("directory"));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("people.csv");
    std::fs::write(
        &csv,
        "email,display_name,manager_email\nboss@corp.example,The Boss,\nAnn@Corp.example,Ann,boss@corp.example\n",
    )
    .unwrap();
    let run = |file: &std::path::Path| {
        holidays_binary()
            .env("DATABASE_URL", &db.vars["DATABASE_URL"])
            .arg("import-directory")
            .arg(file)
            .output()
            .expect("run holidays")
    };
    let out = run(&csv);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 added, 0 updated"));

    std::fs::write(&csv, "email,display_name,manager_email\nann@corp.example,Ann Smith,boss@corp.example\ncarl@corp.example,Carl,ann@corp.example\n").unwrap();
    let out = run(&csv);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 added, 1 updated"), "{out:?}");
    assert_eq!(
        db.count("SELECT count(*) FROM people WHERE email = 'ann@corp.example' AND display_name = 'Ann Smith'"),
        1
    );
    assert_eq!(db.count("SELECT count(*) FROM people"), 3, "no demo data when a database is named");

    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "email,display_name\nzed@corp.example,Zed\nnot-an-email,Nobody\n").unwrap();
    let out = run(&bad);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3: 'not-an-email' is not an email address"), "{stderr}");
    assert_eq!(db.count("SELECT count(*) FROM people WHERE email = 'zed@corp.example'"), 0, "all or nothing");
    let _ = std::fs::remove_dir_all(dir);
}

/// A file without a `manager_email` column updates names and leaves every manager alone; quoting
/// mistakes are refused with their line; a large file imports all at once.
#[test]
fn import_directory_keeps_what_the_file_does_not_say_on_sqlite() {
    import_directory_keeps_what_the_file_does_not_say(Backend::Sqlite);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn import_directory_keeps_what_the_file_does_not_say_on_postgres() {
    import_directory_keeps_what_the_file_does_not_say(Backend::Postgres);
}

fn import_directory_keeps_what_the_file_does_not_say(backend: Backend) {
    let db = TestDb::new(backend);
    let dir = std::env::temp_dir().join(unique("directory"));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        holidays_binary().envs(&db.vars).arg("import-directory").arg(&file).output().expect("run holidays")
    };
    let out = run(
        "first.csv",
        "email,display_name,manager_email\nboss@corp.example,Boss,\nann@corp.example,Ann,boss@corp.example\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run("names.csv", "display_name,email\nAnn Smith,ann@corp.example\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 added, 1 updated"), "{out:?}");
    assert_eq!(
        db.count("SELECT count(*) FROM people WHERE email = 'ann@corp.example' AND display_name = 'Ann Smith' AND manager_email = 'boss@corp.example'"),
        1,
        "the manager stays when the file has no manager column"
    );
    let out = run("cleared.csv", "email,display_name,manager_email\nann@corp.example,Ann Smith,\n");
    assert!(out.status.success());
    assert_eq!(
        db.count("SELECT count(*) FROM people WHERE email = 'ann@corp.example' AND manager_email IS NULL"),
        1,
        "an empty cell clears it"
    );

    // Where and how people work: set by the columns present, kept by those absent.
    let out = run(
        "workplace.csv",
        "email,display_name,location,working_week,allowance_days,start_date\n\
         ann@corp.example,Ann Smith,de-by,\"Mon,Tue,Wed\",20,2027-04-01\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run("again.csv", "email,display_name,timezone\nann@corp.example,Ann Smith,Europe/Berlin\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        db.count(
            "SELECT count(*) FROM people WHERE email = 'ann@corp.example' AND location = 'DE-BY' \
             AND working_week = 'Mon-Wed' AND allowance_days = 20 AND timezone = 'Europe/Berlin' \
             AND start_date = '2027-04-01'"
        ),
        1,
        "each column set once and kept when absent"
    );

    for (name, text, line) in [
        ("quote.csv", "email,display_name\nzed@corp.example,Zed\n\"ab\"c@corp.example,Abc\n", "line 3:"),
        ("open.csv", "email,display_name\nzed@corp.example,\"Zed\nyou@corp.example,You\n", "line 2:"),
        ("place.csv", "email,display_name,location\nzed@corp.example,Zed,GB\nyou@corp.example,You,XX-YY\n", "line 3:"),
    ] {
        let out = run(name, text);
        assert!(!out.status.success(), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(line), "{name}: {stderr}");
        assert_eq!(
            db.count("SELECT count(*) FROM people WHERE email = 'zed@corp.example'"),
            0,
            "{name}: all or nothing"
        );
    }

    let mut big = String::from("email,display_name,manager_email\n");
    for i in 0..20_000 {
        big.push_str(&format!("p{i}@corp.example,Person {i},boss@corp.example\n"));
    }
    let out = run("big.csv", &big);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("20000 added, 0 updated"), "{out:?}");
    assert_eq!(db.count("SELECT count(*) FROM people WHERE manager_email = 'boss@corp.example'"), 20_000);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_setting_stops_start_up_naming_the_variable() {
    let out = holidays_binary().env("HOLIDAYS_AUTH", "sso").output().expect("run holidays");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("configuration variable HOLIDAYS_AUTH: 'sso' is neither 'proxy' nor 'dev'"), "{stderr}");

    let out = holidays_binary()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:9/none")
        .env("HOLIDAYS_DB_TIMEOUT_MS", "300")
        .output()
        .expect("run holidays");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect to the database"));
}

#[test]
fn the_embedded_default_starts_with_demo_data_in_the_data_folder() {
    let dir = std::env::temp_dir().join(unique("datadir"));
    let settings = holidays::config::Settings::from_lookup(|k| match k {
        "HOLIDAYS_DATA_DIR" => Some(dir.display().to_string()),
        _ => None,
    })
    .unwrap();
    let client = Client::tracked(quiet_rocket(settings)).expect("rocket");
    assert!(dir.join("holidays.sqlite3").exists());
    let html = client.get("/queue").dispatch().into_string().unwrap();
    assert!(html.contains("Signed in as <strong>Maria Manager</strong>"));
    assert_eq!(html.matches("class=\"decision-form\"").count(), 3);
    drop(client);
    // A second start finds the data and adds nothing.
    let settings = holidays::config::Settings::from_lookup(|k| match k {
        "HOLIDAYS_DATA_DIR" => Some(dir.display().to_string()),
        _ => None,
    })
    .unwrap();
    let client = Client::tracked(quiet_rocket(settings)).expect("rocket");
    let (_, body) = json_of(client.get("/api/requests?status=all").header(identity(ADMIN)).dispatch());
    assert_eq!(body["requests"].as_array().unwrap().len(), DEMO_REQUESTS as usize);
    drop(client);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn stopping_the_app_closes_its_connections() {
    let db = TestDb::new(Backend::Postgres);
    let name = unique("conns");
    let separator = if postgres_url().contains('?') { '&' } else { '?' };
    let url = format!("{}{separator}application_name={name}", postgres_url());
    let open = || db.count(&format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{name}'"));
    let app = Client::tracked(quiet_rocket(db.settings(&[("DATABASE_URL", &url)]))).expect("rocket");
    assert_eq!(app.get("/api/requests").header(identity(MARIA)).dispatch().status(), Status::Ok);
    assert!(open() >= 1);
    drop(app);
    let deadline = Instant::now() + Duration::from_secs(5);
    while open() > 0 {
        assert!(Instant::now() < deadline, "{} connections still open after the app stopped", open());
        std::thread::sleep(Duration::from_millis(50));
    }
}
