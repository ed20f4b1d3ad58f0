//! Visit SQL: visits, their log, calendar counts, outline templates and follow-up plans, on
//! either store ([`Db`]).

use crate::error::{Error, Result};
use crate::kernel::cadence::Tier;
use crate::store::db::{Db, Row};

use super::model::{
    CalendarDay, Channel, CustomerVisitEvent, FollowupPlan, OutlineTemplate, Purpose, Repeat, RepeatUnit, Visit,
    VisitLogEntry, VisitState,
};

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

pub fn insert_visit<'a>(db: impl Into<Db<'a>>, v: &NewVisit, now: &str) -> Result<i64> {
    db.into().insert(
        "INSERT INTO visits (customer_id, channel, purpose, due_date, due_time, due_at, outline, staff,
            repeat_unit, repeat_every, repeat_anchor, repeat_index, plan_id, plan_step, plan_start, previous_id,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17) RETURNING id",
        &[
            &v.customer_id,
            &v.channel,
            &v.purpose,
            &v.due_date,
            &v.due_time,
            &v.due_at,
            &v.outline,
            &v.staff,
            &v.repeat.map(|r| r.unit),
            &v.repeat.map(|r| r.every),
            &v.repeat_anchor,
            &v.repeat_index,
            &v.plan_id,
            &v.plan_step,
            &v.plan_start,
            &v.previous_id,
            &now,
        ],
    )
}

const VISIT_COLS: &str = "v.id, v.customer_id, c.name, c.tier, v.channel, v.purpose, v.due_date, v.due_time, v.due_at,
    v.outline, v.staff, v.state, v.attempts, v.reached, v.outcome_notes, v.satisfaction, v.next_step, v.completed_at,
    v.repeat_unit, v.repeat_every, v.plan_id, v.plan_step, v.created_at, v.updated_at";

fn visit_from_row(r: &Row) -> Result<Visit> {
    let unit: Option<RepeatUnit> = r.get(18)?;
    let every: Option<u32> = r.get(19)?;
    let repeat = match (unit, every) {
        (Some(unit), Some(every)) => Some(Repeat { unit, every }),
        _ => None,
    };
    Ok(Visit {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        customer_tier: r.get::<Tier>(3)?,
        channel: r.get(4)?,
        purpose: r.get(5)?,
        due_date: r.get(6)?,
        due_time: r.get(7)?,
        due_at: r.get(8)?,
        outline: r.get(9)?,
        staff: r.get(10)?,
        state: r.get::<VisitState>(11)?,
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

fn visits_of(rows: Vec<Row>) -> Result<Vec<Visit>> {
    rows.iter().map(visit_from_row).collect()
}

/// The internal fields a completed visit needs to schedule its successor.
#[derive(Debug, Clone)]
pub struct Lineage {
    pub repeat_anchor: Option<String>,
    pub repeat_index: u32,
    pub plan_start: Option<String>,
}

pub fn get_visit<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Visit> {
    let sql = format!("SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id WHERE v.id = ?1");
    match db.into().query_opt(&sql, &[&id])? {
        Some(r) => visit_from_row(&r),
        None => Err(Error::NotFound { entity: "visit", id }),
    }
}

pub fn get_lineage<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Lineage> {
    let r = db
        .into()
        .query_opt(
            "SELECT repeat_anchor, repeat_index, plan_start FROM visits WHERE id = ?1",
            &[&id],
        )?
        .ok_or(Error::NotFound { entity: "visit", id })?;
    Ok(Lineage {
        repeat_anchor: r.get(0)?,
        repeat_index: r.get(1)?,
        plan_start: r.get(2)?,
    })
}

/// Planned visits due in `[from, to]` (local dates), earliest first; timed before all-day
/// within a day is not promised: all-day visits sort first, then by time.
pub fn list_planned_between<'a>(db: impl Into<Db<'a>>, from: &str, to: &str, limit: usize) -> Result<Vec<Visit>> {
    let sql = format!(
        "SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.state = 'planned' AND v.due_date BETWEEN ?1 AND ?2
         ORDER BY v.due_date, v.due_time NULLS FIRST, v.id LIMIT ?3"
    );
    visits_of(db.into().query(&sql, &[&from, &to, &limit])?)
}

/// Planned visits due before `day` and on `day`, counted in one statement (one snapshot:
/// another desk writing between two counts cannot make them disagree).
pub fn count_overdue_and_on<'a>(db: impl Into<Db<'a>>, day: &str) -> Result<(usize, usize)> {
    let r = db
        .into()
        .query_opt(
            "SELECT count(*) FILTER (WHERE due_date < ?1), count(*) FILTER (WHERE due_date = ?1)
             FROM visits WHERE state = 'planned' AND due_date <= ?1",
            &[&day],
        )?
        .ok_or_else(|| Error::Internal("a count returned no row".into()))?;
    Ok((r.get(0)?, r.get(1)?))
}

/// Planned visits due before `day`, most recently due first.
pub fn list_overdue<'a>(db: impl Into<Db<'a>>, day: &str, limit: usize) -> Result<(usize, Vec<Visit>)> {
    let db = db.into();
    let total: usize = db.count(
        "SELECT count(*) FROM visits WHERE state = 'planned' AND due_date < ?1",
        &[&day],
    )?;
    let sql = format!(
        "SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.state = 'planned' AND v.due_date < ?1
         ORDER BY v.due_date DESC, v.due_time DESC NULLS LAST, v.id DESC LIMIT ?2"
    );
    Ok((total, visits_of(db.query(&sql, &[&day, &limit])?)?))
}

