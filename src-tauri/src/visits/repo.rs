//! Visit SQL: visits, their log, calendar counts, outline templates and follow-up plans.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::kernel::cadence::Tier;

use super::model::{
    CalendarDay, Channel, CustomerVisitEvent, FollowupPlan, OutlineTemplate, Purpose, Repeat, RepeatUnit, Visit,
    VisitLogEntry, VisitState,
};

fn bad_enum(s: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, s.to_string(), rusqlite::types::Type::Text)
}

fn parse<T>(s: String, f: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    f(&s).ok_or_else(|| bad_enum(&s))
}

/// A visit row to insert, with everything Rust computed.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub customer_id: i64,
    pub channel: Channel,
    pub purpose: Purpose,
    pub due_date: String,
    pub due_time: Option<String>,
    pub due_at: Option<String>,
    pub outline: String,
    pub staff: String,
    pub repeat: Option<Repeat>,
    pub repeat_anchor: Option<String>,
    pub repeat_index: u32,
    pub plan_id: Option<i64>,
    pub plan_step: Option<u32>,
    pub plan_start: Option<String>,
    pub previous_id: Option<i64>,
}

impl NewVisit {
    /// An all-day, one-off visit with no outline, staff, plan or predecessor.
    pub fn new(customer_id: i64, channel: Channel, purpose: Purpose, due_date: String) -> Self {
        NewVisit {
            customer_id,
            channel,
            purpose,
            due_date,
            due_time: None,
            due_at: None,
            outline: String::new(),
            staff: String::new(),
            repeat: None,
            repeat_anchor: None,
            repeat_index: 0,
            plan_id: None,
            plan_step: None,
            plan_start: None,
            previous_id: None,
        }
    }
}

pub fn insert_visit(conn: &Connection, v: &NewVisit, now: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO visits (customer_id, channel, purpose, due_date, due_time, due_at, outline, staff,
            repeat_unit, repeat_every, repeat_anchor, repeat_index, plan_id, plan_step, plan_start, previous_id,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
    )?
    .execute(params![
        v.customer_id,
        v.channel.as_str(),
        v.purpose.as_str(),
        v.due_date,
        v.due_time,
        v.due_at,
        v.outline,
        v.staff,
        v.repeat.map(|r| r.unit.as_str()),
        v.repeat.map(|r| r.every),
        v.repeat_anchor,
        v.repeat_index,
        v.plan_id,
        v.plan_step,
        v.plan_start,
        v.previous_id,
        now,
    ])?;
    Ok(conn.last_insert_rowid())
}

const VISIT_COLS: &str = "v.id, v.customer_id, c.name, c.tier, v.channel, v.purpose, v.due_date, v.due_time, v.due_at,
    v.outline, v.staff, v.state, v.attempts, v.reached, v.outcome_notes, v.satisfaction, v.next_step, v.completed_at,
    v.repeat_unit, v.repeat_every, v.plan_id, v.plan_step, v.created_at, v.updated_at";

fn visit_from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    let unit: Option<String> = r.get(18)?;
    let every: Option<u32> = r.get(19)?;
    let repeat = match (unit, every) {
        (Some(u), Some(every)) => Some(Repeat {
            unit: parse(u, RepeatUnit::parse)?,
            every,
        }),
        _ => None,
    };
    Ok(Visit {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        customer_tier: parse(r.get(3)?, Tier::parse)?,
        channel: parse(r.get(4)?, Channel::parse)?,
        purpose: parse(r.get(5)?, Purpose::parse)?,
        due_date: r.get(6)?,
        due_time: r.get(7)?,
        due_at: r.get(8)?,
        outline: r.get(9)?,
        staff: r.get(10)?,
        state: parse(r.get(11)?, VisitState::parse)?,
        attempts: r.get(12)?,
        reached: r.get(13)?,
        outcome_notes: r.get(14)?,
        satisfaction: r.get(15)?,
        next_step: r.get(16)?,
        completed_at: r.get(17)?,
        repeat,
        plan_id: r.get(20)?,
        plan_step: r.get(21)?,
        created_at: r.get(22)?,
        updated_at: r.get(23)?,
    })
}

/// The internal fields a completed visit needs to schedule its successor.
#[derive(Debug, Clone)]
pub struct Lineage {
    pub repeat_anchor: Option<String>,
    pub repeat_index: u32,
    pub plan_start: Option<String>,
}

pub fn get_visit(conn: &Connection, id: i64) -> Result<Visit> {
    let sql = format!("SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id WHERE v.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], visit_from_row)
        .optional()?
        .ok_or(Error::NotFound { entity: "visit", id })
}

pub fn get_lineage(conn: &Connection, id: i64) -> Result<Lineage> {
    conn.prepare_cached("SELECT repeat_anchor, repeat_index, plan_start FROM visits WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Lineage {
                repeat_anchor: r.get(0)?,
                repeat_index: r.get(1)?,
                plan_start: r.get(2)?,
            })
        })
        .optional()?
        .ok_or(Error::NotFound { entity: "visit", id })
}

