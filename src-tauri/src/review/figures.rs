//! Every figure of the manager's review, defined once as a plain function over facts read
//! from the database (see `repo`); `../shared/domain.md` gives the definitions.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};

use super::model::{Bar, ComplaintFigures, Period, Preset, Score, Share, Spread, StaffRow};
use crate::kernel::schedule::Measure;

impl Period {
    /// The period a preset names on `today`. Calendar presets are whole calendar units
    /// (this month is the 1st to the last day, also the days still to come).
    pub fn preset(preset: Preset, today: NaiveDate) -> Option<Period> {
        let (y, m) = (today.year(), today.month());
        let month_start = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
        let span = |from: NaiveDate, months: u32| {
            let to = from.checked_add_months(Months::new(months))?.pred_opt()?;
            Some(Period { from, to })
        };
        match preset {
            Preset::Week => {
                let from = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
                Some(Period {
                    from,
                    to: from + Days::new(6),
                })
            }
            Preset::Month => span(month_start(y, m)?, 1),
            Preset::Quarter => span(month_start(y, (m - 1) / 3 * 3 + 1)?, 3),
            Preset::Year => span(month_start(y, 1)?, 12),
            Preset::Last12 => span(month_start(y, m)?.checked_sub_months(Months::new(11))?, 12),
            Preset::Custom => None,
        }
    }

    /// The period before, of the same length: the calendar unit before for a calendar
    /// preset (October for November), else the same number of days just before.
    pub fn previous(self, preset: Preset) -> Period {
        let months = match preset {
            Preset::Month => 1,
            Preset::Quarter => 3,
            Preset::Year | Preset::Last12 => 12,
            Preset::Week | Preset::Custom => 0,
        };
        if months > 0 {
            if let Some(from) = self.from.checked_sub_months(Months::new(months)) {
                return Period {
                    from,
                    to: self.from.pred_opt().unwrap_or(self.from),
                };
            }
        }
        let days = self.days();
        Period {
            from: self.from - Days::new(days),
            to: self.from.pred_opt().unwrap_or(self.from),
        }
    }

    pub fn days(self) -> u64 {
        (self.to - self.from).num_days().max(0) as u64 + 1
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// Each month the period touches, as `YYYY-MM`, in order.
    pub fn months(self) -> Vec<String> {
        let mut out = Vec::new();
        let mut d = self.from.with_day(1).unwrap_or(self.from);
        while d <= self.to {
            out.push(month_key(d));
            match d.checked_add_months(Months::new(1)) {
                Some(n) => d = n,
                None => break,
            }
        }
        out
    }
}

pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// `count` per 100 of `base`; nothing when the base is empty.
pub fn per_100(count: usize, base: usize) -> Option<f64> {
    (base > 0).then(|| count as f64 * 100.0 / base as f64)
}

pub fn share(count: usize, of: usize) -> Share {
    Share {
        count,
        of,
        percent: per_100(count, of),
    }
}

/// Median (the mean of the two middle values for an even count) and 90th percentile
/// (nearest rank: the smallest value with at least 90% of the values at or below it).
pub fn spread(mut values: Vec<i64>) -> Spread {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return Spread::default();
    }
    let median = if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    };
    let rank = (n * 9).div_ceil(10).max(1);
    Spread {
        n,
        median: Some(median),
        p90: Some(values[rank - 1] as f64),
    }
}

pub fn average(scores: &[usize; 5]) -> (usize, Option<f64>) {
    let n: usize = scores.iter().sum();
    let sum: usize = scores.iter().enumerate().map(|(i, c)| (i + 1) * c).sum();
    (n, (n > 0).then(|| sum as f64 / n as f64))
}

