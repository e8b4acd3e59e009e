//! Notifications end to end: the app's worker delivers the outbox to a real SMTP server and a
//! real webhook receiver on this machine (both speak their protocol over TCP here; nothing of
//! lettre or reqwest is replaced), through receivers that go down and come back.

use crate::on_both_backends;
use crate::support::*;
use rocket::http::{ContentType, Header, Status};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

on_both_backends!(
    a_submission_and_its_decision_reach_both_channels,
    private_leave_is_time_off_in_chat,
    a_receiver_that_is_down_gets_everything_once_it_is_back,
    a_rolled_back_change_sends_nothing,
    opt_outs_are_honoured,
    without_channels_notifications_are_recorded_unsent,
    a_refused_notification_is_dead_until_an_admin_retries_it,
    a_busy_receiver_is_tried_again_after_its_retry_after,
    the_daily_digest_goes_once_to_each_approver_however_many_instances,
);

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn two_instances_on_one_postgres_deliver_each_notification_once() {
    two_instances(Backend::Postgres)
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "set TEST_DATABASE_URL to a Postgres database to run this")]
fn the_app_killed_during_delivery_and_restarted_loses_nothing_and_logs_no_secret() {
    killed_and_restarted(Backend::Postgres)
}

#[test]
fn the_app_killed_during_delivery_and_restarted_loses_nothing_and_logs_no_secret_on_sqlite() {
    killed_and_restarted(Backend::Sqlite)
}

#[test]
fn a_thousand_submissions_under_load_make_a_thousand_notifications_each() {
    thousand(Backend::Sqlite)
}

/// A mail as the SMTP server received it.
#[derive(Clone, Debug)]
struct Mail {
    to: Vec<String>,
    data: String,
}

/// An SMTP server on localhost that accepts every message (RFC 5321's commands, no TLS: the
/// app reaches it as `smtp+plain://`).
struct SmtpSink {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("address").port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let kept = kept.clone();
                std::thread::spawn(move || smtp_session(stream, &kept));
            }
        });
        SmtpSink { port, mails }
    }

    fn url(&self) -> String {
        format!("smtp+plain://127.0.0.1:{}", self.port)
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

fn smtp_session(stream: TcpStream, mails: &Mutex<Vec<Mail>>) {
    let mut out = stream.try_clone().expect("a stream");
    let mut lines = BufReader::new(stream);
    let mut say = |s: &str| out.write_all(s.as_bytes()).is_ok();
    if !say("220 sink.test ESMTP\r\n") {
        return;
    }
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let ok = if command.starts_with("EHLO") {
            say("250-sink.test\r\n250 8BITMIME\r\n")
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL FROM")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            if command.starts_with("RSET") {
                to.clear();
            }
            say("250 OK\r\n")
        } else if command.starts_with("RCPT TO") {
            to.push(line.trim_end()[8..].trim().trim_matches(['<', '>']).to_owned());
            say("250 OK\r\n")
        } else if command == "DATA" {
            say("354 go on\r\n");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            mails.lock().unwrap().push(Mail { to: std::mem::take(&mut to), data });
            say("250 queued\r\n")
        } else if command == "QUIT" {
            say("221 bye\r\n");
            return;
        } else {
            say("502 not here\r\n")
        };
        if !ok {
            return;
        }
    }
}

/// A webhook receiver on localhost: records each POST's `Idempotency-Key` and JSON body, and
/// answers with the status it is told to; `down` stops it listening altogether.
struct Hook {
    port: u16,
    received: Arc<Mutex<Vec<(String, Value)>>>,
    answer: Arc<AtomicU16>,
    up: Arc<AtomicBool>,
    /// How long it takes to answer, in milliseconds.
    delay: Arc<std::sync::atomic::AtomicU64>,
}

impl Hook {
    fn start() -> Hook {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("address").port();
        let hook = Hook {
            port,
            received: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(AtomicU16::new(200)),
            up: Arc::new(AtomicBool::new(true)),
            delay: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        };
        hook.serve(listener);
        hook
    }

