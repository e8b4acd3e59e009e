//! The GRANT statements that let another role (a person, a dashboard, another app's service
//! principal) read or change the app's tables. The app owns its schema, so nothing is needed
//! for the app itself; these are for everyone else, printed by `holidays print-grants`.

use super::quote_ident;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
}

/// Statements to run as the app's role. Role names are always quoted: on Databricks they are
/// service principals' UUIDs or emails, which are not valid bare identifiers.
pub fn grant_statements(schema: &str, role: &str, access: Access) -> String {
    let (schema, role) = (quote_ident(schema), quote_ident(role));
    let tables = match access {
        Access::ReadOnly => "SELECT",
        Access::ReadWrite => "SELECT, INSERT, UPDATE, DELETE",
    };
    let mut out = format!(
        "GRANT USAGE ON SCHEMA {schema} TO {role};\n\
         GRANT {tables} ON ALL TABLES IN SCHEMA {schema} TO {role};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {tables} ON TABLES TO {role};\n"
    );
    if access == Access::ReadWrite {
        out.push_str(&format!(
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};\n\
             ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role};\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_quoted_and_quotes_doubled() {
        let sql = grant_statements("holidays", "6f1c0d9e-1111-4a2b-9c3d-abcdefabcdef", Access::ReadOnly);
        assert!(sql.starts_with("GRANT USAGE ON SCHEMA \"holidays\" TO \"6f1c0d9e-1111-4a2b-9c3d-abcdefabcdef\";\n"));
        assert!(sql.contains("GRANT SELECT ON ALL TABLES"));
        assert!(!sql.contains("INSERT") && !sql.contains("SEQUENCES"), "{sql}");
        let sql = grant_statements("holidays", "bad\"; DROP TABLE x; --", Access::ReadWrite);
        assert!(sql.contains("TO \"bad\"\"; DROP TABLE x; --\";"), "{sql}");
        assert!(sql.contains("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES"));
        assert!(sql.contains("GRANT USAGE, SELECT ON ALL SEQUENCES"));
    }
}
