//! All of the import batches' SQL: the record of each import, what it did to each customer,
//! and whether any of them changed since.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::mapping::Target;
use super::model::{Batch, Duplicates, ItemAction};
use crate::error::{Error, Result};

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(Error::internal)
}

/// What a new batch starts as; its counts are set when it is done.
pub struct NewBatch<'a> {
    pub at: &'a str,
    pub staff: &'a str,
    pub file: &'a str,
    pub headers: &'a [String],
    pub mapping: &'a [Target],
    pub duplicates: Duplicates,
}

pub fn insert_batch(conn: &Connection, b: &NewBatch<'_>) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO import_batches (at, staff, file, headers, mapping, duplicates) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        b.at,
        b.staff,
        b.file,
        json(&b.headers)?,
        json(&b.mapping)?,
        b.duplicates
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The counts and the audit trail's last change of a finished batch.
pub struct BatchCounts {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub invalid: usize,
    pub change_id: i64,
}

pub fn finish_batch(conn: &Connection, id: i64, c: &BatchCounts) -> Result<()> {
    conn.prepare_cached(
        "UPDATE import_batches SET created = ?2, updated = ?3, skipped = ?4, invalid = ?5, change_id = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        c.created as i64,
        c.updated as i64,
        c.skipped as i64,
        c.invalid as i64,
        c.change_id
    ])?;
    Ok(())
}

pub fn insert_item(
    conn: &Connection,
    batch: i64,
    customer: i64,
    action: ItemAction,
    before: Option<&str>,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO import_items (batch_id, customer_id, action, before) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![batch, customer, action, before])?;
    Ok(())
}

/// A batch's items: `(customer, action, before)`.
pub fn list_items(conn: &Connection, batch: i64) -> Result<Vec<(i64, ItemAction, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, action, before FROM import_items WHERE batch_id = ?1 ORDER BY customer_id",
    )?;
    let rows = stmt
        .query_map([batch], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn mark_undone(conn: &Connection, id: i64, at: &str) -> Result<()> {
    conn.prepare_cached("UPDATE import_batches SET undone_at = ?2 WHERE id = ?1")?
        .execute(params![id, at])?;
    Ok(())
}

/// The audit trail's current change (the one being written in this transaction).
pub fn current_change(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT change_id FROM audit_ctx WHERE id = 1", [], |r| r.get(0))?)
}

/// How many of the batch's customers the trail shows a change for since the import
/// (an edit, a visit, a complaint, a reminder that fired, …).
pub fn count_changed_since(conn: &Connection, batch: i64, change_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(DISTINCT a.customer_id) FROM import_items i
             JOIN audit_log a ON a.customer_id = i.customer_id AND a.change_id > ?2
             WHERE i.batch_id = ?1",
        )?
        .query_row(params![batch, change_id], |r| r.get(0))?;
    Ok(n as usize)
}

const BATCH_COLS: &str = "id, at, staff, file, duplicates, created, updated, skipped, invalid, change_id, undone_at";

fn batch_from_row(r: &Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        at: r.get(1)?,
        staff: r.get(2)?,
        file: r.get(3)?,
        duplicates: r.get(4)?,
        created: r.get::<_, i64>(5)? as usize,
        updated: r.get::<_, i64>(6)? as usize,
        skipped: r.get::<_, i64>(7)? as usize,
        invalid: r.get::<_, i64>(8)? as usize,
        change_id: r.get(9)?,
        undone_at: r.get(10)?,
        changed_since: 0,
    })
}

/// The newest batch, undone or not.
pub fn get_last_batch(conn: &Connection) -> Result<Option<Batch>> {
    let sql = format!("SELECT {BATCH_COLS} FROM import_batches ORDER BY id DESC LIMIT 1");
    Ok(conn.prepare_cached(&sql)?.query_row([], batch_from_row).optional()?)
}

/// The mapping of the newest import whose file had exactly these headers.
pub fn get_mapping_for(conn: &Connection, headers: &[String]) -> Result<Option<Vec<Target>>> {
    let found: Option<String> = conn
        .prepare_cached("SELECT mapping FROM import_batches WHERE headers = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([json(&headers)?], |r| r.get(0))
        .optional()?;
    // A mapping this version cannot read (written by a newer one) is offered no more.
    Ok(found.and_then(|m| serde_json::from_str(&m).ok()))
}
