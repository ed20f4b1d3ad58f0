//! All of the import batches' SQL: the record of each import, what it did to each customer,
//! and whether any of them changed since; on either store ([`Db`]).

use super::mapping::Target;
use super::model::{Batch, Duplicates, ItemAction};
use crate::error::{Error, Result};
use crate::store::db::{self, Db};

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

pub fn insert_batch<'a>(db: impl Into<Db<'a>>, b: &NewBatch<'_>) -> Result<i64> {
    db.into().insert(
        "INSERT INTO import_batches (at, staff, file, headers, mapping, duplicates)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        &[
            &b.at,
            &b.staff,
            &b.file,
            &json(&b.headers)?,
            &json(&b.mapping)?,
            &b.duplicates,
        ],
    )
}

/// The counts and the audit trail's last change of a finished batch.
pub struct BatchCounts {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub invalid: usize,
    pub change_id: i64,
}

pub fn finish_batch<'a>(db: impl Into<Db<'a>>, id: i64, c: &BatchCounts) -> Result<()> {
    db.into().execute(
        "UPDATE import_batches SET created = ?2, updated = ?3, skipped = ?4, invalid = ?5, change_id = ?6 WHERE id = ?1",
        &[&id, &c.created, &c.updated, &c.skipped, &c.invalid, &c.change_id],
    )?;
    Ok(())
}

pub fn insert_item<'a>(
    db: impl Into<Db<'a>>,
    batch: i64,
    customer: i64,
    action: ItemAction,
    before: Option<&str>,
) -> Result<()> {
    db.into().execute(
        "INSERT INTO import_items (batch_id, customer_id, action, before) VALUES (?1, ?2, ?3, ?4)",
        &[&batch, &customer, &action, &before],
    )?;
    Ok(())
}

/// A batch's items: `(customer, action, before)`.
pub fn list_items<'a>(db: impl Into<Db<'a>>, batch: i64) -> Result<Vec<(i64, ItemAction, Option<String>)>> {
    db.into()
        .query(
            "SELECT customer_id, action, before FROM import_items WHERE batch_id = ?1 ORDER BY customer_id",
            &[&batch],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .collect()
}

pub fn mark_undone<'a>(db: impl Into<Db<'a>>, id: i64, at: &str) -> Result<()> {
    db.into()
        .execute("UPDATE import_batches SET undone_at = ?2 WHERE id = ?1", &[&id, &at])?;
    Ok(())
}

/// The audit trail's current change: the one being written in this transaction, else the
/// last one made (on the shared database, by any desk).
pub fn current_change<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    let db = db.into();
    let sql = if db.is_server() {
        "SELECT CAST(coalesce(nullif(current_setting('fd.change_id', true), ''),
                (SELECT CAST(CASE WHEN is_called THEN last_value ELSE 0 END AS text) FROM audit_change)) AS bigint)"
    } else {
        "SELECT change_id FROM audit_ctx WHERE id = 1"
    };
    db.query_opt(sql, &[])?
        .ok_or_else(|| Error::Internal("the audit trail has no change counter".into()))?
        .get(0)
}

/// How many of the batch's customers the trail shows a change for since the import
/// (an edit, a visit, a complaint, a reminder that fired, …).
pub fn count_changed_since<'a>(db: impl Into<Db<'a>>, batch: i64, change_id: i64) -> Result<usize> {
    let n: i64 = db
        .into()
        .query_opt(
            "SELECT count(DISTINCT a.customer_id) FROM import_items i
             JOIN audit_log a ON a.customer_id = i.customer_id AND a.change_id > ?2
             WHERE i.batch_id = ?1",
            &[&batch, &change_id],
        )?
        .map_or(Ok(0), |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

const BATCH_COLS: &str = "id, at, staff, file, duplicates, created, updated, skipped, invalid, change_id, undone_at";

fn batch_of(r: &db::Row) -> Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        at: r.get(1)?,
        staff: r.get(2)?,
        file: r.get(3)?,
        duplicates: r.get(4)?,
        created: r.get(5)?,
        updated: r.get(6)?,
        skipped: r.get(7)?,
        invalid: r.get(8)?,
        change_id: r.get(9)?,
        undone_at: r.get(10)?,
        changed_since: 0,
    })
}

/// The newest batch, undone or not.
pub fn get_last_batch<'a>(db: impl Into<Db<'a>>) -> Result<Option<Batch>> {
    let sql = format!("SELECT {BATCH_COLS} FROM import_batches ORDER BY id DESC LIMIT 1");
    db.into().query_opt(&sql, &[])?.map(|r| batch_of(&r)).transpose()
}

/// The mapping of the newest import whose file had exactly these headers.
pub fn get_mapping_for<'a>(db: impl Into<Db<'a>>, headers: &[String]) -> Result<Option<Vec<Target>>> {
    let found: Option<String> = db
        .into()
        .query_opt(
            "SELECT mapping FROM import_batches WHERE headers = ?1 ORDER BY id DESC LIMIT 1",
            &[&json(&headers)?],
        )?
        .map(|r| r.get(0))
        .transpose()?;
    // A mapping this version cannot read (written by a newer one) is offered no more.
    Ok(found.and_then(|m| serde_json::from_str(&m).ok()))
}
