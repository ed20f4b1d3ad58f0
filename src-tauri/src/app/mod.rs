//! The application layer: `App` is the composition root. It owns the store, the clock and
//! the in-memory indexes; every user action is a method on it, and the reads and writes
//! that span capabilities (a customer's page, the due-to-contact list, what reminders plan
//! from) are composed here from the capabilities' plain functions. Tauri-free.

mod arrivals;
mod audit;
mod backups;
mod churn;
mod complaints;
mod customers;
mod exports;
mod follow;
mod imports;
mod open;
mod reminders;
mod review;
mod review_export;
pub mod shared;
mod visits;

pub use arrivals::MISTAKE as WALK_IN_MISTAKE;
pub use backups::{BackupHealth, BackupSettings};
pub use customers::{CustomerDetail, DEFAULT_PAGE, MAX_PAGE};
pub use exports::{ExportCount, ExportFormat, ExportKind, ExportRequest, ExportResult};
pub use open::{for_reminder, parse_args, parse_link, Caller, OpenRequest, Refused, SCHEME};
pub use reminders::{CATCH_UP_DAYS, HORIZON_HOURS};
pub use visits::{DueContacts, OutcomeResult, VisitCounts, AGENDA_LIMIT};

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde::Serialize;

use crate::customers::{repo, search::CustomerIndex};
use crate::error::{Error, Result};
use crate::kernel::settings::{self as kernel_settings, Setting};
use crate::store::db::{Db, Server};
use crate::store::{self, settings};

/// The local wall clock; tests inject their own.
pub type Clock = Box<dyn Fn() -> NaiveDateTime + Send + Sync>;

/// Where the records are kept: the desk's own file (one PC), or the shared database
/// (several desks, [`App::open_server`]).
enum Store {
    Desk(Mutex<Connection>),
    Server(Box<Shared>),
}

/// The shared database as this desk reaches it.
struct Shared {
    /// The connection every write and most reads go through.
    main: Mutex<Server>,
    /// How to connect again (the reads running beside the desk take connections of their
    /// own, as on the desk's file).
    settings: crate::store::server::ServerSettings,
    /// Connections kept for those reads: at most [`READERS`].
    readers: Mutex<Vec<Server>>,
    /// The server's process for `main`: what this desk itself announced is not applied twice.
    main_pid: i32,
    /// The write counter when the index was read: a follower starting later reads again
    /// what changed in between.
    opened_at_change: i64,
}

impl Shared {
    /// The main connection; one the server closed (it went away, the network failed) is
    /// made again first, and while that fails every call says the desk is offline.
    fn main(&self) -> Result<MutexGuard<'_, Server>> {
        let mut main = self
            .main
            .lock()
            .map_err(|_| Error::Internal("the database lock was poisoned".into()))?;
        if main.is_lost() {
            *main = Server::new(crate::store::server::reach(&self.settings)?);
        }
        Ok(main)
    }

    /// Run `f` on a connection of its own, in one read-only snapshot of the whole database
    /// (what a long read, such as an export, needs: every sheet as of one moment).
    fn snapshot<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        self.read(|db| {
            db.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let out = f(db);
            // Read only: ending it either way changes nothing.
            let end = db.batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
            let out = out?;
            end?;
            Ok(out)
        })
    }

    /// Run `f` on a connection of its own, kept for the next read.
    fn read<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        let kept = self
            .readers
            .lock()
            .ok()
            .and_then(|mut r| r.pop())
            // A kept connection the server dropped meanwhile (it restarted) is not used.
            .filter(|s| !s.is_lost() && s.client().is_ok_and(|mut c| c.is_valid(READER_CHECK).is_ok()));
        let server = match kept {
            Some(s) => s,
            None => Server::new(crate::store::server::reach(&self.settings)?),
        };
        let out = f(Db::Server(&server));
        if let Ok(mut r) = self.readers.lock() {
            if r.len() < READERS {
                r.push(server);
            }
        }
        out
    }
}

/// The store, held for one read or write.
enum Held<'a> {
    Desk(MutexGuard<'a, Connection>),
    Server(MutexGuard<'a, Server>),
}

impl Held<'_> {
    fn db(&self) -> Db<'_> {
        match self {
            Held::Desk(c) => Db::Desk(c),
            Held::Server(s) => Db::Server(s),
        }
    }
}

