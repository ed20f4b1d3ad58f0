//! All of the review's SQL, on either store ([`Db`]): reads over the other capabilities'
//! tables and over its own day counts of return visits (kept by triggers: the desk's
//! migration 0009, the server's 0003). Times come back as local wall-clock times; the
//! filters (tier, category, staff) apply here. The reads of many rows (the complaints'
//! facts, the direct counts, the low scores) keep a desk fast path that reads each value
//! in place; the server streams the same statement.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::params;

use super::figures::{ComplaintFact, ScoreGroup};
use super::model::{DrillRow, LowScore, UrgentComplaint};
use crate::error::{Error, Result};
use crate::kernel::time::ToLocal;
use crate::store::db::{self, Db, Param, Row};

/// The filters of a review query, as SQL parameters (`None`: any).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub tier: Option<String>,
    pub category_id: Option<i64>,
    pub staff: Option<String>,
}

fn local(to: &mut ToLocal, r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(|t| to.convert(t)),
        _ => None,
    })
}

/// A customer's tier by id (from the in-memory customer index: joining the wide customer
/// rows for it costs more than every other read of the dashboard).
pub type TierOf<'a> = &'a dyn Fn(i64) -> Option<&'static str>;

const SEVERITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
const CHANNELS: [&str; 7] = ["phone", "in_person", "letter", "fax", "online", "wechat", "other"];

/// A column's value among the ones the schema allows (it checks them), without a copy.
fn known(v: rusqlite::types::ValueRef<'_>, all: &[&'static str]) -> &'static str {
    known_text(v.as_str().unwrap_or_default(), all)
}

