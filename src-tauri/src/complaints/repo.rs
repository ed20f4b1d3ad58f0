//! Complaint SQL: serial numbers, the register, workflow updates, the handling log, lists;
//! on either store ([`Db`]).

use crate::error::{Error, Result};
use crate::store;
use crate::store::db::{self, Db, Param};

use super::model::{
    Category, ClaimKind, Complaint, ComplaintChannel, ComplaintQuery, ComplaintState, LogEntry, Severity,
};

/// An open complaint's running deadline, as reminders plan from it.
#[derive(Debug, Clone)]
pub struct RunningDeadline {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub serial: String,
    /// UTC, as stored.
    pub next_due: String,
    pub handler: String,
}

fn running_deadline_of(r: &db::Row) -> Result<RunningDeadline> {
    Ok(RunningDeadline {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        serial: r.get(3)?,
        next_due: r.get(4)?,
        handler: r.get(5)?,
    })
}

/// Open complaints whose running (not paused) deadline is in `[lo, hi]` (UTC timestamps).
pub fn list_running_deadlines<'a>(db: impl Into<Db<'a>>, lo: &str, hi: &str) -> Result<Vec<RunningDeadline>> {
    db.into()
        .query(
            "SELECT c.id, c.customer_id, cu.name, c.serial, c.next_due, c.handler
             FROM complaints c JOIN customers cu ON cu.id = c.customer_id
             WHERE c.is_open = 1 AND c.next_due >= ?1 AND c.next_due <= ?2 AND c.next_due != ?3",
            &[&lo, &hi, &PAUSED],
        )?
        .iter()
        .map(running_deadline_of)
        .collect()
}

/// One complaint's running deadline, if it is open and not paused.
pub fn get_running_deadline<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Option<RunningDeadline>> {
    db.into()
        .query_opt(
            "SELECT c.id, c.customer_id, cu.name, c.serial, c.next_due, c.handler
             FROM complaints c JOIN customers cu ON cu.id = c.customer_id
             WHERE c.id = ?1 AND c.is_open = 1 AND c.next_due != ?2",
            &[&id, &PAUSED],
        )?
        .map(|r| running_deadline_of(&r))
        .transpose()
}

/// `text` as a literal inside a LIKE pattern (with `ESCAPE`): `%`, `_` and the backslash
/// match themselves.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// `next_due` of a complaint waiting on the customer: its clock is stopped, so it sorts
/// after every running deadline and is never overdue.
pub const PAUSED: &str = "9999-12-31T00:00:00.000Z";

/// What a query that must find a row says when it finds none (as the desk's file says it).
fn no_row() -> Error {
    Error::Db(rusqlite::Error::QueryReturnedNoRows)
}

/// The next serial number of `year` (`TS-2026-000123`). Runs inside the caller's immediate
/// transaction, so two saves never get the same number and a number is never reused.
pub fn next_serial<'a>(db: impl Into<Db<'a>>, year: i32) -> Result<String> {
    // `last` qualified: on the server the update also sees the row it did not insert (`excluded`).
    let n: i64 = db
        .into()
        .query_opt(
            "INSERT INTO complaint_serials (year, last) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last = complaint_serials.last + 1 RETURNING last",
            &[&year],
        )?
        .ok_or_else(no_row)?
        .get(0)?;
    Ok(format!("TS-{year}-{n:06}"))
}

pub struct NewComplaint<'a> {
    pub serial: &'a str,
    pub customer_id: i64,
    pub channel: ComplaintChannel,
    pub received_at: &'a str,
    pub category_id: i64,
    pub severity: Severity,
    pub summary: &'a str,
    pub details: &'a str,
    pub claim_kind: Option<ClaimKind>,
    pub claim_amount_cents: Option<i64>,
    pub claim_text: &'a str,
    pub handler: &'a str,
    pub response_due: &'a str,
    pub resolution_due: &'a str,
}

pub fn insert_complaint<'a>(db: impl Into<Db<'a>>, c: &NewComplaint<'_>, now: &str) -> Result<i64> {
    db.into().insert(
        "INSERT INTO complaints (serial, customer_id, channel, received_at, category_id, severity, summary, details,
                claim_kind, claim_amount_cents, claim_text, handler, response_due, resolution_due, next_due,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?15, ?15)
             RETURNING id",
        &[
            &c.serial,
            &c.customer_id,
            &c.channel,
            &c.received_at,
            &c.category_id,
            &c.severity,
            &c.summary,
            &c.details,
            &c.claim_kind,
            &c.claim_amount_cents,
            &c.claim_text,
            &c.handler,
            &c.response_due,
            &c.resolution_due,
            &now,
        ],
    )
}

