//! All of the audit trail's SQL, on either store ([`Db`]). The desk's triggers read who,
//! when and why from its one-row `audit_ctx` table; the server's from the writing
//! transaction's own settings (`fd.*`, see the server's `0003_triggers.sql`).

use super::model::{Action, AuditEntry, AuditFilter, Context, RecordKind, JSON_FIELDS};
use crate::error::{Error, Result};
use crate::store::db::{Db, Param, Row, Value};

/// Set who and why for the rows the triggers write from now on in this transaction; each
/// call starts a new change (`change_id`).
pub fn set_context<'a>(db: impl Into<Db<'a>>, c: &Context) -> Result<()> {
    let db = db.into();
    if db.is_server() {
        db.execute(
            "SELECT set_config('fd.change_id', CAST(nextval('audit_change') AS text), true),
                    set_config('fd.at', ?1, true), set_config('fd.staff', ?2, true),
                    set_config('fd.actor', ?3, true), set_config('fd.reason', ?4, true),
                    set_config('fd.record', CAST(CAST(?5 AS bigint) AS text), true),
                    set_config('fd.zone', ?6, true), set_config('fd.desk', ?7, true)",
            &[
                &c.at,
                &c.staff,
                &c.actor,
                &c.reason,
                &c.record,
                &crate::kernel::time::zone_name(),
                &c.desk,
            ],
        )?;
        return Ok(());
    }
    db.execute(
        "UPDATE audit_ctx SET change_id = change_id + 1, at = ?1, staff = ?2, actor = ?3, reason = ?4, record = ?5
         WHERE id = 1",
        &[&c.at, &c.staff, &c.actor, &c.reason, &c.record],
    )?;
    Ok(())
}

/// One summary row for a bulk write (`count` records of `kind` created at once).
pub fn add_bulk<'a>(db: impl Into<Db<'a>>, kind: RecordKind, count: usize) -> Result<()> {
    let db = db.into();
    let sql = if db.is_server() {
        "SELECT fd_audit_add(CAST(?1 AS text), '*', NULL, 'bulk', NULL, NULL, to_jsonb(CAST(?2 AS bigint)))"
    } else {
        "INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
         SELECT change_id, at, staff, actor, reason, ?1, '*', NULL, 'bulk', NULL, NULL, ?2 FROM audit_ctx WHERE id = 1"
    };
    db.execute(sql, &[&kind, &count])?;
    Ok(())
}

/// Erase the values of every entry about this customer's record and reminders (its
/// visits and complaints keep theirs, as the records themselves do). The rows stay.
pub fn erase_customer<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<usize> {
    let n = db.into().execute(
        "UPDATE audit_log SET old_value = NULL, new_value = NULL, erased = 1
         WHERE customer_id = ?1 AND kind IN ('customer', 'reminder') AND erased = 0",
        &[&customer_id],
    )?;
    Ok(n as usize)
}

const COLS: &str = "a.id, a.change_id, a.at, a.staff, a.actor, a.reason, a.kind, a.record_id, a.customer_id,
    c.name, a.action, a.field, a.old_value, a.new_value, a.erased, a.desk";

/// A stored value as JSON: JSON text for list and object fields, else as it was stored.
fn to_json(v: Value, field: Option<&str>, action: Action) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => i.into(),
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
    }
}

fn entry_from_row(r: &Row) -> Result<AuditEntry> {
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
        desk: r.get(15)?,
    })
}

pub fn get_entry<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<AuditEntry> {
    let sql = format!("SELECT {COLS} FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id WHERE a.id = ?1");
    match db.into().query_opt(&sql, &[&id])? {
        Some(r) => entry_from_row(&r),
        None => Err(Error::NotFound {
            entity: "audit_entry",
            id,
        }),
    }
}

/// The raw stored old value of an entry (what a revert puts back).
pub fn get_old_value<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Value> {
    db.into()
        .query_opt("SELECT old_value FROM audit_log WHERE id = ?1", &[&id])?
        .ok_or(Error::NotFound {
            entity: "audit_entry",
            id,
        })?
        .get(0)
}

fn where_clause(f: &AuditFilter) -> (String, Vec<Value>) {
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(k) = f.kind {
        conds.push("a.kind = ?");
        args.push(k.value());
    }
    if let Some(r) = &f.record_id {
        conds.push("a.record_id = ?");
        args.push(Value::Text(r.clone()));
    }
    if let Some(c) = f.customer_id {
        conds.push("a.customer_id = ?");
        args.push(Value::Int(c));
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
pub fn list_entries<'a>(db: impl Into<Db<'a>>, f: &AuditFilter) -> Result<(usize, Vec<AuditEntry>)> {
    let db = db.into();
    let (cond, args) = where_clause(f);
    let params: Vec<&dyn Param> = args.iter().map(|a| a as &dyn Param).collect();
    let total: usize = db.count(&format!("SELECT count(*) FROM audit_log a {cond}"), &params)?;
    let sql = format!(
        "SELECT {COLS} FROM audit_log a LEFT JOIN customers c ON c.id = a.customer_id {cond}
         ORDER BY a.id DESC LIMIT {} OFFSET {}",
        f.limit, f.offset
    );
    let rows = db
        .query(&sql, &params)?
        .iter()
        .map(entry_from_row)
        .collect::<Result<_>>()?;
    Ok((total, rows))
}
