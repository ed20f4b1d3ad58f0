//! Which store this desk opens, its own file or the shared database, and the moves between
//! them: "Move this desk's data to the shared database", "Use the shared database" (another
//! desk moved its data there) and "Copy the shared database to this PC". They run while no
//! `App` is open on the data folder; the next open follows the choice saved here.
//!
//! The choice is two files in the data folder: the connection (`shared-database.json`,
//! never the password) and the password (`shared-database.secret`, readable by this user
//! only).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::server::{self, copy, ServerCheck, ServerSettings};

/// The saved connection to the shared database (no password).
pub const SHARED_FILE: &str = "shared-database.json";
/// The saved password, readable by this user only.
pub const SECRET_FILE: &str = "shared-database.secret";

/// What a move between the stores did.
#[derive(Debug, Clone, Serialize)]
pub struct Switched {
    /// Rows copied per table (none when the desk joined a database already filled).
    pub copied: Vec<copy::TableCopy>,
    /// Where this desk's own file was kept, when the shared database replaced it.
    pub kept: Option<String>,
}

/// The shared database this desk opens, if it is in the shared mode.
pub fn saved(dir: &Path) -> Result<Option<ServerSettings>> {
    let path = dir.join(SHARED_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Internal(format!("{}: {e}", path.display()))),
    };
    let mut settings: ServerSettings = serde_json::from_str(&text).map_err(|e| Error::DbInvalid {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    settings.password = match std::fs::read_to_string(dir.join(SECRET_FILE)) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::Internal(format!("{SECRET_FILE}: {e}"))),
    };
    Ok(Some(settings))
}

