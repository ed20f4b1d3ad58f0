//! The manager's arrival figures as plain functions over facts: the repeat-visit rate
//! (回头率), visits per customer, the no-show rate, cancellations by reason, busiest hours and
//! weekdays.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::model::{ArrivalFigures, BookingState, ReasonCount};

/// Bookings of one day, booked hour, state and cancellation reason (`arrival_counts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    pub date: NaiveDate,
    /// The hour of the booked time (or of a walk-in's arrival); `None` all day.
    pub hour: Option<u32>,
    pub state: BookingState,
    pub cancel_reason: String,
    pub n: usize,
}

/// Whether a customer who came on `days` (sorted) is a visitor of `[from, to]`, and if so
/// whether they had come before it: `Some(returning)`, or `None`.
pub fn visitor(days: &[NaiveDate], from: NaiveDate, to: NaiveDate) -> Option<bool> {
    let i = days.partition_point(|d| *d < from);
    days.get(i).filter(|d| **d <= to).map(|_| i > 0)
}

/// Every customer's arrival days (sorted), in memory: the repeat-visit rate of any period
/// is one pass over it. The app builds it on first use and keeps it with each change.
#[derive(Debug, Clone, Default)]
pub struct ArrivalDays {
    by_customer: HashMap<i64, Vec<NaiveDate>>,
}

impl ArrivalDays {
    /// From `(customer, day)` pairs in any order.
    pub fn build(rows: impl IntoIterator<Item = (i64, NaiveDate)>) -> Self {
        let mut by_customer: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
        for (c, d) in rows {
            by_customer.entry(c).or_default().push(d);
        }
        for days in by_customer.values_mut() {
            days.sort_unstable();
        }
        ArrivalDays { by_customer }
    }

    /// A customer's days, read again after a change.
    pub fn set(&mut self, customer: i64, mut days: Vec<NaiveDate>) {
        days.sort_unstable();
        if days.is_empty() {
            self.by_customer.remove(&customer);
        } else {
            self.by_customer.insert(customer, days);
        }
    }

    /// Visitors of `[from, to]`, and how many of them had come before `from`.
    pub fn repeat_visitors(&self, from: NaiveDate, to: NaiveDate) -> (usize, usize) {
        let (mut visitors, mut returning) = (0, 0);
        for days in self.by_customer.values() {
            if let Some(r) = visitor(days, from, to) {
                visitors += 1;
                returning += usize::from(r);
            }
        }
        (visitors, returning)
    }
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// Every figure of a period from its day counts and the repeat-visitor counts.
pub fn arrival_figures(counts: &[DayCount], (visitors, returning): (usize, usize)) -> ArrivalFigures {
    let mut arrivals = 0;
    let mut no_shows = 0;
    let mut by_hour = vec![0; 24];
    let mut by_weekday = vec![0; 7];
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for f in counts {
        match f.state {
            BookingState::Arrived => {
                arrivals += f.n;
                if let Some(h) = f.hour.filter(|h| *h < 24) {
                    by_hour[h as usize] += f.n;
                }
                by_weekday[f.date.weekday().num_days_from_monday() as usize] += f.n;
            }
            BookingState::NoShow => no_shows += f.n,
            BookingState::Cancelled => *reasons.entry(f.cancel_reason.as_str()).or_default() += f.n,
            BookingState::Booked => {}
        }
    }
    let mut cancellations: Vec<ReasonCount> = reasons
        .into_iter()
        .map(|(r, n)| ReasonCount {
            reason: r.to_string(),
            count: n,
        })
        .collect();
    cancellations.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    ArrivalFigures {
        visitors,
        returning,
        repeat_rate: percent(returning, visitors),
        arrivals,
        visits_per_customer: (visitors > 0).then(|| arrivals as f64 / visitors as f64),
        no_shows,
        no_show_rate: percent(no_shows, arrivals + no_shows),
        cancellations,
        by_hour,
        by_weekday,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::kernel::time::parse_date(s).unwrap()
    }

    #[test]
    fn repeat_visitors_counts_each_customer_once() {
        let arrivals = vec![
            (1, d("2026-11-20")),
            (1, d("2026-10-01")),
            (1, d("2026-11-05")),
            (2, d("2026-11-10")),
            (3, d("2026-09-01")),
            (4, d("2026-10-31")),
            (4, d("2026-11-01")),
            (5, d("2026-12-01")),
        ];
        let mut days = ArrivalDays::build(arrivals);
        // November: 1 (came in October), 2 (first time), 4 (came the day before).
        assert_eq!(days.repeat_visitors(d("2026-11-01"), d("2026-11-30")), (3, 2));
        assert_eq!(days.repeat_visitors(d("2027-01-01"), d("2027-01-31")), (0, 0));
        // 2 comes again in December; 3's only visit is taken back.
        days.set(2, vec![d("2026-12-02"), d("2026-11-10")]);
        days.set(3, vec![]);
        assert_eq!(days.repeat_visitors(d("2026-12-01"), d("2026-12-31")), (2, 1));
        assert_eq!(days.repeat_visitors(d("2026-09-01"), d("2026-09-30")), (0, 0));
        assert_eq!(
            visitor(&[d("2026-11-30")], d("2026-11-01"), d("2026-11-30")),
            Some(false)
        );
        assert_eq!(visitor(&[d("2026-12-01")], d("2026-11-01"), d("2026-11-30")), None);
    }
}
