//! The team calendar, coverage rules and calendar files, through the API and the pages. Dates
//! are in 2033, past the built-in public holidays and the demo's requests, so every count here
//! is the test's own.

use crate::on_both_backends;
use crate::support::*;
use calcard::icalendar::{ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty};
use rocket::http::{ContentType, Header, Status};
use serde_json::{Value, json};

on_both_backends!(
    the_wall_chart_shows_a_team_and_keeps_private_leave_private,
    who_sees_which_team,
    the_chart_pages_by_month_with_htmx_and_without,
    coverage_rules_are_set_by_managers_and_admins,
    a_limit_blocks_or_warns_and_counts_half_days,
    blackouts_warn_or_block_and_show_on_the_chart,
    approving_over_a_block_takes_an_admin_an_override_and_a_note,
    simultaneous_submissions_do_not_both_pass_a_block_limit,
    calendar_files_are_rfc_5545_with_the_same_privacy,
);

/// The demo without its coverage rule, so that each test's rules are the only ones.
fn start(b: Backend) -> TestApp {
    let app = TestApp::start(b);
    assert_eq!(app.db.count("SELECT count(*) FROM coverage_rules"), 1, "the demo's rule");
    app.db.execute("DELETE FROM coverage_rules");
    app
}

fn ask_for(app: &TestApp, who: &str, body: Value) -> (Status, Value) {
    app.post_json("/api/requests", who, body)
}

fn ask_ok(app: &TestApp, who: &str, body: Value) -> Value {
    let (status, answer) = ask_for(app, who, body);
    assert_eq!(status, Status::Created, "{answer}");
    answer
}

fn delete(app: &TestApp, path: &str, who: &str) -> Status {
    app.client
        .delete(path.to_owned())
        .header(identity(who))
        .header(Header::new("Sec-Fetch-Site", "same-origin"))
        .dispatch()
        .status()
}

/// A person's days in `/api/calendar`'s answer.
fn days_of<'a>(calendar: &'a Value, email: &str) -> &'a Vec<Value> {
    calendar["people"]
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["email"] == email)
        .unwrap_or_else(|| panic!("{email} not in {calendar}"))["days"]
        .as_array()
        .expect("days")
}

fn day<'a>(calendar: &'a Value, email: &str, date: &str) -> Option<&'a Value> {
    days_of(calendar, email).iter().find(|d| d["date"] == date)
}

fn rule(app: &TestApp, who: &str, body: Value) -> (Status, Value) {
    app.post_json("/api/coverage-rules", who, body)
}

