//! What is due when, for every source, as plain functions of the local time.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde_json::json;

use crate::kernel::schedule::Schedule;
use crate::kernel::special_dates::{self as dates, DateKind, SpecialDate};

use super::model::{ReminderKind, Snooze};

/// A reminder occurrence worked out by a rule, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub kind: ReminderKind,
    /// Unique per occurrence: planning the same thing twice stores it once.
    pub key: String,
    pub customer_id: Option<i64>,
    pub source_id: Option<i64>,
    /// Local time it is due.
    pub due: NaiveDateTime,
    pub args: serde_json::Value,
    pub staff: String,
}

/// A fired reminder is late when it pops more than this after it was due.
pub const LATE_AFTER_MINUTES: i64 = 2;

/// The start of the business day `day` (an all-day item is due then); on a closed day,
/// the next opening.
pub fn business_start(schedule: &Schedule, day: NaiveDate) -> NaiveDateTime {
    match schedule.hours_on(day) {
        Some((open, _)) => day.and_time(open),
        None => schedule.next_open(day.and_time(NaiveTime::MIN)),
    }
}

/// A planned visit: at its time, or at the start of the business day when all-day.
#[allow(clippy::too_many_arguments)]
pub fn visit(
    schedule: &Schedule,
    id: i64,
    customer_id: i64,
    name: &str,
    purpose: &str,
    due_date: NaiveDate,
    due_time: Option<NaiveTime>,
    staff: &str,
) -> Planned {
    let due = match due_time {
        Some(t) => due_date.and_time(t),
        None => business_start(schedule, due_date),
    };
    let time = due_time.map(crate::kernel::time::format_time).unwrap_or_default();
    Planned {
        kind: ReminderKind::Visit,
        key: format!("visit:{id}:{due_date}:{time}"),
        customer_id: Some(customer_id),
        source_id: Some(id),
        due,
        args: json!({ "name": name, "purpose": purpose, "time": time, "date": due_date.to_string() }),
        staff: staff.to_string(),
    }
}

/// A complaint's running deadline: a warning `warn_minutes` before it, and each escalation
/// step `hours[i]` after it passes.
#[allow(clippy::too_many_arguments)]
pub fn complaint(
    id: i64,
    customer_id: i64,
    name: &str,
    serial: &str,
    deadline: NaiveDateTime,
    warn_minutes: u32,
    hours: [u32; 3],
    handler: &str,
) -> Vec<Planned> {
    let mut out = vec![Planned {
        kind: ReminderKind::ComplaintWarning,
        key: format!("complaint-warn:{id}:{deadline}"),
        customer_id: Some(customer_id),
        source_id: Some(id),
        due: deadline - TimeDelta::minutes(i64::from(warn_minutes)),
        args: json!({ "name": name, "serial": serial, "deadline": deadline.format("%Y-%m-%d %H:%M").to_string(), "minutes": warn_minutes }),
        staff: handler.to_string(),
    }];
    for (i, h) in hours.iter().enumerate() {
        let level = i + 1;
        out.push(Planned {
            kind: ReminderKind::ComplaintEscalation,
            key: format!("complaint-esc:{id}:{deadline}:{level}"),
            customer_id: Some(customer_id),
            source_id: Some(id),
            due: deadline + TimeDelta::hours(i64::from(*h)),
            args: json!({ "name": name, "serial": serial, "level": level }),
            staff: handler.to_string(),
        });
    }
    out
}