/// Bars in descending count, then by key; every key of `all` shows, also at zero.
pub fn bars(counts: HashMap<String, usize>, all: &[(String, String)]) -> Vec<Bar> {
    let mut out: Vec<Bar> = all
        .iter()
        .map(|(key, label)| Bar {
            key: key.clone(),
            label: label.clone(),
            count: counts.get(key).copied().unwrap_or(0),
        })
        .collect();
    for (key, count) in counts {
        if !all.iter().any(|(k, _)| *k == key) {
            out.push(Bar {
                label: key.clone(),
                key,
                count,
            });
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    out
}

/// One complaint as the figures need it (local times).
#[derive(Debug, Clone, Default)]
pub struct ComplaintFact {
    pub id: i64,
    pub customer_id: i64,
    pub tier: &'static str,
    pub category_id: i64,
    pub severity: &'static str,
    pub channel: &'static str,
    pub handler: String,
    pub received: NaiveDateTime,
    pub first_response: Option<NaiveDateTime>,
    pub resolved: Option<NaiveDateTime>,
    pub closed: Option<NaiveDateTime>,
    pub response_due: Option<NaiveDateTime>,
    pub resolution_due: Option<NaiveDateTime>,
    pub response_breached: bool,
    pub resolution_breached: bool,
    pub paused_minutes: i64,
    pub is_open: bool,
    pub escalation_level: i64,
    pub remedy: bool,
    pub remedy_cents: i64,
    pub satisfaction: Option<i64>,
}

/// Whether a deadline was met, missed, or is still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Met {
    Met,
    Missed,
    Running,
}

impl ComplaintFact {
    pub fn received_in(&self, p: Period) -> bool {
        p.contains(self.received.date())
    }

    /// The first response: met when it came before its deadline (a breach is stored at
    /// the moment the deadline passed, and never cleared).
    pub fn response_met(&self) -> Met {
        met(self.first_response.is_some(), self.response_breached)
    }

    pub fn resolution_met(&self) -> Met {
        met(self.resolved.is_some(), self.resolution_breached)
    }

    /// Counted for the response share of `p`: its deadline fell in the period or it was
    /// answered in it.
    pub fn response_counts_in(&self, p: Period) -> bool {
        in_period(self.response_due, p) || in_period(self.first_response, p)
    }

    pub fn resolution_counts_in(&self, p: Period) -> bool {
        in_period(self.resolution_due, p) || in_period(self.resolved, p)
    }

    /// Business minutes from receipt to the first response.
    pub fn response_minutes(&self, hours: &dyn Measure) -> Option<i64> {
        Some(hours.business_minutes(self.received, self.first_response?))
    }

    /// Business minutes from receipt to resolution, less the time it waited on the customer.
    pub fn resolution_minutes(&self, hours: &dyn Measure) -> Option<i64> {
        Some((hours.business_minutes(self.received, self.resolved?) - self.paused_minutes).max(0))
    }

    /// Open-age bucket on `today`: `d0_1`, `d1_3`, `d3_7`, `d7_plus`.
    pub fn age_bucket(&self, now: NaiveDateTime) -> &'static str {
        let hours = (now - self.received).num_hours();
        match hours {
            h if h < 24 => "d0_1",
            h if h < 72 => "d1_3",
            h if h < 168 => "d3_7",
            _ => "d7_plus",
        }
    }
}

fn met(done: bool, breached: bool) -> Met {
    match (done, breached) {
        (_, true) => Met::Missed,
        (true, false) => Met::Met,
        (false, false) => Met::Running,
    }
}

fn in_period(t: Option<NaiveDateTime>, p: Period) -> bool {
    t.is_some_and(|t| p.contains(t.date()))
}

pub const AGE_BUCKETS: [&str; 4] = ["d0_1", "d1_3", "d3_7", "d7_plus"];

/// A deadline share: met / decided among the complaints `counts` picks (those still
/// running are not counted yet).
pub fn deadline_share(
    facts: &[ComplaintFact],
    counts: impl Fn(&ComplaintFact) -> bool,
    met: fn(&ComplaintFact) -> Met,
) -> Share {
    let (mut count, mut of) = (0, 0);
    for f in facts.iter().filter(|f| counts(f)) {
        match met(f) {
            Met::Met => {
                count += 1;
                of += 1;
            }
            Met::Missed => of += 1,
            Met::Running => {}
        }
    }
    share(count, of)
}

/// What the complaint figures are computed from.
pub struct ComplaintInput<'a> {
    pub facts: &'a [ComplaintFact],
    pub period: Period,
    pub previous: Period,
    pub now: NaiveDateTime,
    pub hours: &'a dyn Measure,
    pub active: usize,
    pub previous_active: usize,
    /// Every category, severity and channel `(key, label)`, so empty ones still show.
    pub categories: &'a [(String, String)],
    pub severities: &'a [(String, String)],
    pub channels: &'a [(String, String)],
}

