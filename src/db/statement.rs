//! Hand-written SQL that Diesel still prepares once per connection.
//!
//! Diesel caches the prepared statements of its query builder, but never those of
//! `sql_query`, which would then be parsed and planned on every request. The few statements
//! that are clearer in SQL than in the builder (a page of requests with who else is off, in
//! one round trip) are written as [`Statement`]s instead: a type per statement gives Diesel
//! the static query id it caches by, and `{}` in the text marks where each parameter goes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Date, Integer, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};
use std::marker::PhantomData;

/// A statement's SQL, where `{}` marks each parameter in order, and the SQL types of the
/// columns it returns, so rows are read by position rather than looked up by name.
pub trait Sql: 'static {
    const SQL: &'static str;
    type Row: 'static;
}

/// Declares a statement: a marker type carrying its SQL and the types of its columns.
#[macro_export]
macro_rules! statement {
    ($(#[$meta:meta])* $name:ident -> $row:ty = $sql:expr) => {
        $(#[$meta])*
        pub enum $name {}
        impl $crate::db::statement::Sql for $name {
            const SQL: &'static str = $sql;
            type Row = $row;
        }
    };
}

/// A parameter of a hand-written statement.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Text(&'a str),
    OptionalText(Option<&'a str>),
    Int(i32),
    Bool(bool),
    Date(&'a NaiveDate),
    Timestamp(NaiveDateTime),
    /// A Postgres `text[]`.
    #[cfg(feature = "postgres")]
    TextArray(&'a [String]),
}

/// A [`Sql`] statement with its parameters, ready to run on one backend's connection.
pub struct Statement<'a, S: Sql> {
    params: Vec<Param<'a>>,
    sql: PhantomData<S>,
}

impl<'a, S: Sql> Statement<'a, S> {
    pub fn new(params: Vec<Param<'a>>) -> Self {
        debug_assert_eq!(S::SQL.matches("{}").count(), params.len(), "parameters of {}", S::SQL);
        Statement { params, sql: PhantomData }
    }
}

impl<S: Sql> QueryId for Statement<'_, S> {
    type QueryId = S;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<S: Sql> Query for Statement<'_, S>
where
    S::Row: diesel::sql_types::SqlType,
{
    type SqlType = S::Row;
}

impl<S: Sql, Conn> RunQueryDsl<Conn> for Statement<'_, S> {}

/// How a backend takes a list of texts as one parameter.
pub trait TextList: diesel::backend::Backend {
    fn push_text_list<'b>(out: &mut AstPass<'_, 'b, Self>, list: &'b [String]) -> QueryResult<()>;
}

#[cfg(feature = "postgres")]
impl TextList for diesel::pg::Pg {
    fn push_text_list<'b>(out: &mut AstPass<'_, 'b, Self>, list: &'b [String]) -> QueryResult<()> {
        out.push_bind_param::<diesel::sql_types::Array<Text>, [String]>(list)
    }
}

#[cfg(feature = "sqlite")]
impl TextList for diesel::sqlite::Sqlite {
    fn push_text_list<'b>(_: &mut AstPass<'_, 'b, Self>, _: &'b [String]) -> QueryResult<()> {
        Err(diesel::result::Error::QueryBuilderError("SQLite has no arrays: pass a JSON array as text".into()))
    }
}

/// Pushes the SQL with each `{}` replaced by the backend's placeholder and its parameter bound.
macro_rules! walk_statement {
    ($backend:ty) => {
        impl<S: Sql> QueryFragment<$backend> for Statement<'_, S> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                let mut params = self.params.iter();
                for (i, piece) in S::SQL.split("{}").enumerate() {
                    if i > 0 {
                        let param = params.next().ok_or_else(|| {
                            diesel::result::Error::QueryBuilderError("a statement has fewer parameters than {}".into())
                        })?;
                        match param {
                            Param::Text(v) => out.push_bind_param::<Text, str>(*v)?,
                            Param::OptionalText(v) => out.push_bind_param::<Nullable<Text>, Option<&str>>(v)?,
                            Param::Int(v) => out.push_bind_param::<Integer, i32>(v)?,
                            Param::Bool(v) => out.push_bind_param::<Bool, bool>(v)?,
                            Param::Date(v) => out.push_bind_param::<Date, NaiveDate>(*v)?,
                            Param::Timestamp(v) => out.push_bind_param::<Timestamp, NaiveDateTime>(v)?,
                            #[cfg(feature = "postgres")]
                            Param::TextArray(v) => <$backend as TextList>::push_text_list(&mut out, v)?,
                        }
                    }
                    out.push_sql(piece);
                }
                Ok(())
            }
        }
    };
}

#[cfg(feature = "postgres")]
walk_statement!(diesel::pg::Pg);
#[cfg(feature = "sqlite")]
walk_statement!(diesel::sqlite::Sqlite);
