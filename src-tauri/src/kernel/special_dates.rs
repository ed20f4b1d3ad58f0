//! Special dates (birthdays, anniversaries, often by the Chinese lunar calendar): the type,
//! its validation and the gregorian day it falls on in a given year.

use chinese_lunisolar_calendar::LunisolarDate;
use chrono::{Datelike, NaiveDate};

use serde::{Deserialize, Serialize};

crate::str_enum!(
    Calendar { Gregorian = "gregorian", Lunar = "lunar" }
);
crate::str_enum!(
    DateKind { Birthday = "birthday", Anniversary = "anniversary" }
);

/// A birthday or anniversary: gregorian or Chinese lunar (month, day, leap month), year optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDate {
    pub calendar: Calendar,
    #[serde(default)]
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    #[serde(default)]
    pub leap_month: bool,
}

/// Years a special date may carry.
pub const MIN_YEAR: i32 = 1901;
pub const MAX_YEAR: i32 = 2100;

/// Check that a special date can exist. Returns the error code for the field.
pub fn validate(d: &SpecialDate) -> Result<(), &'static str> {
    if let Some(y) = d.year {
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err("invalid_year");
        }
    }
    match d.calendar {
        Calendar::Gregorian => {
            if d.leap_month {
                return Err("invalid_date");
            }
            if !(1..=12).contains(&d.month) {
                return Err("invalid_month");
            }
            // Without a year, 2月29日 is a real birthday; with one, the year must have it.
            let year = d.year.unwrap_or(2000);
            NaiveDate::from_ymd_opt(year, d.month, d.day)
                .map(|_| ())
                .ok_or("invalid_date")
        }
        Calendar::Lunar => {
            if !(1..=12).contains(&d.month) {
                return Err("invalid_lunar_month");
            }
            if !(1..=30).contains(&d.day) {
                return Err("invalid_date");
            }
            match d.year {
                None => Ok(()),
                Some(y) => {
                    if d.leap_month && leap_month_of(y) != Some(d.month) {
                        return Err("invalid_leap_month");
                    }
                    lunar_to_gregorian(y, d.month, d.leap_month, d.day)
                        .map(|_| ())
                        .ok_or("invalid_date")
                }
            }
        }
    }
}

/// The leap month of a lunar year, if it has one.
pub fn leap_month_of(lunar_year: i32) -> Option<u32> {
    let year = u16::try_from(lunar_year).ok()?;
    (1..=12u8)
        .find(|m| LunisolarDate::from_ymd(year, *m, true, 1).is_ok())
        .map(u32::from)
}

/// The gregorian day of a lunar date, if that date exists.
pub fn lunar_to_gregorian(lunar_year: i32, month: u32, leap: bool, day: u32) -> Option<NaiveDate> {
    let year = u16::try_from(lunar_year).ok()?;
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    LunisolarDate::from_ymd(year, month, leap, day)
        .ok()
        .map(|d| d.to_naive_date())
}

/// The day this date is kept in the lunar year `lunar_year`: a leap-month date falls
/// back to the regular month when that year has no such leap month, and day 30
/// falls back to day 29 in a short month.
fn lunar_occurrence(lunar_year: i32, d: &SpecialDate) -> Option<NaiveDate> {
    let leap = d.leap_month && leap_month_of(lunar_year) == Some(d.month);
    lunar_to_gregorian(lunar_year, d.month, leap, d.day).or_else(|| {
        if d.day == 30 {
            lunar_to_gregorian(lunar_year, d.month, leap, 29)
        } else {
            None
        }
    })
}