pub struct App {
    data_dir: PathBuf,
    store: Store,
    customers: RwLock<CustomerIndex>,
    clock: Clock,
    /// Typed settings as last read or saved, by key.
    settings: RwLock<HashMap<&'static str, std::sync::Arc<dyn Any + Send + Sync>>>,
    /// Told after every committed write.
    on_change: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// Told after applying what another desk wrote on the shared database.
    on_heard: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// Set when customers change, so day-based reminders are planned again.
    customers_changed: std::sync::atomic::AtomicBool,
    /// How far the running import is.
    import_progress: imports::ImportProgress,
    /// The file being imported, as last read.
    import_cache: imports::TableCache,
    /// Read-only connections kept open (their page caches warm) for the dashboard's and the
    /// board's second thread; taken while in use, opened again when missing.
    reader: Mutex<Vec<Connection>>,
    /// Every customer's arrival days, for the repeat-visit rate: read on first use, kept
    /// with each change (`apply`), dropped when many customers change at once.
    arrival_days: RwLock<Option<crate::arrivals::figures::ArrivalDays>>,
    /// The file's integrity check: passed at open, or running beside the first screen
    /// ([`App::open_checking_later`]); writes wait for it.
    integrity: std::sync::Arc<Integrity>,
}

/// The verdict of the start-up integrity check, which writes wait for: nothing is written
/// into a file found damaged.
struct Integrity {
    verdict: Mutex<Option<std::result::Result<(), (String, String)>>>,
    done: std::sync::Condvar,
}

impl Integrity {
    fn new(verdict: Option<std::result::Result<(), (String, String)>>) -> Self {
        Integrity {
            verdict: Mutex::new(verdict),
            done: std::sync::Condvar::new(),
        }
    }

    fn settle(&self, verdict: std::result::Result<(), (String, String)>) {
        if let Ok(mut v) = self.verdict.lock() {
            *v = Some(verdict);
        }
        self.done.notify_all();
    }

    /// Wait for the verdict: a damaged file refuses every write.
    fn wait(&self) -> Result<()> {
        let poisoned = |_| Error::Internal("the integrity check's lock was poisoned".into());
        let mut v = self.verdict.lock().map_err(poisoned)?;
        while v.is_none() {
            v = self.done.wait(v).map_err(poisoned)?;
        }
        match v.as_ref() {
            Some(Err((path, reason))) => Err(Error::DbDamaged {
                path: path.clone(),
                reason: reason.clone(),
            }),
            _ => Ok(()),
        }
    }
}

/// The integrity check [`App::open_checking_later`] left to run: its verdict lets the app's
/// writes go on, or refuses them all.
pub struct IntegrityCheck {
    dir: std::path::PathBuf,
    integrity: std::sync::Arc<Integrity>,
}

impl IntegrityCheck {
    /// Read the whole file (blocking, seconds for a large one): `Err` is
    /// [`Error::DbDamaged`], and every write of the app is refused from now on.
    pub fn run(self) -> Result<()> {
        match store::quick_check(&self.dir) {
            Ok(()) => {
                self.integrity.settle(Ok(()));
                Ok(())
            }
            Err(e) => {
                let (path, reason) = match &e {
                    Error::DbDamaged { path, reason } => (path.clone(), reason.clone()),
                    other => (self.dir.display().to_string(), other.to_string()),
                };
                self.integrity.settle(Err((path, reason)));
                Err(e)
            }
        }
    }
}

/// What the window shows about the running app.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub data_dir: String,
    pub schema_version: i64,
    pub customers: usize,
    pub language: Option<String>,
    pub version: &'static str,
}

