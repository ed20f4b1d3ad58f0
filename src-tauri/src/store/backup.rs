//! Backups of the database file: taken consistently while the app keeps writing (`VACUUM
//! INTO` from a connection of its own), written under a temporary name, flushed, checked
//! (integrity, schema version, counts) and only then renamed into place; listed; and the
//! automatic daily ones kept by rotation (7 daily, 4 weekly, 12 monthly by default).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The folder inside the data folder that holds backups.
pub const BACKUP_DIR: &str = "backups";

crate::str_enum!(
    /// Why a backup was taken. Only `daily` ones are rotated away.
    BackupKind { Manual = "manual", Daily = "daily", PreMigration = "pre-migration", PreRestore = "pre-restore" }
);

/// One good backup file and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    /// The folder it is in.
    pub folder: String,
    pub kind: BackupKind,
    /// UTC, RFC 3339.
    pub taken_at: String,
    pub size: u64,
    pub schema_version: i64,
    pub customers: i64,
    pub visits: i64,
    pub complaints: i64,
}

/// How many automatic backups are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Retention {
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

const PREFIX: &str = "frontdesk-";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

fn file_name(kind: BackupKind, at: DateTime<Utc>) -> String {
    format!("{PREFIX}{}-{}.db", at.format(STAMP), kind.as_str())
}

/// `(taken at, kind)` from a backup's file name, or `None` for any other file.
fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupKind)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
    let (stamp, kind) = rest.split_once('-')?;
    let at = chrono::NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some((at, BackupKind::parse(kind)?))
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Backup(format!("{what} {}: {e}", path.display()))
}

/// Back up the database at `db` into `dir` (created if missing). The copy is checked
/// before it gets its final name; a copy that fails is deleted and nothing else changes.
pub fn take(db: &Path, dir: &Path, kind: BackupKind, now: DateTime<Utc>) -> Result<BackupInfo> {
    std::fs::create_dir_all(dir).map_err(|e| io("cannot create the backup folder", dir, e))?;
    let mut at = now;
    let mut target = dir.join(file_name(kind, at));
    // Two backups within one second: the later one takes the next free second.
    while target.exists() {
        at += chrono::TimeDelta::seconds(1);
        target = dir.join(file_name(kind, at));
    }
    let tmp = dir.join(format!(".{}.tmp", file_name(kind, at)));
    let result = copy_and_check(db, &tmp).and_then(|(schema_version, counts)| {
        std::fs::rename(&tmp, &target).map_err(|e| io("cannot name the backup", &target, e))?;
        sync_dir(dir);
        let found = remember(&target, schema_version, counts);
        Ok(info(&target, (at, kind), &found))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `VACUUM INTO` a temporary file from a read-only connection of its own (the app keeps
/// writing meanwhile: WAL readers do not block writers), flush it, and check it.
fn copy_and_check(db: &Path, tmp: &Path) -> Result<(i64, [i64; 3])> {
    let _ = std::fs::remove_file(tmp);
    let src = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    src.busy_timeout(std::time::Duration::from_secs(10))?;
    let dest = tmp
        .to_str()
        .ok_or_else(|| Error::Backup(format!("{} is not a usable path", tmp.display())))?;
    src.execute("VACUUM INTO ?1", [dest])?;
    drop(src);
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("cannot flush the backup", tmp, e))?;
    check(tmp)
}

/// Check a backup file: an SQLite file that passes `integrity_check`, written by FrontDesk;
/// returns its schema version and its counts of customers, visits and complaints.
pub fn check(path: &Path) -> Result<(i64, [i64; 3])> {
    let bad = |reason: String| Error::DbInvalid {
        path: path.display().to_string(),
        reason,
    };
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(format!("cannot be opened ({e})")))?;
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("not a readable database ({e})")))?;
    if ok != "ok" {
        return Err(bad(format!("damaged: {ok}")));
    }
    let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has = |table: &str| -> Result<bool> {
        Ok(c.query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
    };
    if version < 1 || !has("customers")? {
        return Err(bad("not a FrontDesk database".into()));
    }
    let mut counts = [0i64; 3];
    for (n, table) in ["customers", "visits", "complaints"].iter().enumerate() {
        if has(table)? {
            counts[n] = c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        }
    }
    Ok((version, counts))
}

/// What a backup file holds, after checking it can be restored here: a good FrontDesk
/// database no newer than this version.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    let (schema_version, counts) = check(path)?;
    if schema_version > super::supported_version() {
        return Err(Error::DbTooNew {
            found: schema_version,
            supported: super::supported_version(),
        });
    }
    // Any file the user picks: checked in full, and nothing is written beside it.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let found = Checked::of(path, schema_version, counts);
    // A file renamed by the user is as old as its last change.
    let taken = parse_name(&name).unwrap_or_else(|| {
        let modified = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map_or(DateTime::<Utc>::UNIX_EPOCH, DateTime::<Utc>::from);
        (modified, BackupKind::Manual)
    });
    Ok(info(path, taken, &found))
}

