//! The business schedule: a weekly timetable and holidays, and deadline arithmetic in business time.
//! Times here are local wall-clock times; the caller converts to and from UTC.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// Opening hours of one weekday (`HH:MM`), or closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    pub open: String,
    pub close: String,
}

/// The desk's weekly schedule (Monday first) and its holidays (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub week: [Option<DayHours>; 7],
    pub holidays: BTreeSet<NaiveDate>,
}

impl Default for Schedule {
    /// Monday to Friday 09:00–18:00, Saturday 10:00–16:00, Sunday closed.
    fn default() -> Self {
        let day = |o: &str, c: &str| {
            Some(DayHours {
                open: o.into(),
                close: c.into(),
            })
        };
        Schedule {
            week: [
                day("09:00", "18:00"),
                day("09:00", "18:00"),
                day("09:00", "18:00"),
                day("09:00", "18:00"),
                day("09:00", "18:00"),
                day("10:00", "16:00"),
                None,
            ],
            holidays: BTreeSet::new(),
        }
    }
}

/// How far the search for an open day may look ahead (a schedule with no open day at all).
const MAX_DAYS_AHEAD: u32 = 800;

fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    // The usual `HH:MM` without the general parser: deadline arithmetic asks per day, and
    // the manager's figures ask for tens of thousands of complaints.
    if let [h1, h2, b':', m1, m2] = s.as_bytes() {
        if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) {
            let n = |a: &u8, b: &u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
            return NaiveTime::from_hms_opt(n(h1, h2), n(m1, m2), 0);
        }
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

impl Schedule {
    /// Check the schedule: times are `HH:MM`, open before close, at least one open day.
    pub fn validate(&self) -> Result<(), &'static str> {
        let mut any = false;
        for d in self.week.iter().flatten() {
            match (parse_hhmm(&d.open), parse_hhmm(&d.close)) {
                (Some(o), Some(c)) if o < c => any = true,
                _ => return Err("invalid_hours"),
            }
        }
        if any {
            Ok(())
        } else {
            Err("no_open_day")
        }
    }

    /// Open and close on `d`, or `None` when closed (weekday off or holiday).
    pub fn hours_on(&self, d: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        if self.holidays.contains(&d) {
            return None;
        }
        let h = self.week[d.weekday().num_days_from_monday() as usize].as_ref()?;
        let (o, c) = (parse_hhmm(&h.open)?, parse_hhmm(&h.close)?);
        (o < c).then_some((o, c))
    }

    /// `t` itself when the desk is open then, else the next opening.
    pub fn next_open(&self, t: NaiveDateTime) -> NaiveDateTime {
        let mut d = t.date();
        for i in 0..MAX_DAYS_AHEAD {
            if let Some((o, c)) = self.hours_on(d) {
                if i > 0 || t.time() < o {
                    return d.and_time(o);
                }
                if t.time() < c {
                    return t;
                }
            }
            d = match d.checked_add_days(Days::new(1)) {
                Some(n) => n,
                None => return t,
            };
        }
        t
    }

    /// `minutes` of business time after `start`. No time at all leaves `start` as it is: a
    /// deadline at closing time that a pause outside hours moved by 0 minutes stays put
    /// rather than jumping to the next opening.
    pub fn add_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        if minutes <= 0 {
            return start;
        }
        let mut t = self.next_open(start);
        let mut left = minutes.max(0);
        for _ in 0..MAX_DAYS_AHEAD * 2 {
            let Some((_, c)) = self.hours_on(t.date()) else {
                return t;
            };
            let available = (t.date().and_time(c) - t).num_minutes();
            if left <= available {
                return t + TimeDelta::minutes(left);
            }
            left -= available;
            t = self.next_open(t.date().and_time(c));
            if t.date().and_time(NaiveTime::MIN) == t && self.hours_on(t.date()).is_none() {
                return t;
            }
        }
        t
    }

    /// `days` business days after `start`, at the same time into the business day
    /// (cut to the closing time on a shorter day).
    pub fn add_days(&self, start: NaiveDateTime, days: u32) -> NaiveDateTime {
        let s = self.next_open(start);
        let Some((open, _)) = self.hours_on(s.date()) else {
            return s;
        };
        let into = s.time() - open;
        let mut d = s.date();
        for _ in 0..days {
            let next = self.next_open(d.and_time(NaiveTime::MIN) + TimeDelta::days(1));
            d = next.date();
        }
        match self.hours_on(d) {
            Some((o, c)) => {
                let t = d.and_time(o) + into;
                t.min(d.and_time(c))
            }
            None => d.and_time(NaiveTime::MIN),
        }
    }

    /// Business minutes between `a` and `b` (0 when `b` is not after `a`).
    pub fn minutes_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = 0;
        let mut d = a.date();
        for _ in 0..MAX_DAYS_AHEAD * 2 {
            if d > b.date() {
                break;
            }
            if let Some((o, c)) = self.hours_on(d) {
                let from = a.max(d.and_time(o));
                let to = b.min(d.and_time(c));
                if to > from {
                    total += (to - from).num_minutes();
                }
            }
            d = match d.checked_add_days(Days::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        total
    }
}

