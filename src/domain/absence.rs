//! "Also off": who else on the same team is away on some of the same days.

use super::{DateRange, Email, Status};

/// A colleague's pending or approved time off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absence {
    pub email: Email,
    pub name: String,
    pub manager: Option<Email>,
    pub status: Status,
    pub range: DateRange,
}

/// Absences grouped by the colleagues' manager, so each request looks only at its own team's.
#[derive(Clone, Debug, Default)]
pub struct Absences(Vec<Absence>);

impl Absences {
    pub fn new(mut all: Vec<Absence>) -> Absences {
        all.sort_by(|a, b| a.manager.cmp(&b.manager));
        Absences(all)
    }

    /// The absences of the people `manager` manages.
    pub fn of_team(&self, manager: &Email) -> &[Absence] {
        let start = self.0.partition_point(|a| a.manager.as_ref() < Some(manager));
        let end = self.0.partition_point(|a| a.manager.as_ref() <= Some(manager));
        &self.0[start..end]
    }
}

/// The colleagues off during a request: the first few by name, and how many there are in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlsoOff {
    /// Name and status; approved wins over pending when someone has both on those days.
    pub shown: Vec<(String, Status)>,
    pub total: usize,
}

/// How many names a row shows; the rest are a count, so a row's size does not grow with the team.
pub const SHOWN: usize = 3;

impl AlsoOff {
    /// "Suzy (approved)", ready to print.
    pub fn labels(&self) -> Vec<String> {
        self.shown.iter().map(|(name, status)| format!("{name} ({})", status.as_str().to_lowercase())).collect()
    }

    pub fn more(&self) -> usize {
        self.total.saturating_sub(self.shown.len())
    }
}

/// Colleagues of `requester` (people with the same manager) away on some of the days of a
/// pending or approved request. A request that is neither has nobody "also" off.
pub fn also_off(
    requester: Option<&Email>,
    manager: Option<&Email>,
    status: &Status,
    range: DateRange,
    away: &Absences,
) -> AlsoOff {
    let (Some(requester), Some(manager)) = (requester, manager) else { return AlsoOff::default() };
    if !status.is_active() {
        return AlsoOff::default();
    }
    let mut people: Vec<(&str, &Email, &Status)> = Vec::new();
    for a in away.of_team(manager) {
        if a.email == *requester || !a.range.overlaps(&range) {
            continue;
        }
        match people.iter_mut().find(|(_, email, _)| *email == &a.email) {
            Some(seen) if a.status == Status::Approved => seen.2 = &a.status,
            Some(_) => {}
            None => people.push((&a.name, &a.email, &a.status)),
        }
    }
    people.sort_by(|x, y| x.0.cmp(y.0).then_with(|| x.1.cmp(y.1)));
    AlsoOff {
        total: people.len(),
        shown: people.iter().take(SHOWN).map(|(name, _, status)| ((*name).to_owned(), (*status).clone())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    fn away(who: &str, manager: &str, status: Status, start: &str, end: &str) -> Absence {
        Absence {
            email: e(&format!("{}@x.com", who.to_lowercase())),
            name: who.into(),
            manager: Some(e(manager)),
            status,
            range: DateRange::parse(start, end).unwrap(),
        }
    }

    #[test]
    fn colleagues_on_overlapping_days_are_named_first_few_then_counted() {
        let (joe, maria) = (e("joe@x.com"), e("maria@x.com"));
        let range = DateRange::parse("2026-07-06", "2026-07-10").unwrap();
        let list = vec![
            away("Suzy", "maria@x.com", Status::Pending, "2026-07-10", "2026-07-14"),
            away("Suzy", "maria@x.com", Status::Approved, "2026-07-01", "2026-07-06"),
            away("Charlie", "maria@x.com", Status::Approved, "2026-07-08", "2026-07-08"),
            away("Dana", "lee@x.com", Status::Approved, "2026-07-08", "2026-07-08"),
            away("Eve", "maria@x.com", Status::Pending, "2026-07-11", "2026-07-12"),
            away("Joe", "maria@x.com", Status::Approved, "2026-07-06", "2026-07-06"),
            away("Abe", "maria@x.com", Status::Pending, "2026-07-09", "2026-07-09"),
            away("Zed", "maria@x.com", Status::Pending, "2026-07-09", "2026-07-09"),
        ];
        let off = also_off(Some(&joe), Some(&maria), &Status::Pending, range, &Absences::new(list));
        assert_eq!(off.total, 4, "Abe, Charlie, Suzy, Zed: not Dana (another team), Eve (other days) or Joe");
        assert_eq!(off.labels(), vec!["Abe (pending)", "Charlie (approved)", "Suzy (approved)"]);
        assert_eq!(off.more(), 1);
    }

    #[test]
    fn absences_are_found_by_team() {
        let all = Absences::new(vec![
            away("Dana", "lee@x.com", Status::Approved, "2026-07-08", "2026-07-08"),
            away("Suzy", "maria@x.com", Status::Pending, "2026-07-10", "2026-07-14"),
            away("Abe", "adam@x.com", Status::Pending, "2026-07-09", "2026-07-09"),
            away("Charlie", "maria@x.com", Status::Approved, "2026-07-08", "2026-07-08"),
        ]);
        let names = |m: &str| all.of_team(&e(m)).iter().map(|a| a.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("maria@x.com"), vec!["Suzy", "Charlie"]);
        assert_eq!(names("lee@x.com"), vec!["Dana"]);
        assert!(names("zoe@x.com").is_empty());
    }

    #[test]
    fn nobody_is_also_off_for_settled_requests_or_unknown_teams() {
        let (joe, maria) = (e("joe@x.com"), e("maria@x.com"));
        let range = DateRange::parse("2026-07-06", "2026-07-10").unwrap();
        let list = Absences::new(vec![away("Suzy", "maria@x.com", Status::Approved, "2026-07-06", "2026-07-06")]);
        assert_eq!(also_off(Some(&joe), Some(&maria), &Status::Declined, range, &list), AlsoOff::default());
        assert_eq!(also_off(Some(&joe), None, &Status::Pending, range, &list), AlsoOff::default());
        assert_eq!(also_off(None, Some(&maria), &Status::Pending, range, &list), AlsoOff::default());
        assert_eq!(also_off(Some(&joe), Some(&maria), &Status::Approved, range, &list).total, 1);
    }
}
