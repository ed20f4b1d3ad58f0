//! All of the audit trail's SQL.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::model::{Action, AuditEntry, AuditFilter, Context, RecordKind, JSON_FIELDS};
use crate::error::{Error, Result};

/// Set who and why for the rows the triggers write from now on in this transaction; each
/// call starts a new change (`change_id`).
pub fn set_context(conn: &Connection, c: &Context) -> Result<()> {
    conn.prepare_cached(
        "UPDATE audit_ctx SET change_id = change_id + 1, at = ?1, staff = ?2, actor = ?3, reason = ?4, record = ?5
         WHERE id = 1",
    )?
    .execute(params![c.at, c.staff, c.actor, c.reason, c.record])?;
    Ok(())
}

/// One summary row for a bulk write (`count` records of `kind` created at once).
pub fn add_bulk(conn: &Connection, kind: RecordKind, count: usize) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
         SELECT change_id, at, staff, actor, reason, ?1, '*', NULL, 'bulk', NULL, NULL, ?2 FROM audit_ctx WHERE id = 1",
    )?
    .execute(params![kind, count as i64])?;
    Ok(())
}

/// Erase the values of every entry about this customer's record and reminders (its
/// visits and complaints keep theirs, as the records themselves do). The rows stay.
pub fn erase_customer(conn: &Connection, customer_id: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE audit_log SET old_value = NULL, new_value = NULL, erased = 1
             WHERE customer_id = ?1 AND kind IN ('customer', 'reminder') AND erased = 0",
        )?
        .execute([customer_id])?)
}

const COLS: &str = "a.id, a.change_id, a.at, a.staff, a.actor, a.reason, a.kind, a.record_id, a.customer_id,
    c.name, a.action, a.field, a.old_value, a.new_value, a.erased";

/// A stored value as JSON: JSON text for list and object fields, else as it was stored.
fn to_json(v: Value, field: Option<&str>, action: Action) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => i.into(),
        Value::Real(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
        Value::Text(t) => {
            let json = matches!(action, Action::Create | Action::Delete) && field.is_none()
                || field.is_some_and(|f| JSON_FIELDS.contains(&f));
            if json {
                serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t))
            } else {
                serde_json::Value::String(t)
            }
        }
        Value::Blob(_) => serde_json::Value::Null,
    }
}

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let field: Option<String> = r.get(11)?;
    let action: Action = r.get(10)?;
    Ok(AuditEntry {
        id: r.get(0)?,
        change_id: r.get(1)?,
        at: r.get(2)?,
        staff: r.get(3)?,
        actor: r.get(4)?,
        reason: r.get(5)?,
        kind: r.get(6)?,
        record_id: r.get(7)?,
        customer_id: r.get(8)?,
        customer_name: r.get(9)?,
        action,
        old_value: to_json(r.get(12)?, field.as_deref(), action),
        new_value: to_json(r.get(13)?, field.as_deref(), action),
        field,
        erased: r.get(14)?,
    })
}

pub fn get_entry(conn: &Connection, id: i64) -> Result<AuditEntry> {
    let sql = format!("SELECT {COLS} FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id WHERE a.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], entry_from_row)
        .optional()?
        .ok_or(Error::NotFound {
            entity: "audit_entry",
            id,
        })
}

/// The raw stored old value of an entry (what a revert puts back).
pub fn get_old_value(conn: &Connection, id: i64) -> Result<Value> {
    conn.prepare_cached("SELECT old_value FROM audit_log WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound {
            entity: "audit_entry",
            id,
        })
}

fn where_clause(f: &AuditFilter) -> (String, Vec<Value>) {
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(k) = f.kind {
        conds.push("a.kind = ?");
        args.push(Value::Text(k.as_str().into()));
    }
    if let Some(r) = &f.record_id {
        conds.push("a.record_id = ?");
        args.push(Value::Text(r.clone()));
    }
    if let Some(c) = f.customer_id {
        conds.push("a.customer_id = ?");
        args.push(Value::Integer(c));
    }
    if let Some(s) = &f.staff {
        conds.push("a.staff = ?");
        args.push(Value::Text(s.clone()));
    }
    if let Some(t) = &f.from_ts {
        conds.push("a.at >= ?");
        args.push(Value::Text(t.clone()));
    }
    if let Some(t) = &f.to_ts {
        conds.push("a.at < ?");
        args.push(Value::Text(t.clone()));
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (sql, args)
}

/// One page of entries matching `f`, newest first, and how many match in all.
pub fn list_entries(conn: &Connection, f: &AuditFilter) -> Result<(usize, Vec<AuditEntry>)> {
    let (cond, args) = where_clause(f);
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM audit_log a {cond}"))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    let sql = format!(
        "SELECT {COLS} FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id {cond}
         ORDER BY a.id DESC LIMIT {} OFFSET {}",
        f.limit, f.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((total as usize, rows))
}