    fn serve(&self, listener: TcpListener) {
        let (received, answer, up, delay) =
            (self.received.clone(), self.answer.clone(), self.up.clone(), self.delay.clone());
        listener.set_nonblocking(true).expect("non-blocking");
        std::thread::spawn(move || {
            while up.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).expect("blocking");
                        std::thread::sleep(Duration::from_millis(delay.load(Ordering::SeqCst)));
                        http_exchange(stream, &received, answer.load(Ordering::SeqCst));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            // Dropping the listener closes the port: connections are refused until `up` again.
        });
    }

    /// The secret part of the URL stands for the token a real incoming webhook's path holds.
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/T0KEN-S3CRET", self.port)
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(100));
    }

    fn back_up(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("the same port again");
        self.up.store(true, Ordering::SeqCst);
        self.serve(listener);
    }

    fn received(&self) -> Vec<(String, Value)> {
        self.received.lock().unwrap().clone()
    }
}

fn http_exchange(stream: TcpStream, received: &Mutex<Vec<(String, Value)>>, status: u16) {
    let mut out = stream.try_clone().expect("a stream");
    let mut reader = BufReader::new(stream);
    let mut headers = HashMap::new();
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    if status == 200 {
        let key = headers.get("idempotency-key").cloned().unwrap_or_default();
        received.lock().unwrap().push((key, serde_json::from_slice(&body).unwrap_or(Value::Null)));
    }
    let reason = if status == 200 { "OK" } else { "No" };
    let _ =
        write!(out, "HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n");
}

/// Waits (at most `secs`) until `done` holds.
fn eventually(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < until, "waited {secs} s for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn channels(hook: &Hook, smtp: &SmtpSink) -> Vec<(&'static str, String)> {
    vec![
        ("HOLIDAYS_WEBHOOK_URL", hook.url()),
        ("HOLIDAYS_SMTP_URL", smtp.url()),
        ("HOLIDAYS_MAIL_FROM", "holidays@example.com".into()),
        ("HOLIDAYS_PUBLIC_URL", "https://holidays.example/".into()),
    ]
}

fn start_with_channels(b: Backend, vars: &[(&'static str, String)]) -> TestApp {
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::start_with(b, &vars)
}

fn link(id: i64) -> String {
    format!("https://holidays.example/requests/{id}")
}

fn chats_about(hook: &Hook, id: i64) -> Vec<(String, Value)> {
    hook.received().into_iter().filter(|(_, body)| body["text"].as_str().unwrap_or("").contains(&link(id))).collect()
}

fn mails_about(smtp: &SmtpSink, id: i64) -> Vec<Mail> {
    smtp.mails().into_iter().filter(|m| m.data.contains(&link(id))).collect()
}

fn a_submission_and_its_decision_reach_both_channels(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let id = app.ask(JOE, "2033-03-07", "2033-03-09");
    eventually(20, "the manager's chat message and mail", || {
        !chats_about(&hook, id).is_empty() && !mails_about(&smtp, id).is_empty()
    });
    let chat = &chats_about(&hook, id)[0];
    assert!(chat.0.starts_with("holidays-notification-"), "an Idempotency-Key: {chat:?}");
    let text = chat.1["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "For manager@example.com: Joe asks for Annual leave: Mon 7 Mar 2033 to Wed 9 Mar 2033, 3 days"
        ),
        "{text}"
    );
    let mail = &mails_about(&smtp, id)[0];
    assert_eq!(mail.to, vec![MARIA.to_owned()]);
    assert!(
        mail.data.contains("Subject: Joe asks for Annual leave: Mon 7 Mar 2033 to Wed 9 Mar 2033, 3 days"),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("From: Holidays <holidays@example.com>"));
    assert!(mail.data.contains("Message-ID: <holidays-notification-"));
    assert!(
        mail.data.contains("multipart/alternative")
            && mail.data.contains("text/html")
            && mail.data.contains("text/plain")
    );

    // The decision goes to Joe, with who decided and the note.
    assert_eq!(app.decide(id, MARIA, "Approved", Some("Enjoy")).0, Status::Ok);
    eventually(20, "Joe's mail", || mails_about(&smtp, id).iter().any(|m| m.to == vec![JOE.to_owned()]));
    let to_joe = mails_about(&smtp, id).into_iter().find(|m| m.to == vec![JOE.to_owned()]).unwrap();
    assert!(to_joe.data.contains("Subject: Approved by Maria Manager: Joe's Annual leave"), "{}", to_joe.data);
    assert!(to_joe.data.contains("Note from Maria Manager: Enjoy"));
    eventually(20, "every notification sent", || {
        app.db.count("SELECT count(*) FROM notifications WHERE state <> 'sent'") == 0
    });
    // Nothing sent twice, and no secret stored in an error.
    let keys: Vec<String> = hook.received().into_iter().map(|(k, _)| k).collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "{keys:?}");
}

