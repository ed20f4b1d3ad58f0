//! The store: opens the one SQLite file, sets per-connection pragmas, applies embedded migrations.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

pub mod backup;
pub mod db;
pub mod server;
pub mod settings;

/// The database file inside the data folder.
pub const DB_FILE: &str = "frontdesk.db";

/// Environment variable that overrides the data folder (tests, portable installs).
pub const DATA_DIR_ENV: &str = "FRONTDESK_DATA_DIR";

/// Every migration, in order. Append only: never edit or reorder one that shipped
/// (a test checks their fingerprints).
pub const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_customers.sql"),
    include_str!("migrations/0002_visits.sql"),
    include_str!("migrations/0003_complaints.sql"),
    include_str!("migrations/0004_reminders.sql"),
    include_str!("migrations/0005_audit.sql"),
    include_str!("migrations/0006_imports.sql"),
    include_str!("migrations/0007_churn.sql"),
    include_str!("migrations/0008_review.sql"),
    include_str!("migrations/0009_review_speed.sql"),
    include_str!("migrations/0010_arrivals.sql"),
    include_str!("migrations/0011_complaint_sweep.sql"),
    include_str!("migrations/0012_audit_desk.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build writes.
pub fn supported_version() -> i64 {
    MIGRATION_SQL.len() as i64
}

/// The data folder: `FRONTDESK_DATA_DIR` when set, else the given OS default.
pub fn data_dir(os_default: Option<PathBuf>) -> Result<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(v) if !v.is_empty() => Ok(PathBuf::from(v)),
        _ => os_default.ok_or_else(|| Error::DataDir("no application data folder on this system".into())),
    }
}

/// Pragmas every connection needs: WAL, foreign keys, a busy timeout.
pub fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Erased text (an anonymised customer) does not linger in freed pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // FULL: a write acknowledged to the user survives a power cut, not only a crash (WAL with
    // NORMAL may lose the last commits then). The cost is in `cargo xtask bench`.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Up to 8 MiB of pages stay in memory (SQLite's default is 2 MiB). The manager's
    // figures and the board, which read whole years, have their own readers with a larger
    // cache (`App::with_reader`); on the desk's connection the reminder passes every few
    // seconds would otherwise fill 64 MiB that the allocator cannot give back afterwards.
    conn.pragma_update(None, "cache_size", -8192)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Internal(format!("journal mode is {mode}, not WAL")));
    }
    Ok(())
}

/// Open (creating if missing) the database in `dir`, refuse a file that is not a
/// database or that a newer version wrote, and migrate it to the latest schema.
pub fn open_in(dir: &Path) -> Result<Connection> {
    open_in_checking(dir, Check::Now)
}

/// When the file's integrity is checked (`PRAGMA quick_check`, which reads all of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Before the store is used.
    Now,
    /// By the caller, beside the first screen ([`quick_check`]); an older schema is still
    /// checked before it is migrated.
    Later,
}

/// [`open_in`], with the integrity check now or left to the caller.
pub fn open_in_checking(dir: &Path, check: Check) -> Result<Connection> {
    std::fs::create_dir_all(dir).map_err(|e| Error::DataDir(format!("{}: {e}", dir.display())))?;
    // Name the folder: the user fixes its permissions, not "a readonly database".
    open_checking(&dir.join(DB_FILE), check).map_err(|e| match e.kind() {
        "read_only" => Error::ReadOnly(format!("{} ({e})", dir.display())),
        _ => e,
    })
}

