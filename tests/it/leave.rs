//! Leave policy through the API and the pages: types, counting with public holidays and half
//! days, balances, overdraw, adjustments, people's workplaces, public holidays.

use crate::on_both_backends;
use crate::support::*;
use rocket::http::{ContentType, Header, Status};
use serde_json::{Value, json};

on_both_backends!(
    leave_types_are_listed_and_managed_by_admins,
    sick_leave_is_approved_at_once,
    days_are_counted_with_public_holidays_and_half_days,
    balances_count_pending_and_approved_and_are_guarded,
    a_block_type_refuses_overdraw_and_a_warn_type_shows_it,
    adjustments_are_audited_and_counted,
    carried_over_days_reach_the_next_year,
    people_are_updated_with_checked_fields,
    public_holidays_are_listed_by_location_and_year,
    admins_add_and_remove_public_holidays,
    the_admin_page_runs_the_policy_with_forms,
    the_form_previews_and_the_pages_show_balances,
    ten_simultaneous_submissions_against_a_block_type_that_affords_one,
);

/// The app with carry-over switched off, so that balances do not depend on the demo data's
/// requests this year (whose unused days would otherwise carry into every year after).
fn start(b: Backend) -> TestApp {
    TestApp::start_with(b, &[("HOLIDAYS_CARRY_OVER_CAP", "0")])
}

fn put_json(app: &TestApp, path: &str, who: &str, body: Value) -> (Status, Value) {
    let res = app
        .client
        .put(path.to_owned())
        .header(ContentType::JSON)
        .header(identity(who))
        .body(body.to_string())
        .dispatch();
    json_of(res)
}

fn patch_json(app: &TestApp, path: &str, who: &str, body: Value) -> (Status, Value) {
    let res = app
        .client
        .patch(path.to_owned())
        .header(ContentType::JSON)
        .header(identity(who))
        .body(body.to_string())
        .dispatch();
    json_of(res)
}

fn annual(app: &TestApp, who: &str, year: i32) -> Value {
    let (status, body) = app.get_json(&format!("/api/balances?email={who}&year={year}"), who);
    assert_eq!(status, Status::Ok, "{body}");
    body["balances"].as_array().unwrap().iter().find(|b| b["leave_type"] == "Annual leave").cloned().expect("annual")
}

fn leave_types_are_listed_and_managed_by_admins(b: Backend) {
    let app = start(b);
    let (status, body) = app.get_json("/api/leave-types", JOE);
    assert_eq!(status, Status::Ok);
    let names: Vec<&str> =
        body["leave_types"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Annual leave", "Sick leave", "Unpaid leave"]);
    let sick = &body["leave_types"][1];
    assert_eq!(
        (sick["deducted"].clone(), sick["needs_approval"].clone(), sick["private"].clone()),
        (json!(false), json!(false), json!(true))
    );
    assert_eq!(body["leave_types"][0]["overdraw"], "block");

    let study = json!({"name": "Study leave", "colour": "#118844", "deducted": true, "overdraw": "warn"});
    let (status, body) = app.post_json("/api/leave-types", MARIA, study.clone());
    assert_eq!(status, Status::Forbidden, "managers do not run the policy: {body}");
    let (status, created) = app.post_json("/api/leave-types", ADMIN, study);
    assert_eq!(status, Status::Created, "{created}");
    assert_eq!((created["deducted"].clone(), created["active"].clone()), (json!(true), json!(true)));
    let (status, body) = app.post_json("/api/leave-types", ADMIN, json!({"name": "study LEAVE"}));
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("name")), "{body}");
    let (status, body) = app.post_json("/api/leave-types", ADMIN, json!({"name": "X", "colour": "green"}));
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("colour")), "{body}");
    let (status, body) = app.post_json("/api/leave-types", ADMIN, json!({"name": "X", "overdraw": "maybe"}));
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("overdraw")), "{body}");

    let id = created["id"].as_i64().unwrap();
    let (status, retired) = patch_json(&app, &format!("/api/leave-types/{id}"), ADMIN, json!({"active": false}));
    assert_eq!(status, Status::Ok, "{retired}");
    assert_eq!((retired["active"].clone(), retired["name"].clone()), (json!(false), json!("Study leave")));
    let (status, body) = app.post_json(
        "/api/requests",
        JOE,
        json!({"start_date": "2032-03-01", "end_date": "2032-03-01", "leave_type": "Study leave"}),
    );
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("leave_type")), "{body}");
    assert!(body["error"].as_str().unwrap().contains("retired"), "{body}");
    let (status, body) = app.post_json(
        "/api/requests",
        JOE,
        json!({"start_date": "2032-03-01", "end_date": "2032-03-01", "leave_type": "Gardening leave"}),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(body["error"].as_str().unwrap().contains("Annual leave, Sick leave, Unpaid leave"), "{body}");
    let (status, _) = patch_json(&app, "/api/leave-types/999", ADMIN, json!({"active": false}));
    assert_eq!(status, Status::NotFound);
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action LIKE 'leave_type%'"), 2, "audited");
}

