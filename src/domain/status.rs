//! A request's states, the decisions that move it, and the actions of its history.

use std::fmt;

/// A request's state. The spellings are the walkthrough's, so its rows stay readable; they are
/// read in any letter case, and a state the app does not know is kept as it is, read-only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Status {
    Pending,
    Approved,
    Declined,
    Cancelled,
    /// Written by something other than this app (a hand-edited walkthrough row, say).
    Other(String),
}

impl Status {
    /// The states this app writes.
    pub const KNOWN: [Status; 4] = [Status::Pending, Status::Approved, Status::Declined, Status::Cancelled];

    pub fn as_str(&self) -> &str {
        match self {
            Status::Pending => "Pending",
            Status::Approved => "Approved",
            Status::Declined => "Declined",
            Status::Cancelled => "Cancelled",
            Status::Other(s) => s,
        }
    }

    /// A state the app knows, in any letter case, from a query string, JSON or the database.
    pub fn parse_known(s: &str) -> Option<Status> {
        Status::KNOWN.into_iter().find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// What the database holds, whatever it is.
    pub fn from_stored(s: String) -> Status {
        Status::parse_known(&s).unwrap_or(Status::Other(s))
    }

    /// Pending or approved: the person is, or will be, away.
    pub fn is_active(&self) -> bool {
        matches!(self, Status::Pending | Status::Approved)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a manager can decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approved,
    Declined,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match Status::parse_known(s)? {
            Status::Approved => Some(Decision::Approved),
            Status::Declined => Some(Decision::Declined),
            _ => None,
        }
    }

    pub fn status(self) -> Status {
        match self {
            Decision::Approved => Status::Approved,
            Decision::Declined => Status::Declined,
        }
    }

    pub fn event(self) -> EventAction {
        match self {
            Decision::Approved => EventAction::Approved,
            Decision::Declined => EventAction::Declined,
        }
    }

    /// "approved" / "declined", for sentences.
    pub fn past_tense(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Declined => "declined",
        }
    }
}

/// What an entry of a request's history records.
#[derive(Clone, Debug, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum EventAction {
    Submitted,
    Approved,
    Declined,
    Cancelled,
    /// Recorded by another version of the app; shown as it is.
    Other(String),
}

impl EventAction {
    const KNOWN: [EventAction; 4] =
        [EventAction::Submitted, EventAction::Approved, EventAction::Declined, EventAction::Cancelled];

    pub fn as_str(&self) -> &str {
        match self {
            EventAction::Submitted => "Submitted",
            EventAction::Approved => "Approved",
            EventAction::Declined => "Declined",
            EventAction::Cancelled => "Cancelled",
            EventAction::Other(s) => s,
        }
    }

    pub fn from_stored(s: String) -> EventAction {
        EventAction::KNOWN.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(&s)).unwrap_or(EventAction::Other(s))
    }
}

impl fmt::Display for EventAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for EventAction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_in_any_case_and_unknown_ones_kept() {
        assert_eq!(Status::parse_known("pending"), Some(Status::Pending));
        assert_eq!(Status::parse_known(" APPROVED "), Some(Status::Approved));
        assert_eq!(Status::parse_known("Nope"), None);
        assert_eq!(Status::from_stored("approved".into()), Status::Approved);
        assert_eq!(Status::from_stored("On hold".into()), Status::Other("On hold".into()));
        assert_eq!(Status::Other("On hold".into()).as_str(), "On hold");
        assert!(!Status::Other("pending-ish".into()).is_active());
    }

    #[test]
    fn decisions_parse() {
        assert_eq!(Decision::parse("Approved"), Some(Decision::Approved));
        assert_eq!(Decision::parse("declined"), Some(Decision::Declined));
        assert_eq!(Decision::parse("Cancelled"), None, "cancelling is not a decision");
        assert_eq!(Decision::Approved.event(), EventAction::Approved);
    }

    #[test]
    fn event_actions_round_trip() {
        for a in EventAction::KNOWN {
            assert_eq!(EventAction::from_stored(a.as_str().to_owned()), a);
        }
        assert_eq!(EventAction::from_stored("Escalated".into()), EventAction::Other("Escalated".into()));
    }
}