/// All visits of one customer: planned first (soonest first), then the rest (newest first).
pub fn list_customer_visits<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<Visit>> {
    let sql = format!(
        "SELECT {VISIT_COLS} FROM visits v JOIN customers c ON c.id = v.customer_id
         WHERE v.customer_id = ?1
         ORDER BY CASE WHEN v.state = 'planned' THEN 0 ELSE 1 END,
                  CASE WHEN v.state = 'planned' THEN v.due_date END NULLS FIRST,
                  coalesce(v.completed_at, v.updated_at) DESC, v.id DESC"
    );
    visits_of(db.into().query(&sql, &[&customer_id])?)
}

/// Move a planned visit to a new time, counting a failed attempt when `failed`.
pub fn reschedule_visit<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    due_date: &str,
    due_time: Option<&str>,
    due_at: Option<&str>,
    failed: bool,
    now: &str,
) -> Result<()> {
    db.into().execute(
        "UPDATE visits SET due_date = ?2, due_time = ?3, due_at = ?4, attempts = attempts + ?5, updated_at = ?6
         WHERE id = ?1",
        &[&id, &due_date, &due_time, &due_at, &i64::from(failed), &now],
    )?;
    Ok(())
}

pub struct Completion<'a> {
    pub notes: &'a str,
    pub satisfaction: Option<u8>,
    pub next_step: &'a str,
}

pub fn complete_visit<'a>(db: impl Into<Db<'a>>, id: i64, c: &Completion<'_>, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE visits SET state = 'done', reached = 1, outcome_notes = ?2, satisfaction = ?3, next_step = ?4,
            completed_at = ?5, updated_at = ?5
         WHERE id = ?1",
        &[&id, &c.notes, &c.satisfaction, &c.next_step, &now],
    )?;
    Ok(())
}

pub fn correct_outcome<'a>(db: impl Into<Db<'a>>, id: i64, c: &Completion<'_>, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE visits SET outcome_notes = ?2, satisfaction = ?3, next_step = ?4, updated_at = ?5 WHERE id = ?1",
        &[&id, &c.notes, &c.satisfaction, &c.next_step, &now],
    )?;
    Ok(())
}

