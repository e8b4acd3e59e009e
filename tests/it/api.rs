//! The JSON API: each flow and each error it can answer.

use crate::on_both_backends;
use crate::support::*;
use rocket::http::{ContentType, Header, Status};
use serde_json::json;

on_both_backends!(
    submit_then_see_it_everywhere_it_belongs,
    bad_input_is_422_with_a_sentence_and_changes_nothing,
    unreadable_bodies_get_400_413_415,
    manager_decides_once_and_the_second_decision_is_409,
    decisions_follow_the_rules,
    cancelling_follows_the_rules,
    lists_page_with_cursors_pending_first,
    every_page_size_shows_every_request_once,
    list_parameters_are_checked,
    colleagues_off_on_the_same_days_are_named,
    me_says_who_the_caller_is,
);

fn submit_then_see_it_everywhere_it_belongs(b: Backend) {
    let app = TestApp::start(b);
    let (status, body) = app.post_json(
        "/api/requests",
        JOE,
        json!({"start_date": "2026-07-06", "end_date": "2026-07-17", "comment": "Family trip"}),
    );
    assert_eq!(status, Status::Created, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["status"], "Pending");
    assert_eq!(body["working_days"], 10);
    assert_eq!(body["employee_name"], "Joe");
    assert_eq!(body["requester_email"], JOE);
    assert_eq!(body["comment"], "Family trip");

    let (status, mine) = app.get_json("/api/requests", JOE);
    assert_eq!(status, Status::Ok);
    let ids: Vec<i64> = mine["requests"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&id), "{mine}");
    assert!(ids.iter().all(|i| *i == id || *i == 1), "Joe sees only his own: {ids:?}");

    let (_, maria) = app.get_json("/api/requests?status=Pending", MARIA);
    let seen = maria["requests"].as_array().unwrap().iter().find(|r| r["id"] == id).expect("manager sees it");
    assert_eq!(seen["can_decide"], true);

    let (status, body) = app.get_json(&format!("/api/requests/{id}"), LEE);
    assert_eq!(status, Status::NotFound, "another team's manager may not see it: {body}");
    assert!(body["error"].as_str().unwrap().contains(&format!("#{id}")));

    let (status, detail) = app.get_json(&format!("/api/requests/{id}"), ADMIN);
    assert_eq!(status, Status::Ok);
    let events = detail["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["action"], "Submitted");
    assert_eq!(events[0]["actor"], JOE);
    assert_eq!(events[0]["note"], "Family trip");
}