fn sick_leave_is_approved_at_once(b: Backend) {
    let app = start(b);
    let before = annual(&app, JOE, 2032);
    let (status, body) = app.post_json(
        "/api/requests",
        JOE,
        json!({"start_date": "2032-03-01", "end_date": "2032-03-02", "leave_type": 2, "comment": "Flu"}),
    );
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(
        (body["status"].clone(), body["leave_type"].clone(), body["days"].clone()),
        (json!("Approved"), json!("Sick leave"), json!(2.0))
    );
    assert_eq!(body["decided_by"], JOE);
    let (_, detail) = app.get_json(&format!("/api/requests/{}", body["id"]), ADMIN);
    let actions: Vec<&str> =
        detail["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["Submitted", "Approved"]);
    assert_eq!(annual(&app, JOE, 2032), before, "sick leave is not deducted");
    assert_eq!(
        app.get_json("/api/requests?status=Pending", MARIA).1["requests"].as_array().unwrap().len(),
        3,
        "nothing to decide"
    );
}

fn days_are_counted_with_public_holidays_and_half_days(b: Backend) {
    let app = start(b);
    // Joe works in England: Christmas 2027 falls on a Saturday and Boxing Day on a Sunday, so
    // Monday 27 and Tuesday 28 December are bank holidays.
    let (status, body) =
        app.post_json("/api/requests", JOE, json!({"start_date": "2027-12-24", "end_date": "2027-12-31"}));
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!((body["days"].clone(), body["working_days"].clone()), (json!(4.0), json!(6)));
    // Its page says how: the week, the location and the holidays left out.
    let (status, page) = app.get_html(&format!("/requests/{}", body["id"]), JOE);
    assert_eq!(status, Status::Ok);
    assert!(page.contains("4 days, counted when asked: the working days of a Mon-Fri week in GB-ENG"), "{page}");
    assert!(page.contains("Mon 27 Dec 2027") && page.contains("Tue 28 Dec 2027"), "{page}");
    assert!(!page.contains("Sat 25 Dec 2027"), "a holiday on a weekend changes nothing and is not listed");
    // Suzy works in Bavaria, where Corpus Christi (Thursday 20 June 2030) is a holiday; a half
    // day at each end. The shipped holidays cover 2024 to 2030.
    let (status, body) = app.post_json(
        "/api/requests",
        SUZY,
        json!({"start_date": "2030-06-17", "end_date": "2030-06-21", "start_part": "afternoon", "end_part": "morning"}),
    );
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(body["days"], 3.0, "Mon 17 afternoon, Tue, Wed, Thu 20 Corpus Christi, Fri 21 morning: {body}");
    assert_eq!((body["start_part"].clone(), body["end_part"].clone()), (json!("afternoon"), json!("morning")));

    for (input, field) in [
        (json!({"start_date": "2032-03-06", "end_date": "2032-03-07"}), "start_date"),
        (json!({"start_date": "2032-03-01", "end_date": "2032-03-01", "start_part": "evening"}), "start_part"),
        (json!({"start_date": "2032-03-01", "end_date": "2032-03-01", "end_part": "afternoon"}), "end_part"),
        (
            json!({"start_date": "2032-03-01", "end_date": "2032-03-01", "start_part": "afternoon", "end_part": "morning"}),
            "end_part",
        ),
    ] {
        let (status, body) = app.post_json("/api/requests", CHARLIE, input.clone());
        assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!(field)), "{input}: {body}");
    }
    let (_, weekend) =
        app.post_json("/api/requests", CHARLIE, json!({"start_date": "2032-03-06", "end_date": "2032-03-07"}));
    assert!(weekend["error"].as_str().unwrap().contains("no working day"), "{weekend}");

    // A type without half days refuses them, naming the part.
    let (status, _) = patch_json(&app, "/api/leave-types/3", ADMIN, json!({"half_days": false}));
    assert_eq!(status, Status::Ok);
    let (status, body) = app.post_json(
        "/api/requests",
        CHARLIE,
        json!({"start_date": "2032-03-01", "end_date": "2032-03-02", "leave_type": "Unpaid leave", "end_part": "morning"}),
    );
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("end_part")), "{body}");
    // A Sunday-to-Thursday week counts Sunday and not Friday.
    let (status, _) = put_json(
        &app,
        "/api/people/charlie@example.com",
        ADMIN,
        json!({"working_week": ["Sun", "Mon", "Tue", "Wed", "Thu"], "location": null}),
    );
    assert_eq!(status, Status::Ok);
    let (status, body) =
        app.post_json("/api/requests", CHARLIE, json!({"start_date": "2032-03-05", "end_date": "2032-03-07"}));
    assert_eq!((status, body["days"].clone()), (Status::Created, json!(1.0)), "Fri, Sat off; Sun worked: {body}");
}