/// Write `text` to `path` through a temporary file, readable by this user only when
/// `private`: a crash leaves the old file or the new one, never half of one.
fn write_file(path: &Path, text: &str, private: bool) -> Result<()> {
    use std::io::Write;
    let part = path.with_extension("part");
    let failed = |e: std::io::Error| Error::Internal(format!("{}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&part).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    drop(file);
    std::fs::rename(&part, path).map_err(failed)
}

/// Remember `settings` (the password apart) as the store this desk opens.
fn save(dir: &Path, settings: &ServerSettings) -> Result<()> {
    let mut kept = settings.clone();
    kept.host = kept.host.trim().to_string();
    kept.desk = kept.desk.trim().to_string();
    write_file(&dir.join(SECRET_FILE), &settings.password, true)?;
    let json = serde_json::to_string_pretty(&kept).map_err(Error::internal)?;
    write_file(&dir.join(SHARED_FILE), &json, false)
}

/// Leave the shared mode: the desk opens its own file again.
fn forget(dir: &Path) -> Result<()> {
    for name in [SHARED_FILE, SECRET_FILE] {
        match std::fs::remove_file(dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Internal(format!("{name}: {e}"))),
        }
    }
    Ok(())
}

/// A desk's own settings beside the shared database (`super::DESK_FILE`): key to stored text.
pub(super) fn read_desk_settings(dir: &Path) -> Result<BTreeMap<String, String>> {
    let path = dir.join(super::DESK_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| Error::SettingDamaged {
            key: super::DESK_FILE,
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::Internal(format!("{}: {e}", path.display()))),
    }
}

pub(super) fn write_desk_settings(dir: &Path, all: &BTreeMap<String, String>) -> Result<()> {
    let json = serde_json::to_string_pretty(all).map_err(Error::internal)?;
    write_file(&dir.join(super::DESK_FILE), &json, false)
}

/// The desk's own settings (who is at it, its language) go with it to the shared database,
/// kept beside it in the data folder (`super::DESK_FILE`).
fn keep_desk_settings(dir: &Path) -> Result<()> {
    if !dir.join(crate::store::DB_FILE).exists() {
        return Ok(());
    }
    let desk = crate::store::open_in(dir)?;
    let mut kept = BTreeMap::new();
    for key in super::DESK_LOCAL {
        if let Some(v) = crate::store::settings::get_setting(&desk, key)? {
            kept.insert(key.to_string(), v);
        }
    }
    write_desk_settings(dir, &kept)
}

/// …and come back into the desk's file when it leaves.
fn restore_desk_settings(dir: &Path) -> Result<()> {
    let path = dir.join(super::DESK_FILE);
    if !path.exists() {
        return Ok(());
    }
    // A damaged file brings nothing back: the desk's file keeps what it holds.
    let kept = read_desk_settings(dir).unwrap_or_default();
    let desk = crate::store::open_in(dir)?;
    for (key, value) in &kept {
        crate::store::settings::set_setting(&desk, key, value)?;
    }
    drop(desk);
    std::fs::remove_file(&path).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

fn connect(settings: &ServerSettings) -> Result<postgres::Client> {
    settings.validate()?;
    match server::check(settings)? {
        ServerCheck::Ready { .. } | ServerCheck::Empty => {}
        other => return Err(refused(other)),
    }
    server::connect(settings).map_err(server::pg)
}

/// Why the shared database cannot be used, as the test of the connection says it.
fn refused(found: ServerCheck) -> Error {
    Error::state(
        "server_not_usable",
        format!("the shared database cannot be used ({found:?})"),
    )
}

/// "Move this desk's data to the shared database": every record of the desk's file into
/// an empty FrontDesk database on the server, in one transaction, each table's count and
/// checksum compared; then the desk uses the shared database. The desk's file stays as it
/// was (it is no longer written): a backup of the moment of the move.
pub fn move_to_server(dir: &Path, settings: &ServerSettings) -> Result<Switched> {
    let mut client = connect(settings)?;
    let desk = crate::store::open_in(dir)?;
    let copied = copy::copy_to_server(&desk, &mut client)?;
    drop(desk);
    keep_desk_settings(dir)?;
    save(dir, settings)?;
    Ok(Switched {
        copied: copied.tables,
        kept: Some(dir.join(crate::store::DB_FILE).display().to_string()),
    })
}

/// "Use the shared database": another desk moved its data there already (or it is new and
/// empty); this desk's own file stays as it is, unused while the desk is shared.
pub fn join_server(dir: &Path, settings: &ServerSettings) -> Result<Switched> {
    drop(connect(settings)?);
    keep_desk_settings(dir)?;
    save(dir, settings)?;
    Ok(Switched {
        copied: Vec::new(),
        kept: None,
    })
}

/// "Copy the shared database to this PC": every record into a new desk file, which takes
/// the place of the desk's own; the old file is kept beside it (`frontdesk-before-<time>.db`),
/// and the desk leaves the shared mode. The shared database is not changed.
pub fn copy_to_desk(dir: &Path, now: chrono::DateTime<chrono::Utc>) -> Result<Switched> {
    let settings = saved(dir)?.ok_or_else(|| Error::state("not_shared", "this desk does not use a shared database"))?;
    let mut client = server::connect(&settings).map_err(server::pg)?;
    let incoming = dir.join(format!("{}.incoming", crate::store::DB_FILE));
    copy::remove_db(&incoming);
    let copied = copy::copy_from_server(&mut client, &incoming)?;
    let file = dir.join(crate::store::DB_FILE);
    let kept = dir.join(format!("frontdesk-before-{}.db", now.format("%Y%m%d-%H%M%S")));
    if file.exists() {
        move_db(&file, &kept)?;
    }
    move_db(&incoming, &file)?;
    forget(dir)?;
    restore_desk_settings(dir)?;
    Ok(Switched {
        copied: copied.tables,
        kept: kept.exists().then(|| kept.display().to_string()),
    })
}

/// An SQLite file moved with what its journal keeps beside it.
fn move_db(from: &Path, to: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let with = |p: &Path| -> PathBuf {
            let mut s = p.as_os_str().to_owned();
            s.push(suffix);
            PathBuf::from(s)
        };
        if with(from).exists() {
            std::fs::rename(with(from), with(to))
                .map_err(|e| Error::Internal(format!("{}: {e}", with(from).display())))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_kept_apart_and_private() {
        let dir = tempfile::tempdir().unwrap();
        assert!(saved(dir.path()).unwrap().is_none(), "a desk starts on its own file");
        let settings = ServerSettings {
            host: " 192.168.1.20 ".into(),
            port: 5432,
            database: "frontdesk".into(),
            user: "desk".into(),
            password: "s3cret 密码".into(),
            desk: "前台1".into(),
        };
        save(dir.path(), &settings).unwrap();
        let json = std::fs::read_to_string(dir.path().join(SHARED_FILE)).unwrap();
        assert!(!json.contains("s3cret"), "no password in {json}");
        let back = saved(dir.path()).unwrap().unwrap();
        assert_eq!(back.password, "s3cret 密码");
        assert_eq!(back.host, "192.168.1.20");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "only this user reads the password ({mode:o})");
        }
        forget(dir.path()).unwrap();
        assert!(saved(dir.path()).unwrap().is_none());
    }

    #[test]
    fn a_damaged_choice_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SHARED_FILE), "{not json").unwrap();
        let e = saved(dir.path()).unwrap_err();
        assert_eq!(e.kind(), "db_invalid", "{e}");
    }
}
