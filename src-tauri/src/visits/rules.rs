//! Return-visit rules as plain functions: validation, recurrence, retries, keep-in-touch cadence.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::error::{check_len, Error, FieldError};

use super::model::{Cadence, Channel, FollowupPlan, OutcomeInput, Purpose, Repeat, Retry, VisitInput};

pub use crate::kernel::cadence::{contact_status, effective_cadence};
pub use crate::kernel::recurrence::{next_occurrence, occurrence};

pub const MAX_OUTLINE: usize = 5000;
pub const MAX_NOTES: usize = 5000;
pub const MAX_SHORT: usize = 100;
pub const MAX_NEXT_STEP: usize = 500;
pub const MAX_REPEAT: u32 = 365;
pub const MAX_DAYS: u32 = 3650;
pub const MAX_PLAN_STEPS: usize = 20;

pub use crate::kernel::time::{parse_date, parse_time};

/// A visit that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVisit {
    pub customer_id: i64,
    pub channel: Channel,
    pub purpose: Purpose,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub outline: String,
    pub staff: String,
    pub repeat: Option<Repeat>,
}

fn check_repeat(errors: &mut Vec<FieldError>, repeat: &Option<Repeat>) {
    if let Some(r) = repeat {
        if r.every == 0 || r.every > MAX_REPEAT {
            errors.push(FieldError::with_max("repeat", "out_of_range", MAX_REPEAT as usize));
        }
    }
}