fn balances_count_pending_and_approved_and_are_guarded(b: Backend) {
    let app = start(b);
    let fresh = annual(&app, JOE, 2032);
    assert_eq!((fresh["allowance"].clone(), fresh["available"].clone()), (json!(25.0), json!(25.0)));
    let id = app.ask(JOE, "2032-03-01", "2032-03-05");
    let after = annual(&app, JOE, 2032);
    assert_eq!((after["pending"].clone(), after["available"].clone()), (json!(5.0), json!(20.0)));
    assert_eq!(app.decide(id, MARIA, "Approved", None).0, Status::Ok);
    let approved = annual(&app, JOE, 2032);
    assert_eq!(
        (approved["taken"].clone(), approved["pending"].clone(), approved["available"].clone()),
        (json!(5.0), json!(0.0), json!(20.0))
    );
    // A request across New Year draws on each year for its own days.
    app.ask(JOE, "2029-12-24", "2030-01-04");
    let (this, next) = (annual(&app, JOE, 2029), annual(&app, JOE, 2030));
    assert_eq!(
        this["pending"], 4.0,
        "Mon 24, Thu 27, Fri 28, Mon 31 December; Christmas and Boxing Day not counted: {this}"
    );
    assert_eq!(next["pending"], 3.0, "Wed 2 to Fri 4 January 2030, after New Year's Day: {next}");

    let (status, own) = app.get_json("/api/balances", JOE);
    assert_eq!(status, Status::Ok);
    assert_eq!(own["balances"][0]["email"], JOE, "your own by default");
    assert_eq!(app.get_json(&format!("/api/balances?email={JOE}&year=2032"), MARIA).0, Status::Ok, "their manager");
    let (status, body) = app.get_json(&format!("/api/balances?email={JOE}&year=2032"), SUZY);
    assert_eq!(status, Status::Forbidden, "a colleague: {body}");
    assert_eq!(app.get_json(&format!("/api/balances?email={JOE}&year=2032"), ADMIN).0, Status::Ok);
    let (status, body) = app.get_json("/api/balances?year=soon", JOE);
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("year")));
}

