//! Local dates and times as typed and shown (`YYYY-MM-DD`, `HH:MM`, `YYYY-MM-DD HH:MM`), and
//! the one rule between local wall-clock time and the stored UTC timestamp.

use chrono::{DateTime, Local, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};

/// The years a date may fall in: wider than any business use, narrow enough that dates sort
/// as text and every timer fires (`0000-01-01` and `+10000-01-01` are typing slips).
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2199;

fn in_range(d: NaiveDate) -> Result<NaiveDate, &'static str> {
    use chrono::Datelike;
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err("date_out_of_range")
    }
}

/// A local date as typed (`YYYY-MM-DD`); 2026-02-30 does not exist.
pub fn parse_date(s: &str) -> Result<NaiveDate, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("required");
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| "invalid_date")
        .and_then(in_range)
}

/// A local time as typed (`HH:MM`); empty means none (all day).
pub fn parse_time(s: &str) -> Result<Option<NaiveTime>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(s, "%H:%M")
        .map(Some)
        .map_err(|_| "invalid_time")
}

/// A local date and time as typed (`YYYY-MM-DD HH:MM`, seconds optional, `T` allowed).
pub fn parse_local(s: &str) -> Result<NaiveDateTime, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("required");
    }
    let s = s.replacen('T', " ", 1);
    NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M"))
        .map_err(|_| "invalid_datetime")
        .and_then(|t| in_range(t.date()).map(|_| t))
}

/// A date as stored (`YYYY-MM-DD`, written by Rust); `None` if it is not one.
pub fn stored_date(s: &str) -> Option<NaiveDate> {
    // chrono's own ISO reading: `%Y-%m-%d` without interpreting a format string per call
    // (the customer index reads three dates for each of 100k customers at start).
    s.parse().ok()
}

pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// A time as stored: RFC 3339 UTC with milliseconds (sorts as text).
pub fn format_ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The one rule from local wall-clock time to an instant, in any zone: an ambiguous time
/// (clocks set back) is the earlier one; a skipped time (clocks set forward) moves forward in
/// half-hour steps to the first time that exists (02:30 → 03:00). Never fails.
pub fn to_utc_in<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    for _ in 0..4 {
        match zone.from_local_datetime(&probe) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            LocalResult::None => probe += TimeDelta::minutes(30),
        }
    }
    local.and_utc()
}

/// [`to_utc_in`] the machine's zone.
pub fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    to_utc_in(&Local, local)
}

/// A local wall-clock time as stored (UTC).
pub fn local_to_ts(local: NaiveDateTime) -> String {
    format_ts(to_utc(local))
}

/// A short mark of this machine's time-zone rules: the offsets at two days a year from 1970
/// to 2040 (stored days computed in local time are counted again when it changes).
pub fn zone_mark() -> String {
    let mut h = super::fnv::Fnv::default();
    for year in 1970..=2040 {
        for month in [1, 7] {
            let offset = Utc
                .with_ymd_and_hms(year, month, 15, 12, 0, 0)
                .single()
                .map_or(0, |t| t.with_timezone(&Local).offset().local_minus_utc());
            h.feed(&offset.to_le_bytes());
        }
    }
    format!("{:016x}", h.value())
}

/// This machine's time zone by its IANA name (`Asia/Shanghai`), or empty when the system
/// does not say: the shared database then counts local days in its own zone.
pub fn zone_name() -> String {
    iana_time_zone::get_timezone().unwrap_or_default()
}

/// A stored timestamp as local wall-clock time.
pub fn ts_to_local(ts: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.with_timezone(&Local).naive_local())
}

/// Converts many stored timestamps to local time at once (the manager's figures read
/// tens of thousands): the stored form is read without a general parser, and the zone's
/// offset is looked up once per UTC hour in which it does not change.
#[derive(Default)]
pub struct ToLocal {
    hours: std::collections::HashMap<i64, i32>,
}