fn known_text(s: &str, all: &[&'static str]) -> &'static str {
    all.iter().find(|k| **k == s).copied().unwrap_or("")
}

/// The join of a loss to its customer: `CROSS JOIN` pins SQLite's order (the few losses
/// first); the server plans its own and knows only `JOIN … ON`.
fn customer_join(db: &Db<'_>) -> &'static str {
    if db.is_server() {
        "JOIN"
    } else {
        "CROSS JOIN"
    }
}

/// The optional filters' parameters are cast where they are first tested for NULL: the
/// server types a parameter where it first meets it, and a bare `?2 IS NULL` tells it nothing.
const FACTS: &str = "SELECT k.id, k.customer_id, k.category_id, k.severity, k.channel, k.handler,
                k.received_at, k.first_response_at, k.resolved_at, k.closed_at, k.response_due, k.resolution_due,
                k.response_breached_at IS NOT NULL, k.resolution_breached_at IS NOT NULL, k.paused_minutes,
                k.is_open, k.escalation_level, k.remedy_kind IS NOT NULL, coalesce(k.remedy_amount_cents, 0),
                k.satisfaction
         FROM complaints k
         WHERE (k.received_at >= ?1 OR k.is_open = 1 OR k.first_response_at >= ?1 OR k.resolved_at >= ?1
                OR k.closed_at >= ?1 OR k.response_due >= ?1 OR k.resolution_due >= ?1)
           AND k.state != 'duplicate' AND (CAST(?2 AS bigint) IS NULL OR k.category_id = ?2)
           AND (CAST(?3 AS text) IS NULL OR k.handler = ?3)
           AND k.id BETWEEN ?4 AND ?5";

/// Complaints that matter to a period starting at `since` (UTC): received, answered,
/// resolved or closed since, or still open.
pub fn complaint_facts<'a>(
    db: impl Into<Db<'a>>,
    since: &str,
    f: &Filters,
    tier_of: TierOf<'_>,
    ids: (i64, i64),
) -> Result<Vec<ComplaintFact>> {
    let mut to = ToLocal::default();
    let mut out = Vec::new();
    let mut keep = |fact: ComplaintFact| {
        if f.tier.as_deref().is_none_or(|t| t == fact.tier) {
            out.push(fact);
        }
    };
    match db.into() {
        // The dashboard's biggest read: every value read in place.
        Db::Desk(conn) => {
            let mut stmt = conn.prepare_cached(FACTS)?;
            let rows = stmt.query_map(params![since, f.category_id, f.staff, ids.0, ids.1], |r| {
                let mut local = |i| local(&mut to, r, i);
                let customer_id: i64 = r.get(1)?;
                Ok(ComplaintFact {
                    id: r.get(0)?,
                    customer_id,
                    tier: tier_of(customer_id).unwrap_or_default(),
                    category_id: r.get(2)?,
                    severity: known(r.get_ref(3)?, &SEVERITIES),
                    channel: known(r.get_ref(4)?, &CHANNELS),
                    handler: r.get(5)?,
                    received: local(6)?.unwrap_or_default(),
                    first_response: local(7)?,
                    resolved: local(8)?,
                    closed: local(9)?,
                    response_due: local(10)?,
                    resolution_due: local(11)?,
                    response_breached: r.get(12)?,
                    resolution_breached: r.get(13)?,
                    paused_minutes: r.get(14)?,
                    is_open: r.get(15)?,
                    escalation_level: r.get(16)?,
                    remedy: r.get(17)?,
                    remedy_cents: r.get(18)?,
                    satisfaction: r.get(19)?,
                })
            })?;
            for fact in rows {
                keep(fact?);
            }
        }
        db => db.for_each(FACTS, &[&since, &f.category_id, &f.staff, &ids.0, &ids.1], |r| {
            let mut local =
                |i| -> Result<Option<NaiveDateTime>> { Ok(r.get::<Option<String>>(i)?.and_then(|t| to.convert(&t))) };
            let customer_id: i64 = r.get(1)?;
            keep(ComplaintFact {
                id: r.get(0)?,
                customer_id,
                tier: tier_of(customer_id).unwrap_or_default(),
                category_id: r.get(2)?,
                severity: known_text(&r.get::<String>(3)?, &SEVERITIES),
                channel: known_text(&r.get::<String>(4)?, &CHANNELS),
                handler: r.get(5)?,
                received: local(6)?.unwrap_or_default(),
                first_response: local(7)?,
                resolved: local(8)?,
                closed: local(9)?,
                response_due: local(10)?,
                resolution_due: local(11)?,
                response_breached: r.get(12)?,
                resolution_breached: r.get(13)?,
                paused_minutes: r.get(14)?,
                is_open: r.get(15)?,
                escalation_level: r.get(16)?,
                remedy: r.get(17)?,
                remedy_cents: r.get(18)?,
                satisfaction: r.get(19)?,
            });
            Ok(())
        })?,
    }
    Ok(out)
}

/// The smallest and the largest complaint id (0 and 0 when there is none), to read the
/// complaints in two halves at once.
pub fn complaint_id_bounds<'a>(db: impl Into<Db<'a>>) -> Result<(i64, i64)> {
    let r = db
        .into()
        .query_opt("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM complaints", &[])?
        .ok_or_else(|| Error::Internal("an aggregate returned no row".into()))?;
    Ok((r.get(0)?, r.get(1)?))
}

/// Active customers by tier at the end of a local day whose end is `end` (UTC) and whose
/// date is `day`: created before, not archived then, not lost then. `created` holds those
/// created before, by tier (the customer index counts them in memory; counting 100,000
/// rows here cost more than the rest of the dashboard's reads); the archived and the lost
/// are few, and read here.
pub fn active_by_tier<'a>(
    db: impl Into<Db<'a>>,
    end: &str,
    day: &str,
    tier: Option<&str>,
    created: HashMap<String, usize>,
) -> Result<HashMap<String, usize>> {
    let db = db.into();
    let mut out: HashMap<String, usize> = created
        .into_iter()
        .filter(|(t, _)| tier.is_none_or(|x| x == t))
        .collect();
    let archived = db.query(
        "SELECT tier, count(*) FROM customers INDEXED BY customers_archived
         WHERE archived_at IS NOT NULL AND archived_at < ?1 AND created_at < ?1
           AND (CAST(?2 AS text) IS NULL OR tier = ?2)
         GROUP BY tier",
        &[&end, &tier],
    )?;
    let lost = db.query(
        &format!(
            "SELECT c.tier, count(*) FROM churn h {} customers c ON c.id = h.customer_id
             WHERE h.lost_on <= ?2 AND (h.won_back_on IS NULL OR h.won_back_on > ?2)
               AND c.created_at < ?1 AND (c.archived_at IS NULL OR c.archived_at >= ?1)
               AND (CAST(?3 AS text) IS NULL OR c.tier = ?3)
             GROUP BY c.tier",
            customer_join(&db)
        ),
        &[&end, &day, &tier],
    )?;
    for r in archived.iter().chain(&lost) {
        let (t, n): (String, usize) = (r.get(0)?, r.get(1)?);
        if let Some(v) = out.get_mut(&t) {
            *v = v.saturating_sub(n);
        }
    }
    Ok(out)
}