/// Append a line to the handling log (the table refuses edits and deletes).
pub fn add_log<'a>(db: impl Into<Db<'a>>, id: i64, at: &str, staff: &str, kind: &str, detail: &str) -> Result<()> {
    db.into().execute(
        "INSERT INTO complaint_log (complaint_id, at, staff, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[&id, &at, &staff, &kind, &detail],
    )?;
    Ok(())
}

fn log_entry_of(r: &db::Row, at: usize) -> Result<LogEntry> {
    Ok(LogEntry {
        at: r.get(at)?,
        staff: r.get(at + 1)?,
        kind: r.get(at + 2)?,
        detail: r.get(at + 3)?,
    })
}

pub fn list_log<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Vec<LogEntry>> {
    db.into()
        .query(
            "SELECT at, staff, kind, detail FROM complaint_log WHERE complaint_id = ?1 ORDER BY id",
            &[&id],
        )?
        .iter()
        .map(|r| log_entry_of(r, 0))
        .collect()
}

const COLS: &str = "c.id, c.serial, c.customer_id, cu.name, cu.tier, c.channel, c.received_at, c.category_id,
    cat.code, cat.name, c.severity, c.summary, c.details, c.claim_kind, c.claim_amount_cents, c.claim_text, c.state,
    (SELECT d.serial FROM complaints d WHERE d.id = c.duplicate_of), c.handler, c.response_due, c.resolution_due,
    c.first_response_at, c.paused_since, c.escalation_level, c.response_breached_at, c.resolution_breached_at,
    c.resolution, c.remedy_kind, c.remedy_amount_cents, c.root_cause_category, c.root_cause, c.corrective_action,
    c.resolved_at, c.closed_at, c.satisfaction, c.accepted, c.return_visit_id, c.created_at, c.updated_at, c.next_due";

const FROM: &str = "FROM complaints c JOIN customers cu ON cu.id = c.customer_id
    JOIN complaint_categories cat ON cat.id = c.category_id";

/// A row, with `minutes_left` to the running deadline at local time `now` (None when none runs).
fn from_row(r: &db::Row, now: chrono::NaiveDateTime) -> Result<Complaint> {
    let next_due: Option<String> = r.get(39)?;
    let minutes_left = next_due
        .as_deref()
        .filter(|d| *d != PAUSED)
        .and_then(store::ts_to_local)
        .map(|due| (due - now).num_minutes());
    Ok(Complaint {
        id: r.get(0)?,
        serial: r.get(1)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        customer_tier: r.get(4)?,
        channel: r.get(5)?,
        received_at: r.get(6)?,
        category: Category {
            id: r.get(7)?,
            code: r.get(8)?,
            name: r.get(9)?,
        },
        severity: r.get(10)?,
        summary: r.get(11)?,
        details: r.get(12)?,
        claim_kind: r.get(13)?,
        claim_amount_cents: r.get(14)?,
        claim_text: r.get(15)?,
        state: r.get(16)?,
        duplicate_of: r.get(17)?,
        handler: r.get(18)?,
        response_due: r.get(19)?,
        resolution_due: r.get(20)?,
        first_response_at: r.get(21)?,
        paused_since: r.get(22)?,
        escalation_level: r.get(23)?,
        response_breached_at: r.get(24)?,
        resolution_breached_at: r.get(25)?,
        resolution: r.get(26)?,
        remedy_kind: r.get(27)?,
        remedy_amount_cents: r.get(28)?,
        root_cause_category: r.get(29)?,
        root_cause: r.get(30)?,
        corrective_action: r.get(31)?,
        resolved_at: r.get(32)?,
        closed_at: r.get(33)?,
        satisfaction: r.get(34)?,
        accepted: r.get(35)?,
        return_visit_id: r.get(36)?,
        created_at: r.get(37)?,
        updated_at: r.get(38)?,
        minutes_left,
    })
}

pub fn get_complaint<'a>(db: impl Into<Db<'a>>, id: i64, now: chrono::NaiveDateTime) -> Result<Complaint> {
    db.into()
        .query_opt(&format!("SELECT {COLS} {FROM} WHERE c.id = ?1"), &[&id])?
        .map(|r| from_row(&r, now))
        .transpose()?
        .ok_or(Error::NotFound {
            entity: "complaint",
            id,
        })
}