fn a_block_type_refuses_overdraw_and_a_warn_type_shows_it(b: Backend) {
    let app = start(b);
    let (status, body) = put_json(&app, "/api/people/joe@example.com", ADMIN, json!({"allowance_days": 3}));
    assert_eq!(status, Status::Ok, "{body}");
    let (status, body) =
        app.post_json("/api/requests", JOE, json!({"start_date": "2032-03-01", "end_date": "2032-03-05"}));
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("leave_type")), "{body}");
    assert!(body["error"].as_str().unwrap().contains("only 3 are left for 2032"), "{body}");
    assert_eq!(app.db.count("SELECT count(*) FROM holiday_requests WHERE start_date = '2032-03-01'"), 0);

    let (status, _) = patch_json(&app, "/api/leave-types/1", ADMIN, json!({"overdraw": "warn"}));
    assert_eq!(status, Status::Ok);
    let (status, body) =
        app.post_json("/api/requests", JOE, json!({"start_date": "2032-03-01", "end_date": "2032-03-05"}));
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(annual(&app, JOE, 2032)["available"], -2.0);
    // The approver sees it, marked.
    let (_, html) = app.get_html("/queue", MARIA);
    assert!(html.contains("short by 2"), "the queue row says the balance is short");
}

fn adjustments_are_audited_and_counted(b: Backend) {
    let app = start(b);
    let adjustment = json!({"email": JOE, "leave_type": "Annual leave", "year": 2032, "days": 2.5, "reason": "Worked the launch weekend"});
    let (status, body) = app.post_json("/api/adjustments", MARIA, adjustment.clone());
    assert_eq!(status, Status::Forbidden, "{body}");
    let (status, body) = app.post_json("/api/adjustments", ADMIN, adjustment);
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!((body["adjustments"].clone(), body["available"].clone()), (json!(2.5), json!(27.5)));
    for (bad, field) in [
        (json!({"email": JOE, "year": 2032, "days": 1.25, "reason": "x"}), "days"),
        (json!({"email": JOE, "year": 2032, "days": "two", "reason": "x"}), "days"),
        (json!({"email": JOE, "year": 2032, "days": 1, "reason": " "}), "reason"),
        (json!({"email": JOE, "leave_type": "Sick leave", "year": 2032, "days": 1, "reason": "x"}), "leave_type"),
        (json!({"email": "nobody@example.com", "year": 2032, "days": 1, "reason": "x"}), "email"),
    ] {
        let (status, body) = app.post_json("/api/adjustments", ADMIN, bad.clone());
        assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!(field)), "{bad}: {body}");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM balance_adjustments"), 1, "refusals change nothing");
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action = 'balance_adjusted'"), 1);
}

fn carried_over_days_reach_the_next_year(b: Backend) {
    // The default policy: 5 days carried, for 3 months.
    let app = TestApp::start(b);
    const CARRIE: &str = "carrie@example.com";
    let (status, body) = put_json(
        &app,
        "/api/people/carrie@example.com",
        ADMIN,
        json!({"display_name": "Carrie", "manager_email": MARIA}),
    );
    assert_eq!(status, Status::Ok, "{body}");
    // 2031, her first year with leave: 15 of 25 days taken, 10 unused; 5 (the cap) move to
    // 2032, to use by 31 March.
    for (start, end) in [("2031-03-03", "2031-03-14"), ("2031-09-01", "2031-09-05")] {
        let id = app.ask(CARRIE, start, end);
        assert_eq!(app.decide(id, MARIA, "Approved", None).0, Status::Ok);
    }
    let first = annual(&app, CARRIE, 2031);
    assert_eq!((first["carried_over"].clone(), first["available"].clone()), (json!(0.0), json!(10.0)), "{first}");
    let next = annual(&app, CARRIE, 2032);
    assert_eq!((next["carried_over"].clone(), next["carried_expires"].clone()), (json!(5.0), json!("2032-03-31")));
    assert_eq!(next["available"], 30.0, "the expiry is still ahead: {next}");
    // Carried days help only requests made before they expire: after the whole allowance is
    // booked for May, a day in June is refused, a day in March is not.
    app.ask(CARRIE, "2032-05-03", "2032-06-04");
    let (status, body) =
        app.post_json("/api/requests", CARRIE, json!({"start_date": "2032-06-07", "end_date": "2032-06-07"}));
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("leave_type")), "{body}");
    assert!(body["error"].as_str().unwrap().contains("only 0 are left for 2032"), "{body}");
    let (status, body) =
        app.post_json("/api/requests", CARRIE, json!({"start_date": "2032-03-01", "end_date": "2032-03-01"}));
    assert_eq!(status, Status::Created, "a carried day, used in time: {body}");
}

