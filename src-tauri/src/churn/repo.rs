//! All of churn's SQL, on either store ([`Db`]).

use super::model::{ChurnEntry, ChurnQuery, Reason};
use super::rules::ValidChurn;
use crate::error::{Error, Result};
use crate::store::db::{self, Db};

fn reason_of(r: &db::Row) -> Result<Reason> {
    Ok(Reason {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        archived: r.get(3)?,
    })
}

pub fn list_reasons<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Reason>> {
    db.into()
        .query(
            "SELECT id, code, name, archived FROM churn_reasons ORDER BY position, id",
            &[],
        )?
        .iter()
        .map(reason_of)
        .collect()
}

/// Add a reason (`id` 0) or rename / archive one; reasons are never deleted.
pub fn save_reason<'a>(db: impl Into<Db<'a>>, r: &Reason) -> Result<()> {
    let db = db.into();
    if r.id == 0 {
        db.execute(
            "INSERT INTO churn_reasons (name, position, archived)
             VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM churn_reasons WHERE position < 99), ?2)",
            &[&r.name.trim(), &r.archived],
        )?;
        return Ok(());
    }
    let n = db.execute(
        "UPDATE churn_reasons SET name = ?2, archived = ?3 WHERE id = ?1",
        &[&r.id, &r.name.trim(), &r.archived],
    )?;
    if n == 0 {
        return Err(Error::NotFound {
            entity: "churn reason",
            id: r.id,
        });
    }
    Ok(())
}

pub fn reason_exists<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<bool> {
    Ok(db
        .into()
        .query_opt("SELECT 1 FROM churn_reasons WHERE id = ?1", &[&id])?
        .is_some())
}

/// Record a loss; `Conflict` when the customer is already lost.
pub fn insert_churn<'a>(db: impl Into<Db<'a>>, customer_id: i64, c: &ValidChurn, now: &str) -> Result<i64> {
    let lost_on = crate::kernel::time::format_date(c.lost_on);
    db.into()
        .insert(
            "INSERT INTO churn (customer_id, lost_on, type, reason_id, note, staff, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
            &[
                &customer_id,
                &lost_on,
                &c.churn_type,
                &c.reason_id,
                &c.note,
                &c.staff,
                &now,
            ],
        )
        .map_err(|e| {
            if e.is_constraint() {
                Error::state("customer_already_lost", "this customer is already marked lost")
            } else {
                e
            }
        })
}

pub fn set_won_back<'a>(db: impl Into<Db<'a>>, id: i64, on: &str, note: &str, staff: &str, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE churn SET won_back_on = ?2, won_back_note = ?3, won_back_staff = ?4, updated_at = ?5 WHERE id = ?1",
        &[&id, &on, &note, &staff, &now],
    )?;
    Ok(())
}

/// Erase the free text of an anonymised customer's losses (type, reason and dates stay
/// counted).
pub fn erase_for_customer<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<()> {
    db.into().execute(
        "UPDATE churn SET note = '', won_back_note = '' WHERE customer_id = ?1",
        &[&customer_id],
    )?;
    Ok(())
}

const COLS: &str = "c.id, c.customer_id, cu.name, cu.tier, c.lost_on, c.type, c.reason_id, r.code, r.name, r.archived,
    c.note, c.staff, c.won_back_on, c.won_back_note, c.won_back_staff, c.created_at";
const FROM: &str =
    "FROM churn c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN churn_reasons r ON r.id = c.reason_id";

fn entry_of(r: &db::Row) -> Result<ChurnEntry> {
    let reason = match r.get::<Option<i64>>(6)? {
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
pub fn get_open<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Option<ChurnEntry>> {
    let sql = format!("SELECT {COLS} {FROM} WHERE c.customer_id = ?1 AND c.won_back_on IS NULL");
    db.into()
        .query_opt(&sql, &[&customer_id])?
        .map(|r| entry_of(&r))
        .transpose()
}

/// Every loss of one customer, newest first.
pub fn list_for_customer<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<ChurnEntry>> {
    let sql = format!("SELECT {COLS} {FROM} WHERE c.customer_id = ?1 ORDER BY c.lost_on DESC, c.id DESC");
    db.into().query(&sql, &[&customer_id])?.iter().map(entry_of).collect()
}

/// One page of the register, newest loss first; `limit` rows at most.
pub fn list_churn<'a>(db: impl Into<Db<'a>>, q: &ChurnQuery, limit: usize) -> Result<(usize, Vec<ChurnEntry>)> {
    let db = db.into();
    // An optional filter's parameter is cast where it is first tested for NULL: the server
    // types a parameter where it first sees it. `?5`, yes/no, is a whole number (0/1).
    let filter = "WHERE (CAST(?1 AS text) IS NULL OR c.type = ?1)
        AND (CAST(?2 AS bigint) IS NULL OR c.reason_id = ?2)
        AND (CAST(?3 AS text) IS NULL OR c.lost_on >= ?3) AND (CAST(?4 AS text) IS NULL OR c.lost_on <= ?4)
        AND (?5 = 0 OR c.won_back_on IS NULL)";
    let open_only = i64::from(q.open_only);
    let total = db.count(
        &format!("SELECT count(*) {FROM} {filter}"),
        &[&q.churn_type, &q.reason_id, &q.from, &q.to, &open_only],
    )?;
    let sql = format!("SELECT {COLS} {FROM} {filter} ORDER BY c.lost_on DESC, c.id DESC LIMIT ?6 OFFSET ?7");
    let rows = db.query(
        &sql,
        &[
            &q.churn_type,
            &q.reason_id,
            &q.from,
            &q.to,
            &open_only,
            &limit,
            &q.offset,
        ],
    )?;
    Ok((total, rows.iter().map(entry_of).collect::<Result<_>>()?))
}