fn private_leave_is_time_off_in_chat(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let (status, body) = app.post_json(
        "/api/requests",
        CHARLIE,
        json!({"start_date": "2033-03-08", "end_date": "2033-03-08", "leave_type": "Sick leave", "comment": "flu"}),
    );
    assert_eq!(status, Status::Created, "{body}");
    let id = body["id"].as_i64().unwrap();
    eventually(20, "the manager hears of it", || {
        !chats_about(&hook, id).is_empty() && !mails_about(&smtp, id).is_empty()
    });
    let chat = chats_about(&hook, id)[0].1["text"].as_str().unwrap().to_owned();
    assert!(chat.contains("Charlie recorded Time off (no approval needed)"), "{chat}");
    assert!(!chat.contains("Sick") && !chat.contains("flu"), "{chat}");
    // The manager's own mail may say it.
    let mail = &mails_about(&smtp, id)[0];
    assert!(mail.data.contains("Charlie recorded Sick leave") && mail.data.contains("flu"), "{}", mail.data);
}

fn a_receiver_that_is_down_gets_everything_once_it_is_back(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    hook.down();
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let ids: Vec<i64> =
        (0..5).map(|i| app.ask(SUZY, &format!("2033-04-{:02}", 4 + i), &format!("2033-04-{:02}", 4 + i))).collect();
    std::thread::sleep(Duration::from_secs(5));
    // Tried and failed, kept waiting; the error names no secret.
    let failed = app
        .db
        .count("SELECT count(*) FROM notifications WHERE channel = 'chat' AND state = 'waiting' AND attempts > 0");
    assert!(failed >= 5, "{failed} chat notifications tried while the receiver was down");
    assert_eq!(app.db.count("SELECT count(*) FROM notifications WHERE last_error LIKE '%S3CRET%'"), 0);
    hook.back_up();
    eventually(45, "every chat message delivered", || ids.iter().all(|id| !chats_about(&hook, *id).is_empty()));
    eventually(45, "nothing left waiting", || {
        app.db.count("SELECT count(*) FROM notifications WHERE state = 'waiting'") == 0
    });
    for id in &ids {
        assert_eq!(chats_about(&hook, *id).len(), 1, "request {id}: once");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM notifications WHERE state = 'dead'"), 0);
}

fn a_rolled_back_change_sends_nothing(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let id = app.ask(JOE, "2033-05-02", "2033-05-02");
    eventually(20, "the submission's notifications", || {
        app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id} AND state = 'sent'")) == 2
    });
    // The decision's audit event cannot be written: the whole decision rolls back, its
    // notifications with it.
    match b {
        Backend::Sqlite => app.db.execute(
            "CREATE TRIGGER no_boom BEFORE INSERT ON request_events WHEN NEW.note = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        ),
        Backend::Postgres => app.db.execute(
            "CREATE FUNCTION no_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.note = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
             CREATE TRIGGER no_boom BEFORE INSERT ON request_events FOR EACH ROW EXECUTE FUNCTION no_boom();",
        ),
    }
    let (status, _) = app.decide(id, MARIA, "Approved", Some("boom"));
    assert!(status.code >= 500, "{status}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id}")), 2);
    assert_eq!(
        app.db.count(&format!("SELECT count(*) FROM holiday_requests WHERE request_id = {id} AND status = 'Pending'")),
        1
    );
    assert!(
        mails_about(&smtp, id).iter().all(|m| m.to == vec![MARIA.to_owned()]),
        "Joe heard of a decision that never was"
    );
    // The same decision without the failure notifies Joe once.
    assert_eq!(app.decide(id, MARIA, "Approved", Some("fine")).0, Status::Ok);
    eventually(20, "Joe's mail", || mails_about(&smtp, id).iter().any(|m| m.to == vec![JOE.to_owned()]));
}

