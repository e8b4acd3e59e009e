//! The adversarial review's findings, each held down by a test: rules that hold whatever the
//! isolation level, bounded input, a development mode that answers only this machine,
//! identities that cannot be confused, and data that never makes a page fail.

use crate::on_both_backends;
use crate::support::*;
use chrono::{Days, Utc};
use rocket::http::{ContentType, Header, Status};
use serde_json::json;

on_both_backends!(
    dates_outside_the_window_are_refused,
    dev_mode_answers_only_loopback_names,
    a_forwarded_email_sent_twice_is_refused,
    look_alike_addresses_are_not_accepted,
    multipart_bodies_are_refused,
    statuses_in_another_case_or_unknown_never_break_a_page,
    personal_answers_are_not_cached,
    a_malformed_dev_cookie_is_ignored,
    bidirectional_controls_are_refused,
    the_queue_poll_checks_its_status,
    also_off_names_a_few_and_counts_the_rest,
    today_is_where_the_company_is,
    a_persons_own_time_zone_decides_their_today,
);

fn dates_outside_the_window_are_refused(b: Backend) {
    // The defaults: two years back, three ahead.
    let app = TestApp::start_with(b, &[("HOLIDAYS_YEARS_BACK", "2"), ("HOLIDAYS_YEARS_AHEAD", "3")]);
    for (start, end, field) in [("0000-01-01", "0000-01-02", "start_date"), ("9999-12-30", "9999-12-31", "end_date")] {
        let (status, body) = app.post_json("/api/requests", JOE, json!({"start_date": start, "end_date": end}));
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert_eq!(body["field"], field);
        assert!(body["error"].as_str().unwrap().contains("too far"), "{body}");
    }
    // A week some months ahead, after the demo's requests: inside the window.
    let today = Utc::now().date_naive();
    let (soon, week_later) = ((today + Days::new(100)).to_string(), (today + Days::new(106)).to_string());
    let (status, body) = app.post_json("/api/requests", JOE, json!({"start_date": soon, "end_date": week_later}));
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests"), DEMO_REQUESTS + 1);
}

fn dev_mode_answers_only_loopback_names(b: Backend) {
    let app = TestApp::start(b);
    for host in ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST:1"] {
        let res = app.client.get("/").header(Header::new("Host", host)).dispatch();
        assert_eq!(res.status(), Status::Ok, "{host}");
    }
    // A name an attacker's DNS points at 127.0.0.1 (DNS rebinding) gets nothing.
    for host in ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example"] {
        let res = app.client.get("/").header(Header::new("Host", host)).dispatch();
        assert_eq!(res.status(), Status::MisdirectedRequest, "{host}");
        assert!(res.into_string().unwrap().contains("answers only to localhost"));
        let res = app.client.get("/api/requests").header(Header::new("Host", host)).dispatch();
        assert_eq!(res.status(), Status::MisdirectedRequest, "{host}");
        let res = app
            .client
            .post("/dev/identity")
            .header(ContentType::Form)
            .header(Header::new("Host", host))
            .header(Header::new("Sec-Fetch-Site", "same-origin"))
            .body("email=admin%40example.com")
            .dispatch();
        assert_eq!(res.status(), Status::MisdirectedRequest, "{host}");
        let res = app
            .client
            .post("/api/requests/1/decision")
            .header(ContentType::JSON)
            .header(Header::new("Host", host))
            .body(r#"{"decision":"Approved"}"#)
            .dispatch();
        assert_eq!(res.status(), Status::MisdirectedRequest, "{host}");
    }
    assert_eq!(
        app.db.count("SELECT count(*) FROM holiday_requests WHERE status = 'Pending'"),
        DEMO_PENDING,
        "nothing decided"
    );

    // Behind the proxy the Host is the app's public name, and that is fine.
    let proxied = TestApp::start_with(b, &[("HOLIDAYS_AUTH", "proxy")]);
    let res =
        proxied.client.get("/").header(identity(MARIA)).header(Header::new("Host", "holidays.example")).dispatch();
    assert_eq!(res.status(), Status::Ok);
}

fn a_forwarded_email_sent_twice_is_refused(b: Backend) {
    let app = TestApp::start_with(b, &[("HOLIDAYS_AUTH", "proxy")]);
    let res = app.client.get("/api/requests").header(identity(JOE)).header(identity(ADMIN)).dispatch();
    let (status, body) = json_of(res);
    assert_eq!(status, Status::BadRequest);
    assert!(body["error"].as_str().unwrap().contains("more than once"), "{body}");
    let res = app.client.get("/").header(identity(ADMIN)).header(identity(JOE)).dispatch();
    assert_eq!(res.status(), Status::BadRequest);
}

