//! The manager's review: the dashboard of a period and the records behind each figure,
//! composed from the review's reads, the complaint settings and the customer index.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveTime};

use super::App;
use crate::customers::Tier;
use crate::error::{Error, FieldError, Result};
use crate::kernel::time::{format_date, local_to_ts, parse_date};
use crate::review::figures::{self, bars, complaint_scores, per_100, share, ComplaintFact, ComplaintInput, Met};
use crate::review::model::{
    ChurnFigures, Dashboard, Drill, DrillKind, DrillPage, NeedsMe, Period, ReviewQuery, StaffVisits, TierChurn,
    VisitFigures, DRILL_LIMIT,
};
use crate::review::repo::{self, Filters};

/// The longest custom period (ten years), so one query cannot read forever.
const MAX_DAYS: i64 = 3660;
/// How many rows the dashboard's lists show.
const LIST: usize = 10;

const SEVERITIES: [&str; 4] = ["urgent", "high", "normal", "low"];
const CHANNELS: [&str; 7] = ["phone", "in_person", "letter", "fax", "online", "wechat", "other"];
const CHURN_TYPES: [&str; 4] = ["natural", "malicious", "competitor", "fault"];

fn keyed(keys: &[&str], prefix: &str) -> Vec<(String, String)> {
    keys.iter().map(|k| (k.to_string(), format!("{prefix}{k}"))).collect()
}

/// The UTC instant a local day begins.
fn day_start(d: NaiveDate) -> String {
    local_to_ts(d.and_time(NaiveTime::MIN))
}

/// The UTC instant just after a local day ends.
fn day_end(d: NaiveDate) -> String {
    day_start(d.checked_add_days(Days::new(1)).unwrap_or(d))
}

/// The periods a query asks for: the period and the one it is compared with.
pub fn periods(q: &ReviewQuery, today: NaiveDate) -> Result<(Period, Period)> {
    let period = match Period::preset(q.preset, today) {
        Some(p) => p,
        None => {
            let mut errors = Vec::new();
            let from = parse_date(&q.from)
                .map_err(|c| errors.push(FieldError::new("from", c)))
                .ok();
            let to = parse_date(&q.to)
                .map_err(|c| errors.push(FieldError::new("to", c)))
                .ok();
            if let (Some(from), Some(to)) = (from, to) {
                if to < from {
                    errors.push(FieldError::new("to", "before_from"));
                } else if (to - from).num_days() >= MAX_DAYS {
                    errors.push(FieldError::new("to", "period_too_long"));
                }
            }
            match (from, to) {
                (Some(from), Some(to)) if errors.is_empty() => Period { from, to },
                _ => return Err(Error::Invalid(errors)),
            }
        }
    };
    Ok((period, period.previous(q.preset)))
}

fn filters(q: &ReviewQuery) -> Result<Filters> {
    if let Some(t) = &q.tier {
        if Tier::parse(t).is_none() {
            return Err(Error::Invalid(vec![FieldError::new("tier", "invalid_choice")]));
        }
    }
    Ok(Filters {
        tier: q.tier.clone(),
        category_id: q.category_id,
        staff: q.staff.clone().filter(|s| !s.is_empty()),
    })
}

fn tier_keys() -> Vec<String> {
    Tier::ALL.iter().map(|t| t.as_str().to_string()).collect()
}

/// What the dashboard reads on the app's own connection while the complaints are read on
/// the other core.
struct OtherReads {
    scores: Vec<figures::ScoreGroup>,
    groups: Vec<repo::VisitGroup>,
    active: HashMap<String, usize>,
    at_start: HashMap<String, usize>,
    categories: Vec<(String, String)>,
    lowest: Vec<crate::review::model::LowScore>,
    overdue_now: usize,
    losses: Vec<repo::Loss>,
    reasons: Vec<(String, String)>,
    urgent: Vec<crate::review::model::UrgentComplaint>,
    overdue_reminders: HashMap<String, usize>,
    vip_low: Vec<crate::review::model::LowScore>,
    /// The second half of the complaints.
    facts: Vec<ComplaintFact>,
}