fn put_preferences(app: &TestApp, who: &str, body: Value) -> (Status, Value) {
    let res = app
        .client
        .put("/api/me/notifications")
        .header(ContentType::JSON)
        .header(identity(who))
        .header(Header::new("Sec-Fetch-Site", "same-origin"))
        .body(body.to_string())
        .dispatch();
    json_of(res)
}

fn opt_outs_are_honoured(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let (status, mine) = app.get_json("/api/me/notifications", MARIA);
    assert_eq!((status, mine), (Status::Ok, json!({"email": true, "chat": true, "digest": true})));
    let (status, saved) = put_preferences(&app, MARIA, json!({"email": false, "chat": true, "digest": false}));
    assert_eq!((status, &saved), (Status::Ok, &json!({"email": false, "chat": true, "digest": false})));
    assert_eq!(app.get_json("/api/me/notifications", MARIA).1, saved);
    let (status, body) = put_preferences(&app, MARIA, json!({"email": "no"}));
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    // Joe turns everything off through the page (unchecked boxes are not sent).
    let page = app.post_form("/me/notifications", JOE, &[], false);
    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(app.get_json("/api/me/notifications", JOE).1, json!({"email": false, "chat": false, "digest": false}));
    let (_, html) = app.get_html("/me/notifications", JOE);
    assert!(html.contains("Your notifications") && !html.contains("checked"), "{html}");

    let id = app.ask(JOE, "2033-06-06", "2033-06-06");
    eventually(20, "the manager's chat message", || !chats_about(&hook, id).is_empty());
    assert_eq!(
        app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id} AND channel = 'email'")),
        0
    );
    assert_eq!(app.decide(id, MARIA, "Declined", None).0, Status::Ok);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id}")),
        1,
        "Joe chose none"
    );
    assert!(mails_about(&smtp, id).is_empty());
}

fn without_channels_notifications_are_recorded_unsent(b: Backend) {
    let app = TestApp::start(b);
    let before = app.db.count("SELECT count(*) FROM notifications");
    let id = app.ask(JOE, "2033-06-13", "2033-06-13");
    assert_eq!(app.db.count("SELECT count(*) FROM notifications") - before, 2, "email and chat, for Maria");
    assert_eq!(
        app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id} AND state = 'unsent'")),
        2
    );
    let (status, list) = app.get_json("/api/notifications?state=unsent", ADMIN);
    assert_eq!(status, Status::Ok, "{list}");
    let first = &list.as_array().unwrap()[0];
    assert_eq!(
        (&first["request_id"], &first["recipient"], &first["state"]),
        (&json!(id), &json!(MARIA), &json!("unsent"))
    );
    assert_eq!(app.get_json("/api/notifications?state=unsent", JOE).0, Status::Forbidden);
    let (status, body) = app.get_json("/api/notifications?state=lost", ADMIN);
    assert_eq!((status, body["field"].as_str()), (Status::UnprocessableEntity, Some("state")));
    let (status, html) = app.get_html("/admin/notifications?state=unsent", ADMIN);
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Joe asks for Annual leave"), "{html}");
}

