//! Request guards: who is asking, whether a change comes from our own pages, and whether htmx
//! sent the request.

use crate::config::{AuthMode, Settings, normalize_email};
use crate::domain::Actor;
use crate::error::AppError;
use rocket::data::{self, FromData, ToByteUnit};
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

fn settings<'r>(req: &'r Request<'_>) -> &'r Settings {
    req.rocket().state::<Settings>().expect("Settings are managed by holidays::build")
}

/// The person making the request.
pub struct CurrentUser(pub Actor);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let settings = settings(req);
        let header = req.headers().get_one(EMAIL_HEADER);
        let claimed = match settings.auth {
            AuthMode::Proxy => header.map(str::to_owned),
            AuthMode::Dev => header
                .map(str::to_owned)
                .or_else(|| req.cookies().get(DEV_USER_COOKIE).map(|c| c.value().to_owned()))
                .or_else(|| Some(settings.dev_user.clone())),
        };
        let Some(claimed) = claimed else {
            return refuse(req, Status::Unauthorized, crate::error::UNAUTHORIZED.into(), ());
        };
        match normalize_email(&claimed) {
            Some(email) => Outcome::Success(CurrentUser(Actor { is_admin: settings.is_admin(&email), email })),
            None => refuse(
                req,
                Status::Unauthorized,
                format!("You are not signed in: {EMAIL_HEADER} does not hold an email address."),
                (),
            ),
        }
    }
}

/// Refuses changes a browser sends on behalf of another site (cross-site request forgery).
/// Browsers say where a request comes from in `Sec-Fetch-Site` or `Origin`; scripts send
/// neither and are let through, since they cannot ride on a user's session.
pub struct SameOrigin;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SameOrigin {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let headers = req.headers();
        let same_site = match (headers.get_one("Sec-Fetch-Site"), headers.get_one("Origin")) {
            (Some(site), _) => matches!(site, "same-origin" | "none"),
            (None, Some(origin)) => {
                let host = headers.get_one("Host").unwrap_or_default();
                origin.split_once("://").is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
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

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Htmx {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Htmx(req.headers().get_one("HX-Request") == Some("true")))
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
            Err(e) if e.is_data() => fail(AppError::Invalid(crate::domain::Invalid::new(
                "body",
                format!("The body does not have the expected fields: {e}."),
            ))),
            Err(e) => fail(AppError::BadRequest(format!("The body is not valid JSON: {e}."))),
        }
    }
}