impl App {
    /// Every figure of the manager's dashboard for a period and its filters.
    pub fn dashboard(&self, q: &ReviewQuery) -> Result<Dashboard> {
        let now = self.now_local();
        let (period, previous) = periods(q, now.date())?;
        let f = filters(q)?;
        let hours = self.complaint_settings()?.schedule;
        let (past_max, tiers, created, created_before) = {
            let index = self.customer_index()?;
            let by_key = |m: HashMap<Tier, usize>| -> HashMap<String, usize> {
                m.into_iter().map(|(t, n)| (t.as_str().to_string(), n)).collect()
            };
            (
                index.past_max_by_tier(&self.query_context()?),
                index.tiers(),
                by_key(index.created_by_tier(period.to)),
                by_key(index.created_by_tier(previous.to)),
            )
        };
        let tier_of = |id| tiers.get(id).map(Tier::as_str);
        let (since, split, end) = (day_start(previous.from), day_start(period.from), day_end(period.to));

        // The complaints (the biggest read) in two halves by id: the first on the kept
        // reader on the other core, the second here after every other read (all short now).
        let (first_id, last_id) = repo::complaint_id_bounds(self.held()?.db())?;
        let mid = first_id + (last_id - first_id) / 2;
        let complaint_side =
            || -> Result<_> { self.with_reader(|db| repo::complaint_facts(db, &since, &f, &tier_of, (first_id, mid))) };
        let other_side = || -> Result<_> {
            let held = self.held()?;
            let conn = held.db();
            let tier = f.tier.as_deref();
            Ok(OtherReads {
                scores: repo::visit_scores(
                    conn,
                    &format_date(previous.from),
                    &format_date(period.from),
                    &format_date(period.to),
                    &f,
                )?,
                groups: repo::visit_groups(conn, &format_date(period.from), &format_date(period.to), &f)?,
                active: repo::active_by_tier(conn, &end, &format_date(period.to), tier, created)?,
                at_start: repo::active_by_tier(conn, &split, &format_date(previous.to), tier, created_before)?,
                categories: repo::list_category_labels(conn)?,
                lowest: repo::list_low_scores(conn, &split, &end, &f, &tier_of, LIST)?,
                overdue_now: repo::count_overdue_visits(conn, &format_date(now.date()), &f)?,
                losses: repo::list_losses(conn, &format_date(previous.from), tier)?,
                reasons: repo::list_reason_labels(conn)?,
                urgent: repo::list_urgent_complaints(conn, LIST * 2)?,
                overdue_reminders: repo::count_overdue_reminders(conn, &self.now_ts())?,
                vip_low: repo::list_vip_low(conn, &tier_of, LIST)?,
                facts: repo::complaint_facts(conn, &since, &f, &tier_of, (mid.saturating_add(1), i64::MAX))?,
            })
        };
        let (side, here) = std::thread::scope(|scope| {
            let side = scope.spawn(complaint_side);
            let here = other_side();
            (side.join(), here)
        });
        let OtherReads {
            mut scores,
            groups,
            active,
            at_start,
            categories,
            lowest,
            overdue_now,
            losses,
            reasons,
            urgent,
            overdue_reminders,
            vip_low,
            facts: later,
        } = here?;
        let mut facts = side.map_err(|_| Error::Internal("the complaint figures failed".into()))??;
        facts.extend(later);
        // Business time laid out once over the days the complaints span.
        let first = facts.iter().map(|c| c.received.date()).min().unwrap_or(previous.from);
        let hours = hours.timetable(first, now.date().max(period.to));
        let complaints = figures::complaint_figures(&ComplaintInput {
            facts: &facts,
            period,
            previous,
            now,
            hours: &hours,
            active: active.values().sum(),
            previous_active: at_start.values().sum(),
            categories: &categories,
            severities: &keyed(&SEVERITIES, "severity."),
            channels: &keyed(&CHANNELS, "cchannel."),
        });
        scores.extend(complaint_scores(&facts, period, previous));
        let mut satisfaction = figures::satisfaction_figures(&scores, &period.months(), &tier_keys());
        satisfaction.lowest = lowest;

        let mut by_staff: HashMap<String, StaffVisits> = HashMap::new();
        for g in &groups {
            let s = by_staff.entry(g.staff.clone()).or_insert_with(|| StaffVisits {
                staff: g.staff.clone(),
                ..Default::default()
            });
            s.planned += g.n;
            if g.done {
                s.done += g.n;
                s.reached += if g.reached { g.n } else { 0 };
                s.late += if g.on_time { 0 } else { g.n };
            }
        }
        let sum = |p: fn(&repo::VisitGroup) -> bool| groups.iter().filter(|g| p(g)).map(|g| g.n).sum::<usize>();
        let done = sum(|g| g.done);
        let mut staff_visits: Vec<StaffVisits> = by_staff.into_values().collect();
        staff_visits.sort_by(|a, b| a.staff.cmp(&b.staff));
        let visits_done: HashMap<String, usize> = staff_visits.iter().map(|s| (s.staff.clone(), s.done)).collect();
        let past_interval = Tier::ALL
            .iter()
            .filter(|t| f.tier.as_deref().is_none_or(|x| x == t.as_str()))
            .map(|t| crate::review::model::Bar {
                key: t.as_str().into(),
                label: format!("tier.{}", t.as_str()),
                count: past_max.get(t).copied().unwrap_or(0),
            })
            .collect();
        let visits = VisitFigures {
            planned: sum(|_| true),
            done,
            reached: share(sum(|g| g.done && g.reached), done),
            on_time: sum(|g| g.done && g.on_time),
            late: sum(|g| g.done && !g.on_time),
            overdue_now,
            by_staff: staff_visits,
            past_interval,
        };

        let churn = churn_figures(&losses, period, previous, &at_start, &reasons);
        let staff = figures::staff_rows(&facts, period, &hours, &visits_done, &scores);

        let needs_me = NeedsMe {
            complaints: urgent,
            overdue_reminders: {
                let mut v: Vec<_> = overdue_reminders
                    .into_iter()
                    .map(|(staff, count)| crate::review::model::Bar {
                        label: staff.clone(),
                        key: staff,
                        count,
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
                v
            },
            vip_low,
        };
        Ok(Dashboard {
            period,
            previous,
            complaints,
            satisfaction,
            visits,
            churn,
            staff,
            needs_me,
        })
    }

    /// The records one figure counts (at most `DRILL_LIMIT`, newest first, and how many).
    pub fn review_drill(&self, d: &Drill) -> Result<DrillPage> {
        self.review_drill_limited(d, DRILL_LIMIT)
    }

    /// The records one figure counts, at most `limit` of them.
    pub(super) fn review_drill_limited(&self, d: &Drill, limit: usize) -> Result<DrillPage> {
        let now = self.now_local();
        let (period, _) = periods(&d.query, now.date())?;
        let mut f = filters(&d.query)?;
        let tiers = self.customer_index()?.tiers();
        let tier_of = |id| tiers.get(id).map(Tier::as_str);
        let held = self.held()?;
        let conn = held.db();
        let (start, end) = (day_start(period.from), day_end(period.to));
        let bad_key = || Error::Invalid(vec![FieldError::new("key", "invalid_choice")]);
        match d.kind {
            DrillKind::Complaints if matches!(d.by.as_str(), "" | "category" | "severity" | "channel" | "month") => {
                // Received in the period (or the month asked): straight from the index.
                let (mut since, mut until) = (start.clone(), end.clone());
                if d.by == "month" {
                    let first =
                        NaiveDate::parse_from_str(&format!("{}-01", d.key), "%Y-%m-%d").map_err(|_| bad_key())?;
                    let next = first.checked_add_months(chrono::Months::new(1)).ok_or_else(bad_key)?;
                    since = since.max(day_start(first));
                    until = until.min(day_start(next));
                }
                let category_id = match d.by.as_str() {
                    "category" => Some(d.key.parse::<i64>().map_err(|_| bad_key())?),
                    _ => None,
                };
                let key = |by: &str| (d.by == by).then_some(d.key.as_str());
                let ids = repo::list_received(
                    conn,
                    &repo::Received {
                        since: &since,
                        until: &until,
                        category_id,
                        severity: key("severity"),
                        channel: key("channel"),
                    },
                    &f,
                    &tier_of,
                )?;
                Ok(DrillPage {
                    total: ids.len(),
                    rows: repo::list_complaint_rows(conn, &ids[..ids.len().min(limit)])?,
                })
            }
            DrillKind::Complaints => {
                let facts = repo::complaint_facts(conn, &start, &f, &tier_of, (i64::MIN, i64::MAX))?;
                let pick: Box<dyn Fn(&ComplaintFact) -> bool> = match d.by.as_str() {
                    "" => Box::new(|c| c.received_in(period)),
                    "category" => {
                        let id: i64 = d.key.parse().map_err(|_| bad_key())?;
                        Box::new(move |c| c.received_in(period) && c.category_id == id)
                    }
                    "severity" => Box::new(|c| c.received_in(period) && c.severity == d.key),
                    "channel" => Box::new(|c| c.received_in(period) && c.channel == d.key),
                    "month" => Box::new(|c| c.received_in(period) && figures::month_key(c.received.date()) == d.key),
                    "age" => Box::new(move |c| c.is_open && c.age_bucket(now) == d.key),
                    "escalated" => Box::new(|c| c.is_open && c.escalation_level > 0),
                    "breached" => Box::new(|c| c.is_open && (c.response_breached || c.resolution_breached)),
                    "response_missed" => Box::new(|c| c.response_counts_in(period) && c.response_met() == Met::Missed),
                    "resolution_missed" => {
                        Box::new(|c| c.resolution_counts_in(period) && c.resolution_met() == Met::Missed)
                    }
                    "staff" => {
                        Box::new(|c| c.resolved.is_some_and(|t| period.contains(t.date())) && c.handler == d.key)
                    }
                    _ => return Err(Error::Invalid(vec![FieldError::new("by", "invalid_choice")])),
                };
                let mut picked: Vec<&ComplaintFact> = facts.iter().filter(|c| pick(c)).collect();
                picked.sort_by(|a, b| b.received.cmp(&a.received).then(b.id.cmp(&a.id)));
                let ids: Vec<i64> = picked.iter().take(limit).map(|c| c.id).collect();
                Ok(DrillPage {
                    total: picked.len(),
                    rows: repo::list_complaint_rows(conn, &ids)?,
                })
            }
            DrillKind::Scores => {
                let (mut since, mut until, mut score) = (start, end, None);
                match d.by.as_str() {
                    "" => {}
                    "score" => score = Some(d.key.parse::<i64>().map_err(|_| bad_key())?),
                    "tier" => f.tier = Some(d.key.clone()),
                    "staff" => f.staff = Some(d.key.clone()),
                    "month" => {
                        let first =
                            NaiveDate::parse_from_str(&format!("{}-01", d.key), "%Y-%m-%d").map_err(|_| bad_key())?;
                        let next = first.checked_add_months(chrono::Months::new(1)).ok_or_else(bad_key)?;
                        since = since.max(day_start(first));
                        until = until.min(day_start(next));
                    }
                    _ => return Err(Error::Invalid(vec![FieldError::new("by", "invalid_choice")])),
                }
                let (total, rows) = repo::list_score_rows(conn, &since, &until, &f, score, limit)?;
                Ok(DrillPage { rows, total })
            }
            DrillKind::Visits => {
                match d.by.as_str() {
                    "" => {}
                    "staff" => f.staff = Some(d.key.clone()),
                    _ => return Err(Error::Invalid(vec![FieldError::new("by", "invalid_choice")])),
                }
                let (total, rows) =
                    repo::list_visit_rows(conn, &format_date(period.from), &format_date(period.to), &f, limit)?;
                Ok(DrillPage { rows, total })
            }
            DrillKind::Lost => {
                let all = repo::list_loss_rows(
                    conn,
                    &format_date(period.from),
                    &format_date(period.to),
                    f.tier.as_deref(),
                    usize::MAX >> 1,
                )?;
                let keep = |l: &repo::Loss| match d.by.as_str() {
                    "" => Ok(true),
                    "type" => Ok(l.churn_type == d.key),
                    "reason" => Ok(l.reason_id.map(|r| r.to_string()).unwrap_or_default() == d.key),
                    "tier" => Ok(l.tier == d.key),
                    _ => Err(Error::Invalid(vec![FieldError::new("by", "invalid_choice")])),
                };
                let mut rows = Vec::new();
                for (l, row) in all {
                    if keep(&l)? {
                        rows.push(row);
                    }
                }
                let total = rows.len();
                rows.truncate(limit);
                Ok(DrillPage { rows, total })
            }
        }
    }
}

/// The churn figures from the losses recorded or won back since the previous period began.
pub fn churn_figures(
    losses: &[repo::Loss],
    period: Period,
    previous: Period,
    active_at_start: &HashMap<String, usize>,
    reasons: &[(String, String)],
) -> ChurnFigures {
    let in_p = |d: &str, p: Period| parse_date(d).is_ok_and(|d| p.contains(d));
    let lost: Vec<&repo::Loss> = losses.iter().filter(|l| in_p(&l.lost_on, period)).collect();
    let mut by_type: HashMap<String, usize> = HashMap::new();
    let mut by_reason: HashMap<String, usize> = HashMap::new();
    let mut by_tier: HashMap<String, usize> = HashMap::new();
    for l in &lost {
        *by_type.entry(l.churn_type.clone()).or_default() += 1;
        *by_reason
            .entry(l.reason_id.map(|r| r.to_string()).unwrap_or_default())
            .or_default() += 1;
        *by_tier.entry(l.tier.clone()).or_default() += 1;
    }
    by_reason.retain(|k, _| !k.is_empty());
    let base: usize = active_at_start.values().sum();
    ChurnFigures {
        lost: lost.len(),
        previous_lost: losses.iter().filter(|l| in_p(&l.lost_on, previous)).count(),
        rate: per_100(lost.len(), base),
        by_type: bars(by_type, &keyed(&CHURN_TYPES, "churn.type.")),
        by_reason: bars(by_reason, reasons),
        by_tier: Tier::ALL
            .iter()
            .map(|t| {
                let (lost, active) = (
                    by_tier.get(t.as_str()).copied().unwrap_or(0),
                    active_at_start.get(t.as_str()).copied().unwrap_or(0),
                );
                TierChurn {
                    tier: t.as_str().into(),
                    lost,
                    active_at_start: active,
                    rate: per_100(lost, active),
                }
            })
            .collect(),
        won_back: losses
            .iter()
            .filter(|l| l.won_back_on.as_deref().is_some_and(|d| in_p(d, period)))
            .count(),
    }
}