/// Return visits due in a period (local dates), counted by staff, state, reached and
/// whether they were done by their day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VisitGroup {
    pub staff: String,
    pub done: bool,
    pub reached: bool,
    pub on_time: bool,
    pub n: usize,
}

/// The direct count over the visits, which [`visit_groups`] is held to (tests).
pub fn visit_groups_direct<'a>(
    db: impl Into<Db<'a>>,
    from: &str,
    to: &str,
    f: &Filters,
    tier_of: TierOf<'_>,
) -> Result<Vec<VisitGroup>> {
    // Counted in SQL in the index's own order (no sorting); by customer only when a tier
    // is asked (their tier comes from the customer index).
    let by = if f.tier.is_some() { ", customer_id" } else { "" };
    let sql = format!(
        "SELECT staff, state, coalesce(reached, 0), due_date, completed_at, count(*){by}
         FROM visits INDEXED BY visits_review
         WHERE due_date BETWEEN ?1 AND ?2 AND state IN ('planned', 'done') AND (CAST(?3 AS text) IS NULL OR staff = ?3)
         GROUP BY due_date, state, staff, reached, completed_at{by}"
    );
    let mut to_local = ToLocal::default();
    let mut groups: HashMap<VisitGroup, usize> = HashMap::new();
    let in_tier = |customer_id: i64| f.tier.as_deref().is_none_or(|t| tier_of(customer_id) == Some(t));
    let mut add = |staff: String, state: &str, reached: bool, due: &str, at: &str, n: i64| {
        let done = state == "done";
        let on_time = done
            && to_local
                .convert(at)
                .is_some_and(|t| t.date().to_string().as_str() <= due);
        let key = VisitGroup {
            staff,
            done,
            reached,
            on_time,
            n: 0,
        };
        *groups.entry(key).or_default() += n as usize;
    };
    match db.into() {
        Db::Desk(conn) => {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![from, to, f.staff])?;
            while let Some(r) = rows.next()? {
                if f.tier.is_some() && !in_tier(r.get(6)?) {
                    continue;
                }
                let text = |i| r.get_ref(i).map(|v| v.as_str().unwrap_or_default());
                add(r.get(0)?, text(1)?, r.get(2)?, text(3)?, text(4)?, r.get(5)?);
            }
        }
        db => db.for_each(&sql, &[&from, &to, &f.staff], |r| {
            if f.tier.is_none() || in_tier(r.get(6)?) {
                let at: Option<String> = r.get(4)?;
                add(
                    r.get(0)?,
                    &r.get::<String>(1)?,
                    r.get(2)?,
                    &r.get::<String>(3)?,
                    at.as_deref().unwrap_or_default(),
                    r.get(5)?,
                );
            }
            Ok(())
        })?,
    }
    Ok(groups.into_iter().map(|(g, n)| VisitGroup { n, ..g }).collect())
}

/// Return visits due from `from` to `to` (local dates), counted by staff, state, reached and
/// on time, from the day counts.
pub fn visit_groups<'a>(db: impl Into<Db<'a>>, from: &str, to: &str, f: &Filters) -> Result<Vec<VisitGroup>> {
    db.into()
        .query(
            "SELECT staff, done, reached, on_time, CAST(sum(n) AS BIGINT) FROM review_visit_days
             WHERE due_date BETWEEN ?1 AND ?2 AND (CAST(?3 AS text) IS NULL OR staff = ?3)
               AND (CAST(?4 AS text) IS NULL OR tier = ?4)
             GROUP BY staff, done, reached, on_time HAVING sum(n) > 0",
            &[&from, &to, &f.staff, &f.tier],
        )?
        .iter()
        .map(|r| {
            Ok(VisitGroup {
                staff: r.get(0)?,
                done: r.get(1)?,
                reached: r.get(2)?,
                on_time: r.get(3)?,
                n: r.get(4)?,
            })
        })
        .collect()
}

