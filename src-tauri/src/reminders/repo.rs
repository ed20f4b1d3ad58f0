//! Reminder SQL: occurrences (insert once by key), firing, the center, manual reminders.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use crate::error::{Error, Result};

use super::model::{CenterQuery, Reminder, ReminderKind, ReminderState};

fn parse<T>(s: String, f: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    f(&s).ok_or_else(|| rusqlite::Error::InvalidColumnType(0, s, rusqlite::types::Type::Text))
}

/// Store an occurrence unless one with the same key exists. Returns whether it was new.
#[allow(clippy::too_many_arguments)]
pub fn insert_occurrence(
    conn: &Connection,
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
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO reminders (kind, key, customer_id, source_id, due_at, wake_at, args, staff,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        )?
        .execute(params![
            kind.as_str(),
            key,
            customer_id,
            source_id,
            due_at,
            wake_at,
            args,
            staff,
            now
        ])?;
    Ok(n > 0)
}

const COLS: &str = "r.id, r.kind, r.customer_id, c.name, r.source_id, r.due_at, r.wake_at, r.state, r.fired_at,
    r.late, r.args, r.staff, r.closed_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Reminder> {
    let args: String = r.get(10)?;
    Ok(Reminder {
        id: r.get(0)?,
        kind: parse(r.get(1)?, ReminderKind::parse)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        source_id: r.get(4)?,
        due_at: r.get(5)?,
        wake_at: r.get(6)?,
        state: parse(r.get(7)?, ReminderState::parse)?,
        fired_at: r.get(8)?,
        late: r.get(9)?,
        args: serde_json::from_str(&args).unwrap_or(serde_json::Value::Null),
        staff: r.get(11)?,
        closed_at: r.get(12)?,
    })
}

pub fn get_reminder(conn: &Connection, id: i64) -> Result<Reminder> {
    conn.prepare_cached(&format!(
        "SELECT {COLS} FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id WHERE r.id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or(Error::NotFound { entity: "reminder", id })
}

/// Pending or snoozed reminders whose time has come, earliest first.
pub fn list_due(conn: &Connection, now: &str) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id
         WHERE r.state IN ('pending', 'snoozed') AND r.wake_at <= ?1 ORDER BY r.wake_at, r.id"
    ))?;
    let rows = stmt.query_map([now], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn mark_fired(conn: &Connection, id: i64, now: &str, late: bool) -> Result<()> {
    conn.prepare_cached(
        "UPDATE reminders SET state = 'fired', fired_at = ?2, late = ?3, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now, late])?;
    Ok(())
}

/// The earliest time a pending or snoozed reminder pops.
pub fn next_wake(conn: &Connection) -> Result<Option<String>> {
    let v: Option<String> = conn
        .prepare_cached(
            "SELECT min(w) FROM (
                SELECT min(wake_at) AS w FROM reminders WHERE state = 'pending'
                UNION ALL SELECT min(wake_at) FROM reminders WHERE state = 'snoozed')",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(v)
}

/// The earliest wake of the reminders of one kind still to pop.
pub fn next_wake_of(conn: &Connection, kind: ReminderKind) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT min(wake_at) FROM reminders INDEXED BY reminders_source
             WHERE kind = ?1 AND state IN ('pending', 'snoozed')",
        )?
        .query_row([kind.as_str()], |r| r.get(0))?)
}

pub fn snooze(conn: &Connection, id: i64, until: &str, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE reminders SET state = 'snoozed', wake_at = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, until, now])?;
    Ok(())
}

pub fn close(conn: &Connection, id: i64, state: ReminderState, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE reminders SET state = ?2, closed_at = ?3, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, state.as_str(), now])?;
    Ok(())
}