fn bad_input_is_422_with_a_sentence_and_changes_nothing(b: Backend) {
    let app = TestApp::start(b);
    app.ask(JOE, "2026-03-02", "2026-03-06");
    let before = app.db.count("SELECT count(*) FROM holiday_requests");
    let long = "x".repeat(1001);
    let cases = [
        (json!({"start_date": "tomorrow", "end_date": "2026-07-01"}), "start_date", "YYYY-MM-DD"),
        (json!({"start_date": "2026-02-30", "end_date": "2026-03-01"}), "start_date", "not a date that exists"),
        (json!({"start_date": "2026-07-10", "end_date": "2026-07-01"}), "end_date", "before the start date"),
        (json!({"start_date": "2026-01-01", "end_date": "2027-01-02"}), "end_date", "at most 366 days"),
        (json!({"start_date": "2026-07-01", "end_date": "2026-07-02", "comment": long}), "comment", "at most 1000"),
        (json!({"start_date": "2026-03-06", "end_date": "2026-03-10"}), "start_date", "overlap your pending request"),
        (
            json!({"start_date": "2026-07-01", "end_date": "2026-07-02", "comment": "a\u{0}b"}),
            "comment",
            "control character",
        ),
        (json!({"start_date": 20260701, "end_date": "2026-07-02"}), "body", "expected fields"),
        (json!({"start_date": "2026-07-01"}), "body", "end_date"),
        (json!({"start_date": "2026-07-01", "end_date": "2026-07-02", "note": "typo"}), "body", "unknown field"),
    ];
    for (input, field, words) in cases {
        let (status, body) = app.post_json("/api/requests", JOE, input.clone());
        assert_eq!(status, Status::UnprocessableEntity, "{input} -> {body}");
        assert_eq!(body["field"], field, "{input} -> {body}");
        let error = body["error"].as_str().unwrap();
        assert!(error.contains(words), "{input} -> {error}");
        assert!(error.ends_with('.'), "a sentence: {error}");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests"), before);
}

fn unreadable_bodies_get_400_413_415(b: Backend) {
    let app = TestApp::start(b);
    let before = app.db.count("SELECT count(*) FROM holiday_requests");
    let send = |content_type: ContentType, body: String| {
        let res = app.client.post("/api/requests").header(content_type).header(identity(JOE)).body(body).dispatch();
        json_of(res)
    };
    let (status, body) = send(ContentType::JSON, "{\"start_date\": ".into());
    assert_eq!(status, Status::BadRequest);
    assert!(body["error"].as_str().unwrap().contains("not valid JSON"), "{body}");

    let (status, body) = send(ContentType::Form, "start_date=2026-07-01&end_date=2026-07-02".into());
    assert_eq!(status, Status::UnsupportedMediaType);
    assert!(body["error"].as_str().unwrap().contains("application/json"), "{body}");

    let huge = json!({"start_date": "2026-07-01", "end_date": "2026-07-02", "comment": "x".repeat(200_000)});
    let (status, body) = send(ContentType::JSON, huge.to_string());
    assert_eq!(status, Status::PayloadTooLarge);
    assert!(body["error"].as_str().unwrap().contains("larger than"), "{body}");
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests"), before);
}

fn manager_decides_once_and_the_second_decision_is_409(b: Backend) {
    let app = TestApp::start(b);
    let id = app.ask(JOE, "2026-08-03", "2026-08-07");
    let (status, body) = app.decide(id, MARIA, "Approved", Some("Enjoy!"));
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["status"], "Approved");
    assert_eq!(body["manager_note"], "Enjoy!");
    assert_eq!(body["decided_by"], MARIA);
    assert!(body["decided_at"].as_str().unwrap().ends_with('Z'));

    let (status, body) = app.decide(id, ADMIN, "Declined", Some("No"));
    assert_eq!(status, Status::Conflict, "{body}");
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("already approved by manager@example.com"), "{error}");

    let (_, detail) = app.get_json(&format!("/api/requests/{id}"), JOE);
    assert_eq!(detail["status"], "Approved", "the first decision stands");
    assert_eq!(detail["manager_note"], "Enjoy!");
    let actions: Vec<&str> =
        detail["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["Submitted", "Approved"]);
    assert_eq!(detail["events"][1]["note"], "Enjoy!");
    assert_eq!(detail["events"][1]["actor"], MARIA);
}

fn decisions_follow_the_rules(b: Backend) {
    let app = TestApp::start(b);
    let joes = app.ask(JOE, "2026-09-07", "2026-09-08");

    let (status, body) = app.decide(joes, LEE, "Approved", None);
    assert_eq!(status, Status::NotFound, "another manager cannot even see it: {body}");
    let (status, body) = app.decide(joes, SUZY, "Approved", None);
    assert_eq!(status, Status::NotFound, "a colleague cannot see it: {body}");
    let (status, body) = app.decide(joes, MARIA, "Maybe", None);
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["field"], "decision");
    let (status, body) = app.decide(joes, MARIA, "Declined", Some(&"n".repeat(1001)));
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["field"], "note");
    let (status, body) = app.decide(joes, MARIA, "Declined", Some("NUL \u{0} here"));
    assert_eq!(status, Status::UnprocessableEntity, "Postgres cannot store NUL: refused up front, not a 500");
    assert_eq!(body["field"], "note");
    let (status, body) = app.decide(9999, MARIA, "Approved", None);
    assert_eq!(status, Status::NotFound);
    assert!(body["error"].as_str().unwrap().contains("#9999"));

    // Nobody decides their own, admins included.
    let admins_own = app.ask(ADMIN, "2026-09-07", "2026-09-08");
    let (status, body) = app.decide(admins_own, ADMIN, "Approved", None);
    assert_eq!(status, Status::Forbidden, "{body}");
    assert!(body["error"].as_str().unwrap().contains("own request"));

    // A manager's own request goes to nobody but the admins.
    let marias = app.ask(MARIA, "2026-09-07", "2026-09-08");
    let (status, body) = app.decide(marias, MARIA, "Approved", None);
    assert_eq!(status, Status::Forbidden, "{body}");
    let (status, _) = app.decide(marias, ADMIN, "Approved", None);
    assert_eq!(status, Status::Ok);

    // Someone not in the directory can still ask; only admins decide.
    let newcomer = "New.Person@Example.com";
    let new_id = app.ask(newcomer, "2026-10-05", "2026-10-06");
    let (_, body) = app.get_json(&format!("/api/requests/{new_id}"), "new.person@example.com");
    assert_eq!(body["requester_email"], "new.person@example.com", "emails are case-insensitive");
    assert_eq!(app.decide(new_id, MARIA, "Approved", None).0, Status::NotFound);
    assert_eq!(app.decide(new_id, ADMIN, "Declined", Some("Talk to HR")).0, Status::Ok);

    // The pending request the walkthrough gave Dana is Lee's to decide, and the admin's.
    assert_eq!(app.decide(4, MARIA, "Approved", None).0, Status::NotFound);
    assert_eq!(app.decide(4, LEE, "Approved", None).0, Status::Ok);
    assert_eq!(
        app.db.count("SELECT count(*) FROM request_events WHERE action IN ('Approved', 'Declined')"),
        DEMO_DECISIONS + 3
    );
}