impl ToLocal {
    pub fn convert(&mut self, ts: &str) -> Option<NaiveDateTime> {
        let Some(utc) = parse_stored(ts) else {
            return ts_to_local(ts);
        };
        let hour = utc.and_utc().timestamp().div_euclid(3600);
        let offset = match self.hours.get(&hour) {
            Some(o) => *o,
            None => {
                let at = |secs: i64| {
                    DateTime::from_timestamp(secs, 0).map(|t| t.with_timezone(&Local).offset().local_minus_utc())
                };
                let (start, end) = (at(hour * 3600)?, at(hour * 3600 + 3599)?);
                if start != end {
                    // The offset changes within this hour: convert this one exactly.
                    return Some(utc.and_utc().with_timezone(&Local).naive_local());
                }
                self.hours.insert(hour, start);
                start
            }
        };
        utc.checked_add_signed(TimeDelta::seconds(i64::from(offset)))
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` as `format_ts` writes it; anything else is `None`.
fn parse_stored(ts: &str) -> Option<NaiveDateTime> {
    let b = ts.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b.last() != Some(&b'Z')
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to]
            .iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let millis = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', rest @ ..] if rest.len() == 3 => num(20, 23)?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?.and_hms_milli_opt(
        num(11, 13)?,
        num(14, 16)?,
        num(17, 19)?,
        millis,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_dates_are_read_strictly() {
        assert_eq!(stored_date("2026-12-06"), NaiveDate::from_ymd_opt(2026, 12, 6));
        assert_eq!(stored_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in [
            "",
            "2026-13-01",
            "2025-02-29",
            "2026-12-06x",
            "2026/12/06",
            "06.12.2026",
            "2026-12",
        ] {
            assert_eq!(stored_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_bulk_converter_agrees_with_the_one_rule() {
        let mut many = ToLocal::default();
        // Across a year, both daylight-saving changes of the test machine's zone included.
        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .timestamp();
        for i in 0..(366 * 24 * 4) {
            let t = DateTime::from_timestamp(start + i * 900 + 7, 250_000_000).unwrap();
            let ts = format_ts(t);
            assert_eq!(many.convert(&ts), ts_to_local(&ts), "{ts}");
        }
        assert_eq!(
            many.convert("2026-11-23T08:00:00Z"),
            ts_to_local("2026-11-23T08:00:00Z")
        );
        assert_eq!(
            many.convert("2026-11-23T08:00:00+08:00"),
            ts_to_local("2026-11-23T08:00:00+08:00")
        );
        assert_eq!(many.convert("garbage"), None);
        assert_eq!(many.convert("2026-13-23T08:00:00.000Z"), None);
    }

    #[test]
    fn dates_outside_any_business_use_are_refused() {
        assert_eq!(parse_date("0000-01-01"), Err("date_out_of_range"));
        assert_eq!(parse_date("+10000-01-01"), Err("date_out_of_range"));
        assert_eq!(parse_date("2026-02-30"), Err("invalid_date"));
        assert_eq!(parse_date(" "), Err("required"));
        assert!(parse_date("1930-05-01").is_ok());
        assert_eq!(parse_local("+10000-01-01 10:00"), Err("date_out_of_range"));
        assert_eq!(parse_local("2026-11-23T10:15").map(format_time_of), Ok("10:15".into()));
    }

    fn format_time_of(t: NaiveDateTime) -> String {
        format_time(t.time())
    }

    /// A zone that skips 02:00–03:00 local on one day, like a spring-forward change.
    #[derive(Clone, Copy, Debug)]
    struct SpringForward;

    impl TimeZone for SpringForward {
        type Offset = chrono::FixedOffset;
        fn from_offset(_: &Self::Offset) -> Self {
            SpringForward
        }
        fn offset_from_local_date(&self, _: &NaiveDate) -> LocalResult<Self::Offset> {
            LocalResult::Single(self.before())
        }
        fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<Self::Offset> {
            let t = local.time();
            if t >= NaiveTime::from_hms_opt(2, 0, 0).unwrap() && t < NaiveTime::from_hms_opt(3, 0, 0).unwrap() {
                LocalResult::None
            } else if t >= NaiveTime::from_hms_opt(3, 0, 0).unwrap() {
                LocalResult::Single(self.after())
            } else {
                LocalResult::Single(self.before())
            }
        }
        fn offset_from_utc_date(&self, _: &NaiveDate) -> Self::Offset {
            self.before()
        }
        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> Self::Offset {
            if utc.time() >= NaiveTime::from_hms_opt(1, 0, 0).unwrap() {
                self.after()
            } else {
                self.before()
            }
        }
    }

    impl SpringForward {
        fn before(&self) -> chrono::FixedOffset {
            chrono::FixedOffset::east_opt(3600).unwrap()
        }
        fn after(&self) -> chrono::FixedOffset {
            chrono::FixedOffset::east_opt(7200).unwrap()
        }
    }

    #[test]
    fn a_skipped_local_time_moves_forward_never_back() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let before = to_utc_in(&SpringForward, at("2026-03-29 01:30"));
        let skipped = to_utc_in(&SpringForward, at("2026-03-29 02:30"));
        let after = to_utc_in(&SpringForward, at("2026-03-29 03:30"));
        assert!(before < skipped && skipped <= after, "{before} {skipped} {after}");
        assert_eq!(skipped.format("%H:%M").to_string(), "01:00");
    }
}
