//! Recurrence: "every N days/weeks/months/years", counted from an anchor.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

crate::str_enum!(
    RepeatUnit { Day = "day", Week = "week", Month = "month", Year = "year" }
);

/// "Every N units", for recurring visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeat {
    pub unit: RepeatUnit,
    pub every: u32,
}

/// The `index`-th occurrence of a recurring visit (0 is the anchor). Counting from the
/// anchor, not from the previous occurrence, keeps the 31st on the 31st wherever a month
/// has one (Jan 31 → Feb 28 → Mar 31) and Feb 29 yearly on Feb 28 in common years.
pub fn occurrence(anchor: NaiveDate, repeat: Repeat, index: u32) -> Option<NaiveDate> {
    let n = repeat.every.checked_mul(index)?;
    match repeat.unit {
        RepeatUnit::Day => anchor.checked_add_days(Days::new(u64::from(n))),
        RepeatUnit::Week => anchor.checked_add_days(Days::new(u64::from(n) * 7)),
        RepeatUnit::Month => anchor.checked_add_months(Months::new(n)),
        RepeatUnit::Year => anchor.checked_add_months(Months::new(n.checked_mul(12)?)),
    }
}

/// The next occurrence after `index` that falls after `after` (a late completion skips
/// occurrences already past), with its index.
pub fn next_occurrence(anchor: NaiveDate, repeat: Repeat, index: u32, after: NaiveDate) -> Option<(NaiveDate, u32)> {
    let mut i = index.checked_add(1)?;
    loop {
        let d = occurrence(anchor, repeat, i)?;
        if d > after {
            return Some((d, i));
        }
        i = i.checked_add(1)?;
    }
}
