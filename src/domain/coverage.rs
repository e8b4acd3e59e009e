//! Coverage rules: "at most N of this team off on one day" and blackout periods, each warning
//! or blocking. A team is a manager and the people who report to them; a rule without a team
//! covers the whole company. Pending and approved leave of every type counts, half days as half,
//! and only on days the person works.

use super::calendar::{Booked, Part};
use super::leave::{Days, WorkingWeek};
use super::text::optional_text;
use super::{DateRange, Email, Invalid};
use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Warn,
    Block,
}

impl Mode {
    pub fn parse(raw: &str) -> Result<Mode, Invalid> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "warn" => Ok(Mode::Warn),
            "block" => Ok(Mode::Block),
            _ => Err(Invalid::new("mode", "The mode must be warn or block.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Warn => "warn",
            Mode::Block => "block",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// At most this many people off on one day.
    MaxOff(i32),
    Blackout,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MaxOff(_) => "max_off",
            Kind::Blackout => "blackout",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: i32,
    /// The manager whose team it covers; `None`: everyone.
    pub team: Option<Email>,
    pub kind: Kind,
    /// When it applies; always set for a blackout, optional for a limit.
    pub period: Option<DateRange>,
    pub name: Option<String>,
    pub mode: Mode,
}

/// The largest limit anyone can set: more than any team is large.
pub const MAX_LIMIT: i32 = 100_000;

impl Rule {
    /// Checks what someone typed for a new rule (`id` 0 until stored).
    pub fn new(
        team: Option<Email>,
        kind: &str,
        max_off: Option<i64>,
        period: Option<DateRange>,
        name: Option<&str>,
        mode: &str,
    ) -> Result<Rule, Invalid> {
        let mode = Mode::parse(mode)?;
        let name = optional_text("name", "name", name)?;
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "max_off" => {
                let n = max_off.ok_or_else(|| Invalid::new("max_off", "Say how many people may be off at most."))?;
                let n = i32::try_from(n)
                    .ok()
                    .filter(|n| (0..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| Invalid::new("max_off", format!("The limit must be between 0 and {MAX_LIMIT}.")))?;
                Kind::MaxOff(n)
            }
            "blackout" => {
                if period.is_none() {
                    return Err(Invalid::new("start_date", "A blackout needs its first and last day."));
                }
                if name.is_none() {
                    return Err(Invalid::new("name", "Name the blackout (\"Release week\"), so people know why."));
                }
                Kind::Blackout
            }
            _ => return Err(Invalid::new("kind", "The kind must be max_off or blackout.")),
        };
        Ok(Rule { id: 0, team, kind, period, name, mode })
    }

    pub fn applies_on(&self, day: NaiveDate) -> bool {
        self.period.is_none_or(|p| p.start <= day && day <= p.end)
    }

    /// The rule in a sentence: "At most 2 off on one day (block)".
    pub fn describe(&self) -> String {
        let when = match self.period {
            Some(p) if p.start == p.end => format!(" on {}", short_date(p.start)),
            Some(p) => format!(" from {} to {}", short_date(p.start), short_date(p.end)),
            None => String::new(),
        };
        let what = match (self.kind, &self.name) {
            (Kind::MaxOff(n), None) => format!("At most {n} off on one day{when}"),
            (Kind::MaxOff(n), Some(name)) => format!("{name}: at most {n} off on one day{when}"),
            (Kind::Blackout, name) => format!("{} blackout{when}", name.as_deref().unwrap_or("A")),
        };
        let mode = match self.mode {
            Mode::Warn => "warns",
            Mode::Block => "blocks",
        };
        format!("{what} ({mode})")
    }
}

/// "Tue 4 Mar 2025".
pub fn short_date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// Someone's pending or approved leave, and the days they work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Away {
    pub booked: Booked,
    pub week: WorkingWeek,
}

/// The people a rule covers, as far as counting them needs: how many, and their leave.
#[derive(Clone, Copy, Debug)]
pub struct Covered<'a> {
    pub size: usize,
    /// Their name for sentences: "Lee's team", "the company".
    pub label: &'a str,
    pub away: &'a [Away],
}

/// A rule a request would break, in a sentence for the person asking and whoever decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breach {
    pub rule_id: i32,
    pub mode: Mode,
    pub sentence: String,
}