pub fn complaint_figures(i: &ComplaintInput<'_>) -> ComplaintFigures {
    let p = i.period;
    let received: Vec<&ComplaintFact> = i.facts.iter().filter(|f| f.received_in(p)).collect();
    let previous_count = i.facts.iter().filter(|f| f.received_in(i.previous)).count();
    // Counted under small keys, named once each at the end (not a string per complaint).
    fn count_by<K: std::hash::Hash + Eq>(
        received: &[&ComplaintFact],
        key: impl Fn(&ComplaintFact) -> K,
        name: impl Fn(K) -> String,
    ) -> HashMap<String, usize> {
        let mut m: HashMap<K, usize> = HashMap::new();
        for f in received {
            *m.entry(key(f)).or_default() += 1;
        }
        m.into_iter().map(|(k, n)| (name(k), n)).collect()
    }
    let months: Vec<(String, String)> = p.months().into_iter().map(|m| (m.clone(), m)).collect();
    let month_of = |f: &ComplaintFact| (f.received.year(), f.received.month());
    let mut by_month = bars(
        count_by(&received, month_of, |(y, m)| format!("{y:04}-{m:02}")),
        &months,
    );
    by_month.sort_by(|a, b| a.key.cmp(&b.key));
    let mut per_customer: HashMap<i64, usize> = HashMap::new();
    for f in &received {
        *per_customer.entry(f.customer_id).or_default() += 1;
    }
    let open: Vec<&ComplaintFact> = i.facts.iter().filter(|f| f.is_open).collect();
    let mut ages: HashMap<&'static str, usize> = HashMap::new();
    for f in &open {
        *ages.entry(f.age_bucket(i.now)).or_default() += 1;
    }
    let resolved_in: Vec<&ComplaintFact> = i
        .facts
        .iter()
        .filter(|f| f.resolved.is_some_and(|t| p.contains(t.date())))
        .collect();
    ComplaintFigures {
        count: received.len(),
        previous_count,
        rate: per_100(received.len(), i.active),
        previous_rate: per_100(previous_count, i.previous_active),
        active_customers: i.active,
        by_category: bars(count_by(&received, |f| f.category_id, |k| k.to_string()), i.categories),
        by_severity: bars(count_by(&received, |f| f.severity, str::to_string), i.severities),
        by_channel: bars(count_by(&received, |f| f.channel, str::to_string), i.channels),
        by_month,
        response_met: deadline_share(i.facts, |f| f.response_counts_in(p), ComplaintFact::response_met),
        resolution_met: deadline_share(i.facts, |f| f.resolution_counts_in(p), ComplaintFact::resolution_met),
        previous_resolution_met: deadline_share(
            i.facts,
            |f| f.resolution_counts_in(i.previous),
            ComplaintFact::resolution_met,
        ),
        response_time: spread(
            i.facts
                .iter()
                .filter(|f| f.first_response.is_some_and(|t| p.contains(t.date())))
                .filter_map(|f| f.response_minutes(i.hours))
                .collect(),
        ),
        resolution_time: spread(
            resolved_in
                .iter()
                .filter_map(|f| f.resolution_minutes(i.hours))
                .collect(),
        ),
        open_by_age: AGE_BUCKETS
            .iter()
            .map(|k| Bar {
                key: k.to_string(),
                label: k.to_string(),
                count: ages.get(*k).copied().unwrap_or(0),
            })
            .collect(),
        escalated_open: open.iter().filter(|f| f.escalation_level > 0).count(),
        breached_open: open
            .iter()
            .filter(|f| f.response_breached || f.resolution_breached)
            .count(),
        repeat_customers: per_customer.values().filter(|n| **n > 1).count(),
        remedies: resolved_in.iter().filter(|f| f.remedy).count(),
        remedy_cents: resolved_in.iter().map(|f| f.remedy_cents).sum(),
    }
}

/// Scores of one kind, counted: `n` scores of `score` in `month` for a tier and a staff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScoreGroup {
    /// In the period asked (else in the one before).
    pub current: bool,
    pub month: String,
    pub tier: String,
    pub staff: String,
    pub score: i64,
    pub n: usize,
}

