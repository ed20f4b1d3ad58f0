//! One handle over either store: the desk's SQLite file or the shared PostgreSQL database.
//!
//! A repo function takes a [`Db`] and writes one SQL text, with SQLite's numbered
//! placeholders (`?1`); on the server they become `$1`, and each statement is prepared once
//! per connection. Values cross as [`Value`] (a whole number, a real, a text or NULL: what the
//! desk's file holds) and are converted to the type the server expects for each parameter and
//! column (bigint, integer, boolean, real, text, jsonb).

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::{IsNull, ToSql, Type};

use crate::error::{Error, Result};

/// A value as both stores hold it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// Something a statement can take as a parameter.
pub trait Param {
    fn value(&self) -> Value;
}

impl Param for Value {
    fn value(&self) -> Value {
        self.clone()
    }
}
impl Param for i64 {
    fn value(&self) -> Value {
        Value::Int(*self)
    }
}
impl Param for i32 {
    fn value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl Param for u32 {
    fn value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl Param for u8 {
    fn value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl Param for usize {
    fn value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
/// Yes/no is stored as 1/0, as in the desk's file.
impl Param for bool {
    fn value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl Param for f64 {
    fn value(&self) -> Value {
        Value::Real(*self)
    }
}
impl Param for str {
    fn value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl Param for String {
    fn value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value {
        (**self).value()
    }
}
impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value {
        self.as_ref().map_or(Value::Null, Param::value)
    }
}

/// Something a column's value can be read as.
pub trait FromValue: Sized {
    /// `None` when the value is not of this kind.
    fn from_value(v: &Value) -> Option<Self>;

    /// The same from a value given up ([`Row::take`]): a text moves instead of being copied.
    fn from_owned(v: Value) -> Option<Self> {
        Self::from_value(&v)
    }
}

impl FromValue for Value {
    fn from_value(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}
impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
/// Smaller whole numbers: a stored value out of their range is not of their kind.
macro_rules! narrow_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> Option<Self> {
                match v {
                    Value::Int(i) => <$t>::try_from(*i).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
narrow_from_value!(i32, u32, u8, usize);

impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i != 0),
            _ => None,
        }
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn from_owned(v: Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }

    fn from_owned(v: Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            other => T::from_owned(other).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as `T`; a missing column or a value of another kind is an internal error.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self
            .0
            .get(i)
            .ok_or_else(|| Error::Internal(format!("no column {i} in a row of {}", self.0.len())))?;
        T::from_value(v)
            .ok_or_else(|| Error::Internal(format!("column {i} holds {v:?}, not a {}", std::any::type_name::<T>())))
    }
}

impl Row {
    /// Column `i` as `T`, given up (NULL is left in its place): a large read's texts move
    /// out of the row instead of being copied.
    pub fn take<T: FromValue>(&mut self, i: usize) -> Result<T> {
        let n = self.0.len();
        let v = std::mem::replace(
            self.0
                .get_mut(i)
                .ok_or_else(|| Error::Internal(format!("no column {i} in a row of {n}")))?,
            Value::Null,
        );
        let kind = match &v {
            Value::Null => "NULL",
            Value::Int(_) => "a whole number",
            Value::Real(_) => "a real",
            Value::Text(_) => "a text",
        };
        T::from_owned(v)
            .ok_or_else(|| Error::Internal(format!("column {i} holds {kind}, not a {}", std::any::type_name::<T>())))
    }

    /// A row the desk's file gave, every column as a value.
    pub fn of_desk(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        let n = r.as_ref().column_count();
        (0..n)
            .map(|i| r.get::<_, Value>(i))
            .collect::<rusqlite::Result<_>>()
            .map(Row)
    }
}

/// A connection to the shared database, with the statements it has prepared.
pub struct Server {
    /// Always there but while it is being dropped (see `Drop`).
    client: RefCell<Option<postgres::Client>>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// The connection failed (the server went away): it is not used again.
    lost: std::cell::Cell<bool>,
}

impl Server {
    pub fn new(client: postgres::Client) -> Self {
        Server {
            client: RefCell::new(Some(client)),
            prepared: RefCell::new(HashMap::new()),
            lost: std::cell::Cell::new(false),
        }
    }

    /// Whether the connection was lost (the server went away, the network failed): a new
    /// one is needed.
    pub fn is_lost(&self) -> bool {
        self.lost.get() || self.client().map_or(true, |c| c.is_closed())
    }

    /// A server error, remembered when it means the connection is lost.
    fn failed(&self, e: postgres::Error) -> Error {
        let e = super::server::pg(e);
        if matches!(e, Error::Offline(_)) {
            self.lost.set(true);
        }
        e
    }

    /// The client itself, for what only the server does (a transaction's start and end,
    /// COPY, LISTEN).
    pub fn client(&self) -> Result<std::cell::RefMut<'_, postgres::Client>> {
        std::cell::RefMut::filter_map(self.client.borrow_mut(), Option::as_mut)
            .map_err(|_| Error::Internal("the server connection is closing".into()))
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.prepared.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self.client()?.prepare(&server_sql(sql)).map_err(|e| self.failed(e))?;
        self.prepared.borrow_mut().insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn run<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(
            &mut postgres::Client,
            &postgres::Statement,
            &[&(dyn ToSql + Sync)],
        ) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let statement = self.statement(sql)?;
        if statement.params().len() != params.len() {
            return Err(Error::Internal(format!(
                "{} parameters given, {} expected by: {sql}",
                params.len(),
                statement.params().len()
            )));
        }
        let values: Vec<Value> = params.iter().map(|p| p.value()).collect();
        let bound: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let mut client = self.client()?;
        f(&mut client, &statement, &bound).map_err(|e| self.failed(e))
    }
}

/// The client closes its connection on a runtime of its own, which cannot start on a thread
/// of another runtime (the desktop lets go of an app from an async task): it is closed on a
/// thread of its own.
impl Drop for Server {
    fn drop(&mut self) {
        if let Some(client) = self.client.get_mut().take() {
            let _ = std::thread::Builder::new()
                .name("close-server".into())
                .spawn(move || drop(client));
        }
    }
}

/// The advisory lock every desk's write holds to its end: writes take turns, as on the
/// desk's file, so what a write read is still true when it commits.
const WRITE_LOCK: i64 = 0x4644_5752_4954_4553;

impl Server {
    /// Run `f` as one write: all of it is kept, or none (an error rolls it back). Writes of
    /// all desks take turns ([`WRITE_LOCK`]).
    pub fn write<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        let db = Db::Server(self);
        db.batch("BEGIN")?;
        let out = db
            .execute("SELECT pg_advisory_xact_lock(CAST(?1 AS bigint))", &[&WRITE_LOCK])
            .and_then(|_| f(db));
        match out {
            Ok(v) => {
                db.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                // A connection lost mid-write has rolled back on the server already.
                let _ = db.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn for_each(&self, sql: &str, params: &[&dyn Param], mut f: impl FnMut(&mut Row) -> Result<()>) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let statement = self.statement(sql)?;
        let values: Vec<Value> = params.iter().map(|p| p.value()).collect();
        let mut client = self.client()?;
        let mut rows = client
            .query_raw(&statement, values.iter())
            .map_err(|e| self.failed(e))?;
        while let Some(r) = rows.next().map_err(|e| self.failed(e))? {
            f(&mut server_row(&r)?)?;
        }
        Ok(())
    }
}

/// Where a repo function reads and writes: the desk's file, or the shared database.
#[derive(Clone, Copy)]
pub enum Db<'a> {
    Desk(&'a rusqlite::Connection),
    Server(&'a Server),
}

impl<'a> From<&'a rusqlite::Connection> for Db<'a> {
    fn from(c: &'a rusqlite::Connection) -> Self {
        Db::Desk(c)
    }
}
impl<'a> From<&'a rusqlite::Transaction<'_>> for Db<'a> {
    fn from(t: &'a rusqlite::Transaction<'_>) -> Self {
        Db::Desk(t)
    }
}
/// The app's own connection, as its lock hands it out.
impl<'a> From<&'a std::sync::MutexGuard<'_, rusqlite::Connection>> for Db<'a> {
    fn from(c: &'a std::sync::MutexGuard<'_, rusqlite::Connection>) -> Self {
        Db::Desk(c)
    }
}
impl<'a> From<&Db<'a>> for Db<'a> {
    fn from(db: &Db<'a>) -> Self {
        *db
    }
}
impl<'a> From<&'a Server> for Db<'a> {
    fn from(s: &'a Server) -> Self {
        Db::Server(s)
    }
}

impl Db<'_> {
    /// Whether this is the shared database (for the few statements whose SQL differs).
    pub fn is_server(&self) -> bool {
        matches!(self, Db::Server(_))
    }

    /// Run one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<u64> {
        match self {
            Db::Desk(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(params.iter().map(|p| p.value())))? as u64)
            }
            Db::Server(s) => s.run(sql, params, |c, st, p| c.execute(st, p)),
        }
    }

    /// Every row of a query.
    pub fn query(&self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>> {
        match self {
            Db::Desk(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let rows = stmt.query_map(
                    rusqlite::params_from_iter(params.iter().map(|p| p.value())),
                    Row::of_desk,
                )?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            Db::Server(s) => {
                let rows = s.run(sql, params, |c, st, p| c.query(st, p))?;
                rows.iter().map(server_row).collect()
            }
        }
    }

    /// Run an `INSERT … RETURNING id`: the new row's id.
    pub fn insert(&self, sql: &str, params: &[&dyn Param]) -> Result<i64> {
        self.query_opt(sql, params)?
            .ok_or_else(|| Error::Internal("an insert returned no id".into()))?
            .get(0)
    }

    /// Run a `SELECT count(*) …`: how many (none when it gave no row).
    pub fn count(&self, sql: &str, params: &[&dyn Param]) -> Result<usize> {
        self.query_opt(sql, params)?.map_or(Ok(0), |r| r.get(0))
    }

    /// The first row of a query, if any.
    pub fn query_opt(&self, sql: &str, params: &[&dyn Param]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Hand each row of a query to `f` as it arrives, without holding them all (an export
    /// of every record). `f` must not use this store: the statement is still reading.
    pub fn for_each(&self, sql: &str, params: &[&dyn Param], mut f: impl FnMut(&mut Row) -> Result<()>) -> Result<()> {
        match self {
            Db::Desk(c) => {
                let mut stmt = c.prepare(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(|p| p.value())))?;
                while let Some(r) = rows.next()? {
                    f(&mut Row::of_desk(r)?)?;
                }
                Ok(())
            }
            Db::Server(s) => s.for_each(sql, params, f),
        }
    }

    /// Statements without parameters, run in order (set-up, a transaction's start or end).
    pub fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Desk(c) => Ok(c.execute_batch(sql)?),
            Db::Server(s) => s.client()?.batch_execute(sql).map_err(|e| s.failed(e)),
        }
    }
}