pub fn cancel_visit<'a>(db: impl Into<Db<'a>>, id: i64, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE visits SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
        &[&id, &now],
    )?;
    Ok(())
}

pub fn add_visit_log<'a>(db: impl Into<Db<'a>>, visit_id: i64, at: &str, kind: &str, detail: &str) -> Result<()> {
    db.into().execute(
        "INSERT INTO visit_log (visit_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
        &[&visit_id, &at, &kind, &detail],
    )?;
    Ok(())
}

pub fn list_visit_log<'a>(db: impl Into<Db<'a>>, visit_id: i64) -> Result<Vec<VisitLogEntry>> {
    db.into()
        .query(
            "SELECT at, kind, detail FROM visit_log WHERE visit_id = ?1 ORDER BY at, id",
            &[&visit_id],
        )?
        .iter()
        .map(|r| {
            Ok(VisitLogEntry {
                at: r.get(0)?,
                kind: r.get(1)?,
                detail: r.get(2)?,
            })
        })
        .collect()
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
pub fn list_due_between<'a>(db: impl Into<Db<'a>>, from: &str, to: &str) -> Result<Vec<DueVisit>> {
    db.into()
        .query(
            "SELECT v.id, v.customer_id, c.name, v.purpose, v.due_date, v.due_time, v.staff
             FROM visits v JOIN customers c ON c.id = v.customer_id
             WHERE v.state = 'planned' AND v.due_date BETWEEN ?1 AND ?2",
            &[&from, &to],
        )?
        .iter()
        .map(|r| {
            Ok(DueVisit {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                customer_name: r.get(2)?,
                purpose: r.get(3)?,
                due_date: r.get(4)?,
                due_time: r.get(5)?,
                staff: r.get(6)?,
            })
        })
        .collect()
}

/// The attempts, reschedules and corrections on all of a customer's visits, newest first
/// (plans, outcomes and cancellations show as the visits themselves).
pub fn list_customer_visit_events<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<CustomerVisitEvent>> {
    db.into()
        .query(
            "SELECT l.at, l.kind, l.detail, v.id, v.channel, v.purpose FROM visit_log l
             JOIN visits v ON v.id = l.visit_id
             WHERE v.customer_id = ?1 AND l.kind IN ('not_reached', 'rescheduled', 'corrected')
             ORDER BY l.at DESC, l.id DESC",
            &[&customer_id],
        )?
        .iter()
        .map(|r| {
            Ok(CustomerVisitEvent {
                at: r.get(0)?,
                kind: r.get(1)?,
                detail: r.get(2)?,
                visit_id: r.get(3)?,
                channel: r.get::<Channel>(4)?,
                purpose: r.get(5)?,
            })
        })
        .collect()
}

/// Planned and done visits per local day in `[from, to]`.
pub fn calendar_counts<'a>(db: impl Into<Db<'a>>, from: &str, to: &str) -> Result<Vec<CalendarDay>> {
    db.into()
        .query(
            "SELECT due_date, count(*) FILTER (WHERE state = 'planned'), count(*) FILTER (WHERE state = 'done')
             FROM visits
             WHERE due_date BETWEEN ?1 AND ?2 AND state != 'cancelled' GROUP BY due_date ORDER BY due_date",
            &[&from, &to],
        )?
        .iter()
        .map(|r| {
            Ok(CalendarDay {
                date: r.get(0)?,
                planned: r.get(1)?,
                done: r.get(2)?,
            })
        })
        .collect()
}

pub fn list_plans<'a>(db: impl Into<Db<'a>>) -> Result<Vec<FollowupPlan>> {
    db.into()
        .query("SELECT id, name, steps FROM followup_plans ORDER BY id", &[])?
        .iter()
        .map(|r| {
            Ok(FollowupPlan {
                id: r.get(0)?,
                name: r.get(1)?,
                steps: serde_json::from_str(&r.get::<String>(2)?).map_err(Error::internal)?,
            })
        })
        .collect()
}