pub fn find_by_serial<'a>(db: impl Into<Db<'a>>, serial: &str) -> Result<Option<i64>> {
    db.into()
        .query_opt(
            "SELECT id FROM complaints WHERE serial = ?1",
            &[&serial.trim().to_uppercase()],
        )?
        .map(|r| r.get(0))
        .transpose()
}

/// One page of the list: open complaints by the nearest running deadline (paused ones
/// last), others newest first.
pub fn list_complaints<'a>(
    db: impl Into<Db<'a>>,
    q: &ComplaintQuery,
    now: chrono::NaiveDateTime,
    limit: usize,
) -> Result<(usize, Vec<Complaint>)> {
    let db = db.into();
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<db::Value> = Vec::new();
    let open_only = q.state.is_empty() || q.state == "open";
    if open_only {
        wh.push("c.is_open = 1".into());
    } else if q.state != "all" {
        wh.push("c.state = ?".into());
        args.push(q.state.value());
    }
    if let Some(s) = q.severity {
        wh.push("c.severity = ?".into());
        args.push(s.value());
    }
    if let Some(cat) = q.category_id {
        wh.push("c.category_id = ?".into());
        args.push(cat.value());
    }
    if let Some(cust) = q.customer_id {
        wh.push("c.customer_id = ?".into());
        args.push(cust.value());
    }
    if q.overdue {
        wh.push("c.is_open = 1 AND c.next_due < ?".into());
        args.push(store::local_to_ts(now).value());
    }
    if let Some(level) = q.min_escalation {
        wh.push("c.escalation_level >= ?".into());
        args.push(level.value());
    }
    let text = q.q.trim();
    if !text.is_empty() {
        // Latin letters match in either case, other letters as typed, on both stores: the
        // pattern is lowered here and the column by `lower`, which lowers only A-Z (the
        // desk's, and the server's under the columns' "C" collation).
        wh.push(
            "(lower(c.serial) LIKE ? ESCAPE '\\' OR lower(c.summary) LIKE ? ESCAPE '\\' \
             OR lower(c.details) LIKE ? ESCAPE '\\' OR lower(cu.name) LIKE ? ESCAPE '\\')"
                .into(),
        );
        let pat = format!("%{}%", like_escape(text)).to_ascii_lowercase();
        let serial = format!("%{}%", like_escape(&text.to_uppercase())).to_ascii_lowercase();
        args.push(serial.value());
        for _ in 0..3 {
            args.push(pat.value());
        }
    }
    let where_sql = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    // NULLS FIRST is the desk's own order, written out for the server.
    let order = if open_only {
        "ORDER BY c.next_due NULLS FIRST, c.id"
    } else {
        "ORDER BY c.received_at DESC, c.id DESC"
    };
    // Counting needs the customer only when the text search looks at the name.
    let count_from = if text.is_empty() {
        "FROM complaints c"
    } else {
        "FROM complaints c JOIN customers cu ON cu.id = c.customer_id"
    };
    let params: Vec<&dyn Param> = args.iter().map(|a| a as &dyn Param).collect();
    let total = db.count(&format!("SELECT count(*) {count_from} {where_sql}"), &params)?;
    args.push(limit.value());
    args.push(q.offset.value());
    let params: Vec<&dyn Param> = args.iter().map(|a| a as &dyn Param).collect();
    let sql = format!("SELECT {COLS} {FROM} {where_sql} {order} LIMIT ? OFFSET ?");
    let rows = db
        .query(&sql, &params)?
        .iter()
        .map(|r| from_row(r, now))
        .collect::<Result<_>>()?;
    Ok((total, rows))
}

/// Open complaints whose running deadline has passed (for the breach and escalation sweep).
pub fn list_overdue_ids<'a>(db: impl Into<Db<'a>>, now_ts: &str) -> Result<Vec<i64>> {
    db.into()
        .query(OVERDUE_SQL, &[&now_ts])?
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The sweep's question, answered from the index `complaints_sweep` alone (migration 0011).
const OVERDUE_SQL: &str =
    "SELECT id FROM complaints WHERE is_open = 1 AND next_due < ?1 AND escalation_level < 3 ORDER BY next_due";

/// Write the workflow fields Rust worked out for a complaint.
pub struct WorkflowUpdate<'a> {
    pub state: ComplaintState,
    pub handler: &'a str,
    pub severity: Severity,
    pub response_due: Option<&'a str>,
    pub resolution_due: Option<&'a str>,
    pub next_due: Option<&'a str>,
    pub first_response_at: Option<&'a str>,
    pub paused_since: Option<&'a str>,
    pub paused_minutes: i64,
    pub duplicate_of: Option<i64>,
}

