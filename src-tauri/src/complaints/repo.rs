//! Complaint SQL: serial numbers, the register, workflow updates, the handling log, lists.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use crate::error::{Error, Result};
use crate::kernel::cadence::Tier;
use crate::store;

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

fn running_deadline_from_row(r: &Row<'_>) -> rusqlite::Result<RunningDeadline> {
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
pub fn list_running_deadlines(conn: &Connection, lo: &str, hi: &str) -> Result<Vec<RunningDeadline>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.customer_id, cu.name, c.serial, c.next_due, c.handler
         FROM complaints c JOIN customers cu ON cu.id = c.customer_id
         WHERE c.is_open = 1 AND c.next_due >= ?1 AND c.next_due <= ?2 AND c.next_due != ?3",
    )?;
    let rows = stmt.query_map([lo, hi, PAUSED], running_deadline_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One complaint's running deadline, if it is open and not paused.
pub fn get_running_deadline(conn: &Connection, id: i64) -> Result<Option<RunningDeadline>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.customer_id, cu.name, c.serial, c.next_due, c.handler
             FROM complaints c JOIN customers cu ON cu.id = c.customer_id
             WHERE c.id = ?1 AND c.is_open = 1 AND c.next_due != ?2",
        )?
        .query_row(params![id, PAUSED], running_deadline_from_row)
        .optional()?)
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

fn parse<T>(s: String, f: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    f(&s).ok_or_else(|| rusqlite::Error::InvalidColumnType(0, s, rusqlite::types::Type::Text))
}

fn parse_opt<T>(s: Option<String>, f: fn(&str) -> Option<T>) -> rusqlite::Result<Option<T>> {
    s.map(|s| parse(s, f)).transpose()
}

