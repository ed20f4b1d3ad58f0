//! The desktop shell: app start-up with Tauri (window, plugins, tray, state, the reminder
//! scheduler). With `commands`, `scheduler` and `tray`, the only code that names Tauri.

mod commands;
mod open;
mod scheduler;
mod tray;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tauri::{Manager, WindowEvent};
use tokio::sync::{Mutex, Notify};

use crate::app::App;
use crate::error::{Error, Result};
use crate::store;

/// The app state Tauri manages: the store opens in the background on first need, so a
/// slow disk or a large index never blocks the window.
pub struct Shared {
    dir: std::result::Result<PathBuf, String>,
    /// `None` until first opened, and again after a recovery replaced the database.
    app: Mutex<Option<std::result::Result<Arc<App>, Error>>>,
    /// Wakes the reminder scheduler when data changes (`App` tells it after every write).
    wake: Arc<Notify>,
    /// What the integrity check found, when it found the open file damaged.
    damaged: Arc<std::sync::Mutex<Option<Error>>>,
    /// Whether the window has shown its first screen: background work waits for it.
    shown: tokio::sync::watch::Sender<bool>,
    /// Counts the moves between the desk's file and the shared database: the scheduler
    /// starts again on the store the desk uses now.
    switched: std::sync::atomic::AtomicU64,
    /// Set when another desk's change was applied: the scheduler tells the window.
    heard: Arc<std::sync::atomic::AtomicBool>,
}

/// Files up to this size are checked whole before the store opens (about 40 ms here);
/// `FRONTDESK_CHECK_AT_OPEN_UNDER` (bytes) overrides it, for the tests of the later check.
const CHECK_AT_OPEN_UNDER: u64 = 16 << 20;

