//! Reminder SQL: occurrences (insert once by key), firing, the center, manual reminders; on
//! either store ([`Db`]).

use crate::error::{Error, Result};
use crate::kernel::recurrence::{Repeat, RepeatUnit};
use crate::store::db::{self, Db, Param};

use super::model::{CenterQuery, Reminder, ReminderKind, ReminderState};

/// A count of rows as a `usize`.
fn changed(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Store an occurrence unless one with the same key exists. Returns whether it was new.
#[allow(clippy::too_many_arguments)]
pub fn insert_occurrence<'a>(
    db: impl Into<Db<'a>>,
    kind: ReminderKind,
    key: &str,
    customer_id: Option<i64>,
    source_id: Option<i64>,
    due_at: &str,
    wake_at: &str,
    args: &str,
    staff: &str,
    now: &str,
) -> Result<bool> {
    let n = db.into().execute(
        "INSERT INTO reminders (kind, key, customer_id, source_id, due_at, wake_at, args, staff,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (key) DO NOTHING",
        &[
            &kind,
            &key,
            &customer_id,
            &source_id,
            &due_at,
            &wake_at,
            &args,
            &staff,
            &now,
        ],
    )?;
    Ok(n > 0)
}

const COLS: &str = "r.id, r.kind, r.customer_id, c.name, r.source_id, r.due_at, r.wake_at, r.state, r.fired_at,
    r.late, r.args, r.staff, r.closed_at";

fn from_row(r: &db::Row) -> Result<Reminder> {
    let args: String = r.get(10)?;
    Ok(Reminder {
        id: r.get(0)?,
        kind: r.get(1)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        source_id: r.get(4)?,
        due_at: r.get(5)?,
        wake_at: r.get(6)?,
        state: r.get(7)?,
        fired_at: r.get(8)?,
        late: r.get(9)?,
        args: serde_json::from_str(&args).unwrap_or(serde_json::Value::Null),
        staff: r.get(11)?,
        closed_at: r.get(12)?,
    })
}

pub fn get_reminder<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Reminder> {
    db.into()
        .query_opt(
            &format!("SELECT {COLS} FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id WHERE r.id = ?1"),
            &[&id],
        )?
        .map(|r| from_row(&r))
        .transpose()?
        .ok_or(Error::NotFound { entity: "reminder", id })
}

/// Pending or snoozed reminders whose time has come, earliest first.
pub fn list_due<'a>(db: impl Into<Db<'a>>, now: &str) -> Result<Vec<Reminder>> {
    db.into()
        .query(
            &format!(
                "SELECT {COLS} FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id
                 WHERE r.state IN ('pending', 'snoozed') AND r.wake_at <= ?1 ORDER BY r.wake_at, r.id"
            ),
            &[&now],
        )?
        .iter()
        .map(from_row)
        .collect()
}

pub fn mark_fired<'a>(db: impl Into<Db<'a>>, id: i64, now: &str, late: bool) -> Result<()> {
    db.into().execute(
        "UPDATE reminders SET state = 'fired', fired_at = ?2, late = ?3, updated_at = ?2 WHERE id = ?1",
        &[&id, &now, &late],
    )?;
    Ok(())
}

/// The earliest time a pending or snoozed reminder pops.
pub fn next_wake<'a>(db: impl Into<Db<'a>>) -> Result<Option<String>> {
    // The server wants its derived table named.
    db.into()
        .query_opt(
            "SELECT min(w) FROM (
                SELECT min(wake_at) AS w FROM reminders WHERE state = 'pending'
                UNION ALL SELECT min(wake_at) FROM reminders WHERE state = 'snoozed') AS wakes",
            &[],
        )?
        .map_or(Ok(None), |r| r.get(0))
}

/// The earliest wake of the reminders of one kind still to pop.
pub fn next_wake_of<'a>(db: impl Into<Db<'a>>, kind: ReminderKind) -> Result<Option<String>> {
    db.into()
        .query_opt(
            "SELECT min(wake_at) FROM reminders INDEXED BY reminders_source
             WHERE kind = ?1 AND state IN ('pending', 'snoozed')",
            &[&kind],
        )?
        .map_or(Ok(None), |r| r.get(0))
}

pub fn snooze<'a>(db: impl Into<Db<'a>>, id: i64, until: &str, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE reminders SET state = 'snoozed', wake_at = ?2, updated_at = ?3 WHERE id = ?1",
        &[&id, &until, &now],
    )?;
    Ok(())
}

pub fn close<'a>(db: impl Into<Db<'a>>, id: i64, state: ReminderState, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE reminders SET state = ?2, closed_at = ?3, updated_at = ?3 WHERE id = ?1",
        &[&id, &state, &now],
    )?;
    Ok(())
}

