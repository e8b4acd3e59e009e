//! The page shell: header, navigation, the development banner and flash messages.

use super::{assets, ids};
use crate::actions::Frame;
use crate::models::person::WAITING_CAP;
use maud::{DOCTYPE, Markup, html};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Mine,
    Queue,
    Calendar,
    Holidays,
    Admin,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Error,
}

fn alert_class_and_role(tone: Tone) -> (&'static str, &'static str) {
    match tone {
        Tone::Ok => ("alert alert-ok", "status"),
        Tone::Error => ("alert alert-error", "alert"),
    }
}

pub fn alert(tone: Tone, message: &str) -> Markup {
    let (class, role) = alert_class_and_role(tone);
    html! { div class=(class) role=(role) { (message) } }
}

/// A message at the top of a form that was just swapped in. It takes the focus (htmx honours
/// `autofocus` in swapped content), so that keyboard and screen reader users are not left on a
/// button that is gone.
pub fn focused_alert(tone: Tone, message: &str) -> Markup {
    let (class, role) = alert_class_and_role(tone);
    html! { div class=(class) role=(role) tabindex="-1" autofocus { (message) } }
}

/// The number of requests waiting, in the navigation. `oob` marks it for an out-of-band swap.
/// The word is there for screen readers (an `aria-label` on a plain `span` is not read).
pub fn pending_count(n: i64, oob: bool) -> Markup {
    let shown = if n >= i64::from(WAITING_CAP) { format!("{}+", WAITING_CAP - 1) } else { n.to_string() };
    html! {
        span #(ids::PENDING_COUNT) .count hx-swap-oob=[oob.then_some("true")] { (shown) span .visually-hidden { " waiting" } }
    }
}

/// The tab icon, inline so that the browser asks for no `/favicon.ico`: a calendar with a tick.
const FAVICON: &str = concat!(
    "data:image/svg+xml;base64,",
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAzMiAzMiI+PHJlY3Qgd2lkdGg9IjMyIiBoZWln",
    "aHQ9IjMyIiByeD0iNyIgZmlsbD0iIzBiNWE3MyIvPjxyZWN0IHg9IjYiIHk9IjgiIHdpZHRoPSIyMCIgaGVpZ2h0PSIxOCIgcng9IjMiIGZp",
    "bGw9IiNmZmYiLz48cmVjdCB4PSI2IiB5PSI4IiB3aWR0aD0iMjAiIGhlaWdodD0iNiIgcng9IjMiIGZpbGw9IiNiZmUwZWEiLz48cmVjdCB4",
    "PSI2IiB5PSIxMSIgd2lkdGg9IjIwIiBoZWlnaHQ9IjMiIGZpbGw9IiNiZmUwZWEiLz48cGF0aCBkPSJNMTEgMTkuNWwzLjIgMy4yIDYuNi02",
    "LjYiIHN0cm9rZT0iIzExNjMyOSIgc3Ryb2tlLXdpZHRoPSIyLjYiIGZpbGw9Im5vbmUiIHN0cm9rZS1saW5lY2FwPSJyb3VuZCIgc3Ryb2tl",
    "LWxpbmVqb2luPSJyb3VuZCIvPjwvc3ZnPg==",
);

/// htmx swaps error answers too (they carry the message to show), and adds no inline styles,
/// which the Content-Security-Policy would refuse.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"responseHandling":[{"code":"204","swap":false},{"code":"[2345]..","swap":true}]}"#;

pub fn page(title: &str, frame: Option<&Frame>, section: Section, flash: Option<Markup>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=(HTMX_CONFIG);
                title { (title) " · Holidays" }
                link rel="icon" href=(FAVICON);
                link rel="stylesheet" href=(assets::CSS_URL);
                script src=(assets::HTMX_URL) defer {}
            }
            body {
                a .skip-link href="#main" { "Skip to the main content" }
                @if let Some(f) = frame {
                    @if f.switcher.is_some() { (dev_banner(f)) }
                }
                header .site {
                    a .brand href="/" { "Holidays" }
                    @if let Some(f) = frame {
                        nav .main-nav aria-label="Main" {
                            a href="/" aria-current=[(section == Section::Mine).then_some("page")] { "My requests" }
                            @if f.viewer.decides() {
                                a href="/queue" aria-current=[(section == Section::Queue).then_some("page")] {
                                    "Team queue " (pending_count(f.viewer.waiting, false))
                                }
                            }
                            a href="/calendar" aria-current=[(section == Section::Calendar).then_some("page")] { "Calendar" }
                            a href="/public-holidays" aria-current=[(section == Section::Holidays).then_some("page")] { "Public holidays" }
                            @if f.viewer.actor.is_admin {
                                a href="/admin" aria-current=[(section == Section::Admin).then_some("page")] { "Leave policy" }
                            }
                        }
                        p .identity {
                            "Signed in as " strong { (f.viewer.name()) } " (" (f.viewer.actor.email) ") · "
                            a href="/me/notifications" { "Notifications" }
                        }
                    }
                }
                main #main .container tabindex="-1" {
                    div #(ids::FLASH) aria-live="polite" { @if let Some(f) = flash { (f) } }
                    (body)
                }
            }
        }
    }
}

fn dev_banner(f: &Frame) -> Markup {
    let people = f.switcher.as_deref().unwrap_or_default();
    let me = &f.viewer.actor.email;
    html! {
        // A landmark of its own, like the header and main beside it, so that nothing on the page
        // sits outside one (axe's "region" rule): a note is no landmark.
        aside .dev-banner aria-label="Development identity" {
            strong { "Development identity. " }
            "Anyone can choose who they are here; deployed on Databricks Apps, the proxy says who is signed in."
            form .switcher method="post" action="/dev/identity" {
                label for="dev-user" { "Act as" }
                select #dev-user name="email" {
                    @for p in people {
                        option value=(p.email) selected[p.email == *me] { (p.display_name) " <" (p.email) ">" }
                    }
                    @if !people.iter().any(|p| p.email == *me) {
                        option value=(me) selected { (f.viewer.name()) " <" (me) ">" }
                    }
                }
                button type="submit" .secondary { "Switch user" }
            }
        }
    }
}

/// A page for an error met before anything else could be shown. Like every page it has a
/// heading to find it by, its status; hidden, as the message box already says it to the eye,
/// and in the message area so that it comes just before the message.
pub fn error_page(title: &str, message: &str) -> Markup {
    page(
        title,
        None,
        Section::Other,
        Some(html! { h1 .visually-hidden { (title) } (alert(Tone::Error, message)) }),
        html! {
            p { a href="/" { "Back to the start page" } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waiting_count_stops_at_its_cap() {
        assert!(pending_count(7, false).into_string().contains(">7<"));
        let capped = pending_count(i64::from(WAITING_CAP), true).into_string();
        assert!(capped.contains(">99+<") && capped.contains("hx-swap-oob"), "{capped}");
    }
}