/// Whether the database in `dir` is small enough to be checked before it opens.
fn check_at_open(dir: &std::path::Path) -> bool {
    let limit = std::env::var("FRONTDESK_CHECK_AT_OPEN_UNDER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CHECK_AT_OPEN_UNDER);
    std::fs::metadata(dir.join(store::DB_FILE)).map_or(true, |m| m.len() < limit)
}

/// How long background work waits for the first screen (a window started hidden, or one
/// that never loads, must not stop reminders).
const FIRST_SCREEN_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Until the window has shown its first screen, or [`FIRST_SCREEN_WAIT`].
async fn first_screen(mut shown: tokio::sync::watch::Receiver<bool>) {
    let _ = tokio::time::timeout(FIRST_SCREEN_WAIT, shown.wait_for(|s| *s)).await;
}

impl Shared {
    async fn app(&self) -> Result<Arc<App>> {
        let mut slot = self.app.lock().await;
        if slot.is_none() {
            let dir = self.dir.clone().map_err(Error::DataDir);
            let wake = self.wake.clone();
            let heard = self.heard.clone();
            let opened = tauri::async_runtime::spawn_blocking(move || {
                let dir = dir?;
                // A small file is checked whole at once (milliseconds); a large one beside
                // the first screen.
                let (app, check) = if let Some(server) = crate::app::shared::saved(&dir)? {
                    // The desk uses the shared database (Settings → Shared database).
                    (App::open_server(&dir, &server)?, None)
                } else if check_at_open(&dir) {
                    (App::open(&dir)?, None)
                } else {
                    let (app, check) = App::open_checking_later(&dir)?;
                    (app, Some(check))
                };
                // Fault tests of the real window: a disk that is full from the start.
                if std::env::var_os("FRONTDESK_SIMULATE_DISK_FULL").is_some() {
                    app.simulate_disk_full()?;
                }
                let woken = wake.clone();
                app.on_change(Box::new(move || woken.notify_one()));
                // What another desk wrote on the shared database: the window follows.
                app.on_heard(Box::new(move || {
                    heard.store(true, std::sync::atomic::Ordering::SeqCst);
                    wake.notify_one();
                }));
                give_back_memory();
                let app = Arc::new(app);
                App::follow_other_desks(&app)?;
                Ok((app, check))
            })
            .await
            .map_err(Error::internal)
            .and_then(|r| r);
            // The shared database not answering yet is not kept as the answer: the next
            // call tries again.
            if let Err(e) = &opened {
                if e.kind() == "offline" {
                    return Err(replay(e));
                }
            }
            *slot = Some(opened.map(|(app, check)| {
                if let Some(check) = check {
                    self.check_after_first_screen(check);
                }
                app
            }));
        }
        match slot.as_ref() {
            Some(Ok(app)) => Ok(app.clone()),
            Some(Err(e)) => Err(replay(e)),
            None => Err(Error::Internal("the database did not open".into())),
        }
    }

    /// The whole-file check (seconds on a large file) once the first screen is shown, so
    /// it never slows the start; writes wait for it. Damage closes the store (see
    /// [`Shared::damaged_found`]).
    fn check_after_first_screen(&self, check: crate::IntegrityCheck) {
        let shown = self.shown.subscribe();
        let damaged = self.damaged.clone();
        let wake = self.wake.clone();
        tauri::async_runtime::spawn(async move {
            first_screen(shown).await;
            let verdict = tauri::async_runtime::spawn_blocking(move || check.run()).await;
            match verdict {
                Ok(Ok(())) => log::info!("the database file is sound"),
                Ok(Err(e)) => {
                    log::error!("the database file is damaged: {e}");
                    if let Ok(mut d) = damaged.lock() {
                        *d = Some(e);
                    }
                    wake.notify_one();
                }
                Err(e) => log::error!("the integrity check stopped: {e}"),
            }
        });
    }

    /// Whether the integrity check found the open file damaged; the store is then closed
    /// (every later call is the damage, as at start) until a backup is restored.
    async fn damaged_found(&self) -> bool {
        let found = self.damaged.lock().ok().and_then(|mut d| d.take());
        match found {
            Some(e) => {
                *self.app.lock().await = Some(Err(e));
                true
            }
            None => false,
        }
    }

    /// Run a recovery command: only while the database could not be opened because it is
    /// damaged. After a restore the next command opens the app on the restored file.
    async fn recover(&self, name: &'static str, args: serde_json::Value) -> Result<serde_json::Value> {
        let mut slot = self.app.lock().await;
        if !matches!(slot.as_ref(), Some(Err(e)) if e.kind() == "db_damaged") {
            return Err(Error::state("not_damaged", "the database is not damaged"));
        }
        let dir = self.dir.clone().map_err(Error::DataDir)?;
        let out = tauri::async_runtime::spawn_blocking(move || crate::ipc::dispatch_recovery(&dir, name, &args))
            .await
            .map_err(Error::internal)?;
        if out.is_ok() && name == "recovery_restore" {
            *slot = None;
            self.wake.notify_one();
        }
        out
    }
}

impl Shared {
    /// Move between the desk's own file and the shared database: the open app is let go
    /// first, and the next call opens the store the desk uses now.
    async fn switch(&self, name: &'static str, args: serde_json::Value) -> Result<serde_json::Value> {
        let mut slot = self.app.lock().await;
        *slot = None;
        let dir = self.dir.clone().map_err(Error::DataDir)?;
        let out = tauri::async_runtime::spawn_blocking(move || crate::ipc::dispatch_switch(&dir, name, &args))
            .await
            .map_err(Error::internal)?;
        self.switched.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        drop(slot);
        self.wake.notify_one();
        out
    }
}

/// The start-up error again, for every later call (the store stays closed).
fn replay(e: &Error) -> Error {
    match e {
        Error::DbTooNew { found, supported } => Error::DbTooNew {
            found: *found,
            supported: *supported,
        },
        Error::DbInvalid { path, reason } => Error::DbInvalid {
            path: path.clone(),
            reason: reason.clone(),
        },
        Error::DataDir(s) => Error::DataDir(s.clone()),
        Error::Offline(s) => Error::Offline(s.clone()),
        Error::DbDamaged { path, reason } => Error::DbDamaged {
            path: path.clone(),
            reason: reason.clone(),
        },
        other if other.kind() == "db_damaged" => Error::DbDamaged {
            path: String::new(),
            reason: other.to_string(),
        },
        other => Error::Internal(other.to_string()),
    }
}

/// Requests to open something: this launch's command line and link, later links, clicked
/// notifications.
fn listen_for_opens(handle: &tauri::AppHandle) {
    use tauri_plugin_deep_link::DeepLinkExt;
    use tauri_plugin_notification::NotificationExt;
    let args: Vec<String> = std::env::args().collect();
    open::command_line(handle, &args);
    match handle.deep_link().get_current() {
        Ok(Some(urls)) => open::links(handle, &urls.iter().map(|u| u.as_str()).collect::<Vec<_>>()),
        Ok(None) => {}
        Err(e) => log::warn!("the start-up link could not be read: {e}"),
    }
    let h = handle.clone();
    handle.deep_link().on_open_url(move |event| {
        let urls: Vec<String> = event.urls().iter().map(|u| u.to_string()).collect();
        open::links(&h, &urls);
    });
    let h = handle.clone();
    let clicked = handle.notification().on_action(move |action| {
        let target = action
            .notification()
            .and_then(|n| n.extra().get(scheduler::OPEN_KEY).cloned())
            .and_then(|v| serde_json::from_value::<crate::app::OpenRequest>(v).ok())
            .unwrap_or(crate::app::OpenRequest::Reminders);
        open::request(&h, target);
    });
    if let Err(e) = clicked {
        log::warn!("clicks on notifications will not be reported: {e}");
    }
}

/// The main window (configured in `tauri.conf.json`, created here): its webview keeps its
/// storage (drafts in localStorage, caches) inside the data folder, so that another data
/// folder, or a portable install on a USB stick, never shares or leaves behind unsaved text.
///
/// It appears once its page has loaded ([`SHOW_AT_THE_LATEST`] if the page never does), not
/// blank before: WebKitGTK's first drawing of a window waits up to 500 ms for the web process
/// to paint, and a web process still starting could not. Half of all cold starts lost that
/// half second; none do now, and no empty white frame flashes up first on any system.
fn create_window(app: &tauri::App, data: Option<&PathBuf>) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") else {
        return Err(tauri::Error::WindowNotFound);
    };
    let mut builder = tauri::WebviewWindowBuilder::from_config(app.handle(), config)?
        .visible(false)
        .on_page_load(|window, page| {
            if page.event() == tauri::webview::PageLoadEvent::Finished {
                show_first(&window);
            }
        });
    if let Some(dir) = data {
        builder = builder.data_directory(dir.join(WEBVIEW_DIR));
    }
    let window = builder.build()?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SHOW_AT_THE_LATEST).await;
        show_first(&window);
    });
    Ok(())
}