pub fn update_workflow<'a>(db: impl Into<Db<'a>>, id: i64, u: &WorkflowUpdate<'_>, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE complaints SET state = ?2, is_open = ?3, handler = ?4, severity = ?5, response_due = ?6,
            resolution_due = ?7, next_due = ?8, first_response_at = ?9, paused_since = ?10, paused_minutes = ?11,
            duplicate_of = ?12, updated_at = ?13
         WHERE id = ?1",
        &[
            &id,
            &u.state,
            &u.state.is_open(),
            &u.handler,
            &u.severity,
            &u.response_due,
            &u.resolution_due,
            &u.next_due,
            &u.first_response_at,
            &u.paused_since,
            &u.paused_minutes,
            &u.duplicate_of,
            &now,
        ],
    )?;
    Ok(())
}

pub fn paused_minutes<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<i64> {
    db.into()
        .query_opt("SELECT paused_minutes FROM complaints WHERE id = ?1", &[&id])?
        .ok_or_else(no_row)?
        .get(0)
}

pub struct Resolution<'a> {
    pub resolution: &'a str,
    pub remedy_kind: Option<ClaimKind>,
    pub remedy_amount_cents: Option<i64>,
    pub root_cause_category: &'a str,
    pub root_cause: &'a str,
    pub corrective_action: &'a str,
}

pub fn set_resolution<'a>(db: impl Into<Db<'a>>, id: i64, r: &Resolution<'_>, now: &str) -> Result<()> {
    db.into().execute(
        "UPDATE complaints SET resolution = ?2, remedy_kind = ?3, remedy_amount_cents = ?4, root_cause_category = ?5,
            root_cause = ?6, corrective_action = ?7, resolved_at = ?8, updated_at = ?8
         WHERE id = ?1",
        &[
            &id,
            &r.resolution,
            &r.remedy_kind,
            &r.remedy_amount_cents,
            &r.root_cause_category,
            &r.root_cause,
            &r.corrective_action,
            &now,
        ],
    )?;
    Ok(())
}

pub fn set_closed<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    satisfaction: Option<u8>,
    accepted: Option<bool>,
    visit: Option<i64>,
    now: &str,
) -> Result<()> {
    db.into().execute(
        "UPDATE complaints SET satisfaction = ?2, accepted = ?3, return_visit_id = ?4, closed_at = ?5, updated_at = ?5
         WHERE id = ?1",
        &[&id, &satisfaction, &accepted, &visit, &now],
    )?;
    Ok(())
}

/// Record breaches (at the moment the deadline passed) and the escalation level, which
/// never goes down.
pub fn set_escalation<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    response_breached_at: Option<&str>,
    resolution_breached_at: Option<&str>,
    level: u8,
) -> Result<()> {
    // CASE, not the desk's scalar max(a, b), which the server does not have.
    db.into().execute(
        "UPDATE complaints SET response_breached_at = coalesce(response_breached_at, ?2),
            resolution_breached_at = coalesce(resolution_breached_at, ?3),
            escalation_level = CASE WHEN escalation_level > ?4 THEN escalation_level ELSE ?4 END
         WHERE id = ?1",
        &[&id, &response_breached_at, &resolution_breached_at, &level],
    )?;
    Ok(())
}

fn category_of(r: &db::Row) -> Result<Category> {
    Ok(Category {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
    })
}

pub fn list_categories<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Category>> {
    db.into()
        .query(
            "SELECT id, code, name FROM complaint_categories WHERE archived = 0 ORDER BY position, id",
            &[],
        )?
        .iter()
        .map(category_of)
        .collect()
}

pub fn category_exists<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<bool> {
    Ok(db
        .into()
        .query_opt(
            "SELECT 1 FROM complaint_categories WHERE id = ?1 AND archived = 0",
            &[&id],
        )?
        .is_some())
}

/// The built-in "other" category, or the first one when it is archived.
pub fn default_category<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    // A CASE rather than `code = 'other' DESC`: the server sorts that NULL (a custom
    // category's code) first.
    db.into()
        .query_opt(
            "SELECT id FROM complaint_categories WHERE archived = 0
             ORDER BY CASE WHEN code = 'other' THEN 0 ELSE 1 END, position, id LIMIT 1",
            &[],
        )?
        .ok_or_else(no_row)?
        .get(0)
}