/// Whatever measures business minutes: the schedule itself, or its timetable.
pub trait Measure {
    fn business_minutes(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64;
}

impl Measure for Schedule {
    fn business_minutes(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        self.minutes_between(a, b)
    }
}

impl Measure for Timetable {
    fn business_minutes(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        self.minutes_between(a, b)
    }
}

/// The schedule laid out day by day over a range, for measuring many durations at once
/// (the manager's figures): `minutes_between` gives what `Schedule::minutes_between` gives,
/// without walking the days between (a running total of the open minutes of each day).
pub struct Timetable {
    schedule: Schedule,
    start: NaiveDate,
    hours: Vec<Option<(NaiveTime, NaiveTime)>>,
    /// `before[i]`: open minutes of the days before day `i`.
    before: Vec<i64>,
}

impl Schedule {
    /// The timetable from `from` to `to` (both included); times outside are measured
    /// day by day, as without it.
    pub fn timetable(&self, from: NaiveDate, to: NaiveDate) -> Timetable {
        let days = (to - from).num_days().clamp(0, 40_000) as usize + 1;
        let mut hours = Vec::with_capacity(days);
        let mut before = Vec::with_capacity(days + 1);
        let mut total = 0;
        let mut d = from;
        for _ in 0..days {
            let h = self.hours_on(d);
            before.push(total);
            total += h.map_or(0, |(o, c)| (d.and_time(c) - d.and_time(o)).num_minutes());
            hours.push(h);
            match d.checked_add_days(Days::new(1)) {
                Some(n) => d = n,
                None => break,
            }
        }
        before.push(total);
        Timetable {
            schedule: self.clone(),
            start: from,
            hours,
            before,
        }
    }
}

impl Timetable {
    fn index(&self, d: NaiveDate) -> Option<usize> {
        usize::try_from((d - self.start).num_days())
            .ok()
            .filter(|i| *i < self.hours.len())
    }

    /// Business minutes between `a` and `b` (0 when `b` is not after `a`).
    pub fn minutes_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        if b <= a {
            return 0;
        }
        let (Some(i), Some(j)) = (self.index(a.date()), self.index(b.date())) else {
            return self.schedule.minutes_between(a, b);
        };
        let part = |k: usize, d: NaiveDate| match self.hours[k] {
            Some((o, c)) => {
                let (from, to) = (a.max(d.and_time(o)), b.min(d.and_time(c)));
                if to > from {
                    (to - from).num_minutes()
                } else {
                    0
                }
            }
            None => 0,
        };
        if i == j {
            return part(i, a.date());
        }
        part(i, a.date()) + (self.before[j] - self.before[i + 1]) + part(j, b.date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    // 2026-11-20 is a Friday; 2026-11-21 Saturday; 2026-11-23 Monday.
    #[test]
    fn next_open_table() {
        let s = Schedule::default();
        let cases = [
            ("2026-11-23 08:00", "2026-11-23 09:00"),
            ("2026-11-23 09:00", "2026-11-23 09:00"),
            ("2026-11-23 12:34", "2026-11-23 12:34"),
            ("2026-11-23 18:00", "2026-11-24 09:00"),
            ("2026-11-20 23:50", "2026-11-21 10:00"),
            ("2026-11-21 16:30", "2026-11-23 09:00"),
            ("2026-11-22 11:00", "2026-11-23 09:00"),
        ];
        for (t, want) in cases {
            assert_eq!(s.next_open(at(t)), at(want), "{t}");
        }
    }

    #[test]
    fn business_minutes_and_days() {
        let mut s = Schedule::default();
        assert_eq!(s.add_minutes(at("2026-11-23 10:00"), 60), at("2026-11-23 11:00"));
        assert_eq!(s.add_minutes(at("2026-11-23 17:30"), 60), at("2026-11-24 09:30"));
        // Friday 17:00 + 4 h: 1 h Friday, 6 h Saturday is enough.
        assert_eq!(s.add_minutes(at("2026-11-20 17:00"), 240), at("2026-11-21 13:00"));
        // Received Saturday 15:00 + 3 h: 1 h Saturday, Sunday closed, 2 h Monday.
        assert_eq!(s.add_minutes(at("2026-11-21 15:00"), 180), at("2026-11-23 11:00"));
        // No time added moves nothing, even at closing time (a pause of 0 business minutes).
        assert_eq!(s.add_minutes(at("2026-11-21 16:00"), 0), at("2026-11-21 16:00"));
        assert_eq!(s.add_days(at("2026-11-23 10:00"), 1), at("2026-11-24 10:00"));
        assert_eq!(
            s.add_days(at("2026-11-20 17:00"), 1),
            at("2026-11-21 16:00"),
            "cut to Saturday's close"
        );
        // A holiday on Tuesday is skipped.
        s.holidays.insert(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(s.add_days(at("2026-11-23 10:00"), 1), at("2026-11-25 10:00"));
        assert_eq!(s.add_minutes(at("2026-11-23 17:00"), 120), at("2026-11-25 10:00"));
        assert_eq!(s.minutes_between(at("2026-11-23 17:00"), at("2026-11-25 10:00")), 120);
        assert_eq!(
            s.minutes_between(at("2026-11-20 17:00"), at("2026-11-23 10:00")),
            60 + 360 + 60
        );
    }

    #[test]
    fn schedules_are_validated() {
        let mut s = Schedule::default();
        assert!(s.validate().is_ok());
        s.week[0] = Some(DayHours {
            open: "18:00".into(),
            close: "09:00".into(),
        });
        assert_eq!(s.validate(), Err("invalid_hours"));
        s.week = Default::default();
        assert_eq!(s.validate(), Err("no_open_day"));
    }
}