/// The scores of return visits given from the local day `from` to `to`, from the day
/// counts; those from `split` on belong to the period asked, earlier ones to the one before.
pub fn visit_scores<'a>(
    db: impl Into<Db<'a>>,
    from: &str,
    split: &str,
    to: &str,
    f: &Filters,
) -> Result<Vec<ScoreGroup>> {
    db.into()
        .query(
            "SELECT substr(day, 1, 7), day >= ?2, tier, staff, score, CAST(sum(n) AS BIGINT) FROM review_visit_scores
             WHERE day BETWEEN ?1 AND ?3 AND (CAST(?4 AS text) IS NULL OR staff = ?4)
               AND (CAST(?5 AS text) IS NULL OR tier = ?5)
             GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) > 0",
            &[&from, &split, &to, &f.staff, &f.tier],
        )?
        .iter()
        .map(|r| {
            Ok(ScoreGroup {
                month: r.get(0)?,
                current: r.get(1)?,
                tier: r.get(2)?,
                staff: r.get(3)?,
                score: r.get(4)?,
                n: r.get(5)?,
            })
        })
        .collect()
}

/// Count the return visits' day counts again from the visits (after the machine's time
/// zone changed: the local days of past times moved). On the server, inside the caller's
/// transaction: its views count local days in the zone the transaction names (`fd.zone`),
/// set here to this machine's, as a write's context sets it.
pub fn recount_visit_days<'a>(db: impl Into<Db<'a>>) -> Result<()> {
    let db = db.into();
    if db.is_server() {
        db.execute(
            "SELECT set_config('fd.zone', ?1, true)",
            &[&crate::kernel::time::zone_name()],
        )?;
    }
    db.batch(
        "DELETE FROM review_visit_days;
         DELETE FROM review_visit_scores;
         INSERT INTO review_visit_days
         SELECT due_date, staff, tier, done, reached, on_time, count(*) FROM review_visit_day_keys
         GROUP BY due_date, staff, tier, done, reached, on_time;
         INSERT INTO review_visit_scores
         SELECT day, staff, tier, score, count(*) FROM review_visit_score_keys
         WHERE day IS NOT NULL GROUP BY day, staff, tier, score;",
    )
}

/// Planned visits due before `today` (local date) and not done.
pub fn count_overdue_visits<'a>(db: impl Into<Db<'a>>, today: &str, f: &Filters) -> Result<usize> {
    db.into().count(
        "SELECT count(*) FROM visits v
             WHERE v.state = 'planned' AND v.due_date < ?1 AND (CAST(?3 AS text) IS NULL OR v.staff = ?3)
               AND (CAST(?2 AS text) IS NULL OR v.customer_id IN (SELECT id FROM customers WHERE tier = ?2))",
        &[&today, &f.tier, &f.staff],
    )
}

