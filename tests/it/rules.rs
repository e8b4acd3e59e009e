//! Identity, cross-site protection and concurrent changes.

use crate::on_both_backends;
use crate::support::*;
use futures::future::join_all;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client as AsyncClient;
use serde_json::json;

on_both_backends!(
    proxy_mode_requires_the_forwarded_email,
    dev_mode_defaults_switches_and_honours_the_header,
    cross_site_changes_are_refused,
    simultaneous_decisions_have_exactly_one_winner,
    simultaneous_overlapping_submissions_have_exactly_one_winner,
    health_and_assets,
    address_and_port_follow_the_platform,
);

fn proxy_mode_requires_the_forwarded_email(b: Backend) {
    let app = TestApp::start_with(b, &[("HOLIDAYS_AUTH", "proxy")]);
    for path in ["/", "/queue", "/requests/1"] {
        let res = app.client.get(path).dispatch();
        assert_eq!(res.status(), Status::Unauthorized, "{path}");
        assert!(res.into_string().unwrap().contains("X-Forwarded-Email"), "{path}");
    }
    let res = app.client.get("/api/requests").dispatch();
    let (status, body) = json_of(res);
    assert_eq!(status, Status::Unauthorized);
    assert!(body["error"].as_str().unwrap().contains("not signed in"));
    let res = app.client.post("/api/requests").header(ContentType::JSON).body("{}").dispatch();
    assert_eq!(res.status(), Status::Unauthorized);

    let (status, _) = app.get_json("/api/requests", MARIA);
    assert_eq!(status, Status::Ok);
    let (_, html) = app.get_html("/", MARIA);
    assert!(!html.contains("Development identity"), "no banner behind the proxy");
    assert!(!html.contains("/dev/identity"));
    let res = app
        .client
        .post("/dev/identity")
        .header(ContentType::Form)
        .header(identity(MARIA))
        .body("email=admin%40example.com")
        .dispatch();
    assert_eq!(res.status(), Status::NotFound, "no switcher behind the proxy");
    let res = app.client.get("/healthz").dispatch();
    assert_eq!(res.status(), Status::Ok, "the platform's health check needs no identity");
}

