//! Arrival rules as plain functions: validation of a booking, the past, overlaps, the
//! preparation text.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};

use crate::error::{check_len, Error, FieldError};
use crate::kernel::schedule::Schedule;

use super::model::{ArrivalSettings, BookingInput, Repeat, WalkInInput};

pub const MAX_PARTY: u32 = 999;
pub const MAX_SHORT: usize = 100;
pub const MAX_NOTES: usize = 2000;
pub const MAX_REPEAT: u32 = 365;
pub const MAX_REMIND_MINUTES: u32 = 1440;
pub const MAX_SLOT_MINUTES: u32 = 1440;
pub const MAX_LIST: usize = 200;

pub use crate::kernel::time::{parse_date, parse_time};

/// A booking that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBooking {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub end_date: Option<NaiveDate>,
    pub party: u32,
    pub what: String,
    pub resource: String,
    pub staff: String,
    pub notes: String,
    pub repeat: Option<Repeat>,
}

fn check_party(errors: &mut Vec<FieldError>, party: Option<u32>) -> u32 {
    let p = party.unwrap_or(1);
    if p == 0 || p > MAX_PARTY {
        errors.push(FieldError::with_max("party", "out_of_range", MAX_PARTY as usize));
    }
    p
}

fn check_texts(errors: &mut Vec<FieldError>, what: &str, resource: &str, staff: &str, notes: &str) {
    check_len(errors, "what", what, MAX_SHORT);
    check_len(errors, "resource", resource, MAX_SHORT);
    check_len(errors, "staff", staff, MAX_SHORT);
    check_len(errors, "notes", notes, MAX_NOTES);
}