/// Close pending reminders of `kind` for a source that no longer needs them (a visit done
/// or moved, a complaint closed), except the occurrence keys still current.
pub fn close_stale<'a>(
    db: impl Into<Db<'a>>,
    kind: ReminderKind,
    source_id: i64,
    keep: &[String],
    now: &str,
) -> Result<usize> {
    let db = db.into();
    let open = db.query(
        "SELECT id, key FROM reminders WHERE kind = ?1 AND source_id = ?2 AND state IN ('pending', 'snoozed')",
        &[&kind, &source_id],
    )?;
    let mut n = 0;
    for r in open {
        let (id, key): (i64, String) = (r.get(0)?, r.get(1)?);
        if !keep.contains(&key) {
            close(db, id, ReminderState::Done, now)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Sources with open reminders (to check whether they are still current).
pub fn open_sources<'a>(db: impl Into<Db<'a>>, kind: ReminderKind) -> Result<Vec<i64>> {
    db.into()
        .query(
            "SELECT DISTINCT source_id FROM reminders WHERE kind = ?1 AND state IN ('pending', 'snoozed') AND source_id IS NOT NULL",
            &[&kind],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The reminder center: what needs doing, or the history.
pub fn list_center<'a>(db: impl Into<Db<'a>>, q: &CenterQuery, limit: usize) -> Result<(usize, Vec<Reminder>)> {
    let db = db.into();
    let mut wh = vec![if q.history {
        "r.state IN ('done', 'dismissed')".to_string()
    } else {
        "r.state IN ('pending', 'fired', 'snoozed')".to_string()
    }];
    let mut args: Vec<db::Value> = Vec::new();
    if let Some(k) = q.kind {
        wh.push("r.kind = ?".into());
        args.push(k.value());
    }
    if !q.staff.trim().is_empty() {
        wh.push("r.staff = ?".into());
        args.push(q.staff.trim().value());
    }
    let where_sql = wh.join(" AND ");
    let params: Vec<&dyn Param> = args.iter().map(|a| a as &dyn Param).collect();
    let total = db.count(&format!("SELECT count(*) FROM reminders r WHERE {where_sql}"), &params)?;
    // NULLS LAST is the desk's own order, written out for the server.
    let order = if q.history {
        "r.closed_at DESC NULLS LAST, r.id DESC"
    } else {
        "r.wake_at, r.id"
    };
    args.push(limit.value());
    args.push(q.offset.value());
    let params: Vec<&dyn Param> = args.iter().map(|a| a as &dyn Param).collect();
    // The open list walks the partial index in wake order instead of sorting (on the desk's
    // file; the server plans its own).
    let indexed = if q.history { "" } else { "INDEXED BY reminders_open" };
    let sql = format!(
        "SELECT {COLS} FROM reminders r {indexed} LEFT JOIN customers c ON c.id = r.customer_id WHERE {where_sql}
         ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let items = db.query(&sql, &params)?.iter().map(from_row).collect::<Result<_>>()?;
    Ok((total, items))
}

/// How many reminders are in `states` (an SQL list of quoted states, written by the caller).
pub fn count_state<'a>(db: impl Into<Db<'a>>, states: &str) -> Result<usize> {
    let n = db.into().count(
        &format!("SELECT count(*) FROM reminders WHERE state IN ({states})"),
        &[],
    )?;
    Ok(n)
}

/// A manual reminder's row.
pub struct Manual {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub text: String,
    pub due_at: String,
    pub repeat: Option<Repeat>,
    pub repeat_anchor: Option<String>,
    pub repeat_index: u32,
    pub staff: String,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_manual<'a>(
    db: impl Into<Db<'a>>,
    customer_id: Option<i64>,
    text: &str,
    due_at: &str,
    repeat: Option<Repeat>,
    anchor: Option<&str>,
    staff: &str,
    now: &str,
) -> Result<i64> {
    db.into().insert(
        "INSERT INTO manual_reminders (customer_id, text, due_at, repeat_unit, repeat_every, repeat_anchor, staff,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             RETURNING id",
        &[
            &customer_id,
            &text,
            &due_at,
            &repeat.map(|r| r.unit),
            &repeat.map(|r| r.every),
            &anchor,
            &staff,
            &now,
        ],
    )
}

fn manual_of(r: &db::Row) -> Result<Manual> {
    let repeat = match (r.get::<Option<RepeatUnit>>(4)?, r.get::<Option<u32>>(5)?) {
        (Some(unit), Some(every)) => Some(Repeat { unit, every }),
        _ => None,
    };
    Ok(Manual {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        text: r.get(2)?,
        due_at: r.get(3)?,
        repeat,
        repeat_anchor: r.get(6)?,
        repeat_index: r.get(7)?,
        staff: r.get(8)?,
    })
}

/// Active manual reminders due up to `until` (UTC).
pub fn list_manual_until<'a>(db: impl Into<Db<'a>>, until: &str) -> Result<Vec<Manual>> {
    db.into()
        .query(
            "SELECT id, customer_id, text, due_at, repeat_unit, repeat_every, repeat_anchor, repeat_index, staff
             FROM manual_reminders WHERE active = 1 AND due_at <= ?1",
            &[&until],
        )?
        .iter()
        .map(manual_of)
        .collect()
}

/// Move a repeating manual reminder to its next occurrence, or retire a one-off.
pub fn advance_manual<'a>(db: impl Into<Db<'a>>, id: i64, next: Option<(&str, u32)>, now: &str) -> Result<()> {
    let db = db.into();
    match next {
        Some((due, index)) => db.execute(
            "UPDATE manual_reminders SET due_at = ?2, repeat_index = ?3, updated_at = ?4 WHERE id = ?1",
            &[&id, &due, &index, &now],
        )?,
        None => db.execute(
            "UPDATE manual_reminders SET active = 0, updated_at = ?2 WHERE id = ?1",
            &[&id, &now],
        )?,
    };
    Ok(())
}

/// Replace a customer's name in the texts of their reminders (after anonymising).
pub fn rename_in_reminders<'a>(db: impl Into<Db<'a>>, customer_id: i64, label: &str) -> Result<usize> {
    let db = db.into();
    // A guest's preparation line holds their name and preference card: it becomes the label.
    // The desk's file edits the JSON text with json_set; the server through jsonb (the
    // object's text comes back in jsonb's spelling, which reads back the same).
    let (prep, name) = if db.is_server() {
        (
            "UPDATE reminders SET args = jsonb_set(args::jsonb, '{prep}', to_jsonb(CAST(?2 AS text)))::text
             WHERE customer_id = ?1 AND args::jsonb ->> 'prep' IS NOT NULL",
            "UPDATE reminders SET args = jsonb_set(args::jsonb, '{name}', to_jsonb(CAST(?2 AS text)))::text
             WHERE customer_id = ?1 AND args::jsonb ->> 'name' IS NOT NULL",
        )
    } else {
        (
            "UPDATE reminders SET args = json_set(args, '$.prep', ?2)
             WHERE customer_id = ?1 AND json_extract(args, '$.prep') IS NOT NULL",
            "UPDATE reminders SET args = json_set(args, '$.name', ?2)
             WHERE customer_id = ?1 AND json_extract(args, '$.name') IS NOT NULL",
        )
    };
    db.execute(prep, &[&customer_id, &label])?;
    Ok(changed(db.execute(name, &[&customer_id, &label])?))
}

