//! Notifications: what each change says to whom, and how long to wait before trying again.
//! Pure: the outbox (`models::notification`) stores what is composed here, and the worker
//! (`crate::notify`) delivers it.

use super::DateRange;
use super::leave::{Days, EndPart, StartPart};
use std::time::Duration;

/// What happened to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Happened {
    /// Asked for: its approvers learn it waits.
    Submitted,
    Approved,
    Declined,
    /// Cancelled by its requester: its approvers learn it no longer waits or holds.
    Cancelled,
    /// Leave that needs no approval (sickness), recorded: the manager learns it, as information.
    Recorded,
}

impl Happened {
    pub fn as_str(self) -> &'static str {
        match self {
            Happened::Submitted => "submitted",
            Happened::Approved => "approved",
            Happened::Declined => "declined",
            Happened::Cancelled => "cancelled",
            Happened::Recorded => "recorded",
        }
    }
}

/// The request a notification is about.
#[derive(Clone, Debug, PartialEq)]
pub struct About {
    pub request_id: i32,
    /// Who asked.
    pub person: String,
    pub range: DateRange,
    pub start_part: StartPart,
    pub end_part: EndPart,
    pub days: Days,
    pub leave_type: String,
    /// Colleagues never learn the type or the comment.
    pub private: bool,
    pub comment: Option<String>,
    /// The decision's note.
    pub note: Option<String>,
    /// Who decided.
    pub by: Option<String>,
}

/// A notification, ready for any channel: a subject line, the lines of its body, and a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub lines: Vec<String>,
    pub link: Option<String>,
}

impl Composed {
    /// The plain-text body: the lines, then the link.
    pub fn text(&self) -> String {
        let mut text = self.lines.join("\n");
        if let Some(link) = &self.link {
            text.push_str("\n\nOpen the request: ");
            text.push_str(link);
        }
        text
    }

    /// One chat message: the subject, the lines, the link.
    pub fn chat(&self) -> String {
        let mut text = self.subject.clone();
        for line in self.lines.iter().skip(1) {
            text.push('\n');
            text.push_str(line);
        }
        if let Some(link) = &self.link {
            text.push_str("\n<");
            text.push_str(link);
            text.push('>');
        }
        text
    }
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// "Mon 7 Dec 2026 (afternoon) to Fri 11 Dec 2026, 4.5 days".
pub fn when(a: &About) -> String {
    let first =
        format!("{}{}", day(a.range.start), if a.start_part == StartPart::Afternoon { " (afternoon)" } else { "" });
    let last = format!("{}{}", day(a.range.end), if a.end_part == EndPart::Morning { " (morning)" } else { "" });
    let days = if a.days == Days::whole(1) { "1 day".to_owned() } else { format!("{} days", a.days) };
    if a.range.start == a.range.end { format!("{first}, {days}") } else { format!("{first} to {last}, {days}") }
}

/// Says what happened, to a reader who may (`reveal`) or may not see a private type and the
/// comment: the requester and their approvers may; a shared chat channel may not.
pub fn compose(happened: Happened, a: &About, reveal: bool, link: Option<String>) -> Composed {
    let shown = reveal || !a.private;
    let what = if shown { a.leave_type.as_str() } else { "Time off" };
    let who = &a.person;
    let when = when(a);
    let by = a.by.as_deref().unwrap_or("an approver");
    let subject = match happened {
        Happened::Submitted => format!("{who} asks for {what}: {when}"),
        Happened::Approved => format!("Approved by {by}: {who}'s {what}, {when}"),
        Happened::Declined => format!("Declined by {by}: {who}'s {what}, {when}"),
        Happened::Cancelled => format!("{who} cancelled {what}: {when}"),
        Happened::Recorded => format!("{who} recorded {what} (no approval needed): {when}"),
    };
    let mut lines = vec![subject.clone()];
    if let Some(c) = a.comment.as_deref().filter(|_| reveal) {
        lines.push(format!("Comment: {c}"));
    }
    if let Some(n) = a.note.as_deref().filter(|_| reveal) {
        lines.push(format!("Note from {by}: {n}"));
    }
    if happened == Happened::Submitted {
        lines.push("It waits for your decision.".into());
    }
    Composed { subject, lines, link }
}

/// A request in an approver's daily digest.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub request_id: i32,
    pub person: String,
    pub leave_type: String,
    pub range: DateRange,
    pub days: Days,
    pub asked: chrono::NaiveDate,
}