fn dev_mode_defaults_switches_and_honours_the_header(b: Backend) {
    let app = TestApp::start(b);
    let html = app.client.get("/").dispatch().into_string().unwrap();
    assert!(html.contains("Signed in as <strong>Maria Manager</strong>"), "the default dev user");
    assert!(html.contains(r#"<option value="joe@example.com">Joe &lt;joe@example.com&gt;</option>"#));

    let res = app.client.post("/dev/identity").header(ContentType::Form).body("email=joe%40example.com").dispatch();
    assert_eq!(res.status(), Status::SeeOther);
    let html = app.client.get("/").dispatch().into_string().unwrap();
    assert!(html.contains("Signed in as <strong>Joe</strong>"), "the switcher's cookie");

    let html = app.client.get("/").header(identity(SUZY)).dispatch().into_string().unwrap();
    assert!(html.contains("Signed in as <strong>Suzy</strong>"), "scripts can act as anyone with the header");

    let res = app.client.post("/dev/identity").header(ContentType::Form).body("email=nobody").dispatch();
    assert_eq!(res.status(), Status::UnprocessableEntity);
}

fn cross_site_changes_are_refused(b: Backend) {
    let app = TestApp::start(b);
    let form = "start_date=2026-07-01&end_date=2026-07-02";
    let attempts = [
        vec![Header::new("Sec-Fetch-Site", "cross-site")],
        vec![Header::new("Sec-Fetch-Site", "same-site")],
        vec![Header::new("Origin", "https://evil.example"), Header::new("Host", "localhost:8000")],
        vec![Header::new("Origin", "http://localhost:9000"), Header::new("Host", "localhost:8000")],
        vec![Header::new("Origin", "https://localhost:8000"), Header::new("Host", "localhost:8000")],
    ];
    for headers in attempts {
        let mut req = app.client.post("/requests").header(ContentType::Form).header(identity(JOE)).body(form);
        for h in &headers {
            req = req.header(h.clone());
        }
        let res = req.dispatch();
        assert_eq!(res.status(), Status::Forbidden, "{headers:?}");
        assert!(res.into_string().unwrap().contains("came from another site"));

        let mut req = app
            .client
            .post("/api/requests/1/decision")
            .header(ContentType::JSON)
            .header(identity(MARIA))
            .body(r#"{"decision":"Approved"}"#);
        for h in &headers {
            req = req.header(h.clone());
        }
        let (status, body) = json_of(req.dispatch());
        assert_eq!(status, Status::Forbidden, "{headers:?}");
        assert!(body["error"].as_str().unwrap().contains("another site"));
    }
    assert_eq!(
        app.db.count("SELECT count(*) FROM holiday_requests WHERE status <> 'Pending'"),
        DEMO_REQUESTS - DEMO_PENDING
    );
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests"), DEMO_REQUESTS);

    let res = app
        .client
        .post("/requests")
        .header(ContentType::Form)
        .header(identity(JOE))
        .header(Header::new("Origin", "http://localhost:8000"))
        .header(Header::new("Host", "localhost:8000"))
        .body(form)
        .dispatch();
    assert_eq!(res.status(), Status::SeeOther, "the app's own origin is fine");
}

fn simultaneous_decisions_have_exactly_one_winner(b: Backend) {
    let db = TestDb::new(b);
    let settings = db.settings(&[("HOLIDAYS_DB_POOL_SIZE", "8"), ("HOLIDAYS_DB_TIMEOUT_MS", "10000")]);
    let statuses = rocket::execute(async move {
        let client = AsyncClient::untracked(quiet_rocket(settings)).await.expect("rocket");
        let client = &client;
        let attempts = (0..24).map(|i| async move {
            let (who, decision) = if i % 2 == 0 { (MARIA, "Approved") } else { (ADMIN, "Declined") };
            let res = client
                .post("/api/requests/1/decision")
                .header(ContentType::JSON)
                .header(identity(who))
                .body(json!({"decision": decision, "note": format!("attempt {i}")}).to_string())
                .dispatch()
                .await;
            res.status()
        });
        join_all(attempts).await
    });
    let wins = statuses.iter().filter(|s| **s == Status::Ok).count();
    let conflicts = statuses.iter().filter(|s| **s == Status::Conflict).count();
    assert_eq!((wins, conflicts), (1, 23), "{statuses:?}");
    assert_eq!(db.count("SELECT count(*) FROM request_events WHERE request_id = 1 AND action <> 'Submitted'"), 1);
    assert_eq!(db.count("SELECT count(*) FROM holiday_requests WHERE request_id = 1 AND status <> 'Pending'"), 1);
}

fn simultaneous_overlapping_submissions_have_exactly_one_winner(b: Backend) {
    let db = TestDb::new(b);
    let settings = db.settings(&[("HOLIDAYS_DB_TIMEOUT_MS", "10000")]);
    let statuses = rocket::execute(async move {
        let client = AsyncClient::untracked(quiet_rocket(settings)).await.expect("rocket");
        let client = &client;
        let attempts = (0..12).map(|i| async move {
            let res = client
                .post("/api/requests")
                .header(ContentType::JSON)
                .header(identity(SUZY))
                .body(json!({"start_date": "2037-06-01", "end_date": format!("2037-06-{:02}", 2 + i)}).to_string())
                .dispatch()
                .await;
            res.status()
        });
        join_all(attempts).await
    });
    let created = statuses.iter().filter(|s| **s == Status::Created).count();
    let refused = statuses.iter().filter(|s| **s == Status::UnprocessableEntity).count();
    assert_eq!((created, refused), (1, 11), "{statuses:?}");
    assert_eq!(db.count("SELECT count(*) FROM holiday_requests WHERE start_date > '2037-01-01'"), 1);
}

fn health_and_assets(b: Backend) {
    let app = TestApp::start(b);
    let (status, body) = json_of(app.client.get("/healthz").dispatch());
    assert_eq!(status, Status::Ok);
    assert_eq!(body["status"], "ok");
    let res = app.client.get("/static/htmx.min.js").dispatch();
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.content_type(), Some(ContentType::JavaScript));
    assert!(res.into_string().unwrap().contains("htmx"));
    let res = app.client.get("/static/app.css").dispatch();
    assert_eq!(res.content_type(), Some(ContentType::CSS));
    let res = app.client.get("/").header(identity(JOE)).dispatch();
    let csp = res.headers().get_one("Content-Security-Policy").unwrap_or_default().to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let res = app.client.get("/no/such/page").header(identity(JOE)).dispatch();
    assert_eq!(res.status(), Status::NotFound);
    assert!(res.into_string().unwrap().contains("There is nothing at this address."));
}

fn address_and_port_follow_the_platform(b: Backend) {
    let db = TestDb::new(b);
    let listen = |extra: &[(&str, &str)]| {
        let rocket = holidays::build(db.settings(extra)).expect("the app builds");
        let address: std::net::IpAddr = rocket.figment().extract_inner("address").expect("address");
        let port: u16 = rocket.figment().extract_inner("port").expect("port");
        (address.to_string(), port)
    };
    assert_eq!(listen(&[]), ("127.0.0.1".to_owned(), 8000), "development: this machine only, Rocket.toml's port");
    assert_eq!(
        listen(&[("DATABRICKS_APP_NAME", "holidays"), ("DATABRICKS_APP_PORT", "8123")]),
        ("0.0.0.0".to_owned(), 8123),
        "behind the Databricks Apps proxy"
    );
}