/// The scores given at complaint closings in either period, one group each.
pub fn complaint_scores(facts: &[ComplaintFact], period: Period, previous: Period) -> Vec<ScoreGroup> {
    facts
        .iter()
        .filter_map(|f| {
            let (closed, score) = (f.closed?, f.satisfaction?);
            let current = period.contains(closed.date());
            (current || previous.contains(closed.date())).then(|| ScoreGroup {
                current,
                month: month_key(closed.date()),
                tier: f.tier.to_string(),
                staff: f.handler.clone(),
                score,
                n: 1,
            })
        })
        .collect()
}

fn scores_by(groups: &[&ScoreGroup], key: fn(&ScoreGroup) -> &str, keys: &[String]) -> Vec<Score> {
    let mut m: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    for g in groups {
        if let Some(slot) = usize::try_from(g.score - 1).ok().filter(|i| *i < 5) {
            m.entry(key(g)).or_default()[slot] += g.n;
        }
    }
    let mut out: Vec<Score> = keys
        .iter()
        .map(|k| {
            let (n, average) = m.get(k.as_str()).map(average).unwrap_or((0, None));
            Score {
                key: k.clone(),
                n,
                average,
            }
        })
        .collect();
    for (k, d) in &m {
        if !keys.iter().any(|x| x == k) {
            let (n, average) = average(d);
            out.push(Score {
                key: k.to_string(),
                n,
                average,
            });
        }
    }
    out
}

/// Average, distribution and the breakdowns of the period's scores.
pub fn satisfaction_figures(
    groups: &[ScoreGroup],
    months: &[String],
    tiers: &[String],
) -> super::model::SatisfactionFigures {
    let current: Vec<&ScoreGroup> = groups.iter().filter(|g| g.current).collect();
    let mut distribution = [0usize; 5];
    let mut previous = [0usize; 5];
    for g in groups {
        if let Some(slot) = usize::try_from(g.score - 1).ok().filter(|i| *i < 5) {
            if g.current {
                distribution[slot] += g.n;
            } else {
                previous[slot] += g.n;
            }
        }
    }
    let (n, avg) = average(&distribution);
    let mut by_staff = scores_by(&current, |g| &g.staff, &[]);
    by_staff.sort_by(|a, b| a.key.cmp(&b.key));
    super::model::SatisfactionFigures {
        n,
        average: avg,
        previous_average: average(&previous).1,
        distribution,
        by_month: scores_by(&current, |g| &g.month, months),
        by_tier: scores_by(&current, |g| &g.tier, tiers),
        by_staff,
        lowest: Vec::new(),
    }
}

/// One row per staff member who resolved a complaint, did a visit or got a score in the
/// period.
pub fn staff_rows(
    facts: &[ComplaintFact],
    period: Period,
    hours: &dyn Measure,
    visits_done: &HashMap<String, usize>,
    scores: &[ScoreGroup],
) -> Vec<StaffRow> {
    let mut rows: BTreeMap<String, (Vec<&ComplaintFact>, [usize; 5])> = BTreeMap::new();
    for f in facts
        .iter()
        .filter(|f| f.resolved.is_some_and(|t| period.contains(t.date())))
    {
        rows.entry(f.handler.clone()).or_default().0.push(f);
    }
    for g in scores.iter().filter(|g| g.current) {
        if let Some(slot) = usize::try_from(g.score - 1).ok().filter(|i| *i < 5) {
            rows.entry(g.staff.clone()).or_default().1[slot] += g.n;
        }
    }
    for staff in visits_done.keys() {
        rows.entry(staff.clone()).or_default();
    }
    rows.into_iter()
        .map(|(staff, (resolved, d))| {
            let (n, avg) = average(&d);
            let owned: Vec<ComplaintFact> = resolved.iter().map(|f| (*f).clone()).collect();
            StaffRow {
                complaints_resolved: resolved.len(),
                resolution_time: spread(resolved.iter().filter_map(|f| f.resolution_minutes(hours)).collect()),
                resolution_met: deadline_share(&owned, |_| true, ComplaintFact::resolution_met),
                visits_done: visits_done.get(&staff).copied().unwrap_or(0),
                satisfaction: Score {
                    key: staff.clone(),
                    n,
                    average: avg,
                },
                staff,
            }
        })
        .collect()
}