fn look_alike_addresses_are_not_accepted(b: Backend) {
    let app = TestApp::start_with(b, &[("HOLIDAYS_AUTH", "proxy")]);
    // U+212A KELVIN SIGN: Unicode lower-casing would make it the admin's "k".
    let kelvin = "\u{212A}ate@example.com";
    let admin = TestApp::start_with(b, &[("HOLIDAYS_AUTH", "proxy"), ("HOLIDAYS_ADMINS", "kate@example.com")]);
    for app in [&app, &admin] {
        let (status, body) = app.get_json("/api/requests", kelvin);
        assert_eq!(status, Status::Unauthorized, "{body}");
        assert!(body["error"].as_str().unwrap().contains("ASCII"), "{body}");
    }
    let (status, body) = admin.get_json("/api/me", "KATE@example.com");
    assert_eq!(status, Status::Ok);
    assert_eq!(body["is_admin"], true, "ASCII letters in any case are still the same person");
}

fn multipart_bodies_are_refused(b: Backend) {
    let app = TestApp::start(b);
    let boundary = "XyZ";
    let big = "x".repeat(1_450_000);
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"start_date\"\r\n\r\n2031-01-01\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"end_date\"\r\n\r\n2031-01-02\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n{big}\r\n--{boundary}--\r\n"
    );
    for path in ["/requests", "/requests/1/decision", "/requests/1/cancel"] {
        let res = app
            .client
            .post(path)
            .header(Header::new("Content-Type", format!("multipart/form-data; boundary={boundary}")))
            .header(identity(JOE))
            .header(Header::new("Sec-Fetch-Site", "same-origin"))
            .body(body.clone())
            .dispatch();
        assert_eq!(res.status(), Status::UnsupportedMediaType, "{path}");
        assert!(res.into_string().unwrap().contains("application/x-www-form-urlencoded"));
    }
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests"), DEMO_REQUESTS);
    // A plain form over the limit is refused too.
    let reply = app.post_form(
        "/requests",
        JOE,
        &[("start_date", "2031-01-01"), ("end_date", "2031-01-02"), ("comment", &big)],
        false,
    );
    assert_eq!(reply.status, Status::PayloadTooLarge);
}

fn statuses_in_another_case_or_unknown_never_break_a_page(b: Backend) {
    let app = TestApp::start(b);
    // What a walkthrough user's own scripts might write, after the app's migrations ran.
    app.db.execute(
        "INSERT INTO holiday_requests (employee_name, start_date, end_date, status, created_at) VALUES \
         ('Old row', '2025-01-06', '2025-01-07', 'approved', '2025-01-01 00:00:00'), \
         ('Odd row', '2025-02-03', '2025-02-04', 'On hold', '2025-01-01 00:00:00')",
    );
    let (status, body) = app.get_json("/api/requests?limit=100", ADMIN);
    assert_eq!(status, Status::Ok, "{body}");
    let rows = body["requests"].as_array().unwrap();
    let old = rows.iter().find(|r| r["employee_name"] == "Old row").expect("listed");
    assert_eq!(old["status"], "Approved", "read in any case");
    let odd = rows.iter().find(|r| r["employee_name"] == "Odd row").expect("listed");
    assert_eq!(odd["status"], "On hold", "shown as it is");
    assert_eq!(odd["can_decide"], false);
    let id = odd["id"].as_i64().unwrap();
    let (status, _) = app.get_json(&format!("/api/requests/{id}"), ADMIN);
    assert_eq!(status, Status::Ok);
    let (status, body) = app.decide(id, ADMIN, "Approved", None);
    assert_eq!(status, Status::Conflict, "{body}");
    assert!(body["error"].as_str().unwrap().contains("'On hold'"), "{body}");
    for path in ["/queue?status=all", &format!("/requests/{id}")] {
        let (status, html) = app.get_html(path, ADMIN);
        assert_eq!(status, Status::Ok, "{path}");
        assert!(html.contains("On hold"), "{path}");
    }
}

fn personal_answers_are_not_cached(b: Backend) {
    let app = TestApp::start(b);
    for path in ["/", "/queue", "/requests/1", "/api/requests", "/api/me"] {
        let res = app.client.get(path).header(identity(MARIA)).dispatch();
        assert_eq!(res.status(), Status::Ok, "{path}");
        assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"), "{path}");
        assert_eq!(res.headers().get_one("X-Content-Type-Options"), Some("nosniff"), "{path}");
        assert_eq!(res.headers().get_one("Referrer-Policy"), Some("same-origin"), "{path}");
    }
    let res = app.client.get("/static/app.css").dispatch();
    assert_eq!(res.headers().get_one("Cache-Control"), Some("public, max-age=86400"), "assets are the same for all");
}

