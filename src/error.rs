//! One error type for every failure a request can meet, with the status code and the sentence
//! the user sees. HTML routes render it into the page (`web::PageError`); the API answers
//! `{"error": "..."}`.

use crate::domain::{Invalid, Refusal};
use rocket::http::Status;
use std::fmt;

#[derive(Debug)]
pub enum AppError {
    /// Input that cannot be accepted as it is, tied to a field (422).
    Invalid(Invalid),
    /// A request that cannot be read at all (400).
    BadRequest(String),
    /// Nobody is signed in (401).
    Unauthorized,
    Forbidden(String),
    NotFound(String),
    /// The request is no longer in a state that allows the change (409).
    Conflict(String),
    UnsupportedMediaType(String),
    TooLarge(String),
    /// The database cannot be reached or is busy; nothing was changed (503).
    Unavailable(String),
    /// A database error not yet classified; [`crate::db::Db::run`] turns it into
    /// `Unavailable` or `Internal` once it knows whether the connection is alive.
    Database(diesel::result::Error),
    /// A bug or an unexpected state; the details go to the log, not to the user (500).
    Internal(String),
}

pub const UNAUTHORIZED: &str = "You are not signed in: this app expects the Databricks Apps proxy to send \
     X-Forwarded-Email. Open it through its Databricks Apps address.";
pub const UNAVAILABLE: &str = "The database is not answering right now, so nothing was read or changed. \
     Please try again in a moment.";
pub const BUSY: &str = "The database is busy, so nothing was changed. Please try again.";
pub const INTERNAL: &str = "Something went wrong on our side and nothing was changed. \
     The details are in the app's log.";

impl AppError {
    pub fn status(&self) -> Status {
        match self {
            AppError::Invalid(_) => Status::UnprocessableEntity,
            AppError::BadRequest(_) => Status::BadRequest,
            AppError::Unauthorized => Status::Unauthorized,
            AppError::Forbidden(_) => Status::Forbidden,
            AppError::NotFound(_) => Status::NotFound,
            AppError::Conflict(_) => Status::Conflict,
            AppError::UnsupportedMediaType(_) => Status::UnsupportedMediaType,
            AppError::TooLarge(_) => Status::PayloadTooLarge,
            AppError::Unavailable(_) => Status::ServiceUnavailable,
            AppError::Database(_) | AppError::Internal(_) => Status::InternalServerError,
        }
    }

    /// The sentence shown to the user.
    pub fn message(&self) -> &str {
        match self {
            AppError::Invalid(i) => &i.message,
            AppError::BadRequest(m)
            | AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::Conflict(m)
            | AppError::UnsupportedMediaType(m)
            | AppError::TooLarge(m)
            | AppError::Unavailable(m) => m,
            AppError::Unauthorized => UNAUTHORIZED,
            AppError::Database(_) | AppError::Internal(_) => INTERNAL,
        }
    }

    pub fn not_found(id: i32) -> Self {
        AppError::NotFound(format!("There is no request #{id}, or you may not see it."))
    }

    /// Writes what the user does not see to the log.
    pub fn log(&self) {
        match self {
            AppError::Database(e) => rocket::error!("database error: {e}"),
            AppError::Internal(m) => rocket::error!("internal error: {m}"),
            AppError::Unavailable(m) => rocket::warn!("unavailable: {m}"),
            _ => {}
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Invalid(i) => Some(i.field),
            _ => None,
        }
    }
}

impl From<Invalid> for AppError {
    fn from(i: Invalid) -> Self {
        AppError::Invalid(i)
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden(m) => AppError::Forbidden(m),
            Refusal::Conflict(m) => AppError::Conflict(m),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Database(e)
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The log gets the details; the sentence stays the one users see.
            AppError::Database(e) => write!(f, "{INTERNAL} ({e})"),
            AppError::Internal(m) => write!(f, "{INTERNAL} ({m})"),
            other => f.write_str(other.message()),
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Database(e) => Some(e),
            AppError::Invalid(i) => Some(i),
            _ => None,
        }
    }
}

/// The JSON form of an error: `{"error": "<sentence>", "field": "<input field>"}`.
#[derive(serde::Serialize)]
pub struct ErrorBody<'a> {
    pub error: &'a str,
    /// The input field the error is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}