impl Store {
    /// Run `f` as one write of the app's own upkeep at open (no audit context: it changes
    /// nothing the trail records).
    fn upkeep<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        let poisoned = || Error::Internal("the database lock was poisoned".into());
        match self {
            Store::Desk(c) => {
                let mut conn = c.lock().map_err(|_| poisoned())?;
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(Db::from(&tx))?;
                tx.commit()?;
                Ok(out)
            }
            Store::Server(s) => s.main()?.write(f),
        }
    }

    /// A setting, read outside any write.
    fn setting(&self, key: &str) -> Result<Option<String>> {
        let poisoned = || Error::Internal("the database lock was poisoned".into());
        match self {
            Store::Desk(c) => settings::get_setting(&*c.lock().map_err(|_| poisoned())?, key),
            Store::Server(s) => settings::get_setting(&*s.main()?, key),
        }
    }
}

/// Bring stored search keys up to the current normalisation, once per version.
fn refresh_normalisation(store: &Store) -> Result<()> {
    use crate::customers::search::NORMALISATION_VERSION;
    const KEY: &str = "search_normalisation";
    let stored = store.setting(KEY)?.and_then(|v| v.parse::<i64>().ok());
    if stored == Some(NORMALISATION_VERSION) {
        return Ok(());
    }
    store.upkeep(|db| {
        repo::renormalise_names(db)?;
        settings::set_setting(db, KEY, &NORMALISATION_VERSION.to_string())
    })
}

/// Count the review's day counts of return visits from the visits when they were never
/// counted (the migration that made them) or were counted under other time-zone rules
/// (their days are local).
fn refresh_review_counts(store: &Store) -> Result<()> {
    const KEY: &str = "review_zone";
    let mark = crate::kernel::time::zone_mark();
    if store.setting(KEY)?.as_deref() == Some(mark.as_str()) {
        return Ok(());
    }
    store.upkeep(|db| {
        crate::review::repo::recount_visit_days(db)?;
        settings::set_setting(db, KEY, &mark)
    })
}

/// The shared staff list (who does a visit, who handles a complaint).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct StaffList(pub Vec<String>);

impl Setting for StaffList {
    const KEY: &'static str = "staff";

    fn validate(&self) -> std::result::Result<(), Vec<crate::error::FieldError>> {
        if self.0.iter().any(|s| s.chars().count() > 100) {
            return Err(vec![crate::error::FieldError::with_max("staff", "too_long", 100)]);
        }
        Ok(())
    }
}

/// Who is at the desk now: the audit trail names them on every change. The PC is shared
/// and there is no log-in; the sidebar says who is working.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct DeskStaff(pub String);

impl Setting for DeskStaff {
    const KEY: &'static str = "desk.staff";

    fn validate(&self) -> std::result::Result<(), Vec<crate::error::FieldError>> {
        if self.0.chars().count() > 100 {
            return Err(vec![crate::error::FieldError::with_max("staff", "too_long", 100)]);
        }
        Ok(())
    }
}

/// How a write is recorded in the audit trail.
#[derive(Debug, Clone, Default)]
struct WriteAs {
    /// The app's own bookkeeping (planning, firing, sweeping): recorded as `system`, and
    /// nobody is told.
    system: bool,
    /// Many records at once: no row per record (the write adds one `bulk` row itself).
    bulk: bool,
    /// Why, when it is not a plain edit: `revert:<id>`, `anonymise`, `restore`.
    reason: String,
}

impl WriteAs {
    fn system() -> WriteAs {
        WriteAs {
            system: true,
            ..WriteAs::default()
        }
    }

    fn bulk() -> WriteAs {
        WriteAs::bulk_because("bulk")
    }

    /// Many records at once, for a reason (`import:<batch>`).
    fn bulk_because(reason: impl Into<String>) -> WriteAs {
        WriteAs {
            bulk: true,
            reason: reason.into(),
            ..WriteAs::default()
        }
    }

    fn because(reason: impl Into<String>) -> WriteAs {
        WriteAs {
            reason: reason.into(),
            ..WriteAs::default()
        }
    }
}

/// Every setting's default, for the Settings page.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsDefaults {
    pub staff: Vec<String>,
    pub cadences: crate::visits::TierCadences,
    pub complaints: crate::complaints::ComplaintSettings,
    pub reminders: crate::reminders::ReminderSettings,
    pub backup: BackupSettings,
}