/// The direct count over the visits, which [`visit_scores`] is held to (tests): the scores
/// of reached return visits done between `since` and `end` (UTC); `split` is where the
/// period asked begins (earlier ones belong to the period before).
pub fn visit_scores_direct<'a>(
    db: impl Into<Db<'a>>,
    since: &str,
    split: &str,
    end: &str,
    f: &Filters,
    tier_of: TierOf<'_>,
) -> Result<Vec<ScoreGroup>> {
    const SQL: &str = "SELECT completed_at, customer_id, staff, satisfaction FROM visits INDEXED BY visits_scored
         WHERE satisfaction IS NOT NULL AND completed_at >= ?1 AND completed_at < ?2
           AND (CAST(?3 AS text) IS NULL OR staff = ?3)";
    // Counted under small keys (the rows come in time order: the month is worked out again
    // only when the minute changes; staff names are kept once each).
    let mut to_local = ToLocal::default();
    let mut staff: Vec<String> = Vec::new();
    let mut months: Vec<String> = Vec::new();
    let mut last: (String, usize) = (String::new(), 0);
    let mut counts: HashMap<(bool, usize, &'static str, usize, i64), usize> = HashMap::new();
    let mut add = |at: &str, customer_id: i64, name: &str, score: i64| {
        let tier = tier_of(customer_id).unwrap_or_default();
        if f.tier.as_deref().is_some_and(|t| t != tier) {
            return;
        }
        let minute = at.get(..16).unwrap_or(at);
        if last.0 != minute || months.is_empty() {
            let Some(local) = to_local.convert(at) else { return };
            let month = crate::review::figures::month_key(local.date());
            let m = match months.iter().position(|x| *x == month) {
                Some(m) => m,
                None => {
                    months.push(month);
                    months.len() - 1
                }
            };
            last = (minute.to_string(), m);
        }
        let who = match staff.iter().position(|x| x == name) {
            Some(i) => i,
            None => {
                staff.push(name.to_string());
                staff.len() - 1
            }
        };
        *counts.entry((at >= split, last.1, tier, who, score)).or_default() += 1;
    };
    match db.into() {
        // A year of scores: each time and name read in place.
        Db::Desk(conn) => {
            let mut stmt = conn.prepare_cached(SQL)?;
            let mut rows = stmt.query(params![since, end, f.staff])?;
            while let Some(r) = rows.next()? {
                let at = r.get_ref(0)?.as_str().unwrap_or_default();
                let name = r.get_ref(2)?.as_str().unwrap_or_default();
                add(at, r.get(1)?, name, r.get(3)?);
            }
        }
        db => db.for_each(SQL, &[&since, &end, &f.staff], |r| {
            add(&r.get::<String>(0)?, r.get(1)?, &r.get::<String>(2)?, r.get(3)?);
            Ok(())
        })?,
    }
    Ok(counts
        .into_iter()
        .map(|((current, m, tier, who, score), n)| ScoreGroup {
            current,
            month: months[m].clone(),
            tier: tier.to_string(),
            staff: staff[who].clone(),
            score,
            n,
        })
        .collect())
}

/// The scores given at return visits and at complaint closings between `?1` and `?2` (UTC),
/// with the filters; the derived table is named, as the server wants.
const SCORES: &str = "SELECT customer_id, name, tier, score, source, record_id, at FROM (
      SELECT v.customer_id, c.name, c.tier, v.satisfaction AS score, 'visit' AS source, v.id AS record_id,
             v.completed_at AS at, v.staff AS staff
      FROM visits v JOIN customers c ON c.id = v.customer_id
      WHERE v.satisfaction IS NOT NULL AND v.completed_at >= ?1 AND v.completed_at < ?2
      UNION ALL
      SELECT k.customer_id, c.name, c.tier, k.satisfaction, 'complaint', k.id, k.closed_at, k.handler
      FROM complaints k JOIN customers c ON c.id = k.customer_id
      WHERE k.satisfaction IS NOT NULL AND k.closed_at >= ?1 AND k.closed_at < ?2) AS s
    WHERE (CAST(?3 AS text) IS NULL OR tier = ?3) AND (CAST(?4 AS text) IS NULL OR staff = ?4)
      AND (CAST(?5 AS bigint) IS NULL OR score = ?5)";

fn score_row(r: &Row) -> Result<LowScore> {
    Ok(LowScore {
        customer_id: r.get(0)?,
        customer_name: r.get(1)?,
        tier: r.get(2)?,
        score: r.get(3)?,
        source: r.get(4)?,
        record_id: r.get(5)?,
        at: r.get(6)?,
    })
}

/// Low scores (1 and 2) given between `since` and `end` (UTC), newest first; with
/// `last_only`, only those no later score of the same customer followed.
const LOW: &str = "SELECT v.customer_id, v.satisfaction, 'visit', v.id, v.completed_at, v.staff
      FROM visits v INDEXED BY visits_low
      WHERE v.satisfaction <= 2 AND v.completed_at >= ?1 AND v.completed_at < ?2
        AND (?3 = 0 OR (NOT EXISTS (SELECT 1 FROM visits w INDEXED BY visits_scored_customer
                                    WHERE w.customer_id = v.customer_id AND w.satisfaction IS NOT NULL AND w.completed_at > v.completed_at)
                        AND NOT EXISTS (SELECT 1 FROM complaints w INDEXED BY complaints_scored_customer
                                    WHERE w.customer_id = v.customer_id AND w.satisfaction IS NOT NULL AND w.closed_at > v.completed_at)))
    UNION ALL
    SELECT k.customer_id, k.satisfaction, 'complaint', k.id, k.closed_at, k.handler
      FROM complaints k INDEXED BY complaints_low
      WHERE k.satisfaction <= 2 AND k.closed_at >= ?1 AND k.closed_at < ?2
        AND (?3 = 0 OR (NOT EXISTS (SELECT 1 FROM visits w INDEXED BY visits_scored_customer
                                    WHERE w.customer_id = k.customer_id AND w.satisfaction IS NOT NULL AND w.completed_at > k.closed_at)
                        AND NOT EXISTS (SELECT 1 FROM complaints w INDEXED BY complaints_scored_customer
                                    WHERE w.customer_id = k.customer_id AND w.satisfaction IS NOT NULL AND w.closed_at > k.closed_at)))
    ORDER BY 5 DESC";