pub fn validate_visit(v: &VisitInput) -> Result<ValidVisit, Error> {
    let mut errors = Vec::new();
    let due_date = parse_date(&v.due_date)
        .map_err(|c| errors.push(FieldError::new("due_date", c)))
        .ok();
    let due_time = parse_time(&v.due_time)
        .map_err(|c| errors.push(FieldError::new("due_time", c)))
        .ok()
        .flatten();
    let outline = v.outline.trim().to_string();
    check_len(&mut errors, "outline", &outline, MAX_OUTLINE);
    let staff = v.staff.trim().to_string();
    check_len(&mut errors, "staff", &staff, MAX_SHORT);
    check_repeat(&mut errors, &v.repeat);
    match due_date {
        Some(due_date) if errors.is_empty() => Ok(ValidVisit {
            customer_id: v.customer_id,
            channel: v.channel.unwrap_or(Channel::Phone),
            purpose: v.purpose.unwrap_or(Purpose::KeepInTouch),
            due_date,
            due_time,
            outline,
            staff,
            repeat: v.repeat,
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// Check an outcome form: satisfaction 1–5, lengths, and the dates of a retry or next visit.
pub fn validate_outcome(o: &OutcomeInput, today: NaiveDate) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let Some(s) = o.satisfaction {
        if !(1..=5).contains(&s) {
            errors.push(FieldError::with_max("satisfaction", "out_of_range", 5));
        }
    }
    check_len(&mut errors, "notes", &o.notes, MAX_NOTES);
    check_len(&mut errors, "next_step", &o.next_step, MAX_NEXT_STEP);
    if let Some(Retry::On { date, time }) = &o.retry {
        match parse_date(date) {
            Ok(d) if d < today => errors.push(FieldError::new("retry_date", "date_in_past")),
            Ok(_) => {}
            Err(c) => errors.push(FieldError::new("retry_date", c)),
        }
        if let Err(c) = parse_time(time) {
            errors.push(FieldError::new("retry_time", c));
        }
    }
    if let Some(n) = &o.next_visit {
        if let Err(c) = parse_date(&n.due_date) {
            errors.push(FieldError::new("next_date", c));
        }
        if let Err(c) = parse_time(&n.due_time) {
            errors.push(FieldError::new("next_time", c));
        }
        check_len(&mut errors, "next_outline", &n.outline, MAX_OUTLINE);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// When to try again after not reaching the customer.
pub fn retry_due(retry: &Retry, now: NaiveDateTime) -> Result<(NaiveDate, Option<NaiveTime>), &'static str> {
    match retry {
        Retry::LaterToday => {
            let t = now + TimeDelta::hours(2);
            // Round up to the next quarter hour: 10:07 → 12:15.
            let mins = (t.time().signed_duration_since(NaiveTime::MIN).num_minutes() + 14) / 15 * 15;
            let t = t.date().and_time(NaiveTime::MIN) + TimeDelta::minutes(mins);
            Ok((t.date(), Some(t.time())))
        }
        Retry::Tomorrow => Ok((now.date().succ_opt().ok_or("invalid_date")?, None)),
        Retry::On { date, time } => {
            let d = parse_date(date)?;
            if d < now.date() {
                return Err("date_in_past");
            }
            Ok((d, parse_time(time)?))
        }
    }
}

pub fn validate_cadence(c: &Cadence, field: &str) -> Result<(), FieldError> {
    if c.ideal_days == 0 || c.ideal_days > MAX_DAYS || c.max_days < c.ideal_days || c.max_days > MAX_DAYS {
        return Err(FieldError::with_max(field, "invalid_cadence", MAX_DAYS as usize));
    }
    Ok(())
}

pub fn validate_plan(p: &FollowupPlan) -> Result<(), Error> {
    let mut errors = Vec::new();
    if p.name.trim().is_empty() {
        errors.push(FieldError::new("name", "required"));
    }
    check_len(&mut errors, "name", p.name.trim(), MAX_SHORT);
    if p.steps.is_empty() {
        errors.push(FieldError::new("steps", "required"));
    }
    if p.steps.len() > MAX_PLAN_STEPS {
        errors.push(FieldError::with_max("steps", "too_many", MAX_PLAN_STEPS));
    }
    for (i, s) in p.steps.iter().enumerate() {
        if s.offset_days > MAX_DAYS {
            errors.push(FieldError::with_max(
                format!("steps.{i}"),
                "out_of_range",
                MAX_DAYS as usize,
            ));
        }
        check_len(&mut errors, &format!("steps.{i}"), &s.outline, MAX_OUTLINE);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The day a plan step is due: the plan's start plus its offset, never before today.
pub fn plan_step_due(start: NaiveDate, offset_days: u32, today: NaiveDate) -> NaiveDate {
    start
        .checked_add_days(Days::new(u64::from(offset_days)))
        .unwrap_or(start)
        .max(today)
}

impl crate::kernel::settings::Setting for super::model::TierCadences {
    const KEY: &'static str = "cadences";

    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let errors: Vec<FieldError> = [
            ("vip", self.vip),
            ("major", self.major),
            ("regular", self.regular),
            ("small", self.small),
        ]
        .iter()
        .filter_map(|(f, cad)| validate_cadence(cad, f).err())
        .collect();
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
    use crate::kernel::cadence::ContactStatus;
    use crate::kernel::recurrence::RepeatUnit;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn every(unit: RepeatUnit, every: u32) -> Repeat {
        Repeat { unit, every }
    }

    #[test]
    fn recurrence_table() {
        use RepeatUnit::*;
        let cases = [
            ("2026-01-31", every(Month, 1), 1, "2026-02-28"),
            ("2026-01-31", every(Month, 1), 2, "2026-03-31"),
            ("2026-01-31", every(Month, 1), 3, "2026-04-30"),
            ("2028-01-31", every(Month, 1), 1, "2028-02-29"),
            ("2024-02-29", every(Year, 1), 1, "2025-02-28"),
            ("2024-02-29", every(Year, 1), 4, "2028-02-29"),
            ("2026-11-22", every(Day, 10), 3, "2026-12-22"),
            ("2026-12-28", every(Week, 1), 1, "2027-01-04"),
            ("2026-12-31", every(Month, 2), 1, "2027-02-28"),
            ("2026-05-15", every(Month, 3), 4, "2027-05-15"),
        ];
        for (anchor, r, i, want) in cases {
            assert_eq!(occurrence(d(anchor), r, i), Some(d(want)), "{anchor} {r:?} #{i}");
        }
    }

    #[test]
    fn a_late_completion_skips_past_occurrences() {
        let r = every(RepeatUnit::Week, 1);
        assert_eq!(
            next_occurrence(d("2026-11-02"), r, 0, d("2026-11-20")),
            Some((d("2026-11-23"), 3))
        );
        assert_eq!(
            next_occurrence(d("2026-11-02"), r, 0, d("2026-11-02")),
            Some((d("2026-11-09"), 1))
        );
    }

    #[test]
    fn cadence_table() {
        let vip = Cadence {
            ideal_days: 30,
            max_days: 45,
        };
        let today = d("2026-11-22");
        let created = d("2026-01-01");
        let cases = [
            (Some("2026-10-13"), vip, 40, ContactStatus::Due),
            (Some("2026-10-23"), vip, 30, ContactStatus::Fine),
            (Some("2026-10-22"), vip, 31, ContactStatus::Due),
            (Some("2026-10-08"), vip, 45, ContactStatus::Due),
            (Some("2026-10-07"), vip, 46, ContactStatus::Overdue),
            // Never contacted: the clock runs from the day the record was created.
            (None, vip, 325, ContactStatus::Overdue),
            (Some("2026-11-22"), vip, 0, ContactStatus::Fine),
        ];
        for (last, c, days, status) in cases {
            assert_eq!(
                contact_status(last.map(d), created, c, today),
                (days, status),
                "{last:?}"
            );
        }
        let new_customer = d("2026-11-10");
        assert_eq!(
            contact_status(None, new_customer, vip, today),
            (12, ContactStatus::Fine)
        );
    }

    #[test]
    fn overrides_and_tier_changes() {
        let regular = Cadence {
            ideal_days: 90,
            max_days: 180,
        };
        let vip = Cadence {
            ideal_days: 30,
            max_days: 45,
        };
        assert_eq!(
            effective_cadence(regular, Some(14), None),
            Cadence {
                ideal_days: 14,
                max_days: 180
            }
        );
        assert_eq!(
            effective_cadence(regular, Some(14), Some(21)),
            Cadence {
                ideal_days: 14,
                max_days: 21
            }
        );
        assert_eq!(
            effective_cadence(regular, Some(200), None),
            Cadence {
                ideal_days: 200,
                max_days: 200
            }
        );
        // A tier change takes the new tier's cadence at once: 40 days is fine for a regular
        // customer and due for a VIP.
        let last = Some(d("2026-10-13"));
        let today = d("2026-11-22");
        assert_eq!(
            contact_status(last, today, effective_cadence(regular, None, None), today).1,
            ContactStatus::Fine
        );
        assert_eq!(
            contact_status(last, today, effective_cadence(vip, None, None), today).1,
            ContactStatus::Due
        );
    }

    #[test]
    fn retries() {
        let now = d("2026-11-22").and_hms_opt(10, 7, 0).unwrap();
        assert_eq!(
            retry_due(&Retry::LaterToday, now),
            Ok((d("2026-11-22"), NaiveTime::from_hms_opt(12, 15, 0)))
        );
        assert_eq!(retry_due(&Retry::Tomorrow, now), Ok((d("2026-11-23"), None)));
        let on = Retry::On {
            date: "2026-12-01".into(),
            time: "09:30".into(),
        };
        assert_eq!(
            retry_due(&on, now),
            Ok((d("2026-12-01"), NaiveTime::from_hms_opt(9, 30, 0)))
        );
        let past = Retry::On {
            date: "2026-11-21".into(),
            time: String::new(),
        };
        assert_eq!(retry_due(&past, now), Err("date_in_past"));
        let bad = Retry::On {
            date: "2026-02-30".into(),
            time: String::new(),
        };
        assert_eq!(retry_due(&bad, now), Err("invalid_date"));
    }

    #[test]
    fn visit_validation() {
        let ok = VisitInput {
            customer_id: 1,
            due_date: "2026-11-22".into(),
            due_time: "14:30".into(),
            ..Default::default()
        };
        let v = validate_visit(&ok).unwrap();
        assert_eq!(v.channel, Channel::Phone);
        assert_eq!(v.due_time, NaiveTime::from_hms_opt(14, 30, 0));
        let bad = VisitInput {
            due_date: "2026-02-30".into(),
            due_time: "25:00".into(),
            ..ok.clone()
        };
        let e = validate_visit(&bad).unwrap_err();
        let codes: Vec<_> = e.fields().iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(codes, vec![("due_date", "invalid_date"), ("due_time", "invalid_time")]);
        let bad = VisitInput {
            repeat: Some(Repeat {
                unit: RepeatUnit::Day,
                every: 0,
            }),
            ..ok
        };
        assert_eq!(validate_visit(&bad).unwrap_err().fields()[0].code, "out_of_range");
    }

    #[test]
    fn satisfaction_must_be_one_to_five() {
        let today = d("2026-11-22");
        let o = |s| OutcomeInput {
            reached: true,
            notes: String::new(),
            satisfaction: Some(s),
            next_step: String::new(),
            retry: None,
            next_visit: None,
        };
        assert!(validate_outcome(&o(5), today).is_ok());
        assert_eq!(
            validate_outcome(&o(7), today).unwrap_err().fields()[0].code,
            "out_of_range"
        );
        assert_eq!(
            validate_outcome(&o(0), today).unwrap_err().fields()[0].field,
            "satisfaction"
        );
    }

    #[test]
    fn plan_steps_never_fall_in_the_past() {
        assert_eq!(plan_step_due(d("2026-11-01"), 7, d("2026-11-22")), d("2026-11-22"));
        assert_eq!(plan_step_due(d("2026-11-22"), 7, d("2026-11-22")), d("2026-11-29"));
    }
}