/// The window shows even if its page never finishes loading (the recovery screen is in it).
const SHOW_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_secs(3);

/// Shows the main window the first time it is asked to; later page loads (a reload) leave it
/// as the user has it (hidden in the tray, say).
fn show_first(window: &tauri::WebviewWindow) {
    static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !SHOWN.swap(true, Ordering::SeqCst) {
        if let Err(e) = window.show() {
            log::warn!("the window could not be shown: {e}");
        }
    }
}

/// Wakes [`give_back_when_quiet`]: a command from the window was answered.
static ANSWERED: std::sync::OnceLock<Arc<Notify>> = std::sync::OnceLock::new();

/// How long the window must stay quiet before freed memory is given back.
const QUIET: std::time::Duration = std::time::Duration::from_secs(2);

/// A command was answered (see [`give_back_when_quiet`]).
pub(super) fn answered() {
    if let Some(n) = ANSWERED.get() {
        n.notify_one();
    }
}

/// Once the window has been quiet for [`QUIET`] after answering commands (a search, the
/// board, an export), give what they freed back to the system. Otherwise the allocator keeps
/// it until the next reminder pass, and the desk's memory only ever grows to its busiest
/// moment.
fn give_back_when_quiet() {
    let answered = Arc::new(Notify::new());
    if ANSWERED.set(answered.clone()).is_err() {
        return;
    }
    tauri::async_runtime::spawn(async move {
        loop {
            answered.notified().await;
            while tokio::time::timeout(QUIET, answered.notified()).await.is_ok() {}
            give_back_memory();
        }
    });
}

/// Return the memory freed after a large piece of work (the start-up index read, a reminder
/// pass, the window's commands once it is quiet) to the system: glibc keeps freed memory in
/// its arenas otherwise.
pub(super) fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The webview's folder inside the data folder.
pub const WEBVIEW_DIR: &str = "webview";

/// Whether the demo-data command works: in debug builds (development, the end-to-end
/// tests), or when a trainer starts a release build with `FRONTDESK_DEMO=1`.
pub(crate) fn demo_allowed() -> bool {
    cfg!(debug_assertions) || std::env::var_os("FRONTDESK_DEMO").is_some_and(|v| v == "1")
}

/// The folder of FrontDesk's log files (errors and events, never customer data).
pub(crate) fn log_dir(handle: &tauri::AppHandle) -> Option<PathBuf> {
    handle.path().app_log_dir().ok()
}

/// The log: a file in the OS's log folder, a new one past 1 MB, the last five kept; and
/// standard error, for a terminal or a test harness.
fn log_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::LogDir {
                file_name: Some("frontdesk".into()),
            }),
            Target::new(TargetKind::Stderr),
        ])
        .level(log::LevelFilter::Info)
        // Chatty libraries: their warnings, not their every step.
        .level_for("zbus", log::LevelFilter::Warn)
        .level_for("tracing", log::LevelFilter::Warn)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .build()
}