/// Replace the live database behind `conn` with the backup at `from` (page by page, through
/// SQLite's backup API, so the file stays the same file and other connections see the
/// change), then bring it to the latest schema. Call [`inspect`] first.
pub fn restore_into(conn: &mut Connection, from: &Path) -> Result<()> {
    conn.restore(rusqlite::MAIN_DB, from, None::<fn(rusqlite::backup::Progress)>)?;
    super::configure(conn)?;
    super::migrations()
        .to_latest(conn)
        .map_err(|e| Error::Internal(format!("migration after restore failed: {e}")))
}

/// Replace a damaged database in the data folder `dir` with the backup `from`, when the
/// app could not open it. The backup is checked first (a bad one changes nothing); the
/// damaged file and its write-ahead log are kept beside it as
/// `frontdesk-damaged-<time>.db[-wal]`, never deleted.
pub fn recover(dir: &Path, from: &Path, now: DateTime<Utc>) -> Result<BackupInfo> {
    let found = inspect(from)?;
    let db = dir.join(super::DB_FILE);
    let tmp = dir.join(".frontdesk-recover.tmp");
    let _ = std::fs::remove_file(&tmp);
    let copied = std::fs::copy(from, &tmp)
        .and_then(|_| std::fs::File::open(&tmp).and_then(|f| f.sync_all()))
        .map_err(|e| io("cannot copy the backup", &tmp, e));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let kept = dir.join(format!("frontdesk-damaged-{}.db", now.format(STAMP)));
    for (suffix, keep) in [("", true), ("-wal", true), ("-shm", false)] {
        let file = PathBuf::from(format!("{}{suffix}", db.display()));
        if !file.exists() {
            continue;
        }
        let moved = if keep {
            std::fs::rename(&file, PathBuf::from(format!("{}{suffix}", kept.display())))
        } else {
            std::fs::remove_file(&file)
        };
        moved.map_err(|e| io("cannot move the damaged database aside", &file, e))?;
    }
    std::fs::rename(&tmp, &db).map_err(|e| io("cannot put the backup in place", &db, e))?;
    sync_dir(dir);
    Ok(found)
}

/// What a check of a backup found, kept beside it (`<name>.checked`) with the file's size
/// and modification time: listing then reads no backup again; a file changed since, or one
/// without the record, is checked anew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Checked {
    size: u64,
    modified_ns: u128,
    schema_version: i64,
    counts: [i64; 3],
}

impl Checked {
    /// What was found in `path`, stamped with its size and modification time now.
    fn of(path: &Path, schema_version: i64, counts: [i64; 3]) -> Checked {
        let meta = std::fs::metadata(path).ok();
        let modified_ns = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Checked {
            size: meta.map_or(0, |m| m.len()),
            modified_ns,
            schema_version,
            counts,
        }
    }
}

fn record_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".checked");
    path.with_file_name(name)
}

/// Keep what a successful check of a backup found (best effort: without the record,
/// listing checks the file again).
fn remember(path: &Path, schema_version: i64, counts: [i64; 3]) -> Checked {
    let found = Checked::of(path, schema_version, counts);
    if let Ok(json) = serde_json::to_string(&found) {
        let _ = std::fs::write(record_path(path), json);
    }
    found
}

/// The check of a backup in the folder: its record when the file is unchanged since, else
/// [`check`] again.
fn checked(path: &Path) -> Result<Checked> {
    let now = Checked::of(path, 0, [0; 3]);
    let recorded = std::fs::read_to_string(record_path(path))
        .ok()
        .and_then(|s| serde_json::from_str::<Checked>(&s).ok())
        .filter(|c| c.size == now.size && c.modified_ns == now.modified_ns);
    match recorded {
        Some(c) => Ok(c),
        None => {
            let (schema_version, counts) = check(path)?;
            Ok(remember(path, schema_version, counts))
        }
    }
}

fn info(path: &Path, (at, kind): (DateTime<Utc>, BackupKind), found: &Checked) -> BackupInfo {
    BackupInfo {
        path: path.display().to_string(),
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        folder: path.parent().map(|p| p.display().to_string()).unwrap_or_default(),
        kind,
        taken_at: crate::kernel::time::format_ts(at),
        size: found.size,
        schema_version: found.schema_version,
        customers: found.counts[0],
        visits: found.counts[1],
        complaints: found.counts[2],
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// The good backups in `dir`, newest first. Files that are not backups, or that fail
/// their check, are left out.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("cannot read the backup folder", dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some((at, kind)) = parse_name(&name) else { continue };
        let path = entry.path();
        let Ok(found) = checked(&path) else { continue };
        out.push(info(&path, (at, kind), &found));
    }
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at));
    Ok(out)
}