fn the_wall_chart_shows_a_team_and_keeps_private_leave_private(b: Backend) {
    let app = start(b);
    ask_ok(&app, SUZY, json!({"start_date": "2033-03-07", "end_date": "2033-03-08", "comment": "Lisbon trip"}));
    let sick = ask_ok(
        &app,
        CHARLIE,
        json!({"start_date": "2033-03-08", "end_date": "2033-03-08", "leave_type": "Sick leave", "comment": "flu"}),
    );
    ask_ok(&app, JOE, json!({"start_date": "2033-03-09", "end_date": "2033-03-09", "end_part": "morning"}));
    let declined = app.ask(JOE, "2033-03-21", "2033-03-21");
    assert_eq!(app.decide(declined, MARIA, "Declined", None).0, Status::Ok);

    // Joe sees his team: his manager and everyone who shares her.
    let (status, cal) = app.get_json("/api/calendar?month=2033-03", JOE);
    assert_eq!(status, Status::Ok, "{cal}");
    assert_eq!(cal["month"], "2033-03");
    assert_eq!(cal["team"], MARIA);
    let emails: Vec<&str> = cal["people"].as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), 4, "{emails:?}");
    for who in [MARIA, JOE, SUZY, CHARLIE] {
        assert!(emails.contains(&who), "{who} in {emails:?}");
    }
    // Only days that are not plain working days: March 2033 has 8 weekend days.
    let maria = days_of(&cal, MARIA);
    assert_eq!(maria.len(), 8, "{maria:?}");
    assert!(maria.iter().all(|d| d["kind"] == "weekend"));
    assert_eq!(day(&cal, MARIA, "2033-03-05").unwrap()["kind"], "weekend");
    // A colleague's annual leave: type and status, but not the request (Joe may not open it).
    let suzy = day(&cal, SUZY, "2033-03-07").unwrap();
    assert_eq!(
        (&suzy["kind"], &suzy["status"], &suzy["leave_type"], &suzy["part"]),
        (&json!("leave"), &json!("Pending"), &json!("Annual leave"), &json!("full"))
    );
    assert!(suzy.get("request_id").is_none(), "{suzy}");
    // A colleague's sick day: "Off".
    let charlie = day(&cal, CHARLIE, "2033-03-08").unwrap();
    assert_eq!((&charlie["leave_type"], &charlie["status"]), (&json!("Off"), &json!("Approved")));
    // His own half day, with its request; the declined one is not there.
    let own = day(&cal, JOE, "2033-03-09").unwrap();
    assert_eq!((&own["part"], own["request_id"].is_i64()), (&json!("morning"), true));
    assert!(day(&cal, JOE, "2033-03-21").is_none());
    // The HTML says no more than the JSON.
    let (status, html) = app.get_html("/calendar?month=2033-03", JOE);
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Who is off") && html.contains("March 2033"), "{html}");
    assert!(html.contains("Off") && html.contains("Annual leave"));
    for secret in ["Sick leave", "flu", "Lisbon trip", &format!("/requests/{}\"", sick["id"])] {
        assert!(!html.contains(secret), "Joe's calendar shows {secret}");
    }
    assert!(!serde_json::to_string(&cal).unwrap().contains("Sick leave"));

    // Charlie's manager, Charlie himself and an admin see the type, the comment and the request.
    for who in [MARIA, CHARLIE] {
        let (_, cal) = app.get_json(&format!("/api/calendar?month=2033-03&team={MARIA}"), who);
        let charlie = day(&cal, CHARLIE, "2033-03-08").unwrap();
        assert_eq!(charlie["leave_type"], "Sick leave", "{who}");
        assert_eq!(charlie["request_id"], sick["id"], "{who}");
        let (_, html) = app.get_html(&format!("/calendar?month=2033-03&team={MARIA}"), who);
        assert!(html.contains("Sick leave") && html.contains("flu"), "{who}");
    }
    // Suzy sees her own comment, not Charlie's.
    let (_, html) = app.get_html("/calendar?month=2033-03", SUZY);
    assert!(html.contains("Lisbon trip") && !html.contains("flu"));
    let (_, cal) = app.get_json(&format!("/api/calendar?month=2033-03&team={MARIA}"), ADMIN);
    assert_eq!(day(&cal, CHARLIE, "2033-03-08").unwrap()["leave_type"], "Sick leave");
}

