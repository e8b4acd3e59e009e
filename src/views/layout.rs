//! The page shell: header, navigation, the development banner and flash messages.

use crate::config::AuthMode;
use crate::models::Person;
use maud::{DOCTYPE, Markup, html};

/// Everything the shell shows about the signed-in person.
pub struct Chrome {
    pub email: String,
    pub name: String,
    /// Requests waiting for their decision; `None` for people who decide nothing.
    pub pending: Option<i64>,
    pub auth: AuthMode,
    /// The directory, for the development identity switcher.
    pub people: Vec<Person>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Mine,
    Queue,
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Error,
}

pub fn alert(tone: Tone, message: &str) -> Markup {
    let (class, role) = match tone {
        Tone::Ok => ("alert alert-ok", "status"),
        Tone::Error => ("alert alert-error", "alert"),
    };
    html! { div class=(class) role=(role) { (message) } }
}

/// The number of requests waiting, in the navigation. `oob` marks it for an out-of-band swap.
pub fn pending_count(n: i64, oob: bool) -> Markup {
    html! {
        span #pending-count .count hx-swap-oob=[oob.then_some("true")] aria-label=(format!("{n} waiting")) { (n) }
    }
}

/// htmx swaps error answers too (they carry the message to show), and adds no inline styles,
/// which the Content-Security-Policy would refuse.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"responseHandling":[{"code":"204","swap":false},{"code":"[2345]..","swap":true}]}"#;

pub fn page(title: &str, chrome: Option<&Chrome>, section: Section, flash: Option<Markup>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=(HTMX_CONFIG);
                title { (title) " · Holidays" }
                link rel="stylesheet" href=(crate::web::assets::CSS_URL);
                script src=(crate::web::assets::HTMX_URL) defer {}
            }
            body {
                @if let Some(c) = chrome {
                    @if c.auth == AuthMode::Dev { (dev_banner(c)) }
                }
                header .site {
                    a .brand href="/" { "Holidays" }
                    @if let Some(c) = chrome {
                        nav .main-nav aria-label="Main" {
                            a href="/" aria-current=[(section == Section::Mine).then_some("page")] { "My requests" }
                            @if let Some(n) = c.pending {
                                a href="/queue" aria-current=[(section == Section::Queue).then_some("page")] {
                                    "Team queue " (pending_count(n, false))
                                }
                            }
                        }
                        p .identity { "Signed in as " strong { (c.name) } " (" (c.email) ")" }
                    }
                }
                main .container {
                    div #flash aria-live="polite" { @if let Some(f) = flash { (f) } }
                    (body)
                }
            }
        }
    }
}

fn dev_banner(c: &Chrome) -> Markup {
    html! {
        div .dev-banner role="note" {
            strong { "Development identity. " }
            "Anyone can choose who they are here; deployed on Databricks Apps, the proxy says who is signed in."
            form .switcher method="post" action="/dev/identity" {
                label for="dev-user" { "Act as" }
                select #dev-user name="email" {
                    @for p in &c.people {
                        option value=(p.email) selected[p.email == c.email] { (p.display_name) " <" (p.email) ">" }
                    }
                    @if !c.people.iter().any(|p| p.email == c.email) {
                        option value=(c.email) selected { (c.email) " (not in the directory)" }
                    }
                }
                button type="submit" .secondary { "Switch user" }
            }
        }
    }
}

/// A page for an error met before anything else could be shown.
pub fn error_page(title: &str, message: &str) -> Markup {
    page(
        title,
        None,
        Section::Other,
        Some(alert(Tone::Error, message)),
        html! {
            p { a href="/" { "Back to the start page" } }
        },
    )
}