/// Drop the planned occurrences of customers that are being deleted (an undone import):
/// only ones that never fired, which nobody has seen.
pub fn delete_unfired_for_customers<'a>(db: impl Into<Db<'a>>, ids: &[i64]) -> Result<usize> {
    let db = db.into();
    let mut n = 0;
    for id in ids {
        n += changed(db.execute(
            "DELETE FROM reminders WHERE customer_id = ?1 AND state = 'pending' AND fired_at IS NULL",
            &[id],
        )?);
    }
    Ok(n)
}

/// Hand every reminder occurrence to `f` (pending, fired, snoozed and the history of done
/// and dismissed ones), by due time. The desk's file streams the rows from one statement;
/// the server hands them over once read.
pub fn for_each_reminder<'a>(db: impl Into<Db<'a>>, mut f: impl FnMut(Reminder) -> Result<()>) -> Result<()> {
    let sql =
        format!("SELECT {COLS} FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id ORDER BY r.due_at, r.id");
    match db.into() {
        Db::Desk(conn) => {
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                f(from_row(&db::Row::of_desk(r)?)?)?;
            }
        }
        db @ Db::Server(_) => {
            for r in db.query(&sql, &[])? {
                f(from_row(&r)?)?;
            }
        }
    }
    Ok(())
}

/// Dismiss a customer's pending occurrences of one kind (keep-in-touch for a customer
/// marked lost); they stay in the history as dismissed.
pub fn dismiss_pending_for_customer<'a>(
    db: impl Into<Db<'a>>,
    customer_id: i64,
    kind: ReminderKind,
    now: &str,
) -> Result<usize> {
    Ok(changed(db.into().execute(
        "UPDATE reminders SET state = 'dismissed', closed_at = ?3, updated_at = ?3
         WHERE customer_id = ?1 AND kind = ?2 AND state IN ('pending', 'snoozed')",
        &[&customer_id, &kind, &now],
    )?))
}