/// Check a booking form: dates and time, a stay that ends after it starts, a party of
/// 1–999, lengths, and nothing in the past (`now`, local): a guest who is here already is a
/// walk-in.
pub fn validate_booking(b: &BookingInput, now: NaiveDateTime) -> Result<ValidBooking, Error> {
    let mut errors = Vec::new();
    let date = parse_date(&b.date)
        .map_err(|c| errors.push(FieldError::new("date", c)))
        .ok();
    let time = parse_time(&b.time)
        .map_err(|c| errors.push(FieldError::new("time", c)))
        .ok()
        .flatten();
    let end_date = if b.end_date.trim().is_empty() {
        None
    } else {
        parse_date(&b.end_date)
            .map_err(|c| errors.push(FieldError::new("end_date", c)))
            .ok()
    };
    if let (Some(d), Some(e)) = (date, end_date) {
        if e <= d {
            errors.push(FieldError::new("end_date", "end_before_start"));
        }
    }
    let party = check_party(&mut errors, b.party);
    let (what, resource, staff, notes) = (b.what.trim(), b.resource.trim(), b.staff.trim(), b.notes.trim());
    check_texts(&mut errors, what, resource, staff, notes);
    if let Some(r) = b.repeat {
        if r.every == 0 || r.every > MAX_REPEAT {
            errors.push(FieldError::with_max("repeat", "out_of_range", MAX_REPEAT as usize));
        }
        if end_date.is_some() {
            errors.push(FieldError::new("repeat", "not_for_stays"));
        }
    }
    if let Some(d) = date {
        if d < now.date() {
            errors.push(FieldError::new("date", "in_past"));
        } else if let Some(t) = time {
            if d == now.date() && Some(t) < now.time().with_second(0) {
                errors.push(FieldError::new("time", "in_past"));
            }
        }
    }
    match date {
        Some(date) if errors.is_empty() => Ok(ValidBooking {
            date,
            time,
            end_date,
            party,
            what: what.to_string(),
            resource: resource.to_string(),
            staff: staff.to_string(),
            notes: notes.to_string(),
            repeat: b.repeat,
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// Check a walk-in: the same limits as a booking, no date (it is now).
pub fn validate_walk_in(w: &WalkInInput) -> Result<u32, Error> {
    let mut errors = Vec::new();
    let party = check_party(&mut errors, w.party);
    check_texts(
        &mut errors,
        w.what.trim(),
        w.resource.trim(),
        w.staff.trim(),
        w.notes.trim(),
    );
    if errors.is_empty() {
        Ok(party)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Check a cancellation's reason: required, at most 200 characters.
pub fn validate_reason(reason: &str) -> Result<(), Error> {
    let mut errors = Vec::new();
    if reason.trim().is_empty() {
        errors.push(FieldError::new("reason", "required"));
    }
    check_len(&mut errors, "reason", reason.trim(), 200);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Check the arrival settings.
pub fn validate_settings(s: &ArrivalSettings) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if s.remind_minutes > MAX_REMIND_MINUTES {
        errors.push(FieldError::with_max(
            "remind_minutes",
            "out_of_range",
            MAX_REMIND_MINUTES as usize,
        ));
    }
    if s.slot_minutes == 0 || s.slot_minutes > MAX_SLOT_MINUTES {
        errors.push(FieldError::with_max(
            "slot_minutes",
            "out_of_range",
            MAX_SLOT_MINUTES as usize,
        ));
    }
    for (field, list) in [("resources", &s.resources), ("cancel_reasons", &s.cancel_reasons)] {
        if list.len() > MAX_LIST {
            errors.push(FieldError::with_max(field, "too_many", MAX_LIST));
        }
        for item in list {
            check_len(&mut errors, field, item, MAX_SHORT);
            if item.trim().is_empty() {
                errors.push(FieldError::new(field, "required"));
            }
        }
    }
    errors.dedup();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A list as saved: trimmed, blanks and repeats dropped, order kept.
pub fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

/// The time span a booking holds its resource: a stay its nights (start of the first day
/// to the start of check-out day), a timed booking `slot` minutes, an all-day booking its
/// day.
pub fn span(
    date: NaiveDate,
    time: Option<NaiveTime>,
    end: Option<NaiveDate>,
    slot: u32,
) -> (NaiveDateTime, NaiveDateTime) {
    match (end, time) {
        (Some(e), _) => (date.and_time(NaiveTime::MIN), e.and_time(NaiveTime::MIN)),
        (None, Some(t)) => {
            let s = date.and_time(t);
            (s, s + TimeDelta::minutes(i64::from(slot.max(1))))
        }
        (None, None) => (
            date.and_time(NaiveTime::MIN),
            date.and_time(NaiveTime::MIN) + TimeDelta::days(1),
        ),
    }
}

/// Whether two spans overlap (touching ends do not).
pub fn overlaps(a: (NaiveDateTime, NaiveDateTime), b: (NaiveDateTime, NaiveDateTime)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether the shop is closed on `date` (a weekday off or a holiday): a warning, not an
/// error.
pub fn closed_on(schedule: &Schedule, date: NaiveDate) -> bool {
    schedule.hours_on(date).is_none()
}

/// When the preparation reminder pops: `minutes` before a timed booking, or at the day's
/// opening (or 09:00 on a closed day) for one without a time.
pub fn reminder_due(schedule: &Schedule, date: NaiveDate, time: Option<NaiveTime>, minutes: u32) -> NaiveDateTime {
    match time {
        Some(t) => date.and_time(t) - TimeDelta::minutes(i64::from(minutes)),
        None => {
            let open = schedule
                .hours_on(date)
                .map(|(o, _)| o)
                .or_else(|| NaiveTime::from_hms_opt(9, 0, 0))
                .unwrap_or(NaiveTime::MIN);
            date.and_time(open)
        }
    }
}

/// What to prepare, in one line: "19:00 王建国 ×4, Table 5 — window seat, no garlic". The
/// preferences are the card's entries, allergies first.
pub struct Prep<'a> {
    pub time: Option<&'a str>,
    pub name: &'a str,
    pub party: u32,
    pub what: &'a str,
    pub resource: &'a str,
    /// (is an allergy, text)
    pub preferences: &'a [(bool, String)],
}

pub fn prep_line(p: &Prep<'_>) -> String {
    let mut head = String::new();
    if let Some(t) = p.time {
        head.push_str(t);
        head.push(' ');
    }
    head.push_str(p.name);
    if p.party > 1 {
        head.push_str(&format!(" ×{}", p.party));
    }
    let place: Vec<&str> = [p.resource, p.what].into_iter().filter(|s| !s.is_empty()).collect();
    if !place.is_empty() {
        head.push_str(", ");
        head.push_str(&place.join(" · "));
    }
    let mut prefs: Vec<&(bool, String)> = p.preferences.iter().filter(|(_, t)| !t.trim().is_empty()).collect();
    prefs.sort_by_key(|(allergy, _)| !allergy);
    if !prefs.is_empty() {
        head.push_str(" — ");
        let texts: Vec<String> = prefs
            .iter()
            .map(|(allergy, t)| {
                if *allergy {
                    format!("⚠ {}", t.trim())
                } else {
                    t.trim().to_string()
                }
            })
            .collect();
        head.push_str(&texts.join(", "));
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        crate::kernel::time::parse_local(s).unwrap()
    }

    fn input(date: &str, time: &str) -> BookingInput {
        BookingInput {
            customer_id: 1,
            date: date.into(),
            time: time.into(),
            ..Default::default()
        }
    }

    fn codes(e: Error) -> Vec<(String, &'static str)> {
        e.fields().iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    #[test]
    fn a_booking_tonight_is_valid_and_one_in_the_past_is_not() {
        let now = at("2026-12-03 14:20");
        let b = validate_booking(&input("2026-12-03", "19:00"), now).unwrap();
        assert_eq!(b.party, 1);
        assert_eq!(b.time, NaiveTime::from_hms_opt(19, 0, 0));
        assert_eq!(
            codes(validate_booking(&input("2026-12-03", "14:19"), now).unwrap_err()),
            vec![("time".into(), "in_past")]
        );
        // The current minute is not the past.
        validate_booking(&input("2026-12-03", "14:20"), now).unwrap();
        assert_eq!(
            codes(validate_booking(&input("2026-12-02", ""), now).unwrap_err()),
            vec![("date".into(), "in_past")]
        );
        // All day today is fine at any hour.
        validate_booking(&input("2026-12-03", ""), at("2026-12-03 23:59")).unwrap();
    }

    #[test]
    fn stays_parties_and_texts_are_checked() {
        let now = at("2026-12-03 09:00");
        let stay = BookingInput {
            end_date: "2026-12-04".into(),
            ..input("2026-12-05", "")
        };
        assert_eq!(
            codes(validate_booking(&stay, now).unwrap_err()),
            vec![("end_date".into(), "end_before_start")]
        );
        let same_day = BookingInput {
            end_date: "2026-12-05".into(),
            ..input("2026-12-05", "")
        };
        assert!(validate_booking(&same_day, now).is_err());
        for p in [0, 10_000] {
            let b = BookingInput {
                party: Some(p),
                ..input("2026-12-05", "")
            };
            assert_eq!(
                codes(validate_booking(&b, now).unwrap_err()),
                vec![("party".into(), "out_of_range")]
            );
        }
        let long = BookingInput {
            what: "x".repeat(101),
            notes: "y".repeat(2001),
            ..input("2026-12-05", "")
        };
        assert_eq!(
            codes(validate_booking(&long, now).unwrap_err()),
            vec![("what".into(), "too_long"), ("notes".into(), "too_long")]
        );
        let bad = input("2026-02-30", "25:00");
        assert_eq!(codes(validate_booking(&bad, now).unwrap_err()).len(), 2);
    }

    #[test]
    fn spans_overlap_as_a_desk_expects() {
        let d = |s: &str| parse_date(s).unwrap();
        let t = |h: u32| NaiveTime::from_hms_opt(h, 0, 0);
        let a = span(d("2026-12-05"), t(19), None, 120);
        assert!(overlaps(a, span(d("2026-12-05"), t(20), None, 120)));
        assert!(!overlaps(a, span(d("2026-12-05"), t(21), None, 120)));
        // Friday to Sunday and Sunday to Monday share no night.
        let fri = span(d("2026-12-04"), None, Some(d("2026-12-06")), 120);
        assert!(!overlaps(fri, span(d("2026-12-06"), None, Some(d("2026-12-07")), 120)));
        assert!(overlaps(fri, span(d("2026-12-05"), None, Some(d("2026-12-07")), 120)));
        // An all-day booking holds the whole day.
        assert!(overlaps(span(d("2026-12-05"), None, None, 120), a));
    }

    #[test]
    fn the_preparation_line_puts_allergies_first() {
        let prefs = vec![
            (false, "靠窗座位".to_string()),
            (true, "不吃蒜".to_string()),
            (false, "大杯冰酸梅汤".to_string()),
        ];
        let line = prep_line(&Prep {
            time: Some("19:00"),
            name: "王建国",
            party: 4,
            what: "",
            resource: "Table 5",
            preferences: &prefs,
        });
        assert_eq!(line, "19:00 王建国 ×4, Table 5 — ⚠ 不吃蒜, 靠窗座位, 大杯冰酸梅汤");
        let bare = prep_line(&Prep {
            time: None,
            name: "李",
            party: 1,
            what: "",
            resource: "",
            preferences: &[],
        });
        assert_eq!(bare, "李");
    }

    #[test]
    fn the_reminder_comes_before_the_time_or_at_opening() {
        let s = Schedule::default();
        let d = parse_date("2026-12-03").unwrap(); // a Thursday
        assert_eq!(
            reminder_due(&s, d, NaiveTime::from_hms_opt(19, 0, 0), 30),
            at("2026-12-03 18:30")
        );
        assert_eq!(reminder_due(&s, d, None, 30), at("2026-12-03 09:00"));
        assert!(closed_on(&s, parse_date("2026-12-06").unwrap()));
    }
}
