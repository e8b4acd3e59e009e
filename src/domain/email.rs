//! Email addresses, the key of the directory and of every identity.

use std::fmt;

/// An email address as the app keys people on it: trimmed and lower-cased, plain ASCII.
///
/// Lower-casing is ASCII only, on purpose: Unicode-aware lower-casing folds look-alikes (the
/// KELVIN SIGN becomes `k`), which would let `\u{212A}ate@example.com` act as `kate@example.com`.
/// Addresses outside ASCII are refused instead.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct Email(String);

/// Why a text is not an email address the app accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailError {
    NotAnAddress,
    NotAscii,
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmailError::NotAnAddress => "is not an email address",
            EmailError::NotAscii => "is not a plain ASCII email address",
        })
    }
}

impl std::error::Error for EmailError {}

/// The longest address SMTP allows.
const MAX_LEN: usize = 254;

impl Email {
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim();
        if !trimmed.is_ascii() {
            return Err(EmailError::NotAscii);
        }
        let email = trimmed.to_ascii_lowercase();
        let (local, domain) = email.split_once('@').ok_or(EmailError::NotAnAddress)?;
        let plausible = !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && email.len() <= MAX_LEN
            && !email.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control() || b",<>;\"".contains(&b));
        if plausible { Ok(Email(email)) } else { Err(EmailError::NotAnAddress) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An address read back from the database, where only parsed addresses are written.
    pub(crate) fn from_stored(s: String) -> Email {
        Email(s)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Email {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Email {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(Email::parse(" Joe@Example.COM ").unwrap().as_str(), "joe@example.com");
    }

    #[test]
    fn non_addresses_are_refused() {
        for bad in ["joe", "@example.com", "joe@", "a b@example.com", "a@b@c", "a,b@x.com", "<a@x.com>", "a\u{7}@x.com"]
        {
            assert_eq!(Email::parse(bad), Err(EmailError::NotAnAddress), "{bad:?}");
        }
        assert_eq!(Email::parse(&format!("{}@x.com", "a".repeat(250))), Err(EmailError::NotAnAddress));
    }

    #[test]
    fn look_alikes_never_become_someone_else() {
        // U+212A KELVIN SIGN lower-cases to 'k' under Unicode rules.
        assert_eq!(Email::parse("\u{212A}ate@example.com"), Err(EmailError::NotAscii));
        assert_eq!(Email::parse("jos\u{e9}@example.com"), Err(EmailError::NotAscii));
        assert_eq!(Email::parse("KATE@example.com").unwrap().as_str(), "kate@example.com");
    }
}
