//! Which store this desk opens, its own file or the shared database, and the moves between
//! them: "Move this desk's data to the shared database", "Use the shared database" (another
//! desk moved its data there) and "Copy the shared database to this PC". They run while no
//! `App` is open on the data folder; the next open follows the choice saved here.
//!
//! The choice is saved in the data folder as the connection (`shared-database.json`, never
//! the password) and where its password went: the system's credential store (the Keychain
//! on macOS, the Credential Manager on Windows, the Secret Service on Linux; the desktop
//! build only), or, where there is none that works, a file readable by this user only
//! (`shared-database.secret`), which the window warns of.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::server::{self, copy, ServerCheck, ServerSettings};

/// The saved connection to the shared database (no password), and where its password is.
pub const SHARED_FILE: &str = "shared-database.json";
/// The saved password, readable by this user only, when no credential store took it.
pub const SECRET_FILE: &str = "shared-database.secret";
/// The credential store's service name for the shared database's password; the account
/// is [`account`].
pub const CREDENTIAL_SERVICE: &str = "FrontDesk shared database";

/// Where the shared database's password is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordIn {
    /// The system's credential store (Keychain, Credential Manager, the Secret Service).
    CredentialStore,
    /// [`SECRET_FILE`], readable by this user only (and where a choice saved before the
    /// credential store was used keeps it).
    #[default]
    File,
}

/// What [`SHARED_FILE`] holds.
#[derive(Debug, Serialize, Deserialize)]
struct Choice {
    #[serde(flatten)]
    settings: ServerSettings,
    #[serde(default)]
    password_in: PasswordIn,
    /// The credential store's account the password is under (when it is there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account: Option<String>,
}

/// The credential store's account for the password of `settings` saved in `dir`: the
/// connection as `user@host:port/database`, and the data folder, so that two data folders
/// of this user (two desks on one PC, a test) never share or delete each other's password.
/// Readable in the Keychain or the Credential Manager; saved with the choice, so a data
/// folder moved elsewhere still finds it.
pub fn account(dir: &Path, settings: &ServerSettings) -> String {
    format!(
        "{}@{}:{}/{} ({})",
        settings.user.trim(),
        settings.host.trim(),
        settings.port,
        settings.database.trim(),
        dir.display()
    )
}

/// The system's credential store, through the `keyring` crate (desktop build).
#[cfg(feature = "desktop")]
mod credential_store {
    use super::CREDENTIAL_SERVICE;

    fn entry(account: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(CREDENTIAL_SERVICE, account).map_err(|e| e.to_string())
    }

    /// Keep `password` under `account`, and read it back through a new entry: a store that
    /// keeps nothing (keyring's stand-in, where it knows no store) is no store.
    pub fn put(account: &str, password: &str) -> Result<(), String> {
        entry(account)?.set_password(password).map_err(|e| e.to_string())?;
        match get(account) {
            Ok(Some(back)) if back == password => Ok(()),
            Ok(_) => {
                let _ = delete(account);
                Err("the credential store did not give the password back".into())
            }
            Err(e) => {
                let _ = delete(account);
                Err(e)
            }
        }
    }