/// Half days off among `away` on `day`, leaving out one request (the one being judged, when it
/// is already stored).
pub fn halves_off(away: &[Away], day: NaiveDate, leaving_out: Option<i32>) -> i32 {
    away.iter()
        .filter(|a| Some(a.booked.request_id) != leaving_out)
        .filter_map(|a| a.booked.off_on(day, a.week))
        .map(Part::halves)
        .sum()
}

/// Whether a request taking `own` (its days off and how much of each) breaks `rule`, given the
/// others' leave. `own_id` is the request itself when it is already stored, so that it is not
/// counted twice.
pub fn judge(rule: &Rule, own: &[(NaiveDate, Part)], own_id: Option<i32>, covered: Covered) -> Option<Breach> {
    let mut days = own.iter().filter(|(day, _)| rule.applies_on(*day));
    let sentence = match rule.kind {
        Kind::Blackout => {
            let (first, _) = days.next()?;
            let name = rule.name.as_deref().unwrap_or("a");
            let period = rule.period.map(|p| format!(" ({} to {})", short_date(p.start), short_date(p.end)));
            format!(
                "{} is inside the {name} blackout{} for {}.",
                short_date(*first),
                period.unwrap_or_default(),
                covered.label
            )
        }
        Kind::MaxOff(limit) => {
            let over: Vec<(NaiveDate, i32)> = days
                .map(|(day, part)| (*day, halves_off(covered.away, *day, own_id) + part.halves()))
                .filter(|(_, halves)| *halves > 2 * limit)
                .collect();
            let (day, halves) = *over.first()?;
            let more = match over.len() - 1 {
                0 => String::new(),
                1 => " and on 1 more day".into(),
                n => format!(" and on {n} more days"),
            };
            format!(
                "{} of {} in {} off on {}{more}, limit {limit}.",
                Days::halves(halves),
                covered.size.max(1),
                covered.label,
                short_date(day)
            )
        }
    };
    Some(Breach { rule_id: rule.id, mode: rule.mode, sentence })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::leave::{EndPart, StartPart};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn away(id: i32, start: &str, end: &str, sp: StartPart, ep: EndPart) -> Away {
        let booked =
            Booked { request_id: id, range: DateRange::parse(start, end).unwrap(), start_part: sp, end_part: ep };
        Away { booked, week: WorkingWeek::default() }
    }

    fn full(id: i32, start: &str, end: &str) -> Away {
        away(id, start, end, StartPart::Full, EndPart::Full)
    }

    fn limit(n: i32, mode: Mode) -> Rule {
        Rule { id: 7, team: None, kind: Kind::MaxOff(n), period: None, name: None, mode }
    }

    fn covered(away: &[Away]) -> Covered<'_> {
        Covered { size: 8, label: "Lee's team", away }
    }

    #[test]
    fn a_limit_counts_the_others_and_the_request() {
        // Two others off on Tuesday 3 March 2026, the limit is 2: a third is over it.
        let others = [full(1, "2026-03-02", "2026-03-03"), full(2, "2026-03-03", "2026-03-06")];
        let own = [(d("2026-03-03"), Part::Full), (d("2026-03-04"), Part::Full)];
        let breach = judge(&limit(2, Mode::Block), &own, None, covered(&others)).unwrap();
        assert_eq!(breach.sentence, "3 of 8 in Lee's team off on Tue 3 Mar 2026, limit 2.");
        assert_eq!((breach.rule_id, breach.mode), (7, Mode::Block));
        // With a limit of 3 it fits, and on Wednesday only one other is off.
        assert_eq!(judge(&limit(3, Mode::Block), &own, None, covered(&others)), None);
        // Stored already (it is request 1 itself): not counted twice.
        let own_one = [(d("2026-03-02"), Part::Full), (d("2026-03-03"), Part::Full)];
        assert_eq!(judge(&limit(2, Mode::Warn), &own_one, Some(1), covered(&others)), None);
        assert!(judge(&limit(1, Mode::Warn), &own_one, Some(1), covered(&others)).is_some());
    }

    #[test]
    fn half_days_count_as_half() {
        // One other takes Tuesday morning: with a whole day asked, 1.5 of a limit of 1.
        let others = [away(1, "2026-03-02", "2026-03-03", StartPart::Full, EndPart::Morning)];
        let whole = [(d("2026-03-03"), Part::Full)];
        let breach = judge(&limit(1, Mode::Warn), &whole, None, covered(&others)).unwrap();
        assert!(breach.sentence.starts_with("1.5 of 8"), "{}", breach.sentence);
        // An afternoon beside their morning: one person's worth of absence, within a limit of 1.
        let afternoon = [(d("2026-03-03"), Part::Afternoon)];
        assert_eq!(judge(&limit(1, Mode::Warn), &afternoon, None, covered(&others)), None);
    }

    #[test]
    fn only_working_days_count() {
        // The other's leave spans a weekend; a Sun-Thu worker is off on Sunday, a Mon-Fri one not.
        let mut other = full(1, "2026-03-06", "2026-03-09");
        let sunday = [(d("2026-03-08"), Part::Full)];
        assert_eq!(judge(&limit(1, Mode::Block), &sunday, None, covered(&[other])), None);
        other.week = WorkingWeek::parse("Sun-Thu").unwrap();
        assert!(judge(&limit(1, Mode::Block), &sunday, None, covered(&[other])).is_some());
    }

    #[test]
    fn a_limit_with_a_period_applies_only_then_and_counts_more_days() {
        let others = [full(1, "2026-07-01", "2026-07-31")];
        let mut rule = limit(1, Mode::Block);
        rule.period = Some(DateRange::parse("2026-07-06", "2026-07-08").unwrap());
        let own: Vec<_> = ["2026-07-03", "2026-07-06", "2026-07-07", "2026-07-08", "2026-07-09"]
            .iter()
            .map(|s| (d(s), Part::Full))
            .collect();
        let breach = judge(&rule, &own, None, covered(&others)).unwrap();
        assert_eq!(breach.sentence, "2 of 8 in Lee's team off on Mon 6 Jul 2026 and on 2 more days, limit 1.");
        assert_eq!(judge(&rule, &own[..1], None, covered(&others)), None);
    }

    #[test]
    fn a_blackout_names_itself() {
        let rule = Rule {
            id: 3,
            team: None,
            kind: Kind::Blackout,
            period: Some(DateRange::parse("2026-03-02", "2026-03-06").unwrap()),
            name: Some("Release week".into()),
            mode: Mode::Warn,
        };
        let own = [(d("2026-02-27"), Part::Full), (d("2026-03-02"), Part::Morning)];
        let breach = judge(&rule, &own, None, Covered { size: 40, label: "the company", away: &[] }).unwrap();
        assert_eq!(
            breach.sentence,
            "Mon 2 Mar 2026 is inside the Release week blackout (Mon 2 Mar 2026 to Fri 6 Mar 2026) for the company."
        );
        assert_eq!(judge(&rule, &own[..1], None, Covered { size: 40, label: "the company", away: &[] }), None);
        assert_eq!(rule.describe(), "Release week blackout from Mon 2 Mar 2026 to Fri 6 Mar 2026 (warns)");
        assert_eq!(limit(2, Mode::Block).describe(), "At most 2 off on one day (blocks)");
    }

    #[test]
    fn new_rules_are_checked() {
        let period = DateRange::parse("2026-03-02", "2026-03-06").ok();
        assert_eq!(Rule::new(None, "max_off", Some(2), None, None, "block").unwrap().kind, Kind::MaxOff(2));
        let field = |r: Result<Rule, Invalid>| r.unwrap_err().field;
        assert_eq!(field(Rule::new(None, "max_off", None, None, None, "block")), "max_off");
        assert_eq!(field(Rule::new(None, "max_off", Some(-1), None, None, "block")), "max_off");
        assert_eq!(field(Rule::new(None, "max_off", Some(1 << 40), None, None, "block")), "max_off");
        assert_eq!(field(Rule::new(None, "blackout", None, None, Some("Release"), "warn")), "start_date");
        assert_eq!(field(Rule::new(None, "blackout", None, period, None, "warn")), "name");
        assert_eq!(field(Rule::new(None, "blackout", None, period, Some("Release"), "sometimes")), "mode");
        assert_eq!(field(Rule::new(None, "quota", None, period, Some("Release"), "warn")), "kind");
        assert_eq!(Rule::new(None, "BLACKOUT", None, period, Some("Release"), "Block").unwrap().mode, Mode::Block);
    }
}
