//! Who may see, decide and cancel what.

use super::{Email, Status};
use chrono::NaiveDate;

/// The person acting, as far as the rules care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub email: Email,
    pub is_admin: bool,
}

/// Who a request belongs to, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ownership<'a> {
    /// `None` for rows made before the app knew who asked (the walkthrough's).
    pub requester: Option<&'a Email>,
    /// The requester's manager in the directory, if any.
    pub manager: Option<&'a Email>,
}

/// Why an action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Forbidden(String),
    /// The request is no longer in a state that allows it.
    Conflict(String),
}

impl Actor {
    fn is(&self, who: Option<&Email>) -> bool {
        who == Some(&self.email)
    }

    pub fn may_view(&self, o: &Ownership) -> bool {
        self.is_admin || self.is(o.requester) || self.is(o.manager)
    }

    /// A person's balances are theirs, their manager's and the admins' to see.
    pub fn may_see_balances(&self, person: &Email, their_manager: Option<&Email>) -> Result<(), Refusal> {
        if self.is_admin || self.email == *person || self.is(their_manager) {
            return Ok(());
        }
        Err(Refusal::Forbidden("Only the person, their manager and admins can see someone's balances.".into()))
    }

    /// Leave types, people's allowances and workplaces, and adjustments are the admins' to change.
    pub fn may_run_policy(&self) -> Result<(), Refusal> {
        if self.is_admin {
            return Ok(());
        }
        Err(Refusal::Forbidden("Only admins can change the leave policy.".into()))
    }

    /// Managers decide their reports' requests; admins decide any, including those whose
    /// requester or manager is unknown; nobody decides their own.
    pub fn may_decide(&self, o: &Ownership) -> Result<(), Refusal> {
        if self.is(o.requester) {
            return Err(Refusal::Forbidden("Nobody can decide their own request.".into()));
        }
        if self.is_admin || self.is(o.manager) {
            return Ok(());
        }
        Err(Refusal::Forbidden(match (o.requester, o.manager) {
            (Some(_), Some(_)) => "Only the requester's manager or an admin can decide this request.".into(),
            _ => "This request has no known manager, so only an admin can decide it.".into(),
        }))
    }

    /// Only the requester cancels, and only while the holiday has not begun.
    pub fn may_cancel(
        &self,
        o: &Ownership,
        status: &Status,
        start: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        if !self.is(o.requester) {
            return Err(Refusal::Forbidden("Only the person who asked can cancel a request.".into()));
        }
        cancellable(status, start, today)
    }
}

/// Whether a request in this state can still be decided.
pub fn decidable(status: &Status) -> bool {
    *status == Status::Pending
}

/// Pending requests can always be cancelled; approved ones until their first day, where the
/// rules' "today" is.
pub fn cancellable(status: &Status, start: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    match status {
        Status::Pending => Ok(()),
        Status::Approved if start > today => Ok(()),
        Status::Approved => {
            Err(Refusal::Conflict("This holiday has already started, so it can no longer be cancelled.".into()))
        }
        Status::Declined => Err(Refusal::Conflict("This request was declined; there is nothing to cancel.".into())),
        Status::Cancelled => Err(Refusal::Conflict("This request is already cancelled.".into())),
        Status::Other(s) => Err(Refusal::Conflict(format!(
            "This request's status '{s}' was not set by this app, so it cannot be changed here."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn e(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    fn actor(email: &str, is_admin: bool) -> Actor {
        Actor { email: e(email), is_admin }
    }

    #[test]
    fn who_may_decide() {
        let (joe, maria, newbie) = (e("joe@x.com"), e("maria@x.com"), e("new@x.com"));
        let joes = Ownership { requester: Some(&joe), manager: Some(&maria) };
        assert_eq!(actor("maria@x.com", false).may_decide(&joes), Ok(()));
        assert_eq!(actor("root@x.com", true).may_decide(&joes), Ok(()));
        assert!(matches!(actor("lee@x.com", false).may_decide(&joes), Err(Refusal::Forbidden(_))));
        assert!(matches!(actor("joe@x.com", false).may_decide(&joes), Err(Refusal::Forbidden(_))));
        assert!(matches!(actor("joe@x.com", true).may_decide(&joes), Err(Refusal::Forbidden(_))), "not even an admin");

        let walkthrough_row = Ownership { requester: None, manager: None };
        assert_eq!(actor("root@x.com", true).may_decide(&walkthrough_row), Ok(()));
        let Err(Refusal::Forbidden(why)) = actor("maria@x.com", false).may_decide(&walkthrough_row) else { panic!() };
        assert!(why.contains("only an admin"));

        let newcomer = Ownership { requester: Some(&newbie), manager: None };
        assert_eq!(actor("root@x.com", true).may_decide(&newcomer), Ok(()));
        assert!(actor("maria@x.com", false).may_decide(&newcomer).is_err());
    }

    #[test]
    fn who_may_view() {
        let (joe, maria) = (e("joe@x.com"), e("maria@x.com"));
        let joes = Ownership { requester: Some(&joe), manager: Some(&maria) };
        assert!(actor("joe@x.com", false).may_view(&joes));
        assert!(actor("maria@x.com", false).may_view(&joes));
        assert!(actor("root@x.com", true).may_view(&joes));
        assert!(!actor("suzy@x.com", false).may_view(&joes));
    }

    #[test]
    fn who_may_cancel_and_when() {
        let (joe_email, maria) = (e("joe@x.com"), e("maria@x.com"));
        let joes = Ownership { requester: Some(&joe_email), manager: Some(&maria) };
        let today = d("2026-07-01");
        let joe = actor("joe@x.com", false);
        assert_eq!(joe.may_cancel(&joes, &Status::Pending, d("2026-06-01"), today), Ok(()));
        assert_eq!(joe.may_cancel(&joes, &Status::Approved, d("2026-07-02"), today), Ok(()));
        assert!(matches!(joe.may_cancel(&joes, &Status::Approved, today, today), Err(Refusal::Conflict(_))));
        assert!(matches!(joe.may_cancel(&joes, &Status::Declined, d("2026-08-01"), today), Err(Refusal::Conflict(_))));
        assert!(matches!(joe.may_cancel(&joes, &Status::Cancelled, d("2026-08-01"), today), Err(Refusal::Conflict(_))));
        let odd = Status::Other("on hold".into());
        assert!(matches!(joe.may_cancel(&joes, &odd, d("2026-08-01"), today), Err(Refusal::Conflict(_))));
        assert!(matches!(
            actor("maria@x.com", true).may_cancel(&joes, &Status::Pending, d("2026-08-01"), today),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn only_pending_requests_are_decidable() {
        assert!(decidable(&Status::Pending));
        for s in [Status::Approved, Status::Declined, Status::Cancelled, Status::Other("pending?".into())] {
            assert!(!decidable(&s), "{s}");
        }
    }

    #[test]
    fn balances_and_policy_are_guarded() {
        let (ann, boss) = (e("ann@x.com"), e("boss@x.com"));
        assert!(actor("ann@x.com", false).may_see_balances(&ann, Some(&boss)).is_ok(), "their own");
        assert!(actor("boss@x.com", false).may_see_balances(&ann, Some(&boss)).is_ok(), "their manager");
        assert!(actor("bob@x.com", false).may_see_balances(&ann, Some(&boss)).is_err(), "a colleague");
        assert!(actor("bob@x.com", true).may_see_balances(&ann, None).is_ok(), "an admin");
        assert!(actor("boss@x.com", false).may_run_policy().is_err());
        assert!(actor("bob@x.com", true).may_run_policy().is_ok());
    }
}