/// The daily digest: the requests waiting on one approver for more than two working days. It
/// goes to the approver alone (by email) or to the shared channel, so a private type reads
/// "Time off" unless `reveal`.
pub fn compose_digest(waiting: &[(Waiting, bool)], reveal: bool, link: Option<String>) -> Composed {
    let n = waiting.len();
    let subject = if n == 1 {
        "1 request waits for your decision".to_owned()
    } else {
        format!("{n} requests wait for your decision")
    };
    let mut lines = vec![subject.clone()];
    for (w, private) in waiting {
        let what = if reveal || !private { w.leave_type.as_str() } else { "Time off" };
        let days = if w.days == Days::whole(1) { "1 day".to_owned() } else { format!("{} days", w.days) };
        let span = if w.range.start == w.range.end {
            day(w.range.start)
        } else {
            format!("{} to {}", day(w.range.start), day(w.range.end))
        };
        lines.push(format!("#{}: {}, {what}, {span}, {days}, asked {}", w.request_id, w.person, day(w.asked)));
    }
    Composed { subject, lines, link }
}

/// The day `n` working days (Monday to Friday) before `today`: a request asked before it has
/// waited more than `n` working days.
pub fn working_days_before(today: chrono::NaiveDate, n: u32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut day = today;
    let mut left = n;
    while left > 0 {
        day = day.pred_opt().unwrap_or(day);
        if day.weekday().number_from_monday() <= 5 {
            left -= 1;
        }
    }
    day
}