/// When `run` began: start-up time is counted from here.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The window showed its first usable screen (the customer list). Logged once; with
/// `FRONTDESK_EXIT_WHEN_READY=1` (the bench's cold start, the package test) printed as
/// `ready <ms>` and the app ends.
fn ready(handle: &tauri::AppHandle) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
        log::info!("ready in {ms} ms");
        if let Some(shared) = handle.try_state::<Arc<Shared>>() {
            shared.shown.send_replace(true);
        }
        if std::env::var_os("FRONTDESK_EXIT_WHEN_READY").is_some_and(|v| v == "1") {
            println!("ready {ms}");
            handle.exit(0);
        }
    });
}

/// A panic (a bug: nothing a user or a file does may cause one) ends the release build at
/// once (`panic = "abort"`); what and where goes to the log file first, not only to a
/// standard error nobody sees. Written data is safe: SQLite rolls back what was not
/// committed, and an unsaved customer form is kept as a draft.
fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        log::error!("the app stopped on an internal error: {info}");
        default(info);
    }));
}

/// WebKitGTK draws the window without its accelerated compositing (OpenGL) unless the
/// user asked otherwise (`WEBKIT_DISABLE_COMPOSITING_MODE=0`). Lists and forms need none of
/// it; it costs the web process about 95 MB and, without a GPU (software OpenGL, remote
/// desktops, virtual machines), some 200 ms before the first screen is painted.
fn software_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Before any other thread exists: nothing else reads the environment yet.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// What is remembered of the window: size, position, maximised, full screen; never
/// "hidden" (starting in the tray is the tray's business).
fn window_state() -> tauri_plugin_window_state::StateFlags {
    use tauri_plugin_window_state::StateFlags;
    StateFlags::all() - StateFlags::VISIBLE
}

/// A polite end (logout, `kill`, a service manager): SIGTERM ends the app the way Quit does,
/// so the window's place is saved and the database closed.
#[cfg(unix)]
fn end_on_sigterm(handle: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                if term.recv().await.is_some() {
                    log::info!("asked to end (SIGTERM)");
                    handle.exit(0);
                }
            }
            Err(e) => log::warn!("SIGTERM will end the app abruptly: {e}"),
        }
    });
}

pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    software_rendering();
    log_panics();
    let builder = tauri::Builder::default()
        // First: a second launch hands its command line (a `--call`, a link) to this one and
        // ends; links go to the deep-link plugin, which reports them below.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            log::info!("a second launch handed over its command line");
            open::command_line(app, &argv);
            tray::show_window(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(log_plugin())
        // The window's size, position and maximised state, as the user left them (never
        // hidden: a start in the tray is the tray's business).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(window_state())
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        // The system's file dialog: a folder for backups, a backup file to restore.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(|app| {
            let dir = store::data_dir(app.path().app_data_dir().ok()).map_err(|e| e.to_string());
            let webview_dir = dir.as_ref().ok().cloned();
            let shared = Arc::new(Shared {
                dir,
                app: Mutex::new(None),
                wake: Arc::new(Notify::new()),
                damaged: Arc::default(),
                shown: tokio::sync::watch::Sender::new(false),
                switched: std::sync::atomic::AtomicU64::new(0),
                heard: Arc::default(),
            });
            app.manage(shared.clone());
            // The store opens (and reads its index) while the window loads, not after.
            let opening = shared.clone();
            tauri::async_runtime::spawn(async move {
                let _ = opening.app().await;
            });
            create_window(app, webview_dir.as_ref())?;
            app.manage(open::Opens::default());
            if let Err(e) = tray::create(app.handle()) {
                log::warn!("no tray icon ({e}); closing the window will quit");
            }
            if cfg!(all(unix, not(target_os = "macos"))) && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
                log::warn!("no D-Bus session bus: a second launch cannot find this one and opens another window");
            }
            log::info!("FrontDesk {} started", env!("CARGO_PKG_VERSION"));
            listen_for_opens(app.handle());
            #[cfg(unix)]
            end_on_sigterm(app.handle().clone());
            // Opens the store off the UI thread, then plans and fires reminders.
            scheduler::spawn(app.handle().clone(), shared);
            give_back_when_quiet();
            Ok(())
        })
        .on_window_event(|window, event| {
            // With a tray icon, closing the window hides it: reminders keep firing.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if tray::IN_TRAY.load(Ordering::SeqCst) {
                    api.prevent_close();
                    // Kept now, not only at quit: a running app may never quit cleanly.
                    use tauri_plugin_window_state::AppHandleExt;
                    if let Err(e) = window.app_handle().save_window_state(window_state()) {
                        log::warn!("the window's size and place were not saved: {e}");
                    }
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(commands::handler());
    if let Err(e) = builder.run(tauri::generate_context!()) {
        eprintln!("FrontDesk could not start: {e}");
        std::process::exit(1);
    }
}
