//! Moving a desk's records between its SQLite file and the shared database, both ways: every
//! record table, in one transaction, each table's row count and checksum compared between
//! what was read and what the other side holds before it commits.
//!
//! The server's record tables have the desk file's names and columns (`0002_records.sql`);
//! [`compare_schemas`] refuses a copy when they differ, and a test holds every SQLite
//! migration to a server twin by it.

use std::collections::BTreeMap;
use std::path::Path;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{inspect, migrate, pg, ServerCheck};
use crate::error::{Error, Result};
use crate::kernel::fnv::Fnv;
use crate::store::db::{server_value, Value};

/// The desk file's tables that are not records: the audit trail's context row (the server
/// keeps the context per transaction).
const DESK_ONLY: &[&str] = &["audit_ctx"];
/// The server's own tables, not records of a desk.
const SERVER_ONLY: &[&str] = &["frontdesk_schema", "desks"];

/// One table as copied: its rows and their checksum, the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
    /// The rows' checksum (hex), independent of their order.
    pub checksum: String,
}

/// What a copy moved, table by table (tables in name order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copied {
    pub tables: Vec<TableCopy>,
}

impl Copied {
    /// The rows of `table`, 0 when it was empty or is not a record table.
    pub fn rows(&self, table: &str) -> u64 {
        self.tables.iter().find(|t| t.table == table).map_or(0, |t| t.rows)
    }
}

/// How a column's values are kept on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    /// The audit trail's old and new values: a number or a text, kept as jsonb.
    Json,
}

/// The record tables with their columns, in name order.
type Tables = BTreeMap<String, Vec<(String, Kind)>>;

/// The record tables of the server's schema.
fn server_tables(client: &mut impl GenericClient) -> Result<Tables> {
    let rows = client
        .query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text \
             FROM information_schema.columns c JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             ORDER BY c.table_name, c.ordinal_position",
            &[],
        )
        .map_err(pg)?;
    let columns = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    tables_of(columns, SERVER_ONLY, "server", |ty| match ty {
        "bigint" => Some(Kind::Int),
        "text" => Some(Kind::Text),
        "jsonb" => Some(Kind::Json),
        _ => None,
    })
}

/// The record tables of a desk file, with the kind each column has on the server.
fn desk_tables(desk: &Connection) -> Result<Tables> {
    let columns = desk
        .prepare(
            "SELECT m.name, p.name, p.type FROM sqlite_schema m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    tables_of(columns, DESK_ONLY, "desk", |ty| {
        match ty.to_ascii_uppercase().as_str() {
            "INTEGER" => Some(Kind::Int),
            "TEXT" => Some(Kind::Text),
            "" => Some(Kind::Json),
            _ => None,
        }
    })
}

/// Tables from their `(table, column, declared type)` rows, those in `skip` left out, each
/// type read by `kind_of`; a type it does not know is refused, naming `side`'s column.
fn tables_of(
    columns: Vec<(String, String, String)>,
    skip: &[&str],
    side: &str,
    kind_of: impl Fn(&str) -> Option<Kind>,
) -> Result<Tables> {
    let mut tables = Tables::new();
    for (table, column, ty) in columns {
        if skip.contains(&table.as_str()) {
            continue;
        }
        let kind =
            kind_of(&ty).ok_or_else(|| Error::Internal(format!("{side} column {table}.{column} has type {ty}")))?;
        tables.entry(table).or_default().push((column, kind));
    }
    Ok(tables)
}

/// Refuses (naming the first difference) when the desk file's record tables and the server's
/// differ in a table, a column, its order or its kind.
pub fn compare_schemas(desk: &Connection, client: &mut impl GenericClient) -> Result<()> {
    check_same(&desk_tables(desk)?, &server_tables(client)?)
}