fn a_malformed_dev_cookie_is_ignored(b: Backend) {
    let app = TestApp::start(b);
    for junk in ["not-an-email", "\u{212A}ate@example.com", ""] {
        let res = app.client.get("/").cookie(rocket::http::Cookie::new("holidays_dev_user", junk)).dispatch();
        assert_eq!(res.status(), Status::Ok, "{junk:?}");
        assert!(res.into_string().unwrap().contains("Signed in as <strong>Maria Manager</strong>"), "the default");
    }
}

fn bidirectional_controls_are_refused(b: Backend) {
    let app = TestApp::start(b);
    let (status, body) = app.post_json(
        "/api/requests",
        JOE,
        json!({"start_date": "2031-03-02", "end_date": "2031-03-03", "comment": "fine \u{202E}enalp"}),
    );
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(body["field"], "comment");
    let (status, body) = app.decide(1, MARIA, "Declined", Some("ok \u{2066}x\u{2069}"));
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests WHERE status = 'Pending'"), DEMO_PENDING);
}

fn the_queue_poll_checks_its_status(b: Backend) {
    let app = TestApp::start(b);
    let res = app.client.get("/queue/updates?after=0&status=%3Cscript%3E").header(identity(MARIA)).dispatch();
    assert_eq!(res.status(), Status::BadRequest);
    assert!(!res.into_string().unwrap().contains("<script>"));
    let res = app.client.get("/queue/updates?after=0&status=Pending").header(identity(MARIA)).dispatch();
    assert_eq!(res.status(), Status::Ok);
}

fn also_off_names_a_few_and_counts_the_rest(b: Backend) {
    let app = TestApp::start(b);
    // Eight more people on Maria's team, all off on the first Monday of 2031.
    let mut people = String::new();
    for i in 0..8 {
        people.push_str(&format!(
            "INSERT INTO people (email, display_name, manager_email) VALUES ('t{i}@example.com', 'Team {i}', 'manager@example.com');"
        ));
    }
    app.db.execute(&people);
    for i in 0..8 {
        app.ask(&format!("t{i}@example.com"), "2031-01-06", "2031-01-06");
    }
    let id = app.ask(JOE, "2031-01-06", "2031-01-10");
    let (_, body) = app.get_json(&format!("/api/requests/{id}"), MARIA);
    assert_eq!(body["also_off"], json!(["Team 0 (pending)", "Team 1 (pending)", "Team 2 (pending)"]), "{body}");
    assert_eq!(body["also_off_total"], 8);
    let (_, html) = app.get_html("/queue", MARIA);
    assert!(html.contains("Also off: Team 0 (pending), Team 1 (pending), Team 2 (pending) and 5 more"), "{html}");
}

fn today_is_where_the_company_is(b: Backend) {
    // Whatever the hour, one of these zones is on another date than UTC: Kiritimati (UTC+14)
    // from 10:00 UTC on, Pago Pago (UTC-11) before 11:00 UTC.
    let now = Utc::now();
    let utc_today = now.date_naive();
    let kiritimati = holidays::domain::Zone::named("Pacific/Kiritimati").expect("a zone");
    let ahead = kiritimati.date_at(now);
    let (zone, start, cancellable_in_zone) = if ahead > utc_today {
        // Starts today where the company is, tomorrow in UTC.
        ("Pacific/Kiritimati", ahead, false)
    } else {
        // Starts today in UTC, tomorrow where the company is.
        ("Pacific/Pago_Pago", utc_today, true)
    };
    for (tz, expect_cancellable) in [(zone, cancellable_in_zone), ("UTC", !cancellable_in_zone)] {
        let app = TestApp::start_with(b, &[("HOLIDAYS_TIMEZONE", tz)]);
        // Every day a working day and no public holidays, so that any date can be asked for.
        week_of_seven_days(&app);
        let day = start.to_string();
        let id = app.ask(JOE, &day, &day);
        assert_eq!(app.decide(id, MARIA, "Approved", None).0, Status::Ok);
        let (_, body) = app.get_json(&format!("/api/requests/{id}"), JOE);
        assert_eq!(body["can_cancel"], expect_cancellable, "{tz}: {body}");
        let (status, body) = app.post_json(&format!("/api/requests/{id}/cancel"), JOE, json!(null));
        let expected = if expect_cancellable { Status::Ok } else { Status::Conflict };
        assert_eq!(status, expected, "{tz}: {body}");
    }
}

fn week_of_seven_days(app: &TestApp) {
    let res = app
        .client
        .put("/api/people/joe@example.com")
        .header(ContentType::JSON)
        .header(identity(ADMIN))
        .body(json!({"working_week": "Mon-Sun", "location": null}).to_string())
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
}