pub fn get_plan<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<FollowupPlan> {
    list_plans(db)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(Error::NotFound { entity: "plan", id })
}

pub fn save_plan<'a>(db: impl Into<Db<'a>>, p: &FollowupPlan, now: &str) -> Result<i64> {
    let db = db.into();
    let steps = serde_json::to_string(&p.steps).map_err(Error::internal)?;
    if p.id == 0 {
        return db.insert(
            "INSERT INTO followup_plans (name, steps, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) RETURNING id",
            &[&p.name.trim(), &steps, &now],
        );
    }
    let n = db.execute(
        "UPDATE followup_plans SET name = ?2, steps = ?3, updated_at = ?4 WHERE id = ?1",
        &[&p.id, &p.name.trim(), &steps, &now],
    )?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "plan",
            id: p.id,
        });
    }
    Ok(p.id)
}

pub fn list_templates<'a>(db: impl Into<Db<'a>>) -> Result<Vec<OutlineTemplate>> {
    db.into()
        .query("SELECT id, name, body FROM outline_templates ORDER BY id", &[])?
        .iter()
        .map(|r| {
            Ok(OutlineTemplate {
                id: r.get(0)?,
                name: r.get(1)?,
                body: r.get(2)?,
            })
        })
        .collect()
}

pub fn save_template<'a>(db: impl Into<Db<'a>>, t: &OutlineTemplate, now: &str) -> Result<i64> {
    let db = db.into();
    if t.id == 0 {
        return db.insert(
            "INSERT INTO outline_templates (name, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) RETURNING id",
            &[&t.name.trim(), &t.body.trim(), &now],
        );
    }
    let n = db.execute(
        "UPDATE outline_templates SET name = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
        &[&t.id, &t.name.trim(), &t.body.trim(), &now],
    )?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "template",
            id: t.id,
        });
    }
    Ok(t.id)
}

pub fn delete_template<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<()> {
    db.into()
        .execute("DELETE FROM outline_templates WHERE id = ?1", &[&id])?;
    Ok(())
}

/// Mark a just-inserted visit done with an outcome (bulk seeding).
pub fn seed_outcome<'a>(db: impl Into<Db<'a>>, id: i64, satisfaction: u8, at: &str) -> Result<()> {
    db.into().execute(
        "UPDATE visits SET state = 'done', reached = 1, satisfaction = ?2, outcome_notes = '', completed_at = ?3
         WHERE id = ?1",
        &[&id, &satisfaction, &at],
    )?;
    Ok(())
}

/// Hand every visit to `f`, with its customer's first phone (empty when none), by due
/// date and time; one statement streaming rows.
pub fn for_each_visit<'a>(db: impl Into<Db<'a>>, mut f: impl FnMut(Visit, String) -> Result<()>) -> Result<()> {
    let db = db.into();
    let first_phone = if db.is_server() {
        "c.phones::jsonb ->> 0"
    } else {
        "json_extract(c.phones, '$[0]')"
    };
    let sql = format!(
        "SELECT {VISIT_COLS}, coalesce({first_phone}, '')
         FROM visits v JOIN customers c ON c.id = v.customer_id
         ORDER BY v.due_date, v.due_time NULLS FIRST, v.id"
    );
    db.for_each(&sql, &[], |r| f(visit_from_row(r)?, r.get(24)?))
}

/// The score of the customer's latest done visit that has one.
pub fn last_satisfaction<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Option<u8>> {
    db.into()
        .query_opt(
            "SELECT satisfaction FROM visits
             WHERE customer_id = ?1 AND state = 'done' AND satisfaction IS NOT NULL
             ORDER BY due_date DESC, completed_at DESC LIMIT 1",
            &[&customer_id],
        )?
        .map(|r| r.get(0))
        .transpose()
}
