//! A database of its own on the throwaway PostgreSQL server that `cargo xtask test` starts
//! (named by `FRONTDESK_TEST_PG`), for each shared-database test.

use std::sync::atomic::{AtomicUsize, Ordering};

use frontdesk::store::db::{Db, Server};
use frontdesk::store::server::{self, copy, ServerSettings};
use postgres::{Client, Config, NoTls};

/// The variable `cargo xtask test` sets to the throwaway server's connection string
/// (`host=127.0.0.1 port=… user=postgres password=…`).
pub const SERVER_ENV: &str = "FRONTDESK_TEST_PG";

/// Why a shared-database test is ignored by a plain `cargo test`.
pub const NEEDS_SERVER: &str = "needs a PostgreSQL server: `cargo xtask test` starts one";

/// An empty database, created for one test and dropped with it.
pub struct TempDatabase {
    pub name: String,
    admin: Config,
}

impl TempDatabase {
    pub fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let admin = admin_config();
        let name = format!("fd_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
        let mut client = admin.connect(NoTls).expect("the test server answers");
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .expect("drop a test database left by an earlier run");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the test database");
        TempDatabase { name, admin }
    }

    /// What a desk would type to reach this database as the server's superuser.
    pub fn settings(&self, desk: &str) -> ServerSettings {
        let host = match self.admin.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => panic!("{SERVER_ENV} must name a TCP host"),
        };
        ServerSettings {
            host,
            port: self.admin.get_ports().first().copied().unwrap_or(5432).into(),
            database: self.name.clone(),
            user: self.admin.get_user().expect("a user in FRONTDESK_TEST_PG").to_string(),
            password: String::from_utf8_lossy(self.admin.get_password().expect("a password in FRONTDESK_TEST_PG"))
                .into_owned(),
            desk: desk.to_string(),
        }
    }

    /// A superuser connection to this database, to arrange what a test needs.
    pub fn client(&self) -> Client {
        let mut c = self.admin.clone();
        c.dbname(&self.name);
        c.connect(NoTls).expect("connect to the test database")
    }

    /// A superuser connection to the server's maintenance database.
    pub fn admin(&self) -> Client {
        self.admin.connect(NoTls).expect("connect to the test server")
    }
}

impl Default for TempDatabase {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = self.admin.connect(NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

fn admin_config() -> Config {
    let url = std::env::var(SERVER_ENV).unwrap_or_else(|_| panic!("{NEEDS_SERVER} (or set {SERVER_ENV})"));
    let mut config: Config = url.parse().unwrap_or_else(|e| panic!("{SERVER_ENV}: {e}"));
    if config.get_dbname().is_none() {
        config.dbname("postgres");
    }
    config
}

/// A desk on the shared database: a real `App` with a data folder of its own, following
/// what the other desks write.
pub struct Desk {
    pub dir: tempfile::TempDir,
    pub app: std::sync::Arc<frontdesk::App>,
}

/// Open desk `name` on `pg`, following the other desks.
pub fn desk(pg: &TempDatabase, name: &str) -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = std::sync::Arc::new(frontdesk::App::open_server(dir.path(), &pg.settings(name)).expect("open the desk"));
    frontdesk::App::follow_other_desks(&app).expect("follow the other desks");
    Desk { dir, app }
}

/// How long until `app`'s search for `q` finds `name` (at most `limit`).
pub fn seen_within(
    app: &frontdesk::App,
    q: &str,
    name: &str,
    limit: std::time::Duration,
) -> Option<std::time::Duration> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        // A desk that lost the server says so once, then connects again.
        let found = app
            .list_customers(&frontdesk::customers::ListQuery {
                q: q.into(),
                ..Default::default()
            })
            .map(|p| p.items.iter().any(|c| c.name == name));
        if found.unwrap_or(false) {
            return Some(start.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

/// Tell `story` twice, to a new desk's file and to the shared database `pg` set up from that
/// desk (its built-in rows moved in): what each store gave back, the desk's first.
pub fn on_both_stores<T>(pg: &TempDatabase, story: impl Fn(Db<'_>) -> T) -> (T, T) {
    let desk = crate::TempApp::new();
    let mut client = server::connect(&pg.settings("前台1")).expect("the test server answers");
    let conn = rusqlite::Connection::open(desk.db_path()).expect("the desk's file");
    copy::copy_to_server(&conn, &mut client).expect("the desk moves to the server");
    let on_desk = story(Db::from(&conn));
    let shared = Server::new(client);
    let on_server = story(Db::from(&shared));
    (on_desk, on_server)
}