/// The next serial number of `year` (`TS-2026-000123`). Runs inside the caller's immediate
/// transaction, so two saves never get the same number and a number is never reused.
pub fn next_serial(conn: &Connection, year: i32) -> Result<String> {
    let n: i64 = conn.query_row(
        "INSERT INTO complaint_serials (year, last) VALUES (?1, 1)
         ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
        [year],
        |r| r.get(0),
    )?;
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

pub fn insert_complaint(conn: &Connection, c: &NewComplaint<'_>, now: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO complaints (serial, customer_id, channel, received_at, category_id, severity, summary, details,
            claim_kind, claim_amount_cents, claim_text, handler, response_due, resolution_due, next_due,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?15, ?15)",
    )?
    .execute(params![
        c.serial,
        c.customer_id,
        c.channel.as_str(),
        c.received_at,
        c.category_id,
        c.severity.as_str(),
        c.summary,
        c.details,
        c.claim_kind.map(|k| k.as_str()),
        c.claim_amount_cents,
        c.claim_text,
        c.handler,
        c.response_due,
        c.resolution_due,
        now,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Append a line to the handling log (the table refuses edits and deletes).
pub fn add_log(conn: &Connection, id: i64, at: &str, staff: &str, kind: &str, detail: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO complaint_log (complaint_id, at, staff, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, at, staff, kind, detail])?;
    Ok(())
}

pub fn list_log(conn: &Connection, id: i64) -> Result<Vec<LogEntry>> {
    let mut stmt =
        conn.prepare_cached("SELECT at, staff, kind, detail FROM complaint_log WHERE complaint_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([id], |r| {
        Ok(LogEntry {
            at: r.get(0)?,
            staff: r.get(1)?,
            kind: r.get(2)?,
            detail: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
fn from_row(r: &Row<'_>, now: chrono::NaiveDateTime) -> rusqlite::Result<Complaint> {
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
        customer_tier: parse(r.get(4)?, Tier::parse)?,
        channel: parse(r.get(5)?, ComplaintChannel::parse)?,
        received_at: r.get(6)?,
        category: Category {
            id: r.get(7)?,
            code: r.get(8)?,
            name: r.get(9)?,
        },
        severity: parse(r.get(10)?, Severity::parse)?,
        summary: r.get(11)?,
        details: r.get(12)?,
        claim_kind: parse_opt(r.get(13)?, ClaimKind::parse)?,
        claim_amount_cents: r.get(14)?,
        claim_text: r.get(15)?,
        state: parse(r.get(16)?, ComplaintState::parse)?,
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
        remedy_kind: parse_opt(r.get(27)?, ClaimKind::parse)?,
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

pub fn get_complaint(conn: &Connection, id: i64, now: chrono::NaiveDateTime) -> Result<Complaint> {
    conn.prepare_cached(&format!("SELECT {COLS} {FROM} WHERE c.id = ?1"))?
        .query_row([id], |r| from_row(r, now))
        .optional()?
        .ok_or(Error::NotFound {
            entity: "complaint",
            id,
        })
}

pub fn find_by_serial(conn: &Connection, serial: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM complaints WHERE serial = ?1")?
        .query_row([serial.trim().to_uppercase()], |r| r.get(0))
        .optional()?)
}

/// One page of the list: open complaints by the nearest running deadline (paused ones
/// last), others newest first.
pub fn list_complaints(
    conn: &Connection,
    q: &ComplaintQuery,
    now: chrono::NaiveDateTime,
    limit: usize,
) -> Result<(usize, Vec<Complaint>)> {
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let open_only = q.state.is_empty() || q.state == "open";
    if open_only {
        wh.push("c.is_open = 1".into());
    } else if q.state != "all" {
        wh.push("c.state = ?".into());
        args.push(Box::new(q.state.clone()));
    }
    if let Some(s) = q.severity {
        wh.push("c.severity = ?".into());
        args.push(Box::new(s.as_str()));
    }
    if let Some(cat) = q.category_id {
        wh.push("c.category_id = ?".into());
        args.push(Box::new(cat));
    }
    if let Some(cust) = q.customer_id {
        wh.push("c.customer_id = ?".into());
        args.push(Box::new(cust));
    }
    if q.overdue {
        wh.push("c.is_open = 1 AND c.next_due < ?".into());
        args.push(Box::new(store::local_to_ts(now)));
    }
    if let Some(level) = q.min_escalation {
        wh.push("c.escalation_level >= ?".into());
        args.push(Box::new(level));
    }
    let text = q.q.trim();
    if !text.is_empty() {
        wh.push(
            "(c.serial LIKE ? ESCAPE '\\' OR c.summary LIKE ? ESCAPE '\\' OR c.details LIKE ? ESCAPE '\\' \
             OR cu.name LIKE ? ESCAPE '\\')"
                .into(),
        );
        let pat = format!("%{}%", like_escape(text));
        let serial = format!("%{}%", like_escape(&text.to_uppercase()));
        args.push(Box::new(serial));
        for _ in 0..3 {
            args.push(Box::new(pat.clone()));
        }
    }
    let where_sql = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    let order = if open_only {
        "ORDER BY c.next_due, c.id"
    } else {
        "ORDER BY c.received_at DESC, c.id DESC"
    };
    // Counting needs the customer only when the text search looks at the name.
    let count_from = if text.is_empty() {
        "FROM complaints c"
    } else {
        "FROM complaints c JOIN customers cu ON cu.id = c.customer_id"
    };
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) {count_from} {where_sql}"))?
        .query_row(rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
            r.get(0)
        })?;
    args.push(Box::new(limit as i64));
    args.push(Box::new(q.offset as i64));
    let sql = format!("SELECT {COLS} {FROM} {where_sql} {order} LIMIT ? OFFSET ?");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
        from_row(r, now)
    })?;
    Ok((total as usize, rows.collect::<rusqlite::Result<_>>()?))
}

/// Open complaints whose running deadline has passed (for the breach and escalation sweep).
pub fn list_overdue_ids(conn: &Connection, now_ts: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(OVERDUE_SQL)?;
    let rows = stmt.query_map([now_ts], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

pub fn update_workflow(conn: &Connection, id: i64, u: &WorkflowUpdate<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE complaints SET state = ?2, is_open = ?3, handler = ?4, severity = ?5, response_due = ?6,
            resolution_due = ?7, next_due = ?8, first_response_at = ?9, paused_since = ?10, paused_minutes = ?11,
            duplicate_of = ?12, updated_at = ?13
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        u.state.as_str(),
        u.state.is_open(),
        u.handler,
        u.severity.as_str(),
        u.response_due,
        u.resolution_due,
        u.next_due,
        u.first_response_at,
        u.paused_since,
        u.paused_minutes,
        u.duplicate_of,
        now,
    ])?;
    Ok(())
}

pub fn paused_minutes(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT paused_minutes FROM complaints WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

pub struct Resolution<'a> {
    pub resolution: &'a str,
    pub remedy_kind: Option<ClaimKind>,
    pub remedy_amount_cents: Option<i64>,
    pub root_cause_category: &'a str,
    pub root_cause: &'a str,
    pub corrective_action: &'a str,
}

pub fn set_resolution(conn: &Connection, id: i64, r: &Resolution<'_>, now: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE complaints SET resolution = ?2, remedy_kind = ?3, remedy_amount_cents = ?4, root_cause_category = ?5,
            root_cause = ?6, corrective_action = ?7, resolved_at = ?8, updated_at = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        r.resolution,
        r.remedy_kind.map(|k| k.as_str()),
        r.remedy_amount_cents,
        r.root_cause_category,
        r.root_cause,
        r.corrective_action,
        now,
    ])?;
    Ok(())
}

