//! Shared helpers for FrontDesk's integration, story and end-to-end tests.

pub mod server;
pub mod story;
pub mod webdriver;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

use frontdesk::customers::{CustomerInput, Preference, PreferenceKind, Tier};
use frontdesk::App;

/// The variable that moves the App-level suites onto the shared database: with
/// `FRONTDESK_TEST_STORE=server` (and [`server::SERVER_ENV`] naming the throwaway server),
/// every [`TempApp`] and [`Clocked`] opens on a fresh database of its own there, as a desk
/// would after "Use the shared database". `cargo xtask test` runs those suites twice.
pub const STORE_ENV: &str = "FRONTDESK_TEST_STORE";

/// Whether this run's apps open on the shared database rather than the desk's own file.
pub fn on_server() -> bool {
    std::env::var(STORE_ENV).is_ok_and(|v| v == "server")
}

/// The store a test's app opens: the desk's file in its data folder, or a fresh shared
/// database (dropped with the test) when [`on_server`].
struct TestStore {
    /// Kept only to be dropped with the test: the database goes with it.
    _database: Option<server::TempDatabase>,
    settings: Option<frontdesk::store::server::ServerSettings>,
}

impl TestStore {
    fn new() -> Self {
        if on_server() {
            let database = server::TempDatabase::new();
            let settings = database.settings("前台1");
            TestStore {
                _database: Some(database),
                settings: Some(settings),
            }
        } else {
            TestStore::desk()
        }
    }

    fn desk() -> Self {
        TestStore {
            _database: None,
            settings: None,
        }
    }

    fn shared(settings: frontdesk::store::server::ServerSettings) -> Self {
        TestStore {
            _database: None,
            settings: Some(settings),
        }
    }
}

/// A way into a test's store from outside the app (another program, or someone with the
/// database's password), to arrange or check what the app cannot show.
pub enum Outside {
    Desk(rusqlite::Connection),
    Server(Box<frontdesk::store::db::Server>),
}

impl Outside {
    fn open(dir: &std::path::Path, store: &TestStore) -> Outside {
        match &store.settings {
            None => Outside::Desk(
                rusqlite::Connection::open(dir.join(frontdesk::store::DB_FILE)).expect("open the desk's file"),
            ),
            Some(s) => Outside::Server(Box::new(frontdesk::store::db::Server::new(
                frontdesk::store::server::connect(s).expect("the test server answers"),
            ))),
        }
    }

    pub fn db(&self) -> frontdesk::store::db::Db<'_> {
        match self {
            Outside::Desk(c) => c.into(),
            Outside::Server(s) => (&**s).into(),
        }
    }
}

/// A fresh data folder with an opened app, removed when dropped (on a fresh shared database
/// of its own when [`on_server`]).
pub struct TempApp {
    pub dir: tempfile::TempDir,
    pub app: App,
    store: TestStore,
}

impl TempApp {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = TestStore::new();
        let app = open_app(dir.path(), &store, None);
        TempApp { dir, app, store }
    }

    /// An app on the desk's own file, whatever this run's store.
    pub fn desk() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = TestStore::desk();
        let app = open_app(dir.path(), &store, None);
        TempApp { dir, app, store }
    }

    /// The desk's database file (only a desk has one).
    pub fn db_path(&self) -> PathBuf {
        assert!(
            self.store.settings.is_none(),
            "a desk on the shared database has no file"
        );
        self.dir.path().join(frontdesk::store::DB_FILE)
    }

    /// Close and reopen the app on the same folder (a restart).
    pub fn reopen(self) -> Self {
        let TempApp { dir, app, store } = self;
        drop(app);
        let app = open_app(dir.path(), &store, None);
        TempApp { dir, app, store }
    }

    /// The store, seen from outside the app.
    pub fn outside(&self) -> Outside {
        Outside::open(self.dir.path(), &self.store)
    }
}