fn list_low(
    db: Db<'_>,
    since: &str,
    end: &str,
    last_only: bool,
    keep: impl Fn(i64, &str) -> bool,
    limit: usize,
) -> Result<Vec<LowScore>> {
    let mut picked: Vec<(i64, i64, String, i64, String)> = Vec::new();
    match db {
        // Read until enough are kept (all of the desk's history for the VIPs).
        Db::Desk(conn) => {
            let mut stmt = conn.prepare_cached(LOW)?;
            let mut rows = stmt.query(params![since, end, last_only])?;
            while let Some(r) = rows.next()? {
                let (customer_id, staff): (i64, String) = (r.get(0)?, r.get(5)?);
                if keep(customer_id, &staff) {
                    picked.push((customer_id, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
                    if picked.len() == limit {
                        break;
                    }
                }
            }
        }
        db => {
            let mut full = false;
            db.for_each(LOW, &[&since, &end, &last_only], |r| {
                let (customer_id, staff): (i64, String) = (r.get(0)?, r.get(5)?);
                if !full && keep(customer_id, &staff) {
                    picked.push((customer_id, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
                    full = picked.len() == limit;
                }
                Ok(())
            })?;
        }
    }
    let mut out = Vec::with_capacity(picked.len());
    for (customer_id, score, source, record_id, at) in picked {
        let r = db
            .query_opt("SELECT name, tier FROM customers WHERE id = ?1", &[&customer_id])?
            .ok_or(Error::NotFound {
                entity: "customer",
                id: customer_id,
            })?;
        out.push(LowScore {
            customer_id,
            customer_name: r.get(0)?,
            tier: r.get(1)?,
            score,
            source,
            record_id,
            at,
        });
    }
    Ok(out)
}

/// The lowest scores (1 and 2) given between `since` and `end` (UTC), newest first.
pub fn list_low_scores<'a>(
    db: impl Into<Db<'a>>,
    since: &str,
    end: &str,
    f: &Filters,
    tier_of: TierOf<'_>,
    limit: usize,
) -> Result<Vec<LowScore>> {
    let keep = |id: i64, staff: &str| {
        f.tier.as_deref().is_none_or(|t| tier_of(id) == Some(t)) && f.staff.as_deref().is_none_or(|s| s == staff)
    };
    list_low(db.into(), since, end, false, keep, limit)
}

/// VIP customers (not archived) whose latest score is 1 or 2.
pub fn list_vip_low<'a>(db: impl Into<Db<'a>>, tier_of: TierOf<'_>, limit: usize) -> Result<Vec<LowScore>> {
    list_low(db.into(), "", "9999", true, |id, _| tier_of(id) == Some("vip"), limit)
}

/// Open complaints at the top of the escalation ladder or past a deadline, oldest first.
pub fn list_urgent_complaints<'a>(db: impl Into<Db<'a>>, limit: usize) -> Result<Vec<UrgentComplaint>> {
    db.into()
        .query(
            "SELECT k.id, k.serial, k.customer_id, c.name, k.summary, k.handler, k.escalation_level,
                    k.response_breached_at IS NOT NULL OR k.resolution_breached_at IS NOT NULL, k.received_at
             FROM complaints k INDEXED BY complaints_urgent JOIN customers c ON c.id = k.customer_id
             WHERE k.is_open = 1 AND (k.escalation_level >= 3 OR k.response_breached_at IS NOT NULL
                                      OR k.resolution_breached_at IS NOT NULL)
             ORDER BY k.escalation_level DESC, k.received_at LIMIT ?1",
            &[&limit],
        )?
        .iter()
        .map(|r| {
            Ok(UrgentComplaint {
                id: r.get(0)?,
                serial: r.get(1)?,
                customer_id: r.get(2)?,
                customer_name: r.get(3)?,
                summary: r.get(4)?,
                handler: r.get(5)?,
                escalation_level: r.get(6)?,
                breached: r.get(7)?,
                received_at: r.get(8)?,
            })
        })
        .collect()
}

/// Reminders past due at `now` (UTC) and not done, by the staff they are for.
pub fn count_overdue_reminders<'a>(db: impl Into<Db<'a>>, now: &str) -> Result<HashMap<String, usize>> {
    db.into()
        .query(
            "SELECT staff, count(*) FROM reminders
             WHERE state IN ('pending', 'fired', 'snoozed') AND due_at < ?1 GROUP BY staff",
            &[&now],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect()
}

/// One loss, as the churn figures need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loss {
    pub lost_on: String,
    pub won_back_on: Option<String>,
    pub churn_type: String,
    pub reason_id: Option<i64>,
    pub tier: String,
}

