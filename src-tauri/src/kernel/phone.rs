//! Phone numbers as people type them.

/// A phone: digits with spaces, dashes, dots, brackets and a leading +, 5 to 20 digits.
pub fn is_valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let body = p.strip_prefix('+').unwrap_or(p);
    (5..=20).contains(&digits) && body.chars().all(|c| c.is_ascii_digit() || " -().".contains(c))
}

/// The digits that identify a phone, for finding the same number written differently:
/// `138 0000 1111`, `+86 138-0000-1111` and `0086 13800001111` are one number.
pub fn key(p: &str) -> String {
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    let d = digits.strip_prefix("00").unwrap_or(&digits);
    match d.strip_prefix("86") {
        Some(rest) if rest.len() >= 9 => rest.to_string(),
        _ => digits,
    }
}

#[cfg(test)]
mod key_tests {
    #[test]
    fn one_number_written_several_ways_has_one_key() {
        for p in [
            "13800001111",
            "138 0000 1111",
            "+86 138-0000-1111",
            "0086 13800001111",
            "8613800001111",
        ] {
            assert_eq!(super::key(p), "13800001111", "{p}");
        }
        assert_eq!(super::key("010-6552 9988"), "01065529988");
        assert_eq!(super::key("+1 415 555 0100"), "14155550100");
    }
}
