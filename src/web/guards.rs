//! Request guards: who is asking, whether a change comes from our own pages, whether htmx
//! sent the request, and bodies read with clear errors.

use crate::actions::App;
use crate::config::{AuthMode, Settings};
use crate::domain::{Actor, Email, EmailError, Invalid};
use crate::error::AppError;
use rocket::data::{self, FromData, ToByteUnit};
use rocket::form::Form;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use rocket::{Data, Request};
use serde::de::DeserializeOwned;

/// The header the Databricks Apps proxy sets to the signed-in user's email.
pub const EMAIL_HEADER: &str = "X-Forwarded-Email";
/// The cookie the development identity switcher sets.
pub const DEV_USER_COOKIE: &str = "holidays_dev_user";

/// The message of a guard that refused a request, for the catcher to show.
#[derive(Clone, Default)]
pub struct GuardFailure(pub Option<String>);

fn refuse<T, E>(req: &Request<'_>, status: Status, message: String, error: E) -> Outcome<T, E> {
    req.local_cache(|| GuardFailure(Some(message)));
    Outcome::Error((status, error))
}

pub fn app<'r>(req: &'r Request<'_>) -> &'r App {
    req.rocket().state::<App>().expect("the App is managed by holidays::build")
}

fn settings<'r>(req: &'r Request<'_>) -> &'r Settings {
    &app(req).settings
}

/// In development anyone can say who they are, so only this machine may ask: a page on
/// another site could otherwise reach the app through a name that resolves to 127.0.0.1 (DNS
/// rebinding) and act as anyone. A browser always sends the name it used in `Host`.
fn loopback_host(req: &Request<'_>) -> bool {
    let Some(host) = req.headers().get_one("Host") else { return true };
    let (name, _) = split_authority(host);
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

const NOT_LOOPBACK: &str = "This development server answers only to localhost, 127.0.0.1 or [::1]. \
     Open it by one of those names.";

/// The person making the request. `switcher` is whether the page offers the development
/// identity switcher.
pub struct CurrentUser {
    pub actor: Actor,
    pub switcher: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let settings = settings(req);
        if settings.auth == AuthMode::Dev && !loopback_host(req) {
            return refuse(req, Status::MisdirectedRequest, NOT_LOOPBACK.into(), ());
        }
        let mut headers = req.headers().get(EMAIL_HEADER);
        let header = headers.next();
        if headers.next().is_some() {
            return refuse(
                req,
                Status::BadRequest,
                format!("The request names its user twice ({EMAIL_HEADER} appears more than once); send it once."),
                (),
            );
        }
        let claimed = match (settings.auth, header) {
            (_, Some(h)) => h,
            (AuthMode::Proxy, None) => return refuse(req, Status::Unauthorized, crate::error::UNAUTHORIZED.into(), ()),
            // A cookie that is not an address (edited by hand, or left by an older version)
            // is ignored rather than locking every page.
            (AuthMode::Dev, None) => {
                let cookie = req.cookies().get(DEV_USER_COOKIE).and_then(|c| Email::parse(c.value()).ok());
                let email = cookie.unwrap_or_else(|| settings.dev_user.clone());
                return Outcome::Success(CurrentUser {
                    actor: Actor { is_admin: settings.is_admin(&email), email },
                    switcher: true,
                });
            }
        };
        match Email::parse(claimed) {
            Ok(email) => Outcome::Success(CurrentUser {
                actor: Actor { is_admin: settings.is_admin(&email), email },
                switcher: settings.auth == AuthMode::Dev,
            }),
            Err(EmailError::NotAscii) => refuse(
                req,
                Status::Unauthorized,
                format!(
                    "You are not signed in: {EMAIL_HEADER} holds an address with characters outside plain ASCII, which this app does not accept."
                ),
                (),
            ),
            Err(EmailError::NotAnAddress) => refuse(
                req,
                Status::Unauthorized,
                format!("You are not signed in: {EMAIL_HEADER} does not hold an email address."),
                (),
            ),
        }
    }
}

/// The development identity switcher's routes: they exist only in development, and only for
/// this machine.
pub struct DevOnly;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for DevOnly {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        if settings(req).auth != AuthMode::Dev {
            return refuse(req, Status::NotFound, "There is nothing at this address.".into(), ());
        }
        if !loopback_host(req) {
            return refuse(req, Status::MisdirectedRequest, NOT_LOOPBACK.into(), ());
        }
        Outcome::Success(DevOnly)
    }
}

/// Refuses changes a browser sends on behalf of another site (cross-site request forgery).
/// Browsers say where a request comes from in `Sec-Fetch-Site` or `Origin`; scripts send
/// neither and are let through, since they cannot ride on a user's session.
pub struct SameOrigin;

/// Splits `host:port`, `[v6]:port` or a bare host.
fn split_authority(authority: &str) -> (&str, Option<&str>) {
    match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => (authority, None),
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    }
}

/// Scheme, host and port of an origin, with the scheme's default port filled in.
fn origin_parts(scheme: &str, authority: &str) -> Option<(String, String, u16)> {
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (host, port) = split_authority(authority);
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => default_port,
    };
    (!host.is_empty()).then(|| (scheme, host.to_ascii_lowercase(), port))
}

