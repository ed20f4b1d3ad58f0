//! Complaint rules as plain functions: the workflow, validation, money, deadlines, escalation.

use chrono::{NaiveDateTime, TimeDelta};

use crate::error::{check_len, Error, FieldError};
use crate::kernel::cadence::Tier;

use super::model::{ComplaintInput, ComplaintSettings, ComplaintState, Severity, Span, SpanUnit};
use crate::kernel::schedule::Schedule;

pub const MAX_SUMMARY: usize = 200;
pub const MAX_TEXT: usize = 5000;
pub const MAX_SHORT: usize = 100;
/// The largest amount accepted: ¥100,000,000.00.
pub const MAX_CENTS: i64 = 10_000_000_000;

/// Whether the workflow allows `from → to`. Moving back to in progress from a finished
/// state is the explicit reopen.
pub fn allowed(from: ComplaintState, to: ComplaintState) -> bool {
    use ComplaintState::*;
    matches!(
        (from, to),
        (Registered, InProgress | Waiting | Resolved | Rejected | Duplicate)
            | (InProgress, Waiting | Resolved | Rejected | Duplicate)
            | (Waiting, InProgress | Resolved)
            | (Resolved, Closed | InProgress)
            | (Closed | Rejected | Duplicate, InProgress)
    )
}

/// A reopen: back to in progress from a finished state.
pub fn is_reopen(from: ComplaintState, to: ComplaintState) -> bool {
    to == ComplaintState::InProgress && !from.is_open()
}

/// Money as typed: `1200`, `1,200.5`, `88.50` → cents; empty → none.
pub fn parse_amount(s: &str) -> Result<Option<i64>, &'static str> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '\u{FF0C}' | '¥' | '\u{FFE5}' | ' '))
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err("invalid_amount");
    }
    let whole: i64 = whole.parse().map_err(|_| "invalid_amount")?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| "invalid_amount")?
    };
    let cents = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or("invalid_amount")?;
    if cents > MAX_CENTS {
        return Err("invalid_amount");
    }
    Ok(Some(cents))
}

pub use crate::kernel::time::parse_local;

/// Check a register form against `now` (local). Returns the received time and claim amount.
pub fn validate_register(input: &ComplaintInput, now: NaiveDateTime) -> Result<(NaiveDateTime, Option<i64>), Error> {
    let mut errors = Vec::new();
    if input.customer_id.is_none() && input.new_customer.as_ref().is_none_or(|c| c.name.trim().is_empty()) {
        errors.push(FieldError::new("customer", "required"));
    }
    if let Some(c) = &input.new_customer {
        check_len(&mut errors, "customer", c.name.trim(), MAX_SHORT);
        if !c.phone.trim().is_empty() && !crate::kernel::phone::is_valid_phone(c.phone.trim()) {
            errors.push(FieldError::new("new_phone", "invalid_phone"));
        }
    }
    if input.summary.trim().is_empty() {
        errors.push(FieldError::new("summary", "required"));
    }
    check_len(&mut errors, "summary", input.summary.trim(), MAX_SUMMARY);
    check_len(&mut errors, "details", &input.details, MAX_TEXT);
    check_len(&mut errors, "claim_text", &input.claim_text, MAX_TEXT);
    check_len(&mut errors, "staff", &input.staff, MAX_SHORT);
    let received = if input.received_at.trim().is_empty() {
        Some(now)
    } else {
        match parse_local(&input.received_at) {
            Ok(t) if t > now + TimeDelta::minutes(5) => {
                errors.push(FieldError::new("received_at", "in_future"));
                None
            }
            Ok(t) => Some(t),
            Err(c) => {
                errors.push(FieldError::new("received_at", c));
                None
            }
        }
    };
    let amount = parse_amount(&input.claim_amount)
        .map_err(|c| errors.push(FieldError::new("claim_amount", c)))
        .ok()
        .flatten();
    match received {
        Some(r) if errors.is_empty() => Ok((r, amount)),
        _ => Err(Error::Invalid(errors)),
    }
}

