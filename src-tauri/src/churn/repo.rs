//! All of churn's SQL.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::model::{ChurnEntry, ChurnQuery, Reason};
use super::rules::ValidChurn;
use crate::error::{Error, Result};

pub fn list_reasons(conn: &Connection) -> Result<Vec<Reason>> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name, archived FROM churn_reasons ORDER BY position, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Reason {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            archived: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Add a reason (`id` 0) or rename / archive one; reasons are never deleted.
pub fn save_reason(conn: &Connection, r: &Reason) -> Result<()> {
    if r.id == 0 {
        conn.prepare_cached(
            "INSERT INTO churn_reasons (name, position, archived)
             VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM churn_reasons WHERE position < 99), ?2)",
        )?
        .execute(params![r.name.trim(), r.archived])?;
        return Ok(());
    }
    let n = conn
        .prepare_cached("UPDATE churn_reasons SET name = ?2, archived = ?3 WHERE id = ?1")?
        .execute(params![r.id, r.name.trim(), r.archived])?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "churn reason",
            id: r.id,
        });
    }
    Ok(())
}

pub fn reason_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM churn_reasons WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Record a loss; `Conflict` when the customer is already lost.
pub fn insert_churn(conn: &Connection, customer_id: i64, c: &ValidChurn, now: &str) -> Result<i64> {
    let lost_on = crate::kernel::time::format_date(c.lost_on);
    conn.prepare_cached(
        "INSERT INTO churn (customer_id, lost_on, type, reason_id, note, staff, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        customer_id,
        lost_on,
        c.churn_type,
        c.reason_id,
        c.note,
        c.staff,
        now
    ])
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::state("customer_already_lost", "this customer is already marked lost")
        }
        _ => e.into(),
    })?;
    Ok(conn.last_insert_rowid())
}

pub fn set_won_back(conn: &Connection, id: i64, on: &str, note: &str, staff: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE churn SET won_back_on = ?2, won_back_note = ?3, won_back_staff = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, on, note, staff, now])?;
    Ok(())
}

/// Erase the free text of an anonymised customer's losses (type, reason and dates stay
/// counted).
pub fn erase_for_customer(conn: &Connection, customer_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE churn SET note = '', won_back_note = '' WHERE customer_id = ?1")?
        .execute([customer_id])?;
    Ok(())
}

const COLS: &str = "c.id, c.customer_id, cu.name, cu.tier, c.lost_on, c.type, c.reason_id, r.code, r.name, r.archived,
    c.note, c.staff, c.won_back_on, c.won_back_note, c.won_back_staff, c.created_at";
const FROM: &str =
    "FROM churn c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN churn_reasons r ON r.id = c.reason_id";

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<ChurnEntry> {
    let reason = match r.get::<_, Option<i64>>(6)? {
        Some(id) => Some(Reason {
            id,
            code: r.get(7)?,
            name: r.get(8)?,
            archived: r.get(9)?,
        }),
        None => None,
    };
    Ok(ChurnEntry {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        tier: r.get(3)?,
        lost_on: r.get(4)?,
        churn_type: r.get(5)?,
        reason,
        note: r.get(10)?,
        staff: r.get(11)?,
        won_back_on: r.get(12)?,
        won_back_note: r.get(13)?,
        won_back_staff: r.get(14)?,
        created_at: r.get(15)?,
    })
}

/// The customer's open loss, if they are lost now.
pub fn get_open(conn: &Connection, customer_id: i64) -> Result<Option<ChurnEntry>> {
    let sql = format!("SELECT {COLS} {FROM} WHERE c.customer_id = ?1 AND c.won_back_on IS NULL");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([customer_id], entry_from_row)
        .optional()?)
}

/// Every loss of one customer, newest first.
pub fn list_for_customer(conn: &Connection, customer_id: i64) -> Result<Vec<ChurnEntry>> {
    let sql = format!("SELECT {COLS} {FROM} WHERE c.customer_id = ?1 ORDER BY c.lost_on DESC, c.id DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([customer_id], entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of the register, newest loss first; `limit` rows at most.
pub fn list_churn(conn: &Connection, q: &ChurnQuery, limit: usize) -> Result<(usize, Vec<ChurnEntry>)> {
    let filter = "WHERE (?1 IS NULL OR c.type = ?1) AND (?2 IS NULL OR c.reason_id = ?2)
        AND (?3 IS NULL OR c.lost_on >= ?3) AND (?4 IS NULL OR c.lost_on <= ?4)
        AND (?5 = 0 OR c.won_back_on IS NULL)";
    let args = params![q.churn_type, q.reason_id, q.from, q.to, q.open_only];
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) {FROM} {filter}"))?
        .query_row(args, |r| r.get(0))?;
    let sql = format!("SELECT {COLS} {FROM} {filter} ORDER BY c.lost_on DESC, c.id DESC LIMIT ?6 OFFSET ?7");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            q.churn_type,
            q.reason_id,
            q.from,
            q.to,
            q.open_only,
            limit as i64,
            q.offset as i64
        ],
        entry_from_row,
    )?;
    Ok((total as usize, rows.collect::<rusqlite::Result<_>>()?))
}