fn a_refused_notification_is_dead_until_an_admin_retries_it(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    hook.answer.store(404, Ordering::SeqCst);
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let id = app.ask(JOE, "2033-06-20", "2033-06-20");
    eventually(20, "the chat notification dead", || {
        app.db.count(&format!(
            "SELECT count(*) FROM notifications WHERE request_id = {id} AND channel = 'chat' AND state = 'dead'"
        )) == 1
    });
    let (_, dead) = app.get_json("/api/notifications?state=dead", ADMIN);
    let row = dead.as_array().unwrap().iter().find(|n| n["request_id"] == id).cloned().unwrap();
    assert_eq!(row["last_error"], "the webhook answered 404 Not Found");
    hook.answer.store(200, Ordering::SeqCst);
    let retry = format!("/api/notifications/{}/retry", row["id"]);
    let (status, _) = app.post_json(&retry, JOE, json!({}));
    assert_eq!(status, Status::Forbidden);
    let (status, again) = app.post_json(&retry, ADMIN, json!({}));
    assert_eq!((status, &again["state"]), (Status::Ok, &json!("waiting")), "{again}");
    eventually(20, "delivered after the retry", || chats_about(&hook, id).len() == 1);
    eventually(20, "marked sent", || {
        app.db.count(&format!(
            "SELECT count(*) FROM notifications WHERE notification_id = {} AND state = 'sent'",
            row["id"]
        )) == 1
    });
    let (status, _) = app.post_json(&retry, ADMIN, json!({}));
    assert_eq!(status, Status::Conflict);
}

fn two_instances(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let db = TestDb::new(b);
    let vars = channels(&hook, &smtp);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = rocket::local::blocking::Client::tracked(quiet_rocket(db.settings(&vars))).expect("first");
    let second = rocket::local::blocking::Client::tracked(quiet_rocket(db.settings(&vars))).expect("second");
    for (i, client) in [&first, &second].into_iter().cycle().take(20).enumerate() {
        let day = chrono::NaiveDate::from_ymd_opt(2033, 9, 5).unwrap() + chrono::Duration::days(i as i64 * 7);
        let res = client
            .post("/api/requests")
            .header(ContentType::JSON)
            .header(identity([JOE, SUZY][i % 2]))
            .header(Header::new("Sec-Fetch-Site", "same-origin"))
            .body(json!({"start_date": day.to_string(), "end_date": day.to_string()}).to_string())
            .dispatch();
        assert_eq!(res.status(), Status::Created);
    }
    eventually(60, "every notification sent", || {
        db.count("SELECT count(*) FROM notifications WHERE state <> 'sent'") == 0
    });
    let all = db.count("SELECT count(*) FROM notifications");
    let chats = db.count("SELECT count(*) FROM notifications WHERE channel = 'chat'");
    let keys: Vec<String> = hook.received().into_iter().map(|(k, _)| k).collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "a chat message delivered twice");
    assert_eq!(keys.len() as i64, chats);
    let ids: Vec<String> = smtp
        .mails()
        .iter()
        .filter_map(|m| m.data.lines().find(|l| l.starts_with("Message-ID:")).map(str::to_owned))
        .collect();
    let mut unique_ids = ids.clone();
    unique_ids.sort();
    unique_ids.dedup();
    assert_eq!(ids.len(), unique_ids.len(), "a mail delivered twice");
    assert_eq!((ids.len() + keys.len()) as i64, all);
}

fn the_daily_digest_goes_once_to_each_approver_however_many_instances(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let db = TestDb::new(b);
    // The demo's requests, made without channels, then asked for a week ago; Lee wants no digest.
    drop(rocket::local::blocking::Client::tracked(quiet_rocket(db.settings(&[]))).expect("the demo"));
    db.execute("UPDATE holiday_requests SET created_at = '2020-01-06 09:00:00' WHERE status = 'Pending'");
    db.execute("INSERT INTO notification_preferences (email, by_email, by_chat, digest) VALUES ('lead@example.com', TRUE, TRUE, FALSE)");
    let mut vars = channels(&hook, &smtp);
    vars.push(("HOLIDAYS_DIGEST_HOUR", "0".into()));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = rocket::local::blocking::Client::tracked(quiet_rocket(db.settings(&vars))).expect("first");
    let second = rocket::local::blocking::Client::tracked(quiet_rocket(db.settings(&vars))).expect("second");
    eventually(30, "Maria's digest by mail and in chat", || {
        db.count("SELECT count(*) FROM notifications WHERE kind = 'digest' AND state = 'sent'") == 2
    });
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(db.count("SELECT count(*) FROM notification_digests"), 1, "one approver's day claimed once");
    assert_eq!(db.count("SELECT count(*) FROM notifications WHERE kind = 'digest'"), 2);
    let digests: Vec<Mail> = smtp.mails().into_iter().filter(|m| m.data.contains("wait for your decision")).collect();
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert_eq!(digests[0].to, vec![MARIA.to_owned()]);
    let data = &digests[0].data;
    assert!(data.contains("Subject: 3 requests wait for your decision"), "{data}");
    for who in ["Joe, Annual leave", "Suzy, Annual leave", "Charlie, Annual leave"] {
        assert!(data.contains(who), "{who} in {data}");
    }
    assert!(data.contains("https://holidays.example/queue"));
    let chats: Vec<String> = hook
        .received()
        .into_iter()
        .filter_map(|(_, b)| b["text"].as_str().map(str::to_owned))
        .filter(|t| t.contains("wait for your decision"))
        .collect();
    assert_eq!(chats.len(), 1, "{chats:?}");
    assert!(chats[0].starts_with("For manager@example.com: 3 requests wait for your decision"), "{}", chats[0]);
    drop((first, second));
}

