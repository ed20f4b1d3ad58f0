//! Customer validation: what a saved record must satisfy, as plain functions.

use crate::error::{check_len, Error, FieldError};
pub use crate::kernel::phone::is_valid_phone;

use super::dates;
use super::model::{CustomerInput, Preference, Source, SpecialDate, Tier};

pub const MAX_NAME: usize = 100;
pub const MAX_PHONES: usize = 10;
pub const MAX_PHONE: usize = 30;
pub const MAX_SHORT: usize = 100;
pub const MAX_EMAIL: usize = 254;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG: usize = 32;
pub const MAX_NOTES: usize = 5000;
pub const MAX_PREFERENCES: usize = 50;
pub const MAX_PREFERENCE: usize = 500;
pub const MAX_CADENCE_DAYS: u32 = 3650;

/// A customer that passed validation: trimmed, empty list entries dropped, defaults filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCustomer {
    pub name: String,
    pub phones: Vec<String>,
    pub wechat: String,
    pub email: String,
    pub address: String,
    pub company: String,
    pub source: Source,
    pub first_contact: String,
    pub tier: Tier,
    pub tags: Vec<String>,
    pub notes: String,
    pub preferences: Vec<Preference>,
    pub birthday: Option<SpecialDate>,
    pub anniversary: Option<SpecialDate>,
    pub cadence_ideal_days: Option<u32>,
    pub cadence_max_days: Option<u32>,
}

/// An e-mail address: one @, a local part, a dotted domain, no spaces.
pub fn is_valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
}

fn clean(s: &str) -> String {
    s.trim().to_string()
}