/// What a write changed, for [`App::write`] to apply after the commit.
#[derive(Default)]
struct Changes {
    /// Customers whose index entry is read again.
    customers: Vec<i64>,
    /// Entries of customers just inserted (bulk).
    new_customers: Vec<crate::customers::search::IndexEntry>,
    /// Rebuild the whole index (bulk writes to many customers).
    all_customers: bool,
    /// The scheduler's own bookkeeping (planning, firing, sweeping): nobody is told.
    quiet: bool,
    /// On the shared database, tell the other desks all the same: a reminder fired here,
    /// which their reminder centers stop showing as due. (Planning stays quiet: every desk
    /// plans, and being told would make each plan again in turn.)
    tell_other_desks: bool,
}

impl Changes {
    /// A customer's record, visits or contacts changed.
    fn customer(&mut self, id: i64) {
        if !self.customers.contains(&id) {
            self.customers.push(id);
        }
    }

    fn new_customers(&mut self, entries: Vec<crate::customers::search::IndexEntry>) {
        self.new_customers.extend(entries);
    }

    fn all_customers(&mut self) {
        self.all_customers = true;
    }

    fn tell_other_desks(&mut self) {
        self.tell_other_desks = true;
    }
}

/// Read-only connections kept for reads that run beside the desk (the dashboard, the
/// board): one per core here.
const READERS: usize = 2;
/// How long a kept reader connection to the shared database may take to answer that it is
/// still there.
const READER_CHECK: std::time::Duration = std::time::Duration::from_secs(2);
/// How much of the database file a kept reader maps (address space, not memory).
const READER_MMAP: i64 = 1 << 30;

/// Settings of the PC rather than of the records: on the shared database each desk keeps
/// its own, in [`DESK_FILE`].
const DESK_LOCAL: &[&str] = &["desk.staff", "language"];

/// A desk's own settings beside the shared database (JSON, key to stored text).
pub const DESK_FILE: &str = "desk-settings.json";

/// UI languages the translation tables cover.
pub const LANGUAGES: &[&str] = &["zh-CN", "en"];

impl App {
    /// Open (or create) the store in `dir` and load the indexes.
    pub fn open(dir: &Path) -> Result<App> {
        let conn = store::open_in(dir)?;
        App::with_connection(dir, conn, Integrity::new(Some(Ok(()))))
    }

    /// [`App::open`] without the integrity check, which reads the whole file (seconds for a
    /// large one): the caller runs the returned [`IntegrityCheck`] when it chooses (the
    /// desktop: once the first screen is shown). Reads go on meanwhile; writes wait for
    /// its verdict, and a damaged file then refuses every write with [`Error::DbDamaged`].
    pub fn open_checking_later(dir: &Path) -> Result<(App, IntegrityCheck)> {
        let conn = store::open_in_checking(dir, store::Check::Later)?;
        let integrity = std::sync::Arc::new(Integrity::new(None));
        let app = App::with_connection(dir, conn, std::sync::Arc::clone(&integrity))?;
        let check = IntegrityCheck {
            dir: dir.to_path_buf(),
            integrity,
        };
        Ok((app, check))
    }

    /// Open the shared database that `server` names, as this desk: set up when empty (or
    /// brought up to this build's schema), the desk named among the others, the indexes
    /// loaded. What stays on this PC (the window's place, logs) stays in `dir`.
    pub fn open_server(dir: &Path, server: &crate::store::server::ServerSettings) -> Result<App> {
        server.validate()?;
        let mut client = crate::store::server::reach(server)?;
        match crate::store::server::inspect(&mut client)? {
            crate::store::server::ServerCheck::Empty => crate::store::server::copy::set_up_fresh(&mut client)?,
            _ => {
                crate::store::server::migrate(&mut client)?;
            }
        }
        let shared = Server::new(client);
        let now = store::local_to_ts(chrono::Local::now().naive_local());
        shared.write(|db| {
            db.execute(
                "INSERT INTO desks (name, first_seen, last_seen) VALUES (?1, ?2, ?2)
                 ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen",
                &[&server.desk.trim(), &now],
            )
        })?;
        let main_pid: i64 = Db::Server(&shared)
            .query_opt("SELECT CAST(pg_backend_pid() AS bigint)", &[])?
            .ok_or_else(|| Error::Internal("the server did not say its process".into()))?
            .get(0)?;
        let opened_at_change = crate::import::repo::current_change(&shared)?;
        let shared = Shared {
            main: Mutex::new(shared),
            settings: server.clone(),
            readers: Mutex::new(Vec::new()),
            main_pid: i32::try_from(main_pid).unwrap_or_default(),
            opened_at_change,
        };
        let app = App::with_store(dir, Store::Server(Box::new(shared)), Integrity::new(Some(Ok(()))))?;
        app.announce_desk_staff()?;
        Ok(app)
    }