/// Close pending reminders of `kind` for a source that no longer needs them (a visit done
/// or moved, a complaint closed), except the occurrence keys still current.
pub fn close_stale(conn: &Connection, kind: ReminderKind, source_id: i64, keep: &[String], now: &str) -> Result<usize> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, key FROM reminders WHERE kind = ?1 AND source_id = ?2 AND state IN ('pending', 'snoozed')",
    )?;
    let rows: Vec<(i64, String)> = stmt
        .query_map(params![kind.as_str(), source_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut n = 0;
    for (id, key) in rows {
        if !keep.contains(&key) {
            close(conn, id, ReminderState::Done, now)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Sources with open reminders (to check whether they are still current).
pub fn open_sources(conn: &Connection, kind: ReminderKind) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT source_id FROM reminders WHERE kind = ?1 AND state IN ('pending', 'snoozed') AND source_id IS NOT NULL",
    )?;
    let rows = stmt.query_map([kind.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The reminder center: what needs doing, or the history.
pub fn list_center(conn: &Connection, q: &CenterQuery, limit: usize) -> Result<(usize, Vec<Reminder>)> {
    let mut wh = vec![if q.history {
        "r.state IN ('done', 'dismissed')".to_string()
    } else {
        "r.state IN ('pending', 'fired', 'snoozed')".to_string()
    }];
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(k) = q.kind {
        wh.push("r.kind = ?".into());
        args.push(Box::new(k.as_str()));
    }
    if !q.staff.trim().is_empty() {
        wh.push("r.staff = ?".into());
        args.push(Box::new(q.staff.trim().to_string()));
    }
    let where_sql = wh.join(" AND ");
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM reminders r WHERE {where_sql}"))?
        .query_row(rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
            r.get(0)
        })?;
    let order = if q.history {
        "r.closed_at DESC, r.id DESC"
    } else {
        "r.wake_at, r.id"
    };
    args.push(Box::new(limit as i64));
    args.push(Box::new(q.offset as i64));
    // The open list walks the partial index in wake order instead of sorting.
    let indexed = if q.history { "" } else { "INDEXED BY reminders_open" };
    let sql = format!(
        "SELECT {COLS} FROM reminders r {indexed} LEFT JOIN customers c ON c.id = r.customer_id WHERE {where_sql}
         ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())), from_row)?;
    Ok((total as usize, rows.collect::<rusqlite::Result<_>>()?))
}

pub fn count_state(conn: &Connection, states: &str) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM reminders WHERE state IN ({states})"))?
        .query_row([], |r| r.get(0))?;
    Ok(n as usize)
}

/// A manual reminder's row.
pub struct Manual {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub text: String,
    pub due_at: String,
    pub repeat: Option<crate::kernel::recurrence::Repeat>,
    pub repeat_anchor: Option<String>,
    pub repeat_index: u32,
    pub staff: String,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_manual(
    conn: &Connection,
    customer_id: Option<i64>,
    text: &str,
    due_at: &str,
    repeat: Option<crate::kernel::recurrence::Repeat>,
    anchor: Option<&str>,
    staff: &str,
    now: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO manual_reminders (customer_id, text, due_at, repeat_unit, repeat_every, repeat_anchor, staff,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        customer_id,
        text,
        due_at,
        repeat.map(|r| r.unit.as_str()),
        repeat.map(|r| r.every),
        anchor,
        staff,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Active manual reminders due up to `until` (UTC).
pub fn list_manual_until(conn: &Connection, until: &str) -> Result<Vec<Manual>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, customer_id, text, due_at, repeat_unit, repeat_every, repeat_anchor, repeat_index, staff
         FROM manual_reminders WHERE active = 1 AND due_at <= ?1",
    )?;
    let rows = stmt.query_map([until], |r| {
        let unit: Option<String> = r.get(4)?;
        let every: Option<u32> = r.get(5)?;
        let repeat = match (unit, every) {
            (Some(u), Some(every)) => Some(crate::kernel::recurrence::Repeat {
                unit: parse(u, crate::kernel::recurrence::RepeatUnit::parse)?,
                every,
            }),
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
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Move a repeating manual reminder to its next occurrence, or retire a one-off.
pub fn advance_manual(conn: &Connection, id: i64, next: Option<(&str, u32)>, now: &str) -> Result<()> {
    match next {
        Some((due, index)) => conn
            .prepare_cached(
                "UPDATE manual_reminders SET due_at = ?2, repeat_index = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id, due, index, now])?,
        None => conn
            .prepare_cached("UPDATE manual_reminders SET active = 0, updated_at = ?2 WHERE id = ?1")?
            .execute(params![id, now])?,
    };
    Ok(())
}

/// Replace a customer's name in the texts of their reminders (after anonymising).
pub fn rename_in_reminders(conn: &Connection, customer_id: i64, label: &str) -> Result<usize> {
    // A guest's preparation line holds their name and preference card: it becomes the label.
    conn.prepare_cached(
        "UPDATE reminders SET args = json_set(args, '$.prep', ?2)
         WHERE customer_id = ?1 AND json_extract(args, '$.prep') IS NOT NULL",
    )?
    .execute(params![customer_id, label])?;
    Ok(conn
        .prepare_cached(
            "UPDATE reminders SET args = json_set(args, '$.name', ?2)
             WHERE customer_id = ?1 AND json_extract(args, '$.name') IS NOT NULL",
        )?
        .execute(params![customer_id, label])?)
}

/// Drop the planned occurrences of customers that are being deleted (an undone import):
/// only ones that never fired, which nobody has seen.
pub fn delete_unfired_for_customers(conn: &Connection, ids: &[i64]) -> Result<usize> {
    let mut stmt =
        conn.prepare_cached("DELETE FROM reminders WHERE customer_id = ?1 AND state = 'pending' AND fired_at IS NULL")?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute([id])?;
    }
    Ok(n)
}

/// Hand every reminder occurrence to `f` (pending, fired, snoozed and the history of done
/// and dismissed ones), by due time; one statement streaming rows.
pub fn for_each_reminder(conn: &Connection, mut f: impl FnMut(Reminder) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLS} FROM reminders r LEFT JOIN customers c ON c.id = r.customer_id ORDER BY r.due_at, r.id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(from_row(r)?)?;
    }
    Ok(())
}

/// Dismiss a customer's pending occurrences of one kind (keep-in-touch for a customer
/// marked lost); they stay in the history as dismissed.
pub fn dismiss_pending_for_customer(
    conn: &Connection,
    customer_id: i64,
    kind: ReminderKind,
    now: &str,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE reminders SET state = 'dismissed', closed_at = ?3, updated_at = ?3
             WHERE customer_id = ?1 AND kind = ?2 AND state IN ('pending', 'snoozed')",
        )?
        .execute(params![customer_id, kind, now])?)
}
