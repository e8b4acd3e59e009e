//! Free text people type: comments, notes and names.

use super::Invalid;

/// The longest comment or decision note, in characters.
pub const MAX_TEXT: usize = 1000;
/// The longest display name, in characters (the walkthrough's `VARCHAR(255)`).
pub const MAX_NAME: usize = 255;

/// Characters that would make text read differently from what is stored: control characters
/// (Postgres cannot even store NUL) other than line breaks and tabs, and the bidirectional
/// overrides and isolates, which can make a note display as something it does not say.
fn is_deceptive(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks an optional free-text field: trims it, empties become `None`, too long is refused,
/// and so are invisible characters that change how it reads.
pub fn optional_text(field: &'static str, label: &str, raw: Option<&str>) -> Result<Option<String>, Invalid> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().any(is_deceptive) {
        return Err(Invalid::new(
            field,
            format!("The {label} contains an invisible control character; please type it again as plain text."),
        ));
    }
    let length = text.chars().count();
    if length > MAX_TEXT {
        return Err(Invalid::new(
            field,
            format!("The {label} is {length} characters long; at most {MAX_TEXT} are allowed."),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// A person's name as the directory shows it: 1 to 255 characters on one line.
pub fn display_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(format!("the display name must be 1 to {MAX_NAME} characters"));
    }
    if name.chars().any(|c| c.is_control() || is_deceptive(c)) {
        return Err("the display name contains an invisible control character".into());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(optional_text("note", "note", None), Ok(None));
        assert_eq!(optional_text("note", "note", Some("   ")), Ok(None));
        assert_eq!(optional_text("note", "note", Some(" ok ")), Ok(Some("ok".into())));
        let long = "é".repeat(MAX_TEXT);
        assert!(optional_text("note", "note", Some(&long)).is_ok(), "characters, not bytes");
        let err = optional_text("note", "note", Some(&format!("{long}x"))).unwrap_err();
        assert_eq!(err.field, "note");
        assert!(err.message.contains("1001 characters"));
        assert!(optional_text("note", "note", Some("two\nlines\tand a tab")).is_ok());
    }

    #[test]
    fn invisible_characters_are_refused() {
        for bad in [
            "nul \0 inside",
            "bell \u{7}",
            "escape \u{1b}[31m",
            "right-to-left \u{202E}evil",
            "embedding \u{202A}x",
            "isolate \u{2066}x\u{2069}",
            "first strong isolate \u{2068}x",
        ] {
            let err = optional_text("comment", "comment", Some(bad)).unwrap_err();
            assert!(err.message.contains("control character"), "{bad:?}");
        }
        assert!(optional_text("comment", "comment", Some("שלום, hello")).is_ok(), "right-to-left text itself is fine");
    }

    #[test]
    fn display_names() {
        assert_eq!(display_name("  Maria  "), Ok("Maria".into()));
        assert!(display_name("").is_err());
        assert!(display_name(&"x".repeat(256)).is_err());
        assert!(display_name("two\nlines").is_err());
        assert!(display_name("evil\u{202E}").is_err());
    }
}