fn people_are_updated_with_checked_fields(b: Backend) {
    let app = start(b);
    let (status, body) = put_json(
        &app,
        "/api/people/new.hire@example.com",
        ADMIN,
        json!({"display_name": "New Hire", "manager_email": MARIA, "location": "de-by", "working_week": "Mon-Thu",
               "timezone": "Europe/Berlin", "allowance_days": 27.5, "start_date": "2032-07-01"}),
    );
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["location"], "DE-BY");
    assert_eq!(body["working_week"], json!(["Mon", "Tue", "Wed", "Thu"]));
    // Pro rata: 27.5 days for 184 of 366 days of 2032 is 13.8, 14 to the nearest half day.
    assert_eq!(annual(&app, "new.hire@example.com", 2032)["allowance"], 14.0);
    for (bad, field) in [
        (json!({"location": "XX-YY"}), "location"),
        (json!({"working_week": ["Mon", "Funday"]}), "working_week"),
        (json!({"working_week": 5}), "working_week"),
        (json!({"allowance_days": 12.25}), "allowance_days"),
        (json!({"allowance_days": "lots"}), "allowance_days"),
        (json!({"timezone": "Mars/Olympus"}), "timezone"),
        (json!({"start_date": "01/07/2032"}), "start_date"),
        (json!({"manager_email": "new.hire@example.com"}), "manager_email"),
    ] {
        let (status, body) = put_json(&app, "/api/people/new.hire@example.com", ADMIN, bad.clone());
        assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!(field)), "{bad}: {body}");
    }
    let (status, _) = put_json(&app, "/api/people/new.hire@example.com", MARIA, json!({"allowance_days": 40}));
    assert_eq!(status, Status::Forbidden);
    let (status, body) = put_json(&app, "/api/people/ghost@example.com", ADMIN, json!({"location": "GB"}));
    assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!("display_name")), "{body}");
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action = 'person_changed'"), 1);
}

fn public_holidays_are_listed_by_location_and_year(b: Backend) {
    let app = start(b);
    let (status, body) = app.get_json("/api/public-holidays?location=GB-ENG&year=2027", JOE);
    assert_eq!(status, Status::Ok, "{body}");
    let days = body["public_holidays"].as_array().unwrap();
    assert!(days.iter().any(|d| d["date"] == "2027-12-27" && d["location"] == "GB-ENG"), "{body}");
    assert!(days.iter().all(|d| d["half_day"].is_boolean() && d["name"].is_string()));
    let (_, scotland) = app.get_json("/api/public-holidays?location=GB-SCT&year=2027", JOE);
    assert!(
        scotland["public_holidays"].as_array().unwrap().iter().any(|d| d["date"] == "2027-11-30"),
        "St Andrew's Day"
    );
    // The page, for everyone: their own location by default.
    let (status, page) = app.get_html("/public-holidays?year=2027", JOE);
    assert_eq!(status, Status::Ok);
    assert!(page.contains("GB-ENG, 2027") && page.contains("Mon 27 Dec 2027"), "{page}");
    let (_, page) = app.get_html("/public-holidays?location=de-by&year=2027", JOE);
    assert!(page.contains("DE-BY, 2027") && page.contains("Wed 6 Jan 2027"), "Epiphany in Bavaria: {page}");
    let (status, page) = app.get_html("/public-holidays?location=Atlantis", JOE);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("not one this app knows"), "{page}");
    for (query, field) in [
        ("location=XX&year=2027", "location"),
        ("year=2027", "location"),
        ("location=GB&year=1999", "year"),
        ("location=GB&year=soon", "year"),
    ] {
        let (status, body) = app.get_json(&format!("/api/public-holidays?{query}"), JOE);
        assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!(field)), "{query}: {body}");
    }
}