fn cancelling_follows_the_rules(b: Backend) {
    let app = TestApp::start(b);
    let pending = app.ask(JOE, "2030-01-07", "2030-01-08");
    let cancel = |id: i64, who: &str| app.post_json(&format!("/api/requests/{id}/cancel"), who, json!({}));

    assert_eq!(cancel(pending, MARIA).0, Status::Forbidden, "a manager does not cancel for others");
    assert_eq!(cancel(pending, SUZY).0, Status::NotFound);
    let (status, body) = cancel(pending, JOE);
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["status"], "Cancelled");
    let (status, body) = cancel(pending, JOE);
    assert_eq!(status, Status::Conflict);
    assert!(body["error"].as_str().unwrap().contains("already cancelled"), "{body}");
    assert_eq!(app.decide(pending, MARIA, "Approved", None).0, Status::Conflict);

    let future = app.ask(JOE, "2030-02-04", "2030-02-05");
    app.decide(future, MARIA, "Approved", None);
    assert_eq!(cancel(future, JOE).0, Status::Ok, "approved but not yet begun");

    // A request that has begun stays: asked for 2025, approved, then cancelled too late.
    let begun = app.ask(JOE, "2025-08-04", "2025-08-08");
    assert_eq!(app.decide(begun, MARIA, "Approved", None).0, Status::Ok);
    let (status, body) = cancel(begun, JOE);
    assert_eq!(status, Status::Conflict);
    assert!(body["error"].as_str().unwrap().contains("already started"), "{body}");

    let declined = app.ask(JOE, "2030-03-04", "2030-03-05");
    app.decide(declined, MARIA, "Declined", None);
    let (status, body) = cancel(declined, JOE);
    assert_eq!(status, Status::Conflict);
    assert!(body["error"].as_str().unwrap().contains("declined"), "{body}");

    let cancellations = app.db.count("SELECT count(*) FROM request_events WHERE action = 'Cancelled'");
    assert_eq!(cancellations, 2);
    // A cancelled request no longer blocks the same dates.
    app.ask(JOE, "2030-01-07", "2030-01-08");
}

fn lists_page_with_cursors_pending_first(b: Backend) {
    let app = TestApp::start(b);
    // 25 one-day requests from Joe in 2031 (the demo has 3 more in Maria's team).
    let mut ids = Vec::new();
    for day in weekdays("2031-01-06", 25) {
        ids.push(app.ask(JOE, &day, &day));
    }
    for id in &ids[..5] {
        app.decide(*id, MARIA, "Declined", None);
    }
    let mut seen = Vec::new();
    let mut statuses = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/requests?limit=7&cursor={c}"),
            None => "/api/requests?limit=7".to_owned(),
        };
        let (status, page) = app.get_json(&path, MARIA);
        assert_eq!(status, Status::Ok, "{page}");
        let rows = page["requests"].as_array().unwrap();
        assert!(rows.len() <= 7);
        for r in rows {
            seen.push(r["id"].as_i64().unwrap());
            statuses.push(r["status"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 28, "every request of Maria's team, once: {seen:?}");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 28);
    let first_decided = statuses.iter().position(|s| s != "Pending").unwrap();
    assert_eq!(first_decided, 23, "23 pending first: {statuses:?}");
    assert!(statuses[first_decided..].iter().all(|s| s == "Declined"));
    let pending_ids = &seen[..23];
    assert!(pending_ids.windows(2).all(|w| w[0] > w[1]), "newest first: {pending_ids:?}");

    let (_, declined) = app.get_json("/api/requests?status=declined", MARIA);
    assert_eq!(declined["requests"].as_array().unwrap().len(), 5);
    let (_, none) = app.get_json("/api/requests?status=Approved", MARIA);
    assert_eq!(none["requests"].as_array().unwrap().len(), 0);
    assert!(none["next_cursor"].is_null());
}

