//! Balances, derived every time from what is booked: allowance + carried over + adjustments -
//! taken - pending = available. Nothing here is a stored running total, so no request, decision
//! or correction can leave one wrong.

use super::leave::{Days, LeaveYear};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// A person's yearly allowance of a deducted type, and when they started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entitlement {
    pub yearly: Days,
    /// Someone starting during a leave year gets its share of the allowance.
    pub start_date: Option<NaiveDate>,
}

/// The company's leave-year and carry-over rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub leave_year: LeaveYear,
    /// The most unused days that move into the next year.
    pub carry_cap: Days,
    /// How many months into the next year carried days may be used.
    pub carry_months: u32,
}

/// What one leave year holds for a person and a type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearUse {
    pub approved: Days,
    pub pending: Days,
    /// The approved and pending days on dates when carried-over days may be used.
    pub in_carry_window: Days,
    pub adjustments: Days,
}

impl YearUse {
    fn used(&self) -> Days {
        self.approved + self.pending
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Balance {
    pub year: i32,
    pub allowance: Days,
    pub carried_over: Days,
    /// The last day the carried days may be used; unused ones are gone after it.
    pub carried_expires: NaiveDate,
    pub adjustments: Days,
    /// Approved.
    pub taken: Days,
    pub pending: Days,
    pub available: Days,
}

/// The allowance of one leave year: the whole of it, or the share left when the person starts.
pub fn allowance(entitlement: Entitlement, leave_year: LeaveYear, year: i32) -> Days {
    let (first, last) = (leave_year.first_day(year), leave_year.last_day(year));
    match entitlement.start_date {
        Some(start) if start > last => Days::ZERO,
        Some(start) if start > first => {
            entitlement.yearly.scaled((last - start).num_days() + 1, leave_year.length_in_days(year))
        }
        _ => entitlement.yearly,
    }
}

/// The balances of the years in `years`. Carry-over runs from the first leave year with any
/// booking or adjustment (or the first year asked for, if earlier): the app does not invent
/// unused days for years it knows nothing of; an admin adjustment records an opening balance.
/// Carried days are used first, by days booked before they expire; whatever of them is not used
/// by then is gone. `today` decides whether that has happened yet.
pub fn balances(
    entitlement: Entitlement,
    policy: Policy,
    uses: &BTreeMap<i32, YearUse>,
    years: RangeInclusive<i32>,
    today: NaiveDate,
) -> Vec<Balance> {
    let first_year = uses.keys().next().copied().map_or(*years.start(), |y| y.min(*years.start()));
    let joined = entitlement.start_date.map(|s| policy.leave_year.of(s));
    let first_year = joined.map_or(first_year, |j| first_year.max(j).min(*years.start()));
    let mut carried = Days::ZERO;
    let mut out = Vec::new();
    for year in first_year..=*years.end() {
        let used = uses.get(&year).copied().unwrap_or_default();
        let allowance = allowance(entitlement, policy.leave_year, year);
        let expires = policy.leave_year.carry_expiry(year, policy.carry_months);
        let carried_used = carried.min(used.in_carry_window);
        let carried_counted = if today <= expires { carried } else { carried_used };
        if years.contains(&year) {
            out.push(Balance {
                year,
                allowance,
                carried_over: carried,
                carried_expires: expires,
                adjustments: used.adjustments,
                taken: used.approved,
                pending: used.pending,
                available: allowance + carried_counted + used.adjustments - used.used(),
            });
        }
        // At the year's end the window has passed: only carried days used in it count.
        let left = allowance + carried_used + used.adjustments - used.used();
        carried = left.max(Days::ZERO).min(policy.carry_cap);
    }
    out
}

/// The year a request would overdraw: a year whose balance it takes below zero, or further
/// below. Later years count too, since less is then carried into them.
pub fn overdrawn(before: &[Balance], after: &[Balance]) -> Option<Balance> {
    after.iter().copied().find(|a| {
        a.available.is_negative() && before.iter().find(|b| b.year == a.year).is_none_or(|b| a.available < b.available)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn policy() -> Policy {
        Policy { leave_year: LeaveYear::default(), carry_cap: Days::whole(5), carry_months: 3 }
    }

    fn full(days: i32) -> Entitlement {
        Entitlement { yearly: Days::whole(days), start_date: None }
    }

    fn booked(approved: i32, pending: i32, in_window: i32) -> YearUse {
        YearUse {
            approved: Days::whole(approved),
            pending: Days::whole(pending),
            in_carry_window: Days::whole(in_window),
            adjustments: Days::ZERO,
        }
    }

    #[test]
    fn available_counts_pending_and_adjustments() {
        let uses = BTreeMap::from([(2027, YearUse { adjustments: Days::halves(3), ..booked(10, 2, 0) })]);
        let [b] = balances(full(25), policy(), &uses, 2027..=2027, d("2027-06-01"))[..] else { panic!() };
        assert_eq!(
            (b.allowance, b.taken, b.pending, b.adjustments),
            (Days::whole(25), Days::whole(10), Days::whole(2), Days::halves(3))
        );
        assert_eq!(b.available, Days::halves(29), "25 + 1.5 - 10 - 2");
        assert_eq!(b.carried_over, Days::ZERO, "no year before it is known");
    }

    #[test]
    fn carry_over_is_capped_used_first_and_expires() {
        // 2026: 18 of 25 days used, 7 unused, 5 carried (the cap) into 2027.
        let mut uses = BTreeMap::from([(2026, booked(18, 0, 0))]);
        let in_april = balances(full(25), policy(), &uses, 2027..=2027, d("2027-04-01"));
        assert_eq!(in_april[0].carried_over, Days::whole(5));
        assert_eq!(in_april[0].carried_expires, d("2027-03-31"));
        assert_eq!(in_april[0].available, Days::whole(25), "none of the carried days used in time: gone");
        let in_march = balances(full(25), policy(), &uses, 2027..=2027, d("2027-03-31"));
        assert_eq!(in_march[0].available, Days::whole(30), "still usable on the last day");

        // 3 days booked before the end of March use 3 carried days; 2 expire.
        uses.insert(2027, booked(4, 0, 3));
        let b = balances(full(25), policy(), &uses, 2027..=2027, d("2027-05-01"))[0];
        assert_eq!(b.available, Days::whole(25 + 3 - 4));
        // Leave booked in the window beyond what was carried comes from the allowance.
        uses.insert(2027, booked(9, 0, 9));
        let b = balances(full(25), policy(), &uses, 2027..=2027, d("2027-05-01"))[0];
        assert_eq!(b.available, Days::whole(25 + 5 - 9));
    }

    #[test]
    fn carried_days_do_not_roll_over_twice() {
        // 2026 leaves 5 unused; 2027 uses none of the carried days and 20 of its own; 2028
        // gets 5 (the cap of 2027's own 5 unused), not 10.
        let uses = BTreeMap::from([(2026, booked(20, 0, 0)), (2027, booked(20, 0, 0))]);
        let b = balances(full(25), policy(), &uses, 2026..=2028, d("2028-02-01"));
        assert_eq!(b.iter().map(|b| b.carried_over).collect::<Vec<_>>(), [Days::ZERO, Days::whole(5), Days::whole(5)]);
        // A year with no bookings after the first known one carries the cap.
        let uses = BTreeMap::from([(2025, booked(1, 0, 0))]);
        assert_eq!(balances(full(25), policy(), &uses, 2027..=2027, d("2027-02-01"))[0].carried_over, Days::whole(5));
    }

    #[test]
    fn a_negative_year_carries_nothing() {
        let uses = BTreeMap::from([(2026, booked(27, 0, 0))]);
        let b = balances(full(25), policy(), &uses, 2026..=2027, d("2027-01-10"));
        assert_eq!(b[0].available, Days::whole(-2));
        assert_eq!(b[1].carried_over, Days::ZERO);
        assert_eq!(b[1].available, Days::whole(25), "a deficit is not taken from the next year");
    }

    #[test]
    fn people_starting_mid_year_get_a_share() {
        // Joining on 1 July 2027: 184 of 365 days, 12.6 days, 12.5 to the nearest half day.
        let joiner = Entitlement { yearly: Days::whole(25), start_date: Some(d("2027-07-01")) };
        assert_eq!(allowance(joiner, LeaveYear::default(), 2027), Days::halves(25));
        assert_eq!(allowance(joiner, LeaveYear::default(), 2028), Days::whole(25));
        assert_eq!(allowance(joiner, LeaveYear::default(), 2026), Days::ZERO, "not there yet");
        // In a leap year the share is of 366 days: 1 July 2028 leaves 184 of them, 12.57.
        let joiner = Entitlement { yearly: Days::whole(25), start_date: Some(d("2028-07-01")) };
        assert_eq!(allowance(joiner, LeaveYear::default(), 2028), Days::halves(25));
        // Nothing is carried into the year someone joins from the years before it.
        let uses = BTreeMap::new();
        let b = balances(joiner, policy(), &uses, 2028..=2029, d("2029-01-02"));
        assert_eq!(b[0].carried_over, Days::ZERO);
        assert_eq!(b[1].carried_over, Days::whole(5), "their unused share carries on");
    }

    #[test]
    fn overdraw_is_judged_against_the_balance_before() {
        let uses = BTreeMap::from([(2027, booked(24, 0, 0))]);
        let before = balances(full(25), policy(), &uses, 2027..=2027, d("2027-06-01"));
        let mut with_request = uses.clone();
        with_request.insert(2027, booked(24, 1, 0));
        let after = balances(full(25), policy(), &with_request, 2027..=2027, d("2027-06-01"));
        assert_eq!(overdrawn(&before, &after), None, "exactly zero left is fine");
        with_request.insert(2027, booked(24, 2, 0));
        let after = balances(full(25), policy(), &with_request, 2027..=2027, d("2027-06-01"));
        assert_eq!(overdrawn(&before, &after).map(|b| b.available), Some(Days::whole(-1)));
        // Already negative, and a request that changes nothing there: not its doing.
        let negative =
            balances(full(25), policy(), &BTreeMap::from([(2027, booked(30, 0, 0))]), 2027..=2027, d("2027-06-01"));
        assert_eq!(overdrawn(&negative, &negative), None);
    }

    #[test]
    fn a_request_early_in_a_year_can_overdraw_the_next_through_carry_over() {
        // 2027 leaves 5 days to carry, all booked early in 2028; taking 3 more days in 2027
        // leaves 2 to carry, and 2028 goes 2 days short.
        let uses = BTreeMap::from([(2027, booked(20, 0, 0)), (2028, booked(29, 0, 29))]);
        let before = balances(full(25), policy(), &uses, 2027..=2028, d("2027-06-01"));
        assert_eq!(before[1].available, Days::whole(1));
        let mut with_request = uses.clone();
        with_request.insert(2027, booked(20, 3, 0));
        let after = balances(full(25), policy(), &with_request, 2027..=2028, d("2027-06-01"));
        assert_eq!(overdrawn(&before, &after).map(|b| b.year), Some(2028));
    }
}