    fn with_connection(dir: &Path, conn: Connection, integrity: impl Into<std::sync::Arc<Integrity>>) -> Result<App> {
        App::with_store(dir, Store::Desk(Mutex::new(conn)), integrity)
    }

    fn with_store(dir: &Path, store: Store, integrity: impl Into<std::sync::Arc<Integrity>>) -> Result<App> {
        refresh_normalisation(&store)?;
        refresh_review_counts(&store)?;
        let index = match &store {
            Store::Desk(c) => {
                let conn = c
                    .lock()
                    .map_err(|_| Error::Internal("the database lock was poisoned".into()))?;
                let index = repo::load_index(&conn)?;
                // The read filled the page cache with every customer's row; the first
                // screens need few of them again.
                conn.execute_batch("PRAGMA shrink_memory")?;
                index
            }
            Store::Server(s) => repo::load_index(&*s.main()?)?,
        };
        Ok(App {
            data_dir: dir.to_path_buf(),
            store,
            customers: RwLock::new(index),
            clock: Box::new(|| chrono::Local::now().naive_local()),
            settings: RwLock::new(HashMap::new()),
            on_change: std::sync::OnceLock::new(),
            on_heard: std::sync::OnceLock::new(),
            customers_changed: std::sync::atomic::AtomicBool::new(true),
            import_progress: Default::default(),
            import_cache: Default::default(),
            reader: Mutex::new(Vec::new()),
            arrival_days: RwLock::new(None),
            integrity: integrity.into(),
        })
    }

    /// Open with an injected clock (tests: a fixed "now" instead of real waiting).
    pub fn open_with_clock(dir: &Path, clock: Clock) -> Result<App> {
        Ok(App::open(dir)?.with_clock(clock))
    }

    /// The same app on another clock (tests: a fixed "now").
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// Local date and time now.
    pub fn now_local(&self) -> NaiveDateTime {
        (self.clock)()
    }