fn check_same(desk: &Tables, server: &Tables) -> Result<()> {
    for (table, columns) in desk {
        match server.get(table) {
            None => return Err(Error::Internal(format!("the server has no table {table}"))),
            Some(theirs) if theirs != columns => {
                return Err(Error::Internal(format!(
                    "table {table} differs: desk {columns:?}, server {theirs:?}"
                )))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = server.keys().find(|t| !desk.contains_key(*t)) {
        return Err(Error::Internal(format!("the desk file has no table {extra}")));
    }
    Ok(())
}

/// A desk file's value, refused by name when it is not of its column's kind (a file edited
/// outside FrontDesk).
fn desk_value(v: ValueRef<'_>, kind: Kind, at: &str) -> Result<Value> {
    let wrong = || Error::Internal(format!("{at} holds a value of the wrong kind ({v:?})"));
    match (v, kind) {
        (ValueRef::Null, _) => Ok(Value::Null),
        (ValueRef::Integer(i), Kind::Int | Kind::Json) => Ok(Value::Int(i)),
        (ValueRef::Real(f), Kind::Json) => Ok(Value::Real(f)),
        (ValueRef::Text(t), Kind::Text | Kind::Json) => std::str::from_utf8(t)
            .map(|s| Value::Text(s.to_string()))
            .map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}

/// A tagged, length-prefixed encoding of a value: no two rows encode alike.
fn hash_into(v: &Value, h: &mut Fnv) {
    match v {
        Value::Null => h.feed(&[0]),
        Value::Int(i) => {
            h.feed(&[1]);
            h.feed(&i.to_le_bytes());
        }
        Value::Real(f) => {
            h.feed(&[2]);
            h.feed(&f.to_bits().to_le_bytes());
        }
        Value::Text(s) => {
            h.feed(&[3]);
            h.feed(&(s.len() as u64).to_le_bytes());
            h.feed(s.as_bytes());
        }
    }
}

/// A table's rows counted and summed: the sum of each row's hash, so the order rows come in
/// (which collation sorts them) does not matter.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    rows: u64,
    sum: u64,
}

impl Tally {
    fn add(&mut self, row: &[Value]) {
        let mut fnv = Fnv::default();
        for v in row {
            hash_into(v, &mut fnv);
        }
        let mut h = fnv.value();
        // SplitMix64's finaliser spreads each row's hash before the sum.
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        self.sum = self.sum.wrapping_add(h ^ (h >> 31));
        self.rows += 1;
    }
}

fn column_list(columns: &[(String, Kind)]) -> String {
    columns
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every row of a desk table, each as cells, to `each`.
fn read_desk(
    desk: &Connection,
    table: &str,
    columns: &[(String, Kind)],
    mut each: impl FnMut(Vec<Value>) -> Result<()>,
) -> Result<Tally> {
    let mut stmt = desk.prepare(&format!("SELECT {} FROM \"{table}\"", column_list(columns)))?;
    let mut rows = stmt.query([])?;
    let mut tally = Tally::default();
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(columns.len());
        for (i, (column, kind)) in columns.iter().enumerate() {
            cells.push(desk_value(r.get_ref(i)?, *kind, &format!("{table}.{column}"))?);
        }
        tally.add(&cells);
        each(cells)?;
    }
    Ok(tally)
}

/// Every row of a server table, each as cells, to `each`.
fn read_server(
    client: &mut impl GenericClient,
    table: &str,
    columns: &[(String, Kind)],
    mut each: impl FnMut(Vec<Value>) -> Result<()>,
) -> Result<Tally> {
    let sql = format!("SELECT {} FROM \"{table}\"", column_list(columns));
    let params: [&(dyn ToSql + Sync); 0] = [];
    let mut rows = client.query_raw(&sql, params).map_err(pg)?;
    let mut tally = Tally::default();
    while let Some(r) = postgres::fallible_iterator::FallibleIterator::next(&mut rows).map_err(pg)? {
        let mut cells = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            cells.push(server_value(&r, i)?);
        }
        tally.add(&cells);
        each(cells)?;
    }
    Ok(tally)
}

/// A table as copied, once what the other side holds (`written`) is what was `read`.
fn checked(table: &str, read: Tally, written: Tally) -> Result<TableCopy> {
    if written != read {
        return Err(Error::Internal(format!(
            "table {table}: {} rows read (checksum {:016x}) but {} written (checksum {:016x}); nothing was changed",
            read.rows, read.sum, written.rows, written.sum
        )));
    }
    Ok(TableCopy {
        table: table.to_string(),
        rows: read.rows,
        checksum: format!("{:016x}", read.sum),
    })
}

/// Copy every record of the desk file `desk` (read in one snapshot) into the shared database
/// behind `client`, set up first when empty. Refused, changing nothing, when the server holds
/// records already, another program's tables or another schema. One transaction: counts and
/// checksums of every table are compared before it commits.
pub fn copy_to_server(desk: &Connection, client: &mut Client) -> Result<Copied> {
    desk_is_current(desk)?;
    migrate(client)?;
    let tables = desk_tables(desk)?;
    check_same(&tables, &server_tables(client)?)?;
    let snapshot = desk.unchecked_transaction()?;
    let mut tx = client.transaction().map_err(pg)?;
    // One copy at a time (two desks setting up one database): the second finds it filled.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&super::MIGRATION_LOCK])
        .map_err(pg)?;
    // The records arrive with their trail and counts: the server's triggers stand aside.
    tx.batch_execute("SET CONSTRAINTS ALL DEFERRED; SELECT set_config('fd.copy', '1', true)")
        .map_err(pg)?;
    for table in tables.keys() {
        let held: bool = tx
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"), &[])
            .map_err(pg)?
            .get(0);
        if held {
            return Err(Error::state(
                "server_not_empty",
                format!("the shared database already holds records ({table}); nothing was copied"),
            ));
        }
    }
    let mut copied = Vec::new();
    for (table, columns) in &tables {
        let types: Vec<Type> = columns
            .iter()
            .map(|(_, k)| match k {
                Kind::Int => Type::INT8,
                Kind::Text => Type::TEXT,
                Kind::Json => Type::JSONB,
            })
            .collect();
        let sink = tx
            .copy_in(&format!(
                "COPY \"{table}\" ({}) FROM STDIN (FORMAT binary)",
                column_list(columns)
            ))
            .map_err(pg)?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        let read = read_desk(&snapshot, table, columns, |cells| {
            let row: Vec<&(dyn ToSql + Sync)> = cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
            writer.write(&row).map_err(pg)
        })?;
        writer.finish().map_err(pg)?;
        if columns.first().is_some_and(|(c, _)| c == "id") && is_identity(&mut tx, table)? {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), coalesce(max(id), 0) + 1, false) FROM \"{table}\""
                ),
                &[],
            )
            .map_err(pg)?;
        }
        let written = read_server(&mut tx, table, columns, |_| Ok(()))?;
        copied.push(checked(table, read, written)?);
    }
    // The server's write counter goes on past every change the desk made.
    let changes: i64 = snapshot.query_row(
        "SELECT max(change_id, (SELECT coalesce(max(change_id), 0) FROM audit_log),
                (SELECT coalesce(max(change_id), 0) FROM import_batches)) FROM audit_ctx WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "SELECT setval('audit_change', greatest($1::bigint, 1), $1::bigint > 0)",
        &[&changes],
    )
    .map_err(pg)?;
    tx.commit().map_err(pg)?;
    Ok(Copied { tables: copied })
}

