//! Notification email, as HTML built from the same composed lines as its plain-text part.

use crate::domain::notify::Composed;
use maud::{DOCTYPE, html};

/// The HTML part of a notification email.
pub fn email_html(c: &Composed) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (c.subject) } }
            body {
                @for (i, line) in c.lines.iter().enumerate() {
                    @if i == 0 { p { strong { (line) } } } @else { p { (line) } }
                }
                @if let Some(link) = &c.link { p { a href=(link) { "Open the request" } } }
            }
        }
    }
    .into_string()
}

/// An HTML part for a row stored without one: its text, line by line.
pub fn html_from_text(text: &str) -> String {
    html! { (DOCTYPE) html lang="en" { body { @for line in text.lines() { p { (line) } } } } }.into_string()
}

/// Someone's notification choices, as a form that works with or without JavaScript.
pub fn preferences_page(
    frame: &crate::actions::Frame,
    p: crate::models::notification::Preferences,
    channels: &crate::config::NotifySettings,
    flash: Option<maud::Markup>,
) -> maud::Markup {
    use super::layout::{Section, page};
    let check = |name: &str, label: &str, on: bool, hint: &str| {
        html! {
            div .check {
                input #(format!("pref-{name}")) type="checkbox" name=(name) value="true" checked[on];
                label for=(format!("pref-{name}")) { (label) }
            }
            p .muted { (hint) }
        }
    };
    page(
        "Notifications",
        Some(frame),
        Section::Other,
        flash,
        html! {
            h1 { "Your notifications" }
            p { "You hear about requests that wait for you, decisions on yours, and cancellations. Choose how." }
            form .card method="post" action="/me/notifications" {
                (check("email", "By email", p.email, if channels.smtp.is_some() { "Sent to your address in the directory." } else { "This app has no mail server configured yet: nothing is sent by email." }))
                (check("chat", "In the team chat", p.chat, if channels.webhook.is_some() { "Posted to the chat channel the app is connected to (private leave shows as time off there)." } else { "This app has no chat webhook configured yet: nothing is posted." }))
                (check("digest", "A daily digest of requests waiting on me", p.digest, "For approvers: requests waiting more than two working days."))
                button type="submit" { "Save" }
            }
        },
    )
}

/// The admins' view of the outbox: one state at a time, dead ones with a retry button.
pub fn outbox_page(
    frame: &crate::actions::Frame,
    rows: &[crate::models::notification::Notification],
    state: &str,
    flash: Option<maud::Markup>,
) -> maud::Markup {
    use super::layout::{Section, page};
    page(
        "Notifications",
        Some(frame),
        Section::Admin,
        flash,
        html! {
            h1 { "Notifications" }
            nav .status-tabs aria-label="Notification states" {
                @for s in ["waiting", "dead", "sent", "unsent"] {
                    a href=(format!("/admin/notifications?state={s}")) aria-current=[(s == state).then_some("page")] { (s) }
                }
            }
            @if rows.is_empty() {
                p .muted { "No notifications are " (state) "." }
            } @else {
                // Focusable, so a keyboard can scroll it on a phone when no row has a button.
                div .table-wrap tabindex="0" role="region" aria-label=(format!("Notifications that are {state}")) {
                    table .requests {
                        caption .visually-hidden { "Notifications that are " (state) }
                        thead { tr { th scope="col" { "#" } th scope="col" { "To" } th scope="col" { "Channel" } th scope="col" { "Subject" } th scope="col" { "Attempts" } th scope="col" { "Last error" } th scope="col" { "Actions" } } }
                        tbody {
                            @for n in rows {
                                tr {
                                    td { (n.id) }
                                    td { (n.recipient) }
                                    td { (n.channel().as_str()) }
                                    td { (n.subject) }
                                    td { (n.attempts) }
                                    td { (n.last_error.as_deref().unwrap_or("")) }
                                    td {
                                        @if n.state == "dead" || n.state == "waiting" {
                                            form method="post" action=(format!("/admin/notifications/{}/retry", n.id)) {
                                                button type="submit" .secondary aria-label=(format!("Retry notification #{}", n.id)) { "Retry now" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_says_what_the_text_part_says_escaped() {
        let c = Composed {
            subject: "Joe asks for <Annual> leave".into(),
            lines: vec!["Joe asks for <Annual> leave".into(), "Comment: a & b".into()],
            link: Some("https://app.example/requests/4".into()),
        };
        let html = email_html(&c);
        assert!(html.contains("<strong>Joe asks for &lt;Annual&gt; leave</strong>"), "{html}");
        assert!(html.contains("<p>Comment: a &amp; b</p>"));
        assert!(html.contains("href=\"https://app.example/requests/4\""));
        assert_eq!(
            html_from_text("a\n<b>"),
            "<!DOCTYPE html><html lang=\"en\"><body><p>a</p><p>&lt;b&gt;</p></body></html>"
        );
    }
}