/// How long to wait before delivery attempt `attempts + 1`, after `attempts` failures: doubling
/// from 2 s up to 15 min, with "equal jitter" (half fixed, half random from `jitter` in [0, 1))
/// so that many rows failing together do not all come back together; never sooner than the
/// receiver's Retry-After.
pub fn retry_delay(attempts: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    const FIRST: f64 = 2.0;
    const CAP: f64 = 900.0;
    let base = (FIRST * 2f64.powi(attempts.saturating_sub(1).min(20) as i32)).min(CAP);
    let delay = Duration::from_secs_f64(base / 2.0 + base / 2.0 * jitter.clamp(0.0, 1.0));
    retry_after.map_or(delay, |r| delay.max(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about(private: bool) -> About {
        About {
            request_id: 42,
            person: "Charlie".into(),
            range: DateRange::parse("2026-12-07", "2026-12-11").unwrap(),
            start_part: StartPart::Afternoon,
            end_part: EndPart::Full,
            days: Days::halves(9),
            leave_type: if private { "Sick leave".into() } else { "Annual leave".into() },
            private,
            comment: Some("flu".into()),
            note: None,
            by: None,
        }
    }

    #[test]
    fn a_submission_names_the_person_the_dates_the_days_and_the_type() {
        let c = compose(Happened::Submitted, &about(false), true, Some("https://app.example/requests/42".into()));
        assert_eq!(c.subject, "Charlie asks for Annual leave: Mon 7 Dec 2026 (afternoon) to Fri 11 Dec 2026, 4.5 days");
        assert_eq!(
            c.text(),
            "Charlie asks for Annual leave: Mon 7 Dec 2026 (afternoon) to Fri 11 Dec 2026, 4.5 days\nComment: flu\nIt waits for your decision.\n\nOpen the request: https://app.example/requests/42"
        );
        assert!(c.chat().ends_with("\n<https://app.example/requests/42>"), "{}", c.chat());
    }

    #[test]
    fn private_leave_is_time_off_without_a_comment_for_those_who_may_not_see_it() {
        let hidden = compose(Happened::Recorded, &about(true), false, None);
        assert_eq!(
            hidden.subject,
            "Charlie recorded Time off (no approval needed): Mon 7 Dec 2026 (afternoon) to Fri 11 Dec 2026, 4.5 days"
        );
        assert!(!hidden.text().contains("Sick") && !hidden.text().contains("flu"), "{}", hidden.text());
        let shown = compose(Happened::Recorded, &about(true), true, None);
        assert!(shown.text().contains("Sick leave") && shown.text().contains("flu"));
        // A comment on annual leave is still the requester's and their approvers' only.
        assert!(!compose(Happened::Submitted, &about(false), false, None).text().contains("flu"));
    }

    #[test]
    fn decisions_say_who_decided_and_their_note() {
        let mut a = about(false);
        a.by = Some("Maria Manager".into());
        a.note = Some("Enjoy".into());
        a.range = DateRange::parse("2026-12-07", "2026-12-07").unwrap();
        a.start_part = StartPart::Full;
        a.days = Days::whole(1);
        let c = compose(Happened::Approved, &a, true, None);
        assert_eq!(c.subject, "Approved by Maria Manager: Charlie's Annual leave, Mon 7 Dec 2026, 1 day");
        assert!(c.text().contains("Note from Maria Manager: Enjoy"));
        assert!(compose(Happened::Declined, &a, true, None).subject.starts_with("Declined by Maria Manager"));
        assert!(compose(Happened::Cancelled, &a, true, None).subject.starts_with("Charlie cancelled Annual leave"));
    }

    #[test]
    fn the_digest_lists_what_waits_and_hides_private_types_in_chat() {
        let w = |id, private, person: &str| {
            (
                Waiting {
                    request_id: id,
                    person: person.into(),
                    leave_type: if private { "Sick leave".into() } else { "Annual leave".into() },
                    range: DateRange::parse("2026-12-07", "2026-12-08").unwrap(),
                    days: Days::whole(2),
                    asked: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                },
                private,
            )
        };
        let items = [w(4, false, "Joe"), w(9, true, "Suzy")];
        let mail = compose_digest(&items, true, Some("https://app.example/queue".into()));
        assert_eq!(mail.subject, "2 requests wait for your decision");
        assert_eq!(
            mail.lines[1],
            "#4: Joe, Annual leave, Mon 7 Dec 2026 to Tue 8 Dec 2026, 2 days, asked Mon 30 Nov 2026"
        );
        assert!(mail.lines[2].contains("Sick leave"));
        let chat = compose_digest(&items, false, None);
        assert!(chat.lines[2].contains("Suzy, Time off") && !chat.chat().contains("Sick"), "{}", chat.chat());
        assert_eq!(compose_digest(&items[..1], true, None).subject, "1 request waits for your decision");
    }

    #[test]
    fn two_working_days_back_skip_the_weekend() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(working_days_before(d("2026-12-02"), 2), d("2026-11-30"));
        assert_eq!(working_days_before(d("2026-11-30"), 2), d("2026-11-26"));
        assert_eq!(working_days_before(d("2026-11-29"), 2), d("2026-11-26"));
    }

    #[test]
    fn retries_back_off_with_jitter_and_honour_retry_after() {
        assert_eq!(retry_delay(1, None, 0.0), Duration::from_secs(1));
        assert_eq!(retry_delay(1, None, 1.0), Duration::from_secs(2));
        assert_eq!(retry_delay(4, None, 0.5), Duration::from_secs(12));
        // Capped at 15 minutes, however many failures.
        assert_eq!(retry_delay(60, None, 1.0), Duration::from_secs(900));
        assert!(retry_delay(3, None, 0.25) < retry_delay(3, None, 0.75));
        assert_eq!(retry_delay(1, Some(Duration::from_secs(30)), 0.5), Duration::from_secs(30));
        assert_eq!(retry_delay(10, Some(Duration::from_secs(1)), 0.0), Duration::from_secs(450));
    }
}