fn admins_add_and_remove_public_holidays(b: Backend) {
    let app = start(b);
    let closure = json!({"date": "2030-12-24", "name": "Office closed", "half_day": true});
    let (status, body) = app.post_json("/api/public-holidays", MARIA, closure.clone());
    assert_eq!(status, Status::Forbidden, "{body}");
    let (status, body) = app.post_json("/api/public-holidays", ADMIN, closure);
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!((body["location"].clone(), body["half_day"].clone()), (json!("*"), json!(true)));
    // England keeps Boxing Day unless the company says otherwise: it works on Thursday 26th.
    let res =
        app.client.delete("/api/public-holidays?location=GB-ENG&date=2030-12-26").header(identity(ADMIN)).dispatch();
    assert_eq!(res.status(), Status::NoContent);
    let (_, listed) = app.get_json("/api/public-holidays?location=GB-ENG&year=2030", JOE);
    let december: Vec<(String, bool)> = listed["public_holidays"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["date"].as_str().unwrap().starts_with("2030-12"))
        .map(|d| (d["date"].as_str().unwrap().to_owned(), d["half_day"].as_bool().unwrap()))
        .collect();
    assert_eq!(december, [("2030-12-24".to_owned(), true), ("2030-12-25".to_owned(), false)], "{listed}");
    // Mon 23, Tue 24 (half), Wed 25 (Christmas), Thu 26, Fri 27: 3.5 days.
    let (status, body) =
        app.post_json("/api/requests", JOE, json!({"start_date": "2030-12-23", "end_date": "2030-12-27"}));
    assert_eq!((status, body["days"].clone()), (Status::Created, json!(3.5)), "{body}");
    // Someone with no location gets the company-wide day too.
    let (status, _) = put_json(&app, "/api/people/charlie@example.com", ADMIN, json!({"location": null}));
    assert_eq!(status, Status::Ok);
    let (status, body) =
        app.post_json("/api/requests", CHARLIE, json!({"start_date": "2030-12-24", "end_date": "2030-12-24"}));
    assert_eq!((status, body["days"].clone()), (Status::Created, json!(0.5)), "{body}");

    let res =
        app.client.delete("/api/public-holidays?location=GB-ENG&date=2030-12-27").header(identity(ADMIN)).dispatch();
    assert_eq!(res.status(), Status::NotFound, "no holiday there to remove");
    for (bad, field) in [
        (json!({"date": "24/12/2030", "name": "x"}), "date"),
        (json!({"location": "XX", "date": "2030-12-24", "name": "x"}), "location"),
        (json!({"date": "2030-12-24", "name": " "}), "name"),
    ] {
        let (status, body) = app.post_json("/api/public-holidays", ADMIN, bad.clone());
        assert_eq!((status, body["field"].clone()), (Status::UnprocessableEntity, json!(field)), "{bad}: {body}");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM policy_events WHERE action LIKE 'public_holiday%'"), 2, "audited");
}

fn the_admin_page_runs_the_policy_with_forms(b: Backend) {
    let app = start(b);
    assert_eq!(app.get_html("/admin", JOE).0, Status::Forbidden);
    let (_, home) = app.get_html("/", JOE);
    assert!(!home.contains(r#"href="/admin""#), "no link for non-admins");
    let (status, html) = app.get_html("/admin", ADMIN);
    assert_eq!(status, Status::Ok);
    assert!(html.contains("Leave types") && html.contains(r#"id="type-1""#) && html.contains("Add this type"));

    let new_type = [
        ("form", "type-new"),
        ("name", "Study leave"),
        ("colour", "#118844"),
        ("deducted", "on"),
        ("overdraw", "warn"),
        ("active", "on"),
    ];
    let reply = app.post_form("/admin/leave-types", ADMIN, &new_type, false);
    assert_eq!(reply.status, Status::SeeOther, "{}", reply.body);
    let (_, types) = app.get_json("/api/leave-types", JOE);
    let study = types["leave_types"].as_array().unwrap().iter().find(|t| t["name"] == "Study leave").cloned().unwrap();
    assert_eq!(
        (study["deducted"].clone(), study["needs_approval"].clone(), study["overdraw"].clone()),
        (json!(true), json!(false), json!("warn")),
        "an unticked box is off"
    );

    // A refusal comes back with the sentence and what was typed.
    let reply = app.post_form(
        "/admin/leave-types",
        ADMIN,
        &[("form", "type-new"), ("name", "Jury service"), ("colour", "teal")],
        false,
    );
    assert_eq!(reply.status, Status::UnprocessableEntity);
    assert!(
        reply.body.contains("#rrggbb")
            && reply.body.contains(r#"value="Jury service""#)
            && reply.body.contains(r#"value="teal""#),
        "{}",
        reply.body
    );

    let person = [
        ("form", "person"),
        ("email", JOE),
        ("display_name", "Joe"),
        ("manager_email", MARIA),
        ("location", "de-by"),
        ("working_week", "Mon-Thu"),
        ("timezone", ""),
        ("allowance_days", "20"),
        ("start_date", ""),
    ];
    let reply = app.post_form("/admin/people", ADMIN, &person, false);
    assert_eq!(reply.status, Status::SeeOther, "{}", reply.body);
    assert_eq!(reply.headers.get("location").map(String::as_str), Some("/admin?email=joe%40example.com"));
    assert_eq!(annual(&app, JOE, 2030)["allowance"], 20.0);
    let mut wrong = person;
    wrong[4] = ("location", "Atlantis");
    let reply = app.post_form("/admin/people", ADMIN, &wrong, false);
    assert_eq!(reply.status, Status::UnprocessableEntity);
    assert!(
        reply.body.contains("not one this app knows") && reply.body.contains(r#"value="Atlantis""#),
        "{}",
        reply.body
    );

    let adjust = [
        ("form", "adjustment"),
        ("email", JOE),
        ("leave_type", "1"),
        ("year", "2030"),
        ("days", "1.5"),
        ("reason", "Overtime"),
    ];
    assert_eq!(app.post_form("/admin/adjustments", ADMIN, &adjust, false).status, Status::SeeOther);
    assert_eq!(annual(&app, JOE, 2030)["available"], 21.5);
    let (_, page) = app.get_html("/admin?email=joe@example.com&year=2030", ADMIN);
    assert!(page.contains("21.5 of 21.5 left"), "the person's balance after the adjustment: {page}");

    let closure = [
        ("form", "holiday"),
        ("location", "GB-ENG"),
        ("date", "2030-12-23"),
        ("name", "Office closed"),
        ("half_day", "on"),
    ];
    assert_eq!(app.post_form("/admin/public-holidays", ADMIN, &closure, false).status, Status::SeeOther);
    let (status, page) = app.get_html("/admin?location=GB-ENG&year=2030", ADMIN);
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Mon 23 Dec 2030, Office closed (half a day)"), "{page}");
    let remove = [("location", "GB-ENG"), ("date", "2030-12-23")];
    assert_eq!(app.post_form("/admin/public-holidays/remove", ADMIN, &remove, false).status, Status::SeeOther);
    let (_, page) = app.get_html("/admin?location=GB-ENG&year=2030", ADMIN);
    assert!(!page.contains("Office closed"));
    let (status, page) = app.get_html("/admin?location=XX", ADMIN);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(page.contains("not one this app knows"), "{page}");
    assert_eq!(app.post_form("/admin/adjustments", MARIA, &adjust, false).status, Status::Forbidden);
}

fn the_form_previews_and_the_pages_show_balances(b: Backend) {
    let app = start(b);
    let (status, home) = app.get_html("/", JOE);
    assert_eq!(status, Status::Ok);
    assert!(home.contains("My balance for") && home.contains("of 25 left"), "the balance card");
    assert!(home.contains(r#"name="leave_type""#) && home.contains(r#"name="start_part""#));
    // The late May bank holiday in England: Monday 27 May 2030.
    let reply = app.post_form(
        "/requests/preview",
        JOE,
        &[
            ("start_date", "2030-05-27"),
            ("end_date", "2030-05-31"),
            ("leave_type", "1"),
            ("start_part", "full"),
            ("end_part", "morning"),
        ],
        true,
    );
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(reply.body.contains("This request: 3.5 days"), "{}", reply.body);
    assert!(reply.body.contains("Mon 27 May 2030") && reply.body.contains("not counted"), "{}", reply.body);
    assert!(reply.body.contains("Left after it: 21.5 of 25"), "{}", reply.body);
    // What cannot be counted says why, in the same place.
    let reply =
        app.post_form("/requests/preview", JOE, &[("start_date", "2030-06-01"), ("end_date", "2030-06-02")], true);
    assert_eq!(reply.status, Status::Ok);
    assert!(reply.body.contains("no working day"), "{}", reply.body);
    assert_eq!(
        app.db.count("SELECT count(*) FROM holiday_requests WHERE start_date >= '2030-05-27'"),
        0,
        "a preview asks for nothing"
    );

    // A form post says what was counted and what is left.
    let reply = app.post_form("/requests", JOE, &[("start_date", "2030-05-27"), ("end_date", "2030-05-31")], true);
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(
        reply.body.contains("Annual leave, 4 days") && reply.body.contains("Left after it: 21 days"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains(r#"id="my-balances""#) && reply.body.contains("hx-swap-oob"),
        "the balance card is refreshed"
    );
    let (_, queue) = app.get_html("/queue", MARIA);
    assert!(
        queue.contains("Left after it: <span>21 of 25 left</span>"),
        "the approver sees the balance after the request"
    );
}

fn ten_simultaneous_submissions_against_a_block_type_that_affords_one(b: Backend) {
    use futures::future::join_all;
    use rocket::local::asynchronous::Client as AsyncClient;
    let db = TestDb::new(b);
    let settings = db.settings(&[
        ("HOLIDAYS_DB_POOL_SIZE", "10"),
        ("HOLIDAYS_DB_TIMEOUT_MS", "20000"),
        ("HOLIDAYS_CARRY_OVER_CAP", "0"),
    ]);
    let statuses = rocket::execute(async move {
        let client = AsyncClient::untracked(quiet_rocket(settings)).await.expect("rocket");
        let put = client
            .put("/api/people/suzy@example.com")
            .header(ContentType::JSON)
            .header(identity(ADMIN))
            .body(json!({"allowance_days": 5, "location": null}).to_string())
            .dispatch()
            .await;
        assert_eq!(put.status(), Status::Ok);
        let client = &client;
        // Ten different weeks of 2034, five days each: the allowance affords one.
        let attempts = (0..10).map(|i| async move {
            let start = chrono::NaiveDate::from_ymd_opt(2034, 1, 2).unwrap() + chrono::Duration::weeks(i);
            let end = start + chrono::Duration::days(4);
            client
                .post("/api/requests")
                .header(ContentType::JSON)
                .header(identity(SUZY))
                .header(Header::new("Sec-Fetch-Site", "same-origin"))
                .body(json!({"start_date": start.to_string(), "end_date": end.to_string()}).to_string())
                .dispatch()
                .await
                .status()
        });
        join_all(attempts).await
    });
    let created = statuses.iter().filter(|s| **s == Status::Created).count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [Status::Created, Status::UnprocessableEntity].contains(s)), "{statuses:?}");
    assert_eq!(db.count("SELECT count(*) FROM holiday_requests WHERE start_date >= '2034-01-01'"), 1);
}
