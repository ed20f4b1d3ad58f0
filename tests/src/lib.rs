//! Shared helpers for FrontDesk's integration, story and end-to-end tests.

pub mod server;
pub mod story;
pub mod webdriver;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

use frontdesk::customers::{CustomerInput, Preference, PreferenceKind, Tier};
use frontdesk::App;

/// A fresh data folder with an opened app, removed when dropped.
pub struct TempApp {
    pub dir: tempfile::TempDir,
    pub app: App,
}

impl TempApp {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = App::open(dir.path()).expect("open app");
        TempApp { dir, app }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join(frontdesk::store::DB_FILE)
    }

    /// Close and reopen the app on the same folder (a restart).
    pub fn reopen(self) -> Self {
        let TempApp { dir, app } = self;
        drop(app);
        let app = App::open(dir.path()).expect("reopen app");
        TempApp { dir, app }
    }
}

impl Default for TempApp {
    fn default() -> Self {
        Self::new()
    }
}

/// A typical customer form.
pub fn customer(name: &str, phones: &[&str]) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        tier: Some(Tier::Regular),
        preferences: vec![Preference {
            kind: PreferenceKind::Food,
            text: "不吃蒜".into(),
        }],
        ..Default::default()
    }
}

/// The names the customer list shows for the search `q`, in its order.
pub fn names_found(app: &App, q: &str) -> Vec<String> {
    app.list_customers(&frontdesk::customers::ListQuery {
        q: q.into(),
        ..Default::default()
    })
    .expect("the customer list")
    .items
    .into_iter()
    .map(|c| c.name)
    .collect()
}

/// Make `dir` hold a FrontDesk database stamped with schema version 999, as a newer
/// FrontDesk would leave it; returns the file's path.
pub fn make_newer_database(dir: &std::path::Path) -> PathBuf {
    drop(App::open(dir).expect("create database"));
    let path = dir.join(frontdesk::store::DB_FILE);
    let c = rusqlite::Connection::open(&path).expect("open database");
    c.pragma_update(None, "user_version", 999).expect("stamp version");
    c.pragma_update(None, "journal_mode", "DELETE").expect("leave WAL");
    path
}

/// A desk in Chinese whose reminders fire at any hour (an end-to-end test may run at night).
pub fn desk_reminding_at_any_hour(app: &App) {
    app.set_language("zh-CN").expect("language");
    app.set_reminder_settings(&frontdesk::reminders::ReminderSettings {
        quiet_outside_hours: false,
        ..Default::default()
    })
    .expect("reminder settings");
}

/// Overwrite the first page of `table` in the closed database `db` (as a failing disk
/// might), leaving every other page as it was; returns the damaged file's bytes.
pub fn damage_table(db: &std::path::Path, table: &str) -> Vec<u8> {
    let (page_size, root): (usize, usize) = {
        let conn = rusqlite::Connection::open(db).expect("open database");
        let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page size");
        let root: i64 = conn
            .query_row("SELECT rootpage FROM sqlite_master WHERE name = ?1", [table], |r| {
                r.get(0)
            })
            .expect("the table's first page");
        (size as usize, root as usize)
    };
    let mut bytes = std::fs::read(db).expect("read database");
    for b in &mut bytes[(root - 1) * page_size..root * page_size] {
        *b = 0x5A;
    }
    std::fs::write(db, &bytes).expect("write database");
    bytes
}

/// A local time as tests write it (`YYYY-MM-DD HH:MM`).
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time like 2026-11-23 10:00")
}

/// An app on a fresh data folder whose clock the test moves by hand (no real waiting).
pub struct Clocked {
    pub dir: tempfile::TempDir,
    pub app: App,
    now: Arc<Mutex<NaiveDateTime>>,
    /// The shared database the app is opened on, when not the desk's own file.
    shared: Option<frontdesk::store::server::ServerSettings>,
}

impl Clocked {
    pub fn new(start: &str) -> Self {
        Clocked::open(start, None)
    }

    /// An app on the shared database `server` names, as its desk.
    pub fn shared(start: &str, server: frontdesk::store::server::ServerSettings) -> Self {
        Clocked::open(start, Some(server))
    }

    fn open(start: &str, shared: Option<frontdesk::store::server::ServerSettings>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let now = Arc::new(Mutex::new(at(start)));
        let app = Clocked::app(dir.path(), &now, shared.as_ref());
        Clocked { dir, app, now, shared }
    }

    fn app(
        dir: &std::path::Path,
        now: &Arc<Mutex<NaiveDateTime>>,
        shared: Option<&frontdesk::store::server::ServerSettings>,
    ) -> App {
        let n = now.clone();
        let clock: frontdesk::app::Clock = Box::new(move || *n.lock().expect("clock"));
        match shared {
            None => App::open_with_clock(dir, clock).expect("open app"),
            Some(s) => App::open_server(dir, s)
                .expect("open the shared database")
                .with_clock(clock),
        }
    }

    pub fn set(&self, s: &str) {
        *self.now.lock().expect("clock") = at(s);
    }

    /// Close and reopen the app on the same folder or database (a restart), on the same
    /// clock.
    pub fn reopen(self) -> Self {
        let Clocked { dir, app, now, shared } = self;
        drop(app);
        let app = Clocked::app(dir.path(), &now, shared.as_ref());
        Clocked { dir, app, now, shared }
    }
}