fn loss_of(r: &Row) -> Result<Loss> {
    Ok(Loss {
        lost_on: r.get(0)?,
        won_back_on: r.get(1)?,
        churn_type: r.get(2)?,
        reason_id: r.get(3)?,
        tier: r.get(4)?,
    })
}

/// Losses recorded or won back from `from` (local date) on.
pub fn list_losses<'a>(db: impl Into<Db<'a>>, from: &str, tier: Option<&str>) -> Result<Vec<Loss>> {
    let db = db.into();
    let sql = format!(
        "SELECT h.lost_on, h.won_back_on, h.type, h.reason_id, c.tier
         FROM churn h {} customers c ON c.id = h.customer_id
         WHERE (h.lost_on >= ?1 OR h.won_back_on >= ?1) AND (CAST(?2 AS text) IS NULL OR c.tier = ?2)",
        customer_join(&db)
    );
    db.query(&sql, &[&from, &tier])?.iter().map(loss_of).collect()
}

/// `(key, label)` of each row of a list of choices: the built-in code (as `{prefix}{code}`),
/// else the user's name.
fn labels(db: Db<'_>, table: &str, prefix: &str) -> Result<Vec<(String, String)>> {
    db.query(
        &format!("SELECT id, coalesce(code, ''), name FROM {table} ORDER BY position, id"),
        &[],
    )?
    .iter()
    .map(|r| {
        let (id, code, name): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        Ok((
            id.to_string(),
            if code.is_empty() {
                name
            } else {
                format!("{prefix}{code}")
            },
        ))
    })
    .collect()
}

/// `(key, label)` of each complaint category: the built-in code, else the user's name.
pub fn list_category_labels<'a>(db: impl Into<Db<'a>>) -> Result<Vec<(String, String)>> {
    labels(db.into(), "complaint_categories", "category.")
}

/// `(key, label)` of each churn reason, as for categories.
pub fn list_reason_labels<'a>(db: impl Into<Db<'a>>) -> Result<Vec<(String, String)>> {
    labels(db.into(), "churn_reasons", "churn.reason.")
}

// ---- the records behind a figure ----

/// Complaints received between `since` and `until` (UTC) that match the filters and, when
/// given, a category, a severity or a channel: ids, newest first.
pub struct Received<'a> {
    pub since: &'a str,
    pub until: &'a str,
    pub category_id: Option<i64>,
    pub severity: Option<&'a str>,
    pub channel: Option<&'a str>,
}

pub fn list_received<'a>(
    db: impl Into<Db<'a>>,
    r: &Received<'_>,
    f: &Filters,
    tier_of: TierOf<'_>,
) -> Result<Vec<i64>> {
    // Only the conditions asked, so that the planner can use the category's index.
    let mut sql = String::from(
        "SELECT id, customer_id FROM complaints WHERE received_at >= ?1 AND received_at < ?2 AND state != 'duplicate'",
    );
    let category = r.category_id.or(f.category_id);
    if r.category_id.is_some() && f.category_id.is_some() && r.category_id != f.category_id {
        return Ok(Vec::new());
    }
    let text = |s: &str| db::Value::Text(s.to_string());
    let mut args: Vec<db::Value> = vec![text(r.since), text(r.until)];
    for (column, value) in [
        ("category_id", category.map(db::Value::Int)),
        ("handler", f.staff.as_deref().map(text)),
        ("severity", r.severity.map(text)),
        ("channel", r.channel.map(text)),
    ] {
        if let Some(v) = value {
            args.push(v);
            sql.push_str(&format!(" AND {column} = ?{}", args.len()));
        }
    }
    sql.push_str(" ORDER BY received_at DESC, id DESC");
    let params: Vec<&dyn Param> = args.iter().map(|a| a as &dyn Param).collect();
    let mut out = Vec::new();
    for row in db.into().query(&sql, &params)? {
        if let Some(t) = &f.tier {
            if tier_of(row.get(1)?) != Some(t.as_str()) {
                continue;
            }
        }
        out.push(row.get(0)?);
    }
    Ok(out)
}