fn a_persons_own_time_zone_decides_their_today(b: Backend) {
    // As above, with the company in UTC and Joe in the zone on another date.
    let now = Utc::now();
    let utc_today = now.date_naive();
    let ahead = holidays::domain::Zone::named("Pacific/Kiritimati").expect("a zone").date_at(now);
    let (zone, start, cancellable) =
        if ahead > utc_today { ("Pacific/Kiritimati", ahead, false) } else { ("Pacific/Pago_Pago", utc_today, true) };
    let app = TestApp::start(b);
    week_of_seven_days(&app);
    let day = start.to_string();
    let id = app.ask(JOE, &day, &day);
    assert_eq!(app.decide(id, MARIA, "Approved", None).0, Status::Ok);
    let res = app
        .client
        .put("/api/people/joe@example.com")
        .header(ContentType::JSON)
        .header(identity(ADMIN))
        .body(json!({"timezone": zone}).to_string())
        .dispatch();
    assert_eq!(res.status(), Status::Ok);
    let (status, body) = app.post_json(&format!("/api/requests/{id}/cancel"), JOE, json!(null));
    let expected = if cancellable { Status::Ok } else { Status::Conflict };
    assert_eq!(status, expected, "{zone}: {body}");
}

#[cfg(postgres_tests)]
mod postgres_only {
    use super::*;
    use futures::future::join_all;
    use rocket::local::asynchronous::Client as AsyncClient;

    /// 20 simultaneous submissions of the same dates by one person, through the API and the
    /// pages, whatever the server's default isolation level: exactly one is stored.
    fn the_overlap_rule_holds_under(isolation: &str) {
        let db = TestDb::new(Backend::Postgres);
        // libpq's `options`, percent-encoded: `-c default_transaction_isolation=repeatable\ read`.
        let value = isolation.replace(' ', "%5C%20");
        let url = format!("{}?options=-c%20default_transaction_isolation%3D{value}", postgres_url());
        let settings = db.settings(&[
            ("DATABASE_URL", &url),
            ("HOLIDAYS_DB_POOL_SIZE", "10"),
            ("HOLIDAYS_DB_TIMEOUT_MS", "20000"),
        ]);
        let statuses = rocket::execute(async move {
            let client = AsyncClient::untracked(quiet_rocket(settings)).await.expect("rocket");
            let client = &client;
            let attempts = (0..20).map(|i| async move {
                let res = if i % 2 == 0 {
                    client
                        .post("/api/requests")
                        .header(ContentType::JSON)
                        .header(identity(SUZY))
                        .body(json!({"start_date": "2037-06-01", "end_date": "2037-06-05"}).to_string())
                        .dispatch()
                        .await
                } else {
                    client
                        .post("/requests")
                        .header(ContentType::Form)
                        .header(identity(SUZY))
                        .header(Header::new("Sec-Fetch-Site", "same-origin"))
                        .body("start_date=2037-06-03&end_date=2037-06-04")
                        .dispatch()
                        .await
                };
                res.status()
            });
            join_all(attempts).await
        });
        let stored = db.count("SELECT count(*) FROM holiday_requests WHERE start_date > '2037-01-01'");
        assert_eq!(stored, 1, "{isolation}: {statuses:?}");
        assert!(
            statuses.iter().all(|s| [Status::Created, Status::SeeOther, Status::UnprocessableEntity].contains(s)),
            "{isolation}: {statuses:?}"
        );
    }

    #[test]
    fn the_overlap_rule_holds_under_read_committed() {
        the_overlap_rule_holds_under("read committed");
    }

    #[test]
    fn the_overlap_rule_holds_under_repeatable_read() {
        the_overlap_rule_holds_under("repeatable read");
    }

    #[test]
    fn the_overlap_rule_holds_under_serializable() {
        the_overlap_rule_holds_under("serializable");
    }

    /// The database refuses overlapping pending or approved requests by itself, and the app
    /// turns that refusal into the same 422 as its own check: here a request written by another
    /// tool is longer than the app allows, so the app's bounded check cannot see it.
    #[test]
    fn the_database_enforces_the_overlap_rule_too() {
        let app = TestApp::start(Backend::Postgres);
        app.db.execute(
            "INSERT INTO holiday_requests (employee_name, requester_email, start_date, end_date, status, created_at) \
             VALUES ('Joe', 'joe@example.com', '2030-01-01', '2035-01-01', 'Approved', '2029-01-01 00:00:00')",
        );
        let (status, body) =
            app.post_json("/api/requests", JOE, json!({"start_date": "2031-06-01", "end_date": "2031-06-02"}));
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(body["error"].as_str().unwrap().contains("overlap"), "{body}");
        assert_eq!(body["field"], "start_date");
        // Declined and cancelled requests are not held against new ones.
        app.db.execute("UPDATE holiday_requests SET status = 'Cancelled' WHERE end_date = '2035-01-01'");
        let (status, body) =
            app.post_json("/api/requests", JOE, json!({"start_date": "2031-06-01", "end_date": "2031-06-02"}));
        assert_eq!(status, Status::Created, "{body}");
    }
}