/// The real binary, as deployed, on a port of its own, its output kept in `log`.
fn launch(db: &TestDb, vars: &[(&str, String)], log: &std::path::Path) -> (std::process::Child, u16) {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let out = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("a log file");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_holidays"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOLIDAYS_AUTH", "proxy")
        .env("HOLIDAYS_DEMO", "1")
        .env("HOLIDAYS_ADMINS", ADMIN)
        .env("HOLIDAYS_YEARS_AHEAD", "100")
        .env("DATABRICKS_APP_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .stdout(out.try_clone().expect("a log file"))
        .stderr(out);
    for (k, v) in &db.vars {
        cmd.env(k, v);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("the app starts");
    eventually(60, "the app answering", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok_and(|mut s| {
            let _ = s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
        })
    });
    (child, port)
}

/// Asks for a day off through the app's HTTP port; the new request's id.
fn ask_over_http(port: u16, who: &str, day: &str) -> i64 {
    let body = json!({"start_date": day, "end_date": day, "leave_type": "Unpaid leave"}).to_string();
    let answer = reqwest::blocking::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/requests"))
        .header("X-Forwarded-Email", who)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .expect("the app answers");
    assert_eq!(answer.status().as_u16(), 201, "{day}");
    let created: Value = answer.json().expect("JSON");
    created["id"].as_i64().expect("an id")
}