/// Complaints by id, newest first, as drill-down rows.
pub fn list_complaint_rows<'a>(db: impl Into<Db<'a>>, ids: &[i64]) -> Result<Vec<DrillRow>> {
    let db = db.into();
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let r = db
            .query_opt(
                "SELECT k.id, k.customer_id, c.name, k.received_at, k.serial, k.summary, k.handler
                 FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE k.id = ?1",
                &[&id],
            )?
            .ok_or(Error::NotFound {
                entity: "complaint",
                id,
            })?;
        out.push(DrillRow {
            opens: "complaint".into(),
            id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get(2)?,
            at: r.get(3)?,
            title: r.get(4)?,
            detail: r.get(5)?,
            staff: r.get(6)?,
        });
    }
    Ok(out)
}

/// The scores given between `since` and `end` (UTC), newest first (at most `limit`), and
/// how many there are.
pub fn list_score_rows<'a>(
    db: impl Into<Db<'a>>,
    since: &str,
    end: &str,
    f: &Filters,
    score: Option<i64>,
    limit: usize,
) -> Result<(usize, Vec<DrillRow>)> {
    let db = db.into();
    let total = db.count(
        &format!("SELECT count(*) FROM ({SCORES}) AS n"),
        &[&since, &end, &f.tier, &f.staff, &score],
    )?;
    let rows = db.query(
        &format!("{SCORES} ORDER BY at DESC LIMIT ?6"),
        &[&since, &end, &f.tier, &f.staff, &score, &limit],
    )?;
    let rows = rows
        .iter()
        .map(|r| {
            let s = score_row(r)?;
            Ok(DrillRow {
                opens: s.source.clone(),
                id: s.record_id,
                customer_id: s.customer_id,
                customer_name: s.customer_name,
                at: s.at,
                title: s.score.to_string(),
                detail: s.tier,
                staff: String::new(),
            })
        })
        .collect::<Result<_>>()?;
    Ok((total, rows))
}

/// Return visits due in a period (local dates) for the visits drill-down.
pub fn list_visit_rows<'a>(
    db: impl Into<Db<'a>>,
    from: &str,
    to: &str,
    f: &Filters,
    limit: usize,
) -> Result<(usize, Vec<DrillRow>)> {
    let db = db.into();
    let filter = "FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.state IN ('planned', 'done') AND v.due_date BETWEEN ?1 AND ?2
           AND (CAST(?3 AS text) IS NULL OR c.tier = ?3) AND (CAST(?4 AS text) IS NULL OR v.staff = ?4)";
    let total = db.count(&format!("SELECT count(*) {filter}"), &[&from, &to, &f.tier, &f.staff])?;
    let rows = db.query(
        &format!(
            "SELECT v.id, v.customer_id, c.name, v.due_date, v.state, coalesce(v.reached, 0), v.staff {filter}
             ORDER BY v.due_date DESC, v.id DESC LIMIT ?5"
        ),
        &[&from, &to, &f.tier, &f.staff, &limit],
    )?;
    let rows = rows
        .iter()
        .map(|r| {
            let reached: bool = r.get(5)?;
            Ok(DrillRow {
                opens: "customer".into(),
                id: r.get(0)?,
                customer_id: r.get(1)?,
                customer_name: r.get(2)?,
                at: r.get(3)?,
                title: r.get(4)?,
                detail: if reached { "reached".into() } else { String::new() },
                staff: r.get(6)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((total, rows))
}

/// Losses recorded in a period (local dates) for the churn drill-down.
pub fn list_loss_rows<'a>(
    db: impl Into<Db<'a>>,
    from: &str,
    to: &str,
    tier: Option<&str>,
    limit: usize,
) -> Result<Vec<(Loss, DrillRow)>> {
    let db = db.into();
    let sql = format!(
        "SELECT h.lost_on, h.won_back_on, h.type, h.reason_id, c.tier, h.id, h.customer_id, c.name, h.note, h.staff
         FROM churn h {} customers c ON c.id = h.customer_id
         WHERE h.lost_on BETWEEN ?1 AND ?2 AND (CAST(?3 AS text) IS NULL OR c.tier = ?3)
         ORDER BY h.lost_on DESC, h.id DESC LIMIT ?4",
        customer_join(&db)
    );
    db.query(&sql, &[&from, &to, &tier, &limit])?
        .iter()
        .map(|r| {
            let loss = loss_of(r)?;
            let row = DrillRow {
                opens: "customer".into(),
                id: r.get(5)?,
                customer_id: r.get(6)?,
                customer_name: r.get(7)?,
                at: loss.lost_on.clone(),
                title: loss.churn_type.clone(),
                detail: r.get(8)?,
                staff: r.get(9)?,
            };
            Ok((loss, row))
        })
        .collect()
}