impl rusqlite::types::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

impl rusqlite::types::FromSql for Value {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::{FromSqlError, ValueRef};
        Ok(match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(
                std::str::from_utf8(t)
                    .map_err(|e| FromSqlError::Other(e.into()))?
                    .to_string(),
            ),
            ValueRef::Blob(_) => return Err(FromSqlError::InvalidType),
        })
    }
}

/// A parameter for the server, in the type its statement expects.
impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let mismatch = || format!("{self:?} cannot be sent as {ty}").into();
        match (self, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(*i).map_err(|_| mismatch())?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(*i).map_err(|_| mismatch())?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::Text(s), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => s.to_sql(ty, out),
            (Value::Int(i), &Type::JSONB | &Type::JSON) => serde_json::Value::from(*i).to_sql(ty, out),
            (Value::Real(f), &Type::JSONB | &Type::JSON) => serde_json::Value::from(*f).to_sql(ty, out),
            (Value::Text(s), &Type::JSONB | &Type::JSON) => serde_json::Value::from(s.as_str()).to_sql(ty, out),
            _ => Err(mismatch()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A server row as the desk's file would hold it.
fn server_row(r: &postgres::Row) -> Result<Row> {
    (0..r.len()).map(|i| server_value(r, i)).collect::<Result<_>>().map(Row)
}

/// Column `i` of a server row as the desk's file would hold it: whole numbers and yes/no as
/// `Int`, reals as `Real`, texts as `Text`; jsonb as the number or text it holds, an object or
/// a list as its JSON text.
pub(crate) fn server_value(r: &postgres::Row, i: usize) -> Result<Value> {
    let col = &r.columns()[i];
    let bad = |e: postgres::Error| Error::Internal(format!("reading {}: {e}", col.name()));
    let v = match *col.type_() {
        Type::INT8 => r.try_get::<_, Option<i64>>(i).map_err(bad)?.map(Value::Int),
        Type::INT4 => r
            .try_get::<_, Option<i32>>(i)
            .map_err(bad)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => r
            .try_get::<_, Option<i16>>(i)
            .map_err(bad)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => r
            .try_get::<_, Option<bool>>(i)
            .map_err(bad)?
            .map(|v| Value::Int(v.into())),
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(i).map_err(bad)?.map(Value::Real),
        Type::FLOAT4 => r
            .try_get::<_, Option<f32>>(i)
            .map_err(bad)?
            .map(|v| Value::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            r.try_get::<_, Option<String>>(i).map_err(bad)?.map(Value::Text)
        }
        Type::JSONB | Type::JSON => match r.try_get::<_, Option<serde_json::Value>>(i).map_err(bad)? {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(Value::Text(s)),
            Some(serde_json::Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Some(Value::Int(i)),
                (None, Some(f)) => Some(Value::Real(f)),
                _ => return Err(Error::Internal(format!("{}: the number {n} does not fit", col.name()))),
            },
            // A record's snapshot or a list (the audit trail): its JSON text, as the desk keeps it.
            Some(other @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
                Some(Value::Text(other.to_string()))
            }
            Some(other) => return Err(Error::Internal(format!("{}: unexpected value {other}", col.name()))),
        },
        ref other => {
            return Err(Error::Internal(format!(
                "column {} has type {other}, which the desk's file does not know",
                col.name()
            )))
        }
    };
    Ok(v.unwrap_or(Value::Null))
}

/// Whether the characters still to come start with `word`.
fn rest_starts(chars: &std::iter::Peekable<std::str::Chars<'_>>, word: &str) -> bool {
    let mut ahead = chars.clone();
    word.chars().all(|w| ahead.next() == Some(w))
}

/// SQLite's placeholders (`?1`, `?`) as PostgreSQL's (`$1`), outside quotes and comments. A
/// bare `?` is one more than the highest number so far, as SQLite counts it. An `INDEXED BY`
/// clause (a plan pinned for the desk's file) is left out.
pub fn server_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut highest = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for q in chars.by_ref() {
                    out.push(q);
                    if q == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for q in chars.by_ref() {
                    out.push(q);
                    if q == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                out.push(c);
                let mut last = ' ';
                for q in chars.by_ref() {
                    out.push(q);
                    if last == '*' && q == '/' {
                        break;
                    }
                    last = q;
                }
            }
            'I' if rest_starts(&chars, "NDEXED BY ") => {
                // `INDEXED BY name` pins a plan on the desk's file; the server plans its own.
                for _ in 0.."NDEXED BY ".len() {
                    chars.next();
                }
                while chars.peek().is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    chars.next();
                }
                while out.ends_with(' ') && chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let n = match digits.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => highest + 1,
                };
                highest = highest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_the_servers_outside_quotes_and_comments() {
        assert_eq!(server_sql("SELECT ?1, ?2 WHERE a = ?1"), "SELECT $1, $2 WHERE a = $1");
        assert_eq!(server_sql("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(server_sql("VALUES (?3, ?)"), "VALUES ($3, $4)");
        assert_eq!(
            server_sql("SELECT '?1 and ''?''', \"odd?col\" FROM t -- why?\nWHERE x = ?1 /* ?2 */"),
            "SELECT '?1 and ''?''', \"odd?col\" FROM t -- why?\nWHERE x = $1 /* ?2 */"
        );
        assert_eq!(server_sql("SELECT 1 - -1, 2 / 1"), "SELECT 1 - -1, 2 / 1");
        assert_eq!(server_sql("名字 = ?1"), "名字 = $1");
        assert_eq!(
            server_sql("FROM visits v INDEXED BY visits_review WHERE v.id = ?1"),
            "FROM visits v WHERE v.id = $1"
        );
        assert_eq!(
            server_sql("FROM t INDEXED BY t_x\nWHERE 'INDEXED BY x'"),
            "FROM t \nWHERE 'INDEXED BY x'"
        );
        assert_eq!(server_sql("SELECT INDEXED_AT FROM t"), "SELECT INDEXED_AT FROM t");
    }

    #[test]
    fn values_read_back_as_the_kind_asked_for() {
        let row = Row(vec![Value::Int(1), Value::Null, Value::Text("前台1".into())]);
        assert!(row.get::<bool>(0).unwrap());
        assert_eq!(row.get::<Option<i64>>(1).unwrap(), None);
        assert_eq!(row.get::<String>(2).unwrap(), "前台1");
        assert!(row.get::<i64>(2).is_err(), "a text is not a number");
        assert!(row.get::<i64>(1).is_err(), "NULL is not a number");
        assert!(row.get::<i64>(3).is_err(), "no such column");
        assert_eq!(Some(true).value(), Value::Int(1));
        assert_eq!(None::<&str>.value(), Value::Null);
    }

    #[test]
    fn the_desk_runs_the_same_statements() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let db = Db::from(&c);
        db.batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER)")
            .unwrap();
        assert_eq!(
            db.execute("INSERT INTO t (name, flag) VALUES (?1, ?2)", &[&"王芳", &true])
                .unwrap(),
            1
        );
        let row = db
            .query_opt("SELECT id, name, flag FROM t WHERE name = ?1", &[&"王芳"])
            .unwrap()
            .unwrap();
        assert_eq!(row, Row(vec![Value::Int(1), Value::Text("王芳".into()), Value::Int(1)]));
        assert!(db
            .query_opt("SELECT id FROM t WHERE name = ?1", &[&"李雷"])
            .unwrap()
            .is_none());
    }
}
