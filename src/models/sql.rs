//! How the domain's vocabulary is stored: statuses, event actions and emails are text, on every
//! backend (these impls are generic, so they also cover the multi-backend connection).

use crate::domain::leave::{EndPart, StartPart};
use crate::domain::{Email, EventAction, Status};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

macro_rules! stored_as_text {
    ($type:ty, $from:expr, $as_str:expr) => {
        impl<DB: Backend> FromSql<Text, DB> for $type
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                Ok($from(String::from_sql(bytes)?))
            }
        }

        impl<DB: Backend> ToSql<Text, DB> for $type
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql($as_str(self), out)
            }
        }
    };
}

stored_as_text!(Status, Status::from_stored, Status::as_str);
stored_as_text!(EventAction, EventAction::from_stored, EventAction::as_str);
stored_as_text!(Email, Email::from_stored, Email::as_str);
stored_as_text!(StartPart, |s: String| StartPart::from_stored(&s), |p: &StartPart| p.as_str());
stored_as_text!(EndPart, |s: String| EndPart::from_stored(&s), |p: &EndPart| p.as_str());