/// The gregorian day on which this date is kept during gregorian year `year`.
/// 2月29日 is kept on 2月28日 in common years. A lunar date is looked up in the
/// lunar year that puts it inside `year` (a late 腊月 date can belong to the
/// previous lunar year).
pub fn occurrence_in(d: &SpecialDate, year: i32) -> Option<NaiveDate> {
    match d.calendar {
        Calendar::Gregorian => NaiveDate::from_ymd_opt(year, d.month, d.day).or_else(|| {
            if d.month == 2 && d.day == 29 {
                NaiveDate::from_ymd_opt(year, 2, 28)
            } else {
                None
            }
        }),
        Calendar::Lunar => [year, year - 1]
            .iter()
            .filter_map(|ly| lunar_occurrence(*ly, d))
            .find(|g| g.year() == year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greg(month: u32, day: u32, year: Option<i32>) -> SpecialDate {
        SpecialDate {
            calendar: Calendar::Gregorian,
            year,
            month,
            day,
            leap_month: false,
        }
    }
    fn lunar(month: u32, day: u32, leap: bool, year: Option<i32>) -> SpecialDate {
        SpecialDate {
            calendar: Calendar::Lunar,
            year,
            month,
            day,
            leap_month: leap,
        }
    }
    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn impossible_dates_are_refused() {
        let cases = [
            (greg(2, 30, None), Err("invalid_date")),
            (greg(2, 29, None), Ok(())),
            (greg(2, 29, Some(2023)), Err("invalid_date")),
            (greg(2, 29, Some(2024)), Ok(())),
            (greg(4, 31, None), Err("invalid_date")),
            (greg(13, 1, None), Err("invalid_month")),
            (greg(0, 1, None), Err("invalid_month")),
            (greg(5, 0, None), Err("invalid_date")),
            (greg(5, 5, Some(1800)), Err("invalid_year")),
            (lunar(13, 1, false, None), Err("invalid_lunar_month")),
            (lunar(0, 1, false, None), Err("invalid_lunar_month")),
            (lunar(8, 31, false, None), Err("invalid_date")),
            (lunar(8, 15, false, None), Ok(())),
            (lunar(2, 1, true, Some(2023)), Ok(())),
            (lunar(3, 1, true, Some(2023)), Err("invalid_leap_month")),
        ];
        for (d, want) in cases {
            assert_eq!(validate(&d), want, "{d:?}");
        }
    }

    #[test]
    fn mid_autumn_2026_is_25_september() {
        assert_eq!(occurrence_in(&lunar(8, 15, false, None), 2026), Some(ymd(2026, 9, 25)));
        assert_eq!(lunar_to_gregorian(2026, 8, false, 15), Some(ymd(2026, 9, 25)));
    }

    #[test]
    fn leap_months() {
        assert_eq!(leap_month_of(2023), Some(2));
        assert_eq!(leap_month_of(2025), Some(6));
        assert_eq!(leap_month_of(2024), None);
        // 闰二月初一 2023 is 22 March; in 2024 (no leap month) it is kept on 二月初一.
        let d = lunar(2, 1, true, Some(2023));
        assert_eq!(occurrence_in(&d, 2023), Some(ymd(2023, 3, 22)));
        assert_eq!(occurrence_in(&d, 2024), Some(ymd(2024, 3, 10)));
    }

    #[test]
    fn late_lunar_dates_belong_to_the_previous_lunar_year() {
        // 腊月二十 falls in January or February of the next gregorian year.
        let d = lunar(12, 20, false, None);
        let g = occurrence_in(&d, 2027).unwrap();
        assert_eq!(g.year(), 2027);
        assert!(g.month() <= 2, "{g}");
    }

    #[test]
    fn feb_29_is_kept_on_feb_28_in_common_years() {
        assert_eq!(occurrence_in(&greg(2, 29, None), 2026), Some(ymd(2026, 2, 28)));
        assert_eq!(occurrence_in(&greg(2, 29, None), 2028), Some(ymd(2028, 2, 29)));
    }

    #[test]
    fn lunar_day_30_in_a_short_month_is_kept_on_29() {
        // Find a short month in 2026 and check the fallback.
        let short = (1..=12)
            .find(|m| lunar_to_gregorian(2026, *m, false, 30).is_none())
            .unwrap();
        let want = lunar_to_gregorian(2026, short, false, 29);
        assert!(want.is_some());
        let got = occurrence_in(&lunar(short, 30, false, None), want.unwrap().year());
        assert_eq!(got, want);
    }
}