/// Whether `Origin` names this very server: same scheme (the proxy's `X-Forwarded-Proto`, or
/// plain http), host and port as the request's `Host`.
fn same_origin(origin: &str, host: &str, scheme: &str) -> bool {
    let Some((origin_scheme, origin_authority)) = origin.split_once("://") else { return false };
    match (origin_parts(origin_scheme, origin_authority.trim_end_matches('/')), origin_parts(scheme, host)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SameOrigin {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let headers = req.headers();
        let same_site = match (headers.get_one("Sec-Fetch-Site"), headers.get_one("Origin")) {
            (Some(site), _) => matches!(site, "same-origin" | "none"),
            (None, Some(origin)) => {
                let scheme = headers.get_one("X-Forwarded-Proto").unwrap_or("http");
                same_origin(origin, headers.get_one("Host").unwrap_or_default(), scheme)
            }
            (None, None) => true,
        };
        if same_site {
            Outcome::Success(SameOrigin)
        } else {
            refuse(
                req,
                Status::Forbidden,
                "This change was refused because it came from another site. Make it from the app's own pages.".into(),
                (),
            )
        }
    }
}

/// Whether htmx sent the request, so the answer is a fragment rather than a page.
#[derive(Clone, Copy, Debug)]
pub struct Htmx(pub bool);

/// A history restore (the Back button after htmx pushed an address it no longer has cached)
/// asks for the whole page, not a fragment.
pub fn is_htmx(req: &Request<'_>) -> bool {
    req.headers().get_one("HX-Request") == Some("true")
        && req.headers().get_one("HX-History-Restore-Request") != Some("true")
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Htmx {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Htmx(is_htmx(req)))
    }
}

/// A JSON body, read with clear errors: wrong media type (415), too large (413), not JSON
/// (400), or JSON of the wrong shape (422). Handlers take `Result<JsonBody<T>, AppError>`.
pub struct JsonBody<T>(pub T);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned> FromData<'r> for JsonBody<T> {
    type Error = AppError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let fail = |e: AppError| data::Outcome::Error((e.status(), e));
        if !req.content_type().is_some_and(|ct| ct.is_json()) {
            return fail(AppError::UnsupportedMediaType(
                "The API accepts only JSON bodies: send them with Content-Type: application/json.".into(),
            ));
        }
        let limit = req.limits().get("json").unwrap_or(64.kibibytes());
        let bytes = match data.open(limit).into_bytes().await {
            Ok(b) if b.is_complete() => b.into_inner(),
            Ok(_) => return fail(AppError::TooLarge(format!("The body is larger than the {limit} this API accepts."))),
            Err(e) => return fail(AppError::BadRequest(format!("The body could not be read: {e}."))),
        };
        match serde_json::from_slice::<T>(&bytes) {
            Ok(value) => data::Outcome::Success(JsonBody(value)),
            Err(e) if e.is_data() => fail(AppError::Invalid(Invalid::new(
                "body",
                format!("The body does not have the expected fields: {e}."),
            ))),
            Err(e) => fail(AppError::BadRequest(format!("The body is not valid JSON: {e}."))),
        }
    }
}

/// A form as the app's pages send it: URL-encoded, within the form limit. Multipart bodies,
/// which the pages never send and Rocket would read up to a much larger limit, are refused.
pub struct FormBody<T>(pub T);

#[rocket::async_trait]
impl<'r, T: rocket::form::FromForm<'r> + Send> FromData<'r> for FormBody<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        if !req.content_type().is_some_and(|ct| ct.is_form()) {
            req.local_cache(|| {
                GuardFailure(Some(
                    "This address takes a form sent as application/x-www-form-urlencoded, as the app's pages send it."
                        .into(),
                ))
            });
            return data::Outcome::Error((Status::UnsupportedMediaType, ()));
        }
        match Form::<T>::from_data(req, data).await {
            data::Outcome::Success(form) => data::Outcome::Success(FormBody(form.into_inner())),
            data::Outcome::Forward(f) => data::Outcome::Forward(f),
            data::Outcome::Error((status, _)) => data::Outcome::Error((status, ())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities_split_into_host_and_port() {
        assert_eq!(split_authority("localhost:8000"), ("localhost", Some("8000")));
        assert_eq!(split_authority("[::1]:8000"), ("::1", Some("8000")));
        assert_eq!(split_authority("[::1]"), ("::1", None));
        assert_eq!(split_authority("example.com"), ("example.com", None));
    }

    #[test]
    fn origins_match_on_scheme_host_and_port() {
        assert!(same_origin("http://holidays.example", "holidays.example", "http"));
        assert!(same_origin("http://holidays.example:80", "holidays.example", "http"));
        assert!(same_origin("https://app.example", "app.example", "https"));
        assert!(same_origin("http://localhost:8000", "localhost:8000", "http"));
        assert!(same_origin("http://[::1]:8000", "[::1]:8000", "http"));
        assert!(!same_origin("https://holidays.example", "holidays.example", "http"), "another scheme");
        assert!(!same_origin("http://localhost:9000", "localhost:8000", "http"), "another port");
        assert!(!same_origin("http://localhost", "localhost:8000", "http"), "the default port is not 8000");
        assert!(!same_origin("http://evil.example", "holidays.example", "http"));
        assert!(!same_origin("null", "holidays.example", "http"));
        assert!(!same_origin("http://holidays.example.evil.example", "holidays.example", "http"));
    }
}