fn who_sees_which_team(b: Backend) {
    let app = start(b);
    // Dana's team is Lee's; Lee's own default is the team he leads.
    let (_, cal) = app.get_json("/api/calendar?month=2033-03", DANA);
    assert_eq!(cal["team"], LEE);
    let (_, cal) = app.get_json("/api/calendar?month=2033-03", LEE);
    assert_eq!(cal["team"], LEE);
    assert_eq!(cal["people"].as_array().unwrap().len(), 2);
    // Another team is refused with a sentence, in JSON and HTML.
    let (status, body) = app.get_json(&format!("/api/calendar?month=2033-03&team={MARIA}"), DANA);
    assert_eq!(status, Status::Forbidden, "{body}");
    assert!(body["error"].as_str().unwrap().contains("only admins can see other teams"), "{body}");
    let (status, html) = app.get_html(&format!("/calendar?team={MARIA}"), DANA);
    assert_eq!(status, Status::Forbidden);
    assert!(html.contains("only admins can see other teams"));
    assert_eq!(app.get_json("/api/calendar?team=everyone", JOE).0, Status::Forbidden);
    // Admins see everyone, a page at a time, and any team.
    let (status, everyone) = app.get_json("/api/calendar?month=2033-03&team=everyone", ADMIN);
    assert_eq!(status, Status::Ok, "{everyone}");
    assert_eq!(everyone["people"].as_array().unwrap().len(), 7);
    assert_eq!((&everyone["team"], &everyone["page"], &everyone["more"]), (&Value::Null, &json!(1), &json!(false)));
    let (_, page2) = app.get_json("/api/calendar?month=2033-03&team=everyone&page=2", ADMIN);
    assert!(page2["people"].as_array().unwrap().is_empty());
    assert_eq!(app.get_json(&format!("/api/calendar?team={LEE}"), ADMIN).0, Status::Ok);
    // Bad input: a sentence naming the field.
    for (query, field) in [
        ("month=2033-13", "month"),
        ("month=March", "month"),
        ("team=nobody", "team"),
        ("team=everyone&page=0", "page"),
    ] {
        let (status, body) = app.get_json(&format!("/api/calendar?{query}"), ADMIN);
        assert_eq!(status, Status::UnprocessableEntity, "{query}: {body}");
        assert_eq!(body["field"], field, "{query}: {body}");
    }
    let (status, html) = app.get_html("/calendar?month=2033-13", JOE);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(html.contains("is not a month"));
}