    /// The password under `account`; `None` when there is none.
    pub fn get(account: &str) -> Result<Option<String>, String> {
        match entry(account)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Delete the password under `account` (none there is fine).
    pub fn delete(account: &str) -> Result<(), String> {
        match entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The core without the desktop shell (the bench, the integration tests) has no credential
/// store: the password goes to the file.
#[cfg(not(feature = "desktop"))]
mod credential_store {
    const NONE: &str = "this build has no credential store";

    pub fn put(_account: &str, _password: &str) -> Result<(), String> {
        Err(NONE.into())
    }

    pub fn get(_account: &str) -> Result<Option<String>, String> {
        Err(NONE.into())
    }

    pub fn delete(_account: &str) -> Result<(), String> {
        Ok(())
    }
}

/// What a move between the stores did.
#[derive(Debug, Clone, Serialize)]
pub struct Switched {
    /// Rows copied per table (none when the desk joined a database already filled).
    pub copied: Vec<copy::TableCopy>,
    /// Where this desk's own file was kept, when the shared database replaced it.
    pub kept: Option<String>,
    /// Where the password went, when the desk moved to or joined the shared database (the
    /// window warns when it is the file); none when the desk left it.
    pub password_in: Option<PasswordIn>,
}

/// The saved choice in `dir`, if the desk is in the shared mode.
fn choice(dir: &Path) -> Result<Option<Choice>> {
    let path = dir.join(SHARED_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Internal(format!("{}: {e}", path.display()))),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| Error::DbInvalid {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// The shared database this desk opens, if it is in the shared mode, with its password
/// from where it was kept.
pub fn saved(dir: &Path) -> Result<Option<ServerSettings>> {
    let Some(choice) = choice(dir)? else {
        return Ok(None);
    };
    let mut settings = choice.settings;
    settings.password = match choice.password_in {
        PasswordIn::File => match std::fs::read_to_string(dir.join(SECRET_FILE)) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::Internal(format!("{SECRET_FILE}: {e}"))),
        },
        PasswordIn::CredentialStore => {
            let account = choice.account.unwrap_or_else(|| account(dir, &settings));
            match credential_store::get(&account) {
                Ok(Some(p)) => p,
                // Deleted by hand: opened with none (a server that wants one refuses, and
                // the window says so).
                Ok(None) => {
                    log::warn!("no password for {account:?} in the credential store");
                    String::new()
                }
                Err(e) => {
                    return Err(Error::Internal(format!(
                        "the shared database's password could not be read from the system's credential store ({account}): {e}"
                    )))
                }
            }
        }
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

/// Delete `name` in `dir`; one not there is fine.
fn remove(dir: &Path, name: &str) -> Result<()> {
    match std::fs::remove_file(dir.join(name)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::Internal(format!("{name}: {e}"))),
    }
}

/// Remember `settings` as the store this desk opens: the password in the credential store
/// when there is one that works, else in [`SECRET_FILE`]; says which.
fn save(dir: &Path, settings: &ServerSettings) -> Result<PasswordIn> {
    let before = choice(dir).ok().flatten();
    let mut kept = settings.clone();
    kept.host = kept.host.trim().to_string();
    kept.desk = kept.desk.trim().to_string();
    let account = account(dir, &kept);
    let choice = match credential_store::put(&account, &settings.password) {
        Ok(()) => Choice {
            settings: kept,
            password_in: PasswordIn::CredentialStore,
            account: Some(account.clone()),
        },
        Err(e) => {
            log::warn!("no credential store ({e}): the shared database's password goes to {SECRET_FILE}, readable by this user only");
            write_file(&dir.join(SECRET_FILE), &settings.password, true)?;
            Choice {
                settings: kept,
                password_in: PasswordIn::File,
                account: None,
            }
        }
    };
    let written = serde_json::to_string_pretty(&choice)
        .map_err(Error::internal)
        .and_then(|json| write_file(&dir.join(SHARED_FILE), &json, false));
    if let Err(e) = written {
        // Not saved: the password does not stay in the store either.
        if choice.password_in == PasswordIn::CredentialStore {
            let _ = credential_store::delete(&account);
        }
        return Err(e);
    }
    if choice.password_in == PasswordIn::CredentialStore {
        // A password kept in the file before is not left behind (the desk is switched all
        // the same: the file is readable by this user only, as it was).
        if let Err(e) = remove(dir, SECRET_FILE) {
            log::warn!("the password kept before stays in {SECRET_FILE}: {e}");
        }
    }
    // Nor one a choice saved before kept in the store, when this one is not there.
    let elsewhere = |old: &String| choice.password_in == PasswordIn::File || *old != account;
    if let Some(old) = before.and_then(|b| b.account).filter(elsewhere) {
        if let Err(e) = credential_store::delete(&old) {
            log::warn!("the previous password in the credential store ({old}) stays: {e}");
        }
    }
    Ok(choice.password_in)
}

/// Leave the shared mode: the desk opens its own file again, and its password is deleted
/// from where it was kept.
fn forget(dir: &Path) -> Result<()> {
    // A damaged choice is deleted all the same; its password, if in the store, cannot be found.
    if let Some(choice) = choice(dir).ok().flatten() {
        if choice.password_in == PasswordIn::CredentialStore {
            let account = choice.account.unwrap_or_else(|| account(dir, &choice.settings));
            // The desk leaves all the same; the password stays in the store (the log says so).
            if let Err(e) = credential_store::delete(&account) {
                log::warn!("the shared database's password stays in the credential store ({account}): {e}");
            }
        }
    }
    remove(dir, SHARED_FILE)?;
    remove(dir, SECRET_FILE)
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
    let password_in = save(dir, settings)?;
    Ok(Switched {
        copied: copied.tables,
        kept: Some(dir.join(crate::store::DB_FILE).display().to_string()),
        password_in: Some(password_in),
    })
}

/// "Use the shared database": another desk moved its data there already (or it is new and
/// empty); this desk's own file stays as it is, unused while the desk is shared.
pub fn join_server(dir: &Path, settings: &ServerSettings) -> Result<Switched> {
    drop(connect(settings)?);
    keep_desk_settings(dir)?;
    let password_in = save(dir, settings)?;
    Ok(Switched {
        copied: Vec::new(),
        kept: None,
        password_in: Some(password_in),
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
        password_in: None,
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

    fn settings() -> ServerSettings {
        ServerSettings {
            host: " 192.168.1.20 ".into(),
            port: 5432,
            database: "frontdesk".into(),
            user: "desk".into(),
            password: "s3cret 密码".into(),
            desk: "前台1".into(),
        }
    }

    /// The password goes to the credential store where one works (the desktop build on a
    /// desk with a Keychain, a Credential Manager, a Secret Service), else to the file only
    /// this user reads; either way never into the saved connection, and back when read.
    #[test]
    fn the_password_is_kept_apart_and_private() {
        let dir = tempfile::tempdir().unwrap();
        assert!(saved(dir.path()).unwrap().is_none(), "a desk starts on its own file");
        let password_in = save(dir.path(), &settings()).unwrap();
        let json = std::fs::read_to_string(dir.path().join(SHARED_FILE)).unwrap();
        assert!(!json.contains("s3cret"), "no password in {json}");
        let written: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(written["password_in"], serde_json::to_value(password_in).unwrap());
        let secret = dir.path().join(SECRET_FILE);
        match password_in {
            PasswordIn::File => {
                assert!(secret.exists(), "the file keeps the password");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
                    assert_eq!(mode & 0o077, 0, "only this user reads the password ({mode:o})");
                }
            }
            PasswordIn::CredentialStore => {
                assert!(!secret.exists(), "no file beside the credential store");
                let account = written["account"].as_str().unwrap();
                assert!(account.starts_with("desk@192.168.1.20:5432/frontdesk ("), "{account}");
            }
        }
        #[cfg(not(feature = "desktop"))]
        assert_eq!(password_in, PasswordIn::File, "no credential store without the desktop");
        let back = saved(dir.path()).unwrap().unwrap();
        assert_eq!(back.password, "s3cret 密码");
        assert_eq!(back.host, "192.168.1.20");
        forget(dir.path()).unwrap();
        assert!(saved(dir.path()).unwrap().is_none());
        assert!(!secret.exists());
        if let Some(account) = written["account"].as_str() {
            assert_eq!(
                credential_store::get(account).ok().flatten(),
                None,
                "the credential goes too"
            );
        }
    }

    /// A choice saved before the credential store was used has no `password_in`: its
    /// password is in the file.
    #[test]
    fn an_older_choice_reads_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(SHARED_FILE),
            r#"{"host": "192.168.1.20", "port": 5432, "database": "frontdesk", "user": "desk", "desk": "前台1"}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join(SECRET_FILE), "old 密码").unwrap();
        let back = saved(dir.path()).unwrap().unwrap();
        assert_eq!(back.password, "old 密码");
        assert_eq!(back.desk, "前台1");
        assert_eq!(back.port, 5432);
        forget(dir.path()).unwrap();
        assert!(!dir.path().join(SECRET_FILE).exists());
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