/// Planned visits due in `[from, to]` (local dates), earliest first; timed before all-day
/// within a day is not promised: all-day visits sort first, then by time.
pub fn list_planned_between(conn: &Connection, from: &str, to: &str, limit: usize) -> Result<Vec<Visit>> {
    let sql = format!(
        "SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.state = 'planned' AND v.due_date BETWEEN ?1 AND ?2
         ORDER BY v.due_date, v.due_time, v.id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![from, to, limit as i64], visit_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Planned visits due before `day` and on `day`, counted in one statement (one snapshot:
/// another desk writing between two counts cannot make them disagree).
pub fn count_overdue_and_on(conn: &Connection, day: &str) -> Result<(usize, usize)> {
    let (overdue, on): (i64, i64) = conn
        .prepare_cached(
            "SELECT coalesce(sum(due_date < ?1), 0), coalesce(sum(due_date = ?1), 0)
             FROM visits WHERE state = 'planned' AND due_date <= ?1",
        )?
        .query_row([day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((overdue.max(0) as usize, on.max(0) as usize))
}

/// Planned visits due before `day`, most recently due first.
pub fn list_overdue(conn: &Connection, day: &str, limit: usize) -> Result<(usize, Vec<Visit>)> {
    let total: i64 = conn
        .prepare_cached("SELECT count(*) FROM visits WHERE state = 'planned' AND due_date < ?1")?
        .query_row([day], |r| r.get(0))?;
    let sql = format!(
        "SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.state = 'planned' AND v.due_date < ?1
         ORDER BY v.due_date DESC, v.due_time DESC, v.id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![day, limit as i64], visit_from_row)?;
    Ok((total as usize, rows.collect::<rusqlite::Result<_>>()?))
}

/// All visits of one customer: planned first (soonest first), then the rest (newest first).
pub fn list_customer_visits(conn: &Connection, customer_id: i64) -> Result<Vec<Visit>> {
    let sql = format!(
        "SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.customer_id = ?1
         ORDER BY v.state != 'planned', CASE WHEN v.state = 'planned' THEN v.due_date END,
                  coalesce(v.completed_at, v.updated_at) DESC, v.id DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([customer_id], visit_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Move a planned visit to a new time, counting a failed attempt when `failed`.
pub fn reschedule_visit(
    conn: &Connection,
    id: i64,
    due_date: &str,
    due_time: Option<&str>,
    due_at: Option<&str>,
    failed: bool,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE visits SET due_date = ?2, due_time = ?3, due_at = ?4, attempts = attempts + ?5, updated_at = ?6
         WHERE id = ?1",
    )?
    .execute(params![id, due_date, due_time, due_at, i64::from(failed), now])?;
    Ok(())
}

pub struct Completion<'a> {
    pub notes: &'a str,
    pub satisfaction: Option<u8>,
    pub next_step: &'a str,
}

pub fn complete_visit(conn: &Connection, id: i64, c: &Completion<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE visits SET state = 'done', reached = 1, outcome_notes = ?2, satisfaction = ?3, next_step = ?4,
            completed_at = ?5, updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, c.notes, c.satisfaction, c.next_step, now])?;
    Ok(())
}

pub fn correct_outcome(conn: &Connection, id: i64, c: &Completion<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE visits SET outcome_notes = ?2, satisfaction = ?3, next_step = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, c.notes, c.satisfaction, c.next_step, now])?;
    Ok(())
}

pub fn cancel_visit(conn: &Connection, id: i64, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE visits SET state = 'cancelled', updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

pub fn add_visit_log(conn: &Connection, visit_id: i64, at: &str, kind: &str, detail: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO visit_log (visit_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![visit_id, at, kind, detail])?;
    Ok(())
}

pub fn list_visit_log(conn: &Connection, visit_id: i64) -> Result<Vec<VisitLogEntry>> {
    let mut stmt = conn.prepare_cached("SELECT at, kind, detail FROM visit_log WHERE visit_id = ?1 ORDER BY at, id")?;
    let rows = stmt.query_map([visit_id], |r| {
        Ok(VisitLogEntry {
            at: r.get(0)?,
            kind: r.get(1)?,
            detail: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A planned visit due in a window, as reminders plan from it.
#[derive(Debug, Clone)]
pub struct DueVisit {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub purpose: Purpose,
    pub due_date: String,
    pub due_time: Option<String>,
    pub staff: String,
}

impl From<&Visit> for DueVisit {
    fn from(v: &Visit) -> Self {
        DueVisit {
            id: v.id,
            customer_id: v.customer_id,
            customer_name: v.customer_name.clone(),
            purpose: v.purpose,
            due_date: v.due_date.clone(),
            due_time: v.due_time.clone(),
            staff: v.staff.clone(),
        }
    }
}

/// Planned visits due on local days `[from, to]` (`YYYY-MM-DD`).
pub fn list_due_between(conn: &Connection, from: &str, to: &str) -> Result<Vec<DueVisit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.customer_id, c.name, v.purpose, v.due_date, v.due_time, v.staff
         FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.state = 'planned' AND v.due_date BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map([from, to], |r| {
        Ok(DueVisit {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get(2)?,
            purpose: r.get(3)?,
            due_date: r.get(4)?,
            due_time: r.get(5)?,
            staff: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The attempts, reschedules and corrections on all of a customer's visits, newest first
/// (plans, outcomes and cancellations show as the visits themselves).
pub fn list_customer_visit_events(conn: &Connection, customer_id: i64) -> Result<Vec<CustomerVisitEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.at, l.kind, l.detail, v.id, v.channel, v.purpose FROM visit_log l
         JOIN visits v ON v.id = l.visit_id
         WHERE v.customer_id = ?1 AND l.kind IN ('not_reached', 'rescheduled', 'corrected')
         ORDER BY l.at DESC, l.id DESC",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        Ok(CustomerVisitEvent {
            at: r.get(0)?,
            kind: r.get(1)?,
            detail: r.get(2)?,
            visit_id: r.get(3)?,
            channel: r.get(4)?,
            purpose: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Planned and done visits per local day in `[from, to]`.
pub fn calendar_counts(conn: &Connection, from: &str, to: &str) -> Result<Vec<CalendarDay>> {
    let mut stmt = conn.prepare_cached(
        "SELECT due_date, sum(state = 'planned'), sum(state = 'done') FROM visits
         WHERE due_date BETWEEN ?1 AND ?2 AND state != 'cancelled' GROUP BY due_date ORDER BY due_date",
    )?;
    let rows = stmt.query_map([from, to], |r| {
        Ok(CalendarDay {
            date: r.get(0)?,
            planned: r.get::<_, i64>(1)? as usize,
            done: r.get::<_, i64>(2)? as usize,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn list_plans(conn: &Connection) -> Result<Vec<FollowupPlan>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, steps FROM followup_plans ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, steps) = row?;
        out.push(FollowupPlan {
            id,
            name,
            steps: serde_json::from_str(&steps).map_err(Error::internal)?,
        });
    }
    Ok(out)
}

pub fn get_plan(conn: &Connection, id: i64) -> Result<FollowupPlan> {
    list_plans(conn)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(Error::NotFound { entity: "plan", id })
}

pub fn save_plan(conn: &Connection, p: &FollowupPlan, now: &str) -> Result<i64> {
    let steps = serde_json::to_string(&p.steps).map_err(Error::internal)?;
    if p.id == 0 {
        conn.execute(
            "INSERT INTO followup_plans (name, steps, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![p.name.trim(), steps, now],
        )?;
        return Ok(conn.last_insert_rowid());
    }
    let n = conn.execute(
        "UPDATE followup_plans SET name = ?2, steps = ?3, updated_at = ?4 WHERE id = ?1",
        params![p.id, p.name.trim(), steps, now],
    )?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "plan",
            id: p.id,
        });
    }
    Ok(p.id)
}

pub fn list_templates(conn: &Connection) -> Result<Vec<OutlineTemplate>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, body FROM outline_templates ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(OutlineTemplate {
            id: r.get(0)?,
            name: r.get(1)?,
            body: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn save_template(conn: &Connection, t: &OutlineTemplate, now: &str) -> Result<i64> {
    if t.id == 0 {
        conn.execute(
            "INSERT INTO outline_templates (name, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![t.name.trim(), t.body.trim(), now],
        )?;
        return Ok(conn.last_insert_rowid());
    }
    let n = conn.execute(
        "UPDATE outline_templates SET name = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
        params![t.id, t.name.trim(), t.body.trim(), now],
    )?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "template",
            id: t.id,
        });
    }
    Ok(t.id)
}

pub fn delete_template(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM outline_templates WHERE id = ?1", [id])?;
    Ok(())
}

/// Mark a just-inserted visit done with an outcome (bulk seeding).
pub fn seed_outcome(conn: &Connection, id: i64, satisfaction: u8, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE visits SET state = 'done', reached = 1, satisfaction = ?2, outcome_notes = '', completed_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, satisfaction, at])?;
    Ok(())
}

/// Hand every visit to `f`, with its customer's first phone (empty when none), by due
/// date and time; one statement streaming rows.
pub fn for_each_visit(conn: &Connection, mut f: impl FnMut(Visit, String) -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT {VISIT_COLS}, coalesce(json_extract(c.phones, '$[0]'), '')
         FROM visits v JOIN customers c ON c.id = v.customer_id
         ORDER BY v.due_date, v.due_time, v.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(visit_from_row(r)?, r.get(24)?)?;
    }
    Ok(())
}

/// The score of the customer's latest done visit that has one.
pub fn last_satisfaction(conn: &Connection, customer_id: i64) -> Result<Option<u8>> {
    Ok(conn
        .prepare_cached(
            "SELECT satisfaction FROM visits
             WHERE customer_id = ?1 AND state = 'done' AND satisfaction IS NOT NULL
             ORDER BY due_date DESC, completed_at DESC LIMIT 1",
        )?
        .query_row([customer_id], |r| r.get(0))
        .optional()?)
}