/// Set up an empty shared database as a new desk's file starts: its tables, and the built-in
/// complaint categories, loss reasons, follow-up plans and outline templates. A database
/// another desk filled meanwhile is left as it is.
pub fn set_up_fresh(client: &mut Client) -> Result<()> {
    let mut fresh = Connection::open_in_memory()?;
    crate::store::migrations()
        .to_latest(&mut fresh)
        .map_err(|e| Error::Internal(format!("migration failed: {e}")))?;
    match copy_to_server(&fresh, client) {
        Err(e) if e.code() == Some("server_not_empty") => Ok(()),
        other => other.map(|_| ()),
    }
}

fn is_identity(client: &mut impl GenericClient, table: &str) -> Result<bool> {
    Ok(client
        .query_one(
            "SELECT is_identity = 'YES' FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'",
            &[&table],
        )
        .map_err(pg)?
        .get(0))
}

fn desk_is_current(desk: &Connection) -> Result<()> {
    let found = crate::store::schema_version(desk)?;
    let supported = crate::store::supported_version();
    if found != supported {
        return Err(Error::Internal(format!(
            "the desk file has schema version {found}, this FrontDesk {supported}: open it with this FrontDesk first"
        )));
    }
    Ok(())
}

/// Copy every record of the shared database behind `client` (read in one snapshot) into a new
/// desk file at `dest`, which must not exist yet. It is written under a temporary name,
/// checked table by table, and only then given its name.
pub fn copy_from_server(client: &mut Client, dest: &Path) -> Result<Copied> {
    match inspect(client)? {
        ServerCheck::Ready { version, .. } if version == super::supported_version() => {}
        ServerCheck::Ready { version, .. } => {
            return Err(Error::Internal(format!(
                "the shared database has schema version {version}; a desk must open it first"
            )))
        }
        ServerCheck::Newer { found, supported } => return Err(Error::DbTooNew { found, supported }),
        other => return Err(Error::Internal(format!("no FrontDesk database to copy ({other:?})"))),
    }
    if dest.exists() {
        return Err(Error::state(
            "file_exists",
            format!("{} exists already; nothing was copied", dest.display()),
        ));
    }
    let name = dest
        .file_name()
        .ok_or_else(|| Error::Internal(format!("{} names no file", dest.display())))?;
    let part = dest.with_file_name(format!("{}.part", name.to_string_lossy()));
    remove_db(&part);
    let copied = fill_desk_file(client, &part);
    match copied {
        Ok(c) => {
            std::fs::rename(&part, dest).map_err(|e| Error::Internal(format!("{}: {e}", dest.display())))?;
            Ok(c)
        }
        Err(e) => {
            remove_db(&part);
            Err(e)
        }
    }
}