/// Whether a daily backup was already taken on `day` (by the local day of `day_of`).
pub fn has_daily_on(dir: &Path, day: NaiveDate, day_of: impl Fn(DateTime<Utc>) -> NaiveDate) -> bool {
    std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| {
        parse_name(&e.file_name().to_string_lossy())
            .is_some_and(|(at, kind)| kind == BackupKind::Daily && day_of(at) == day)
    })
}

/// The daily backups to delete: keep the newest of each of the last `daily` days, of each
/// of the last `weekly` ISO weeks and of each of the last `monthly` months; other kinds
/// are never rotated. `days` is each backup's local day, newest first or in any order.
pub fn to_rotate(backups: &[(String, NaiveDate)], keep: Retention) -> Vec<String> {
    let mut sorted: Vec<&(String, NaiveDate)> = backups.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    let mut bucket = |key: &dyn Fn(NaiveDate) -> (i32, u32), limit: usize| {
        let mut seen: Vec<(i32, u32)> = Vec::new();
        for (name, d) in &sorted {
            let k = key(*d);
            if seen.contains(&k) {
                continue;
            }
            if seen.len() == limit {
                break;
            }
            seen.push(k);
            kept.insert(name.as_str());
        }
    };
    bucket(&|d| (d.year(), d.ordinal()), keep.daily);
    bucket(&|d| (d.iso_week().year(), d.iso_week().week()), keep.weekly);
    bucket(&|d| (d.year(), d.month()), keep.monthly);
    sorted
        .iter()
        .filter(|(name, _)| !kept.contains(name.as_str()))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Delete the daily backups in `dir` that rotation no longer keeps; returns how many.
pub fn rotate(dir: &Path, keep: Retention, day_of: impl Fn(DateTime<Utc>) -> NaiveDate) -> Result<usize> {
    let daily: Vec<(String, NaiveDate)> = std::fs::read_dir(dir)
        .map_err(|e| io("cannot read the backup folder", dir, e))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let (at, kind) = parse_name(&name)?;
            (kind == BackupKind::Daily).then(|| (name, day_of(at)))
        })
        .collect();
    let gone = to_rotate(&daily, keep);
    for name in &gone {
        let path: PathBuf = dir.join(name);
        std::fs::remove_file(&path).map_err(|e| io("cannot remove the old backup", &path, e))?;
        let _ = std::fs::remove_file(record_path(&path));
    }
    Ok(gone.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn names_round_trip() {
        let at = DateTime::parse_from_rfc3339("2026-11-23T17:05:01Z").unwrap().to_utc();
        let n = file_name(BackupKind::PreMigration, at);
        assert_eq!(n, "frontdesk-20261123T170501Z-pre-migration.db");
        assert_eq!(parse_name(&n), Some((at, BackupKind::PreMigration)));
        assert_eq!(parse_name("frontdesk.db"), None);
        assert_eq!(parse_name(".frontdesk-20261123T170501Z-daily.db.tmp"), None);
    }

    #[test]
    fn rotation_keeps_seven_days_four_weeks_twelve_months() {
        // One daily backup every day for 500 days.
        let start = d("2025-07-11");
        let all: Vec<(String, NaiveDate)> = (0..500)
            .map(|i| {
                let day = start + chrono::Days::new(i);
                (format!("{day}"), day)
            })
            .collect();
        let gone: BTreeSet<String> = to_rotate(&all, Retention::default()).into_iter().collect();
        let kept: Vec<&String> = all.iter().map(|(n, _)| n).filter(|n| !gone.contains(*n)).collect();
        let last = start + chrono::Days::new(499);
        for i in 0..7 {
            let day = (last - chrono::Days::new(i)).to_string();
            assert!(kept.contains(&&day), "day {day} kept");
        }
        // 7 days + up to 4 weeks + up to 12 months, overlapping: never more than 23, never
        // fewer than 12 distinct months' worth.
        assert!(kept.len() <= 23 && kept.len() >= 12, "{}", kept.len());
        let months: BTreeSet<&str> = kept.iter().map(|n| &n[..7]).collect();
        assert_eq!(months.len(), 12, "{months:?}");
        // Rotating again deletes nothing more.
        let rest: Vec<(String, NaiveDate)> = all.iter().filter(|(n, _)| !gone.contains(n)).cloned().collect();
        assert!(to_rotate(&rest, Retention::default()).is_empty());
    }
}