    fn mark_customers_changed(&self) {
        self.customers_changed.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn take_customers_changed(&self) -> bool {
        self.customers_changed.swap(false, std::sync::atomic::Ordering::SeqCst)
    }

    /// Now as stored (UTC, RFC 3339), from the same clock.
    pub fn now_ts(&self) -> String {
        store::local_to_ts(self.now_local())
    }

    /// The local day now: agenda boundaries follow it.
    pub fn today(&self) -> NaiveDate {
        self.now_local().date()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Run `f` on a kept read-only connection (the `reader` field, at most [`READERS`] of
    /// them, each with a large page cache); a caller finding none free opens one. On the
    /// shared database, on a connection kept the same way.
    fn with_reader<T>(&self, f: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        if let Store::Server(shared) = &self.store {
            return shared.read(f);
        }
        let kept = self.reader.lock().ok().and_then(|mut r| r.pop());
        let conn = match kept {
            Some(c) => c,
            None => {
                let c = crate::store::open_reader(&self.data_dir)?;
                c.pragma_update(None, "cache_size", -65536)?;
                // Pages are read from the file's memory map, not copied in one read call
                // each: the board and the dashboard jump across the file (a day's bookings,
                // their guests). Read-only, so a mapped page is never written through.
                c.pragma_update(None, "mmap_size", READER_MMAP)?;
                c
            }
        };
        let out = f(Db::Desk(&conn));
        if let Ok(mut r) = self.reader.lock() {
            if r.len() < READERS {
                r.push(conn);
            }
        }
        out
    }

    /// Empty the connections' page caches (`PRAGMA shrink_memory`): after a large read that
    /// the next screens will not repeat (the first reminder pass over every customer).
    pub fn shrink_memory(&self) -> Result<()> {
        let Store::Desk(_) = self.store else {
            return Ok(());
        };
        self.conn()?.execute_batch("PRAGMA shrink_memory")?;
        if let Ok(readers) = self.reader.lock() {
            for r in readers.iter() {
                r.execute_batch("PRAGMA shrink_memory")?;
            }
        }
        Ok(())
    }

    /// The store, held for one read or write.
    fn held(&self) -> Result<Held<'_>> {
        let poisoned = || Error::Internal("the database lock was poisoned".into());
        Ok(match &self.store {
            Store::Desk(c) => Held::Desk(c.lock().map_err(|_| poisoned())?),
            Store::Server(s) => Held::Server(s.main()?),
        })
    }

    /// The desk's own file, for what only it does (its pragmas, a backup of the file);
    /// refused on the shared database.
    fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        match &self.store {
            Store::Desk(c) => c
                .lock()
                .map_err(|_| Error::Internal("the database lock was poisoned".into())),
            Store::Server(_) => Err(Error::state(
                "desk_only",
                "this is done on a desk's own file, not on the shared database",
            )),
        }
    }

    /// The name this desk shows the others on the shared database (none on its own file).
    fn desk_name(&self) -> Option<&str> {
        match &self.store {
            Store::Server(shared) => Some(shared.settings.desk.trim()),
            Store::Desk(_) => None,
        }
    }

    /// Tell the other desks who is at this one (the reminders naming them wait for it).
    fn announce_desk_staff(&self) -> Result<()> {
        let Some(desk) = self.desk_name() else {
            return Ok(());
        };
        let staff = self.desk_staff()?;
        let Held::Server(held) = self.held()? else {
            return Ok(());
        };
        held.write(|db| db.execute("UPDATE desks SET staff = ?2 WHERE name = ?1", &[&desk, &staff]))?;
        Ok(())
    }

    /// Who is at the other desks of the shared database (none on a desk's own file).
    fn staff_at_other_desks(&self) -> Result<Vec<String>> {
        let Some(desk) = self.desk_name() else {
            return Ok(Vec::new());
        };
        self.held()?
            .db()
            .query("SELECT staff FROM desks WHERE name <> ?1 AND staff <> ''", &[&desk])?
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// Whether the records are on the shared database.
    pub fn is_shared(&self) -> bool {
        matches!(self.store, Store::Server(_))
    }

    /// The shared database this desk uses (its password is never sent to the window), or
    /// none on the desk's own file.
    pub fn server_settings(&self) -> Option<crate::store::server::ServerSettings> {
        match &self.store {
            Store::Server(shared) => Some(shared.settings.clone()),
            Store::Desk(_) => None,
        }
    }

    /// Run `f` in one immediate transaction: all of it is written, or none. What `f` says
    /// it changed is applied after the commit, here and nowhere else: the customer index,
    /// re-planning day-based reminders, and whoever listens for changes (the scheduler).
    ///
    /// The audit trail's context (who is at the desk, when, why) is set first in the same
    /// transaction, so the rows its triggers write belong to this change.
    fn write<T>(&self, f: impl FnOnce(Db<'_>, &mut Changes) -> Result<T>) -> Result<T> {
        self.write_as(WriteAs::default(), f)
    }

    /// [`App::write`] for the app's own bookkeeping: recorded as `system`, nobody is told.
    fn write_system<T>(&self, f: impl FnOnce(Db<'_>, &mut Changes) -> Result<T>) -> Result<T> {
        self.write_as(WriteAs::system(), f)
    }

    fn write_as<T>(&self, how: WriteAs, f: impl FnOnce(Db<'_>, &mut Changes) -> Result<T>) -> Result<T> {
        let mut changes = Changes {
            quiet: how.system,
            ..Changes::default()
        };
        self.integrity.wait()?;
        let context = self.audit_context(how)?;
        let out = match self.held()? {
            Held::Desk(mut conn) => {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                crate::audit::repo::set_context(&tx, &context)?;
                let out = f(Db::from(&tx), &mut changes)?;
                tx.commit()?;
                out
            }
            Held::Server(server) => server.write(|db| {
                crate::audit::repo::set_context(db, &context)?;
                let out = f(db, &mut changes)?;
                if !changes.quiet || changes.tell_other_desks {
                    follow::tell_others(db, &changes)?;
                }
                Ok(out)
            })?,
        };
        self.apply(changes)?;
        Ok(out)
    }

    /// Who, when and why, as the audit trail records a write made `how`.
    fn audit_context(&self, how: WriteAs) -> Result<crate::audit::Context> {
        let staff = if how.system {
            String::new()
        } else {
            self.setting::<DeskStaff>()?.0
        };
        Ok(crate::audit::Context {
            at: self.now_ts(),
            staff,
            desk: self.desk_name().unwrap_or_default().to_string(),
            actor: if how.system {
                crate::audit::Actor::System
            } else {
                crate::audit::Actor::Desk
            },
            reason: how.reason,
            record: !how.bulk,
        })
    }

    /// Apply what a committed write changed.
    fn apply(&self, changes: Changes) -> Result<()> {
        let Changes {
            customers,
            new_customers,
            all_customers,
            quiet,
            tell_other_desks: _,
        } = changes;
        let had_new = !new_customers.is_empty();
        self.refresh_arrival_days(all_customers, &customers)?;
        if all_customers {
            let index = crate::customers::repo::load_index(self.held()?.db())?;
            *self.customer_index_mut()? = index;
        } else {
            if !new_customers.is_empty() {
                self.customer_index_mut()?.extend(new_customers);
            }
            for &id in &customers {
                let entry = crate::customers::repo::get_index_entry(self.held()?.db(), id)?;
                self.customer_index_mut()?.upsert(entry);
            }
        }
        if all_customers || !customers.is_empty() || had_new {
            self.mark_customers_changed();
        }
        if !quiet {
            if let Some(listen) = self.on_change.get() {
                listen();
            }
        }
        Ok(())
    }

    /// Call `listen` after every committed write (the desktop wakes its scheduler).
    pub fn on_change(&self, listen: Box<dyn Fn() + Send + Sync>) {
        let _ = self.on_change.set(listen);
    }

    fn customer_index(&self) -> Result<RwLockReadGuard<'_, CustomerIndex>> {
        self.customers
            .read()
            .map_err(|_| Error::Internal("the customer index lock was poisoned".into()))
    }

    fn customer_index_mut(&self) -> Result<RwLockWriteGuard<'_, CustomerIndex>> {
        self.customers
            .write()
            .map_err(|_| Error::Internal("the customer index lock was poisoned".into()))
    }

    pub fn status(&self) -> Result<Status> {
        let held = self.held()?;
        let schema_version = match &held {
            Held::Desk(conn) => store::schema_version(conn)?,
            Held::Server(server) => crate::store::server::schema_version(&mut *server.client()?)?.unwrap_or(0),
        };
        drop(held);
        let language = self.desk_setting("language")?;
        Ok(Status {
            data_dir: self.data_dir.display().to_string(),
            schema_version,
            customers: self.customer_index()?.len(),
            language,
            version: env!("CARGO_PKG_VERSION"),
        })
    }

    /// The shared staff list (who does a visit); the PC is shared, so no log-in.
    pub fn staff(&self) -> Result<Vec<String>> {
        Ok(self.setting::<StaffList>()?.0)
    }

    /// Save the staff list: trimmed, blanks and repeats dropped, each name at most 100
    /// characters.
    pub fn set_staff(&self, staff: &[String]) -> Result<Vec<String>> {
        let mut clean: Vec<String> = Vec::new();
        for s in staff.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !clean.iter().any(|c| c == s) {
                clean.push(s.to_string());
            }
        }
        Ok(self.save_setting(&StaffList(clean), |_| Ok(()))?.0)
    }

    /// What every setting is before anyone saves it: the Settings page shows these when a
    /// stored setting is damaged, so that saving repairs it.
    pub fn settings_defaults(&self) -> Result<SettingsDefaults> {
        Ok(SettingsDefaults {
            staff: Vec::new(),
            cadences: Default::default(),
            complaints: Default::default(),
            reminders: Default::default(),
            backup: Default::default(),
        })
    }

    /// A setting of this PC's own (who is at this desk, its language): kept in the
    /// database on a desk's own file, in [`DESK_FILE`] beside it on the shared database
    /// (each desk has its own).
    fn desk_setting(&self, key: &str) -> Result<Option<String>> {
        if !self.is_shared() {
            return settings::get_setting(self.held()?.db(), key);
        }
        Ok(self.desk_settings()?.remove(key))
    }

    fn set_desk_setting(&self, key: &str, value: &str) -> Result<()> {
        if !self.is_shared() {
            return self.write(|tx, _| settings::set_setting(tx, key, value));
        }
        let mut all = self.desk_settings()?;
        all.insert(key.to_string(), value.to_string());
        shared::write_desk_settings(&self.data_dir, &all)
    }

    fn desk_settings(&self) -> Result<std::collections::BTreeMap<String, String>> {
        shared::read_desk_settings(&self.data_dir)
    }

    /// A setting, from the cache or else the database.
    fn setting<S: Setting>(&self) -> Result<S> {
        if let Some(v) = self
            .settings
            .read()
            .map_err(|_| Error::Internal("the settings cache lock was poisoned".into()))?
            .get(S::KEY)
            .and_then(|v| v.downcast_ref::<S>())
        {
            return Ok(v.clone());
        }
        let v: S = if self.is_shared() && DESK_LOCAL.contains(&S::KEY) {
            match self.desk_setting(S::KEY)? {
                None => S::default(),
                Some(json) => serde_json::from_str(&json).map_err(|e| Error::SettingDamaged {
                    key: S::KEY,
                    reason: e.to_string(),
                })?,
            }
        } else {
            kernel_settings::load(self.held()?.db())?
        };
        self.cache_setting(&v)?;
        Ok(v)
    }

    /// Validate and save a setting with `also` in one transaction; the cache follows.
    fn save_setting<S: Setting>(&self, value: &S, also: impl FnOnce(Db<'_>) -> Result<()>) -> Result<S> {
        value.validate().map_err(Error::Invalid)?;
        if self.is_shared() && DESK_LOCAL.contains(&S::KEY) {
            self.set_desk_setting(S::KEY, &serde_json::to_string(value).map_err(Error::internal)?)?;
            self.write(|tx, _| also(tx))?;
            self.cache_setting(value)?;
            if S::KEY == DeskStaff::KEY {
                self.announce_desk_staff()?;
            }
            return Ok(value.clone());
        }
        self.write(|tx, _| {
            kernel_settings::save(tx, value)?;
            also(tx)
        })?;
        self.cache_setting(value)?;
        Ok(value.clone())
    }

    /// Drop every cached setting (the database under them was replaced).
    fn forget_settings(&self) -> Result<()> {
        self.settings
            .write()
            .map_err(|_| Error::Internal("the settings cache lock was poisoned".into()))?
            .clear();
        Ok(())
    }

    fn cache_setting<S: Setting>(&self, value: &S) -> Result<()> {
        self.settings
            .write()
            .map_err(|_| Error::Internal("the settings cache lock was poisoned".into()))?
            .insert(S::KEY, std::sync::Arc::new(value.clone()));
        Ok(())
    }

    /// Fault tests: cap the database file at `pages` pages (`PRAGMA max_page_count`), as a
    /// full disk would; `None` lifts the cap. Not used by the app itself.
    #[doc(hidden)]
    pub fn simulate_disk_limit(&self, pages: Option<u32>) -> Result<()> {
        let conn = self.conn()?;
        let pages = match pages {
            Some(p) => i64::from(p),
            None => 0xFFFF_FFFE,
        };
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }

    /// Fault tests of the real window (`FRONTDESK_SIMULATE_DISK_FULL`): from now on the
    /// database may not grow, as on a full disk.
    #[doc(hidden)]
    pub fn simulate_disk_full(&self) -> Result<()> {
        let pages: u32 = self.conn()?.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        self.simulate_disk_limit(Some(pages))
    }

    /// Remember the UI language (`zh-CN` or `en`).
    pub fn set_language(&self, lang: &str) -> Result<()> {
        if !LANGUAGES.contains(&lang) {
            return Err(Error::Invalid(vec![crate::error::FieldError::new(
                "language",
                "invalid_choice",
            )]));
        }
        self.set_desk_setting("language", lang)
    }
}