fn list_parameters_are_checked(b: Backend) {
    let app = TestApp::start(b);
    for (query, words) in [
        ("status=Maybe", "not one of"),
        ("limit=0", "from 1 to 100"),
        ("limit=101", "from 1 to 100"),
        ("limit=ten", "from 1 to 100"),
        ("cursor=abc", "cursor"),
        ("cursor=p1%27%3B%20DROP%20TABLE", "cursor"),
    ] {
        let (status, body) = app.get_json(&format!("/api/requests?{query}"), MARIA);
        assert_eq!(status, Status::BadRequest, "{query}: {body}");
        assert!(body["error"].as_str().unwrap().contains(words), "{query}: {body}");
    }
    let (status, body) = app.get_json("/api/requests/not-a-number", MARIA);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body["error"].is_string());
    let (status, body) = app.get_json("/api/nothing-here", MARIA);
    assert_eq!(status, Status::NotFound);
    assert!(body["error"].is_string(), "API errors are JSON even for unknown paths");
}

fn colleagues_off_on_the_same_days_are_named(b: Backend) {
    let app = TestApp::start(b);
    let joes = app.ask(JOE, "2032-05-03", "2032-05-07");
    let suzys = app.ask(SUZY, "2032-05-06", "2032-05-12");
    app.ask(CHARLIE, "2032-05-10", "2032-05-14"); // no shared day with Joe
    app.ask(DANA, "2032-05-03", "2032-05-07"); // same days, another team
    app.decide(suzys, MARIA, "Approved", None);
    let (_, joe) = app.get_json(&format!("/api/requests/{joes}"), MARIA);
    assert_eq!(joe["also_off"], json!(["Suzy (approved)"]));
    let (_, suzy) = app.get_json(&format!("/api/requests/{suzys}"), MARIA);
    let mut names: Vec<String> =
        suzy["also_off"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    names.sort();
    assert_eq!(names, ["Charlie (pending)", "Joe (pending)"]);
}

fn me_says_who_the_caller_is(b: Backend) {
    let app = TestApp::start(b);
    let (status, me) = app.get_json("/api/me", "Manager@Example.com");
    assert_eq!(status, Status::Ok);
    assert_eq!(me["email"], MARIA);
    assert_eq!(me["display_name"], "Maria Manager");
    assert_eq!(me["is_manager"], true);
    assert_eq!(me["is_admin"], false);
    let (_, me) = app.get_json("/api/me", JOE);
    assert_eq!(me["manager_email"], MARIA);
    let (_, me) = app.get_json("/api/me", ADMIN);
    assert_eq!(me["is_admin"], true);
    let res = app.client.get("/api/me").header(Header::new("X-Forwarded-Email", "not an email")).dispatch();
    let (status, body) = json_of(res);
    assert_eq!(status, Status::Unauthorized);
    assert!(body["error"].as_str().unwrap().contains("not signed in"), "{body}");
}

fn every_page_size_shows_every_request_once(b: Backend) {
    let app = TestApp::start(b);
    let ids: Vec<i64> = weekdays("2038-03-01", 8).iter().map(|d| app.ask(JOE, d, d)).collect();
    for id in &ids[..3] {
        app.decide(*id, MARIA, "Declined", None);
    }
    // Maria's team: 8 pending (5 of Joe's, the demo's 3) and 3 declined.
    for limit in 1..=12 {
        let (mut seen, mut statuses, mut cursor) = (Vec::new(), Vec::new(), None::<String>);
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/requests?limit={limit}&cursor={c}"),
                None => format!("/api/requests?limit={limit}"),
            };
            let (status, page) = app.get_json(&path, MARIA);
            assert_eq!(status, Status::Ok, "{page}");
            let rows = page["requests"].as_array().unwrap();
            assert!(rows.len() <= limit, "limit {limit}: a page of {}", rows.len());
            seen.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
            statuses.extend(rows.iter().map(|r| r["status"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
            assert!(seen.len() <= 11, "limit {limit}: pages without end");
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (11, 11), "limit {limit}: {seen:?}");
        assert!(statuses[..8].iter().all(|s| s == "Pending"), "limit {limit}: pending first {statuses:?}");
    }
}