/// A second, read-only connection to the open database in `dir`, for long reads (an
/// export) that must not hold the app's own connection: in WAL mode it reads one snapshot
/// while the app keeps writing.
pub fn open_reader(dir: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        dir.join(DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The integrity check of the database in `dir`, on a read-only connection of its own: a
/// damaged file is [`Error::DbDamaged`].
pub fn quick_check(dir: &Path) -> Result<()> {
    let path = dir.join(DB_FILE);
    let damaged = |reason: String| Error::DbDamaged {
        path: path.display().to_string(),
        reason,
    };
    let conn = open_reader(dir).map_err(|e| damaged(e.to_string()))?;
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(damaged(verdict))
    }
}

/// Open the database file at `path` (see [`open_in`]).
pub fn open(path: &Path) -> Result<Connection> {
    open_checking(path, Check::Now)
}

fn open_checking(path: &Path, check: Check) -> Result<Connection> {
    let invalid = |reason: String| Error::DbInvalid {
        path: path.display().to_string(),
        reason,
    };
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Read before writing anything: a foreign file fails here and stays untouched.
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                invalid("not an SQLite file".into())
            }
            other => Error::Db(other),
        })?;
    if found > supported_version() {
        return Err(Error::DbTooNew {
            found,
            supported: supported_version(),
        });
    }
    if found > 0 && (check == Check::Now || found < supported_version()) {
        // A damaged file is found here, at start, not by the first screen that reads it.
        let damaged = |reason: String| Error::DbDamaged {
            path: path.display().to_string(),
            reason,
        };
        let verdict: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| damaged(e.to_string()))?;
        if verdict != "ok" {
            return Err(damaged(verdict));
        }
    }
    if found > 0 && !is_frontdesk(&conn)? {
        return Err(invalid("an SQLite file of another program".into()));
    }
    if found == 0 && has_foreign_tables(&conn)? {
        return Err(invalid("an SQLite file of another program".into()));
    }
    if found > 0 && found < supported_version() {
        // An older schema is about to change: keep a snapshot of it first, apart from the
        // rotation. Without one the migration does not run.
        let dir = path
            .parent()
            .map(|p| p.join(backup::BACKUP_DIR))
            .unwrap_or_else(|| backup::BACKUP_DIR.into());
        backup::take(path, &dir, backup::BackupKind::PreMigration, chrono::Utc::now())?;
    }
    configure(&conn)?;
    migrations()
        .to_latest(&mut conn)
        .map_err(|e| Error::Internal(format!("migration failed: {e}")))?;
    Ok(conn)
}

fn is_frontdesk(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'customers'",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 1)
}

fn has_foreign_tables(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(n > 0)
}

pub use crate::kernel::time::{format_ts, local_to_ts, ts_to_local};

/// The schema version of an open database.
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fingerprint of each shipped migration, so editing one fails here.
    fn fingerprint(s: &str) -> u64 {
        crate::kernel::fnv::Fnv::of(s.as_bytes())
    }

    /// Shipped migrations' fingerprints. Append a line when you append a migration;
    /// never change an existing one.
    const SHIPPED: &[u64] = &[
        0x60534a5b167db95f,
        0xf913095da91aef64,
        0x87d27bc2ad9cb269,
        0xda2bac32281d9f38,
        0xead19944ee8fb12b,
        0x89c92270c0f8b3fc,
        0xac83c7e584871c51,
        0x3889321de1595149,
        0x2fca4f61a143d406,
        0x039b3f88ae3334e6,
        0xcf269793a8d47de1,
        0x80d73083d45faec3,
    ];

    #[test]
    fn migrations_are_valid() {
        migrations().validate().expect("migrations apply to an empty database");
    }

    /// The shared database's migrations (`server.rs`), held to the same rule.
    const SHIPPED_SERVER: &[u64] = &[
        0xb7aabe3050763ad2,
        0x62d241e22a92dd83,
        0x0e012eb2a7f979b5,
        0x381a196f07da4935,
        0xfcb9b62c9f4f069c,
    ];

    #[test]
    fn migrations_are_append_only() {
        append_only("SQLite", MIGRATION_SQL, SHIPPED);
        append_only("server", server::MIGRATION_SQL, SHIPPED_SERVER);
    }

    fn append_only(which: &str, sql: &[&str], shipped: &[u64]) {
        let got: Vec<u64> = sql.iter().map(|s| fingerprint(s)).collect();
        assert!(got.len() >= shipped.len(), "a shipped {which} migration was removed");
        for (i, (g, s)) in got.iter().zip(shipped).enumerate() {
            assert_eq!(
                g,
                s,
                "{which} migration {} changed after it shipped (fingerprint {g:#x})",
                i + 1
            );
        }
        assert_eq!(
            got.len(),
            shipped.len(),
            "new {which} migration: add its fingerprint {:#x?}",
            &got[shipped.len()..]
        );
    }

    #[test]
    fn open_sets_pragmas_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_in(dir.path()).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, supported_version());
        let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        let jm: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(jm, "wal");
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = format_ts(chrono::DateTime::from_timestamp(1_000, 5_000_000).unwrap());
        let b = format_ts(chrono::DateTime::from_timestamp(1_000, 60_000_000).unwrap());
        assert!(a < b, "{a} < {b}");
        assert_eq!(a, "1970-01-01T00:16:40.005Z");
    }
}