fn the_chart_pages_by_month_with_htmx_and_without(b: Backend) {
    let app = start(b);
    let (_, html) = app.get_html("/calendar?month=2033-03", JOE);
    // Plain links for the months around, which htmx follows and pushes into the history.
    let previous = format!("/calendar?month=2033-02&amp;team={MARIA}");
    assert!(html.contains(&format!("href=\"{previous}\"")), "{html}");
    assert!(html.contains("hx-push-url=\"true\""));
    assert!(html.contains("/calendar?month=2033-04&amp;team="));
    // htmx gets the chart alone; a history restore gets the whole page.
    let fragment = app
        .client
        .get("/calendar?month=2033-04")
        .header(identity(JOE))
        .header(Header::new("HX-Request", "true"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        fragment.starts_with("<title>Calendar, April 2033 · Holidays</title><section id=\"calendar\""),
        "{fragment}"
    );
    assert!(fragment.contains("April 2033") && !fragment.contains("<html"));
    let restored = app
        .client
        .get("/calendar?month=2033-04")
        .header(identity(JOE))
        .header(Header::new("HX-Request", "true"))
        .header(Header::new("HX-History-Restore-Request", "true"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(restored.contains("<html") && restored.contains("April 2033"));
    // The navigation has its entry.
    let (_, home) = app.get_html("/", JOE);
    assert!(home.contains("href=\"/calendar\""));
}

fn coverage_rules_are_set_by_managers_and_admins(b: Backend) {
    let app = start(b);
    let limit = json!({"team": MARIA, "kind": "max_off", "max_off": 2, "mode": "warn"});
    let (status, body) = rule(&app, JOE, limit.clone());
    assert_eq!(status, Status::Forbidden, "{body}");
    let (status, body) = rule(&app, MARIA, json!({"team": null, "kind": "max_off", "max_off": 2, "mode": "warn"}));
    assert_eq!(
        (status, body["error"].as_str().unwrap()),
        (Status::Forbidden, "Only admins can set rules for the whole company.")
    );
    let (status, body) = rule(&app, MARIA, json!({"team": LEE, "kind": "max_off", "max_off": 2, "mode": "warn"}));
    assert_eq!(status, Status::Forbidden, "{body}");
    let (status, created) = rule(&app, MARIA, limit);
    assert_eq!(status, Status::Created, "{created}");
    assert_eq!(created["description"], "At most 2 off on one day (warns)");
    let (status, company) = rule(
        &app,
        ADMIN,
        json!({"kind": "blackout", "start_date": "2033-12-19", "end_date": "2033-12-23", "name": "Stock-take", "mode": "block"}),
    );
    assert_eq!(status, Status::Created, "{company}");
    assert_eq!((&company["team"], &company["start_date"]), (&Value::Null, &json!("2033-12-19")));
    for (body, field) in [
        (json!({"kind": "max_off", "mode": "warn"}), "max_off"),
        (json!({"kind": "max_off", "max_off": -1, "mode": "warn"}), "max_off"),
        (json!({"kind": "blackout", "name": "X", "mode": "warn"}), "start_date"),
        (
            json!({"kind": "blackout", "start_date": "2033-01-02", "end_date": "2033-01-01", "name": "X", "mode": "warn"}),
            "end_date",
        ),
        (json!({"kind": "blackout", "start_date": "2033-01-02", "mode": "warn"}), "name"),
        (json!({"kind": "max_off", "max_off": 1, "mode": "always"}), "mode"),
        (json!({"kind": "quota", "mode": "warn"}), "kind"),
    ] {
        let (status, answer) = rule(&app, ADMIN, body.clone());
        assert_eq!((status, answer["field"].as_str()), (Status::UnprocessableEntity, Some(field)), "{body}: {answer}");
    }
    // Everyone sees the rules that apply to them; Dana's team has only the company's.
    let (_, joe) = app.get_json("/api/coverage-rules", JOE);
    assert_eq!(joe.as_array().unwrap().len(), 2, "{joe}");
    let (_, dana) = app.get_json("/api/coverage-rules", DANA);
    assert_eq!(dana.as_array().unwrap().len(), 1, "{dana}");
    // Only the team's manager or an admin removes a rule; each change is audited.
    let path = format!("/api/coverage-rules/{}", created["id"]);
    assert_eq!(delete(&app, &path, JOE), Status::Forbidden);
    assert_eq!(delete(&app, &format!("/api/coverage-rules/{}", company["id"]), MARIA), Status::Forbidden);
    assert_eq!(delete(&app, &path, MARIA), Status::NoContent);
    assert_eq!(delete(&app, &path, MARIA), Status::NotFound);
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action LIKE 'coverage_rule_%'"), 3);
    // The page lists them; its form adds one for the manager's team, and refuses bad input as typed.
    let (status, page) = app.get_html("/coverage", MARIA);
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Stock-take blackout") && page.contains("Add a rule"));
    let added = app.post_form(
        "/coverage",
        MARIA,
        &[("team", MARIA), ("kind", "max_off"), ("max_off", "3"), ("mode", "block")],
        false,
    );
    assert_eq!(added.status, Status::SeeOther, "{}", added.body);
    let refused = app.post_form(
        "/coverage",
        MARIA,
        &[("team", MARIA), ("kind", "max_off"), ("max_off", "many"), ("mode", "block")],
        false,
    );
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("is not a whole number of people"), "{}", refused.body);
    let (_, page) = app.get_html("/coverage", JOE);
    assert!(page.contains("At most 3 off on one day (blocks)") && !page.contains("Add a rule"));
}

fn a_limit_blocks_or_warns_and_counts_half_days(b: Backend) {
    let app = start(b);
    let (status, _) = rule(
        &app,
        MARIA,
        json!({"team": MARIA, "kind": "max_off", "max_off": 1, "mode": "block", "start_date": "2033-03-01", "end_date": "2033-03-31"}),
    );
    assert_eq!(status, Status::Created);
    ask_ok(&app, SUZY, json!({"start_date": "2033-03-07", "end_date": "2033-03-08"}));
    // A second person on Tuesday is over the limit: refused, naming the day and the rule.
    let (status, body) = ask_for(&app, JOE, json!({"start_date": "2033-03-08", "end_date": "2033-03-10"}));
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(
        body["error"],
        "2 of 4 in Maria Manager's team off on Tue 8 Mar 2033, limit 1. A coverage rule blocks requests then: choose other dates, or talk to your manager."
    );
    // Half of a day beside another's whole day is still over; from Wednesday it fits.
    let (status, _) =
        ask_for(&app, JOE, json!({"start_date": "2033-03-08", "end_date": "2033-03-09", "start_part": "afternoon"}));
    assert_eq!(status, Status::UnprocessableEntity);
    ask_ok(&app, JOE, json!({"start_date": "2033-03-09", "end_date": "2033-03-09", "end_part": "morning"}));
    // Two half days make one person: Charlie's afternoon fits beside Joe's morning.
    ask_ok(&app, CHARLIE, json!({"start_date": "2033-03-09", "end_date": "2033-03-09", "start_part": "afternoon"}));
    // Sick leave cannot be refused: it goes through and says what it breaks.
    let sick = ask_ok(
        &app,
        CHARLIE,
        json!({"start_date": "2033-03-07", "end_date": "2033-03-07", "leave_type": "Sick leave"}),
    );
    assert_eq!(sick["coverage"], json!(["2 of 4 in Maria Manager's team off on Mon 7 Mar 2033, limit 1."]));
    // Another team is not counted: Dana's request the same day passes.
    ask_ok(&app, DANA, json!({"start_date": "2033-03-08", "end_date": "2033-03-08"}));
    // Outside the rule's period nothing applies; a cancelled request frees its day.
    let (status, body) = ask_for(&app, JOE, json!({"start_date": "2033-03-07", "end_date": "2033-03-07"}));
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    let (_, mine) = app.get_json("/api/requests?status=Pending", SUZY);
    let suzys = mine["requests"].as_array().unwrap().iter().find(|r| r["start_date"] == "2033-03-07").unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.post_json(&format!("/api/requests/{suzys}/cancel"), SUZY, json!({})).0, Status::Ok);
    let (status, body) = ask_for(&app, JOE, json!({"start_date": "2033-03-08", "end_date": "2033-03-08"}));
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(body["coverage"], json!([]));

    // A warning limit lets the request through and tells the approver in the queue.
    rule(
        &app,
        MARIA,
        json!({"team": MARIA, "kind": "max_off", "max_off": 1, "mode": "warn", "start_date": "2033-04-01", "end_date": "2033-04-30"}),
    );
    ask_ok(&app, SUZY, json!({"start_date": "2033-04-05", "end_date": "2033-04-05"}));
    let warned = ask_ok(&app, JOE, json!({"start_date": "2033-04-05", "end_date": "2033-04-05"}));
    let sentence = "2 of 4 in Maria Manager's team off on Tue 5 Apr 2033, limit 1.";
    assert_eq!(warned["coverage"], json!([sentence]));
    let (_, queue) = app.get_html("/queue", MARIA);
    assert!(queue.contains(sentence), "{queue}");
    let (_, one) = app.get_json(&format!("/api/requests/{}", warned["id"]), MARIA);
    assert_eq!(one["coverage"], json!([sentence]), "{one}");
    // The calendar marks the day at the limit.
    let (_, html) = app.get_html("/calendar?month=2033-04", MARIA);
    assert!(html.contains("off, limit 1"), "{html}");
}

fn blackouts_warn_or_block_and_show_on_the_chart(b: Backend) {
    let app = start(b);
    rule(
        &app,
        MARIA,
        json!({"team": MARIA, "kind": "blackout", "name": "Release week", "start_date": "2033-03-14", "end_date": "2033-03-18", "mode": "warn"}),
    );
    rule(
        &app,
        ADMIN,
        json!({"kind": "blackout", "name": "Stock-take", "start_date": "2033-04-04", "end_date": "2033-04-08", "mode": "block"}),
    );
    let warned = ask_ok(&app, JOE, json!({"start_date": "2033-03-11", "end_date": "2033-03-15"}));
    assert_eq!(
        warned["coverage"],
        json!([
            "Mon 14 Mar 2033 is inside the Release week blackout (Mon 14 Mar 2033 to Fri 18 Mar 2033) for Maria Manager's team."
        ])
    );
    // The company's block stops everyone, naming the rule; Dana's team too.
    for who in [SUZY, DANA] {
        let (status, body) = ask_for(&app, who, json!({"start_date": "2033-04-01", "end_date": "2033-04-05"}));
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert!(
            body["error"].as_str().unwrap().starts_with("Mon 4 Apr 2033 is inside the Stock-take blackout"),
            "{body}"
        );
        assert_eq!(body["field"], "start_date");
    }
    // The page's form says so too, keeping what was typed.
    let refused = app.post_form(
        "/requests",
        SUZY,
        &[("start_date", "2033-04-06"), ("end_date", "2033-04-06"), ("comment", "dentist")],
        true,
    );
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Stock-take") && refused.body.contains("dentist"), "{}", refused.body);
    // The chart marks blackout days in its header.
    let (_, html) = app.get_html("/calendar?month=2033-03", JOE);
    assert!(html.contains("(blackout: Release week)"), "{html}");
    let (_, html) = app.get_html("/calendar?month=2033-04", DANA);
    assert!(html.contains("(blackout: Stock-take)"));
}

fn approving_over_a_block_takes_an_admin_an_override_and_a_note(b: Backend) {
    let app = start(b);
    let joes = app.ask(JOE, "2033-05-02", "2033-05-03");
    let suzys = app.ask(SUZY, "2033-05-03", "2033-05-03");
    let charlies = app.ask(CHARLIE, "2033-05-03", "2033-05-03");
    // The rule comes after they asked: approving any of them would now break it.
    rule(&app, MARIA, json!({"team": MARIA, "kind": "max_off", "max_off": 2, "mode": "block"}));
    let (status, body) = app.decide(suzys, MARIA, "Approved", None);
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(
        body["error"],
        "3 of 4 in Maria Manager's team off on Tue 3 May 2033, limit 2. A coverage rule blocks this: only an admin can approve over it, with a note."
    );
    let decide = |id: i64, body: Value| app.post_json(&format!("/api/requests/{id}/decision"), ADMIN, body);
    let (status, body) = decide(suzys, json!({"decision": "Approved"}));
    assert_eq!((status, body["field"].as_str()), (Status::UnprocessableEntity, Some("override")), "{body}");
    let (status, body) = decide(suzys, json!({"decision": "Approved", "override": true}));
    assert_eq!((status, body["field"].as_str()), (Status::UnprocessableEntity, Some("note")), "{body}");
    assert_eq!(
        app.db.count("SELECT count(*) FROM holiday_requests WHERE status = 'Approved' AND start_date >= '2033-01-01'"),
        0
    );
    let (status, body) = decide(
        suzys,
        json!({"decision": "Approved", "override": true, "note": "Cover arranged with the other office"}),
    );
    assert_eq!((status, &body["status"]), (Status::Ok, &json!("Approved")), "{body}");
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action = 'coverage_override'"), 1);
    // Declining is always possible; once one fewer is off, approving the other fits.
    assert_eq!(app.decide(charlies, MARIA, "Declined", None).0, Status::Ok);
    let (status, body) = app.decide(joes, MARIA, "Approved", None);
    assert_eq!(status, Status::Ok, "{body}");

    // In the queue, a refused approval offers the admin the override, with the note kept.
    let other = app.ask(DANA, "2033-05-04", "2033-05-04");
    rule(
        &app,
        ADMIN,
        json!({"kind": "blackout", "name": "Audit", "start_date": "2033-05-04", "end_date": "2033-05-04", "mode": "block"}),
    );
    let path = format!("/requests/{other}/decision");
    let refused = app.post_form(&path, ADMIN, &[("decision", "Approved"), ("note", "urgent"), ("back", "queue")], true);
    assert_eq!(refused.status, Status::UnprocessableEntity, "{}", refused.body);
    assert!(refused.body.contains("name=\"override\"") && refused.body.contains("urgent"), "{}", refused.body);
    let refused = app.post_form(&path, LEE, &[("decision", "Approved"), ("back", "queue")], true);
    assert_eq!(refused.status, Status::Conflict);
    assert!(!refused.body.contains("name=\"override\""));
    let done = app.post_form(
        &path,
        ADMIN,
        &[("decision", "Approved"), ("note", "urgent"), ("override", "true"), ("back", "queue")],
        true,
    );
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action = 'coverage_override'"), 2);
}

fn simultaneous_submissions_do_not_both_pass_a_block_limit(b: Backend) {
    use futures::future::join_all;
    use rocket::local::asynchronous::Client as AsyncClient;
    let db = TestDb::new(b);
    let settings = db.settings(&[("HOLIDAYS_DB_POOL_SIZE", "10"), ("HOLIDAYS_DB_TIMEOUT_MS", "20000")]);
    let statuses = rocket::execute(async move {
        let client = AsyncClient::untracked(quiet_rocket(settings)).await.expect("rocket");
        let made = client
            .post("/api/coverage-rules")
            .header(ContentType::JSON)
            .header(identity(MARIA))
            .header(Header::new("Sec-Fetch-Site", "same-origin"))
            .body(json!({"team": MARIA, "kind": "max_off", "max_off": 1, "mode": "block"}).to_string())
            .dispatch()
            .await;
        assert_eq!(made.status(), Status::Created);
        let client = &client;
        // Three people at once on each of five days: one a day fits.
        let attempts = ["2033-06-06", "2033-06-07", "2033-06-08", "2033-06-09", "2033-06-10"]
            .into_iter()
            .flat_map(|d| [(JOE, d), (SUZY, d), (CHARLIE, d)])
            .map(|(who, d)| async move {
                client
                    .post("/api/requests")
                    .header(ContentType::JSON)
                    .header(identity(who))
                    .header(Header::new("Sec-Fetch-Site", "same-origin"))
                    .body(json!({"start_date": d, "end_date": d}).to_string())
                    .dispatch()
                    .await
                    .status()
            });
        join_all(attempts).await
    });
    assert_eq!(statuses.iter().filter(|s| **s == Status::Created).count(), 5, "{statuses:?}");
    assert!(statuses.iter().all(|s| [Status::Created, Status::UnprocessableEntity].contains(s)), "{statuses:?}");
    for d in ["2033-06-06", "2033-06-07", "2033-06-08", "2033-06-09", "2033-06-10"] {
        assert_eq!(db.count(&format!("SELECT count(*) FROM holiday_requests WHERE start_date = '{d}'")), 1, "{d}");
    }
}

fn ics_of(app: &TestApp, path: &str, who: &str) -> (Status, String, Option<String>) {
    let res = app.client.get(path.to_owned()).header(identity(who)).dispatch();
    let kind = res.headers().get_one("Content-Type").map(str::to_owned);
    (res.status(), res.into_string().unwrap_or_default(), kind)
}

fn events(ics: &str) -> Vec<ICalendarComponent> {
    let parsed = ICalendar::parse(ics).unwrap_or_else(|e| panic!("not an iCalendar: {e:?}\n{ics}"));
    parsed.components.into_iter().filter(|c| c.component_type == ICalendarComponentType::VEvent).collect()
}

fn text(event: &ICalendarComponent, property: ICalendarProperty) -> String {
    event.property(&property).and_then(|p| p.values.first()).and_then(|v| v.as_text()).unwrap_or_default().to_owned()
}

/// A `VALUE=DATE` property as YYYYMMDD.
fn date(event: &ICalendarComponent, property: ICalendarProperty) -> String {
    let d = event
        .property(&property)
        .and_then(|p| p.values.first())
        .and_then(|v| v.as_partial_date_time())
        .expect("a date");
    assert_eq!(d.hour, None, "a whole day");
    format!("{:04}{:02}{:02}", d.year.unwrap(), d.month.unwrap(), d.day.unwrap())
}

fn calendar_files_are_rfc_5545_with_the_same_privacy(b: Backend) {
    let app = start(b);
    let approved = ask_ok(
        &app,
        JOE,
        json!({"start_date": "2033-03-07", "end_date": "2033-03-11", "comment": "Skiing, Alps; with kids"}),
    );
    let approved = approved["id"].as_i64().unwrap();
    assert_eq!(app.decide(approved, MARIA, "Approved", None).0, Status::Ok);
    let pending = app.ask(JOE, "2033-03-31", "2033-04-01");
    let declined = app.ask(JOE, "2033-03-21", "2033-03-21");
    app.decide(declined, MARIA, "Declined", None);
    ask_ok(
        &app,
        CHARLIE,
        json!({"start_date": "2033-03-08", "end_date": "2033-03-08", "leave_type": "Sick leave", "comment": "flu"}),
    );

    // One request: an all-day event with an exclusive end, confirmed, the same bytes each time.
    let (status, ics, kind) = ics_of(&app, &format!("/requests/{approved}.ics"), JOE);
    assert_eq!(status, Status::Ok, "{ics}");
    assert_eq!(kind.as_deref(), Some("text/calendar; charset=utf-8"));
    assert!(ics.ends_with("\r\n") && !ics.replace("\r\n", "").contains('\n'));
    let found = events(&ics);
    assert_eq!(found.len(), 1);
    let e = &found[0];
    assert_eq!(text(e, ICalendarProperty::Uid), format!("request-{approved}@holidays"));
    assert_eq!(
        (date(e, ICalendarProperty::Dtstart), date(e, ICalendarProperty::Dtend)),
        ("20330307".into(), "20330312".into())
    );
    assert!(ics.contains("STATUS:CONFIRMED"));
    assert!(text(e, ICalendarProperty::Description).contains("Skiing, Alps; with kids"));
    assert!(ics.contains("Skiing\\, Alps\\; with kids"), "escaped: {ics}");
    assert!(e.property(&ICalendarProperty::Dtstamp).is_some());
    assert_eq!(ics_of(&app, &format!("/requests/{approved}.ics"), JOE).1, ics);
    // His manager may download it; a colleague may not know it exists; a declined one is not leave.
    assert_eq!(ics_of(&app, &format!("/requests/{approved}.ics"), MARIA).0, Status::Ok);
    assert_eq!(ics_of(&app, &format!("/requests/{approved}.ics"), SUZY).0, Status::NotFound);
    let (status, body, _) = ics_of(&app, &format!("/requests/{declined}.ics"), JOE);
    assert_eq!(status, Status::Conflict);
    assert!(body.contains("is declined: there is nothing to put in a calendar"));
    // The approved request's row links to it.
    let (_, home) = app.get_html("/", JOE);
    assert!(home.contains(&format!("href=\"/requests/{approved}.ics\"")), "{home}");

    // His own period: approved and pending (tentative), not the declined one.
    let (status, mine, _) = ics_of(&app, "/calendar.ics?scope=mine&from=2033-03-01&to=2033-04-30", JOE);
    assert_eq!(status, Status::Ok, "{mine}");
    let found = events(&mine);
    let uids: Vec<String> = found.iter().map(|e| text(e, ICalendarProperty::Uid)).collect();
    assert_eq!(uids, vec![format!("request-{approved}@holidays"), format!("request-{pending}@holidays")]);
    assert!(mine.contains("STATUS:TENTATIVE"));
    // The team's: Charlie's sick day is "Off", with no comment, for Joe; his manager sees it.
    let (_, team, _) = ics_of(&app, "/calendar.ics?scope=team&from=2033-03-01&to=2033-03-31", JOE);
    assert!(team.contains("Charlie: Off") && !team.contains("Sick") && !team.contains("flu"), "{team}");
    assert_eq!(events(&team).len(), 3);
    let (_, team, _) = ics_of(&app, "/calendar.ics?scope=team&from=2033-03-01&to=2033-03-31", MARIA);
    assert!(team.contains("Charlie: Sick leave") && team.contains("flu"), "{team}");
    // Bad periods are refused with a sentence.
    for (query, words) in [
        ("scope=all", "mine or team"),
        ("from=2033-02-30", "not a date"),
        ("from=2033-03-01&to=2033-01-01", "before"),
        ("from=2033-01-01&to=2035-01-01", "at most"),
    ] {
        let (status, body, _) = ics_of(&app, &format!("/calendar.ics?{query}"), JOE);
        assert_eq!(status, Status::UnprocessableEntity, "{query}");
        assert!(body.contains(words), "{query}: {body}");
    }
}