/// The severity whose deadlines apply: a VIP's is tightened one step when the setting says so.
pub fn effective_severity(s: Severity, tier: Tier, settings: &ComplaintSettings) -> Severity {
    if settings.vip_tighten && tier == Tier::Vip {
        s.tighter()
    } else {
        s
    }
}

pub fn span_due(schedule: &Schedule, start: NaiveDateTime, span: Span) -> NaiveDateTime {
    match span.unit {
        SpanUnit::Hours => schedule.add_minutes(start, i64::from(span.amount) * 60),
        SpanUnit::Days => schedule.add_days(start, span.amount),
    }
}

/// First-response and resolution deadlines for a complaint received at `received` (local).
pub fn deadlines(
    settings: &ComplaintSettings,
    severity: Severity,
    tier: Tier,
    received: NaiveDateTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let d = settings.of(effective_severity(severity, tier, settings));
    (
        span_due(&settings.schedule, received, d.response),
        span_due(&settings.schedule, received, d.resolution),
    )
}

/// The escalation level at `now` for the missed deadlines: 0 none, 1 handler reminded,
/// 2 manager flagged, 3 high risk. Each step comes `hours[i]` after the earliest breach.
pub fn escalation_level(now: NaiveDateTime, breaches: &[Option<NaiveDateTime>], hours: [u32; 3]) -> u8 {
    let Some(first) = breaches.iter().flatten().min() else {
        return 0;
    };
    hours
        .iter()
        .filter(|h| *first + TimeDelta::hours(i64::from(**h)) <= now)
        .count() as u8
}