/// Add a category, or rename one; `archived` hides it from new complaints.
pub fn save_category<'a>(db: impl Into<Db<'a>>, c: &Category, archived: bool) -> Result<()> {
    let db = db.into();
    if c.id == 0 {
        db.execute(
            "INSERT INTO complaint_categories (name, position) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM complaint_categories WHERE code IS NULL OR code != 'other'))",
            &[&c.name.trim()],
        )?;
    } else {
        let n = db.execute(
            "UPDATE complaint_categories SET name = ?2, archived = ?3, code = CASE WHEN name = ?2 THEN code ELSE NULL END WHERE id = ?1",
            &[&c.id, &c.name.trim(), &archived],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                entity: "category",
                id: c.id,
            });
        }
    }
    Ok(())
}

/// A customer's complaints: open ones first, then newest first.
pub fn list_for_customer<'a>(
    db: impl Into<Db<'a>>,
    customer_id: i64,
    now: chrono::NaiveDateTime,
) -> Result<Vec<Complaint>> {
    let sql =
        format!("SELECT {COLS} {FROM} WHERE c.customer_id = ?1 ORDER BY c.is_open DESC, c.received_at DESC, c.id DESC");
    db.into()
        .query(&sql, &[&customer_id])?
        .iter()
        .map(|r| from_row(r, now))
        .collect()
}

/// Hand every complaint to `f` (`minutes_left` at local `now`), with its customer's first
/// phone (empty when none), oldest received first. The desk's file streams the rows from
/// one statement; the server hands them over once read.
pub fn for_each_complaint<'a>(
    db: impl Into<Db<'a>>,
    now: chrono::NaiveDateTime,
    mut f: impl FnMut(Complaint, String) -> Result<()>,
) -> Result<()> {
    let db = db.into();
    let first_phone = if db.is_server() {
        "(cu.phones::jsonb ->> 0)"
    } else {
        "json_extract(cu.phones, '$[0]')"
    };
    let sql = format!("SELECT {COLS}, coalesce({first_phone}, '') {FROM} ORDER BY c.received_at, c.id");
    each_row(db, &sql, |r| f(from_row(r, now)?, r.get(40)?))
}

/// Hand every line of every complaint's handling log to `f` with the complaint's serial,
/// complaint by complaint (oldest received first), each log in the order written.
pub fn for_each_log_entry<'a>(db: impl Into<Db<'a>>, mut f: impl FnMut(String, LogEntry) -> Result<()>) -> Result<()> {
    each_row(
        db.into(),
        "SELECT c.serial, l.at, l.staff, l.kind, l.detail
         FROM complaint_log l JOIN complaints c ON c.id = l.complaint_id
         ORDER BY c.received_at, c.id, l.id",
        |r| f(r.get(0)?, log_entry_of(r, 1)?),
    )
}

/// Every row of a query without parameters, one at a time: streamed from the desk's file
/// (an export of every complaint never holds them all), read at once from the server.
fn each_row(db: Db<'_>, sql: &str, mut f: impl FnMut(&db::Row) -> Result<()>) -> Result<()> {
    match db {
        Db::Desk(conn) => {
            let mut stmt = conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                f(&db::Row::of_desk(r)?)?;
            }
        }
        Db::Server(_) => {
            for r in db.query(sql, &[])? {
                f(&r)?;
            }
        }
    }
    Ok(())
}

/// How many of a customer's complaints are still open.
pub fn count_open_for_customer<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<usize> {
    let n = db.into().count(
        "SELECT count(*) FROM complaints WHERE customer_id = ?1 AND is_open = 1",
        &[&customer_id],
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep runs on every reminder pass: it must never read the complaint rows.
    #[test]
    fn the_deadline_sweep_reads_the_index_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = crate::store::open_in(dir.path()).expect("store");
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {OVERDUE_SQL}"))
            .expect("plan")
            .query_map(["2026-12-06T00:00:00.000Z"], |r| r.get::<_, String>(3))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("plan rows");
        assert!(
            plan.iter().any(|p| p.contains("COVERING INDEX complaints_sweep")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|p| p.contains("TEMP B-TREE")),
            "sorted by the index: {plan:?}"
        );
    }
}