fn open_app(dir: &std::path::Path, store: &TestStore, clock: Option<frontdesk::app::Clock>) -> App {
    match (&store.settings, clock) {
        (None, None) => App::open(dir).expect("open app"),
        (None, Some(clock)) => App::open_with_clock(dir, clock).expect("open app"),
        (Some(s), clock) => {
            let app = App::open_server(dir, s).expect("open the shared database");
            match clock {
                Some(clock) => app.with_clock(clock),
                None => app,
            }
        }
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

/// Every name on the customer list's first page, sorted.
pub fn all_names(app: &App) -> Vec<String> {
    let mut names = names_found(app, "");
    names.sort();
    names
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

/// An app on a fresh data folder whose clock the test moves by hand (no real waiting); on
/// a fresh shared database of its own when [`on_server`].
pub struct Clocked {
    pub dir: tempfile::TempDir,
    pub app: App,
    now: Arc<Mutex<NaiveDateTime>>,
    store: TestStore,
}

impl Clocked {
    pub fn new(start: &str) -> Self {
        Clocked::open(start, TestStore::new())
    }

    /// An app on the shared database `server` names, as its desk.
    pub fn shared(start: &str, server: frontdesk::store::server::ServerSettings) -> Self {
        Clocked::open(start, TestStore::shared(server))
    }

    fn open(start: &str, store: TestStore) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let now = Arc::new(Mutex::new(at(start)));
        let app = open_app(dir.path(), &store, Some(Clocked::clock(&now)));
        Clocked { dir, app, now, store }
    }

    fn clock(now: &Arc<Mutex<NaiveDateTime>>) -> frontdesk::app::Clock {
        let n = now.clone();
        Box::new(move || *n.lock().expect("clock"))
    }

    pub fn set(&self, s: &str) {
        *self.now.lock().expect("clock") = at(s);
    }

    /// Close and reopen the app on the same folder or database (a restart), on the same
    /// clock.
    pub fn reopen(self) -> Self {
        let Clocked { dir, app, now, store } = self;
        drop(app);
        let app = open_app(dir.path(), &store, Some(Clocked::clock(&now)));
        Clocked { dir, app, now, store }
    }

    /// Another desk on the same store (its own clock: the real one): the same file, or the
    /// same shared database.
    pub fn another_desk(&self) -> App {
        match &self.store.settings {
            None => App::open(self.dir.path()).expect("open another app on the desk's file"),
            Some(s) => {
                // The other desk's own data folder (its desk-local settings), inside this test's.
                static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(2);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let other = self.dir.path().join(format!("desk-{n}"));
                std::fs::create_dir_all(&other).expect("the other desk's folder");
                let mut s = s.clone();
                s.desk = format!("前台{n}");
                App::open_server(&other, &s).expect("open another desk on the shared database")
            }
        }
    }

    /// The store, seen from outside the app.
    pub fn outside(&self) -> Outside {
        Outside::open(self.dir.path(), &self.store)
    }

    /// Where the store still holds `secret`: the desk's files (its database and write-ahead
    /// log, byte for byte), or the shared database's tables (every row as text).
    pub fn places_holding(&self, secret: &str) -> Vec<String> {
        match self.outside() {
            Outside::Desk(conn) => {
                drop(conn);
                ["frontdesk.db", "frontdesk.db-wal"]
                    .into_iter()
                    .filter(|file| {
                        let bytes = std::fs::read(self.dir.path().join(file)).unwrap_or_default();
                        bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
                    })
                    .map(str::to_string)
                    .collect()
            }
            outside @ Outside::Server(_) => {
                let db = outside.db();
                let tables = db
                    .query(
                        "SELECT CAST(table_name AS text) FROM information_schema.tables
                         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                        &[],
                    )
                    .expect("the server's tables");
                assert!(tables.len() > 10, "the shared database's record tables");
                tables
                    .into_iter()
                    .map(|r| r.get::<String>(0).expect("a table name"))
                    .filter(|table| {
                        db.count(
                            &format!("SELECT count(*) FROM \"{table}\" x WHERE strpos(CAST(x AS text), ?1) > 0"),
                            &[&secret],
                        )
                        .expect("search a table")
                            > 0
                    })
                    .collect()
            }
        }
    }
}
