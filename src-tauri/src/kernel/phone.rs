//! Phone numbers as people type them.

/// A phone: digits with spaces, dashes, dots, brackets and a leading +, 5 to 20 digits.
pub fn is_valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let body = p.strip_prefix('+').unwrap_or(p);
    (5..=20).contains(&digits) && body.chars().all(|c| c.is_ascii_digit() || " -().".contains(c))
}