/// Validate and normalise a form. Every problem is reported at once, by field.
pub fn validate(input: &CustomerInput) -> Result<ValidCustomer, Error> {
    let mut errors = Vec::new();
    let name = clean(&input.name);
    if name.is_empty() {
        errors.push(FieldError::new("name", "required"));
    }
    check_len(&mut errors, "name", &name, MAX_NAME);

    let mut phones = Vec::new();
    for (i, p) in input.phones.iter().enumerate() {
        let p = clean(p);
        if p.is_empty() {
            continue;
        }
        let field = format!("phones.{i}");
        if p.chars().count() > MAX_PHONE {
            errors.push(FieldError::with_max(field, "too_long", MAX_PHONE));
        } else if !is_valid_phone(&p) {
            errors.push(FieldError::new(field, "invalid_phone"));
        }
        phones.push(p);
    }
    if phones.len() > MAX_PHONES {
        errors.push(FieldError::with_max("phones", "too_many", MAX_PHONES));
    }

    let email = clean(&input.email);
    if email.chars().count() > MAX_EMAIL {
        errors.push(FieldError::with_max("email", "too_long", MAX_EMAIL));
    } else if !email.is_empty() && !is_valid_email(&email) {
        errors.push(FieldError::new("email", "invalid_email"));
    }

    let wechat = clean(&input.wechat);
    check_len(&mut errors, "wechat", &wechat, MAX_SHORT);
    let address = clean(&input.address);
    check_len(&mut errors, "address", &address, MAX_ADDRESS);
    let company = clean(&input.company);
    check_len(&mut errors, "company", &company, MAX_SHORT * 2);
    let first_contact = clean(&input.first_contact);
    check_len(&mut errors, "first_contact", &first_contact, MAX_SHORT);
    let notes = input.notes.trim().to_string();
    check_len(&mut errors, "notes", &notes, MAX_NOTES);

    let mut tags: Vec<String> = Vec::new();
    for t in &input.tags {
        let t = clean(t);
        if t.is_empty() || tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            continue;
        }
        if t.chars().count() > MAX_TAG {
            errors.push(FieldError::with_max("tags", "too_long", MAX_TAG));
        }
        tags.push(t);
    }
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::with_max("tags", "too_many", MAX_TAGS));
    }

    let mut preferences = Vec::new();
    for (i, p) in input.preferences.iter().enumerate() {
        let text = clean(&p.text);
        if text.is_empty() {
            continue;
        }
        check_len(&mut errors, &format!("preferences.{i}"), &text, MAX_PREFERENCE);
        preferences.push(Preference { kind: p.kind, text });
    }
    if preferences.len() > MAX_PREFERENCES {
        errors.push(FieldError::with_max("preferences", "too_many", MAX_PREFERENCES));
    }

    for (field, d) in [("birthday", &input.birthday), ("anniversary", &input.anniversary)] {
        if let Some(d) = d {
            if let Err(code) = dates::validate(d) {
                errors.push(FieldError::new(field, code));
            }
        }
    }

    let ideal = input.cadence_ideal_days;
    let max = input.cadence_max_days;
    for (field, v) in [("cadence_ideal_days", ideal), ("cadence_max_days", max)] {
        if v.is_some_and(|d| d == 0 || d > MAX_CADENCE_DAYS) {
            errors.push(FieldError::with_max(field, "out_of_range", MAX_CADENCE_DAYS as usize));
        }
    }
    if let (Some(i), Some(m)) = (ideal, max) {
        if m < i {
            errors.push(FieldError::new("cadence_max_days", "max_below_ideal"));
        }
    }

    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(ValidCustomer {
        name,
        phones,
        wechat,
        email,
        address,
        company,
        source: input.source.unwrap_or(Source::WalkIn),
        first_contact,
        tier: input.tier.unwrap_or(Tier::Regular),
        tags,
        notes,
        preferences,
        birthday: input.birthday,
        anniversary: input.anniversary,
        cadence_ideal_days: ideal,
        cadence_max_days: max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::model::{Calendar, PreferenceKind};

    fn codes(input: &CustomerInput) -> Vec<(String, &'static str)> {
        match validate(input) {
            Ok(_) => vec![],
            Err(Error::Invalid(f)) => f.into_iter().map(|f| (f.field, f.code)).collect(),
            Err(e) => panic!("{e}"),
        }
    }

    fn named(name: &str) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn phones() {
        for ok in [
            "13800138000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "(020) 7946 0000",
            "010.6552.9988",
        ] {
            assert!(is_valid_phone(ok), "{ok}");
        }
        for bad in [
            "abc",
            "12",
            "138x0013",
            "++86 1380013",
            "1380013800012345678901",
            "13800+138000",
        ] {
            assert!(!is_valid_phone(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b.cn", "wang.fang+vip@example.com.cn"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "a", "a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@.cn", "a@b..cn", "a@b.cn.",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn empty_name_and_bad_fields_are_all_reported() {
        let input = CustomerInput {
            name: "   ".into(),
            phones: vec!["138 0013 8000".into(), "".into(), "call me".into()],
            email: "wang@".into(),
            birthday: Some(SpecialDate {
                calendar: Calendar::Gregorian,
                year: None,
                month: 2,
                day: 30,
                leap_month: false,
            }),
            anniversary: Some(SpecialDate {
                calendar: Calendar::Lunar,
                year: None,
                month: 13,
                day: 1,
                leap_month: false,
            }),
            ..Default::default()
        };
        assert_eq!(
            codes(&input),
            vec![
                ("name".into(), "required"),
                ("phones.2".into(), "invalid_phone"),
                ("email".into(), "invalid_email"),
                ("birthday".into(), "invalid_date"),
                ("anniversary".into(), "invalid_lunar_month"),
            ]
        );
    }

    #[test]
    fn limits() {
        assert_eq!(codes(&named(&"名".repeat(MAX_NAME))), vec![]);
        assert_eq!(
            codes(&named(&"名".repeat(MAX_NAME + 1))),
            vec![("name".into(), "too_long")]
        );
        let mut i = named("x");
        i.notes = "n".repeat(MAX_NOTES + 1);
        assert_eq!(codes(&i), vec![("notes".into(), "too_long")]);
        let mut i = named("x");
        i.tags = (0..=MAX_TAGS).map(|n| format!("t{n}")).collect();
        assert_eq!(codes(&i), vec![("tags".into(), "too_many")]);
    }

    #[test]
    fn normalises() {
        let input = CustomerInput {
            name: "  张伟 ".into(),
            phones: vec![" 138 0013 8000 ".into(), "  ".into()],
            tags: vec!["VIP".into(), "vip".into(), " ".into(), "常客".into()],
            preferences: vec![
                Preference {
                    kind: PreferenceKind::Food,
                    text: " 不吃蒜 ".into(),
                },
                Preference {
                    kind: PreferenceKind::Other,
                    text: "".into(),
                },
            ],
            ..Default::default()
        };
        let v = validate(&input).unwrap();
        assert_eq!(v.name, "张伟");
        assert_eq!(v.phones, vec!["138 0013 8000"]);
        assert_eq!(v.tags, vec!["VIP", "常客"]);
        assert_eq!(
            v.preferences,
            vec![Preference {
                kind: PreferenceKind::Food,
                text: "不吃蒜".into()
            }]
        );
        assert_eq!(v.tier, Tier::Regular);
        assert_eq!(v.source, Source::WalkIn);
    }
}