pub fn set_closed(
    conn: &Connection,
    id: i64,
    satisfaction: Option<u8>,
    accepted: Option<bool>,
    visit: Option<i64>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE complaints SET satisfaction = ?2, accepted = ?3, return_visit_id = ?4, closed_at = ?5, updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, satisfaction, accepted, visit, now])?;
    Ok(())
}

/// Record breaches (at the moment the deadline passed) and the escalation level.
pub fn set_escalation(
    conn: &Connection,
    id: i64,
    response_breached_at: Option<&str>,
    resolution_breached_at: Option<&str>,
    level: u8,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE complaints SET response_breached_at = coalesce(response_breached_at, ?2),
            resolution_breached_at = coalesce(resolution_breached_at, ?3), escalation_level = max(escalation_level, ?4)
         WHERE id = ?1",
    )?
    .execute(params![id, response_breached_at, resolution_breached_at, level])?;
    Ok(())
}

pub fn list_categories(conn: &Connection) -> Result<Vec<Category>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, code, name FROM complaint_categories WHERE archived = 0 ORDER BY position, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Category {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn category_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM complaint_categories WHERE id = ?1 AND archived = 0")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn default_category(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT id FROM complaint_categories WHERE archived = 0 ORDER BY code = 'other' DESC, position LIMIT 1",
        [],
        |r| r.get(0),
    )?)
}

/// Add a category, or rename one; `archived` hides it from new complaints.
pub fn save_category(conn: &Connection, c: &Category, archived: bool) -> Result<()> {
    if c.id == 0 {
        conn.execute(
            "INSERT INTO complaint_categories (name, position) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM complaint_categories WHERE code IS NULL OR code != 'other'))",
            [c.name.trim()],
        )?;
    } else {
        let n = conn.execute(
            "UPDATE complaint_categories SET name = ?2, archived = ?3, code = CASE WHEN name = ?2 THEN code ELSE NULL END WHERE id = ?1",
            params![c.id, c.name.trim(), archived],
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
pub fn list_for_customer(conn: &Connection, customer_id: i64, now: chrono::NaiveDateTime) -> Result<Vec<Complaint>> {
    let sql =
        format!("SELECT {COLS} {FROM} WHERE c.customer_id = ?1 ORDER BY c.is_open DESC, c.received_at DESC, c.id DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([customer_id], |r| from_row(r, now))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Hand every complaint to `f` (`minutes_left` at local `now`), with its customer's first
/// phone (empty when none), oldest received first; one statement streaming rows.
pub fn for_each_complaint(
    conn: &Connection,
    now: chrono::NaiveDateTime,
    mut f: impl FnMut(Complaint, String) -> Result<()>,
) -> Result<()> {
    let sql =
        format!("SELECT {COLS}, coalesce(json_extract(cu.phones, '$[0]'), '') {FROM} ORDER BY c.received_at, c.id");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(from_row(r, now)?, r.get(40)?)?;
    }
    Ok(())
}

/// Hand every line of every complaint's handling log to `f` with the complaint's serial,
/// complaint by complaint (oldest received first), each log in the order written.
pub fn for_each_log_entry(conn: &Connection, mut f: impl FnMut(String, LogEntry) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT c.serial, l.at, l.staff, l.kind, l.detail
         FROM complaint_log l JOIN complaints c ON c.id = l.complaint_id
         ORDER BY c.received_at, c.id, l.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let entry = LogEntry {
            at: r.get(1)?,
            staff: r.get(2)?,
            kind: r.get(3)?,
            detail: r.get(4)?,
        };
        f(r.get(0)?, entry)?;
    }
    Ok(())
}

/// How many of a customer's complaints are still open.
pub fn count_open_for_customer(conn: &Connection, customer_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM complaints WHERE customer_id = ?1 AND is_open = 1")?
        .query_row([customer_id], |r| r.get(0))?;
    Ok(n as usize)
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