impl crate::kernel::settings::Setting for super::model::ComplaintSettings {
    const KEY: &'static str = "complaints";

    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (name, sev) in [
            ("urgent", self.urgent),
            ("high", self.high),
            ("normal", self.normal),
            ("low", self.low),
        ] {
            for span in [sev.response, sev.resolution] {
                let max = if span.unit == super::model::SpanUnit::Hours {
                    2000
                } else {
                    250
                };
                if span.amount == 0 || span.amount > max {
                    errors.push(FieldError::with_max(name, "out_of_range", max as usize));
                }
            }
        }
        if let Err(code) = self.schedule.validate() {
            errors.push(FieldError::new("schedule", code));
        }
        let h = self.escalation_hours;
        if h[0] > h[1] || h[1] > h[2] || h[2] > 720 {
            errors.push(FieldError::new("escalation_hours", "invalid_ladder"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaints::model::ComplaintState::*;

    fn at(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    #[test]
    fn every_transition_allowed_and_refused() {
        let all = ComplaintState::ALL;
        let allowed_pairs = [
            (Registered, InProgress),
            (Registered, Waiting),
            (Registered, Resolved),
            (Registered, Rejected),
            (Registered, Duplicate),
            (InProgress, Waiting),
            (InProgress, Resolved),
            (InProgress, Rejected),
            (InProgress, Duplicate),
            (Waiting, InProgress),
            (Waiting, Resolved),
            (Resolved, Closed),
            (Resolved, InProgress),
            (Closed, InProgress),
            (Rejected, InProgress),
            (Duplicate, InProgress),
        ];
        for from in all {
            for to in all {
                let want = allowed_pairs.contains(&(*from, *to));
                assert_eq!(allowed(*from, *to), want, "{from:?} → {to:?}");
            }
        }
        assert!(is_reopen(Closed, InProgress));
        assert!(!is_reopen(Waiting, InProgress));
    }

    #[test]
    fn money() {
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("1200"), Ok(Some(120_000)));
        assert_eq!(parse_amount("1,200.5"), Ok(Some(120_050)));
        assert_eq!(parse_amount("¥88.05"), Ok(Some(8_805)));
        for bad in ["abc", "1.234", "-5", "1.2.3", ".5", "99999999999"] {
            assert_eq!(parse_amount(bad), Err("invalid_amount"), "{bad}");
        }
    }

    /// Received times against the default schedule (Mon–Fri 09–18, Sat 10–16, Sun closed).
    #[test]
    fn deadline_table() {
        let mut settings = ComplaintSettings::default();
        let cases = [
            // A normal complaint on Monday morning: reply within 1 business day, solve in 7.
            (
                Severity::Normal,
                Tier::Regular,
                "2026-11-23 10:00",
                "2026-11-24 10:00",
                "2026-12-01 10:00",
            ),
            // High, Friday 17:00: 4 business hours run into Saturday.
            (
                Severity::High,
                Tier::Regular,
                "2026-11-20 17:00",
                "2026-11-21 13:00",
                "2026-11-24 17:00",
            ),
            // Urgent at 23:50 on a Friday: the clock starts at Saturday's opening.
            (
                Severity::Urgent,
                Tier::Regular,
                "2026-11-20 23:50",
                "2026-11-21 11:00",
                "2026-11-24 18:00",
            ),
            // Received on Sunday (closed): counted from Monday 09:00.
            (
                Severity::Low,
                Tier::Regular,
                "2026-11-22 11:00",
                "2026-11-25 09:00",
                "2026-12-09 09:00",
            ),
            // A VIP's normal complaint gets the high deadlines.
            (
                Severity::Normal,
                Tier::Vip,
                "2026-11-23 10:00",
                "2026-11-23 14:00",
                "2026-11-26 10:00",
            ),
        ];
        for (sev, tier, received, response, resolution) in cases {
            assert_eq!(
                deadlines(&settings, sev, tier, at(received)),
                (at(response), at(resolution)),
                "{sev:?} {tier:?} {received}"
            );
        }
        // A holiday on Tuesday pushes Monday's normal reply to Wednesday.
        settings
            .schedule
            .holidays
            .insert(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(
            deadlines(&settings, Severity::Normal, Tier::Regular, at("2026-11-23 10:00")).0,
            at("2026-11-25 10:00")
        );
        settings.vip_tighten = false;
        assert_eq!(
            deadlines(&settings, Severity::Normal, Tier::Vip, at("2026-11-23 10:00")).0,
            at("2026-11-25 10:00")
        );
    }

    #[test]
    fn pause_and_resume_push_deadlines_by_business_time_waited() {
        let s = ComplaintSettings::default().schedule;
        let due = at("2026-11-24 10:00");
        // Waiting on the customer from Monday 16:00 to Tuesday 11:00: 2 h Monday + 2 h Tuesday.
        let waited = s.minutes_between(at("2026-11-23 16:00"), at("2026-11-24 11:00"));
        assert_eq!(waited, 240);
        assert_eq!(s.add_minutes(due, waited), at("2026-11-24 14:00"));
    }

    #[test]
    fn escalation_ladder() {
        let hours = [0, 4, 24];
        let breach = Some(at("2026-11-23 10:00"));
        assert_eq!(escalation_level(at("2026-11-23 09:59"), &[breach, None], hours), 0);
        assert_eq!(escalation_level(at("2026-11-23 10:00"), &[breach, None], hours), 1);
        assert_eq!(escalation_level(at("2026-11-23 14:00"), &[None, breach], hours), 2);
        assert_eq!(escalation_level(at("2026-11-24 10:00"), &[breach, None], hours), 3);
        assert_eq!(escalation_level(at("2026-11-30 10:00"), &[None, None], hours), 0);
    }

    #[test]
    fn register_validation() {
        let now = at("2026-11-23 10:00");
        let ok = ComplaintInput {
            customer_id: Some(1),
            summary: "菜上得太慢".into(),
            ..Default::default()
        };
        assert_eq!(validate_register(&ok, now).unwrap(), (now, None));
        let bad = ComplaintInput {
            summary: " ".into(),
            received_at: "2026-11-30 10:00".into(),
            claim_amount: "12.345".into(),
            ..Default::default()
        };
        let e = validate_register(&bad, now).unwrap_err();
        let codes: Vec<_> = e.fields().iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("customer", "required"),
                ("summary", "required"),
                ("received_at", "in_future"),
                ("claim_amount", "invalid_amount")
            ]
        );
    }
}