/// A SQLite file and what its journal may have left beside it.
pub(crate) fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(Path::new(&p));
    }
}

fn fill_desk_file(client: &mut Client, path: &Path) -> Result<Copied> {
    let mut desk = crate::store::open(path)?;
    let tables = desk_tables(&desk)?;
    let mut snapshot = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(pg)?;
    check_same(&tables, &server_tables(&mut snapshot)?)?;
    // References are checked once, over the whole copy, before it commits: checked row by
    // row, a record arriving before the one it points at (a booking before its customer,
    // an occurrence before the one it repeats) makes SQLite search the unindexed referring
    // column at every later insert, and a big desk's copy would take hours.
    desk.pragma_update(None, "foreign_keys", false)?;
    let tx = desk.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // What a fresh file holds (built-in categories, reasons) makes way for the server's
    // records; its triggers (the audit trail, counts, guards) stand aside while they arrive
    // as they are, and come back unchanged.
    let triggers: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    for table in tables.keys() {
        tx.execute(&format!("DELETE FROM \"{table}\""), [])?;
    }
    let mut copied = Vec::new();
    for (table, columns) in &tables {
        let placeholders = (1..=columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut insert = tx.prepare(&format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({placeholders})",
            column_list(columns)
        ))?;
        let read = read_server(&mut snapshot, table, columns, |cells| {
            insert.execute(rusqlite::params_from_iter(cells))?;
            Ok(())
        })?;
        drop(insert);
        let written = read_desk(&tx, table, columns, |_| Ok(()))?;
        copied.push(checked(table, read, written)?);
    }
    // The desk's write counter goes on past every change the records name (the audit trail
    // groups a save's rows by it; an import's undo compares it).
    let server_changes: i64 = snapshot
        .query_one(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM audit_change",
            &[],
        )
        .map_err(pg)?
        .get(0);
    tx.execute(
        "UPDATE audit_ctx SET change_id = max(change_id, ?1, \
           (SELECT coalesce(max(change_id), 0) FROM audit_log), \
           (SELECT coalesce(max(change_id), 0) FROM import_batches)) WHERE id = 1",
        [server_changes],
    )?;
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    let dangling: Option<(String, i64)> = tx
        .query_row(
            "SELECT \"table\", rowid FROM pragma_foreign_key_check LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
        )
        .optional()?;
    if let Some((table, row)) = dangling {
        return Err(Error::Internal(format!(
            "the shared database's {table} row {row} points at a record it does not hold; nothing was copied"
        )));
    }
    tx.commit()?;
    desk.pragma_update(None, "foreign_keys", true)?;
    snapshot.commit().map_err(pg)?;
    Ok(Copied { tables: copied })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checksum_does_not_depend_on_row_order_but_on_every_value() {
        let rows = [
            vec![Value::Int(1), Value::Text("王芳".into()), Value::Null],
            vec![Value::Int(2), Value::Text("李雷".into()), Value::Int(5)],
        ];
        let (mut a, mut b) = (Tally::default(), Tally::default());
        a.add(&rows[0]);
        a.add(&rows[1]);
        b.add(&rows[1]);
        b.add(&rows[0]);
        assert_eq!(a, b);
        for changed in [
            vec![Value::Int(2), Value::Text("李雷".into()), Value::Text("5".into())],
            vec![Value::Int(2), Value::Text("李雷 ".into()), Value::Int(5)],
            vec![Value::Int(2), Value::Text("李雷".into()), Value::Null],
        ] {
            let mut c = Tally::default();
            c.add(&rows[0]);
            c.add(&changed);
            assert_ne!(a, c, "{changed:?}");
        }
        // Text split differently between two columns reads differently.
        let (mut x, mut y) = (Tally::default(), Tally::default());
        x.add(&[Value::Text("ab".into()), Value::Text("c".into())]);
        y.add(&[Value::Text("a".into()), Value::Text("bc".into())]);
        assert_ne!(x, y);
    }

    #[test]
    fn a_desk_value_of_the_wrong_kind_is_refused_by_name() {
        let e = desk_value(ValueRef::Text(b"12"), Kind::Int, "visits.attempts").unwrap_err();
        assert!(e.to_string().contains("visits.attempts"), "{e}");
        assert_eq!(
            desk_value(ValueRef::Integer(7), Kind::Json, "audit_log.old_value").unwrap(),
            Value::Int(7)
        );
    }
}