fn killed_and_restarted(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    hook.delay.store(200, Ordering::SeqCst);
    let db = TestDb::new(b);
    let vars = channels(&hook, &smtp);
    let log = std::env::temp_dir().join(format!("{}.log", unique("killed")));
    let (mut app, port) = launch(&db, &vars, &log);
    let days = weekdays("2034-01-02", 12);
    let ids: Vec<i64> = days.iter().map(|d| ask_over_http(port, JOE, d)).collect();
    eventually(30, "a first delivery", || !hook.received().is_empty());
    app.kill().expect("SIGKILL");
    let _ = app.wait();
    let waiting = db.count("SELECT count(*) FROM notifications WHERE state = 'waiting'");
    assert!(waiting > 0, "killed with nothing left to deliver: the test proves nothing");
    // Down for a while, then back: it delivers the rest, including the row it held when killed
    // (once its claim has expired).
    hook.down();
    let (mut again, _) = launch(&db, &vars, &log);
    std::thread::sleep(Duration::from_secs(2));
    hook.back_up();
    eventually(90, "every notification sent after the restart", || {
        db.count("SELECT count(*) FROM notifications WHERE state <> 'sent' AND state <> 'unsent'") == 0
    });
    for id in &ids {
        let keys: std::collections::BTreeSet<String> = chats_about(&hook, *id).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), 1, "request {id}: one notification, delivered (duplicates share its key)");
        assert!(mails_about(&smtp, *id).iter().any(|m| m.to == vec![MARIA.to_owned()]), "request {id}: its mail");
    }
    // SIGTERM: the worker stops within the grace period.
    let term = std::process::Command::new("kill").args(["-TERM", &again.id().to_string()]).status().expect("kill");
    assert!(term.success());
    let stopped = Instant::now();
    while again.try_wait().expect("status").is_none() {
        assert!(stopped.elapsed() < Duration::from_secs(10), "still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let logged = std::fs::read_to_string(&log).expect("the log");
    assert!(logged.contains("webhook did not answer"), "the outage is in the log");
    assert!(!logged.contains("T0KEN-S3CRET"), "the webhook's token is in the log");
    let _ = std::fs::remove_file(log);
}

fn thousand(b: Backend) {
    use futures::future::join_all;
    use rocket::local::asynchronous::Client as AsyncClient;
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    let db = TestDb::new(b);
    let vars = channels(&hook, &smtp);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let settings = db.settings(&vars);
    let people = [JOE, SUZY, CHARLIE, DANA];
    let days = weekdays("2034-01-02", 250);
    let (hook, dbr) = (&hook, &db);
    let statuses = rocket::execute(async move {
        let client = AsyncClient::untracked(quiet_rocket(settings)).await.expect("rocket");
        let client = &client;
        let mut statuses = Vec::new();
        // Eight at a time, 1,000 in all.
        for chunk in days.chunks(2) {
            let batch = chunk.iter().flat_map(|d| people.iter().map(move |who| (who, d))).map(|(who, d)| async move {
                client
                    .post("/api/requests")
                    .header(ContentType::JSON)
                    .header(identity(who))
                    .header(Header::new("Sec-Fetch-Site", "same-origin"))
                    .body(json!({"start_date": d, "end_date": d, "leave_type": "Unpaid leave"}).to_string())
                    .dispatch()
                    .await
                    .status()
            });
            statuses.extend(join_all(batch).await);
        }
        // The worker keeps delivering while this client lives.
        for _ in 0..1200 {
            if dbr.count("SELECT count(*) FROM notifications WHERE request_id > 8 AND state = 'sent'") == 2000 {
                break;
            }
            rocket::tokio::time::sleep(Duration::from_millis(100)).await;
        }
        statuses
    });
    assert_eq!(statuses.len(), 1000);
    assert!(statuses.iter().all(|s| *s == Status::Created), "{:?}", statuses.iter().find(|s| **s != Status::Created));
    // Each submission: its approver's mail and chat message (Dana's go to Lee).
    assert_eq!(db.count("SELECT count(*) FROM notifications WHERE request_id > 8"), 2000);
    assert_eq!(
        db.count("SELECT count(*) FROM notifications WHERE kind = 'submitted' AND request_id > 8 AND state = 'sent'"),
        2000
    );
    let keys: std::collections::BTreeSet<String> = hook.received().into_iter().map(|(k, _)| k).collect();
    assert!(keys.len() >= 1000, "{} distinct chat messages", keys.len());
    assert!(smtp.mails().len() >= 1000, "{} mails", smtp.mails().len());
}

fn a_busy_receiver_is_tried_again_after_its_retry_after(b: Backend) {
    let (hook, smtp) = (Hook::start(), SmtpSink::start());
    // 503 with Retry-After: 1, then 429, then it takes them.
    hook.answer.store(503, Ordering::SeqCst);
    let app = start_with_channels(b, &channels(&hook, &smtp));
    let id = app.ask(JOE, "2033-06-27", "2033-06-27");
    let chat = format!("SELECT attempts FROM notifications WHERE request_id = {id} AND channel = 'chat'");
    eventually(20, "a first refusal", || {
        app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id} AND channel = 'chat' AND last_error = 'the webhook answered 503 Service Unavailable'")) == 1
    });
    hook.answer.store(429, Ordering::SeqCst);
    eventually(20, "a second refusal", || {
        app.db.count(&format!("SELECT count(*) FROM notifications WHERE request_id = {id} AND channel = 'chat' AND last_error = 'the webhook answered 429 Too Many Requests'")) == 1
    });
    hook.answer.store(200, Ordering::SeqCst);
    eventually(30, "delivered", || chats_about(&hook, id).len() == 1);
    eventually(10, "marked sent", || {
        app.db.count(&format!(
            "SELECT count(*) FROM notifications WHERE request_id = {id} AND channel = 'chat' AND state = 'sent'"
        )) == 1
    });
    let attempts = app.db.count(&format!("SELECT count(*) FROM ({chat}) a WHERE attempts >= 3"));
    assert_eq!(attempts, 1, "tried at least three times");
}