/// A birthday or anniversary: `days_before` days ahead and on the day, at the start of
/// the business day, for occurrences whose reminder day falls in `[from, to]`.
#[allow(clippy::too_many_arguments)]
pub fn special_date(
    schedule: &Schedule,
    customer_id: i64,
    name: &str,
    kind: DateKind,
    date: &SpecialDate,
    days_before: u32,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Planned> {
    let rkind = match kind {
        DateKind::Birthday => ReminderKind::Birthday,
        DateKind::Anniversary => ReminderKind::Anniversary,
    };
    let mut out = Vec::new();
    for year in from.year()..=to.year() + 1 {
        let Some(occ) = dates::occurrence_in(date, year) else {
            continue;
        };
        for (before, tag) in [(days_before, "before"), (0, "day")] {
            let Some(day) = occ.checked_sub_days(Days::new(u64::from(before))) else {
                continue;
            };
            if day < from || day > to || (before == 0 && tag == "before") {
                continue;
            }
            out.push(Planned {
                kind: rkind,
                key: format!("{}:{customer_id}:{occ}:{tag}", rkind.as_str()),
                customer_id: Some(customer_id),
                source_id: None,
                due: business_start(schedule, day),
                args: json!({ "name": name, "date": occ.to_string(), "days": before, "lunar": date.calendar == crate::kernel::special_dates::Calendar::Lunar }),
                staff: String::new(),
            });
        }
    }
    out
}

/// Keep-in-touch: the day a customer passes the maximum interval, if it falls in `[from, to]`.
pub fn keep_in_touch(
    schedule: &Schedule,
    customer_id: i64,
    name: &str,
    base: NaiveDate,
    max_days: u32,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Planned> {
    let day = base.checked_add_days(Days::new(u64::from(max_days) + 1))?;
    (from <= day && day <= to).then(|| Planned {
        kind: ReminderKind::KeepInTouch,
        key: format!("keep_in_touch:{customer_id}:{base}"),
        customer_id: Some(customer_id),
        source_id: None,
        due: business_start(schedule, day),
        args: json!({ "name": name, "days": max_days + 1, "last": base.to_string() }),
        staff: String::new(),
    })
}

/// Whether reminders are held back now (quiet outside business hours).
pub fn is_quiet(schedule: &Schedule, quiet_outside_hours: bool, now: NaiveDateTime) -> bool {
    quiet_outside_hours && schedule.next_open(now) != now
}

pub fn is_late(now: NaiveDateTime, wake: NaiveDateTime) -> bool {
    now - wake > TimeDelta::minutes(LATE_AFTER_MINUTES)
}

/// When a snoozed reminder pops again.
pub fn snooze_until(s: &Snooze, now: NaiveDateTime, schedule: &Schedule) -> Result<NaiveDateTime, &'static str> {
    match s {
        Snooze::Minutes15 => Ok(now + TimeDelta::minutes(15)),
        Snooze::Hour1 => Ok(now + TimeDelta::hours(1)),
        Snooze::TomorrowMorning => {
            let tomorrow = now.date().succ_opt().ok_or("invalid_date")?;
            Ok(business_start(schedule, tomorrow))
        }
        Snooze::Until { at } => {
            let t = crate::kernel::time::parse_local(at)?;
            if t <= now {
                return Err("date_in_past");
            }
            Ok(t)
        }
    }
}

impl crate::kernel::settings::Setting for super::model::ReminderSettings {
    const KEY: &'static str = "reminders";

    fn validate(&self) -> Result<(), Vec<crate::error::FieldError>> {
        use crate::error::FieldError;
        let mut errors = Vec::new();
        if self.complaint_warning_minutes > 24 * 60 {
            errors.push(FieldError::with_max(
                "complaint_warning_minutes",
                "out_of_range",
                24 * 60,
            ));
        }
        if self.days_before_dates > 60 {
            errors.push(FieldError::with_max("days_before_dates", "out_of_range", 60));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::special_dates::Calendar;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Mon–Fri 09–18, Sat 10–16, Sun closed; 2026-11-22 is a Sunday.
    fn schedule() -> Schedule {
        Schedule::default()
    }

    #[test]
    fn visits_are_due_at_their_time_or_the_start_of_the_business_day() {
        let s = schedule();
        let timed = visit(
            &s,
            1,
            7,
            "张伟",
            "satisfaction",
            d("2026-11-23"),
            NaiveTime::from_hms_opt(14, 30, 0),
            "小王",
        );
        assert_eq!(timed.due, at("2026-11-23 14:30"));
        let all_day = visit(&s, 2, 7, "张伟", "satisfaction", d("2026-11-23"), None, "");
        assert_eq!(all_day.due, at("2026-11-23 09:00"));
        let saturday = visit(&s, 3, 7, "张伟", "birthday", d("2026-11-21"), None, "");
        assert_eq!(saturday.due, at("2026-11-21 10:00"));
        let sunday = visit(&s, 4, 7, "张伟", "birthday", d("2026-11-22"), None, "");
        assert_eq!(sunday.due, at("2026-11-23 09:00"), "closed on Sunday: the next opening");
        assert_ne!(timed.key, all_day.key);
    }

    #[test]
    fn complaint_warning_and_escalation_steps() {
        let r = complaint(
            5,
            7,
            "李娜",
            "TS-2026-000005",
            at("2026-11-23 11:00"),
            60,
            [0, 4, 24],
            "陈经理",
        );
        let due: Vec<_> = r.iter().map(|p| (p.kind, p.due)).collect();
        assert_eq!(
            due,
            vec![
                (ReminderKind::ComplaintWarning, at("2026-11-23 10:00")),
                (ReminderKind::ComplaintEscalation, at("2026-11-23 11:00")),
                (ReminderKind::ComplaintEscalation, at("2026-11-23 15:00")),
                (ReminderKind::ComplaintEscalation, at("2026-11-24 11:00")),
            ]
        );
        assert!(r.iter().all(|p| p.staff == "陈经理"));
    }

    #[test]
    fn lunar_birthdays_in_2026() {
        let s = schedule();
        // 农历八月十五 in 2026 is Friday 25 September.
        let mid_autumn = SpecialDate {
            calendar: Calendar::Lunar,
            year: Some(1980),
            month: 8,
            day: 15,
            leap_month: false,
        };
        let r = special_date(
            &s,
            7,
            "王芳",
            DateKind::Birthday,
            &mid_autumn,
            3,
            d("2026-09-01"),
            d("2026-09-30"),
        );
        let due: Vec<_> = r.iter().map(|p| p.due).collect();
        assert_eq!(due, vec![at("2026-09-22 09:00"), at("2026-09-25 09:00")]);
        assert_eq!(r[1].args["date"], "2026-09-25");
        // Only what falls in the window is planned.
        let r = special_date(
            &s,
            7,
            "王芳",
            DateKind::Birthday,
            &mid_autumn,
            3,
            d("2026-09-24"),
            d("2026-09-26"),
        );
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn leap_month_birthdays() {
        let s = schedule();
        // Born in 闰六月 (2025 has one): kept in 闰六月 in 2025, in 六月 in 2026.
        let leap = SpecialDate {
            calendar: Calendar::Lunar,
            year: None,
            month: 6,
            day: 1,
            leap_month: true,
        };
        let r2025 = special_date(
            &s,
            1,
            "赵敏",
            DateKind::Birthday,
            &leap,
            0,
            d("2025-01-01"),
            d("2025-12-31"),
        );
        assert_eq!(
            r2025.iter().map(|p| p.args["date"].clone()).collect::<Vec<_>>(),
            vec!["2025-07-25"]
        );
        let r2026 = special_date(
            &s,
            1,
            "赵敏",
            DateKind::Birthday,
            &leap,
            0,
            d("2026-01-01"),
            d("2026-12-31"),
        );
        let want = dates::lunar_to_gregorian(2026, 6, false, 1).unwrap().to_string();
        assert_eq!(r2026[0].args["date"], want.as_str());
    }

    #[test]
    fn gregorian_anniversary_and_keep_in_touch() {
        let s = schedule();
        let wedding = SpecialDate {
            calendar: Calendar::Gregorian,
            year: Some(2015),
            month: 11,
            day: 28,
            leap_month: false,
        };
        let r = special_date(
            &s,
            3,
            "Emma",
            DateKind::Anniversary,
            &wedding,
            3,
            d("2026-11-22"),
            d("2026-11-30"),
        );
        // The 25th (Wednesday) three days ahead, and the 28th (Saturday) itself.
        assert_eq!(
            r.iter().map(|p| p.due).collect::<Vec<_>>(),
            vec![at("2026-11-25 09:00"), at("2026-11-28 10:00")]
        );
        // A VIP last reached on 7 October passes 45 days on 22 November (a Sunday).
        let k = keep_in_touch(&s, 3, "钱多多", d("2026-10-07"), 45, d("2026-11-20"), d("2026-11-23")).unwrap();
        assert_eq!(k.due, at("2026-11-23 09:00"));
        assert!(keep_in_touch(&s, 3, "钱多多", d("2026-10-07"), 45, d("2026-11-23"), d("2026-11-30")).is_none());
    }

    #[test]
    fn quiet_hours_and_snooze() {
        let s = schedule();
        assert!(is_quiet(&s, true, at("2026-11-22 11:00")), "Sunday");
        assert!(is_quiet(&s, true, at("2026-11-23 08:59")));
        assert!(!is_quiet(&s, true, at("2026-11-23 09:00")));
        assert!(!is_quiet(&s, false, at("2026-11-22 11:00")));
        let now = at("2026-11-23 17:50");
        assert_eq!(snooze_until(&Snooze::Minutes15, now, &s), Ok(at("2026-11-23 18:05")));
        assert_eq!(snooze_until(&Snooze::Hour1, now, &s), Ok(at("2026-11-23 18:50")));
        assert_eq!(
            snooze_until(&Snooze::TomorrowMorning, now, &s),
            Ok(at("2026-11-24 09:00"))
        );
        assert_eq!(
            snooze_until(&Snooze::TomorrowMorning, at("2026-11-21 12:00"), &s),
            Ok(at("2026-11-23 09:00"))
        );
        assert_eq!(
            snooze_until(
                &Snooze::Until {
                    at: "2026-11-23 17:00".into()
                },
                now,
                &s
            ),
            Err("date_in_past")
        );
        assert!(is_late(at("2026-11-23 10:03"), at("2026-11-23 10:00")));
        assert!(!is_late(at("2026-11-23 10:01"), at("2026-11-23 10:00")));
    }
}
