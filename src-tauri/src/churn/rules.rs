//! What a loss and a win-back must satisfy.

use chrono::NaiveDate;

use super::model::{ChurnInput, ChurnType, WinBackInput};
use crate::error::{check_len, Error, FieldError};
use crate::kernel::time::parse_date;

pub const MAX_NOTE: usize = 2000;
pub const MAX_STAFF: usize = 100;
pub const MAX_REASON: usize = 100;

/// A loss that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidChurn {
    pub lost_on: NaiveDate,
    pub churn_type: ChurnType,
    pub reason_id: Option<i64>,
    pub note: String,
    pub staff: String,
}

/// A local date as typed, or `today` when empty; not in the future.
fn day(errors: &mut Vec<FieldError>, field: &str, s: &str, today: NaiveDate) -> NaiveDate {
    if s.trim().is_empty() {
        return today;
    }
    match parse_date(s) {
        Ok(d) if d > today => {
            errors.push(FieldError::new(field, "date_in_future"));
            today
        }
        Ok(d) => d,
        Err(code) => {
            errors.push(FieldError::new(field, code));
            today
        }
    }
}

pub fn validate(input: &ChurnInput, today: NaiveDate) -> Result<ValidChurn, Error> {
    let mut errors = Vec::new();
    let lost_on = day(&mut errors, "lost_on", &input.lost_on, today);
    let churn_type = input.churn_type;
    if churn_type.is_none() {
        errors.push(FieldError::new("churn_type", "required"));
    }
    if input.reason_id.is_none() && input.note.trim().is_empty() {
        errors.push(FieldError::new("reason_id", "required"));
    }
    let note = input.note.trim().to_string();
    check_len(&mut errors, "note", &note, MAX_NOTE);
    let staff = input.staff.trim().to_string();
    check_len(&mut errors, "staff", &staff, MAX_STAFF);
    match churn_type {
        Some(churn_type) if errors.is_empty() => Ok(ValidChurn {
            lost_on,
            churn_type,
            reason_id: input.reason_id,
            note,
            staff,
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// A win-back: on or after the day the customer was lost, not in the future.
pub fn validate_win_back(
    input: &WinBackInput,
    lost_on: NaiveDate,
    today: NaiveDate,
) -> Result<(NaiveDate, String, String), Error> {
    let mut errors = Vec::new();
    let on = day(&mut errors, "won_back_on", &input.won_back_on, today);
    if errors.is_empty() && on < lost_on {
        errors.push(FieldError::new("won_back_on", "before_lost"));
    }
    let note = input.note.trim().to_string();
    check_len(&mut errors, "note", &note, MAX_NOTE);
    let staff = input.staff.trim().to_string();
    check_len(&mut errors, "staff", &staff, MAX_STAFF);
    if errors.is_empty() {
        Ok((on, note, staff))
    } else {
        Err(Error::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn codes(e: Error) -> Vec<(String, &'static str)> {
        e.fields().iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    #[test]
    fn a_loss_needs_a_type_and_a_reason_and_is_not_in_the_future() {
        let today = d("2026-11-23");
        let ok = validate(
            &ChurnInput {
                churn_type: Some(ChurnType::Competitor),
                reason_id: Some(5),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(ok.lost_on, today);
        let e = validate(
            &ChurnInput {
                lost_on: "2026-12-01".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert_eq!(
            codes(e),
            [
                ("lost_on".to_string(), "date_in_future"),
                ("churn_type".to_string(), "required"),
                ("reason_id".to_string(), "required")
            ]
        );
        // A reason of one's own words is enough.
        assert!(validate(
            &ChurnInput {
                churn_type: Some(ChurnType::Natural),
                note: "退休回老家".into(),
                ..Default::default()
            },
            today
        )
        .is_ok());
    }

    #[test]
    fn a_win_back_comes_after_the_loss() {
        let e = validate_win_back(
            &WinBackInput {
                won_back_on: "2026-10-01".into(),
                ..Default::default()
            },
            d("2026-10-05"),
            d("2026-11-23"),
        )
        .unwrap_err();
        assert_eq!(codes(e), [("won_back_on".to_string(), "before_lost")]);
        let (on, _, _) = validate_win_back(&WinBackInput::default(), d("2026-10-05"), d("2026-11-23")).unwrap();
        assert_eq!(on, d("2026-11-23"));
    }
}
